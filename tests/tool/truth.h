/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * truth.h - what the ground-truth workloads of tests/truth share (issue
 * 10): each workload measures itself from user space and appends what it
 * measured to a truth file, one record per line, "KIND key=value ...":
 *
 *   task  role=R pid=P tid=T [comm=C]        a task of the workload (each of
 *                                            its processes has one; role=main
 *                                            is the one record started)
 *   span  role=R tid=T start=NS end=NS       a stretch of one thread, on
 *                                            CLOCK_MONOTONIC (the clock of
 *                                            the capture's timestamps)
 *   sched role=R tid=T start=NS end=NS run=NS wait=NS [cpu=C]
 *                                            a span plus what the kernel
 *                                            counted for the thread in it:
 *                                            run = CPU time (CLOCK_THREAD_
 *                                            CPUTIME_ID), wait = run-queue
 *                                            wait (schedstat run_delay)
 *   count role=R tid=T syscall=NAME n=N      exact syscalls the code made
 *   exit  role=R pid=P code=C | signal=S     how a process ended
 *   ...   further kinds per workload (see each one's comment)
 *
 * Lines are written with one pwrite() each on an O_APPEND file, so that
 * processes of one workload can share it and so that the workloads' own
 * read/write counts stay exact (pwrite64 is a syscall of its own).
 */
#ifndef KT_TRUTH_H
#define KT_TRUTH_H

#include <stdbool.h>
#include <linux/types.h>

/* The truth file PATH, opened for appending; cloexec false keeps it open
 * across exec (the exec workload hands it on).  Returns the fd or -1. */
int kt_truth_open(const char *path, bool cloexec);

/* Append one line (a newline is added); a failed write is reported on
 * stderr and makes kt_truth_failed() true. */
void kt_truth_put(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool kt_truth_failed(void);

__u64 kt_truth_now(void);      /* CLOCK_MONOTONIC, ns */
int kt_truth_tid(void);
void kt_truth_spin(__u64 ns);  /* busy, no syscall (vDSO clock) */
void kt_truth_sleep(__u64 ns); /* one clock_nanosleep (restarted on EINTR) */
int kt_truth_pin(int cpu);     /* sched_setaffinity to one cpu */
int kt_truth_last_cpu(void);

/* What the kernel counted for the calling thread: CPU time and the time it
 * waited on a run queue.  CPU time comes from CLOCK_THREAD_CPUTIME_ID,
 * which brings the running task's sum up to date (schedstat's first field
 * lags by up to a tick); the run-queue wait from schedstat, exact for a
 * running task.  Open FD once per thread with kt_truth_sched_fd(). */
struct kt_truth_sched {
	__u64 start, end;       /* CLOCK_MONOTONIC around the span */
	__u64 run0, run1;       /* CPU time at start and end */
	__u64 wait0, wait1;     /* run-queue wait at start and end */
};

int kt_truth_sched_fd(void);   /* /proc/thread-self/schedstat, or -1 */
/* the calling thread's run-queue wait since it was created, ns */
__u64 kt_truth_run_delay(void);
void kt_truth_sched_begin(struct kt_truth_sched *s, int fd);
void kt_truth_sched_end(struct kt_truth_sched *s, int fd);
/* "sched role=ROLE tid=TID start= end= run= wait=" */
void kt_truth_put_sched(int out, const char *role, int tid,
			const struct kt_truth_sched *s);

/*
 * The run-queue waits of the kernel threads (PF_KTHREAD), for a truth that
 * a thread's own schedstat cannot give: a wait that ended through a kernel
 * thread (writeback, the journal) lasted as long as that thread waited
 * for a cpu too.  kt_truth_kwaits_open finds them and opens their
 * schedstat files (outside any measured span: it reads /proc); _read
 * takes a snapshot (a pread each); kt_truth_put_kwait writes the largest
 * growth of one thread between two snapshots, and the sum:
 * "kwait role=ROLE tid= comm= wait= sum=".
 */
#define KT_TRUTH_KWAITS 512
struct kt_truth_kwaits {
	int n;
	int fd[KT_TRUTH_KWAITS], tid[KT_TRUTH_KWAITS];
	char comm[KT_TRUTH_KWAITS][16];
	__u64 wait[KT_TRUTH_KWAITS];
};

void kt_truth_kwaits_open(struct kt_truth_kwaits *k);
void kt_truth_kwaits_read(struct kt_truth_kwaits *k);
void kt_truth_kwaits_close(struct kt_truth_kwaits *k);
void kt_truth_put_kwait(int out, const char *role,
			const struct kt_truth_kwaits *a,
			const struct kt_truth_kwaits *b);

/* "task role=main pid= tid=": the process `ktrail record -- CMD` ran,
 * so that the checker knows every process of the workload. */
void kt_truth_main(int out);

/* A decimal argument, or DEF when absent; exits 2 on garbage. */
long kt_truth_arg(int argc, char **argv, int i, long def);

#endif
