/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * critpath_int.h - inside the critical path (critpath.h): the window
 * store, shared by critpath_store.c (the store), critpath.c (the walk)
 * and critpath_attr.c (attribution, contention, confidence).
 */
#ifndef KT_CRITPATH_INT_H
#define KT_CRITPATH_INT_H

#include "critpath.h"
#include "analyze/map.h"

#define KT_TCP_SYN_SENT_STATE 2         /* the kernel's TCP_SYN_SENT */

struct cp_thread {
	__u32 utid, tid, pid;
	struct kt_tl_interval *iv;      /* time order (delivery order) */
	size_t niv, ivcap;
	struct kt_tl_span *sys;         /* syscall spans, end order */
	size_t nsys, syscap;
	struct kt_tl_span *rtx;         /* retransmits of its sockets, in
					 * time order */
	size_t nrtx, rtxcap;
	struct kt_tl_span *tcp;         /* TCP connections it owns */
	size_t ntcp, tcpcap;
	bool kthread;
};

struct cp_run {                         /* a RUNNING interval, by cpu */
	__u64 start, end;
	__u32 utid, tid, pid;
	__u16 cpu;
};

struct kt_cp_store {
	__u64 from, to;
	struct kt_tl_blk *blk;          /* block requests, any issuer */
	size_t nblk, blkcap;
	struct cp_thread *th;
	size_t nth, thcap;
	struct kt_map idx;             /* thread key -> index + 1 */
	struct cp_run *runs;
	size_t nruns, runcap;
	struct kt_map peers;           /* a merged capture's TCP sockets across
					* hosts: inode -> its peer's inode */
	__u64 peer_slack;              /* the clocks' largest uncertainty */
	bool sealed;
};

static inline __u64 kt_cp_thread_key(__u32 utid, __u32 tid)
{
	return utid ? utid : (1ULL << 32) | tid;
}

/* critpath_attr.c */

/* kt_cp_check_tiling - the segments tile [start, end] of the path:
 * 0, or -EFAULT (a bug of the walk) */
int kt_cp_check_tiling(const struct kt_cp_path *p);

/* kt_cp_attribute - the segments summed into p->attr, largest first.
 * Returns 0 or -ENOMEM. */
int kt_cp_attribute(struct kt_cp_path *p);

/* kt_cp_contention - the runnable buckets summed into p->contention,
 * with the tasks that held the cpus. */
void kt_cp_contention(struct kt_cp_path *p);

/* kt_cp_confidence - p->confidence for the root @root. */
void kt_cp_confidence(struct kt_cp_path *p, const struct kt_cp_attr *root);

#endif /* KT_CRITPATH_INT_H */
