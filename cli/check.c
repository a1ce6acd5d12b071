// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* check.c - `ktrail check`: option parsing over analyze/check.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/cli.h"
#include "analyze/check.h"
#include "analyze/fmt.h"
#include "cli/capture.h"

static const char usage[] =
	"ktrail check FILE --rules RULES.json [--json] [--allow-partial]";

static const char help[] =
"NAME\n"
"    ktrail check - assert rules on a capture (CI gates)\n"
"\n"
"SYNOPSIS\n"
"    ktrail check FILE --rules RULES.json [--json] [--allow-partial]\n"
"\n"
"DESCRIPTION\n"
"    Reads the rules, then the capture once, and prints per rule PASS, or\n"
"    FAIL with the events that break it (time, pid/comm, what; the first\n"
"    20, then how many more).  The rules file is JSON:\n"
"\n"
"      { \"rules\": [\n"
"          { \"rule\": \"no-oom\" },\n"
"          { \"rule\": \"max-syscall\", \"ms\": 100 },\n"
"          { \"rule\": \"max-syscall\", \"ms\": 20, \"syscall\": \"fsync\",\n"
"            \"comm\": \"postgres\" },\n"
"          { \"rule\": \"no-retransmits\" },\n"
"          { \"rule\": \"no-refused-connects\" },\n"
"          { \"rule\": \"exit-codes\", \"comm\": \"worker\", \"allow\": [0, 3],\n"
"            \"signals\": [\"SIGTERM\"] },\n"
"          { \"rule\": \"max-dropped\", \"events\": 0 } ] }\n"
"\n"
"    no-oom               no OOM kill (of \"comm\" when given)\n"
"    max-syscall          no syscall longer than \"ms\" milliseconds, of\n"
"                         \"syscall\" and \"comm\" when given; idle waits\n"
"                         (epoll_wait, poll, select, wait4, the sleeps,\n"
"                         ...) count only with \"idle\": true or when\n"
"                         \"syscall\" names one\n"
"    no-retransmits       no TCP retransmission\n"
"    no-refused-connects  no connect refused (a reset answered the SYN) or\n"
"                         failed\n"
"    exit-codes           every process (of \"comm\") exits with a status\n"
"                         in \"allow\" (default [0]); a fatal signal breaks\n"
"                         it unless listed in \"signals\"\n"
"    max-dropped          at most \"events\" events lost\n"
"\n"
"    A rule about a family the capture was recorded without (-e) cannot\n"
"    be asserted: check refuses it (exit 2) rather than pass.  The events\n"
"    are those the stats tools print (oomkill, tcpretrans, tcpconnect,\n"
"    exitsnoop); docs/ci.md has the format in full.\n"
"\n"
"OPTIONS\n"
"    --rules RULES.json  the rules (required)\n"
"    --json              one JSON object: every rule, passed or not, with\n"
"                        its events\n"
"    --allow-partial     check a capture that was not finalized or has no\n"
"                        index; without it such a capture is refused\n"
"    -h, --help          this page\n"
"\n"
"EXIT STATUS\n"
"    0 every rule passed; 1 a rule failed (its events are listed, and a\n"
"    line on stderr counts the failed rules); 2 usage error, a rules file\n"
"    that cannot be read or parsed (its line and column are given) or\n"
"    whose rules are wrong, a rule the capture cannot answer, or FILE\n"
"    missing, unreadable, not a valid capture, or partial without\n"
"    --allow-partial; 3 out of memory, or stdout could not be written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail check build.ktr --rules ci/rules.json\n"
"    ktrail check build.ktr --rules ci/rules.json --json | jq '.rules[] |\n"
"                 select(.passed | not)'\n";

struct check_args {
	const char *file, *rules;
	bool json, partial;
};

static int parse(int argc, char **argv, struct check_args *a)
{
	static const struct option lo[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "allow-partial", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': a->rules = optarg; break;
		case 'j': a->json = true; break;
		case 'p': a->partial = true; break;
		case 'h': return -1;
		default:
			return kt_opt_error("check", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("check", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("check", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	if (!a->rules)
		return kt_usage_error("check", usage, "missing --rules RULES.json");
	a->file = argv[optind];
	return 0;
}

/* The rules of @path into @c; 0 or the exit status (its line printed). */
static int load_rules(const char *path, struct kt_check *c)
{
	json_error_t jerr;
	json_t *root;
	char why[320];
	FILE *f;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!(f = fopen(path, "r")))
		return kt_fail("check", path, -errno, KT_ERR_INPUT, NULL);
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!root) {
		kt_msg("check", path, "line %d, column %d: %s", jerr.line,
		       jerr.column, jerr.text);
		return KT_EXIT_USAGE;
	}
	rc = kt_check_parse(root, c, why, sizeof(why));
	json_decref(root);
	if (rc == -ENOMEM)
		return kt_fail("check", NULL, rc, KT_ERR_SYSTEM, NULL);
	if (rc) {
		kt_msg("check", path, "%s", why);
		return KT_EXIT_USAGE;
	}
	return 0;
}

static int open_capture(const struct check_args *a, const struct kt_check *c,
			struct kt_reader **r)
{
	struct kt_info info;
	char why[320];
	int rc;

	if ((rc = kt_cli_open_whole("check", a->file, a->partial, r)))
		return rc;
	kt_reader_info(*r, &info);
	if (!a->partial && (!info.finalized || !info.indexed)) {
		kt_msg("check", a->file, "a partial capture (%s): refused without "
		       "--allow-partial", !info.finalized ? "not finalized: the "
		       "recording did not end" : "no index");
		return KT_EXIT_USAGE;
	}
	if (kt_check_missing(c, kt_reader_meta(*r), why, sizeof(why))) {
		kt_msg("check", a->file, "%s: cannot be asserted", why);
		return KT_EXIT_USAGE;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_out o = { 0 };
	struct kt_check c = { 0 };
	size_t failed = 0;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = load_rules(a.rules, &c)) || (rc = open_capture(&a, &c, &r)))
		goto out;
	rc = kt_check_run(r, &c, &err);
	if (rc) {
		rc = kt_fail("check", a.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("check", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	rc = a.json ? kt_check_print_json(&o, &c) : kt_check_print(&o, &c);
	rc = kt_cli_finish("check", a.file, rc, &err, &o);
	for (size_t i = 0; i < c.n; i++)
		failed += c.v[i].violations > 0;
	if (!rc && failed) {
		kt_msg("check", a.file, "%zu of %zu rule%s failed", failed, c.n,
		       c.n == 1 ? "" : "s");
		rc = KT_EXIT_FINDING;
	}
out:
	kt_out_release(&o);
	kt_check_release(&c);
	kt_reader_close(r);
	return rc;
}
