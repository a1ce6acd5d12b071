// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* summary: the anomalies of a written capture, their order and commands;
 * the shell quoting of the commands. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "format/format.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "analyze/summary.h"
#include "analyze/why.h"

#define MS 1000000ULL

static int write_events(const char *path, const struct kt_event *ev, size_t n)
{
	struct kt_writer *w;
	int err = kt_writer_open(&w, path, NULL, NULL);

	for (size_t i = 0; !err && i < n; i++)
		err = kt_writer_add(w, &ev[i]);
	if (!err)
		return kt_writer_close(w, NULL);
	kt_writer_abort(w);
	return err;
}

static struct kt_event sys_ev(__u64 end, __u32 pid, __u32 nr, __u64 dur,
			      __s64 ret)
{
	struct kt_event e = { .ts = end, .tid = pid, .pid = pid,
			      .kind = KT_SYSCALL };

	e.sys.nr = nr;
	e.sys.dur = dur;
	e.sys.ret = ret;
	return e;
}

static struct kt_event exit_ev(__u64 ts, __u32 pid, __s32 code)
{
	struct kt_event e = { .ts = ts, .tid = pid, .pid = pid,
			      .kind = KT_PROC_EXIT };

	e.exit.exit_code = code;
	e.exit.flags = KT_EXIT_GROUP;
	return e;
}

static struct kt_event kill_ev(__u64 ts, __u32 from, __u32 to, __u32 signo)
{
	struct kt_event e = { .ts = ts, .tid = from, .pid = from,
			      .kind = KT_SIGNAL_GEN };

	e.sig.target_pid = to;
	e.sig.target_tid = to;
	e.sig.signo = signo;
	return e;
}

/* The capture every test here reads (times in ms):
 *   pid 400: a read of 10 ms that began before the capture (partly seen)
 *   pid 200: openat ENOENT x3, an epoll_wait of 50 ms (idle), a read of
 *            5 ms, a getppid
 *   pid 100: openat ENOENT x1, exits 3
 *   pid 300: an fsync of 2 ms and one of 2 ms later (the first is the
 *            slowest: ties go to the earliest), a pause interrupted
 *            (ERESTARTNOHAND: no failure)
 *   pid 102 kills pid 101 with SIGKILL, which dies of it */
static int capture(char *path, size_t sz)
{
	struct kt_event ev[32];
	size_t n = 0;

	snprintf(path, sz, "%s/summary.ktr", kt_test_tmpdir());
	ev[n++] = sys_ev(5 * MS, 400, SYS_read, 10 * MS, 64);
	for (int i = 0; i < 3; i++)
		ev[n++] = sys_ev(6 * MS + i, 200, SYS_openat, 1000, -ENOENT);
	ev[n++] = sys_ev(7 * MS, 100, SYS_openat, 2000, -ENOENT);
	ev[n++] = sys_ev(60 * MS, 200, SYS_epoll_wait, 50 * MS, 1);
	ev[n++] = sys_ev(61 * MS, 300, SYS_fsync, 2 * MS, 0);
	ev[n++] = sys_ev(64 * MS, 200, SYS_read, 5 * MS, 64);
	ev[n++] = sys_ev(65 * MS, 300, SYS_fsync, 2 * MS, 0);
	ev[n++] = sys_ev(66 * MS, 300, SYS_pause, 1 * MS, -514);
	ev[n++] = sys_ev(67 * MS, 200, SYS_getppid, 100, 1);
	ev[n++] = kill_ev(70 * MS, 102, 101, SIGKILL);
	ev[n++] = exit_ev(71 * MS, 101, SIGKILL);
	ev[n++] = exit_ev(72 * MS, 100, 3 << 8);
	return write_events(path, ev, n);
}

/* the anomalies of @kind, in order, as "pid:what" lines */
static void lines(const struct kt_summary *s, unsigned kind, char *buf,
		  size_t sz)
{
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < s->n && used < sz; i++)
		if (s->v[i].kind == kind)
			used += snprintf(buf + used, sz - used, "%u:%s\n",
					 s->v[i].pid, s->v[i].what);
}

KT_TEST(summary_anomalies)
{
	struct kt_summary s;
	struct kt_reader *r;
	struct kt_err err = { 0 };
	char path[256], got[2048], cmd[512];

	KT_ASSERT(!capture(path, sizeof(path)), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_summary_build(r, NULL, &s, &err), "build: %s", err.msg);

	lines(&s, KT_AN_SIGNAL, got, sizeof(got));
	KT_ASSERT(!strcmp(got, "101:?[101] was killed by SIGKILL from ?[102]\n"),
		  "signals:\n%s", got);
	lines(&s, KT_AN_EXIT, got, sizeof(got));
	KT_ASSERT(!strcmp(got, "100:?[100] exited with status 3\n"),
		  "exits:\n%s", got);
	/* the process that failed first, though it failed fewer times */
	lines(&s, KT_AN_ERRNO, got, sizeof(got));
	KT_ASSERT(!strcmp(got, "100:?[100] openat failed with ENOENT 1 time\n"
			       "200:?[200] openat failed with ENOENT 3 times\n"),
		  "errno (the restarted pause is no failure):\n%s", got);
	/* no idle wait, no partly seen syscall, the earliest of a tie */
	lines(&s, KT_AN_SLOW, got, sizeof(got));
	KT_ASSERT(!strcmp(got, "200:?[200] read took 5.000 ms at 0.059000000\n"
			       "300:?[300] fsync took 2.000 ms at 0.059000000\n"),
		  "slow:\n%s", got);
	for (size_t i = 0; i < s.n; i++) {
		if (s.v[i].kind != KT_AN_SLOW || s.v[i].pid != 200)
			continue;
		kt_anom_command(cmd, sizeof(cmd), &s.v[i], "my capture.ktr");
		KT_ASSERT(!strcmp(cmd, "ktrail why 'my capture.ktr' --pid 200 "
				  "--slowest --syscall read"), "command %s", cmd);
	}
	KT_ASSERT(s.nkind[KT_AN_TCP] == 0 && s.nkind[KT_AN_DISK] == 0 &&
		  s.nkind[KT_AN_LOST] == 0 && s.nkind[KT_AN_OOM] == 0,
		  "anomalies that are not there");
	kt_summary_release(&s);

	/* --pid: only their anomalies */
	KT_ASSERT(!kt_summary_build(r, &(struct kt_summary_opts){
				    .pids = (__u32[]){ 200 }, .npids = 1 },
				    &s, &err), "build --pid");
	KT_ASSERT(s.n == 2 && s.v[0].pid == 200 && s.v[1].pid == 200,
		  "--pid 200: %zu anomalies", s.n);
	kt_summary_release(&s);
	KT_ASSERT(!kt_summary_build(r, &(struct kt_summary_opts){
				    .pids = (__u32[]){ 101, 300 }, .npids = 2 },
				    &s, &err), "build --pid 101,300");
	KT_ASSERT(s.n == 2 && s.v[0].pid == 101 && s.v[1].pid == 300,
		  "--pid 101,300: %zu anomalies", s.n);
	kt_summary_release(&s);
	kt_reader_close(r);
	return KT_PASS;
}

/* The summary's slowest syscall is the span `why --slowest --syscall`
 * explains. */
KT_TEST(summary_slow_is_whys)
{
	struct kt_why_opts o = { .pid = 300, .sys_nr = SYS_fsync };
	struct kt_why_span sp;
	struct kt_summary s;
	struct kt_reader *r;
	struct kt_err err = { 0 };
	char path[256];

	KT_ASSERT(!capture(path, sizeof(path)), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_summary_build(r, NULL, &s, &err), "build: %s", err.msg);
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick");
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].kind == KT_AN_SLOW && s.v[i].pid == 300)
			KT_ASSERT(s.v[i].ts == sp.start &&
				  s.v[i].ns == sp.end - sp.start &&
				  s.v[i].nr == SYS_fsync,
				  "summary %llu+%llu, why %llu..%llu",
				  (unsigned long long)s.v[i].ts,
				  (unsigned long long)s.v[i].ns,
				  (unsigned long long)sp.start,
				  (unsigned long long)sp.end);
	kt_summary_release(&s);
	kt_reader_close(r);
	return KT_PASS;
}

KT_TEST(summary_shell_word)
{
	static const char *const cases[][2] = {
		{ "x.ktr", "x.ktr" },
		{ "/tmp/a-b_c/d.ktr", "/tmp/a-b_c/d.ktr" },
		{ "my file.ktr", "'my file.ktr'" },
		{ "it's", "'it'\\''s'" },
		{ "", "''" },
		{ "a;b", "'a;b'" },
		{ "$HOME", "'$HOME'" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kt_fmt_shell_word(buf, sizeof(buf), cases[i][0]);
		KT_ASSERT(!strcmp(buf, cases[i][1]), "%s -> %s, want %s",
			  cases[i][0], buf, cases[i][1]);
	}
	kt_fmt_shell_word(buf, 6, "it's a word");
	KT_ASSERT(!strcmp(buf, "'it'\\"), "truncated: %s", buf);
	return KT_PASS;
}

KT_TEST(summary_shell_argv)
{
	json_t *argv = json_pack("[s,s,s,s,s]", "sh", "-c",
				 "tar czf x.tgz . 2>/dev/null; sync", "--",
				 "a'b");
	char buf[128];

	KT_ASSERT(argv, "json");
	kt_fmt_shell_argv(buf, sizeof(buf), argv);
	json_decref(argv);
	KT_ASSERT(!strcmp(buf, "sh -c 'tar czf x.tgz . 2>/dev/null; sync' -- "
			  "'a'\\''b'"), "%s", buf);
	return KT_PASS;
}

/* A capture recorded without some families says what it cannot tell. */
KT_TEST(summary_notes)
{
	json_t *meta = json_pack("{s:{s:s}}", "record", "families", "sched,proc");
	struct kt_event ev = exit_ev(1000, 7, 3 << 8);
	struct kt_summary s;
	struct kt_writer *w;
	struct kt_reader *r;
	struct kt_err err = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "%s/notes.ktr", kt_test_tmpdir());
	KT_ASSERT(meta && !kt_writer_open(&w, path, NULL, meta), "open");
	json_decref(meta);
	KT_ASSERT(!kt_writer_add(w, &ev) && !kt_writer_close(w, NULL), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_summary_build(r, NULL, &s, &err), "build");
	KT_ASSERT(s.nnotes == 1 && !strcmp(s.notes[0],
		  "not recorded (-e sched,proc): signal (who sent fatal signals), "
		  "syscall (failed and slow syscalls), tcp (refused connections, "
		  "resets, retransmits), block (disk latency), oom (OOM kills)"),
		  "notes: %zu: %s", s.nnotes, s.nnotes ? s.notes[0] : "");
	KT_ASSERT(s.nkind[KT_AN_EXIT] == 1, "the exit is still there");
	kt_summary_release(&s);
	kt_reader_close(r);
	return KT_PASS;
}

static struct kt_event reset_ev(__u64 ts, __u32 pid, __u32 flags,
				__u32 state, __u32 owner, __u32 sport,
				__u32 dport)
{
	struct kt_event e = { .ts = ts, .tid = pid, .pid = pid,
			      .kind = KT_TCP_RESET };

	e.tcp.family = AF_INET;
	e.tcp.saddr[0] = htonl(0x0ad50702);     /* 10.213.7.2 */
	e.tcp.daddr[0] = htonl(0x0ad50701);     /* 10.213.7.1 */
	e.tcp.sport = sport;
	e.tcp.dport = dport;
	e.tcp.flags = flags;
	e.tcp.newstate = e.tcp.oldstate = state;
	e.tcp.sock = state ? 0x1234 : 0;
	e.tcp.owner_tid = e.tcp.owner_pid = owner;
	return e;
}

/* A reset the kernel sent for a SYN that matched no socket (a connect to
 * a closed port) belongs to no process, whichever task the soft irq
 * interrupted (here the client, pid 500, as over veth or loopback); the
 * reset the client received is the client's. */
KT_TEST(summary_reset_no_socket)
{
	struct kt_event ev[2] = {
		reset_ev(1000, 500, KT_TCP_RESET_SENT, 0, 0, 7001, 45120),
		reset_ev(2000, 500, KT_TCP_RESET_RECEIVED, 2 /* SYN_SENT */,
			 500, 45120, 7001),
	};
	struct kt_summary s;
	struct kt_reader *r;
	struct kt_err err = { 0 };
	char path[256], got[1024];

	ev[1].tcp.saddr[0] = ev[0].tcp.daddr[0];
	ev[1].tcp.daddr[0] = ev[0].tcp.saddr[0];
	snprintf(path, sizeof(path), "%s/reset.ktr", kt_test_tmpdir());
	KT_ASSERT(!write_events(path, ev, 2), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_summary_build(r, NULL, &s, &err), "build: %s", err.msg);
	lines(&s, KT_AN_TCP, got, sizeof(got));
	KT_ASSERT(!strcmp(got, "0:the kernel: reset sent from 10.213.7.2:7001 "
			  "(no socket there) to 10.213.7.1:45120, 1 time\n"
			  "500:?[500] reset received from 10.213.7.2:7001, "
			  "1 time\n"), "tcp:\n%s", got);
	kt_summary_release(&s);
	kt_reader_close(r);
	return KT_PASS;
}
