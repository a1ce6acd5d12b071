/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * verify_int.h - what verify.c (state, losses, findings, metadata) and
 * verify_check.c (the checks) share.  Not part of analyze/'s interface.
 */
#ifndef KT_VERIFY_INT_H
#define KT_VERIFY_INT_H

#include "analyze/verify.h"

#define KT_V_CPU_ANY 0xffff     /* KT_LOST cpu of a per-program count */
#define KT_V_HELD_MAX 4         /* findings kept per thread while held */

struct vcpu {
	__u64 last_ts;          /* newest event on this CPU */
	__u64 sw_ts;            /* its last switch */
	__u32 cur_tid, cur_pid; /* what that switch put on it */
	bool have_sw;
};

struct vthr {
	__u32 utid;             /* 0: empty slot */
	__u16 cpu;
	bool on_cpu;
	bool in_scope;
	bool ran;               /* subject of an event made while it ran */
	__u8 nheld;
	__u64 on_since;
	__u64 sys_end;          /* end of its last syscall, 0 none */
	__u32 sys_nr;
	__u32 held_more[2];     /* held beyond those kept: continuity,
				 * two_cpus */
	struct kt_violation *held;      /* KT_V_HELD_MAX, while !ran */
};

struct vdev {                   /* a block device's last completion */
	__u32 dev;
	bool valid;
	__u64 next_sector;      /* where a partial completion goes on */
};

struct lossrec {
	__u64 ts, count;
};

struct losses {
	struct lossrec *r;
	size_t n, cap;
};

struct kt_verify {
	struct kt_verify_opts o;
	kt_verify_fn fn;
	void *arg;
	struct vcpu *cpus;
	__u32 ncpus;
	struct vthr *thr;
	__u32 thr_cap, thr_used;
	struct vdev *devs;
	__u32 ndevs;
	__u32 *unknown;         /* reported tids without a task (set) */
	__u32 unk_cap, unk_used;
	struct losses *sched;   /* sched (or unknown-family) losses by CPU */
	__u32 nsched;
	struct losses sched_any;        /* ... of an unknown CPU */
	struct losses fam[KT_FAM_MAX + 1];      /* by family, any CPU */
	/* what the KT_LOST records add up to, by family and by CPU: the
	 * metadata counting more means losses outside the file's events (a
	 * flight dump's window) */
	__u64 rec_fam[KT_FAM_MAX + 1];
	__u64 rec_cpu[KT_VERIFY_MAX_CPUS];
	bool ended;
	struct vcount *count;   /* the accounting check, NULL without
				 * attempts in the metadata */
	struct kt_verify_stats st;
};

/* verify_count.c: the accounting check.  kt_v_count_new - set it up from
 * attempts.per_cpu_family (nothing when @per_cpu is not an array);
 * kt_v_count_event - count one event; kt_v_count_end - report every CPU
 * and family whose counts disagree.  Return 0, -ENOMEM or what the
 * callback returned. */
struct vcount;
int kt_v_count_new(struct kt_verify *v, const json_t *per_cpu);
void kt_v_count_event(struct kt_verify *v, const struct kt_event *ev);
int kt_v_count_end(struct kt_verify *v);
void kt_v_count_free(struct vcount *c);

/* kt_v_cpu - the state of @cpu (made on first sight), NULL on ENOMEM. */
struct vcpu *kt_v_cpu(struct kt_verify *v, __u32 cpu);

/* kt_v_reserve - make room for @n threads more, so that kt_v_thread does
 * not move the table (and the pointers into it) while an event is checked.
 * Returns 0 or -ENOMEM. */
int kt_v_reserve(struct kt_verify *v, __u32 n);

/* kt_v_thread - the state of @utid (made on first sight, in scope as its
 * task says), NULL for utid 0 or when kt_v_reserve made no room;
 * kt_v_thread_of_tid - of the newest task with @tid, NULL when none. */
struct vthr *kt_v_thread(struct kt_verify *v, __u32 utid,
			 const struct kt_tasks *tasks);
struct vthr *kt_v_thread_of_tid(struct kt_verify *v, __u32 tid,
				const struct kt_tasks *tasks);

/* kt_v_in_scope - whether every switch of @tid is recorded. */
bool kt_v_in_scope(struct kt_verify *v, __u32 tid,
		   const struct kt_tasks *tasks);

/* kt_v_recorder - whether @k is of the recorder's own process. */
bool kt_v_recorder(const struct kt_verify *v, const struct kt_task *k);

/* kt_v_unknown_once - 1 the first time @tid is reported unknown, else 0;
 * -ENOMEM. */
int kt_v_unknown_once(struct kt_verify *v, __u32 tid);

/* kt_v_explain_cpu - mark @x explained when sched events were lost on
 * @cpu between @from and @to (plus the reporting lag); kt_v_explain_fam -
 * when events of family @fam were lost on any CPU before @ts (plus lag). */
bool kt_v_explain_cpu(const struct kt_verify *v, struct kt_violation *x,
		      __u32 cpu, __u64 from, __u64 to);
bool kt_v_explain_fam(const struct kt_verify *v, struct kt_violation *x,
		      __u32 fam, __u64 ts);

/* Building findings: kt_v_begin clears @x; kt_v_task names a task;
 * kt_v_report counts and hands @x to the callback. */
void kt_v_begin(struct kt_violation *x, unsigned check, __u64 ts,
		__u64 since, __u32 cpu);
void kt_v_task(struct kt_vtask *t, __u32 tid, __u32 pid,
	       const struct kt_tasks *tasks, const char *role);
int kt_v_report(struct kt_verify *v, const struct kt_violation *x);

/* kt_v_hold - keep @x on thread @t, which left a CPU without a recorded
 * switch but has not been seen running yet: if it never is, the kernel
 * hides its events (kt_verify_end explains them so); if it is, they are
 * violations (kt_v_ran).  Returns 0 or -ENOMEM. */
int kt_v_hold(struct kt_verify *v, struct vthr *t,
	      const struct kt_violation *x);

/* kt_v_ran - @t is the subject of an event made while it ran: report what
 * it held as violations.  Returns 0 or what the callback returned. */
int kt_v_ran(struct kt_verify *v, struct vthr *t);

/* "comm tid" of @tid; seconds with 9 decimals. */
const char *kt_v_name(char *buf, size_t n, __u32 tid,
		      const struct kt_tasks *tasks);
void kt_v_secs(char *buf, size_t n, __u64 ns);

#endif /* KT_VERIFY_INT_H */
