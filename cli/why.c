// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* why.c - `ktrail why`: option parsing over analyze/why.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"
#include "cli/capture.h"
#include "analyze/why.h"
#include "render/render.h"

static const char usage[] =
	"ktrail why FILE --pid P [--tid T] [--at T | --slowest "
	"[--syscall NAME] | --from A --to B]\n"
	"                  [--segments] [--rel | --wall] [--json] [-o OUT.svg|OUT.png|OUT.scene]\n"
	"       ktrail why FILE --pid P --exit [--rel | --wall] [--json]";

static const char help[] =
"NAME\n"
"    ktrail why - explain a slow span: its critical path to the root cause;\n"
"    or how a process ended\n"
"\n"
"SYNOPSIS\n"
"    ktrail why FILE --pid P [--tid T] [--at T | --slowest [--syscall NAME]\n"
"               | --from A --to B]\n"
"               [--segments] [--rel | --wall] [--json]\n"
"               [-o OUT.svg|OUT.png|OUT.scene]\n"
"    ktrail why FILE --pid P --exit [--rel | --wall] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Picks one span of process P (thread T) and explains it:\n"
"\n"
"    --slowest (the default): among the syscalls, the waits in no\n"
"    recorded syscall (every wait when the capture has no syscall\n"
"    records) and the CPU stretches (a thread's running and runnable\n"
"    time between two waits), the one that cost its thread most: a\n"
"    syscall or a wait by its duration, a CPU stretch by its runnable\n"
"    time, the time it lost waiting for a cpu (its running time is\n"
"    progress, not delay).  Ties go to the longer, then the earlier.  A\n"
"    syscall that began before the capture, only partly observed, is\n"
"    picked only when nothing else matches.  With --syscall NAME only\n"
"    that syscall.\n"
"\n"
"    --at T: the syscall in progress at T; else the wait that contains\n"
"    T; else the CPU stretch that contains T.\n"
"\n"
"    --from A --to B: the range [A, B) of thread T, whatever it did:\n"
"    running (its own work), runnable (cpu contention) or waiting.\n"
"    Without --tid, of the threads of P seen in the range the one with\n"
"    the most time not running (runnable or waiting); the output says\n"
"    which, and how many there were.  An open end is the capture's.\n"
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
"    timer, cpu contention (with the tasks that held the cpu, and how\n"
"    long).  Time the capture does not explain is unknown, never guessed.\n"
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
"    --segments).  Times are capture-clock seconds as in `ktrail\n"
"    replay`.  The span is found by reading the process's syscall\n"
"    records and, unless a syscall is the answer to --at or --syscall,\n"
"    a timeline of the capture (from 1 s before T with --at; of the\n"
"    range with --from/--to); it is explained by reading from 1 s\n"
"    before it to 1 s after it.  Memory is what happened in that\n"
"    window; the searches keep one span per thread.\n"
"\n"
"    -o draws the answer: the root-cause sentence first (the text's first\n"
"    line) with its confidence, the span as a bar, one lane per thread and\n"
"    per resource the path passed through (the root cause's first and\n"
"    highlighted), each stretch coloured by what it was, arrows where the\n"
"    path moves from one lane to another, then the attribution as one\n"
"    stacked bar with percentages (unknown shown as unknown) and a legend.\n"
"    OUT.scene writes the scene the picture is drawn from, as text\n"
"    (docs/render.md).\n"
"\n"
"    --exit explains how process P ended instead: its exit status, the\n"
"    children it reaped (wait4/waitid) and how each ended, the signals it\n"
"    received and who sent them (the kernel, and why: the OOM killer\n"
"    with the memory cgroup and the victim's rss), the signals it sent,\n"
"    and its last failing syscalls.  The answer, first, is the first\n"
"    failure of the chain: the earliest of its reaped children that\n"
"    failed (exited non-zero, or was killed by a signal P did not send),\n"
"    followed into that child's own children; else P's own end.\n"
"\n"
"OPTIONS\n"
"    --pid P         the process (required)\n"
"    --tid T         only this thread of P\n"
"    --at T          the span in progress at time T: +1.5s from the first\n"
"                    event, seconds or ns on the capture clock, ISO-8601\n"
"    --slowest       the span that cost most (the default; see above)\n"
"    --syscall NAME  with --slowest or --at: only this syscall (read, fsync)\n"
"    --from A        with --to: explain the range [A, B) (times as --at)\n"
"    --to B\n"
"    --exit          how process P ended (no --tid, --at, --from/--to)\n"
"    --segments      list every merged stretch of the path, not the 15\n"
"                    longest\n"
KT_CLI_TIME_HELP
"    -o OUT          draw it: OUT.svg, OUT.png or OUT.scene (by extension)\n"
"    --json          one JSON object: span, hops, segments (ns exact),\n"
"                    attribution, kind_ns, root, confidence; with --exit:\n"
"                    end, first_failure, chain, reaped, signals, syscalls\n"
"    -h, --help      this page\n"
"\n"
"EXIT STATUS\n"
"    0 explained (also when the reader of stdout goes away); 2 usage\n"
"    error, a bad time, FILE missing, unreadable or not a valid capture,\n"
"    the process or thread is not in the capture (or the thread is not\n"
"    one of the process), it has no such span (nothing to explain), with\n"
"    --exit its end is not in the capture, or an unknown -o extension; 3\n"
"    out of memory, or stdout or OUT could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail why x.ktr --pid 4242\n"
"    ktrail why x.ktr --pid 4242 --slowest --syscall fsync\n"
"    ktrail why x.ktr --pid 4242 --tid 4250 --at +2.5s --json\n"
"    ktrail why x.ktr --pid 4242 --from +1s --to +2.2s\n"
"    ktrail why x.ktr --pid 4242 --exit\n"
"    ktrail why x.ktr --pid 4242 -o why.svg\n";

struct why_args {
	const char *file, *at, *from, *to, *out;
	enum kt_rfmt fmt;
	bool slowest, json, segments, exit, rel, wall;
	struct kt_why_opts o;
};

/* the options that do not go together */
static int check_combination(const struct why_args *a)
{
	if (!a->o.pid)
		return kt_usage_error("why", usage, "missing --pid");
	if (a->exit && (a->o.tid || a->at || a->slowest || a->o.sys_nr >= 0 ||
			a->from || a->to || a->segments))
		return kt_usage_error("why", usage, "--exit: explains a process's "
				      "end: cannot be combined with --tid, --at, "
				      "--slowest, --syscall, --from, --to or "
				      "--segments");
	if ((a->from || a->to) && (a->at || a->slowest || a->o.sys_nr >= 0))
		return kt_usage_error("why", usage, "--from/--to: explain a range "
				      "of a thread: cannot be combined with --at, "
				      "--slowest or --syscall");
	if (a->at && a->slowest)
		return kt_usage_error("why", usage,
				      "--slowest: cannot be combined with --at");
	if (a->out && a->fmt != KT_RF_SVG && a->fmt != KT_RF_PNG &&
	    a->fmt != KT_RF_SCENE)
		return kt_usage_error("why", usage, "-o '%s': draws .svg, .png "
				      "or .scene", a->out);
	if (a->out && (a->json || a->exit || a->segments))
		return kt_usage_error("why", usage, "-o: draws a slow span's "
				      "path: cannot be combined with --json, "
				      "--exit or --segments");
	return 0;
}

static int parse(int argc, char **argv, struct why_args *a)
{
	static const struct option lo[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },
		{ "slowest", no_argument, NULL, 's' },
		{ "syscall", required_argument, NULL, 'S' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'T' },
		{ "exit", no_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ "rel", no_argument, NULL, 'R' },
		{ "wall", no_argument, NULL, 'W' },
		{ "segments", no_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	a->o.sys_nr = -1;
	while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			a->fmt = kt_rfmt_of(optarg);
			break;
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
		case 'f': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'x': a->exit = true; break;
		case 'j': a->json = true; break;
		case 'R': a->rel = true; break;
		case 'W': a->wall = true; break;
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
	return check_combination(a);
}

/* --from/--to on the capture: open ends are the capture's; a range that
 * misses the capture is an error (nothing to explain) */
static int place_range(struct why_args *a, struct kt_reader *r)
{
	struct kt_info info;
	char x[32], y[32], f[32], l[32];
	int rc;

	rc = kt_cli_window("why", a->file, r, a->from, a->to, &a->o.from,
			   &a->o.to);
	if (rc)
		return rc;
	kt_reader_info(r, &info);
	if (!a->from)
		a->o.from = info.first_ts;
	if (!a->to)
		a->o.to = info.last_ts;
	if (a->o.from >= info.last_ts || a->o.to <= info.first_ts ||
	    a->o.from >= a->o.to) {
		kt_msg("why", a->file, "the range [%s, %s) is outside the capture "
		       "(%s to %s)", kt_tlf_ts(x, sizeof(x), a->o.from),
		       kt_tlf_ts(y, sizeof(y), a->o.to),
		       kt_tlf_ts(f, sizeof(f), info.first_ts),
		       kt_tlf_ts(l, sizeof(l), info.last_ts));
		return KT_EXIT_USAGE;
	}
	a->o.range = true;
	return 0;
}

/* Nothing matched: say what (the process or the thread is not in the
 * capture, the thread is another process's, or there is no such span).
 * Nothing to explain is not a success (unlike a listing). */
static int nothing(const struct why_args *a, struct kt_reader *r)
{
	struct kt_why_ident id;
	struct kt_err err = { 0 };
	int rc;

	rc = kt_why_identify(r, a->o.pid, a->o.tid, &id, &err);
	if (rc)
		return kt_fail("why", a->file, rc, KT_ERR_INPUT, &err);
	if (a->o.tid && !id.tid_seen)
		kt_msg("why", a->file, "thread %u is not in the capture", a->o.tid);
	else if (a->o.tid && !id.tid_in_pid)
		kt_msg("why", a->file, "thread %u is not a thread of process %u "
		       "(it is one of process %u)", a->o.tid, a->o.pid,
		       id.tid_pid);
	else if (!id.pid_seen)
		kt_msg("why", a->file, "process %u is not in the capture",
		       a->o.pid);
	else if (a->exit)
		kt_msg("why", a->file, "the end of process %u is not in the "
		       "capture (it was still running when the capture ended, "
		       "or its exit was not recorded)", a->o.pid);
	else if (a->o.range && a->o.tid)
		kt_msg("why", a->file, "thread %u was not alive in the range",
		       a->o.tid);
	else if (a->o.range)
		kt_msg("why", a->file, "no thread of process %u was alive in the "
		       "range", a->o.pid);
	else
		kt_msg("why", a->file, "%s %u has no %s%s%s in the capture",
		       a->o.tid ? "thread" : "process",
		       a->o.tid ? a->o.tid : a->o.pid,
		       a->o.sys_nr >= 0 ? kt_syscall_name(a->o.sys_nr) : "span",
		       a->o.sys_nr >= 0 ? " call" : "",
		       a->at ? " at that time" : "");
	return KT_EXIT_USAGE;
}

/* -o: the scene, drawn or dumped */
static int draw(const struct why_args *a, const struct kt_why *w)
{
	struct kt_scene s;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = kt_why_scene(w, &s);
	if (!rc)
		rc = a->fmt == KT_RF_SCENE ? kt_scene_dump(&s, &buf, &len) :
					     kt_scene_draw(&s, a->fmt, &buf, &len);
	kt_scene_release(&s);
	if (rc)
		rc = kt_fail("why", a->out, rc, KT_ERR_SYSTEM, NULL);
	else
		rc = kt_cli_write("why", a->out, buf, len);
	free(buf);
	return rc;
}

static int print_span(const struct why_args *a, struct kt_reader *r,
		      const struct kt_why_span *sp)
{
	struct kt_err err = { 0 };
	struct kt_out o = { 0 };
	struct kt_why w;
	int rc;

	rc = kt_why_explain(r, sp, &w, &err);
	if (rc)
		return kt_fail("why", a->file, rc, KT_ERR_INPUT, &err);
	if (a->out) {
		rc = draw(a, &w);
		kt_why_release(&w);
		return rc;
	}
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("why", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	} else if (!(rc = kt_cli_timemode("why", r, a->rel, a->wall, &o))) {
		rc = a->json ? kt_why_print_json(&o, &w) :
			       kt_why_print(&o, &w, a->segments ?
						   KT_WHY_ALL_SEGMENTS : 0);
		rc = kt_cli_finish("why", a->file, rc, &err, &o);
	}
	kt_out_release(&o);
	kt_why_release(&w);
	return rc;
}

static int print_exit(const struct why_args *a, struct kt_reader *r)
{
	struct kt_err err = { 0 };
	struct kt_out o = { 0 };
	struct kt_why_exit x;
	int rc;

	rc = kt_why_exit(r, a->o.pid, &x, &err);
	if (rc == -ENOENT) {
		kt_why_exit_release(&x);
		return nothing(a, r);
	}
	if (rc) {
		rc = kt_fail("why", a->file, rc, KT_ERR_INPUT, &err);
	} else if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("why", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	} else if (!(rc = kt_cli_timemode("why", r, a->rel, a->wall, &o))) {
		rc = a->json ? kt_why_exit_print_json(&o, &x) :
			       kt_why_exit_print(&o, &x);
		rc = kt_cli_finish("why", a->file, rc, &err, &o);
	}
	kt_out_release(&o);
	kt_why_exit_release(&x);
	return rc;
}

int cmd_why(int argc, char **argv)
{
	struct why_args a = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_why_span sp;
	struct kt_info info;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("why", a.file, &r)))
		return rc;
	kt_reader_info(r, &info);
	if (a.exit) {
		rc = print_exit(&a, r);
		goto out;
	}
	if (a.at) {
		if ((rc = kt_cli_time("why", "--at", a.at, kt_reader_meta(r),
				      info.first_ts, &a.o.at)))
			goto out;
		a.o.at_set = true;
	}
	if ((a.from || a.to) && (rc = place_range(&a, r)))
		goto out;
	rc = kt_why_pick(r, &a.o, &sp, &err);
	if (rc == -ENOENT)
		rc = nothing(&a, r);
	else if (rc)
		rc = kt_fail("why", a.file, rc, KT_ERR_INPUT, &err);
	else
		rc = print_span(&a, r, &sp);
out:
	kt_reader_close(r);
	return rc;
}
