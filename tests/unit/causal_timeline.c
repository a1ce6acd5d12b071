// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Timeline unit tests: hand-built streams with exact expected intervals,
 * and seeded random scheduler simulations whose true states are known,
 * all checked against the tiling invariant.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"

#define PIPE_ID KT_FILE_ID(S_IFIFO, 4242)

#define EXPECT_IV(out, tid, at, st, s, e)                                   \
	do {                                                                \
		const struct kt_tl_interval *iv_ = tl_at(out, tid, at);     \
		KT_ASSERT(iv_, "tid %u has no interval at %llu", tid,       \
			  (unsigned long long)(at));                        \
		KT_ASSERT(iv_->state == (st) && iv_->start == (s) &&        \
			  iv_->end == (e),                                  \
			  "tid %u at %llu: %s [%llu,%llu), want %s [%llu,%llu)", \
			  tid, (unsigned long long)(at),                    \
			  kt_tl_state_name(iv_->state),                     \
			  (unsigned long long)iv_->start,                   \
			  (unsigned long long)iv_->end,                     \
			  kt_tl_state_name(st), (unsigned long long)(s),    \
			  (unsigned long long)(e));                         \
	} while (0)

#define CHECK_TILING(out)                                                   \
	do {                                                                \
		char why_[200];                                             \
		KT_ASSERT(!tl_check_tiling(out, why_, sizeof(why_)), "%s", why_); \
	} while (0)

KT_TEST(causal_timeline_basic)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "writer");
	cs_switch(&s, 100, 0, 0, 0, 1);
	cs_switch(&s, 200, 0, 1, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 250, 1, 0, 0, 2);
	cs_wake(&s, 300, 1, 2, 1, KT_CTX_TASK);
	cs_switch(&s, 350, 0, 0, 0, 1);
	cs_sys(&s, 400, 0, 1, SYS_read, 250, 10, 3, PIPE_ID, KT_SYSCALL_BLOCKED);
	cs_sys(&s, 500, 1, 2, SYS_write, 220, 10, 4, PIPE_ID, KT_SYSCALL_WOKE);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);

	KT_ASSERT(tl_count(&out, 1) == 4, "tid 1 has %zu intervals", tl_count(&out, 1));
	EXPECT_IV(&out, 1, 100, KT_TL_RUNNING, 100, 200);
	iv = tl_at(&out, 1, 100);
	KT_ASSERT(iv->cpu == 0 && (iv->flags & KT_TL_F_FIRST), "first running");
	EXPECT_IV(&out, 1, 200, KT_TL_SLEEPING, 200, 300);
	iv = tl_at(&out, 1, 200);
	KT_ASSERT(iv->sys.nr == SYS_read && iv->sys.start == 150 &&
		  iv->sys.arg[2] == PIPE_ID, "sleep in read, got nr %u", iv->sys.nr);
	KT_ASSERT(iv->wake.cause == KT_CAUSE_TASK && iv->wake.tid == 2 &&
		  iv->wake.utid == 2 && iv->wake.ts == 300 && iv->wake.cpu == 1,
		  "woken by 2, got cause %s tid %u", kt_tl_cause_name(iv->wake.cause),
		  iv->wake.tid);
	EXPECT_IV(&out, 1, 300, KT_TL_RUNNABLE, 300, 350);
	iv = tl_at(&out, 1, 300);
	KT_ASSERT(iv->wake.cause == KT_CAUSE_TASK && iv->wake.tid == 2 &&
		  iv->cpu == 0, "runnable waiting for cpu0 after wake by 2");
	EXPECT_IV(&out, 1, 350, KT_TL_RUNNING, 350, 1000);
	KT_ASSERT(tl_at(&out, 1, 350)->flags & KT_TL_F_OPEN, "cut at end");
	EXPECT_IV(&out, 2, 250, KT_TL_RUNNING, 250, 1000);
	KT_ASSERT(tl_count(&out, 2) == 1, "tid 2 has %zu", tl_count(&out, 2));

	/* the wakeup, with the write it happened in */
	KT_ASSERT(out.nwu == 1, "%zu wakeups", out.nwu);
	KT_ASSERT(out.wu[0].wakee_tid == 1 && out.wu[0].wake.tid == 2 &&
		  out.wu[0].wait_start == 200 &&
		  out.wu[0].wakee_state == KT_TL_SLEEPING &&
		  out.wu[0].waker_sys.nr == SYS_write &&
		  out.wu[0].waker_sys.arg[2] == PIPE_ID, "wakeup record");
	/* spans: two syscalls, two processes cut at the end */
	KT_ASSERT(out.nsp == 4, "%zu spans", out.nsp);
	KT_ASSERT(out.sp[0].kind == KT_SPAN_SYSCALL && out.sp[0].start == 150 &&
		  out.sp[0].end == 400 && out.sp[0].tid == 1, "read span");
	KT_ASSERT(out.nends == 2, "%zu thread ends", out.nends);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* Waits are labeled with the syscall around them once its record comes;
 * a wait before the syscall began is in none. */
KT_TEST(causal_timeline_syscall_labels)
{
	struct kt_tl_opts o = { .end_ts = 600, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_task(&s, 2, 2, "b");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 0);     /* page fault */
	cs_wake(&s, 150, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 160, 0, 0, 0, 1);
	cs_switch(&s, 250, 0, 1, KT_STATE_SLEEPING, 0); /* in read from 200 */
	cs_wake(&s, 300, 1, 2, 1, KT_CTX_TASK);
	cs_switch(&s, 310, 0, 0, 0, 1);
	cs_switch(&s, 320, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 400, 1, 2, 1, KT_CTX_TASK);
	cs_switch(&s, 420, 0, 0, 0, 1);
	cs_sys(&s, 500, 0, 1, SYS_read, 300, 0, 3, PIPE_ID, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	KT_ASSERT(tl_count(&out, 1) == 10, "tid 1 has %zu intervals", tl_count(&out, 1));
	EXPECT_IV(&out, 1, 100, KT_TL_BLOCKED, 100, 150);
	iv = tl_at(&out, 1, 100);
	KT_ASSERT(iv->sys.nr == KT_TL_NOSYS && !(iv->flags & KT_TL_F_SYS_UNKNOWN),
		  "the fault is in no syscall");
	KT_ASSERT(iv->wake.cause == KT_CAUSE_IRQ && iv->wake.ctx == KT_CTX_HARDIRQ,
		  "woken from an irq: %s", kt_tl_cause_name(iv->wake.cause));
	KT_ASSERT(tl_at(&out, 1, 150)->wake.cause == KT_CAUSE_IRQ, "runnable after irq");
	EXPECT_IV(&out, 1, 250, KT_TL_SLEEPING, 250, 300);
	EXPECT_IV(&out, 1, 320, KT_TL_SLEEPING, 320, 400);
	KT_ASSERT(tl_at(&out, 1, 250)->sys.nr == SYS_read &&
		  tl_at(&out, 1, 320)->sys.nr == SYS_read &&
		  tl_at(&out, 1, 320)->sys.end == 500, "both sleeps in the read");
	/* b first appears as a waker: running from there */
	EXPECT_IV(&out, 2, 300, KT_TL_RUNNING, 300, 600);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* An interrupt wakeup right after a block completion on the same cpu is
 * the disk's; a later one is not. */
KT_TEST(causal_timeline_disk_wakeup)
{
	struct kt_tl_opts o = { .end_ts = 5000000, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "syncer");
	cs_task(&s, 3, 3, "late");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 3);
	cs_switch(&s, 110, 0, 3, KT_STATE_DISK, 0);
	cs_blk(&s, 900, 1, 1, 8 << 20, 2048, 4096, 780);
	cs_wake(&s, 905, 1, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 950, 1, 0, 0, 1);
	cs_sys(&s, 1000, 1, 1, SYS_fsync, 950, 0, 5, 0, KT_SYSCALL_BLOCKED);
	cs_wake(&s, 1000905, 1, 0, 3, KT_CTX_HARDIRQ); /* 1 ms + 5 us later */
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 1, 100, KT_TL_BLOCKED, 100, 905);
	iv = tl_at(&out, 1, 100);
	KT_ASSERT(iv->wake.cause == KT_CAUSE_DISK, "cause %s",
		  kt_tl_cause_name(iv->wake.cause));
	KT_ASSERT(iv->blk.sector == 2048 && iv->blk.bytes == 4096 &&
		  iv->blk.issuer_tid == 1 && iv->blk.issue_ts == 120 &&
		  iv->blk.complete_ts == 900 && iv->blk.dev == 8 << 20, "request");
	KT_ASSERT(iv->sys.nr == SYS_fsync, "in fsync");
	iv = tl_at(&out, 1, 905);
	KT_ASSERT(iv->state == KT_TL_RUNNABLE && iv->wake.cause == KT_CAUSE_DISK &&
		  iv->cpu == 1 && iv->end == 950, "runnable after the disk");
	iv = tl_at(&out, 3, 110);
	KT_ASSERT(iv && iv->wake.cause == KT_CAUSE_IRQ, "late wakeup not the disk's");
	KT_ASSERT(out.nsp >= 2 && out.sp[0].kind == KT_SPAN_BLOCK &&
		  out.sp[0].start == 120 && out.sp[0].end == 900, "block span");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* Interrupt wakeups of timed waits that timed out are the timer's; of
 * socket waits from softirq, the network's. */
KT_TEST(causal_timeline_timer_and_net)
{
	struct kt_tl_opts o = { .end_ts = 10000, .syscalls = true };
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "sleeper");
	cs_task(&s, 2, 2, "server");
	cs_task(&s, 3, 3, "poller");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 2);
	cs_switch(&s, 150, 0, 2, KT_STATE_SLEEPING, 3);
	cs_switch(&s, 170, 0, 3, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 1100, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_wake(&s, 1150, 1, 0, 2, KT_CTX_SOFTIRQ);
	cs_wake(&s, 1170, 1, 0, 3, KT_CTX_HARDIRQ);
	cs_switch(&s, 1200, 0, 0, 0, 1);
	cs_sys(&s, 1250, 0, 1, SYS_nanosleep, 1200, 0, 1000, 0, KT_SYSCALL_BLOCKED);
	cs_switch(&s, 1300, 0, 1, KT_STATE_SLEEPING, 2);
	cs_sys(&s, 1350, 0, 2, SYS_recvfrom, 1300, 64, 3,
	       KT_FILE_ID(S_IFSOCK, 77), KT_SYSCALL_BLOCKED);
	cs_switch(&s, 1400, 0, 2, KT_STATE_SLEEPING, 3);
	cs_sys(&s, 1450, 0, 3, SYS_poll, 1400, 0, 0, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	KT_ASSERT(tl_at(&out, 1, 100)->wake.cause == KT_CAUSE_TIMER,
		  "nanosleep: %s", kt_tl_cause_name(tl_at(&out, 1, 100)->wake.cause));
	KT_ASSERT(tl_at(&out, 1, 1100)->wake.cause == KT_CAUSE_TIMER,
		  "runnable after the timer");
	KT_ASSERT(tl_at(&out, 2, 150)->wake.cause == KT_CAUSE_NET,
		  "recvfrom: %s", kt_tl_cause_name(tl_at(&out, 2, 150)->wake.cause));
	KT_ASSERT(tl_at(&out, 3, 170)->wake.cause == KT_CAUSE_TIMER,
		  "poll timed out: %s", kt_tl_cause_name(tl_at(&out, 3, 170)->wake.cause));
	/* sleeper's second sleep never ends: cut at the end, no syscall */
	EXPECT_IV(&out, 1, 1300, KT_TL_SLEEPING, 1300, 10000);
	KT_ASSERT(tl_at(&out, 1, 1300)->flags & KT_TL_F_SYS_UNKNOWN &&
		  tl_at(&out, 1, 1300)->wake.cause == KT_CAUSE_NONE, "open sleep");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

KT_TEST(causal_timeline_fork_exit_dead)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	const struct kt_tl_interval *iv;
	const struct kt_tl_span *p5 = NULL, *p1 = NULL;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "parent");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_fork(&s, 100, 0, 1, 5, 5);
	cs_wakenew(&s, 110, 1, 1, 5);
	cs_switch(&s, 150, 1, 0, 0, 5);
	cs_exit(&s, 400, 1, 5, 3 << 8, 1);
	cs_switch(&s, 420, 1, 5, KT_STATE_DEAD, 0);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	KT_ASSERT(tl_count(&out, 5) == 3, "child has %zu intervals", tl_count(&out, 5));
	EXPECT_IV(&out, 5, 100, KT_TL_RUNNABLE, 100, 150);
	iv = tl_at(&out, 5, 100);
	KT_ASSERT(iv->wake.cause == KT_CAUSE_FORK && iv->wake.tid == 1 &&
		  (iv->flags & KT_TL_F_FIRST) && iv->cpu == 1, "new, waiting for cpu1");
	EXPECT_IV(&out, 5, 150, KT_TL_RUNNING, 150, 420);
	KT_ASSERT(tl_at(&out, 5, 150)->flags & KT_TL_F_EXITING, "exiting");
	EXPECT_IV(&out, 5, 420, KT_TL_DEAD, 420, 1000);
	for (size_t i = 0; i < out.nsp; i++) {
		if (out.sp[i].kind != KT_SPAN_PROCESS)
			continue;
		if (out.sp[i].pid == 5)
			p5 = &out.sp[i];
		if (out.sp[i].pid == 1)
			p1 = &out.sp[i];
	}
	KT_ASSERT(p5 && p5->start == 100 && p5->end == 400 && p5->proc.exited &&
		  p5->proc.exit_code == 3 << 8 && p5->proc.forked &&
		  p5->proc.ppid == 1 && !p5->flags, "child process span");
	KT_ASSERT(p1 && p1->start == 0 && p1->end == 1000 &&
		  p1->flags == (KT_SPAN_F_OPEN_START | KT_SPAN_F_OPEN_END),
		  "parent process span open at both ends");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A syscall still in progress when recording stopped labels the wait
 * that is still open. */
KT_TEST(causal_timeline_unfinished)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "waiter");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_sys(&s, 900, 0, 1, SYS_futex, 850, 0, 0x1000, 0,
	       KT_SYSCALL_UNFINISHED | KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 1, 100, KT_TL_SLEEPING, 100, 1000);
	iv = tl_at(&out, 1, 100);
	KT_ASSERT(iv->sys.nr == SYS_futex && (iv->flags & KT_TL_F_OPEN) &&
		  !(iv->flags & KT_TL_F_SYS_UNKNOWN), "open futex wait");
	KT_ASSERT(out.sp[0].kind == KT_SPAN_SYSCALL &&
		  (out.sp[0].flags & KT_SPAN_F_OPEN_END), "open syscall span");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* More waits in one syscall than can be held: the oldest go out with an
 * unknown syscall, the rest are labeled; the tiling holds. */
KT_TEST(causal_timeline_hold_overflow)
{
	struct kt_tl_opts o = { .end_ts = 1000000, .syscalls = true };
	size_t unknown = 0, labeled = 0;
	struct tl_out out;
	struct cs s;
	__u64 t = 1000;

	cs_init(&s);
	cs_task(&s, 1, 1, "spinner");
	cs_task(&s, 2, 2, "waker");
	cs_switch(&s, t, 0, 0, 0, 1);
	cs_switch(&s, t, 1, 0, 0, 2);
	cs_sys(&s, t += 10, 0, 1, SYS_getpid, 1, 1, 0, 0, 0);
	for (int i = 0; i < 300; i++) {
		cs_switch(&s, t += 10, 0, 1, KT_STATE_SLEEPING, 0);
		cs_wake(&s, t += 10, 1, 2, 1, KT_CTX_TASK);
		cs_switch(&s, t += 10, 0, 0, 0, 1);
	}
	t += 10;
	cs_sys(&s, t, 0, 1, SYS_futex, t - 1000, 0, 0, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	for (size_t i = 0; i < out.niv; i++) {
		if (out.iv[i].tid != 1 || out.iv[i].state != KT_TL_SLEEPING)
			continue;
		unknown += !!(out.iv[i].flags & KT_TL_F_SYS_UNKNOWN);
		labeled += out.iv[i].sys.nr == SYS_futex;
	}
	KT_ASSERT(unknown + labeled == 300 && unknown > 0 && labeled > 0 &&
		  labeled <= KT_TL_HOLD_MAX / 3 + 1,
		  "unknown %zu labeled %zu", unknown, labeled);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A thread none of whose syscalls is recorded (the recorder's own):
 * once it fills its buffer it is no longer held, and stays tiled. */
KT_TEST(causal_timeline_unrecorded_thread)
{
	struct kt_tl_opts o = { .end_ts = 1000000, .syscalls = true };
	struct tl_out out;
	size_t unknown = 0, n1 = 0;
	struct cs s;
	__u64 t = 1000;

	cs_init(&s);
	cs_task(&s, 1, 1, "recorder");
	cs_task(&s, 2, 2, "waker");
	cs_switch(&s, t, 0, 0, 0, 1);
	cs_switch(&s, t, 1, 0, 0, 2);
	for (int i = 0; i < 400; i++) {
		cs_switch(&s, t += 10, 0, 1, KT_STATE_SLEEPING, 0);
		cs_wake(&s, t += 10, 1, 2, 1, KT_CTX_TASK);
		cs_switch(&s, t += 10, 0, 0, 0, 1);
	}
	cs_sys(&s, t += 10, 1, 2, SYS_getpid, 1, 1, 0, 0, 0);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	for (size_t i = 0; i < out.niv; i++) {
		if (out.iv[i].tid != 1)
			continue;
		n1++;
		unknown += out.iv[i].state == KT_TL_SLEEPING &&
			   (out.iv[i].flags & KT_TL_F_SYS_UNKNOWN);
	}
	KT_ASSERT(unknown == 400 && n1 == 1201, "unknown %zu of %zu", unknown, n1);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* Without syscall records nothing is held. */
KT_TEST(causal_timeline_no_syscalls)
{
	struct kt_tl_opts o = { .end_ts = 500 };
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_wake(&s, 200, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 300, 0, 0, 0, 1);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	KT_ASSERT(out.niv == 4 && out.iv[1].state == KT_TL_BLOCKED &&
		  (out.iv[1].flags & KT_TL_F_SYS_UNKNOWN), "blocked, syscall unknown");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A reused tid is a new thread (new utid); the old one's life ended. */
KT_TEST(causal_timeline_tid_reuse)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	size_t old = 0, new = 0;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "parent");
	cs_task(&s, 7, 7, "old");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 10, 1, 0, 0, 7);
	cs_switch(&s, 100, 1, 7, KT_STATE_SLEEPING, 0);
	/* 7 is never seen dying; a fork hands its tid to a new task.  Its
	 * last interval ends at its last event: no guess about when it died */
	cs_fork(&s, 200, 0, 1, 7, 7);
	cs_switch(&s, 300, 1, 0, 0, 7);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	for (size_t i = 0; i < out.niv; i++) {
		if (out.iv[i].tid != 7)
			continue;
		if (out.iv[i].utid == 7)
			old++;
		else
			new++;
	}
	KT_ASSERT(old == 1 && new == 2, "old %zu new %zu", old, new);
	KT_ASSERT(out.nends == 3, "%zu thread ends", out.nends);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A thread woken twice without running in between (it is out of a scoped
 * recording's scope, or events were lost): the time between the wakeups
 * is unknown (KT_TL_F_MISSED), not runnable.  A thread preempted on its
 * way to sleep can be woken while runnable: that stays runnable. */
KT_TEST(causal_timeline_missed_run)
{
	struct kt_tl_opts o = { .end_ts = 1000 };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "scoped");
	cs_task(&s, 8, 8, "kworker");
	cs_task(&s, 9, 9, "preempted");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 9);
	cs_wake(&s, 100, 0, 1, 8, KT_CTX_TASK);
	cs_wake(&s, 300, 0, 1, 8, KT_CTX_TASK);
	cs_switch(&s, 400, 1, 9, KT_STATE_RUNNABLE, 0);
	cs_wake(&s, 450, 0, 1, 9, KT_CTX_TASK);
	cs_switch(&s, 500, 0, 1, KT_STATE_SLEEPING, 8);
	cs_switch(&s, 600, 1, 0, 0, 9);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 8, 100, KT_TL_UNKNOWN, 100, 300);
	iv = tl_at(&out, 8, 100);
	KT_ASSERT(iv->flags & KT_TL_F_MISSED, "flags %#x, want MISSED", iv->flags);
	EXPECT_IV(&out, 8, 300, KT_TL_RUNNABLE, 300, 500);
	EXPECT_IV(&out, 8, 500, KT_TL_RUNNING, 500, 1000);
	EXPECT_IV(&out, 9, 400, KT_TL_RUNNABLE, 400, 600);
	EXPECT_IV(&out, 9, 600, KT_TL_RUNNING, 600, 1000);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/*
 * Never invent a state.  A kworker out of a scoped recording's scope is
 * woken (runnable), wakes a task in scope (so it ran), and its switches
 * are not recorded: other tasks run on its cpu meanwhile.  Its running
 * ends at its last evidence, and the time after that is unknown; so is
 * the time from its wakeup to the first sign that it ran.
 */
KT_TEST(causal_timeline_unseen_switch_out)
{
	struct kt_tl_opts o = { .end_ts = 1000 };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "fsync");
	cs_task(&s, 2, 2, "other");
	cs_task(&s, 8, 8, "kworker");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 50, 0, 1, KT_STATE_DISK, 0);
	cs_wake(&s, 100, 0, 0, 8, KT_CTX_HARDIRQ);     /* kworker runnable */
	cs_wake(&s, 200, 0, 8, 1, KT_CTX_TASK);        /* it ran: woke 1 */
	cs_switch(&s, 300, 0, 2, KT_STATE_SLEEPING, 1); /* 2 was on cpu 0 */
	cs_switch(&s, 400, 0, 1, KT_STATE_SLEEPING, 0);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 8, 100, KT_TL_UNKNOWN, 100, 200);
	KT_ASSERT(tl_at(&out, 8, 100)->flags & KT_TL_F_MISSED, "missed");
	EXPECT_IV(&out, 8, 250, KT_TL_UNKNOWN, 200, 1000);
	iv = tl_at(&out, 8, 250);
	KT_ASSERT(iv->flags & KT_TL_F_MISSED, "flags %#x, want MISSED", iv->flags);
	EXPECT_IV(&out, 2, 300, KT_TL_SLEEPING, 300, 1000);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A runnable thread that a recorded switch takes off a cpu, without the
 * switch that put it there: when it got the cpu is unknown, so its wait
 * for a cpu is not invented. */
KT_TEST(causal_timeline_unseen_switch_in)
{
	struct kt_tl_opts o = { .end_ts = 1000 };
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_task(&s, 2, 2, "b");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_RUNNABLE, 2); /* 1 preempted */
	cs_switch(&s, 500, 1, 1, KT_STATE_SLEEPING, 0); /* 1 left cpu 1 */
	cs_wake(&s, 600, 0, 2, 1, KT_CTX_TASK);
	cs_sys(&s, 700, 1, 1, SYS_getppid, 10, 1, 0, 0, 0); /* ran, unseen */
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 1, 100, KT_TL_UNKNOWN, 100, 500);
	KT_ASSERT(tl_at(&out, 1, 100)->flags & KT_TL_F_MISSED, "missed");
	EXPECT_IV(&out, 1, 550, KT_TL_SLEEPING, 500, 600);
	EXPECT_IV(&out, 1, 650, KT_TL_UNKNOWN, 600, 700);
	EXPECT_IV(&out, 1, 800, KT_TL_RUNNING, 700, 1000);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* Running on cpu 0, then switched in on cpu 1: it left cpu 0 unseen, at
 * some time after its last event there. */
KT_TEST(causal_timeline_unseen_migration)
{
	struct kt_tl_opts o = { .end_ts = 1000 };
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_sys(&s, 200, 0, 1, SYS_getppid, 10, 1, 0, 0, 0);
	cs_switch(&s, 600, 1, 0, 0, 1);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 1, 100, KT_TL_RUNNING, 0, 200);
	EXPECT_IV(&out, 1, 300, KT_TL_UNKNOWN, 200, 600);
	EXPECT_IV(&out, 1, 700, KT_TL_RUNNING, 600, 1000);
	KT_ASSERT(tl_at(&out, 1, 700)->cpu == 1, "on cpu 1");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A request the sleeper issued completes on cpu 1; the interrupt that
 * wakes it runs on cpu 0, where nothing completed: still the disk. */
KT_TEST(causal_timeline_disk_other_cpu)
{
	struct kt_tl_opts o = { .end_ts = 1000 };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "fsync");
	cs_task(&s, 2, 2, "other");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_blk(&s, 495, 1, 2, 254 << 20, 7, 4096, 300);    /* not its own */
	cs_blk(&s, 500, 1, 1, 254 << 20, 8, 8192, 350);    /* its own */
	cs_wake(&s, 520, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 530, 0, 0, 0, 1);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	iv = tl_at(&out, 1, 200);
	KT_ASSERT(iv && iv->wake.cause == KT_CAUSE_DISK && iv->blk.sector == 8,
		  "cause %s sector %llu", iv ? kt_tl_cause_name(iv->wake.cause) : "-",
		  iv ? (unsigned long long)iv->blk.sector : 0);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A waking that comes while the thread runs found it about to sleep (the
 * kernel fires sched_waking only for a task in a sleep state): the switch
 * that follows reports the state read before the wakeup took effect, so
 * the thread is runnable from it, woken by that waker; not blocked until
 * a switch-in no wakeup explains. */
KT_TEST(causal_timeline_wake_races_sleep)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "middle");
	cs_task(&s, 2, 2, "kworker/u8:2");
	cs_task(&s, 3, 3, "hog");
	cs_switch(&s, 100, 0, 0, 0, 1);
	cs_switch(&s, 100, 1, 0, 0, 2);
	cs_wake(&s, 300, 1, 2, 1, KT_CTX_TASK);         /* 1 is on cpu 0 */
	cs_switch(&s, 310, 0, 1, KT_STATE_DISK, 3);
	cs_switch(&s, 600, 0, 3, KT_STATE_RUNNABLE, 1);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	EXPECT_IV(&out, 1, 310, KT_TL_RUNNABLE, 310, 600);
	iv = tl_at(&out, 1, 310);
	KT_ASSERT(iv->wake.cause == KT_CAUSE_TASK && iv->wake.tid == 2,
		  "woken by 2, got %s tid %u", kt_tl_cause_name(iv->wake.cause),
		  iv->wake.tid);
	EXPECT_IV(&out, 1, 600, KT_TL_RUNNING, 600, 1000);
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}

/* A block request completes on the cpu an instant before a softirq wakes
 * a thread that waits in read() on a socket: a completion does not end a
 * socket wait, so the network did (not the disk). */
KT_TEST(causal_timeline_socket_wait_not_disk)
{
	struct kt_tl_opts o = { .end_ts = 1000, .syscalls = true };
	const struct kt_tl_interval *iv;
	struct tl_out out;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 7, 7, "writer");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_blk(&s, 500, 0, 7, 254 << 20, 3, 4096, 300);
	cs_wake(&s, 505, 0, 0, 1, KT_CTX_SOFTIRQ);
	cs_switch(&s, 520, 0, 0, 0, 1);
	cs_sys(&s, 600, 0, 1, SYS_read, 550, 3, 64,
	       KT_FILE_ID(S_IFSOCK, 77), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cs_timeline(&s, &o, &out), "timeline failed");
	CHECK_TILING(&out);
	iv = tl_at(&out, 1, 200);
	KT_ASSERT(iv && iv->state == KT_TL_SLEEPING && iv->sys.nr == SYS_read,
		  "asleep in read");
	KT_ASSERT(iv->wake.cause == KT_CAUSE_NET && !iv->blk.complete_ts,
		  "woken by the network, got %s", kt_tl_cause_name(iv->wake.cause));
	iv = tl_at(&out, 1, 510);
	KT_ASSERT(iv && iv->state == KT_TL_RUNNABLE &&
		  iv->wake.cause == KT_CAUSE_NET && !iv->blk.complete_ts,
		  "runnable after the network's wakeup, got %s",
		  iv ? kt_tl_cause_name(iv->wake.cause) : "none");
	tl_out_release(&out);
	cs_release(&s);
	return KT_PASS;
}
