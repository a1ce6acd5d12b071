// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stats: runqlat, offcputime, top over hand-built scheduler timelines. */
#include <sys/syscall.h>
#include "stream_util.h"

#define R KT_STATE_RUNNABLE
#define S KT_STATE_SLEEPING
#define D KT_STATE_DISK
#define T1 (10 * SEC)

/*
 * cpu0: 200 woken by 100 at T1, runs at T1+100us (100 us waiting);
 *       preempted by 300 at T1+1ms, back at T1+3ms (2000 us);
 *       300, running on cpu1 since T1+200us, is woken at T1+500us:
 *       a spurious wakeup, ignored.
 * cpu1: 201 woken at T1+10ms, runs at T1+10ms+5us (5 us); a second
 *       waking while runnable does not restart the wait.
 */
static size_t runq_events(struct kt_event *ev)
{
	size_t n = 0;

	ev[n++] = ev_wake(T1, 0, 100, 100, 200, 200);
	ev[n++] = ev_switch(T1 + 100 * US, 0, 0, 0, R, 200, 200);
	ev[n++] = ev_switch(T1 + 200 * US, 1, 0, 0, R, 300, 300);
	ev[n++] = ev_wake(T1 + 500 * US, 0, 100, 100, 300, 300);
	ev[n++] = ev_switch(T1 + 1 * MS, 0, 200, 200, R, 300, 300);
	ev[n++] = ev_switch(T1 + 2 * MS, 1, 300, 300, S, 0, 0);
	ev[n++] = ev_switch(T1 + 3 * MS, 0, 300, 300, S, 200, 200);
	ev[n++] = ev_wake(T1 + 10 * MS, 1, 200, 200, 201, 200);
	ev[n++] = ev_wake(T1 + 10 * MS + 1 * US, 1, 100, 100, 201, 200);
	ev[n++] = ev_switch(T1 + 10 * MS + 5 * US, 1, 0, 0, R, 201, 200);
	return n;
}

KT_TEST(stream_stats_runqlat)
{
	struct kt_stats_opts opts;
	struct kt_event ev[16];
	size_t n = runq_events(ev);

	/* latencies: 100 us and 2000 us (200), 5 us (201); 300 was
	 * running when woken, and it went to sleep, not to the queue */
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("runqlat", ev, n, NULL, &opts),
"     usecs               : count    distribution\n"
"         0 -> 1          : 0        |                                        |\n"
"         2 -> 3          : 0        |                                        |\n"
"         4 -> 7          : 1        |****************************************|\n"
"         8 -> 15         : 0        |                                        |\n"
"        16 -> 31         : 0        |                                        |\n"
"        32 -> 63         : 0        |                                        |\n"
"        64 -> 127        : 1        |****************************************|\n"
"       128 -> 255        : 0        |                                        |\n"
"       256 -> 511        : 0        |                                        |\n"
"       512 -> 1023       : 0        |                                        |\n"
"      1024 -> 2047       : 1        |****************************************|\n");
	opts.per_thread = true;
	opts.json = true;
	EXPECT_STR("per thread", run_stats("runqlat", ev, n, NULL, &opts),
"{\"tid\":200,\"pid\":200,\"comm\":\"cat\",\"unit\":\"usecs\",\"count\":2,\"total_ns\":2100000,\"buckets\":[{\"low\":0,\"high\":1,\"count\":0},{\"low\":2,\"high\":3,\"count\":0},{\"low\":4,\"high\":7,\"count\":0},{\"low\":8,\"high\":15,\"count\":0},{\"low\":16,\"high\":31,\"count\":0},{\"low\":32,\"high\":63,\"count\":0},{\"low\":64,\"high\":127,\"count\":1},{\"low\":128,\"high\":255,\"count\":0},{\"low\":256,\"high\":511,\"count\":0},{\"low\":512,\"high\":1023,\"count\":0},{\"low\":1024,\"high\":2047,\"count\":1}]}\n"
"{\"tid\":201,\"pid\":200,\"comm\":\"cat-worker\",\"unit\":\"usecs\",\"count\":1,\"total_ns\":5000,\"buckets\":[{\"low\":0,\"high\":1,\"count\":0},{\"low\":2,\"high\":3,\"count\":0},{\"low\":4,\"high\":7,\"count\":1}]}\n");
	kt_stats_opts_init(&opts);
	opts.per_process = true;
	opts.ms = true;
	EXPECT_STR("per process", run_stats("runqlat", ev, n, NULL, &opts),
"pid = 200 cat\n"
"     msecs               : count    distribution\n"
"         0 -> 1          : 2        |****************************************|\n"
"         2 -> 3          : 1        |********************                    |\n");
	return KT_PASS;
}

/*
 * 200 on cpu0:
 *   T1         switch out S (sleeps in read, which entered at T1-1ms)
 *   T1+10ms    back in;  read ends at T1+11ms      -> read/sleeping 10 ms
 *   T1+20ms    preempted (R), back at T1+21ms; getppid entered at
 *              T1+29ms, ends T1+30ms               -> -/preempted 1 ms
 *   T1+40ms    out D, in at T1+45ms; fsync (entered T1+39ms) ends at
 *              T1+46ms                             -> fsync/blocked 5 ms
 * 201 on cpu1:
 *   T1         out S, in at T1+5ms; futex ends T1+6ms -> futex/sleeping
 *   T1+7ms     out S, in at T1+8ms, then exits     -> -/sleeping 1 ms
 */
static size_t offcpu_events(struct kt_event *ev)
{
	size_t n = 0;

	ev[n++] = ev_switch(T1, 0, 200, 200, S, 0, 0);
	ev[n++] = ev_switch(T1, 1, 201, 200, S, 0, 0);
	ev[n++] = ev_switch(T1 + 5 * MS, 1, 0, 0, R, 201, 200);
	ev[n++] = ev_sys(T1 + 6 * MS, 1, 201, 200, SYS_futex, 7 * MS, 0);
	ev[n++] = ev_switch(T1 + 7 * MS, 1, 201, 200, S, 0, 0);
	ev[n++] = ev_switch(T1 + 8 * MS, 1, 0, 0, R, 201, 200);
	ev[n++] = ev_base(KT_PROC_EXIT, T1 + 9 * MS, 1, 201, 200);
	ev[n++] = ev_switch(T1 + 10 * MS, 0, 0, 0, R, 200, 200);
	ev[n++] = ev_sys(T1 + 11 * MS, 0, 200, 200, SYS_read, 12 * MS, 5);
	ev[n++] = ev_switch(T1 + 20 * MS, 0, 200, 200, R, 300, 300);
	ev[n++] = ev_switch(T1 + 21 * MS, 0, 300, 300, S, 200, 200);
	ev[n++] = ev_sys(T1 + 30 * MS, 0, 200, 200, SYS_getppid, 1 * MS, 1);
	ev[n++] = ev_switch(T1 + 40 * MS, 0, 200, 200, D, 0, 0);
	ev[n++] = ev_switch(T1 + 45 * MS, 0, 0, 0, R, 200, 200);
	ev[n++] = ev_sys(T1 + 46 * MS, 0, 200, 200, SYS_fsync, 7 * MS, 0);
	return n;
}

KT_TEST(stream_stats_offcputime)
{
	struct kt_stats_opts opts;
	struct kt_event ev[20];
	size_t n = offcpu_events(ev);

	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("offcputime", ev, n, NULL, &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              sleeping   read                         1      10000.000      10000.000\n"
"200     200     cat              blocked    fsync                        1       5000.000       5000.000\n"
"200     201     cat-worker       sleeping   futex                        1       5000.000       5000.000\n"
"200     200     cat              preempted  (no syscall)                 1       1000.000       1000.000\n"
"200     201     cat-worker       sleeping   (no syscall)                 1       1000.000       1000.000\n");
	opts.per_process = true;
	opts.top = 2;
	opts.json = true;
	EXPECT_STR("per process", run_stats("offcputime", ev, n, NULL, &opts),
"{\"pid\":200,\"comm\":\"cat\",\"reason\":\"sleeping\",\"syscall\":\"read\",\"count\":1,\"total_ns\":10000000,\"max_ns\":10000000}\n"
"{\"pid\":200,\"comm\":\"cat\",\"reason\":\"sleeping\",\"syscall\":\"futex\",\"count\":1,\"total_ns\":5000000,\"max_ns\":5000000}\n");
	/* without syscall events in the capture: reasons only */
	kt_stats_opts_init(&opts);
	opts.have_kinds = KT_KIND_BIT(KT_SCHED_SWITCH);
	opts.tid = 200;
	EXPECT_STR("no syscalls", run_stats("offcputime", ev, n, NULL, &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              sleeping   (no syscall)                 1      10000.000      10000.000\n"
"200     200     cat              blocked    (no syscall)                 1       5000.000       5000.000\n"
"200     200     cat              preempted  (no syscall)                 1       1000.000       1000.000\n");
	return KT_PASS;
}

/*
 * A wait ends at its wakeup: what follows until the switch-in is a wait
 * for a cpu (issue 10: a thread in sched_setaffinity blocks (D) for the
 * migration thread, which moves it and wakes it 5 us later on a cpu that
 * three spinners hold; it runs 3.7 ms later).  The D part is "blocked",
 * the rest "runnable", both in sched_setaffinity; none of it is disk.
 * A preempted thread that is woken (it was going to sleep) stays
 * preempted.
 */
KT_TEST(stream_stats_offcputime_wakeup)
{
	struct kt_stats_opts opts;
	struct kt_event ev[8];
	size_t n = 0;

	ev[n++] = ev_switch(T1, 0, 200, 200, D, 18, 0);
	ev[n++] = ev_wake(T1 + 5 * US, 0, 18, 0, 200, 200);
	ev[n++] = ev_switch(T1 + 3705 * US, 1, 300, 300, R, 200, 200);
	ev[n++] = ev_sys(T1 + 3710 * US, 1, 200, 200, SYS_sched_setaffinity,
			 3720 * US, 0);
	ev[n++] = ev_switch(T1 + 10 * MS, 1, 200, 200, R, 300, 300);
	ev[n++] = ev_wake(T1 + 11 * MS, 1, 300, 300, 200, 200);
	ev[n++] = ev_switch(T1 + 12 * MS, 1, 300, 300, R, 200, 200);
	kt_stats_opts_init(&opts);
	opts.tid = 200;
	EXPECT_STR("text", run_stats("offcputime", ev, n, NULL, &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              runnable   sched_setaffinity            1       3700.000       3700.000\n"
"200     200     cat              preempted  (no syscall)                 1       2000.000       2000.000\n"
"200     200     cat              blocked    sched_setaffinity            1          5.000          5.000\n");
	return KT_PASS;
}

KT_TEST(stream_stats_offcputime_overflow)
{
	struct kt_stats_opts opts;
	struct kt_event ev[2 * KT_OFFCPU_PENDING + 8];
	size_t n = 0;

	/* 66 preemptions and no syscall: one row, not the oldest 2 apart
	 * as "?" (issue 15); the oldest are summed while they wait */
	for (int i = 0; i < KT_OFFCPU_PENDING + 2; i++) {
		ev[n++] = ev_switch(T1 + i * MS, 0, 200, 200, R, 0, 0);
		ev[n++] = ev_switch(T1 + i * MS + 10 * US, 0, 0, 0, R, 200,
				    200);
	}
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("offcputime", ev, n, NULL, &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              preempted  (no syscall)                66        660.000         10.000\n");
	/* a syscall that began before all of them takes them all; one that
	 * began among the summed ones cannot split them: "(unknown)" */
	ev[n] = ev_sys(T1 + 70 * MS, 0, 200, 200, SYS_read, 70 * MS + 1, 5);
	EXPECT_STR("in one read", run_stats("offcputime", ev, n + 1, NULL,
					    &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              preempted  read                        66        660.000         10.000\n");
	ev[n] = ev_sys(T1 + 70 * MS, 0, 200, 200, SYS_read, 69 * MS + 500 * US,
		       5);
	EXPECT_STR("split", run_stats("offcputime", ev, n + 1, NULL, &opts),
"PID     TID     COMM             REASON     SYSCALL                  COUNT      TOTAL(us)        MAX(us)\n"
"200     200     cat              preempted  read                        64        640.000         10.000\n"
"200     200     cat              preempted  (unknown)                    2         20.000         10.000\n");
	return KT_PASS;
}

KT_TEST(stream_stats_top)
{
	struct kt_stats_opts opts;
	struct kt_event ev[4];

	/* window [29 s, 32 s]: 100 runs on cpu0 from the start until 30 s
	 * and on cpu1 from 31 s to the end; 300 on cpu1 from the start to
	 * 31 s; 200 on cpu0 30 s - 30.5 s */
	ev[0] = ev_switch(30 * SEC, 0, 100, 100, S, 200, 200);
	ev[1] = ev_switch(30 * SEC + 500 * MS, 0, 200, 200, S, 0, 0);
	ev[2] = ev_switch(31 * SEC, 1, 300, 300, R, 100, 100);
	kt_stats_opts_init(&opts);
	opts.first_ts = 29 * SEC;
	opts.last_ts = 32 * SEC;
	EXPECT_STR("text", run_stats("top", ev, 3, NULL, &opts),
"PID     TID     COMM                 CPU(ms)   %CPU   SWITCHES\n"
"100     100     bash                2000.000   66.6          1\n"
"300     300     server              2000.000   66.6          1\n"
"200     200     cat                  500.000   16.6          1\n");
	opts.per_process = true;
	opts.json = true;
	opts.top = 1;
	opts.comm = "cat";
	EXPECT_STR("json", run_stats("top", ev, 3, NULL, &opts),
"{\"pid\":200,\"comm\":\"cat\",\"cpu_ns\":500000000,\"window_ns\":3000000000,\"switches\":1}\n");
	return KT_PASS;
}
