// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* why.c - `ktrail why`: option parsing over analyze/why.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "cli/capture.h"
#include "analyze/why.h"

static const char usage[] =
	"ktrail why FILE --pid P [--tid T] [--at T | --slowest "
	"[--syscall NAME]] [--segments] [--json]";

static const char help[] =
"NAME\n"
"    ktrail why - explain a slow span: its critical path to the root cause\n"
"\n"
"SYNOPSIS\n"
"    ktrail why FILE --pid P [--tid T] [--at T | --slowest [--syscall NAME]]\n"
"               [--segments] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Picks one span of process P (thread T): the syscall that was in\n"
"    progress at time T (--at), or the slowest syscall (--slowest, the\n"
"    default; one that began before the capture, only partly observed,\n"
"    only when nothing else matches).  Without syscall records in the\n"
"    capture, or when no syscall matches, the span is the thread's\n"
"    blocked or sleeping interval instead.\n"
"\n"
"    It then walks the span's critical path back through the wakeups: a\n"
"    wait that another thread ended is replaced by what that thread did\n"
"    during the wait, recursively; a wait ended from interrupt context\n"
"    stops at the device: the disk request whose completion woke it, the\n"
"    timer, or the network (never the task the interrupt happened to\n"
"    run over).  A receive in softirq that ran in a sending thread's\n"
"    context (loopback) is followed to the sender, as an inferred hop.\n"
"\n"
"    Every nanosecond of the span is attributed exactly once, to a thread\n"
"    running, a thread runnable (cpu contention), a disk, a timer, the\n"
"    network, an interrupt, or unknown (not observed); the parts add up\n"
"    to the span's duration.  The root cause is the largest part that is\n"
"    known: a disk request, a lock holder's or a peer process's work, a\n"
"    timer, cpu contention (with what ran on that cpu).  Time the capture\n"
"    does not explain is unknown, never guessed.\n"
"\n"
"    The confidence is the share of the root's time that rests on records\n"
"    of the very tasks and requests, counting the span's unknown time\n"
"    against it (docs/causal.md \"Confidence\"): 1.00 means nothing was\n"
"    inferred and nothing is unknown.\n"
"\n"
"    The output puts the root cause first, with its confidence, then the\n"
"    span, the wait chain (hops: who ended whose wait, in which\n"
"    syscalls), the attribution, and where the time went: consecutive\n"
"    segments of one thread and kind merged, the longest 15 (all with\n"
"    --segments).  Times are capture-clock seconds as\n"
"    in `ktrail replay`.  The capture is read twice: once for the span\n"
"    (only this process's syscall records), then from 1 s before the\n"
"    span to 1 s after it; memory is what happened in that window.\n"
"\n"
"OPTIONS\n"
"    --pid P         the process (required)\n"
"    --tid T         only this thread of P\n"
"    --at T          the span in progress at time T: +1.5s from the first\n"
"                    event, seconds or ns on the capture clock, ISO-8601\n"
"    --slowest       the longest span (the default)\n"
"    --syscall NAME  with --slowest or --at: only this syscall (read, fsync)\n"
"    --segments      list every merged stretch of the path, not the 15\n"
"                    longest\n"
"    --json          one JSON object: span, hops, segments (ns exact),\n"
"                    attribution, kind_ns, root, confidence\n"
"    -h, --help      this page\n"
"\n"
"EXIT STATUS\n"
"    0 explained (also when the reader of stdout goes away); 2 usage\n"
"    error, a bad time, FILE missing, unreadable or not a valid capture,\n"
"    or the process has no such span in the capture (nothing to explain);\n"
"    3 out of memory, or stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail why x.ktr --pid 4242\n"
"    ktrail why x.ktr --pid 4242 --slowest --syscall fsync\n"
"    ktrail why x.ktr --pid 4242 --tid 4250 --at +2.5s --json\n";

struct why_args {
	const char *file, *at;
	bool slowest, json, segments;
	struct kt_why_opts o;
};

static int parse(int argc, char **argv, struct why_args *a)
{
	static const struct option lo[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },
		{ "slowest", no_argument, NULL, 's' },
		{ "syscall", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "segments", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	a->o.sys_nr = -1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = kt_cli_id("why", "--pid", optarg, &a->o.pid)))
				return rc;
			break;
		case 't':
			if ((rc = kt_cli_id("why", "--tid", optarg, &a->o.tid)))
				return rc;
			break;
		case 'a': a->at = optarg; break;
		case 's': a->slowest = true; break;
		case 'j': a->json = true; break;
		case 'g': a->segments = true; break;
		case 'S':
			a->o.sys_nr = kt_syscall_nr(optarg);
			if (a->o.sys_nr < 0)
				return kt_usage_error("why", usage,
						      "--syscall '%s': unknown syscall",
						      optarg);
			break;
		case 'h': return -1;
		default:
			return kt_opt_error("why", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("why", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("why", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	a->file = argv[optind];
	if (!a->o.pid)
		return kt_usage_error("why", usage, "missing --pid");
	if (a->at && a->slowest)
		return kt_usage_error("why", usage,
				      "--slowest: cannot be combined with --at");
	return 0;
}

int cmd_why(int argc, char **argv)
{
	struct why_args a = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_out o = { 0 };
	struct kt_why_span sp;
	struct kt_info info;
	struct kt_why w;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("why", a.file, &r)))
		return rc;
	kt_reader_info(r, &info);
	if (a.at) {
		if ((rc = kt_cli_time("why", "--at", a.at, kt_reader_meta(r),
				      info.first_ts, &a.o.at)))
			goto out;
		a.o.at_set = true;
	}
	rc = kt_why_pick(r, &a.o, &sp, &err);
	if (rc == -ENOENT) {
		/* nothing to explain is not a success (unlike a listing) */
		kt_msg("why", a.file, "process %u has no %s%s%s in the capture",
		       a.o.pid, a.o.sys_nr >= 0 ? kt_syscall_name(a.o.sys_nr) :
		       "span", a.o.sys_nr >= 0 ? " call" : "",
		       a.at ? " at that time" : "");
		rc = KT_EXIT_USAGE;
		goto out;
	}
	if (!rc)
		rc = kt_why_explain(r, &sp, &w, &err);
	if (rc) {
		rc = kt_fail("why", a.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("why", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	} else {
		rc = a.json ? kt_why_print_json(&o, &w) :
			      kt_why_print(&o, &w, a.segments ?
						   KT_WHY_ALL_SEGMENTS : 0);
		rc = kt_cli_finish("why", a.file, rc, &err, &o);
	}
	kt_out_release(&o);
	kt_why_release(&w);
out:
	kt_reader_close(r);
	return rc;
}
