// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* summary.c - `ktrail summary`: option parsing over analyze/summary.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "analyze/summary.h"
#include "analyze/why.h"
#include "cli/capture.h"

#define TOP_DEFAULT 5

static const char usage[] = "ktrail summary FILE [--pid P[,P...]] [--top N] [--rel | --wall] [--json]";

#define MAX_PIDS 256

static const char help[] =
"NAME\n"
"    ktrail summary - the anomalies of a capture, each with the command\n"
"    that explains it\n"
"\n"
"SYNOPSIS\n"
"    ktrail summary FILE [--pid P[,P...]] [--top N] [--rel | --wall]\n"
"                   [--json]\n"
"\n"
"DESCRIPTION\n"
"    Reads the capture once and lists what went wrong in it, one line per\n"
"    anomaly, each followed by the exact ktrail command that explains it:\n"
"\n"
"    fatal signals       processes killed by a signal, and who sent it (a\n"
"                        task, or the kernel and why: the OOM killer, a\n"
"                        fault); `why --pid P --exit`\n"
"    OOM kills           the victim, its rss and memory cgroup\n"
"    non-zero exits      processes that exited with a status other than 0;\n"
"                        `why --pid P --exit`\n"
"    failed syscalls     by process, syscall and errno, those of processes\n"
"                        that failed first, then the most frequent;\n"
"                        `stats syscount --failed --pid P`\n"
"    slowest syscalls    the slowest of each process, 1 ms or more, the\n"
"                        slowest first: the span `why --pid P --slowest\n"
"                        --syscall NAME` explains.  Idle waits (epoll_wait,\n"
"                        poll, select, wait4, waitid, pause, the sleeps,\n"
"                        sigsuspend) are left out: a main loop waits there\n"
"                        for work, not for a resource.  Syscalls that began\n"
"                        before the capture are left out (only partly seen)\n"
"    TCP                 refused or failed connections, resets sent or\n"
"                        received, retransmits, by process and peer;\n"
"                        `stats tcpconnect` / `stats tcpretrans`\n"
"    block I/O           requests of 1 ms or more that took 8 times their\n"
"                        disk's median service time; `stats biosnoop` over\n"
"                        the time the request was served\n"
"    lost events         how many, by cause (as `ktrail info` says)\n"
"\n"
"    The numbers are those the stats tools print (exitsnoop, killsnoop\n"
"    --all, oomkill, syscount, tcpconnect, tcpretrans, biolatency): the\n"
"    summary reads their rows.  A capture recorded without some families\n"
"    cannot tell some anomalies: a note says which.\n"
"\n"
"OPTIONS\n"
"    --pid P[,P...]\n"
"                only the anomalies of these processes (lost events stay)\n"
"    --top N     at most N lines of each kind (default 5; 0 = all), then\n"
"                how many more and the command that lists them\n"
"    --rel       the instants of the sentences (\"took 3 ms at T\") in\n"
"                seconds since the capture's first event (default: on\n"
"                the capture clock); the commands keep capture-clock\n"
"                --from and --to\n"
"    --wall      those instants as ISO-8601 UTC wall clock, through the\n"
"                capture's clock anchors\n"
"    --json      one JSON object: every anomaly (kind, what, command, pid,\n"
"                comm, ts, ns or count), counts by kind, the latency\n"
"                distributions (block I/O, run queue, syscalls) and notes\n"
"    -h, --help  this page\n"
"\n"
"EXIT STATUS\n"
"    0 the anomalies were listed, also when there is none (anomalies are\n"
"    the capture's findings, not ktrail's: see `ktrail check` for rules\n"
"    that fail), and when --pid matches nothing (a note on stderr says\n"
"    so); 2 usage error (a --pid list of more than 256 is one), or FILE\n"
"    missing, unreadable or not a valid capture; 3 out of memory, or\n"
"    stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail summary incident.ktr\n"
"    ktrail summary incident.ktr --top 0 --json | jq '.anomalies[].command'\n"
"    ktrail summary incident.ktr --pid 4242,4250\n";

struct summary_args {
	const char *file;
	bool json, rel, wall;
	unsigned top;
	__u32 pids[MAX_PIDS];
	struct kt_summary_opts o;
};

/* --pid P[,P...] */
static int parse_pids(const char *s, struct summary_args *a)
{
	char *copy = strdup(s), *save = NULL, *p;
	int rc = 0;

	if (!copy)
		return kt_fail("summary", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	for (p = strtok_r(copy, ",", &save); p && !rc;
	     p = strtok_r(NULL, ",", &save)) {
		if (a->o.npids == MAX_PIDS) {
			kt_msg("summary", NULL, "--pid: more than %d processes",
			       MAX_PIDS);
			rc = KT_EXIT_USAGE;
			break;
		}
		rc = kt_cli_id("summary", "--pid", p, &a->pids[a->o.npids]);
		if (!rc)
			a->o.npids++;
	}
	if (!rc && !a->o.npids)
		rc = kt_cli_id("summary", "--pid", s, &a->pids[0]);
	free(copy);
	a->o.pids = a->pids;
	return rc;
}

static int parse_top(const char *s, unsigned *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || n > 1000000UL) {
		kt_msg("summary", NULL, "--top '%s': not a number in 0..1000000", s);
		return KT_EXIT_USAGE;
	}
	*v = (unsigned)n;
	return 0;
}

static int parse(int argc, char **argv, struct summary_args *a)
{
	static const struct option lo[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "top", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "rel", no_argument, NULL, 'r' },
		{ "wall", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	a->top = TOP_DEFAULT;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = parse_pids(optarg, a)))
				return rc;
			break;
		case 't':
			if ((rc = parse_top(optarg, &a->top)))
				return rc;
			break;
		case 'j': a->json = true; break;
		case 'r': a->rel = true; break;
		case 'w': a->wall = true; break;
		case 'h': return -1;
		default:
			return kt_opt_error("summary", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("summary", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("summary", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	a->file = argv[optind];
	return 0;
}

/* --pid with nothing about it: say whether each process is in the
 * capture at all. */
static void nothing(const struct summary_args *a, struct kt_reader *r)
{
	struct kt_why_ident id;
	struct kt_err err = { 0 };

	for (size_t i = 0; i < a->o.npids; i++) {
		if (kt_why_identify(r, a->pids[i], 0, &id, &err) || id.pid_seen)
			kt_msg("summary", a->file, "note: process %u has no "
			       "anomaly", a->pids[i]);
		else
			kt_msg("summary", a->file, "note: process %u is not in "
			       "the capture", a->pids[i]);
	}
}

int cmd_summary(int argc, char **argv)
{
	struct summary_args a = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_out o = { 0 };
	struct kt_summary s;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("summary", a.file, &r)))
		return rc;
	memset(&s, 0, sizeof(s));
	a.o.times = &o;         /* the sentences' instants as --rel/--wall */
	if (kt_out_init(&o, STDOUT_FILENO, 0))
		rc = kt_fail("summary", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	else
		rc = kt_cli_timemode("summary", r, a.rel, a.wall, &o);
	if (!rc && (rc = kt_summary_build(r, &a.o, &s, &err))) {
		rc = kt_fail("summary", a.file, rc, KT_ERR_INPUT, &err);
	} else if (!rc) {
		if (a.o.npids && s.n == s.nkind[KT_AN_LOST])
			nothing(&a, r);
		rc = a.json ? kt_summary_print_json(&o, &s, a.file) :
			      kt_summary_print(&o, &s, a.file, a.top);
		rc = kt_cli_finish("summary", a.file, rc, &err, &o);
	}
	kt_out_release(&o);
	kt_summary_release(&s);
	kt_reader_close(r);
	return rc;
}
