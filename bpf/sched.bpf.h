/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sched.bpf.h - context switches, wakeups and migrations.  Under a scoped
 * recording a switch is kept when either side is in scope or a kernel
 * thread, a wakeup when the waker or the wakee is, so that the timelines
 * of the tasks in scope, and of the kernel threads that serve them, are
 * complete.
 */
#ifndef KT_SCHED_BPF_H
#define KT_SCHED_BPF_H

/*
 * kt_sw_prev_in_scope - prev is current here, so a cgroup scope can test
 * it exactly.  A task of the cgroup that is not in scope_pids joined it
 * from outside after the start: it joins scope_pids now, and the switch
 * that put it on this CPU (@last, the last one seen there, filtered by
 * scope_pids) is counted as lost (KT_LOST_FILTERED).
 */
static __always_inline bool kt_sw_prev_in_scope(struct task_struct *prev,
						const struct ktr_cpu_sw *last,
						__u64 now)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tgid = pt >> 32;
	__u64 start = BPF_CORE_READ(prev, group_leader, start_time);

	if (kt_kthread(prev))
		return true;
	if (scope_mode != KTR_SCOPE_CGROUP)
		return kt_cur_in_scope(pt);
	if (!kt_cur_in_scope(pt))
		return false;
	if (!kt_tgid_in_scope(tgid)) {
		bpf_map_update_elem(&scope_pids, &tgid, &start, BPF_ANY);
		if (last && last->ts && last->tid == prev->pid)
			kt_emit_lost(now, prev->pid, tgid, KT_FAM_SCHED,
				     KT_LOST_FILTERED, last->ts);
	}
	return true;
}

/*
 * kt_sw_track - compare this switch with the last one seen on this CPU
 * (every switch, kept or filtered): its prev must be the task that one
 * put on.  When it is not, the kernel ran the recorder for none of the
 * switches in between (it hides some tasks from BPF; a run can be
 * skipped): a KT_LOST of cause KT_LOST_SWITCH_GAP says so, where it
 * happened, when the scope cares (a host-wide recording always, a scoped
 * one when a task in scope, or a kernel thread, is on either end).
 * Per switch this costs one per-CPU slot; the scope of the vanished task
 * is only looked up at a gap.
 */
static __always_inline void kt_sw_track(struct ktr_cpu_sw *c,
					struct task_struct *prev,
					struct task_struct *next, bool prev_in,
					__u64 now)
{
	if (c->ts && c->tid != prev->pid &&
	    (prev_in || c->kthread || kt_tgid_in_scope(c->pid)))
		kt_emit_lost(now, c->tid, c->pid, KT_FAM_SCHED,
			     KT_LOST_SWITCH_GAP, c->ts);
	c->ts = now;
	c->tid = next->pid;
	c->pid = next->tgid;
	c->kthread = kt_kthread(next);
}

/* sched_switch gained prev_state in fa2c3254d7cf ("sched/tracing: Don't
 * re-read p->state when emitting sched_switch event", v5.18).  One clock
 * read stamps the switch, the names it brings and a gap before it (equal
 * times keep the ring's order). */
SEC("tp_btf/sched_switch")
int BPF_PROG(kt_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct ktr_cpu_sw *c;
	struct ktr_switch *r;
	struct kt_out o;
	__u32 ptgid = prev->tgid, ntgid = next->tgid, zero = 0;
	__u64 now;
	bool prev_in;

	if (KT_WANT(KT_SYSCALL))
		kt_sys_switch(prev, next);
	if (!KT_WANT(KT_SCHED_SWITCH))
		return 0;
	now = bpf_ktime_get_ns();
	c = bpf_map_lookup_elem(&sw_seen, &zero);
	if (scope_mode == KTR_SCOPE_ALL)
		prev_in = ptgid != self_tgid;
	else
		prev_in = kt_sw_prev_in_scope(prev, c, now);
	if (c)
		kt_sw_track(c, prev, next,
			    prev_in || scope_mode == KTR_SCOPE_ALL, now);
	if (!prev_in && (scope_mode == KTR_SCOPE_ALL ? ntgid == self_tgid :
			 !kt_sched_in_scope(next)))
		return 0;
	kt_meet_at(prev, now);
	kt_meet_at(next, now);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SCHED);
	if (!r)
		return 0;
	kt_hdr(&r->h, now, prev->pid, ptgid, KT_SCHED_SWITCH);
	r->h.a16 = prev->prio;
	r->h.a32 = (prev_state & ~KTR_SW_PREEMPT) |
		   (preempt ? KTR_SW_PREEMPT : 0);
	r->next_tid = next->pid;
	r->next_pid = ntgid;
	r->next_prio = next->prio;
	r->pad = 0;
	kt_submit(&o, r);
	return 0;
}

/* Wakeups and migrations: is the current task or @p in scope (or a
 * kernel thread)? */
static __always_inline bool kt_pair_in_scope(__u64 pt, struct task_struct *p)
{
	if (p->tgid == self_tgid)
		return false;
	if (scope_mode == KTR_SCOPE_ALL)
		return true;
	return kt_kthread(bpf_get_current_task_btf()) ||
	       kt_cur_in_scope(pt) || kt_sched_in_scope(p);
}

static __always_inline int kt_wake(struct task_struct *p, __u16 kind)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_sys_state *s;
	struct ktr_waking *r;
	struct kt_out o;
	__u32 ctx;

	if (!kt_pair_in_scope(pt, p))
		return 0;
	ctx = kt_context();
	/* KT_SYSCALL_WOKE: the waker's syscall woke someone; _WOKE_NET: a
	 * softirq run in the context of a task in a syscall did (loopback
	 * delivery of what it sent) */
	if ((ctx == KT_CTX_TASK || ctx == KT_CTX_SOFTIRQ) &&
	    KT_WANT(KT_SYSCALL)) {
		s = kt_sys_slot();
		if (s && s->enter_ts && s->tid == (__u32)pt)
			s->flags |= ctx == KT_CTX_TASK ? KT_SYSCALL_WOKE :
							 KT_SYSCALL_WOKE_NET;
	}
	if (!KT_WANT(kind))
		return 0;
	kt_meet_cur();
	kt_meet(p);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SCHED);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, kind);
	r->h.a16 = ctx;
	r->h.a32 = kt_task_cpu(p);
	r->target_tid = p->pid;
	r->target_pid = p->tgid;
	r->target_prio = p->prio;
	r->pad = 0;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(kt_sched_waking, struct task_struct *p)
{
	return kt_wake(p, KT_SCHED_WAKING);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(kt_sched_wakeup_new, struct task_struct *p)
{
	return kt_wake(p, KT_SCHED_WAKEUP_NEW);
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(kt_sched_migrate, struct task_struct *p, int dest_cpu)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_migrate *r;
	struct kt_out o;

	if (!kt_pair_in_scope(pt, p))
		return 0;
	kt_meet_cur();
	kt_meet(p);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SCHED);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_SCHED_MIGRATE);
	r->h.a32 = kt_task_cpu(p);
	r->target_tid = p->pid;
	r->target_pid = p->tgid;
	r->dest_cpu = dest_cpu;
	r->pad = 0;
	kt_submit(&o, r);
	return 0;
}

#endif /* KT_SCHED_BPF_H */
