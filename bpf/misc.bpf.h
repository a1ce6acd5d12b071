/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * misc.bpf.h - the low-rate families: signals, OOM victims, sampled page
 * faults and throttled rss changes.
 */
#ifndef KT_MISC_BPF_H
#define KT_MISC_BPF_H

/* ---- signal ---- */

#define KT_SI_USER 0
#define KT_SI_KERNEL 0x80

/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers. */
static __always_inline int kt_si_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return KT_SI_USER;
	if ((unsigned long)info == 1)
		return KT_SI_KERNEL;
	return BPF_CORE_READ(info, si_code);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(kt_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_signal *r;
	struct kt_out o;

	if (!kt_cur_in_scope(pt) && !kt_task_in_scope(task))
		return 0;
	kt_meet_cur();
	kt_meet(task);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SIGNAL);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_SIGNAL_GEN);
	r->h.a16 = kt_context();
	r->h.a32 = sig;
	r->target_tid = task->pid;
	r->target_pid = task->tgid;
	r->code = kt_si_code(info);
	r->result = result;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(kt_signal_deliver, int sig, struct kernel_siginfo *info)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_signal *r;
	struct kt_out o;

	if (!kt_cur_in_scope(pt))
		return 0;
	kt_meet_cur();
	r = kt_reserve(&o, sizeof(*r), KT_FAM_SIGNAL);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_SIGNAL_DELIVER);
	r->h.a16 = kt_context();
	r->h.a32 = sig;
	r->target_tid = (__u32)pt;
	r->target_pid = pt >> 32;
	r->code = kt_si_code(info);
	r->result = 0;
	kt_submit(&o, r);
	return 0;
}

/* ---- oom ---- */

/* The victim's memory cgroup path, "/a/b", walked up at most
 * KTR_CGPATH_DEPTH levels (deeper paths keep their last levels). */
static __always_inline void kt_memcg_path(char *dst, struct task_struct *t)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	const char *names[KTR_CGPATH_DEPTH];
	struct kernfs_node *kn, *parent;
	__u32 depth = 0, off = 0;
	long n;
	int i;

	dst[0] = 0;
	kn = BPF_CORE_READ(t, cgroups, subsys[id], cgroup, kn);
	for (i = 0; i < KTR_CGPATH_DEPTH; i++) {
		if (!kn)
			break;
		parent = kt_kn_parent(kn);
		if (!parent)    /* the hierarchy's root has no name */
			break;
		names[depth++] = BPF_CORE_READ(kn, name);
		kn = parent;
	}
	if (!depth) {
		dst[0] = '/';
		dst[1] = 0;
		return;
	}
	for (i = KTR_CGPATH_DEPTH - 1; i >= 0; i--) {
		if (i >= depth)
			continue;
		off &= KTR_CGPATH_MAX - 1;
		dst[off] = '/';
		off++;
		off &= KTR_CGPATH_MAX - 1;
		n = bpf_probe_read_kernel_str(dst + off, KTR_CGNAME_MAX,
					      names[i]);
		if (n <= 1)
			break;
		off += n - 1;
		if (off >= KTR_CGPATH_MAX - 1)
			break;
	}
}

SEC("tp_btf/mark_victim")
int BPF_PROG(kt_oom_victim, struct task_struct *victim)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct mm_struct *mm = victim->mm;
	struct ktr_oom *r;
	struct kt_out o;

	if (!kt_cur_in_scope(pt) && !kt_task_in_scope(victim))
		return 0;
	kt_meet_cur();
	r = kt_reserve(&o, sizeof(*r), KT_FAM_OOM);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_OOM_VICTIM);
	r->h.a32 = victim->pid;
	r->victim_pid = victim->tgid;
	r->oom_score_adj = BPF_CORE_READ(victim, signal, oom_score_adj);
	r->total_vm_kb = BPF_CORE_READ(mm, total_vm) * (page_size >> 10);
	r->file_rss_kb = kt_mm_counter(mm, 0) * (page_size >> 10);
	r->anon_rss_kb = kt_mm_counter(mm, 1) * (page_size >> 10);
	r->shmem_rss_kb = kt_mm_counter(mm, 3) * (page_size >> 10);
	if (bpf_probe_read_kernel_str(r->comm, sizeof(r->comm),
				      victim->comm) < 0)
		r->comm[0] = 0;
	kt_memcg_path(r->memcg, victim);
	kt_submit(&o, r);
	return 0;
}

/* ---- fault ---- */

/* A software page-fault perf event per CPU, one sample every
 * fault_period faults (user mode only). */
SEC("perf_event")
int kt_page_fault(struct bpf_perf_event_data *ctx)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_fault *r;
	struct kt_out o;

	if (!kt_cur_in_scope(pt))
		return 0;
	kt_meet_cur();
	r = kt_reserve(&o, sizeof(*r), KT_FAM_FAULT);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_PAGE_FAULT);
	r->h.a32 = fault_period;
	r->addr = ctx->addr;
	r->ip = PT_REGS_IP(&ctx->regs);
	kt_submit(&o, r);
	return 0;
}

/* ---- mem ---- */

/*
 * rss_stat fires on every change of an mm counter (every page fault), so
 * a thread group's counter is reported at most once per rss_interval_ns.
 * The value is kt_mm_counter()'s.
 */
SEC("tp_btf/rss_stat")
int BPF_PROG(kt_rss_stat, struct mm_struct *mm, int member)
{
	__u64 pt = bpf_get_current_pid_tgid(), now, key, *last;
	struct task_struct *cur = bpf_get_current_task_btf();
	__u32 tid = pt, tgid = pt >> 32;
	struct ktr_rss *r;
	struct kt_out o;

	if (cur->mm != mm) {
		/* a counter changed on behalf of another mm (reclaim,
		 * exit): report it for the mm's owner */
		struct task_struct *own = BPF_CORE_READ(mm, owner);

		if (!own)
			return 0;
		tid = BPF_CORE_READ(own, pid);
		tgid = BPF_CORE_READ(own, tgid);
		if (tgid == self_tgid || (scope_mode != KTR_SCOPE_ALL &&
					  !kt_group_in_scope(own)))
			return 0;
	} else if (!kt_cur_in_scope(pt)) {
		return 0;
	}
	now = bpf_ktime_get_ns();
	key = (__u64)tgid << 8 | (member & 0xff);
	last = bpf_map_lookup_elem(&rss_last, &key);
	if (last && now - *last < rss_interval_ns)
		return 0;
	if (last)
		*last = now;
	else
		bpf_map_update_elem(&rss_last, &key, &now, BPF_ANY);
	/* an mm's owner is not a pointer task storage accepts: it was met
	 * when it faulted its pages in */
	if (tid == (__u32)pt)
		kt_meet(cur);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_MEM);
	if (!r)
		return 0;
	kt_hdr(&r->h, now, tid, tgid, KT_RSS);
	r->h.a16 = member;
	r->bytes = kt_mm_counter(mm, member) * page_size;
	kt_submit(&o, r);
	return 0;
}

#endif /* KT_MISC_BPF_H */
