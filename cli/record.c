// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * record.c - `ktrail record`: options only; the recorder is record/record.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "format/format.h"
#include "record/record.h"

#define KT_RING_DEFAULT (8u << 20)
#define KT_FLIGHT_BYTES_DEFAULT (64ull << 20)
#define KT_FAULT_DEFAULT 1000
#define KT_SNAPLEN_DEFAULT 256
#define KT_MAX_PIDS 256
#define KT_RECORD_DEFAULT_OUT "ktrail.ktr"

static const char usage[] =
	"ktrail record [-o FILE [--force]] [-e FAMILIES] [-p PID [--follow] | --cgroup PATH] [-d DURATION] [options] [-- CMD ARGS...]";

static const char help[] =
"NAME\n"
"    ktrail record - record kernel events into a capture file\n"
"\n"
"SYNOPSIS\n"
"    ktrail record [-o FILE [--force]] [-e FAMILIES] [-p PID[,PID...]\n"
"                  [--follow]]\n"
"                  [--cgroup PATH] [-d DURATION] [-m SIZE] [--syscalls LIST]\n"
"                  [--fault-sample N] [--flight DURATION [--flight-size SIZE]\n"
"                  [--trigger T]...]\n"
"                  [--pcap IFACE [--snaplen N] [--pcap-filter EXPR]]\n"
"                  [--redact args|paths|payload] [--host-id NAME] [-q]\n"
"                  [[-u USER] -- CMD ARGS...]\n"
"\n"
"DESCRIPTION\n"
"    Records kernel events with eBPF programs on tracepoints into FILE, a\n"
"    self-contained capture that `ktrail info`, `replay` and the analyzers\n"
"    read on any machine.  Every syscall is one completed record (enter\n"
"    time, duration, return value, key arguments), paired in the kernel.\n"
"    Filtering by scope happens in the kernel; events go through one ring\n"
"    buffer per CPU; events the kernel could not deliver are counted per\n"
"    CPU and family, stored in the file, and reported.\n"
"\n"
"    Recording stops after DURATION, on SIGINT or SIGTERM, or when CMD\n"
"    exits, and always finalizes the file.  The file is written at least\n"
"    once a second: if the recorder is killed, `ktrail recover FILE` keeps\n"
"    all but the last second.  A tracepoint this kernel lacks disables its\n"
"    family with a warning.  On a terminal a progress line shows events/s,\n"
"    MB/s written, drops and the recorder's own CPU use; a summary follows.\n"
"\n"
"    Families: sched (switch, waking with the waker's context, wakeup_new,\n"
"    migrate), proc (fork, exec, exit, comm), syscall, tcp (state changes,\n"
"    retransmits, resets), block (requests, issue to completion), signal\n"
"    (generate, deliver), oom (victims), fault (sampled user page faults),\n"
"    mem (rss changes, at most one per process and counter per 10 ms), net\n"
"    (packets, with --pcap).  Whatever the selection, forks and renames\n"
"    name new tasks (KT_PROC_COMM) so that every thread has a name.\n"
"\n"
"OPTIONS\n"
"    -o, --output FILE\n"
"        The capture to write, created mode 0600 under this name from the\n"
"        start (never a temporary file: a killed recorder leaves it for\n"
"        `ktrail recover`).  An existing FILE is refused (exit 2).\n"
"        Without -o: ktrail.ktr in the current directory, an existing\n"
"        one renamed to ktrail.ktr.old first (as perf does).\n"
"    --force\n"
"        Remove an existing FILE first (a symbolic link is removed, its\n"
"        target left alone).\n"
"    -e, --events FAMILIES\n"
"        Comma-separated families to record, or all (the default; net only\n"
"        with --pcap).\n"
"    -p, --pid PID[,PID...]\n"
"        Only these processes (all their threads).\n"
"    --follow\n"
"        With -p: also their descendants, present and future.\n"
"    --cgroup PATH\n"
"        Only tasks in this cgroup v2 directory and below (a path, or one\n"
"        relative to the cgroup2 mount as /proc/PID/cgroup shows it).\n"
"    -d, --duration DURATION\n"
"        Stop after DURATION (10s, 500ms, 2m; a bare number is seconds).\n"
"    -m, --buffer-size SIZE\n"
"        Ring buffer per CPU (4M, 64M; rounded up to a power of two;\n"
"        default 8M).\n"
"    --syscalls LIST\n"
"        Record only these syscalls (comma-separated names).\n"
"    --fault-sample N\n"
"        Record one page fault in N (default 1000).\n"
"    --flight DURATION\n"
"        Flight recorder: keep only the last DURATION in memory and write\n"
"        FILE on SIGUSR1, on a trigger and at exit (later dumps go to\n"
"        FILE.1, FILE.2, ...).\n"
"    --flight-size SIZE\n"
"        With --flight: keep at most SIZE of compressed frames (rounded\n"
"        up to a power of two; default 64M): the oldest go first when the\n"
"        last DURATION does not fit.  A dump is about SIZE at most, and\n"
"        the recorder's memory stays under SIZE + 2 x CPUs x the -m ring\n"
"        + 64M (docs/record.md \"Flight recorder bounds\").\n"
"    --trigger oom|exit!=0|signal=N\n"
"        With --flight: also dump (within a second) when an OOM victim is\n"
"        chosen, a process exits with a non-zero status or is killed, or\n"
"        signal N is sent.  Repeatable.\n"
"    --pcap IFACE\n"
"        Capture packets on IFACE with libpcap (the net family), their\n"
"        timestamps moved onto the capture clock.\n"
"    --snaplen N\n"
"        Bytes kept of each packet (default 256).\n"
"    --pcap-filter EXPR\n"
"        A pcap filter expression (tcpdump syntax).\n"
"    --redact args|paths|payload\n"
"        Drop from the capture, before anything is written: args, the\n"
"        arguments of every command line (exec records, the task table,\n"
"        CMD's in the metadata) but argv[0]; paths, every path (exec\n"
"        and syscall paths, exe, fds and working directories at start,\n"
"        unix socket paths, arguments holding a '/'), each component\n"
"        replaced by '*' so that its depth stays (/home/a/b.txt ->\n"
"        /*/*/*); payload, packet bytes past the headers.  Comma-\n"
"        separated, repeatable; the metadata lists them (record.redact).\n"
"        Comms, cgroup paths and ktrail's own options are kept.\n"
"    --host-id NAME\n"
"        The name of this host in the capture's metadata (host.id), which\n"
"        `ktrail merge` uses to tell captures apart and to name threads\n"
"        (NAME:comm/tid).  Default: the hostname and the first 8 hex\n"
"        digits of the boot id, \"web1-3f2a9c01\".  1 to 63 characters:\n"
"        letters, digits, '.', '_' and '-'.\n"
"    --zstd LEVEL\n"
"        Compression level of the capture's frames.\n"
"    -q, --quiet\n"
"        No progress line and no summary (lost events are still reported).\n"
"    -h, --help\n"
"        This manual.\n"
"    -- CMD ARGS...\n"
"        Run CMD and record it and its descendants from its first\n"
"        instruction; stop when it exits.\n"
"    -u, --user USER\n"
"        With CMD: run it as USER (a name or a uid), with USER's groups,\n"
"        as strace -u does; the environment is left as it is.  Needs\n"
"        CAP_SETUID and CAP_SETGID (root).\n"
"\n"
"PRIVILEGES\n"
"    Recording needs CAP_BPF and CAP_PERFMON (root, or a copy of the\n"
"    binary given them with setcap cap_bpf,cap_perfmon=ep); --pcap also\n"
"    CAP_NET_RAW, -u also CAP_SETUID and CAP_SETGID.  Without\n"
"    CAP_SYS_PTRACE the exe, open fds and working directory of other\n"
"    users' processes are left out, and the metadata says so\n"
"    (record.missing).  Reading a capture needs no privilege\n"
"    (docs/record.md).\n"
"\n"
"EXIT STATUS\n"
"    0 on success; with CMD, CMD's exit status (128+N if killed by signal\n"
"    N), unless recording itself failed: then a 'ktrail record:' line on\n"
"    stderr says why first, and the status is 2 or 3.  2 for a usage error\n"
"    or bad input (no such pid, cgroup, interface or user, a bad filter,\n"
"    an existing FILE without --force); 3 when the system refused: a\n"
"    missing capability (CAP_BPF, CAP_PERFMON, CAP_NET_RAW with --pcap,\n"
"    CAP_SETUID/CAP_SETGID with -u), a program or attach\n"
"    the kernel rejected, out of memory, or FILE could not be created or\n"
"    written (docs/cli.md).\n"
"\n"
"EXAMPLES\n"
"    ktrail record -o boot.ktr -d 10s\n"
"    ktrail record -o build.ktr -- make -j4\n"
"    ktrail record -o db.ktr -p 1234 --follow -e sched,syscall,block\n"
"    ktrail record -o web.ktr --flight 30s --trigger exit!=0 --pcap eth0\n"
"    ktrail record -o ci.ktr --redact args,paths -u builder -- make test\n";

enum {
	OPT_FOLLOW = 256, OPT_CGROUP, OPT_SYSCALLS, OPT_FAULT, OPT_FLIGHT,
	OPT_FLIGHT_SIZE,
	OPT_TRIGGER, OPT_PCAP, OPT_SNAPLEN, OPT_PCAP_FILTER, OPT_ZSTD,
	OPT_FORCE, OPT_REDACT, OPT_HOST_ID,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "events", required_argument, NULL, 'e' },
	{ "pid", required_argument, NULL, 'p' },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "duration", required_argument, NULL, 'd' },
	{ "buffer-size", required_argument, NULL, 'm' },
	{ "syscalls", required_argument, NULL, OPT_SYSCALLS },
	{ "fault-sample", required_argument, NULL, OPT_FAULT },
	{ "flight", required_argument, NULL, OPT_FLIGHT },
	{ "flight-size", required_argument, NULL, OPT_FLIGHT_SIZE },
	{ "trigger", required_argument, NULL, OPT_TRIGGER },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
	{ "pcap-filter", required_argument, NULL, OPT_PCAP_FILTER },
	{ "zstd", required_argument, NULL, OPT_ZSTD },
	{ "redact", required_argument, NULL, OPT_REDACT },
	{ "user", required_argument, NULL, 'u' },
	{ "host-id", required_argument, NULL, OPT_HOST_ID },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_u32(const char *s, __u32 min, __u32 max, __u32 *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_pids(const char *s, pid_t *pids, size_t *n)
{
	char buf[4096], *tok, *save = NULL;
	__u32 v;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == KT_MAX_PIDS || parse_u32(tok, 1, INT_MAX, &v))
			return -EINVAL;
		pids[(*n)++] = v;
	}
	return *n ? 0 : -EINVAL;
}

static int parse_trigger(const char *s, struct kt_record_opts *o)
{
	if (!strcmp(s, "oom"))
		o->triggers |= KT_TRIG_OOM;
	else if (!strcmp(s, "exit!=0"))
		o->triggers |= KT_TRIG_EXIT;
	else if (!strncmp(s, "signal=", 7) &&
		 !parse_u32(s + 7, 1, 64, &o->trigger_signo))
		o->triggers |= KT_TRIG_SIGNAL;
	else
		return -EINVAL;
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static pid_t pids[KT_MAX_PIDS];
	struct kt_record_opts o = {
		.kind_mask = 0,
		.ring_bytes = KT_RING_DEFAULT,
		.fault_period = KT_FAULT_DEFAULT,
		.snaplen = KT_SNAPLEN_DEFAULT,
		.msg = stderr,
		.argc = argc,
		.argv = argv,
		.pids = pids,
	};
	struct kt_record_result res;
	struct kt_err err = { 0 };
	const char *events = NULL;
	char bad[64];
	__u64 net = 0;
	__u32 zl;
	bool flight_size = false;
	int c, ret;

	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (kt_kind_info(k) && kt_kind_info(k)->family == KT_FAM_NET)
			net |= KT_KIND_BIT(k);
	while ((c = getopt_long(argc, argv, "+:o:e:p:d:m:u:qh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		case 'e':
			events = optarg;
			break;
		case 'p':
			if (parse_pids(optarg, pids, &o.npids))
				return kt_usage_error("record", usage,
						      "-p '%s': not a pid list", optarg);
			o.scope = KT_REC_PIDS;
			break;
		case OPT_FOLLOW:
			o.follow = true;
			break;
		case OPT_CGROUP:
			o.cgroup = optarg;
			break;
		case 'd':
			if (kt_duration_parse(optarg, &o.duration_ns) ||
			    !o.duration_ns)
				return kt_usage_error("record", usage,
						      "-d '%s': not a duration", optarg);
			break;
		case 'm':
			if (kt_record_size_parse(optarg, &o.ring_bytes))
				return kt_usage_error("record", usage,
						      "-m '%s': not a size (4M, 64M)", optarg);
			break;
		case OPT_SYSCALLS:
			if (kt_record_syscalls_parse(optarg, bad, sizeof(bad)))
				return kt_usage_error("record", usage,
						      "--syscalls '%s': unknown syscall '%s'",
						      optarg, bad);
			o.syscalls = optarg;
			break;
		case OPT_FAULT:
			if (parse_u32(optarg, 1, UINT32_MAX, &o.fault_period))
				return kt_usage_error("record", usage,
						      "--fault-sample '%s': not a positive number", optarg);
			break;
		case OPT_FLIGHT:
			if (kt_duration_parse(optarg, &o.flight_ns) ||
			    !o.flight_ns)
				return kt_usage_error("record", usage,
						      "--flight '%s': not a duration", optarg);
			break;
		case OPT_FLIGHT_SIZE:
			if (kt_record_size_parse(optarg, &o.flight_bytes))
				return kt_usage_error("record", usage,
						      "--flight-size '%s': not a size (16M, 1G)", optarg);
			flight_size = true;
			break;
		case OPT_TRIGGER:
			if (parse_trigger(optarg, &o))
				return kt_usage_error("record", usage,
						      "--trigger '%s': not oom, exit!=0 or signal=N", optarg);
			break;
		case OPT_PCAP:
			o.pcap_iface = optarg;
			break;
		case OPT_SNAPLEN:
			if (parse_u32(optarg, 1, 262144, &o.snaplen))
				return kt_usage_error("record", usage,
						      "--snaplen '%s': not a number in 1..262144", optarg);
			break;
		case OPT_PCAP_FILTER:
			o.pcap_filter = optarg;
			break;
		case OPT_ZSTD:
			if (parse_u32(optarg, 1, 22, &zl))
				return kt_usage_error("record", usage,
						      "--zstd '%s': not a level in 1..22", optarg);
			o.zstd_level = (int)zl;
			break;
		case OPT_REDACT:
			if (kt_redact_parse(optarg, &o.redact, bad, sizeof(bad)))
				return kt_usage_error("record", usage,
						      "--redact '%s': unknown '%s' (args, paths or payload)",
						      optarg, bad);
			break;
		case 'u':
			o.user = optarg;
			break;
		case OPT_HOST_ID:
			if (!kt_host_id_valid(optarg))
				return kt_usage_error("record", usage,
						      "--host-id '%s': not a host id (1 to %d of A-Z a-z 0-9 . _ -)",
						      optarg, KT_HOST_ID_MAX);
			o.host_id = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			return kt_help(help);
		default:
			return kt_opt_error("record", usage, argv, c);
		}
	}
	if (!o.out && o.force)
		return kt_usage_error("record", usage, "--force: needs -o FILE");
	if (!o.out) {
		o.out = KT_RECORD_DEFAULT_OUT;
		o.keep_old = true;
	}
	if (!o.out[0])
		return kt_usage_error("record", usage, "-o '': not a file name");
	if (optind < argc) {
		o.cmd = argv + optind;
		if (o.scope == KT_REC_PIDS || o.cgroup)
			return kt_usage_error("record", usage,
					      "-- CMD: cannot be combined with -p or --cgroup");
		o.scope = KT_REC_CMD;
	}
	if (o.cgroup) {
		if (o.scope == KT_REC_PIDS)
			return kt_usage_error("record", usage,
					      "--cgroup: cannot be combined with -p");
		o.scope = KT_REC_CGROUP;
	}
	if (o.user && o.scope != KT_REC_CMD)
		return kt_usage_error("record", usage, "-u: needs -- CMD");
	if (o.follow && o.scope != KT_REC_PIDS)
		return kt_usage_error("record", usage, "--follow: needs -p");
	if (o.triggers && !o.flight_ns)
		return kt_usage_error("record", usage, "--trigger: needs --flight");
	if (flight_size && !o.flight_ns)
		return kt_usage_error("record", usage, "--flight-size: needs --flight");
	if (o.flight_ns && !flight_size)
		o.flight_bytes = KT_FLIGHT_BYTES_DEFAULT;
	if ((o.snaplen != KT_SNAPLEN_DEFAULT || o.pcap_filter) && !o.pcap_iface)
		return kt_usage_error("record", usage, "%s: needs --pcap",
				      o.pcap_filter ? "--pcap-filter" : "--snaplen");
	if (events) {
		if (kt_families_parse(events, &o.kind_mask, bad, sizeof(bad)))
			return kt_usage_error("record", usage,
					      "-e '%s': unknown family '%s'", events,
					      bad);
		if ((o.kind_mask & net) && !o.pcap_iface &&
		    strcmp(events, "all"))
			return kt_usage_error("record", usage,
					      "-e '%s': the net family needs --pcap IFACE",
					      events);
	} else {
		kt_families_parse("all", &o.kind_mask, NULL, 0);
	}
	if (o.pcap_iface)
		o.kind_mask |= net;
	else
		o.kind_mask &= ~net;
	/* ktrail's own failure comes first, whatever CMD did: its line on
	 * stderr tells a 2 or 3 of ktrail from CMD's */
	ret = kt_record(&o, &res, &err);
	if (ret)
		return kt_fail("record", NULL, ret, KT_ERR_SYSTEM, &err);
	return res.cmd_ran ? res.exit_status : KT_EXIT_OK;
}
