/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * timeline.h - per-thread state timelines at nanosecond resolution, built
 * in one streaming pass over an event source.
 *
 * Every nanosecond of a thread's observed life, from its first appearance
 * in the stream (as subject, switch target, wakee, fork child ...) to its
 * death or the end of the observation, lies in exactly one interval:
 * running (on a CPU), runnable (preempted, or woken and waiting for a CPU:
 * as in Perfetto, runnable starts at the waking), blocked (D), sleeping
 * (S), stopped, dead, or unknown (the events so far do not say; only at a
 * capture edge).  Beside the intervals come spans: syscalls, block
 * requests, TCP connection lifetimes, signals and process lifetimes.
 *
 * The builder hands each interval and span to callbacks as soon as it is
 * final, so consumers run in bounded memory.  Because syscall records are
 * stamped at their end, a wait interval is only final when the syscall
 * around it (or the next one) completes: the builder holds a thread's
 * intervals from its first unlabeled wait until then, at most
 * KT_TL_HOLD_MAX per thread.  Intervals of one thread are delivered in
 * time order; intervals of different threads are not ordered.
 *
 * Memory: O(live threads x KT_TL_HOLD_MAX + open TCP connections + live
 * processes + CPUs); nothing grows with the length of the capture.
 *
 * Identity: threads are keyed by utid (kt_tasks); utid 0 means the task
 * table did not know the tid, and then tid identifies the thread.
 */
#ifndef KT_TIMELINE_H
#define KT_TIMELINE_H

#include <stdbool.h>
#include "format/format.h"

enum kt_tl_state {
	KT_TL_UNKNOWN = 0,  /* seen, but no event yet says in which state */
	KT_TL_RUNNING = 1,  /* on cpu */
	KT_TL_RUNNABLE = 2, /* waiting for a cpu (preempted, woken, new) */
	KT_TL_BLOCKED = 3,  /* D: uninterruptible wait */
	KT_TL_SLEEPING = 4, /* S: interruptible wait (and I, P kthreads) */
	KT_TL_STOPPED = 5,  /* T, t: stopped or traced */
	KT_TL_DEAD = 6,     /* after its last switch-out; up to the end */
	KT_TL_NSTATES
};

/* What made a thread runnable, or what ended a wait. */
enum kt_tl_cause {
	KT_CAUSE_NONE = 0,    /* not ended by a wakeup (observation ended) */
	KT_CAUSE_PREEMPT = 1, /* runnable because preempted */
	KT_CAUSE_TASK = 2,    /* woken by a task in process context */
	KT_CAUSE_FORK = 3,    /* a new task, made runnable by its parent */
	KT_CAUSE_DISK = 4,    /* interrupt right after a block completion */
	KT_CAUSE_TIMER = 5,   /* interrupt ending a timed wait that timed out */
	KT_CAUSE_NET = 6,     /* softirq ending a wait on a socket */
	KT_CAUSE_IRQ = 7,     /* other interrupt-context wakeup */
	KT_CAUSE_MISSING = 8, /* the wait ended without a waking event */
	KT_CAUSE_SELF = 9,    /* woken by itself (an interrupt in its own
			       * context or a signal it raised) */
	KT_NCAUSES
};

/* KT_TL_NOSYS in kt_tl_sys.nr: no recorded syscall contains the interval */
#define KT_TL_NOSYS 0xffffffffu

struct kt_tl_sys {            /* a syscall, from its completed record */
	__u32 nr;             /* KT_TL_NOSYS: none */
	__u32 flags;          /* KT_SYSCALL_* */
	__u64 start, end;     /* enter and exit time */
	__s64 ret;
	__u64 arg[3];         /* as in struct kt_syscall */
};

struct kt_tl_blk {            /* a block request, issue to completion */
	__u64 issue_ts, complete_ts;
	__u64 sector;
	__u32 dev;            /* major << 20 | minor */
	__u32 op;             /* REQ_OP_* | flags */
	__u32 bytes;
	__s32 error;
	__u32 issuer_utid, issuer_tid;
	__u16 issue_cpu, complete_cpu;
	__u32 flags;          /* KT_BLOCK_* */
};

struct kt_tl_wake {           /* a wakeup (sched_waking / wakeup_new) */
	__u64 ts;             /* 0: none */
	__u32 utid, tid;      /* the waker for TASK/FORK/SELF; for interrupt
			       * causes the task the interrupt ran over, a
			       * hint only (never blamed) */
	__u16 cpu;            /* where the waking ran */
	__u8 ctx;             /* enum kt_context of the waker */
	__u8 cause;           /* enum kt_tl_cause */
};

/* kt_tl_interval.flags */
#define KT_TL_F_FIRST 0x1       /* first interval: the thread's state before
				 * is unknown (capture or window edge) */
#define KT_TL_F_OPEN 0x2        /* cut by the end of the observation */
#define KT_TL_F_SYS_UNKNOWN 0x4 /* a wait whose syscall could not be told
				 * (no record came, or too many held) */
#define KT_TL_F_EXITING 0x8     /* after the thread's exit event */
#define KT_TL_F_MISSED 0x10     /* unknown: a switch that put the thread
				 * on or off a cpu was not recorded (woken
				 * twice with no run in between, seen on a
				 * cpu another task then held, or shown
				 * running without its switch-in): lost
				 * events, or a thread out of scope */
#define KT_TL_F_KTHREAD 0x40    /* the thread is a kernel thread */
#define KT_TL_F_UNTRACKED 0x20  /* unknown: a thread out of a scoped
				 * recording's scope, whose switches are not
				 * recorded; its state is never guessed */

struct kt_tl_interval {
	__u64 start, end;       /* [start, end), ns, end > start */
	__u32 utid, tid, pid;
	__u16 cpu;              /* RUNNING: its cpu; RUNNABLE: the cpu it
				 * waited for (where it ran next, else the
				 * wakeup's target); waits: the cpu it left */
	__u8 state;             /* enum kt_tl_state */
	__u8 flags;             /* KT_TL_F_* */
	/* RUNNABLE: what made it runnable; BLOCKED/SLEEPING/STOPPED: what
	 * ended the wait (cause NONE when the observation ended first). */
	struct kt_tl_wake wake;
	/* BLOCKED/SLEEPING/STOPPED: the syscall it happened in (nr
	 * KT_TL_NOSYS when none or unknown, see KT_TL_F_SYS_UNKNOWN). */
	struct kt_tl_sys sys;
	/* wake.cause == KT_CAUSE_DISK: the request whose completion woke it */
	struct kt_tl_blk blk;
};

enum kt_tl_span_kind {
	KT_SPAN_SYSCALL = 1,    /* utid: the caller */
	KT_SPAN_BLOCK = 2,      /* utid: the issuer */
	KT_SPAN_TCP = 3,        /* utid: the owner (connecting thread), or 0 */
	KT_SPAN_SIGNAL = 4,     /* utid: the target; generate -> deliver */
	KT_SPAN_PROCESS = 5,    /* utid: the thread group leader */
	KT_SPAN_TCP_RETRANS = 6,/* a retransmission (start == end): utid,
				 * the socket's owner (format 1.1), or 0;
				 * tcp.last_state the socket's state */
};

/* kt_tl_span.flags */
#define KT_SPAN_F_OPEN_START 0x1 /* began before the observation */
#define KT_SPAN_F_OPEN_END 0x2   /* still open when the observation ended */

struct kt_tl_tcp {
	__u64 sock;             /* socket cookie */
	__u64 saddr[2], daddr[2];
	__u32 family, sport, dport, netns;
	__u32 first_state;      /* newstate of the first transition seen */
	__u32 last_state;       /* oldstate of the transition to CLOSE (or the
				 * current state when open) */
	__u32 resets;           /* KT_TCP_RESET_* seen */
	__u32 retrans;          /* retransmits seen */
	bool established;       /* ever reached ESTABLISHED */
	bool acceptq_known;     /* KT_TCP_ACCEPTQ: the two below are valid */
	__u32 acceptq;          /* a listener's accept queue (for a SYN
				 * retransmit: the local destination's) */
	__u32 acceptq_max;      /* its backlog; full when acceptq > max */
	bool bytes_known;       /* KT_TCP_BYTES on its close: the two below
				 * are valid (format 1.3) */
	__u64 tx_bytes;         /* bytes the peer acknowledged */
	__u64 rx_bytes;         /* bytes received */
};

struct kt_tl_signal {
	__u32 signo;
	__s32 code;
	__s32 result;           /* TRACE_SIGNAL_* of the generate event */
	__u32 sender_utid, sender_tid, sender_pid;
	__u8 ctx;               /* enum kt_context of the sender */
	bool delivered;         /* a deliver event closed it */
};

struct kt_tl_proc {
	__u32 ppid, parent_utid;
	__s32 exit_code;        /* status << 8 | termsig; valid with exited */
	bool exited;
	bool forked;            /* the fork was seen (start is exact) */
};

struct kt_tl_span {
	__u64 start, end;       /* end >= start */
	__u32 utid, tid, pid;
	__u8 kind;              /* enum kt_tl_span_kind */
	__u8 flags;             /* KT_SPAN_F_* */
	union {
		struct kt_tl_sys sys;
		struct kt_tl_blk blk;
		struct kt_tl_tcp tcp;
		struct kt_tl_signal sig;
		struct kt_tl_proc proc;
	};
	/* The event that completed the span (NULL when the end of the
	 * observation did); valid only during the callback, for its
	 * strings (syscall paths, ...). */
	const struct kt_event *ev;
};

/* A wakeup, delivered when the waker's syscall around it is known (its
 * record came), so that a write can be matched to the read it woke. */
struct kt_tl_wakeup {
	struct kt_tl_wake wake;
	__u32 wakee_utid, wakee_tid;
	__u8 wakee_state;       /* state the wakee left: BLOCKED/SLEEPING/
				 * STOPPED, or RUNNING/RUNNABLE when the
				 * wakeup found it awake (no wait ended) */
	bool waker_sys_unknown;
	__u64 wait_start;       /* start of the wait it ended */
	struct kt_tl_sys waker_sys; /* task context: the waker's syscall */
};

struct kt_tl_ops {
	/* Each may be NULL.  Return non-zero to stop the build: kt_tl_event
	 * returns that value. */
	int (*interval)(const struct kt_tl_interval *iv, void *arg);
	int (*span)(const struct kt_tl_span *sp, void *arg);
	int (*wakeup)(const struct kt_tl_wakeup *wu, void *arg);
	/* A thread ends (death or end of observation): no more intervals
	 * will come for it.  @iv is its last interval. */
	int (*thread_end)(const struct kt_tl_interval *iv, void *arg);
};

struct kt_tl_opts {
	/* End of the observation: the capture's last timestamp or a --to
	 * bound.  Open intervals and spans are cut there, and a dead
	 * thread's DEAD interval reaches it (only for threads with a utid:
	 * one unknown to the task table cannot be told from a later thread
	 * with its tid).  0 = the last event seen (dead threads then end at
	 * their death, with no DEAD interval). */
	__u64 end_ts;
	/* The capture has syscall records: hold wait intervals until their
	 * syscall is known.  Without them nothing is held. */
	bool syscalls;
	/* A scoped recording that marks its scope (KT_TASK_INSCOPE): the
	 * scheduling of other threads is recorded only where it meets a
	 * thread in scope, so their state between two events is unknown.
	 * With @kthreads, kernel threads are in scope too. */
	bool scoped;
	bool kthreads;
};

#define KT_TL_HOLD_MAX 256
/* An interrupt-context wakeup this close after a block completion on the
 * same cpu is attributed to that request. */
#define KT_TL_DISK_WAKE_NS 1000000ULL

struct kt_tl;

/* kt_tl_new - a builder calling @ops with @arg.  NULL with errno ENOMEM. */
struct kt_tl *kt_tl_new(const struct kt_tl_opts *opts,
			const struct kt_tl_ops *ops, void *arg);

/*
 * kt_tl_event - feed the next event (time order).  @tasks is the source's
 * task table, already updated with @ev (kt_source.tasks()); it resolves
 * the tids an event names to utids.  Returns 0, a callback's non-zero
 * value, or -ENOMEM.
 */
int kt_tl_event(struct kt_tl *tl, const struct kt_event *ev,
		const struct kt_tasks *tasks);

/*
 * kt_tl_finish - end the observation: cut every open interval and span at
 * opts.end_ts (or the last event), deliver everything held.  Call once;
 * afterwards only kt_tl_free.  Returns 0 or a callback's value.
 */
int kt_tl_finish(struct kt_tl *tl);

/* kt_tl_free - accepts NULL. */
void kt_tl_free(struct kt_tl *tl);

/*
 * kt_tl_run - feed every event of @src, then finish.  Returns 0, a
 * callback's value, or a negative errno (with @err filled when the source
 * failed).
 */
int kt_tl_run(struct kt_tl *tl, struct kt_source *src, struct kt_err *err);

struct kt_tl_stats {
	__u64 events;
	__u64 intervals, spans, wakeups;
	__u64 threads_live, threads_max; /* tracked now / at most */
	__u64 held_max;         /* most intervals held for one thread */
	__u64 hold_overflows;   /* intervals released unlabeled (cap hit) */
};
void kt_tl_stats(const struct kt_tl *tl, struct kt_tl_stats *st);

/* Names for printing: "running", "runnable", "blocked", ... */
const char *kt_tl_state_name(unsigned state);
/* "preempted", "woken", "new", "disk", "timer", "net", "irq", ... */
const char *kt_tl_cause_name(unsigned cause);
const char *kt_tl_span_name(unsigned kind);

/* kt_tl_utid_of - the utid @tasks gives the newest task with @tid, or 0
 * (also for a NULL table). */
__u32 kt_tl_utid_of(const struct kt_tasks *tasks, __u32 tid);

/* kt_tl_sys_file_id - the file id of the fd a read/write/send/recv/
 * close/fsync family syscall worked on (event.h), or 0: other syscalls
 * use arg[2] for something else. */
__u64 kt_tl_sys_file_id(const struct kt_tl_sys *s);

/* kt_tl_is_wait - BLOCKED, SLEEPING or STOPPED. */
static inline bool kt_tl_is_wait(unsigned state)
{
	return state == KT_TL_BLOCKED || state == KT_TL_SLEEPING ||
	       state == KT_TL_STOPPED;
}

#endif /* KT_TIMELINE_H */
