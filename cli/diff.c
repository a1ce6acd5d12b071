// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* diff.c - `ktrail diff`: option parsing over analyze/diff.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/diff.h"
#include "analyze/fmt.h"
#include "cli/capture.h"

static const char usage[] =
	"ktrail diff BASE CAND [--threshold RULE]... [--all] [--json] "
	"[--allow-partial]";

static const char help[] =
"NAME\n"
"    ktrail diff - what changed between two captures of one workload, and\n"
"    whether it crosses a threshold (CI regression)\n"
"\n"
"SYNOPSIS\n"
"    ktrail diff BASE CAND [--threshold RULE]... [--all] [--json]\n"
"                [--allow-partial]\n"
"\n"
"DESCRIPTION\n"
"    Compares the candidate capture CAND with the baseline BASE, item by\n"
"    item, processes matched by command (their name), never by pid; a\n"
"    kernel thread's numbered part is normalized (kworker/u8:9 and\n"
"    kworker/u8:3 are kworker/u8:*).  The items:\n"
"\n"
"    syscall   calls per command and syscall, and their p50 and p99\n"
"              latency where both sides have at least 20 finished calls\n"
"              (below that counts only, and a note says how many)\n"
"    errno     failed calls per command, syscall and errno\n"
"    exit      exit statuses and fatal signals per command\n"
"    oom       OOM kills per victim command\n"
"    tcp       connects (established, refused, failed), retransmits and\n"
"              resets per command\n"
"    block     block I/O requests per issuing command and operation\n"
"    edge      causal edges (graph's kinds: woke, wrote-read, forked, ...)\n"
"              between commands and resources, new or vanished\n"
"    process   processes started per command\n"
"\n"
"    The numbers are those `ktrail stats` prints (syscount --per-comm,\n"
"    exitsnoop, oomkill, tcpconnect, tcpretrans, biosnoop) and the edges\n"
"    those of `ktrail graph --window all`.  Every change is listed; a\n"
"    change crosses a threshold when it is an increase that reaches both\n"
"    limits of its metric.\n"
"\n"
"THRESHOLDS\n"
"    --threshold METRIC:LIMIT[,LIMIT] replaces a metric's default; a LIMIT\n"
"    is +N% (of the base value; an item the base lacks reaches any), +N\n"
"    (a count; for p50 and p99 a duration: +2ms), or off.  The metrics and\n"
"    their defaults:\n"
"\n"
"    syscalls:+50%,+10    calls of a syscall by a command\n"
"    new:+1               calls of a syscall the command never made in\n"
"                         BASE (an added fsync)\n"
"    errors:+50%,+1       failed calls by command, syscall and errno\n"
"    p50:+150%,+5ms       median latency by command and syscall (on a\n"
"                         busy host a median of 6 ms moved by up to\n"
"                         +60% between two runs)\n"
"    p99:off              99th percentile, the same: listed, not gated\n"
"                         (of a few dozen calls it is their max, which\n"
"                         one stall of a busy host moved by 0.6 s)\n"
"    exits:+1             non-zero exits and fatal signals by command and\n"
"                         status\n"
"    oom:+1               OOM kills by victim\n"
"    tcp:+50%,+1          refused or failed connects, retransmits, resets\n"
"    connects:+50%,+5     established connects\n"
"    io:+100%,+64         block requests by command and operation;\n"
"                         requests no task issued ((kernel): writeback,\n"
"                         the journal) are the host's, listed, not gated\n"
"    edges:off            causal edges new in CAND (their evidence count)\n"
"    processes:off        processes started by command\n"
"\n"
"    The defaults were tuned so that two recordings of one scenario do not\n"
"    cross them while an added fsync, one more refused connect or a sleep\n"
"    made longer does (docs/ci.md says how).\n"
"\n"
"OPTIONS\n"
"    --threshold RULE  a rule as above; repeat it for several metrics\n"
"    --all             list every change (the text lists the crossed ones\n"
"                      and the first 20 others)\n"
"    --json            one JSON object: thresholds, every change with its\n"
"                      base and candidate values, crossed or not\n"
"    --allow-partial   compare a capture that was not finalized (the\n"
"                      recorder was killed) or has no index; without it\n"
"                      such a capture is refused, so that a CI job never\n"
"                      passes on a broken artifact\n"
"    -h, --help        this page\n"
"\n"
"EXIT STATUS\n"
"    0 no change crossed a threshold; 1 a change crossed one (each is\n"
"    listed with its metric, values, change and threshold, and a line on\n"
"    stderr counts them); 2 usage error (a bad rule), or BASE or CAND\n"
"    missing, unreadable, not a valid capture, or partial without\n"
"    --allow-partial; 3 out of memory, or stdout could not be written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail diff baseline.ktr build.ktr\n"
"    ktrail diff baseline.ktr build.ktr --threshold p99:+200%,+100ms \\\n"
"                --threshold syscalls:off\n"
"    ktrail diff baseline.ktr build.ktr --json | jq '.changes[] |\n"
"                select(.crossed)'\n";

struct diff_args {
	const char *base, *cand;
	bool json, all, partial;
	struct kt_diff_rule rules[KT_DM_N];
};

static int parse(int argc, char **argv, struct diff_args *a)
{
	static const struct option lo[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "allow-partial", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char why[256];
	int c;

	kt_diff_rules_default(a->rules);
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			if (kt_diff_rule_parse(optarg, a->rules, why, sizeof(why)))
				return kt_usage_error("diff", usage, "--threshold %s",
						      why);
			break;
		case 'a': a->all = true; break;
		case 'j': a->json = true; break;
		case 'p': a->partial = true; break;
		case 'h': return -1;
		default:
			return kt_opt_error("diff", usage, argv, c);
		}
	}
	if (optind + 2 > argc)
		return kt_usage_error("diff", usage, "missing %s",
				      optind < argc ? "CAND" : "BASE and CAND");
	if (optind + 2 < argc)
		return kt_usage_error("diff", usage, "'%s': unexpected argument",
				      argv[optind + 2]);
	a->base = argv[optind];
	a->cand = argv[optind + 1];
	return 0;
}

/* The profile of capture @path; 0 or the exit status (its line printed). */
static int profile(const char *path, bool partial, struct kt_profile *p)
{
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct kt_info info;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = kt_cli_open_whole("diff", path, partial, &r)))
		return rc;
	kt_reader_info(r, &info);
	if (!partial && (!info.finalized || !info.indexed)) {
		kt_msg("diff", path, "a partial capture (%s): refused without "
		       "--allow-partial", !info.finalized ? "not finalized: the "
		       "recording did not end" : "no index");
		kt_reader_close(r);
		return KT_EXIT_USAGE;
	}
	rc = kt_profile_build(r, p, &err);
	if (rc)
		rc = kt_fail("diff", path, rc, KT_ERR_INPUT, &err);
	kt_reader_close(r);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { 0 };
	struct kt_profile base = { 0 }, cand = { 0 };
	struct kt_diff d = { 0 };
	struct kt_out o = { 0 };
	struct kt_err err = { 0 };
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = profile(a.base, a.partial, &base)) ||
	    (rc = profile(a.cand, a.partial, &cand)))
		goto out;
	if (kt_diff_compare(&base, &cand, a.rules, &d) ||
	    kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("diff", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	rc = a.json ? kt_diff_print_json(&o, &d, a.rules) :
		      kt_diff_print(&o, &d, a.rules, a.all);
	rc = kt_cli_finish("diff", a.cand, rc, &err, &o);
	if (!rc && d.not_compared)
		kt_msg("diff", a.cand, "warning: recorded with other families "
		       "than %s: what only one of them recorded was not "
		       "compared (the note says which)", a.base);
	if (!rc && d.crossed) {
		kt_msg("diff", a.cand, "%zu change%s crossed a threshold",
		       d.crossed, d.crossed == 1 ? "" : "s");
		rc = KT_EXIT_FINDING;
	}
out:
	kt_out_release(&o);
	kt_diff_release(&d);
	kt_profile_release(&base);
	kt_profile_release(&cand);
	return rc;
}
