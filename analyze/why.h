/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * why.h - `ktrail why`: pick a span of a thread in a capture and explain
 * it with its critical path (critpath.h); or explain how a process ended
 * (kt_why_exit).
 *
 * First the span is found (a syscall, from the process's syscall
 * records; a wait interval outside any recorded syscall, a CPU stretch,
 * or a range asked for, from a timeline); then every thread's timeline
 * is built over the span as a window (window.h: a lookback for the
 * threads' states and a slack for the syscall records that end later),
 * and the path walked.  Memory is what happened during the span, not
 * the capture.
 */
#ifndef KT_WHY_H
#define KT_WHY_H

#include <stdbool.h>
#include "critpath.h"
#include "timeline_fmt.h"

struct kt_why_opts {
	__u32 pid;              /* required */
	__u32 tid;              /* 0 = any thread of pid */
	bool at_set;
	__u64 at;               /* --at: the span containing this time */
	bool range;             /* --from/--to: [from, to) of one thread */
	__u64 from, to;
	int sys_nr;             /* --syscall: only this one; -1 = any */
};

/* What a span is. */
enum kt_why_kind {
	KT_WHY_SYSCALL = 0,     /* a recorded syscall */
	KT_WHY_WAIT = 1,        /* a wait interval (blocked, sleeping,
				 * stopped) in no recorded syscall */
	KT_WHY_CPU = 2,         /* a CPU stretch: the thread's consecutive
				 * running and runnable intervals between
				 * two waits (or its first and last
				 * observed moments) */
	KT_WHY_RANGE = 3,       /* the range asked for (--from/--to) */
};

struct kt_why_span {
	__u64 start, end;
	__u32 utid, tid, pid;
	__u8 kind;              /* enum kt_why_kind */
	struct kt_tl_sys sys;   /* the syscall, or the wait's syscall */
	__u8 state;             /* wait interval: its state */
	bool open;              /* cut by the end of the capture */
	/* KT_WHY_CPU and KT_WHY_RANGE: the thread's own time in the span,
	 * from its intervals (the rest of a range is unknown or dead) */
	__u64 run_ns, runnable_ns, wait_ns;
	/* KT_WHY_RANGE without a thread asked: the thread was chosen among
	 * @nthreads threads of the process seen in the range, as the one
	 * with the most time not running (runnable or waiting) */
	bool chosen;
	__u32 nthreads;
};

/*
 * kt_why_pick - find the span.
 *
 * --from/--to (opts.range): [from, to) of thread tid, or without one of
 * the process's thread with the most time runnable or waiting in it.
 *
 * --at: the syscall in progress at that time; else the wait interval
 * that contains it; else the CPU stretch that contains it.
 *
 * --slowest (neither): the candidates are the syscalls, the wait
 * intervals in no recorded syscall (every wait when the capture has no
 * syscall records) and the CPU stretches; a syscall or a wait ranks by
 * its duration (the caller waited that long), a CPU stretch by its
 * runnable time (the time it lost to contention: running is progress).
 * Ties go to the longer, then to the earliest.  A syscall that began
 * before the capture is only partly observed: it is picked only when
 * nothing else matches.  With --syscall only that syscall's records
 * (or, when none, the waits labelled with it) are candidates.
 *
 * Returns 0, -ENOENT when the process has no matching span, or a
 * negative errno with @err filled (reader).  Leaves the reader's filter
 * cleared.
 */
int kt_why_pick(struct kt_reader *r, const struct kt_why_opts *o,
		struct kt_why_span *sp, struct kt_err *err);

/* Whether a thread or process is in the capture, to say why nothing
 * matched (kt_why_identify). */
struct kt_why_ident {
	bool pid_seen;          /* a task of the process is in the capture */
	bool tid_seen;          /* a task with the tid is */
	bool tid_in_pid;        /* ... and belongs to the process */
	__u32 tid_pid;          /* the process it belongs to (the last seen) */
};

/*
 * kt_why_identify - look @pid and @tid (0: none) up in the capture's task
 * table: the tasks at its start and every fork, exec, comm and exit
 * after.  Returns 0 or a negative errno with @err filled.  Leaves the
 * reader's filter cleared.
 */
int kt_why_identify(struct kt_reader *r, __u32 pid, __u32 tid,
		    struct kt_why_ident *id, struct kt_err *err);

struct kt_why {
	struct kt_why_span span;
	struct kt_cp_store *store;
	struct kt_cp_path path;
	const struct kt_tasks *tasks;   /* the reader's, for names */
	const json_t *meta;             /* the reader's metadata */
	struct kt_tlf_names names;      /* disks, and the fds of the
					 * syscalls it prints (owned) */
};

/*
 * kt_why_explain - the second pass: the critical path of @sp into @w
 * (release with kt_why_release).  Returns 0 or a negative errno (@err
 * filled when the reader failed).
 */
int kt_why_explain(struct kt_reader *r, const struct kt_why_span *sp,
		   struct kt_why *w, struct kt_err *err);
/* kt_why_explain_store - the same from @store, a timeline of the span
 * the caller already streamed (kt_cp_store_ops), which @w then owns
 * (freed on failure too). */
int kt_why_explain_store(struct kt_reader *r, const struct kt_why_span *sp,
			 struct kt_cp_store *store, struct kt_why *w,
			 struct kt_err *err);
void kt_why_release(struct kt_why *w);

/* kt_why_names - the names @w prints (why_names.c): the capture's disks,
 * and what the fds of the span's, the waits' and the wakers' syscalls
 * named, in one pass over the capture's syscall records (on a reader of
 * its own: @r and w->tasks are not disturbed).  Returns 0, -ENOMEM, or
 * the reader's error with @err filled. */
int kt_why_names(struct kt_why *w, const struct kt_reader *r,
		 struct kt_err *err);

/* ------------------------------------------------- a window's slowest */

/*
 * kt_why_idle_syscall - whether syscall @nr is an idle wait: a thread
 * waiting for work or for time to pass, not on a resource: epoll_wait,
 * epoll_pwait(2), poll, ppoll, select, pselect6, pause, rt_sigsuspend,
 * rt_sigtimedwait, wait4, waitid, nanosleep, clock_nanosleep.  "The
 * slowest span" of a window (the pictures' critical path) never picks
 * one unless a process was asked for; busy time never counts one.
 */
bool kt_why_idle_syscall(unsigned nr);

/*
 * The slowest span of a window [from, to], found while a timeline of it
 * streams by (feed kt_why_slow_ops, or call the three feeders from your
 * own callbacks).  The candidates are those of --slowest (kt_why_pick),
 * cut to the window and ranked by what they cost inside it: the
 * syscalls, the waits in no recorded syscall, the CPU stretches (by
 * their runnable time).  Unless @asked (the caller selected a process
 * or thread: then it wants that one's slowest, whatever it is), idle
 * syscalls (kt_why_idle_syscall) are never candidates, nor are waits in
 * no syscall other than blocked (D) ones (a wait whose syscall is not
 * known may be idle), nor anything of a kernel thread (their main loops
 * wait and spin by design) or of a thread the task table does not know
 * (utid 0: no name, no process).  Candidates only partly observed rank
 * after every other: a syscall that began before the capture or had
 * not returned when it ended, a CPU
 * stretch cut by the end of the observation (a thread still runnable
 * when the events that would say otherwise stopped).  The best candidate is kept per
 * thread, so that the caller can choose the threads afterwards
 * (kt_why_slow_best).
 *
 * Memory: one entry per thread seen.
 */
struct kt_why_slow;

/* kt_why_slow_new - NULL with errno ENOMEM. */
struct kt_why_slow *kt_why_slow_new(__u64 from, __u64 to, bool asked);
void kt_why_slow_free(struct kt_why_slow *s);   /* accepts NULL */

/* Feeders (timeline order per thread); each returns 0 or -ENOMEM. */
int kt_why_slow_interval(struct kt_why_slow *s, const struct kt_tl_interval *iv);
int kt_why_slow_span(struct kt_why_slow *s, const struct kt_tl_span *sp);
int kt_why_slow_thread_end(struct kt_why_slow *s, const struct kt_tl_interval *iv);
/* The timeline callbacks that feed it (arg: the struct kt_why_slow). */
extern const struct kt_tl_ops kt_why_slow_ops;

/*
 * kt_why_slow_best - the slowest span (the --slowest order: rank, then
 * longer, then earlier) among the threads @want accepts (NULL: all;
 * it gets the candidate's utid, tid and pid) into OUT @sp, its start
 * and end cut to the window.  Call after the timeline finished (its
 * thread_end callbacks close the CPU stretches).  Returns whether
 * there was one.
 */
bool kt_why_slow_best(const struct kt_why_slow *s,
		      bool (*want)(__u32 utid, __u32 tid, __u32 pid, void *arg),
		      void *arg, struct kt_why_span *sp);

/*
 * kt_why_pick_window - the slowest span of window @w (window.h; placed)
 * among the threads of process @pid (0: any) and thread @tid (0: any),
 * with one timeline pass; @pid or @tid given are "asked" (above).
 * Returns 0, -ENOENT when there is none, or a negative errno (@err
 * filled when the reader failed).
 */
struct kt_window;
int kt_why_pick_window(struct kt_reader *r, const struct kt_window *w,
		       __u32 pid, __u32 tid, struct kt_why_span *sp,
		       struct kt_err *err);

/*
 * kt_why_culprit - the thread where @w's root cause (kt_cp_root) sits:
 * the hop that holds most of its time (the disk's or timer's waiter,
 * the thread that ran, or that waited for a cpu).  OUT @utid, @tid,
 * @pid.  Returns false when the path has no root.
 */
bool kt_why_culprit(const struct kt_why *w, __u32 *utid, __u32 *tid,
		    __u32 *pid);

/* kt_why_print flags */
#define KT_WHY_ALL_SEGMENTS 0x1 /* every stretch, not the longest 15 */

/* Print for people (the root cause first), or as one JSON object (every
 * segment), into @o.  Return 0 or @o's sticky error (a negative errno). */
struct kt_out;
int kt_why_print(struct kt_out *o, const struct kt_why *w, unsigned flags);
int kt_why_print_json(struct kt_out *o, const struct kt_why *w);

/* kt_why_root_sentence - the root cause in one sentence, the first line
 * of kt_why_print without its newline ("root cause: disk I/O on 8:0,
 * ..."; "" when the path has no root): the pictures and the report
 * start with it.  kt_why_confidence_sentence - the confidence and what
 * it rests on ("confidence 0.90: ..."), as kt_why_print words it.  Both
 * malloc'd (the caller frees), NULL with errno ENOMEM. */
char *kt_why_root_sentence(const struct kt_why *w);
char *kt_why_confidence_sentence(const struct kt_why *w);
/* kt_why_span_sentence - what the span is, as the answer's "why:" line
 * says it after "why: " ("read(3<pipe:[7]>) by app/42 (pid 42)");
 * malloc'd, NULL with errno ENOMEM. */
char *kt_why_span_sentence(const struct kt_why *w);

/* kt_why_attr_words - an attribution bucket as the answer names it
 * ("disk 8:0", "running app/42", "runnable (contention)", "unknown
 * (app/42)"), composed into @buf of size @sz; returns @buf. */
char *kt_why_attr_words(char *buf, size_t sz, const struct kt_why *w,
			const struct kt_cp_attr *a);

/* ------------------------------------------------------------- --exit */

#define KT_WHY_EXIT_FAILS 5     /* failing syscalls kept per process */
#define KT_WHY_TEXT_MAX 192     /* a syscall or an image, as text */

struct kt_why_fail {            /* a syscall that returned an error */
	__u64 ts;               /* its start */
	__u32 utid, tid, nr;
	__s64 ret;
	char text[KT_WHY_TEXT_MAX]; /* "openat("/x") = -ENOENT" */
};

/* One process of interest: the one asked about, and its descendants. */
struct kt_why_proc {
	__u32 pid, ppid, utid;  /* utid: its leader's */
	bool ended;             /* its last thread's exit is in the capture */
	__u64 end_ts;
	__u32 end_tid, end_utid;
	__s32 exit_code;        /* status << 8 | termsig */
	bool execd;             /* an exec during the capture */
	__u64 exec_ts;
	char exe[KT_WHY_TEXT_MAX];
	struct kt_why_fail fails[KT_WHY_EXIT_FAILS]; /* the last ones, a ring */
	__u32 nfails;           /* failing syscalls seen in all */
	bool oom;               /* a KT_OOM_VICTIM event names it */
	__u64 oom_ts;
	__u32 oom_killer_utid, oom_killer_tid;
	__u64 oom_anon_kb, oom_file_kb, oom_shmem_kb, oom_vm_kb;
	__s32 oom_score_adj;
	char memcg[KT_WHY_TEXT_MAX];
};

struct kt_why_reap {            /* a wait4/waitid that returned a child */
	__u64 ts;               /* the syscall's end */
	__u32 parent, child;    /* pids */
	__u32 nr;               /* wait4 or waitid; 0: not recorded: a child
				 * that ended before its parent with no
				 * record that returned it (no syscall
				 * records, waitid(P_ALL), a lost record),
				 * taken as reaped at its end */
	bool failed;            /* the child exited non-zero, or a signal
				 * its parent did not send killed it */
};

struct kt_why_sig {             /* a signal generated for a process of
				 * interest, or sent by the one asked about */
	__u64 ts;
	__u32 sender_utid, sender_tid, sender_pid;
	__u32 target_tid, target_pid;
	__u32 signo;
	__s32 code, result;
	bool by_kernel;         /* kt_signal_by_kernel(code) */
};

/* The first failure in the chain that ended the process. */
enum kt_why_fail_kind {
	KT_WHY_F_NONE = 0,      /* it exited with status 0, no failure */
	KT_WHY_F_EXIT = 1,      /* a process exited with a non-zero status
				 * (none of its reaped children failed
				 * before) */
	KT_WHY_F_SIGNAL = 2,    /* a process was killed by a signal sent by
				 * another task or by the kernel */
};

struct kt_why_exit {
	__u32 pid;
	struct kt_why_proc *procs;      /* procs[0] is the one asked about */
	size_t nprocs;
	struct kt_why_reap *reaps;
	size_t nreaps;
	struct kt_why_sig *sigs;
	size_t nsigs;
	/* the first failure: a process (index in procs), its kind, and for
	 * a signal the generate event that killed it (index in sigs, or -1
	 * when it was not recorded) */
	__u8 first_kind;
	size_t first_proc;
	long first_sig;
	/* the chain from the one asked about down to first_proc: indexes
	 * in procs, [0] = 0 */
	size_t chain[16];
	size_t nchain;
	const struct kt_tasks *tasks;   /* the reader's, for names */
	bool syscalls;                  /* the capture has syscall records */
};

/*
 * kt_why_exit - how process @pid ended: its end, the children it reaped
 * and how they ended, the signals it and they received and from whom,
 * the signals it sent, their last failing syscalls; and the first
 * failure in that chain (docs/causal.md "Why a process ended").  One
 * pass over the proc, signal, OOM and syscall records of the capture.
 * Returns 0, -ENOENT when the process's end is not in the capture, or a
 * negative errno (@err filled when the reader failed).  Release @x with
 * kt_why_exit_release in every case.
 */
int kt_why_exit(struct kt_reader *r, __u32 pid, struct kt_why_exit *x,
		struct kt_err *err);
void kt_why_exit_release(struct kt_why_exit *x);

/* kt_why_exit_root_sentence - the first failure in one sentence, the
 * first line kt_why_exit_print prints ("root cause: process 42 (app/42)
 * exited with status 3 ..."); malloc'd, NULL with errno ENOMEM. */
char *kt_why_exit_root_sentence(const struct kt_why_exit *x);

/* Print it for people (the first failure first) or as one JSON object.
 * Return 0 or @o's sticky error. */
int kt_why_exit_print(struct kt_out *o, const struct kt_why_exit *x);
int kt_why_exit_print_json(struct kt_out *o, const struct kt_why_exit *x);

#endif /* KT_WHY_H */
