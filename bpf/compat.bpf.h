/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * compat.bpf.h - every kernel-version difference the recorder depends on,
 * in one place.  Each helper reads one thing that moved between releases,
 * through CO-RE type flavors (struct x___old with the old field) and
 * bpf_core_field_exists(), and names the kernel commit that moved it.
 * Developed against 6.18; the flavors keep older kernels loading.
 */
#ifndef KT_COMPAT_BPF_H
#define KT_COMPAT_BPF_H

#include <bpf/bpf_core_read.h>

/*
 * task_struct::state was renamed __state by 2f064a59a11f ("sched: Change
 * task_struct::state", v5.14).
 */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

static __always_inline __u32 kt_task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___old *)t, state);
}

/*
 * The CPU a task is on moved back into thread_info by bcf9033e5449
 * ("sched: move CPU field back into thread_info if THREAD_INFO_IN_TASK",
 * v5.16); before it was task_struct::cpu.
 */
struct task_struct___cpu {
	unsigned int cpu;
} __attribute__((preserve_access_index));

static __always_inline __u32 kt_task_cpu(struct task_struct *t)
{
	if (bpf_core_field_exists(t->thread_info.cpu))
		return BPF_CORE_READ(t, thread_info.cpu);
	return BPF_CORE_READ((struct task_struct___cpu *)t, cpu);
}

/*
 * The disk of a request: request::rq_disk was removed by f3fa33acca9f
 * ("block: remove the ->rq_disk field in struct request", v5.17); since
 * then it is request->q->disk.  dev_t is the kernel's major << 20 | minor.
 */
struct request___old {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline __u32 kt_rq_dev(struct request *rq)
{
	struct gendisk *disk;

	if (bpf_core_field_exists(((struct request___old *)rq)->rq_disk))
		disk = BPF_CORE_READ((struct request___old *)rq, rq_disk);
	else
		disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return (BPF_CORE_READ(disk, major) << 20) |
	       BPF_CORE_READ(disk, first_minor);
}

/* When the request was allocated (the kernel sets it when it keeps I/O
 * statistics); 0 when unknown. */
static __always_inline __u64 kt_rq_start_ns(struct request *rq)
{
	if (bpf_core_field_exists(rq->start_time_ns))
		return BPF_CORE_READ(rq, start_time_ns);
	return 0;
}

/*
 * kernfs_node::parent became the RCU-protected __parent in 633488947ef6
 * ("kernfs: Use RCU to access kernfs_node::parent", v6.15).
 */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kt_kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/*
 * The preempt count says whether current runs a hard irq, a soft irq or
 * an NMI.  On x86 it is the per-CPU int __preempt_count (pcpu_hot's
 * member between c063a217bc07, v6.2, and 64701838bf05, v6.15), but a
 * typed __ksym needs the variable in kallsyms, which kernels without
 * CONFIG_KALLSYMS_ALL (this one) do not list.  So record/bpf.c reads from
 * the BTF .data..percpu section the distance between __preempt_count and
 * runqueues (pc_delta); this CPU's runqueue is reachable from current
 * (se.cfs_rq->rq, CONFIG_FAIR_GROUP_SCHED; the idle task has one too), and
 * both live in the same per-CPU area.  Without it every waker is reported
 * in task context.
 */
#define KT_SOFTIRQ_OFFSET 0x100u
#define KT_HARDIRQ_MASK 0x000f0000u
#define KT_NMI_MASK 0x00f00000u

static __always_inline __u32 kt_context(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct rq *rq;
	__u32 v = 0;

	if (!pc_delta || !bpf_core_field_exists(t->se.cfs_rq))
		return KT_CTX_TASK;
	rq = BPF_CORE_READ(t, se.cfs_rq, rq);
	if (!rq || bpf_probe_read_kernel(&v, sizeof(v), (char *)rq + pc_delta))
		return KT_CTX_TASK;
	if (v & KT_NMI_MASK)
		return KT_CTX_NMI;
	if (v & KT_HARDIRQ_MASK)
		return KT_CTX_HARDIRQ;
	if (v & KT_SOFTIRQ_OFFSET)
		return KT_CTX_SOFTIRQ;
	return KT_CTX_TASK;
}

/*
 * sched_process_exit gained its group_dead argument in 6.16 (before, the
 * tracepoint had only the task).  Without it, the last thread is the one
 * that finds signal->live at zero.
 */
static __always_inline __u32 kt_exit_group_dead(struct task_struct *p)
{
	return BPF_CORE_READ(p, signal, live.counter) == 0;
}

/*
 * mm counters (pages) became percpu_counters in f1a7941243c1 ("mm: convert
 * mm's rss stats into percpu_counter", v6.2); before, they were
 * mm->rss_stat.count[i], an atomic_long_t.  This reads the central count
 * without the per-CPU deltas not yet folded in (off by at most the batch
 * per CPU), as summing every CPU's share per event would cost too much.
 */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

static __always_inline __s64 kt_mm_counter(struct mm_struct *mm, int member)
{
	if (bpf_core_type_exists(struct mm_rss_stat___old))
		return BPF_CORE_READ((struct mm_struct___old *)mm,
				     rss_stat.count[member & 3].counter);
	return BPF_CORE_READ(mm, rss_stat[member & 3].count);
}

#endif /* KT_COMPAT_BPF_H */
