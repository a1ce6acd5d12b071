// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why: a window's slowest span (the graph's highlighted path, the
 * timeline picture's boxed span): kt_why_pick_window, any process, spans
 * cut by the capture's end ranked last, idle waits skipped unless a
 * process is asked for (kt_why_idle_syscall).
 *
 * The stream, one process a thread (pid = tid):
 *   1 loop     epoll_wait [100, 10200): idle
 *   2 reader   read [200, 5400), woken by 3 at 5200: the answer
 *   3 writer   nanosleep [6000, 14100): idle
 *   4 worker   asleep in no syscall [50, 20000), woken by 3: idle in a
 *              capture with syscall records (its syscall, if any, was
 *              not recorded)
 *   5 tail     read [70, 29000), unfinished at the end: cut, not known
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "analyze/why.h"
#include "analyze/window.h"

#define S KT_STATE_SLEEPING
#define R KT_STATE_RUNNABLE

static struct kt_reader *capture(void)
{
	struct kt_reader *r = NULL;
	struct kt_err err;
	char path[256];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "loop");
	cs_task(&s, 2, 2, "reader");
	cs_task(&s, 3, 3, "writer");
	cs_task(&s, 4, 4, "worker");
	cs_task(&s, 5, 5, "tail");
	cs_switch(&s, 0, 0, 0, R, 1);
	cs_switch(&s, 0, 1, 0, R, 4);
	cs_switch(&s, 50, 1, 4, S, 5);
	cs_switch(&s, 70, 1, 5, S, 0);
	cs_switch(&s, 100, 0, 1, S, 2);
	cs_switch(&s, 200, 0, 2, S, 3);
	cs_wake(&s, 5200, 0, 3, 2, KT_CTX_TASK);
	cs_switch(&s, 5300, 0, 3, R, 2);
	cs_sys(&s, 5400, 0, 2, SYS_read, 5200, 8, 3, KT_FILE_ID(S_IFIFO, 9),
	       KT_SYSCALL_BLOCKED);
	cs_switch(&s, 5500, 0, 2, S, 3);
	cs_switch(&s, 6000, 0, 3, S, 0);
	cs_wake(&s, 10100, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 10150, 0, 0, R, 1);
	cs_sys(&s, 10200, 0, 1, SYS_epoll_wait, 10100, 1, 4, 0,
	       KT_SYSCALL_BLOCKED);
	cs_switch(&s, 10300, 0, 1, S, 0);
	cs_wake(&s, 14000, 0, 0, 3, KT_CTX_HARDIRQ);
	cs_switch(&s, 14050, 0, 0, R, 3);
	cs_sys(&s, 14100, 0, 3, SYS_nanosleep, 8100, 0, 0, 0,
	       KT_SYSCALL_BLOCKED);
	cs_wake(&s, 20000, 0, 3, 4, KT_CTX_TASK);
	cs_switch(&s, 20050, 1, 0, R, 4);
	cs_switch(&s, 20100, 1, 4, S, 0);
	cs_switch(&s, 25000, 0, 3, S, 0);
	cs_sys(&s, 29000, 1, 5, SYS_read, 28930, 0, 3, 0,
	       KT_SYSCALL_BLOCKED | KT_SYSCALL_UNFINISHED);
	snprintf(path, sizeof(path), "%s/why_window.ktr", kt_test_tmpdir());
	if (cs_write(&s, path, 0) || kt_reader_open(&r, path, 0, &err))
		r = NULL;
	cs_release(&s);
	return r;
}

static int pick(struct kt_reader *r, __u32 pid, __u64 from, __u64 to,
		struct kt_why_span *sp)
{
	struct kt_window w = { .from = from, .to = to };
	struct kt_err err;

	return kt_why_pick_window(r, &w, pid, 0, sp, &err);
}

KT_TEST(causal_why_window_slowest)
{
	struct kt_reader *r = capture();
	struct kt_why_span sp;

	KT_ASSERT(r, "capture");
	KT_ASSERT(kt_why_idle_syscall(SYS_epoll_wait) &&
		  kt_why_idle_syscall(SYS_wait4) &&
		  kt_why_idle_syscall(SYS_clock_nanosleep) &&
		  !kt_why_idle_syscall(SYS_read) && !kt_why_idle_syscall(SYS_futex),
		  "idle syscalls");
	/* any process, idle waits skipped (the loop's epoll_wait, the
	 * writer's nanosleep, the worker's sleep in no syscall): the read,
	 * not the longer read cut by the end of the capture */
	KT_ASSERT(!pick(r, 0, 0, 30000, &sp), "pick");
	KT_ASSERT(sp.kind == KT_WHY_SYSCALL && sp.tid == 2 && sp.start == 200 &&
		  sp.end == 5400, "the read: kind %u tid %u [%llu, %llu)",
		  sp.kind, sp.tid, (unsigned long long)sp.start,
		  (unsigned long long)sp.end);
	/* one process asked for: its idle wait is its slowest span */
	KT_ASSERT(!pick(r, 1, 0, 30000, &sp), "pick");
	KT_ASSERT(sp.tid == 1 && sp.start == 100 && sp.end >= 10100,
		  "the loop's wait in epoll_wait: tid %u [%llu, %llu)", sp.tid,
		  (unsigned long long)sp.start, (unsigned long long)sp.end);
	/* a window that ends before the read does: the span cut to it */
	KT_ASSERT(!pick(r, 0, 0, 5000, &sp), "pick");
	KT_ASSERT(sp.end <= 5000 && sp.start < sp.end,
		  "inside the window: tid %u [%llu, %llu)", sp.tid,
		  (unsigned long long)sp.start, (unsigned long long)sp.end);
	KT_ASSERT(pick(r, 99, 0, 30000, &sp) == -ENOENT, "no such pid");
	kt_reader_close(r);
	return KT_PASS;
}

/* A thread whose switches went unrecorded for a long time (unknown time
 * longer than what its CPU stretch observed) does not make one stretch of
 * the capture: the unknown time ends the stretch (a host thread that runs
 * no recorder made a 119 s "stretch" whose critical path covered a 50 M
 * event capture). */
KT_TEST(causal_why_window_unknown_ends_stretch)
{
	struct kt_reader *r = NULL;
	struct kt_why_span sp;
	struct kt_err err;
	char path[256];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 6, 6, "ghost");
	cs_task(&s, 2, 2, "other");
	cs_task(&s, 3, 3, "third");
	cs_switch(&s, 0, 0, 0, 0, 6);
	cs_switch(&s, 10, 0, 6, R, 2);          /* preempted: runnable */
	cs_switch(&s, 20, 0, 2, S, 6);
	cs_switch(&s, 50, 0, 0, S, 3);          /* its switch-out not seen */
	cs_switch(&s, 50000, 0, 3, S, 6);
	cs_switch(&s, 50010, 0, 6, R, 2);
	cs_switch(&s, 50020, 0, 2, S, 6);
	cs_switch(&s, 50100, 0, 6, S, 0);
	snprintf(path, sizeof(path), "%s/why_window_unknown.ktr", kt_test_tmpdir());
	KT_ASSERT(!cs_write(&s, path, 0) && !kt_reader_open(&r, path, 0, &err),
		  "capture");
	cs_release(&s);
	KT_ASSERT(!pick(r, 6, 0, 60000, &sp), "pick");
	KT_ASSERT(sp.kind == KT_WHY_CPU && sp.end - sp.start < 1000,
		  "a stretch on one side of the unknown time: kind %u [%llu, %llu)",
		  sp.kind, (unsigned long long)sp.start,
		  (unsigned long long)sp.end);
	kt_reader_close(r);
	return KT_PASS;
}
