/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * block.bpf.h - block requests, matched insert -> issue -> complete in the
 * kernel (keyed by the request pointer) into one KT_BLOCK_RQ.  The issuer
 * is the task current at insert (the submitter; issue often runs from a
 * kworker or another task's plug flush), else at issue.  Requests of
 * tasks out of scope are tracked too, without their issuer (0): a task in
 * scope may wait on them (writeback, a cache flush), and a wakeup from
 * their completion is then known to come from the disk.
 */
#ifndef KT_BLOCK_BPF_H
#define KT_BLOCK_BPF_H

static __always_inline void kt_rq_fill(struct ktr_inflight *f,
				       struct request *rq)
{
	f->dev = kt_rq_dev(rq);
	f->op = rq->cmd_flags;
	f->bytes = rq->__data_len;
	f->sector = rq->__sector;
}

/* The issuer is current when it is in scope (and recorded), else 0. */
static __always_inline void kt_rq_issuer(struct ktr_inflight *f, __u64 pt)
{
	if (!kt_cur_in_scope(pt))
		return;
	kt_meet_cur();
	f->tid = (__u32)pt;
	f->pid = pt >> 32;
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(kt_block_insert, struct request *rq)
{
	__u64 pt = bpf_get_current_pid_tgid(), key = (__u64)rq;
	struct ktr_inflight f = {};

	f.insert_ts = bpf_ktime_get_ns();
	kt_rq_issuer(&f, pt);
	kt_rq_fill(&f, rq);
	if (bpf_map_update_elem(&inflight, &key, &f, BPF_ANY))
		kt_drop(bpf_get_smp_processor_id(), KT_FAM_BLOCK);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(kt_block_issue, struct request *rq)
{
	__u64 pt = bpf_get_current_pid_tgid(), key = (__u64)rq;
	struct ktr_inflight *p, f = {};
	__u64 now = bpf_ktime_get_ns();

	p = bpf_map_lookup_elem(&inflight, &key);
	if (p && !p->issue_ts) {
		p->issue_ts = now;
		p->issue_cpu = bpf_get_smp_processor_id();
		kt_rq_fill(p, rq);
		return 0;
	}
	/* issued without insert (no scheduler), or requeued and reissued */
	f.issue_ts = now;
	kt_rq_issuer(&f, pt);
	f.issue_cpu = bpf_get_smp_processor_id();
	kt_rq_fill(&f, rq);
	if (bpf_map_update_elem(&inflight, &key, &f, BPF_ANY))
		kt_drop(bpf_get_smp_processor_id(), KT_FAM_BLOCK);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(kt_block_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	__u64 key = (__u64)rq, now = bpf_ktime_get_ns();
	struct ktr_inflight *p;
	struct ktr_block *r;
	struct kt_out o;

	p = bpf_map_lookup_elem(&inflight, &key);
	r = kt_reserve(&o, sizeof(*r), KT_FAM_BLOCK);
	if (!r)
		goto out;
	kt_hdr(&r->h, now, 0, 0, KT_BLOCK_RQ);
	r->status = error;
	r->bytes = nr_bytes;
	if (p) {
		r->h.tid = p->tid;
		r->h.pid = p->pid;
		r->h.a32 = p->issue_cpu;
		r->dev = p->dev;
		r->op = p->op;
		r->sector = p->sector;
		r->queue_ns = p->insert_ts && p->issue_ts ?
			      p->issue_ts - p->insert_ts : 0;
		r->service_ns = p->issue_ts ? now - p->issue_ts : 0;
	} else {
		/* insert and issue not seen: a cache flush's own request
		 * (the flush machinery completes it without issuing it),
		 * or one issued before recording started */
		__u64 st = kt_rq_start_ns(rq);

		if (st && st < now) {
			r->h.a16 = KT_BLOCK_FROM_ALLOC;
			r->service_ns = now - st;
		} else {
			r->service_ns = 0;
		}
		r->h.a32 = bpf_get_smp_processor_id();
		r->dev = kt_rq_dev(rq);
		r->op = rq->cmd_flags;
		r->sector = rq->__sector;
		r->queue_ns = 0;
	}
	kt_submit(&o, r);
out:
	if (p)
		bpf_map_delete_elem(&inflight, &key);
	return 0;
}

#endif /* KT_BLOCK_BPF_H */
