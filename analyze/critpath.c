// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * critpath.c - the bounded critical-path walk (see critpath.h) over the
 * window store (critpath_store.c); attribution in critpath_attr.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <jansson.h>
#include "critpath_int.h"
#include "analyze/map.h"
#include "analyze/vec.h"

/* ----------------------------------------------------------------- walk */

struct walk {
	const struct kt_cp_store *st;
	struct kt_cp_path *p;
	size_t segcap, hopcap;
	unsigned link;          /* weight of the leaf's own wait */
	int err;
};

/* The evidence weight of a leaf of @kind for the wait @iv of thread @tid
 * (docs/causal.md "Confidence"). */
static unsigned leaf_weight(unsigned kind, const struct kt_tl_interval *iv,
			    __u32 tid)
{
	switch (kind) {
	case KT_CP_RUN:
	case KT_CP_RUNNABLE:
	case KT_CP_TIMER:       /* its own record: a timed wait timed out */
		return KT_CP_W_EXACT;
	case KT_CP_DISK:
		return iv && iv->blk.issuer_tid == tid ? KT_CP_W_EXACT :
							 KT_CP_W_DISK_NEAR;
	case KT_CP_NET:
		return KT_CP_W_NET;
	case KT_CP_RETRANS:     /* the retransmit record of its socket */
		return KT_CP_W_EXACT;
	case KT_CP_IRQ:
		return KT_CP_W_IRQ;
	}
	return 0;
}

static void add_seg(struct walk *w, const struct cp_thread *t, __u32 utid,
		    __u32 tid, __u32 pid, const struct kt_tl_interval *iv,
		    __u64 lo, __u64 hi, unsigned kind, __u32 hop)
{
	unsigned chain = hop != KT_CP_NONE ? w->p->hops[hop].chain :
					     KT_CP_W_EXACT;
	struct kt_cp_seg *s;

	(void)t;
	if (w->err || lo >= hi)
		return;
	if (!KT_GROW(w->p->segs, w->p->nsegs, w->segcap)) {
		w->err = -ENOMEM;
		return;
	}
	s = &w->p->segs[w->p->nsegs++];
	memset(s, 0, sizeof(*s));
	s->start = lo;
	s->end = hi;
	s->utid = utid;
	s->tid = tid;
	s->pid = pid;
	s->hop = hop;
	s->kind = kind;
	s->weight = leaf_weight(kind, iv, tid) * chain / KT_CP_W_EXACT *
		    w->link / KT_CP_W_EXACT;
	s->sys.nr = KT_TL_NOSYS;
	if (iv) {
		s->state = iv->state;
		s->cpu = iv->cpu;
		if (kt_tl_is_wait(iv->state)) {
			s->cause = iv->wake.cause;
			s->sys = iv->sys;
		}
		if (kind == KT_CP_DISK)
			s->blk = iv->blk;
	}
}

static __u32 add_hop(struct walk *w, __u32 parent, __u32 depth, __u32 utid,
		     __u32 tid, __u32 pid, __u64 lo, __u64 hi, unsigned via,
		     unsigned weight, const char *reason)
{
	struct kt_cp_hop *h;

	if (w->err)
		return KT_CP_NONE;
	if (!KT_GROW(w->p->hops, w->p->nhops, w->hopcap)) {
		w->err = -ENOMEM;
		return KT_CP_NONE;
	}
	h = &w->p->hops[w->p->nhops];
	memset(h, 0, sizeof(*h));
	h->parent = parent;
	h->depth = depth;
	h->utid = utid;
	h->tid = tid;
	h->pid = pid;
	h->start = lo;
	h->end = hi;
	h->via = via;
	h->weight = weight;
	h->chain = parent == KT_CP_NONE ? weight :
		   weight * w->p->hops[parent].chain / KT_CP_W_EXACT;
	h->reason = reason;
	h->wait_sys.nr = h->waker_sys.nr = KT_TL_NOSYS;
	return w->p->nhops++;
}

static bool is_send(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_sendto:
	case SYS_sendmsg:
	case SYS_sendmmsg:
		return true;
	case SYS_write:
	case SYS_writev:
	case SYS_sendfile:
		return KT_FILE_ID_TYPE(s->arg[2]) == S_IFSOCK;
	}
	return false;
}

static bool is_recv(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_read: case SYS_readv: case SYS_recvfrom: case SYS_recvmsg:
		return KT_FILE_ID_TYPE(s->arg[2]) == S_IFSOCK;
	}
	return false;
}

static unsigned leaf_kind(unsigned cause)
{
	switch (cause) {
	case KT_CAUSE_DISK: return KT_CP_DISK;
	case KT_CAUSE_TIMER: return KT_CP_TIMER;
	case KT_CAUSE_NET: return KT_CP_NET;
	case KT_CAUSE_IRQ: return KT_CP_IRQ;
	}
	return KT_CP_UNKNOWN;
}

static void walk_thread(struct walk *w, __u32 utid, __u32 tid, __u32 pid,
			__u64 a, __u64 b, __u32 hop, __u32 depth);

/* A wait of thread @t over [lo, hi): replaced by what its waker did, or
 * a leaf at the device that ended it.  @link is the weight of the wait
 * itself (less than exact when it was not observed). */
/*
 * A TCP retransmission timeout in a wait: the last retransmit of a socket
 * of the waiting thread in (wait start, @hi): until it, the thread waited
 * for an answer that never came and for the kernel to send again.  For a
 * SYN (connect), that is the very socket the thread waits on; for data it
 * is one of its sockets.  A connect that failed with ETIMEDOUT waited
 * after its last SYN too, for an answer that did not come either, until
 * the kernel gave up: the segment runs to @hi.  Adds the segment and
 * returns where the rest of the wait begins (@lo when there is none).
 */
static __u64 retrans_timeout(struct walk *w, const struct cp_thread *t,
			     const struct kt_tl_interval *iv, __u64 lo,
			     __u64 hi, __u32 hop)
{
	const struct kt_tl_span *r = NULL;
	struct kt_cp_seg *s;
	__u64 end;
	size_t n;

	for (size_t i = 0; i < t->nrtx; i++)
		if (t->rtx[i].start > iv->start && t->rtx[i].start < hi)
			r = &t->rtx[i];
	if (!r || r->start <= lo)
		return lo;
	end = iv->sys.nr == SYS_connect && iv->sys.ret == -ETIMEDOUT &&
	      r->tcp.last_state == KT_TCP_SYN_SENT_STATE ? hi : r->start;
	n = w->p->nsegs;
	add_seg(w, t, t->utid, t->tid, t->pid, iv, lo, end, KT_CP_RETRANS,
		hop);
	if (w->p->nsegs == n + 1) {
		s = &w->p->segs[n];
		s->tcp = r->tcp;
		s->tcp_ts = r->start;
		if (r->tcp.last_state != KT_TCP_SYN_SENT_STATE ||
		    iv->sys.nr != SYS_connect)
			s->weight = s->weight * KT_CP_W_RETRANS_ANY / KT_CP_W_EXACT;
	}
	return end;
}

/* Whether thread (utid, tid) is a kernel thread (its intervals say). */
static bool is_kthread_tid(const struct kt_cp_store *st, __u32 utid,
			   __u32 tid)
{
	__u64 v;

	return kt_map_get_u64(&st->idx, kt_cp_thread_key(utid, tid), &v) &&
	       st->th[v - 1].kthread;
}

/* Syscalls that wait for their data to reach the disk. */
static bool is_sync(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_fsync:
	case SYS_fdatasync:
	case SYS_sync:
	case SYS_syncfs:
	case SYS_sync_file_range:
	case SYS_msync:
		return true;
	case SYS_write:
	case SYS_pwrite64:
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
		/* an O_SYNC / O_DSYNC file: the wait is in the write */
		return KT_FILE_ID_TYPE(s->arg[2]) == S_IFREG;
	}
	return false;
}

/*
 * The thread a kernel thread on the path serves: when @t is an idle kernel
 * thread (asleep outside any syscall: a worker waiting for work) reached
 * as the waker of hop @hop's parent, the parent, whose wait in a sync
 * syscall its wakeup ended; else 0.
 */
static __u32 served_tid(const struct walk *w, const struct cp_thread *t,
			const struct kt_tl_interval *iv, __u32 hop)
{
	const struct kt_cp_hop *h, *p;

	if (!t->kthread || iv->sys.nr != KT_TL_NOSYS ||
	    iv->state != KT_TL_SLEEPING || hop == KT_CP_NONE)
		return 0;
	h = &w->p->hops[hop];
	if (h->parent == KT_CP_NONE || !is_sync(&h->wait_sys))
		return 0;
	p = &w->p->hops[h->parent];
	return p->tid;
}

/*
 * A wait in fsync (or sync, or a write to a regular file) that no wakeup
 * tied to a request: when block requests the thread issued, or that no
 * task in the capture issued (writeback, journal and cache flushes of a
 * recording's scope), were in flight during it, the disk gets the wait,
 * with the request that overlapped it most: an inference from overlap.
 * The same for a kernel thread blocked outside any syscall while its own
 * requests are in flight, and for an idle kernel thread whose later
 * wakeup ends a sync wait (served_tid): until it woke, the requests of
 * the thread it served were what that thread waited for.
 * Returns whether it added the segment.
 */
static bool sync_wait(struct walk *w, const struct cp_thread *t,
		      const struct kt_tl_interval *iv, __u64 lo, __u64 hi,
		      __u32 hop)
{
	/* a kernel thread (writeback, the journal) blocked outside any
	 * syscall while its own requests are in flight waits for them */
	bool kwait = t->kthread && iv->sys.nr == KT_TL_NOSYS &&
		     iv->state == KT_TL_BLOCKED;
	__u32 served = served_tid(w, t, iv, hop);
	__u32 own = served ? served : t->tid;
	const struct kt_tl_blk *best = NULL;
	struct kt_tl_interval disk;
	__u64 best_ns = 0;

	if (!served && (iv->state != KT_TL_BLOCKED ||
			(!is_sync(&iv->sys) && !kwait)))
		return false;
	for (size_t i = 0; i < w->st->nblk; i++) {
		const struct kt_tl_blk *b = &w->st->blk[i];
		__u64 a = b->issue_ts > lo ? b->issue_ts : lo;
		__u64 z = b->complete_ts < hi ? b->complete_ts : hi;

		if (z <= a || (kwait && b->issuer_tid != own))
			continue;
		if (b->issuer_tid && b->issuer_tid != own &&
		    !is_kthread_tid(w->st, b->issuer_utid, b->issuer_tid))
			continue;
		if (z - a > best_ns) {
			best_ns = z - a;
			best = b;
		}
	}
	if (!best)
		return false;
	disk = *iv;
	disk.blk = *best;
	w->link = KT_CP_W_SYNC_OVERLAP;
	add_seg(w, t, t->utid, t->tid, t->pid, &disk, lo, hi, KT_CP_DISK, hop);
	w->link = KT_CP_W_EXACT;
	return true;
}

/*
 * The send that a receive on a socket of a merged capture was waiting
 * for, when the socket's peer is on another host (kt_cp_store_peers):
 * the last send on the peer socket that began before the wakeup, give or
 * take the clocks' uncertainty, and ended after the wait began.  (On
 * veth or loopback the receiver is woken inside the send.)  NULL when
 * there is none.
 */
static const struct kt_tl_span *peer_send(const struct kt_cp_store *st,
					  const struct kt_tl_interval *iv,
					  __u64 lo)
{
	const struct kt_tl_span *best = NULL;
	__u64 peer, fid = iv->sys.arg[2];

	if (!st->peers.n || !iv->wake.ts || !is_recv(&iv->sys) ||
	    !kt_map_get_u64(&st->peers, KT_FILE_ID_INO(fid), &peer))
		return NULL;
	for (size_t i = 0; i < st->nth; i++) {
		const struct cp_thread *t = &st->th[i];

		for (size_t k = 0; k < t->nsys; k++) {
			const struct kt_tl_span *sp = &t->sys[k];

			/* the data left during the send: its start */
			if (sp->start > iv->wake.ts + st->peer_slack)
				break;
			if (sp->end > lo && sp->sys.ret > 0 &&
			    is_send(&sp->sys) &&
			    KT_FILE_ID_INO(sp->sys.arg[2]) == peer &&
			    (!best || sp->start > best->start))
				best = sp;
		}
	}
	return best;
}

/*
 * A receive on a TCP socket whose peer another host of a merged capture
 * recorded: the sender's thread gets the wait up to its send, and the
 * rest (the data in flight, at most the clocks' uncertainty off) is the
 * network.  Takes precedence over the wakeup the receiving host saw,
 * which names a softirq or a task it does not know (the other host's
 * thread, out of its scope, when the two hosts are network namespaces of
 * one kernel), unless that waker is the sender's own host's thread.
 * Returns whether it took the wait.
 */
static bool peer_wait(struct walk *w, const struct cp_thread *t,
		      const struct kt_tl_interval *iv, __u64 lo, __u64 hi,
		      __u32 hop, __u32 depth, unsigned link)
{
	const struct kt_tl_span *ws = peer_send(w->st, iv, lo);
	__u64 mid;
	__u32 h;

	if (!ws || depth + 1 >= KT_CP_MAX_DEPTH ||
	    ws->tid >> KT_HOST_TID_BITS == t->tid >> KT_HOST_TID_BITS ||
	    (iv->wake.cause == KT_CAUSE_TASK && iv->wake.tid &&
	     iv->wake.tid >> KT_HOST_TID_BITS == ws->tid >> KT_HOST_TID_BITS))
		return false;
	mid = ws->end < hi ? ws->end : hi;
	h = add_hop(w, hop, depth + 1, ws->utid, ws->tid, ws->pid, lo, mid,
		    KT_CP_VIA_PEER, KT_CP_W_PEER * link / KT_CP_W_EXACT,
		    "sent what it read from the peer socket on another host "
		    "(TCP 4-tuple matched by merge; the last send before the "
		    "wakeup)");
	if (h == KT_CP_NONE)
		return true;
	w->p->hops[h].wake_ts = iv->wake.ts;
	w->p->hops[h].wait_sys = iv->sys;
	w->p->hops[h].waker_sys = ws->sys;
	walk_thread(w, ws->utid, ws->tid, ws->pid, lo, mid, h, depth + 1);
	w->link = link;
	add_seg(w, t, t->utid, t->tid, t->pid, iv, mid, hi, KT_CP_NET, hop);
	w->link = KT_CP_W_EXACT;
	return true;
}

static void walk_wait(struct walk *w, const struct cp_thread *t,
		      const struct kt_tl_interval *iv, __u64 lo, __u64 hi,
		      __u32 hop, __u32 depth, unsigned link)
{
	const struct kt_tl_wake *wk = &iv->wake;
	const struct kt_tl_span *ws;
	bool other = kt_cp_thread_key(wk->utid, wk->tid) != kt_cp_thread_key(t->utid, t->tid);
	__u32 h;

	lo = retrans_timeout(w, t, iv, lo, hi, hop);
	if (lo >= hi || peer_wait(w, t, iv, lo, hi, hop, depth, link))
		return;

	if (depth + 1 < KT_CP_MAX_DEPTH && wk->cause == KT_CAUSE_TASK &&
	    wk->tid && other) {
		h = add_hop(w, hop, depth + 1, wk->utid, wk->tid, 0, lo, hi,
			    KT_CP_VIA_WAKE, link, link < KT_CP_W_EXACT ?
			    "woke it from a wait that began before the capture saw the thread" :
			    "ended the wait with a wakeup from task context");
		if (h == KT_CP_NONE)
			return;
		w->p->hops[h].wake_ts = wk->ts;
		w->p->hops[h].wait_sys = iv->sys;
		ws = kt_cp_store_syscall_at(w->st, wk->utid, wk->tid, wk->ts);
		if (ws)
			w->p->hops[h].waker_sys = ws->sys;
		walk_thread(w, wk->utid, wk->tid, 0, lo, hi, h, depth + 1);
		return;
	}
	/* A softirq receive that ran in a sending task's context is the
	 * loopback delivery of what that task sent: follow it, with less
	 * than full confidence (the packet itself is not matched). */
	if (depth + 1 < KT_CP_MAX_DEPTH && wk->cause == KT_CAUSE_NET &&
	    wk->tid && other) {
		ws = kt_cp_store_syscall_at(w->st, wk->utid, wk->tid, wk->ts);
		if (ws && is_send(&ws->sys)) {
			h = add_hop(w, hop, depth + 1, wk->utid, wk->tid, 0,
				    lo, hi, KT_CP_VIA_NET,
				    KT_CP_W_LOOPBACK * link / KT_CP_W_EXACT,
				    "network receive ran in its context while it was sending on a socket");
			if (h == KT_CP_NONE)
				return;
			w->p->hops[h].wake_ts = wk->ts;
			w->p->hops[h].wait_sys = iv->sys;
			w->p->hops[h].waker_sys = ws->sys;
			walk_thread(w, wk->utid, wk->tid, 0, lo, hi, h,
				    depth + 1);
			return;
		}
	}
	if (leaf_kind(wk->cause) != KT_CP_DISK &&
	    sync_wait(w, t, iv, lo, hi, hop))
		return;
	w->link = link;
	add_seg(w, t, t->utid, t->tid, t->pid, iv, lo, hi,
		leaf_kind(wk->cause), hop);
	w->link = KT_CP_W_EXACT;
}

static size_t first_ending_after(const struct cp_thread *t, __u64 a)
{
	size_t lo = 0, hi = t->niv;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->iv[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A thread first seen runnable by a wakeup (not a fork, not preempted)
 * was waiting before it: sched_waking fires only for a task in a sleep
 * state.  That wait began before the thread's first event. */
static bool woken_first(const struct kt_tl_interval *iv)
{
	if (iv->state != KT_TL_RUNNABLE || !iv->wake.ts)
		return false;
	switch (iv->wake.cause) {
	case KT_CAUSE_TASK:
	case KT_CAUSE_DISK:
	case KT_CAUSE_TIMER:
	case KT_CAUSE_NET:
	case KT_CAUSE_IRQ:
		return true;
	}
	return false;
}

/* [lo, hi) before a thread's first interval @first, which woken_first()
 * accepted: a wait (of unknown syscall) that @first's wakeup ended. */
static void walk_unseen_wait(struct walk *w, const struct cp_thread *t,
			     const struct kt_tl_interval *first, __u64 lo,
			     __u64 hi, __u32 hop, __u32 depth)
{
	struct kt_tl_interval wait = *first;

	if (lo >= hi)
		return;
	wait.start = lo;
	wait.end = hi;
	wait.state = KT_TL_SLEEPING;
	wait.flags |= KT_TL_F_SYS_UNKNOWN;
	memset(&wait.sys, 0, sizeof(wait.sys));
	wait.sys.nr = KT_TL_NOSYS;
	walk_wait(w, t, &wait, lo, hi, hop, depth, KT_CP_W_UNSEEN_WAIT);
}

static void walk_thread(struct walk *w, __u32 utid, __u32 tid, __u32 pid,
			__u64 a, __u64 b, __u32 hop, __u32 depth)
{
	const struct cp_thread *t;
	__u64 cur = a;
	__u64 v;

	if (!kt_map_get_u64(&w->st->idx, kt_cp_thread_key(utid, tid), &v)) {
		add_seg(w, NULL, utid, tid, pid, NULL, a, b, KT_CP_UNKNOWN, hop);
		return;
	}
	t = &w->st->th[v - 1];
	if (hop != KT_CP_NONE && !w->p->hops[hop].pid)
		w->p->hops[hop].pid = t->pid;
	for (size_t i = first_ending_after(t, a);
	     i < t->niv && t->iv[i].start < b && !w->err; i++) {
		const struct kt_tl_interval *iv = &t->iv[i];
		__u64 lo = iv->start > a ? iv->start : a;
		__u64 hi = iv->end < b ? iv->end : b;

		if (i == 0 && woken_first(iv))
			walk_unseen_wait(w, t, iv, cur, lo, hop, depth);
		else    /* not observed: before the thread's first appearance */
			add_seg(w, t, t->utid, t->tid, t->pid, NULL, cur, lo,
				KT_CP_UNKNOWN, hop);
		switch (iv->state) {
		case KT_TL_RUNNING:
			add_seg(w, t, t->utid, t->tid, t->pid, iv, lo, hi,
				KT_CP_RUN, hop);
			break;
		case KT_TL_RUNNABLE:
			add_seg(w, t, t->utid, t->tid, t->pid, iv, lo, hi,
				KT_CP_RUNNABLE, hop);
			break;
		case KT_TL_BLOCKED:
		case KT_TL_SLEEPING:
		case KT_TL_STOPPED:
			walk_wait(w, t, iv, lo, hi, hop, depth, KT_CP_W_EXACT);
			break;
		default:
			add_seg(w, t, t->utid, t->tid, t->pid, iv, lo, hi,
				KT_CP_UNKNOWN, hop);
		}
		cur = hi;
	}
	add_seg(w, t, t->utid, t->tid, t->pid, NULL, cur, b, KT_CP_UNKNOWN, hop);
}

int kt_cp_compute(const struct kt_cp_store *st, __u32 utid, __u32 tid,
		  __u64 start, __u64 end, struct kt_cp_path *p)
{
	struct walk w = { .st = st, .p = p, .link = KT_CP_W_EXACT };
	const struct kt_cp_attr *root;
	__u32 h0;
	int err;

	memset(p, 0, sizeof(*p));
	if (start >= end)
		return -EINVAL;
	p->start = start;
	p->end = end;
	p->utid = utid;
	p->tid = tid;
	h0 = add_hop(&w, KT_CP_NONE, 0, utid, tid, 0, start, end,
		     KT_CP_VIA_START, KT_CP_W_EXACT, "the span's own thread");
	walk_thread(&w, utid, tid, 0, start, end, h0, 0);
	err = w.err;
	if (!err)
		err = kt_cp_check_tiling(p);
	if (!err)
		err = kt_cp_attribute(p);
	if (err) {
		kt_cp_path_release(p);
		return err;
	}
	kt_cp_contention(p);
	root = kt_cp_root(p);
	if (root)
		kt_cp_confidence(p, root);
	return 0;
}

/* The families that would tell a root of @kind from the causes it is
 * mistaken for (docs/causal.md "Confidence"). */
static unsigned telling_families(unsigned kind)
{
	switch (kind) {
	case KT_CP_IRQ:         /* a timer, a socket, a lock: their syscall
				 * records; a disk: its requests */
		return 1u << KT_FAM_SYSCALL | 1u << KT_FAM_BLOCK;
	case KT_CP_NET:         /* a retransmit or a reset of the socket */
		return 1u << KT_FAM_TCP;
	}
	return 0;
}

void kt_cp_blind(struct kt_cp_path *p, unsigned unrecorded)
{
	const struct kt_cp_attr *root = kt_cp_root(p);

	if (!root)
		return;
	p->blind = unrecorded & telling_families(root->kind);
	if (p->blind)
		kt_cp_confidence(p, root);
}

void kt_cp_path_release(struct kt_cp_path *p)
{
	free(p->segs);
	free(p->hops);
	free(p->attr);
	memset(p, 0, sizeof(*p));
}
