/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * critpath.h - the critical path of a slow span: what a thread was
 * waiting for, nanosecond by nanosecond, through the chain of wakeups.
 *
 * The algorithm is Trace Compass's "bounded" one (Giraldeau & Dagenais,
 * TPDS 2016) on our interval model: walk the thread's intervals over the
 * span; running and runnable time is its own; a wait ended by another
 * task's wakeup is replaced by what that waker did during the wait,
 * recursively and only within the wait; a wait ended from interrupt
 * context stops at the device (disk request, timer, network), never at
 * the interrupted task.  The result tiles the span exactly: every
 * nanosecond is attributed once, so the parts sum to the duration.
 *
 * A store collects the intervals and spans of a window from a timeline
 * build (kt_cp_store_ops), then any number of paths are computed on it.
 */
#ifndef KT_CRITPATH_H
#define KT_CRITPATH_H

#include "timeline.h"

struct kt_cp_store;

/* kt_cp_store_new - a store keeping what overlaps [@from, @to] (0, 0 =
 * everything).  NULL with errno ENOMEM. */
struct kt_cp_store *kt_cp_store_new(__u64 from, __u64 to);
void kt_cp_store_free(struct kt_cp_store *st);

/* Timeline callbacks that fill the store (arg: the store). */
extern const struct kt_tl_ops kt_cp_store_ops;

/* kt_cp_store_peers - a merged capture's TCP sockets paired across
 * hosts (metadata merge.peers, `ktrail merge`) and its clocks'
 * uncertainty: a receive on one end is then explained by the send on the
 * other (KT_CP_VIA_PEER).  Nothing for other captures.  Returns 0 or
 * -ENOMEM. */
int kt_cp_store_peers(struct kt_cp_store *st, const json_t *meta);

/* kt_cp_store_seal - index the store; call after the timeline finished
 * and before computing paths.  Returns 0 or -ENOMEM. */
int kt_cp_store_seal(struct kt_cp_store *st);

/* Intervals of a thread (utid, or tid when utid is 0), in time order. */
const struct kt_tl_interval *kt_cp_store_thread(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						size_t *n);
/* The syscall span of the thread that contains @ts, or NULL. */
const struct kt_tl_span *kt_cp_store_syscall_at(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						__u64 ts);

/* A TCP connection that thread (utid, tid) owns and that was
 * established and open at @ts; OUT @n how many there were (when more
 * than one, which one a wait was on is not known). */
const struct kt_tl_span *kt_cp_store_tcp_at(const struct kt_cp_store *st,
					     __u32 utid, __u32 tid, __u64 ts,
					     size_t *n);

/* What a piece of the span's time is attributed to. */
enum kt_cp_kind {
	KT_CP_RUN = 0,      /* a thread running (the span's own, or a peer
			     * whose work the span waited for) */
	KT_CP_RUNNABLE = 1, /* a thread waiting for a cpu: cpu contention */
	KT_CP_DISK = 2,     /* a block request being served */
	KT_CP_TIMER = 3,    /* a timer that had to expire */
	KT_CP_NET = 4,      /* the network (a receive from outside) */
	KT_CP_IRQ = 5,      /* another interrupt-context wakeup */
	KT_CP_UNKNOWN = 6,  /* not observed, waker missing, still waiting */
	KT_CP_RETRANS = 7,  /* a TCP retransmission timeout: waiting on a
			     * socket of its own until the kernel sent
			     * again what got no answer (a SYN: connect) */
	KT_CP_NKINDS
};

/* How a hop was reached from its parent. */
enum kt_cp_via {
	KT_CP_VIA_START = 0, /* the span's own thread */
	KT_CP_VIA_WAKE = 1,  /* the parent's wait was ended by this thread's
			      * wakeup (exact) */
	KT_CP_VIA_PEER = 3,  /* a merged capture: this thread, on another
			      * host, sent what the parent's receive read
			      * (the TCP peers of metadata merge.peers) */
	KT_CP_VIA_NET = 2,   /* softirq wakeup that ran in this thread's
			      * context while it sent on a socket (loopback
			      * delivery; inferred) */
};

/*
 * Evidence weights, in permille: how much of a segment's time rests on
 * records of the very task or request (docs/causal.md "Confidence").
 */
#define KT_CP_W_EXACT 1000      /* switches, wakeups, the waiter's own
				 * request, a timed wait's own record */
#define KT_CP_W_DISK_NEAR 900   /* a completion on the wait's cpu just
				 * before an interrupt woke it; the request
				 * is another task's or names none */
#define KT_CP_W_UNSEEN_WAIT 900 /* a wait before the thread's first event,
				 * known only from the wakeup that ended it */
#define KT_CP_W_NET 800         /* a socket wait ended by a softirq: data
				 * arrived, from where is not matched */
#define KT_CP_W_LOOPBACK 800    /* that softirq ran in a sending task's
				 * context: taken as its loopback delivery */
#define KT_CP_W_IRQ 500         /* an interrupt of unknown origin */
#define KT_CP_W_SYNC_OVERLAP 800 /* an fsync's wait that no wakeup tied to a
				 * request, while requests of its own or of
				 * writeback were in flight */
#define KT_CP_W_PEER 900        /* the send on the peer socket on another
				 * host that a receive was waiting for,
				 * picked by time across two clocks */
#define KT_CP_W_RETRANS_ANY 900 /* a retransmit of one of the waiting
				 * thread's sockets, not a connect's SYN */

struct kt_cp_seg {
	__u64 start, end;       /* [start, end) */
	__u32 utid, tid, pid;   /* the thread whose state this is */
	__u32 hop;              /* index in kt_cp_path.hops */
	__u16 weight;           /* evidence permille: the leaf's weight
				 * times the weights of the hops above */
	__u8 kind;              /* enum kt_cp_kind */
	__u8 state;             /* the thread's enum kt_tl_state */
	__u8 cause;             /* waits: enum kt_tl_cause that ended it */
	__u16 cpu;
	struct kt_tl_sys sys;   /* waits: the syscall it was in */
	struct kt_tl_blk blk;   /* KT_CP_DISK: the request */
	struct kt_tl_tcp tcp;   /* KT_CP_RETRANS: the connection, and the
				 * retransmit's time in tcp_ts */
	__u64 tcp_ts;
};

struct kt_cp_hop {
	__u32 parent;           /* hop index, KT_CP_NONE for hop 0 */
	__u32 depth;
	__u32 utid, tid, pid;   /* the thread explored at this hop */
	__u64 start, end;       /* the part of the span it covers */
	__u8 via;               /* enum kt_cp_via */
	__u16 weight;           /* evidence permille of the link to the
				 * parent: KT_CP_W_EXACT, or less when
				 * inferred (reason says how) */
	__u16 chain;            /* product of the weights from hop 0 */
	const char *reason;     /* static string */
	__u64 wake_ts;          /* when this thread ended the parent's wait */
	struct kt_tl_sys wait_sys;  /* the parent's wait: its syscall */
	struct kt_tl_sys waker_sys; /* this thread's syscall at wake_ts */
	__u64 ns;               /* time attributed to this hop and below */
};

#define KT_CP_NONE 0xffffffffu
#define KT_CP_MAX_DEPTH 64

/* One attribution bucket: (kind, thread for RUN/UNKNOWN, cpu for
 * RUNNABLE, dev for DISK).  The root may be KT_CP_ALL_CPUS: all the
 * runnable time, on whatever cpu (contention is one cause, whichever
 * cpus it was waited for on). */
#define KT_CP_ALL_CPUS 0xffff
/* ... unless one cpu holds this percentage of the runnable time or more:
 * then that cpu's bucket stands alone */
#define KT_CP_CONTENTION_ONE_CPU 90
struct kt_cp_attr {
	__u8 kind;
	__u32 utid, tid, pid;
	__u16 cpu;
	__u32 dev;
	__u64 ns;
	__u32 segs;
	__u32 first_hop;        /* the hop where it appears first */
	__u32 main_hop;         /* the hop holding most of its time */
};

struct kt_cp_path {
	__u64 start, end;
	__u32 utid, tid;        /* the span's thread */
	struct kt_cp_seg *segs; /* tile [start, end) in time order */
	size_t nsegs;
	struct kt_cp_hop *hops;
	size_t nhops;
	struct kt_cp_attr *attr; /* sorted by ns, largest first */
	size_t nattr;
	__u64 kind_ns[KT_CP_NKINDS];
	/* Confidence in the root (docs/causal.md): the root's time weighted
	 * by its evidence, over the root's time plus the span's unknown
	 * time outside it.  Permille; 0 when there is no known root. */
	__u16 confidence;
	struct kt_cp_attr contention; /* the runnable buckets summed, cpu
				       * KT_CP_ALL_CPUS; ns 0 when none */
	__u64 root_evidence_ns; /* sum of weight x ns over the root's segments */
	__u64 unknown_ns;       /* unknown time outside the root */
	unsigned blind;         /* families (1 << KT_FAM_*) that would tell
				 * the root from what it may be mistaken for
				 * and that the capture was recorded without
				 * (kt_cp_blind); 0: none */
};

/*
 * kt_cp_compute - the critical path of thread (@utid, @tid) over
 * [@start, @end).  Fills @p (release with kt_cp_path_release).  Returns 0,
 * -ENOMEM, or -EINVAL when start >= end.  The segments sum to
 * end - start exactly (checked).
 */
int kt_cp_compute(const struct kt_cp_store *st, __u32 utid, __u32 tid,
		  __u64 start, __u64 end, struct kt_cp_path *p);
void kt_cp_path_release(struct kt_cp_path *p);

/*
 * kt_cp_blind - @p's capture was recorded without the families
 * @unrecorded (1 << KT_FAM_*).  When some of them would tell @p's root
 * from the causes it looks like (an interrupt of unknown origin: syscall,
 * which names timers, sockets and locks, and block; a socket's softirq:
 * tcp), sets p->blind to them and recomputes the confidence with every
 * inferred segment (weight below 1.0) counting half (docs/causal.md
 * "Confidence").  Otherwise leaves @p as it is.
 */
void kt_cp_blind(struct kt_cp_path *p, unsigned unrecorded);

/* The root cause: the largest attribution bucket that is not unknown
 * (unknown time lowers the confidence instead), the runnable buckets of
 * several cpus counting as one (path.contention); the unknown bucket
 * when nothing else is left.  NULL when empty. */
const struct kt_cp_attr *kt_cp_root(const struct kt_cp_path *p);

/* Who ran on @cpu (KT_CP_ALL_CPUS: on each cpu waited for) during the
 * path's RUNNABLE segments there: fills the @max largest (utid, tid, pid,
 * cpu, ns; kind KT_CP_RUN), largest first; returns how many. */
size_t kt_cp_contenders(const struct kt_cp_store *st,
			const struct kt_cp_path *p, __u16 cpu,
			struct kt_cp_attr *out, size_t max);

const char *kt_cp_kind_name(unsigned kind);

#endif /* KT_CRITPATH_H */
