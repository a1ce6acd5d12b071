// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mini.c - fuzz_capture (fuzz.h): a small finished capture written with
 * the real writer into a memfd, for the targets that run an analysis on
 * what they parsed (rules, metadata).  Not a target itself.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "format/format.h"
#include "analyze/names.h"
#include "tests/fuzz/fuzz.h"

#define T0 1000000000000ULL
#define MS 1000000ULL
#define REAL0 1795428000000000000LL     /* 2026-11-23T10:00:00Z */

static const struct {
	__u32 tid, pid, ppid;
	const char *comm;
} procs[] = {
	{ 100, 100, 1, "sh" }, { 200, 200, 100, "dd" },
	{ 300, 300, 100, "worker" }, { 301, 300, 100, "worker" },
	{ 400, 400, 1, "victim" },
};

static int add_tasks(struct kt_writer *w)
{
	for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		struct kt_task t = {
			.utid = i + 1, .tid = procs[i].tid, .pid = procs[i].pid,
			.ppid = procs[i].ppid, .flags = KT_TASK_SNAPSHOT,
			.comm = procs[i].comm, .exe = "/bin/x", .cmdline = "x",
			.cmdline_len = 2, .cgroup = "/",
		};
		int rc = kt_writer_task(w, &t);

		if (rc)
			return rc;
	}
	return 0;
}

static struct kt_event ev(__u64 ms, unsigned kind, __u32 tid, __u32 pid)
{
	struct kt_event e = { .ts = T0 + ms * MS, .tid = tid, .pid = pid,
			      .kind = kind, .cpu = tid % 2 };
	return e;
}

static int add_events(struct kt_writer *w)
{
	struct kt_event e[12];
	size_t n = 0;
	int rc = 0;

	for (unsigned s = 0; s < 3; s++) {
		e[n] = ev(s * 1000, KT_CLOCK_SYNC, 0, 0);
		e[n].clk.realtime_ns = REAL0 + s * 1000 * MS + s * 7;
		e[n++].clk.boottime_ns = T0 + s * 1000 * MS + 5;
	}
	e[n] = ev(100, KT_SYSCALL, 200, 200);   /* a slow fsync */
	e[n].sys.nr = kt_syscall_nr("fsync");
	e[n++].sys.dur = 52 * MS;
	e[n] = ev(1500, KT_SYSCALL, 300, 300);  /* an idle read */
	e[n].sys.nr = kt_syscall_nr("read");
	e[n++].sys.dur = 1200 * MS;
	e[n] = ev(600, KT_SYSCALL, 301, 300);   /* a refused connect */
	e[n].sys.nr = kt_syscall_nr("connect");
	e[n].sys.ret = -111;
	e[n++].sys.dur = MS;
	e[n] = ev(700, KT_TCP_RETRANS, 0, 0);
	e[n].tcp.sock = 7;
	e[n].tcp.family = 2;
	e[n].tcp.sport = 41000;
	e[n].tcp.dport = 80;
	e[n].tcp.owner_tid = e[n].tcp.owner_pid = 301;
	e[n++].tcp.newstate = 1;
	e[n] = ev(800, KT_OOM_VICTIM, 100, 100);
	e[n].oom.victim_tid = e[n].oom.victim_pid = 400;
	e[n++].oom.victim_comm_str = kt_writer_str(w, "victim", 6);
	e[n] = ev(900, KT_LOST, 0, 0);
	e[n].lost.family = KT_FAM_SCHED;
	e[n++].lost.count = 5;
	e[n] = ev(1800, KT_PROC_EXIT, 200, 200);        /* exit 3 */
	e[n].exit.exit_code = 3 << 8;
	e[n++].exit.flags = KT_EXIT_GROUP;
	e[n] = ev(1900, KT_PROC_EXIT, 300, 300);        /* SIGKILL */
	e[n].exit.exit_code = 9;
	e[n++].exit.flags = KT_EXIT_GROUP;
	for (size_t i = 0; i < n && !rc; i++)
		rc = kt_writer_add(w, &e[i]);
	return rc;
}

int fuzz_capture(const json_t *start, const json_t *end)
{
	json_t *m = NULL, *x = NULL;
	struct kt_writer *w;
	int fd, rc;

	fd = memfd_create("fuzz-capture", 0);
	if (fd < 0)
		return -1;
	if (!start)
		start = m = json_pack("{s:s, s:{s:s, s:s}, s:{s:[{s:I, s:I, s:I}]}}",
				      "ktrail_version", "fuzz", "record",
				      "families", "all", "scope", "host",
				      "clock", "anchors", "mono_ns", (json_int_t)T0,
				      "realtime_ns", (json_int_t)REAL0,
				      "boottime_ns", (json_int_t)T0);
	if (!end)
		end = x = json_pack("{s:{s:I}}", "lost", "total", (json_int_t)5);
	rc = kt_writer_open_fd(&w, dup(fd), "fuzz", NULL, start);
	if (!rc) {
		rc = add_tasks(w) ?: add_events(w);
		if (rc)
			kt_writer_abort(w);
		else
			rc = kt_writer_close(w, end);
	}
	json_decref(m);
	json_decref(x);
	if (rc) {
		close(fd);
		return -1;
	}
	return fd;
}
