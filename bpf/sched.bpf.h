/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sched.bpf.h - context switches, wakeups and migrations.  Under a scoped
 * recording a switch is kept when either side is in scope, a wakeup when
 * the waker or the wakee is, so that the timelines of the tasks in scope
 * are complete.
 */
#ifndef KT_SCHED_BPF_H
#define KT_SCHED_BPF_H

/* sched_switch gained prev_state in fa2c3254d7cf ("sched/tracing: Don't
 * re-read p->state when emitting sched_switch event", v5.18). */
SEC("tp_btf/sched_switch")
int BPF_PROG(kt_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct ktr_switch *r;
	struct kt_out o;
	__u32 ptgid = prev->tgid, ntgid = next->tgid;

	if (KT_WANT(KT_SYSCALL))
		kt_sys_switch(prev, next);
	if (!KT_WANT(KT_SCHED_SWITCH))
		return 0;
	if (scope_mode == KTR_SCOPE_ALL) {
		if (ptgid == self_tgid && ntgid == self_tgid)
			return 0;
	} else if (!kt_task_in_scope(prev) && !kt_task_in_scope(next)) {
		return 0;
	}
	kt_meet(prev);
	kt_meet(next);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SCHED);
	if (!r)
		return 0;
	kt_hdr(&r->h, bpf_ktime_get_ns(), prev->pid, ptgid, KT_SCHED_SWITCH);
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

static __always_inline int kt_wake(struct task_struct *p, __u16 kind)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_sys_state *s;
	struct ktr_waking *r;
	struct kt_out o;
	__u32 ctx;

	if (p->tgid == self_tgid || (scope_mode != KTR_SCOPE_ALL &&
	    !kt_cur_in_scope(pt) && !kt_task_in_scope(p)))
		return 0;
	ctx = kt_context();
	/* KT_SYSCALL_WOKE: the waker's syscall woke someone */
	if (ctx == KT_CTX_TASK && KT_WANT(KT_SYSCALL)) {
		s = kt_sys_slot();
		if (s && s->enter_ts && s->tid == (__u32)pt)
			s->flags |= KT_SYSCALL_WOKE;
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

	if (p->tgid == self_tgid || (scope_mode != KTR_SCOPE_ALL &&
	    !kt_cur_in_scope(pt) && !kt_task_in_scope(p)))
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
