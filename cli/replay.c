// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* replay.c - `ktrail replay`: option parsing over analyze/replay.h. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fds.h"
#include "analyze/names.h"
#include "analyze/replay.h"
#include "cli/capture.h"

static const char usage[] =
	"ktrail replay FILE [--from T] [--to T] [--pid P] [--tid T] "
	"[--comm C] [-e FAMILIES] [--proc-comm] [--rel | --wall] [--json]";

static const char help[] =
"NAME\n"
"    ktrail replay - print the events of a capture as they completed\n"
"\n"
"SYNOPSIS\n"
"    ktrail replay FILE [--from T] [--to T] [--pid P] [--tid T] [--comm C]\n"
"                  [-e FAMILIES] [--proc-comm] [--rel | --wall] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Prints every event of FILE in the order the events completed (frames\n"
"    that overlap in time are merged), one line per event in the spirit\n"
"    of perf script:\n"
"\n"
"        COMM TID [CPU] SECONDS: KIND: FIELDS\n"
"         cat  4242 [001] 12.000341578: syscall: openat(AT_FDCWD,\n"
"             \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3 <0.000004100>\n"
"\n"
"    Times are seconds on the capture clock (CLOCK_MONOTONIC) with\n"
"    nanoseconds (--rel: since the first event; --wall: ISO-8601 UTC).\n"
"    Every record is stamped at its START: a syscall at its\n"
"    enter, a block request at its issue, as timeline draws them; the\n"
"    duration follows, in <...> for a syscall (strace -T), service= for\n"
"    a block request.  Records are printed when they complete, as perf\n"
"    trace and strace -T print them: lines are in completion order, so a\n"
"    long syscall comes after the events that happened while it ran,\n"
"    with an earlier stamp.  --from/--to select records by their start;\n"
"    one that starts before --to and ends after it is shown (replay\n"
"    reads up to 1 s past --to for it).\n"
"\n"
"    Fields are decoded: syscall names and arguments as strace prints\n"
"    them (every fd, made or used, with its file, pipe or socket in <...>\n"
"    as strace -y: read(3</etc/passwd>, 4096)), errno names, signal\n"
"    names, TCP 4-tuples and states, block RWBS, switch states (R S D T\n"
"    t X Z P I).  The previous task of a switch is the line's COMM and\n"
"    TID; next_tid is a thread id.  Words at the end of a line: blocked\n"
"    (the syscall slept), woke (it woke another task), unfinished (still\n"
"    running at the end of the recording), incomplete (a block request\n"
"    still in flight), from_alloc (its issue was not seen), thread or\n"
"    process (what a fork made, what an exit ended), sent or received\n"
"    (a TCP reset), in or out (a packet), ctx=softirq|hardirq|nmi (in\n"
"    interrupt context: the task shown was interrupted, it is not the\n"
"    cause).  docs/replay.md has the table.\n"
"\n"
"    --from seeks with the capture's index: only the frames needed are\n"
"    read, and for the fd names the syscall records of at most 64 MB of\n"
"    frames before it (a note says from when the names know; fds made\n"
"    earlier print as numbers, --fd-history reads from the start).\n"
"    --pid, --tid and -e are applied while reading, so columns of other\n"
"    kinds are not decompressed.\n"
"\n"
"    Memory: the frames open at once (those that overlap in time) and\n"
"    the task table (every thread the capture names, about 150 bytes\n"
"    each, and each distinct name, command line and cgroup once);\n"
"    nothing per event, so it does not grow with the capture's length.\n"
"\n"
"OPTIONS\n"
"    --from T        records that start at T or later\n"
"    --to T          records that start before T\n"
"                    T is +1.5s / +200ms from the first event, seconds\n"
"                    (12.25) or nanoseconds (12250000000ns) on the\n"
"                    capture clock, or ISO-8601 wall clock\n"
"                    (2026-11-23T10:15:00.5Z, or local time without Z)\n"
"                    converted through the capture's clock anchors\n"
"    --pid P         only events whose subject task is in process P\n"
"    --tid T         only events whose subject is thread T\n"
"    --comm C        only events whose subject is named C (as of the\n"
"                    event: exec and prctl rename)\n"
"    -e, --events F  only families F, comma-separated: sched, proc,\n"
"                    syscall, tcp, block, signal, oom, fault, mem, net,\n"
"                    meta, all\n"
KT_CLI_TIME_HELP
"    --proc-comm     print the proc_comm records too: the name the\n"
"                    recorder gives a task the first time it meets it,\n"
"                    and renames (exec, prctl), which the COMM column of\n"
"                    the task's next lines shows anyway; hidden by\n"
"                    default, as perf script shows no such line (--json\n"
"                    has them always)\n"
"    --fd-history    with --from, read every record before it for the fd\n"
"                    names, however large the capture\n"
"    --json          NDJSON: one object per event with ts (the start),\n"
"                    end_ts (syscalls and block requests), kind, family,\n"
"                    cpu, tid, pid, utid, comm, every field of the kind's\n"
"                    schema (strings resolved; packet bytes and raw\n"
"                    sockaddrs as hex; argv as an array), then decoded\n"
"                    names (syscall, errno, signal, saddr, ...)\n"
"    -h, --help      this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches no event: a note on stderr says so); 2 usage error,\n"
"    a bad time, or FILE missing, unreadable or not a valid capture; 3 out\n"
"    of memory, or stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail replay x.ktr --from +2s --to +2.1s\n"
"    ktrail replay x.ktr --pid 4242 -e syscall,signal\n"
"    ktrail replay x.ktr --json -e tcp | jq .daddr\n";

struct replay_args {
	const char *file, *from, *to, *events;
	bool rel, wall, fd_history;
	struct kt_replay_opts opts;
};

static int parse(int argc, char **argv, struct replay_args *a)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "comm", required_argument, NULL, 'c' },
		{ "events", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "proc-comm", no_argument, NULL, 'C' },
		{ "rel", no_argument, NULL, 'R' },
		{ "wall", no_argument, NULL, 'W' },
		{ "fd-history", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char bad[64];
	int c, rc;

	while ((c = getopt_long(argc, argv, ":e:h", lo, NULL)) != -1) {
		switch (c) {
		case 'F': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'c': a->opts.comm = optarg; break;
		case 'e': a->events = optarg; break;
		case 'j': a->opts.json = true; break;
		case 'C': a->opts.proc_comm = true; break;
		case 'R': a->rel = true; break;
		case 'W': a->wall = true; break;
		case 'H': a->fd_history = true; break;
		case 'h': return -1;
		case 'p':
			if ((rc = kt_cli_id("replay", "--pid", optarg,
					    &a->opts.pid)))
				return rc;
			break;
		case 't':
			if ((rc = kt_cli_id("replay", "--tid", optarg,
					    &a->opts.tid)))
				return rc;
			break;
		default:
			return kt_opt_error("replay", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("replay", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("replay", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	a->file = argv[optind];
	if (a->events &&
	    kt_families_parse(a->events, &a->opts.kinds, bad, sizeof(bad)))
		return kt_usage_error("replay", usage,
				      "-e '%s': unknown family '%s'", a->events,
				      bad);
	return 0;
}

/* The names of disks and fds: the fds follow the capture on a reader of
 * their own, which sees every process whatever the filters.  Without
 * them (out of memory) numbers are printed. */
static void names_open(struct replay_args *a, struct kt_reader *r,
		       struct kt_replay_names *nm)
{
	struct kt_err err = { 0 };

	nm->disks = kt_disks_new(kt_reader_meta(r));
	nm->more_args = json_is_true(json_object_get(json_object_get(
		kt_reader_meta(r), "record"), "more_args"));
	if (kt_fdnames_follow(&nm->fds, r, &err))
		nm->fds = NULL;
	/* reading everything from the start anyway: feed them on the way
	 * instead of decoding the syscall records twice */
	if (!a->from && !a->opts.kinds && !a->opts.pid && !a->opts.tid)
		kt_fdnames_inline(nm->fds);
	a->opts.names = nm;
}

static void names_close(struct kt_replay_names *nm)
{
	kt_disks_free((struct kt_disks *)nm->disks);
	kt_fdnames_free(nm->fds);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_args a = { 0 };
	struct kt_replay_names nm = { 0 };
	struct kt_reader *r = NULL;
	struct kt_source *src = NULL;
	struct kt_err err = { 0 };
	struct kt_out o = { 0 };
	__u64 count = 0;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("replay", a.file, &r)))
		return rc;
	names_open(&a, r, &nm);
	kt_reader_filter(r, a.opts.kinds, a.opts.pid, a.opts.tid);
	if ((rc = kt_cli_window("replay", a.file, r, a.from, a.to,
				&a.opts.from, &a.opts.to)))
		goto out_reader;
	if (a.opts.from && !a.fd_history) {
		if ((rc = kt_fdnames_limit(nm.fds, a.opts.from,
					   KT_FDS_HISTORY_BYTES, &err))) {
			rc = kt_fail("replay", a.file, rc, KT_ERR_INPUT, &err);
			goto out_reader;
		}
		kt_cli_fd_horizon("replay", a.file, r, kt_fdnames_since(nm.fds));
	}
	src = kt_source_reader(r);
	if (!src || kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("replay", a.file, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out_source;
	}
	if ((rc = kt_cli_timemode("replay", r, a.rel, a.wall, &o)))
		goto out_out;
	rc = kt_replay_run(src, &a.opts, &o, &count, &err);
	rc = kt_cli_finish("replay", a.file, rc, &err, &o);
	if (!rc && !count && !o.err) {
		struct kt_cli_sel sel = {
			.from = a.opts.from, .to = a.opts.to,
			.pid = a.opts.pid, .tid = a.opts.tid,
			.comm = a.opts.comm, .kinds = a.opts.kinds,
		};

		kt_cli_nothing("replay", a.file, r, &sel);
	}
out_out:
	kt_out_release(&o);
out_source:
	kt_source_free(src);
out_reader:
	names_close(&nm);
	kt_reader_close(r);
	return rc;
}
