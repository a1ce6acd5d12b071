// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why --exit: how a process ended, from a written capture (issue 10 §8).
 *
 * The truth scenario's shape: P (100, child of 99) forks A (101) and B
 * (102); A execs /bin/fail, fails an openat and exits 3; P reaps it,
 * SIGKILLs B, reaps it, fails an openat itself and exits 3.  The first
 * failure is A's exit(3); B's death is P's own doing, not a failure.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "format/format.h"
#include "analyze/fmt.h"
#include "analyze/why.h"

struct xw {
	struct kt_writer *w;
	int err;
};

static struct kt_event ev_of(unsigned kind, __u64 ts, __u32 tid, __u32 pid)
{
	struct kt_event e = { .ts = ts, .tid = tid, .pid = pid, .kind = kind };

	return e;
}

static void put(struct xw *x, const struct kt_event *e)
{
	if (!x->err)
		x->err = kt_writer_add(x->w, e);
}

static __u32 str(struct xw *x, const char *s)
{
	return kt_writer_str(x->w, s, strlen(s));
}

static void fork_(struct xw *x, __u64 ts, __u32 parent, __u32 child)
{
	struct kt_event e = ev_of(KT_PROC_FORK, ts, parent, parent);

	e.fork.child_tid = e.fork.child_pid = child;
	put(x, &e);
}

static void exit_(struct xw *x, __u64 ts, __u32 pid, int code)
{
	struct kt_event e = ev_of(KT_PROC_EXIT, ts, pid, pid);

	e.exit.exit_code = code;
	e.exit.flags = KT_EXIT_GROUP;
	put(x, &e);
}

static void sig_(struct xw *x, __u64 ts, __u32 sender, __u32 target,
		 unsigned signo, int code)
{
	struct kt_event e = ev_of(KT_SIGNAL_GEN, ts, sender, sender);

	e.sig.target_tid = e.sig.target_pid = target;
	e.sig.signo = signo;
	e.sig.code = code;
	put(x, &e);
}

static void sys_(struct xw *x, __u64 end, __u32 pid, unsigned nr, __u64 dur,
		 __s64 ret, const char *path)
{
	struct kt_event e = ev_of(KT_SYSCALL, end, pid, pid);

	e.sys.nr = nr;
	e.sys.dur = dur;
	e.sys.ret = ret;
	if (nr == SYS_kill) {
		e.sys.arg[0] = 102;
		e.sys.arg[1] = SIGKILL;
	}
	if (path)
		e.sys.str = str(x, path);
	put(x, &e);
}

static int task(struct xw *x, __u32 pid, __u32 ppid, const char *comm)
{
	struct kt_task t = { .tid = pid, .pid = pid, .ppid = ppid, .comm = comm,
			     .exe = "", .cmdline = "", .cgroup = "",
			     .flags = KT_TASK_SNAPSHOT };

	return kt_writer_task(x->w, &t);
}

/* How B ends and who killed it: @b_killer 100 is P itself (the truth
 * scenario), another pid a failure; @a_code A's exit status; @p_sig a
 * signal that kills P at the end (0: P exits 3). */
static struct kt_reader *capture_(const char *name, __u32 b_killer,
				  int a_code, unsigned p_sig, bool lose_wait)
{
	struct kt_reader *r = NULL;
	struct xw x = { 0 };
	struct kt_event e;
	struct kt_err err;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.ktr", kt_test_tmpdir(), name);
	if (kt_writer_open(&x.w, path, NULL, NULL))
		return NULL;
	x.err = task(&x, 99, 1, "sh") ?: task(&x, 100, 99, "parent");
	fork_(&x, 1000, 100, 101);
	fork_(&x, 1100, 100, 102);
	e = ev_of(KT_PROC_EXEC, 2000, 101, 101);
	e.exec.filename_str = str(&x, "/bin/fail");
	e.exec.comm_str = str(&x, "fail");
	put(&x, &e);
	sys_(&x, 2500, 101, SYS_openat, 100, -ENOENT, "/missing");
	exit_(&x, 3000, 101, a_code << 8);
	sig_(&x, 3100, 101, 100, SIGCHLD, 1);
	if (!lose_wait)
		sys_(&x, 3200, 100, SYS_wait4, 3000, 101, NULL);
	sig_(&x, 3300, b_killer, 102, SIGKILL, 0);
	sys_(&x, 3310, 100, SYS_kill, 20, 0, NULL);
	exit_(&x, 3400, 102, SIGKILL);
	sys_(&x, 3500, 100, SYS_wait4, 100, 102, NULL);
	sys_(&x, 3600, 100, SYS_openat, 50, -EACCES, "/etc/secret");
	if (p_sig)
		sig_(&x, 3900, 99, 100, p_sig, 0);
	exit_(&x, 4000, 100, p_sig ? (int)p_sig : 3 << 8);
	if (x.err) {
		kt_writer_abort(x.w);
		return NULL;
	}
	if (kt_writer_close(x.w, NULL) || kt_reader_open(&r, path, 0, &err))
		return NULL;
	return r;
}

static struct kt_reader *capture(const char *name, __u32 b_killer,
				 int a_code, unsigned p_sig)
{
	return capture_(name, b_killer, a_code, p_sig, false);
}

static const char *text_of(const struct kt_why_exit *x, struct kt_out *o)
{
	if (kt_out_init(o, -1, 0) || kt_why_exit_print(o, x))
		return "";
	kt_out_ch(o, 0);
	return o->buf;
}

KT_TEST(causal_why_exit_first_failure)
{
	struct kt_reader *r = capture("exit_truth", 100, 3, 0);
	struct kt_out o = { 0 };
	struct kt_why_exit x;
	struct kt_err err;
	const char *t;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_exit(r, 100, &x, &err), "exit");
	KT_ASSERT(x.first_kind == KT_WHY_F_EXIT &&
		  x.procs[x.first_proc].pid == 101, "first failure: %u of %u",
		  x.first_kind, x.procs[x.first_proc].pid);
	KT_ASSERT(x.nchain == 2 && x.procs[x.chain[0]].pid == 100 &&
		  x.procs[x.chain[1]].pid == 101, "chain P -> A");
	KT_ASSERT(x.nreaps == 2 && x.reaps[0].child == 101 &&
		  x.reaps[1].child == 102 && x.reaps[1].nr == SYS_wait4,
		  "reaped A and B: %zu", x.nreaps);
	KT_ASSERT(x.reaps[0].failed && !x.reaps[1].failed,
		  "A failed; B, killed by its parent, did not");
	KT_ASSERT(x.procs[0].nfails == 1 && x.procs[0].fails[0].ret == -EACCES,
		  "P's failing openat");
	t = text_of(&x, &o);
	KT_ASSERT(strstr(t, "root cause: process 101 (fail/101), a child of 100, exited with status 3 after its exec of /bin/fail: the first failure\n"),
		  "root line: %s", t);
	KT_ASSERT(strstr(t, "its last failing syscall: openat(\"/missing\") = -ENOENT"),
		  "A's openat: %s", t);
	KT_ASSERT(strstr(t, "signal SIGKILL, sent by parent/100 (pid 100, this process)"),
		  "B killed by P itself: %s", t);
	KT_ASSERT(strstr(t, "SIGCHLD from the kernel (101 ended)"), "SIGCHLD: %s", t);
	kt_out_release(&o);
	kt_why_exit_release(&x);
	kt_reader_close(r);
	return KT_PASS;
}

/* A reap whose record is missing (a lost record, waitid(P_ALL)): a
 * child that ended before its parent is taken as reaped at its end, and
 * the answer says so. */
KT_TEST(causal_why_exit_reap_not_recorded)
{
	struct kt_reader *r = capture_("exit_nowait", 100, 3, 0, true);
	struct kt_out o = { 0 };
	struct kt_why_exit x;
	struct kt_err err;
	const char *t;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_exit(r, 100, &x, &err), "exit");
	KT_ASSERT(x.nreaps == 2 && x.reaps[0].child == 101 && !x.reaps[0].nr &&
		  x.reaps[0].ts == 3000 && x.reaps[1].nr == SYS_wait4,
		  "A implied at its end, B recorded: %zu", x.nreaps);
	KT_ASSERT(x.first_kind == KT_WHY_F_EXIT &&
		  x.procs[x.first_proc].pid == 101, "first failure: A");
	t = text_of(&x, &o);
	KT_ASSERT(strstr(t, "(no wait4/waitid record returned 101: it ended before 100, which is taken to have reaped it)"),
		  "says so: %s", t);
	kt_out_release(&o);
	kt_why_exit_release(&x);
	kt_reader_close(r);
	return KT_PASS;
}

/* A child killed by a signal its parent did not send failed: the first
 * failure when it came first (A exited 0 here). */
KT_TEST(causal_why_exit_child_killed_by_another)
{
	struct kt_reader *r = capture("exit_other", 99, 0, 0);
	struct kt_why_exit x;
	struct kt_err err;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_exit(r, 100, &x, &err), "exit");
	KT_ASSERT(x.first_kind == KT_WHY_F_SIGNAL &&
		  x.procs[x.first_proc].pid == 102 && x.first_sig >= 0 &&
		  x.sigs[x.first_sig].sender_pid == 99 &&
		  !x.sigs[x.first_sig].by_kernel, "B killed by 99: kind %u pid %u",
		  x.first_kind, x.procs[x.first_proc].pid);
	kt_why_exit_release(&x);
	kt_reader_close(r);
	/* both failed: the earlier, A's exit(3) at 3000 before B's at 3400 */
	r = capture("exit_both", 99, 3, 0);
	KT_ASSERT(r, "capture both");
	KT_ASSERT(!kt_why_exit(r, 100, &x, &err), "exit both");
	KT_ASSERT(x.reaps[0].failed && x.reaps[1].failed &&
		  x.procs[x.first_proc].pid == 101, "first: %u",
		  x.procs[x.first_proc].pid);
	kt_why_exit_release(&x);
	kt_reader_close(r);
	return KT_PASS;
}

/* A process killed by a signal ended by it, whatever failed before. */
KT_TEST(causal_why_exit_killed)
{
	struct kt_reader *r = capture("exit_killed", 100, 3, SIGTERM);
	struct kt_why_exit x;
	struct kt_err err;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_exit(r, 100, &x, &err), "exit");
	KT_ASSERT(x.first_kind == KT_WHY_F_SIGNAL && x.first_proc == 0 &&
		  x.first_sig >= 0 && x.sigs[x.first_sig].signo == SIGTERM,
		  "P killed by SIGTERM: kind %u proc %zu", x.first_kind,
		  x.first_proc);
	kt_why_exit_release(&x);
	/* a process still running at the end: its end is not in it */
	KT_ASSERT(kt_why_exit(r, 99, &x, &err) == -ENOENT, "99 did not end");
	kt_why_exit_release(&x);
	kt_reader_close(r);
	return KT_PASS;
}

/* An OOM kill: SIGKILL with SI_KERNEL, and the OOM event naming the
 * victim: the kernel (OOM killer), the memory cgroup and the rss. */
KT_TEST(causal_why_exit_oom)
{
	struct kt_reader *r = NULL;
	struct kt_out o = { 0 };
	struct xw x = { 0 };
	struct kt_why_exit w;
	struct kt_event e;
	struct kt_err err;
	char path[256];
	const char *t;

	snprintf(path, sizeof(path), "%s/exit_oom.ktr", kt_test_tmpdir());
	KT_ASSERT(!kt_writer_open(&x.w, path, NULL, NULL), "open");
	x.err = task(&x, 200, 199, "hog");
	sig_(&x, 1000, 200, 200, SIGKILL, 0x80 /* SI_KERNEL */);
	e = ev_of(KT_OOM_VICTIM, 1002, 200, 200);
	e.oom.victim_tid = e.oom.victim_pid = 200;
	e.oom.memcg_str = str(&x, "/mycg");
	e.oom.anon_rss_kb = 1000;
	e.oom.file_rss_kb = 200;
	e.oom.total_vm_kb = 5000;
	put(&x, &e);
	exit_(&x, 1100, 200, SIGKILL);
	KT_ASSERT(!x.err && !kt_writer_close(x.w, NULL), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "read");
	KT_ASSERT(!kt_why_exit(r, 200, &w, &err), "exit");
	KT_ASSERT(w.first_kind == KT_WHY_F_SIGNAL && w.first_sig == 0 &&
		  w.sigs[0].by_kernel && w.procs[0].oom &&
		  !strcmp(w.procs[0].memcg, "/mycg"), "OOM kill");
	t = text_of(&w, &o);
	KT_ASSERT(strstr(t, "root cause: process 200 (hog/200) was killed by SIGKILL from the kernel (OOM killer) in memory cgroup /mycg at rss 1200 kB\n"),
		  "root line: %s", t);
	kt_out_release(&o);
	kt_why_exit_release(&w);
	kt_reader_close(r);
	return KT_PASS;
}
