// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why: the spans a timeline shows (issue 10 §6): CPU stretches for --at
 * and --slowest, the --slowest rank, waits in no syscall, --from/--to
 * with the thread chosen, and identifying a thread that is not the
 * process's.  Each picks from a written capture, as `ktrail why` does.
 *
 * The stream: process 10 with threads 10 (main), 11 (worker) and 12;
 * process 20 (a spinner).  cpu0:
 *   1000   11 runs (getppid [1100, 1200) inside)
 *   2000   preempted by 20          5000   11 runs again
 *   6000   preempted by 20          9000   11 runs again
 *   10000  11 sleeps in futex [9950, 16950); 20 runs
 *   16000  20 wakes 11              16900  11 runs; it wakes 10 at 50000
 *   60000  11 sleeps (no record)
 * So 11's first CPU stretch is [1000, 10000): running 3000 ns, runnable
 * 6000 ns on cpu0 while 20 ran.  cpu1:
 *   300    10 runs
 *   500    10 sleeps in futex [400, 50100) (pthread_join)
 *   29000  12 runs                  30000  12 blocked (D), in no syscall
 *   45000  an interrupt wakes 12    45100  12 runs; getpid [46500, 47000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "analyze/fmt.h"
#include "analyze/why.h"
#include "analyze/why_int.h"

#define R KT_STATE_RUNNABLE
#define S KT_STATE_SLEEPING
#define D KT_STATE_DISK

static void stream(struct cs *s, bool lose_switch)
{
	cs_init(s);
	cs_task(s, 10, 10, "main");
	cs_task(s, 11, 10, "worker");
	cs_task(s, 12, 10, "faulter");
	cs_task(s, 20, 20, "spinner");
	cs_switch(s, 300, 1, 0, R, 10);
	cs_switch(s, 500, 1, 10, S, 0);
	cs_switch(s, 1000, 0, 0, R, 11);
	cs_sys(s, 1200, 0, 11, SYS_getppid, 100, 10, 0, 0, 0);
	cs_switch(s, 2000, 0, 11, R, 20);
	/* a lost switch: 11 is next seen leaving cpu0 at 6000 */
	if (!lose_switch)
		cs_switch(s, 5000, 0, 20, R, 11);
	cs_switch(s, 6000, 0, 11, R, 20);
	cs_switch(s, 9000, 0, 20, R, 11);
	cs_switch(s, 10000, 0, 11, S, 20);
	cs_wake(s, 16000, 0, 20, 11, KT_CTX_TASK);
	cs_switch(s, 16900, 0, 20, R, 11);
	cs_sys(s, 16950, 0, 11, SYS_futex, 7000, 0, 0, 0, KT_SYSCALL_BLOCKED);
	cs_switch(s, 29000, 1, 0, R, 12);
	cs_switch(s, 30000, 1, 12, D, 0);
	cs_wake(s, 45000, 1, 0, 12, KT_CTX_HARDIRQ);
	cs_switch(s, 45100, 1, 0, R, 12);
	cs_sys(s, 47000, 1, 12, SYS_getpid, 500, 12, 0, 0, 0);
	cs_wake(s, 50000, 0, 11, 10, KT_CTX_TASK);
	cs_switch(s, 50050, 1, 12, S, 10);
	cs_sys(s, 50100, 1, 10, SYS_futex, 49700, 0, 0, 0, KT_SYSCALL_BLOCKED);
	cs_switch(s, 60000, 0, 11, S, 20);
}

static struct kt_reader *capture(bool lose_switch, const char *name)
{
	struct kt_reader *r = NULL;
	struct kt_err err;
	char path[256];
	struct cs s;

	stream(&s, lose_switch);
	snprintf(path, sizeof(path), "%s/%s.ktr", kt_test_tmpdir(), name);
	if (cs_write(&s, path, 0) || kt_reader_open(&r, path, 0, &err))
		r = NULL;
	cs_release(&s);
	return r;
}

static int pick(struct kt_reader *r, __u32 tid, const char *at,
		struct kt_why_span *sp)
{
	struct kt_why_opts o = { .pid = 10, .tid = tid, .sys_nr = -1 };
	struct kt_err err;

	if (at) {
		o.at_set = true;
		o.at = strtoull(at, NULL, 10);
	}
	return kt_why_pick(r, &o, sp, &err);
}

/* --at a time no syscall or wait contains: the CPU stretch around it;
 * explained, it is cpu contention on cpu0, the spinner holding it. */
KT_TEST(causal_why_at_cpu_stretch)
{
	struct kt_reader *r = capture(false, "why_stretch");
	struct kt_why_span sp;
	struct kt_cp_attr c[4];
	const struct kt_cp_attr *root;
	struct kt_err err;
	struct kt_why w;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!pick(r, 11, "1150", &sp), "pick at 1150");
	KT_ASSERT(sp.kind == KT_WHY_SYSCALL && sp.sys.nr == SYS_getppid,
		  "a syscall at that time comes first: kind %u", sp.kind);
	KT_ASSERT(!pick(r, 11, "3000", &sp), "pick at 3000");
	KT_ASSERT(sp.kind == KT_WHY_CPU && sp.start == 1000 && sp.end == 10000 &&
		  sp.run_ns == 3000 && sp.runnable_ns == 6000,
		  "stretch kind %u [%llu, %llu) run %llu runnable %llu", sp.kind,
		  (unsigned long long)sp.start, (unsigned long long)sp.end,
		  (unsigned long long)sp.run_ns,
		  (unsigned long long)sp.runnable_ns);
	KT_ASSERT(!kt_why_explain(r, &sp, &w, &err), "explain");
	root = kt_cp_root(&w.path);
	KT_ASSERT(root && root->kind == KT_CP_RUNNABLE && root->cpu == 0 &&
		  root->ns == 6000, "root: contention on cpu0, 6000 ns");
	KT_ASSERT(kt_cp_contenders(w.store, &w.path, 0, c, 4) == 1 &&
		  c[0].tid == 20 && c[0].ns == 6000, "the spinner held cpu0");
	kt_why_release(&w);
	/* inside a wait: the wait's syscall, not a stretch */
	KT_ASSERT(!pick(r, 11, "12000", &sp) && sp.kind == KT_WHY_SYSCALL &&
		  sp.sys.nr == SYS_futex, "futex at 12000");
	/* after the capture's end: nothing */
	KT_ASSERT(pick(r, 11, "61000", &sp) == -ENOENT, "nothing at 61000");
	kt_reader_close(r);
	return KT_PASS;
}

/* A lost switch inside the stretch (unknown time) does not end it: it
 * ends at a wait; the unknown time stays unknown in the attribution. */
KT_TEST(causal_why_stretch_across_lost_switch)
{
	struct kt_reader *r = capture(true, "why_stretch_lost");
	struct kt_why_span sp;
	struct kt_err err;
	struct kt_why w;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!pick(r, 11, "3000", &sp), "pick at 3000");
	KT_ASSERT(sp.kind == KT_WHY_CPU && sp.start == 1000 && sp.end == 10000,
		  "stretch kind %u [%llu, %llu)", sp.kind,
		  (unsigned long long)sp.start, (unsigned long long)sp.end);
	KT_ASSERT(sp.run_ns + sp.runnable_ns < 9000, "some of it is unknown");
	KT_ASSERT(!kt_why_explain(r, &sp, &w, &err), "explain");
	KT_ASSERT(w.path.kind_ns[KT_CP_UNKNOWN] > 0 &&
		  w.path.confidence < KT_CP_W_EXACT,
		  "unknown %llu ns lowers the confidence (%u)",
		  (unsigned long long)w.path.kind_ns[KT_CP_UNKNOWN],
		  w.path.confidence);
	kt_why_release(&w);
	kt_reader_close(r);
	return KT_PASS;
}

/* The --slowest rank: a syscall or a wait by its duration, a CPU
 * stretch by its runnable time; ties to the longer, then the earlier. */
KT_TEST(causal_why_slowest_rank)
{
	struct kt_why_span cpu = { .kind = KT_WHY_CPU, .start = 1000,
				   .end = 10000, .run_ns = 3000,
				   .runnable_ns = 6000 };
	struct kt_why_span sys = { .kind = KT_WHY_SYSCALL, .start = 20000,
				   .end = 27000 };
	struct kt_why_span a = sys, b = sys;

	KT_ASSERT(kt_why_better(&sys, &cpu, true),
		  "a 7000 ns syscall beats a 9000 ns stretch runnable 6000 ns");
	sys.end = 25000;
	KT_ASSERT(kt_why_better(&cpu, &sys, true),
		  "a stretch runnable 6000 ns beats a 5000 ns syscall");
	sys.start = 0;
	sys.end = 6000;
	KT_ASSERT(kt_why_better(&cpu, &sys, true) && !kt_why_better(&sys, &cpu, true),
		  "equal rank: the longer, even when later");
	b.start = a.start + 1;
	b.end = a.end + 1;
	KT_ASSERT(kt_why_better(&a, &b, true) && !kt_why_better(&b, &a, true),
		  "equal: the earlier");
	KT_ASSERT(kt_why_better(&b, &a, false), "anything beats nothing");
	return KT_PASS;
}

/* --slowest reads the stretches and the waits in no syscall too: the
 * worker's futex (7000 ns) beats its stretch (runnable 6000 ns, 9000 ns
 * long); thread 12's blocked wait in no syscall (15000 ns) beats its
 * getpid; the process's slowest is main's pthread_join. */
KT_TEST(causal_why_slowest_candidates)
{
	struct kt_reader *r = capture(false, "why_slowest");
	struct kt_why_span sp;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!pick(r, 11, NULL, &sp), "pick 11");
	KT_ASSERT(sp.kind == KT_WHY_SYSCALL && sp.sys.nr == SYS_futex &&
		  sp.start == 9950, "11: the futex, kind %u start %llu", sp.kind,
		  (unsigned long long)sp.start);
	KT_ASSERT(!pick(r, 12, NULL, &sp), "pick 12");
	KT_ASSERT(sp.kind == KT_WHY_WAIT && sp.start == 30000 &&
		  sp.end == 45000 && sp.state == KT_TL_BLOCKED &&
		  sp.sys.nr == KT_TL_NOSYS, "12: the wait, kind %u [%llu, %llu)",
		  sp.kind, (unsigned long long)sp.start,
		  (unsigned long long)sp.end);
	KT_ASSERT(!pick(r, 0, NULL, &sp), "pick 10");
	KT_ASSERT(sp.tid == 10 && sp.kind == KT_WHY_SYSCALL, "10: tid %u", sp.tid);
	kt_reader_close(r);
	return KT_PASS;
}

/* --from/--to: without a thread, the one with the most time not running
 * (main, asleep all along: 9000 ns; the worker 6000 ns runnable); with
 * one, that thread; the range's own time; and a thread not in the range
 * is -ENOENT. */
KT_TEST(causal_why_range)
{
	struct kt_why_opts o = { .pid = 10, .sys_nr = -1, .range = true,
				 .from = 1000, .to = 10000 };
	struct kt_reader *r = capture(false, "why_range");
	const struct kt_cp_attr *root;
	struct kt_why_span sp;
	struct kt_err err;
	struct kt_why w;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick");
	KT_ASSERT(sp.kind == KT_WHY_RANGE && sp.tid == 10 && sp.chosen &&
		  sp.nthreads == 2 && sp.wait_ns == 9000 && sp.start == 1000 &&
		  sp.end == 10000, "main chosen: tid %u of %u, wait %llu", sp.tid,
		  sp.nthreads, (unsigned long long)sp.wait_ns);
	/* main waited for the worker, which waited for the cpu */
	KT_ASSERT(!kt_why_explain(r, &sp, &w, &err), "explain main");
	root = kt_cp_root(&w.path);
	KT_ASSERT(root && root->kind == KT_CP_RUNNABLE && root->ns == 6000,
		  "main's range: contention, through the worker");
	kt_why_release(&w);
	o.tid = 11;
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick 11");
	KT_ASSERT(sp.tid == 11 && !sp.chosen && sp.run_ns == 3000 &&
		  sp.runnable_ns == 6000 && sp.wait_ns == 0,
		  "11: run %llu runnable %llu", (unsigned long long)sp.run_ns,
		  (unsigned long long)sp.runnable_ns);
	KT_ASSERT(!kt_why_explain(r, &sp, &w, &err), "explain 11");
	root = kt_cp_root(&w.path);
	KT_ASSERT(root && root->kind == KT_CP_RUNNABLE && root->cpu == 0 &&
		  root->ns == 6000, "11's range: contention on cpu0");
	kt_why_release(&w);
	o.tid = 12;     /* first seen at 29000 */
	KT_ASSERT(kt_why_pick(r, &o, &sp, &err) == -ENOENT, "12 not in range");
	kt_reader_close(r);
	return KT_PASS;
}

/* Whether a thread is the process's (issue 15: "process P has no span"
 * when the truth is that T is not a thread of P). */
KT_TEST(causal_why_identify)
{
	struct kt_reader *r = capture(false, "why_ident");
	struct kt_why_ident id;
	struct kt_err err;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_identify(r, 10, 20, &id, &err), "identify");
	KT_ASSERT(id.pid_seen && id.tid_seen && !id.tid_in_pid &&
		  id.tid_pid == 20, "20 is process 20's: %u", id.tid_pid);
	KT_ASSERT(!kt_why_identify(r, 10, 11, &id, &err) && id.tid_in_pid,
		  "11 is 10's");
	KT_ASSERT(!kt_why_identify(r, 99, 98, &id, &err) && !id.pid_seen &&
		  !id.tid_seen, "99, 98 are not in the capture");
	kt_reader_close(r);
	return KT_PASS;
}

/* CPU contention in a scoped recording: the cpu the thread waited for ran
 * a task out of the scope, whose run no record shows (the switch into it
 * was between two tasks out of scope; only the switch out of it, back to
 * the thread, is recorded).  The answer says how much of the wait that
 * was, rather than name only the tasks it saw. */
KT_TEST(causal_why_contention_unseen)
{
	struct kt_why_opts o = { .pid = 40, .tid = 40, .sys_nr = -1 };
	struct kt_reader *r = NULL;
	struct kt_out out = { 0 };
	struct kt_why_span sp;
	struct kt_err err;
	struct kt_why w;
	char path[256];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 40, 40, "app");
	cs_task(&s, 41, 41, "kworker");
	cs_switch(&s, 0, 0, 0, R, 40);
	cs_switch(&s, 10, 0, 40, S, 41);         /* app sleeps */
	cs_switch(&s, 20, 0, 41, S, 0);
	/* (unrecorded: cpu0 switches from idle to a task out of scope) */
	cs_wake(&s, 1000, 0, 0, 40, KT_CTX_HARDIRQ);
	cs_wake(&s, 8990, 0, 77, 41, KT_CTX_TASK);
	cs_switch(&s, 9000, 0, 77, R, 41);       /* the kworker, 20 ns */
	cs_switch(&s, 9020, 0, 41, S, 40);
	cs_sys(&s, 9100, 0, 40, SYS_nanosleep, 9095, 0, 0, 0,
	       KT_SYSCALL_BLOCKED);
	snprintf(path, sizeof(path), "%s/unseen.ktr", kt_test_tmpdir());
	KT_ASSERT(!cs_write(&s, path, 0) && !kt_reader_open(&r, path, 0, &err),
		  "capture");
	cs_release(&s);
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick");
	KT_ASSERT(!kt_why_explain(r, &sp, &w, &err), "explain");
	KT_ASSERT(kt_cp_root(&w.path)->kind == KT_CP_RUNNABLE,
		  "root: contention");
	KT_ASSERT(!kt_out_init(&out, -1, 0) && !kt_why_print(&out, &w, 0),
		  "print");
	kt_out_ch(&out, 0);
	KT_ASSERT(strstr(out.buf, "  cpu 0 was running kworker/41 20 ns, "
			 "?/77 10 ns; and tasks no record shows (out of the "
			 "recording's scope) 7.990 us\n"), "%s", out.buf);
	kt_out_release(&out);
	kt_why_release(&w);
	kt_reader_close(r);
	return KT_PASS;
}
