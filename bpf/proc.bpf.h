/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * proc.bpf.h - process lifecycle: fork, exec, exit, comm changes.
 *
 * Naming (see kt_meet()): fork and task_rename are attached even when the
 * proc family is not selected.  A fork marks the child named when its
 * KT_PROC_FORK carries the name, and follows it into the scope; renames
 * (exec renames too) always emit KT_PROC_COMM.  Kernel threads are in
 * every scope here as for scheduling: their forks (by kthreadd), renames
 * and exits are kept, so that each has its name and the kernel-thread
 * mark of a child of kthreadd.
 */
#ifndef KT_PROC_BPF_H
#define KT_PROC_BPF_H

SEC("tp_btf/sched_process_fork")
int BPF_PROG(kt_proc_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 ctgid = child->tgid, ptgid = parent->tgid;
	struct ktr_sys_state *s;
	struct ktr_fork *r;
	struct kt_out o;
	__u64 start = BPF_CORE_READ(child, start_time);
	/* the child is in scope: a kernel thread, a thread of a group in
	 * scope, a process in the cgroup, or one followed into the scope */
	bool inscope = true;

	/* kernel threads are created by kthreadd: their forks name them
	 * (and mark them kernel threads) in scoped recordings too */
	if (!kt_kthread(child)) {
		if (!kt_cur_in_scope(pt))
			return 0;
		if (scope_mode == KTR_SCOPE_PIDS && ctgid != ptgid)
			inscope = follow_forks;
		/* a full scope map would drop the child's events unseen:
		 * say so */
		if (follow_forks && scope_mode != KTR_SCOPE_ALL &&
		    ctgid != ptgid &&
		    bpf_map_update_elem(&scope_pids, &ctgid, &start, BPF_ANY)) {
			kt_emit_lost(bpf_ktime_get_ns(), child->pid, ctgid,
				     KT_FAM_PROC, KT_LOST_FILTERED, 0);
			inscope = false;
		}
	}
	if (!KT_WANT(KT_PROC_FORK))
		return 0;
	kt_meet(parent);
	s = bpf_task_storage_get(&sys_state, child, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		s->named = 1;
	r = kt_reserve(&o, sizeof(*r), KT_FAM_PROC);
	if (!r)
		return 0;
	kt_hdr(&r->h, bpf_ktime_get_ns(), parent->pid, ptgid, KT_PROC_FORK);
	r->h.a16 = (ctgid == ptgid ? KT_FORK_THREAD : 0) |
		   (inscope ? KT_FORK_INSCOPE : 0);
	r->child_tid = child->pid;
	r->child_pid = ctgid;
	if (bpf_probe_read_kernel_str(r->comm, sizeof(r->comm),
				      child->comm) < 0)
		r->comm[0] = 0;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(kt_proc_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct mm_struct *mm;
	struct ktr_exec *r;
	struct kt_out o;
	__u64 start, end, n;
	long k;

	if (!kt_cur_in_scope(pt))
		return 0;
	r = kt_reserve(&o, sizeof(*r), KT_FAM_PROC);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_PROC_EXEC);
	r->h.a32 = old_pid;
	r->pad = 0;
	if (bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), p->comm) < 0)
		r->comm[0] = 0;
	k = bpf_probe_read_kernel_str(r->filename, sizeof(r->filename),
				      BPF_CORE_READ(bprm, filename));
	r->filename_len = k > 0 ? k - 1 : 0;
	/* the new image's arguments, already copied to its stack */
	mm = p->mm;
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	n = end > start ? end - start : 0;
	if (n > KTR_ARGV_MAX) {
		n = KTR_ARGV_MAX;
		r->h.a16 |= KT_EXEC_ARGV_TRUNCATED;
	}
	if (n && bpf_probe_read_user(r->argv, n, (void *)start))
		n = 0;
	r->argv_len = n;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(kt_proc_exit, struct task_struct *p)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_exit *r;
	struct kt_out o;

	if (!kt_cur_in_scope(pt) && !kt_kthread(p))
		return 0;
	kt_meet(p);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_PROC);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_PROC_EXIT);
	r->h.a16 = kt_exit_group_dead(p) ? KT_EXIT_GROUP : 0;
	r->h.a32 = p->exit_code;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(kt_proc_rename, struct task_struct *task, const char *comm)
{
	struct ktr_sys_state *s;

	if (!kt_sched_in_scope(task))
		return 0;
	s = bpf_task_storage_get(&sys_state, task, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		s->named = 1;
	kt_emit_comm(bpf_ktime_get_ns(), task->pid, task->tgid, comm);
	return 0;
}

/* Scoped recordings: a thread group leaves the scope when its leader is
 * freed, after its last switch, so that a reused pid is not recorded;
 * unless the entry is already another's (the pid was reused before the
 * grace period that frees this one ended). */
SEC("tp_btf/sched_process_free")
int BPF_PROG(kt_proc_free, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	__u64 *v;

	if (p->pid != tgid)
		return 0;
	v = bpf_map_lookup_elem(&scope_pids, &tgid);
	if (v && (!*v || *v == p->start_time))
		bpf_map_delete_elem(&scope_pids, &tgid);
	return 0;
}

#endif /* KT_PROC_BPF_H */
