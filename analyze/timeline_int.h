/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * timeline_int.h - private to timeline*.c: the builder's state.
 * timeline.c runs the per-thread state machine, timeline_sys.c hands
 * intervals, spans and wakeups out (holding a thread's intervals until
 * the syscall record around its wait labels them), timeline_spans.c
 * builds the spans that are not per-thread states (processes, signals,
 * TCP).
 */
#ifndef KT_TIMELINE_INT_H
#define KT_TIMELINE_INT_H

#include "timeline.h"
#include "analyze/map.h"

/* Internal interval flag: the wait's syscall is settled (cleared before
 * the interval is handed out). */
#define TL_F_LABELED 0x80

struct tl_thread {
	__u32 utid, tid, pid;
	__u64 first_ts, last_ts;
	struct kt_tl_interval cur;      /* the open interval */
	__u64 run_seen;                 /* RUNNING: the last event that showed
					 * it on its cpu (switch-in or a
					 * task-context event of its own) */
	/* intervals held until the syscall around a wait is known: a ring */
	struct kt_tl_interval *held;
	__u32 held_head, nheld, held_cap;
	/* wakeups this thread did in task context, waiting for its syscall */
	struct kt_tl_wakeup *wakes;
	__u32 nwakes, wakes_cap;
	bool exiting;
	bool kthread;                   /* never in a syscall: hold nothing */
	bool sys_seen;                  /* a syscall record of it came */
	bool unrecorded;                /* filled its buffer before any did:
					 * its syscalls are not recorded */
	bool untracked;                 /* out of scope: its state is always
					 * unknown (KT_TL_F_UNTRACKED) */
	/* a waking that came while it ran: it had set a sleep state and
	 * the wakeup raced with its switch-out (see on_switch) */
	bool raced;
	struct kt_tl_wake race_wake;
	struct kt_tl_blk race_blk;
};

#define TL_RECENT_BLK 16

struct tl_cpu {
	__u64 blk_ts;                   /* last block completion here, 0 none */
	struct kt_tl_blk blk;
	/* the thread the timeline has running here (0: idle or none) */
	__u32 run_tid, run_utid;
};

struct tl_proc {
	struct kt_tl_span sp;           /* kind PROCESS, being built */
};

struct tl_sig {
	struct kt_tl_span sp;           /* kind SIGNAL, being built */
};

struct tl_tcp {
	struct kt_tl_span sp;           /* kind TCP, being built */
};

struct kt_tl {
	struct kt_tl_opts opts;
	struct kt_tl_ops ops;
	void *arg;
	struct kt_map threads;         /* tid -> struct tl_thread * */
	struct kt_map by_utid;         /* utid -> tid of its live thread */
	struct kt_map procs;           /* pid -> struct tl_proc * */
	struct kt_map sigs;            /* pid << 8 | signo -> struct tl_sig * */
	struct kt_map tcps;            /* socket cookie -> struct tl_tcp * */
	const struct kt_tasks *tasks;   /* of the event being fed */
	struct tl_cpu *cpus;
	__u32 ncpus;
	/* the newest block completions on any cpu, a ring */
	struct kt_tl_blk recent_blk[TL_RECENT_BLK];
	__u32 recent_head;
	__u64 first_ts, last_ts;        /* of the events seen */
	bool any;
	bool finished;
	struct kt_tl_stats st;
};

/* timeline_sys.c: handing out, holding and labeling */
int kt_tl_emit_interval(struct kt_tl *tl, struct kt_tl_interval *iv);
int kt_tl_emit_span(struct kt_tl *tl, const struct kt_tl_span *sp);
int kt_tl_emit_wakeup(struct kt_tl *tl, const struct kt_tl_wakeup *wu);
/* a closed interval of @th: out at once, or held behind an unlabeled wait */
int kt_tl_deliver(struct kt_tl *tl, struct tl_thread *th,
		  struct kt_tl_interval *iv);
int kt_tl_release_all(struct kt_tl *tl, struct tl_thread *th);
struct kt_tl_interval *kt_tl_held_at(struct tl_thread *th, __u32 i);
/* wakeups @th did, waiting for its syscall record */
int kt_tl_add_wake(struct tl_thread *th, const struct kt_tl_wakeup *wu);
int kt_tl_flush_wakes(struct kt_tl *tl, struct tl_thread *th);
void kt_tl_sys_from_event(struct kt_tl_sys *s, const struct kt_event *ev);
/* label @th's held intervals and wakeups with its syscall record @s and
 * release them */
int kt_tl_label_held(struct kt_tl *tl, struct tl_thread *th,
		     const struct kt_tl_sys *s);
int kt_tl_label_wakes(struct kt_tl *tl, struct tl_thread *th,
		      const struct kt_tl_sys *s);

/* timeline.c */
/* kt_tl_ident - the utid the timeline tracks thread @tid under, or
 * @utid when it does not track it */
__u32 kt_tl_ident(struct kt_tl *tl, __u32 tid, __u32 utid);
struct tl_thread *kt_tl_thread_get(struct kt_tl *tl, __u32 tid, __u32 utid,
				   __u32 pid, __u64 ts, int *err);

/* timeline_spans.c */
int kt_tl_spans_event(struct kt_tl *tl, const struct kt_event *ev,
		      const struct kt_tasks *tasks);
int kt_tl_spans_finish(struct kt_tl *tl, __u64 end);
void kt_tl_spans_free(struct kt_tl *tl);

#endif /* KT_TIMELINE_INT_H */
