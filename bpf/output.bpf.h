/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * output.bpf.h - the two things every handler does: decide whether an event
 * is in scope, and put a record in this CPU's ring (counting it as lost
 * when the ring is full).
 */
#ifndef KT_OUTPUT_BPF_H
#define KT_OUTPUT_BPF_H

#define KT_WANT(kind) (kind_mask & KT_KIND_BIT(kind))

/* ---- scope ---- */

static __always_inline bool kt_tgid_in_scope(__u32 tgid)
{
	return bpf_map_lookup_elem(&scope_pids, &tgid) != NULL;
}

/* Is @t's thread group the one in scope_pids under its tgid (not another
 * that got the pid of a process in scope before that one was freed)? */
static __always_inline bool kt_group_in_scope(struct task_struct *t)
{
	__u32 tgid = BPF_CORE_READ(t, tgid);
	__u64 *v = bpf_map_lookup_elem(&scope_pids, &tgid);

	return v && (!*v || *v == BPF_CORE_READ(t, group_leader, start_time));
}

/* Is the current task in scope?  @pid_tgid: bpf_get_current_pid_tgid(). */
static __always_inline bool kt_cur_in_scope(__u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;

	if (tgid == self_tgid)
		return false;
	if (scope_mode == KTR_SCOPE_ALL)
		return true;
	if (scope_mode == KTR_SCOPE_CGROUP)
		return bpf_current_task_under_cgroup(&scope_cgroup, 0) == 1;
	return kt_group_in_scope(bpf_get_current_task_btf());
}

/* Is task @t (not necessarily current) in scope?  Under KTR_SCOPE_CGROUP a
 * task that is not current is judged by scope_pids, which record/ fills
 * from the cgroup at start and kt_follow_fork() keeps up to date. */
static __always_inline bool kt_task_in_scope(struct task_struct *t)
{
	__u32 tgid = BPF_CORE_READ(t, tgid);

	if (tgid == self_tgid)
		return false;
	if (scope_mode == KTR_SCOPE_ALL)
		return true;
	return kt_group_in_scope(t);
}

/* PF_KTHREAD, include/linux/sched.h (unchanged since v2.6) */
#define KT_PF_KTHREAD 0x00200000

/* A kernel thread other than the idle tasks.  Scoped recordings keep the
 * scheduling events of kernel threads (kworkers, jbd2, ksoftirqd, irq
 * threads): which of them explain the tasks in scope is only known after
 * they ran. */
static __always_inline bool kt_kthread(struct task_struct *t)
{
	return t->pid && (t->flags & KT_PF_KTHREAD);
}

/* Scheduling events: is @t in scope (or a kernel thread)? */
static __always_inline bool kt_sched_in_scope(struct task_struct *t)
{
	return kt_kthread(t) || kt_task_in_scope(t);
}

/* ---- rings ---- */

static __always_inline void kt_lost(__u32 cpu, __u32 fam)
{
	__sync_fetch_and_add(&lost[(cpu & (KTR_MAX_CPUS - 1)) *
				   KTR_LOST_STRIDE + fam], 1);
}

/* kt_attempt - one more record of family @fam tried on @cpu (@n: -1 takes
 * back one discarded on purpose). */
static __always_inline void kt_attempt(__u32 cpu, __u32 fam, __s64 n)
{
	/* @fam masked: kt_discard() reads it back from the stack */
	__sync_fetch_and_add(&attempts[(cpu & (KTR_MAX_CPUS - 1)) *
				       KTR_LOST_STRIDE +
				       (fam & (KTR_LOST_STRIDE - 1))], n);
}

/* kt_drop - an event lost before a ring could be tried (a map or a task
 * storage full): an attempt, and its loss. */
static __always_inline void kt_drop(__u32 cpu, __u32 fam)
{
	kt_attempt(cpu, fam, 1);
	kt_lost(cpu, fam);
}

struct kt_out {
	void *ring;
	__u32 cpu;
	__u32 fam;
};

/*
 * kt_reserve - reserve @size bytes (a compile-time constant) in this CPU's
 * ring; NULL (and one lost event of family @fam) when it is full.  Every
 * call is an attempt (kt_attempt), counted first.
 */
static __always_inline void *kt_reserve(struct kt_out *o, __u64 size,
					__u32 fam)
{
	void *r;

	o->cpu = bpf_get_smp_processor_id();
	o->fam = fam;
	kt_attempt(o->cpu, fam, 1);
	o->ring = bpf_map_lookup_elem(&rings, &o->cpu);
	if (!o->ring) {
		kt_lost(o->cpu, fam);
		return NULL;
	}
	r = bpf_ringbuf_reserve(o->ring, size, 0);
	if (!r)
		kt_lost(o->cpu, fam);
	return r;
}

/* kt_discard - give back a reserved record that turned out not to be
 * wanted (out of scope): it is no attempt. */
static __always_inline void kt_discard(struct kt_out *o, void *r)
{
	bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
	kt_attempt(o->cpu, o->fam, -1);
}

/*
 * kt_submit - commit a record without waking the consumer, which drains
 * the rings on a timer: a wakeup per event made the raw ceiling 3.9x
 * slower.  Every 64th record on a CPU checks the fill level and wakes the
 * consumer once more than wake_bytes are waiting.
 */
static __always_inline void kt_submit(struct kt_out *o, void *r)
{
	__u64 *n = &submitted[(o->cpu & (KTR_MAX_CPUS - 1)) * 8];
	__u64 flags = BPF_RB_NO_WAKEUP;

	if ((++*n & 63) == 0 &&
	    bpf_ringbuf_query(o->ring, BPF_RB_AVAIL_DATA) > wake_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(r, flags);
}

static __always_inline void kt_hdr(struct ktr_hdr *h, __u64 ts, __u32 tid,
				   __u32 pid, __u16 kind)
{
	h->ts = ts;
	h->tid = tid;
	h->pid = pid;
	h->kind = kind;
	h->a16 = 0;
	h->a32 = 0;
}

static __always_inline void kt_hdr_cur(struct ktr_hdr *h, __u64 pid_tgid,
				       __u16 kind)
{
	kt_hdr(h, bpf_ktime_get_ns(), (__u32)pid_tgid, pid_tgid >> 32, kind);
}

/* kt_emit_lost - a KT_LOST record of one lost event placed in time (see
 * struct ktr_lost); when even that finds the ring full, the ring's own
 * count of family @fam takes it. */
static __always_inline void kt_emit_lost(__u64 ts, __u32 tid, __u32 pid,
					 __u32 fam, __u32 cause, __u64 since)
{
	struct ktr_lost *r;
	struct kt_out o;

	r = kt_reserve(&o, sizeof(*r), fam);
	if (!r)
		return;
	kt_hdr(&r->h, ts, tid, pid, KT_LOST);
	r->h.a16 = fam;
	r->h.a32 = cause;
	r->count = 1;
	r->since = since;
	kt_submit(&o, r);
}

/* ---- names ---- */

static __always_inline void kt_emit_comm(__u64 ts, __u32 tid, __u32 pid,
					 const char *comm)
{
	struct ktr_comm *r;
	struct kt_out o;

	r = kt_reserve(&o, sizeof(*r), KT_FAM_PROC);
	if (!r)
		return;
	kt_hdr(&r->h, ts, tid, pid, KT_PROC_COMM);
	if (bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), comm) < 0)
		r->comm[0] = 0;
	kt_submit(&o, r);
}

/*
 * kt_meet - every tid of a capture must have a name: the first time a task
 * appears in an event (as its subject, the next task of a switch, the
 * target of a wakeup or signal), a KT_PROC_COMM for it goes into the ring
 * before that event.  Tasks forked under our eyes are named by their fork
 * (kt_proc_fork marks them); the /proc snapshot names the others too, but
 * not those that die before it is taken, nor, in scoped recordings, tasks
 * out of scope that a task in scope switches to or is woken by.  A flag
 * in the task's storage makes it one lookup per task met; the idle tasks
 * (tid 0) need no name.
 */
static __always_inline struct ktr_sys_state *kt_meet_at(struct task_struct *t,
							__u64 ts)
{
	struct ktr_sys_state *s;

	if (!t->pid)
		return NULL;
	s = bpf_task_storage_get(&sys_state, t, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	/* no storage (busy, or a task being freed): name it anyway; a name
	 * twice costs a record, a name missing costs the task */
	if (!s) {
		kt_emit_comm(ts ? ts : bpf_ktime_get_ns(), t->pid, t->tgid,
			     t->comm);
		return NULL;
	}
	if (s->named)
		return s;
	s->named = 1;
	kt_emit_comm(ts ? ts : bpf_ktime_get_ns(), t->pid, t->tgid, t->comm);
	return s;
}

/* kt_meet - kt_meet_at, the name stamped now (@ts 0 in kt_meet_at: an
 * event stamped with the same time as its name keeps the order of the
 * ring, name first). */
static __always_inline struct ktr_sys_state *kt_meet(struct task_struct *t)
{
	return kt_meet_at(t, 0);
}

/* This CPU's syscall slot. */
static __always_inline struct ktr_sys_state *kt_sys_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sys_cur, &zero);
}

static __always_inline void kt_meet_cur(void)
{
	kt_meet(bpf_get_current_task_btf());
}

#endif /* KT_OUTPUT_BPF_H */
