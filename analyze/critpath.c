// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * critpath.c - the window store and the bounded critical-path walk (see
 * critpath.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <jansson.h>
#include "critpath.h"

#define KT_TCP_SYN_SENT_STATE 2         /* the kernel's TCP_SYN_SENT */
#include "analyze/map.h"
#include "analyze/vec.h"

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

static __u64 thread_key(__u32 utid, __u32 tid)
{
	return utid ? utid : (1ULL << 32) | tid;
}

struct kt_cp_store *kt_cp_store_new(__u64 from, __u64 to)
{
	struct kt_cp_store *st = calloc(1, sizeof(*st));

	if (!st) {
		errno = ENOMEM;
		return NULL;
	}
	st->from = from;
	st->to = to;
	kt_map_init(&st->idx, sizeof(__u64));
	kt_map_init(&st->peers, sizeof(__u64));
	return st;
}

void kt_cp_store_free(struct kt_cp_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nth; i++) {
		free(st->th[i].iv);
		free(st->th[i].sys);
		free(st->th[i].rtx);
		free(st->th[i].tcp);
	}
	free(st->th);
	free(st->runs);
	free(st->blk);
	kt_map_release(&st->idx);
	kt_map_release(&st->peers);
	free(st);
}

static bool in_window(const struct kt_cp_store *st, __u64 s, __u64 e)
{
	if (!st->from && !st->to)
		return true;
	return e >= st->from && s <= st->to;
}

static struct cp_thread *thread_of(struct kt_cp_store *st, __u32 utid,
				   __u32 tid, __u32 pid)
{
	__u64 key = thread_key(utid, tid);
	struct cp_thread *t;
	__u64 v;

	if (kt_map_get_u64(&st->idx, key, &v))
		return &st->th[v - 1];
	if (!KT_GROW(st->th, st->nth, st->thcap))
		return NULL;
	if (kt_map_put_u64(&st->idx, key, st->nth + 1))
		return NULL;
	t = &st->th[st->nth++];
	memset(t, 0, sizeof(*t));
	t->utid = utid;
	t->tid = tid;
	t->pid = pid;
	return t;
}

static int store_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_cp_store *st = arg;
	struct cp_thread *t;

	if (!in_window(st, iv->start, iv->end))
		return 0;
	t = thread_of(st, iv->utid, iv->tid, iv->pid);
	if (!t || !KT_GROW(t->iv, t->niv, t->ivcap))
		return -ENOMEM;
	t->iv[t->niv++] = *iv;
	t->kthread |= iv->flags & KT_TL_F_KTHREAD;
	if (iv->state == KT_TL_RUNNING) {
		if (!KT_GROW(st->runs, st->nruns, st->runcap))
			return -ENOMEM;
		st->runs[st->nruns++] = (struct cp_run){
			iv->start, iv->end, iv->utid, iv->tid, iv->pid, iv->cpu
		};
	}
	return 0;
}

static int store_span(const struct kt_tl_span *sp, void *arg)
{
	struct kt_cp_store *st = arg;
	struct cp_thread *t;

	if (sp->kind == KT_SPAN_TCP_RETRANS && sp->tid &&
	    in_window(st, sp->start, sp->end)) {
		t = thread_of(st, sp->utid, sp->tid, sp->pid);
		if (!t || !KT_GROW(t->rtx, t->nrtx, t->rtxcap))
			return -ENOMEM;
		t->rtx[t->nrtx] = *sp;
		t->rtx[t->nrtx++].ev = NULL;
		return 0;
	}
	if (sp->kind == KT_SPAN_BLOCK && in_window(st, sp->start, sp->end)) {
		if (!KT_GROW(st->blk, st->nblk, st->blkcap))
			return -ENOMEM;
		st->blk[st->nblk++] = sp->blk;
		return 0;
	}
	if (sp->kind == KT_SPAN_TCP && sp->tid &&
	    in_window(st, sp->start, sp->end)) {
		t = thread_of(st, sp->utid, sp->tid, sp->pid);
		if (!t || !KT_GROW(t->tcp, t->ntcp, t->tcpcap))
			return -ENOMEM;
		t->tcp[t->ntcp] = *sp;
		t->tcp[t->ntcp++].ev = NULL;
		return 0;
	}
	if (sp->kind != KT_SPAN_SYSCALL || !in_window(st, sp->start, sp->end))
		return 0;
	t = thread_of(st, sp->utid, sp->tid, sp->pid);
	if (!t || !KT_GROW(t->sys, t->nsys, t->syscap))
		return -ENOMEM;
	t->sys[t->nsys] = *sp;
	t->sys[t->nsys++].ev = NULL;
	return 0;
}

const struct kt_tl_ops kt_cp_store_ops = {
	.interval = store_interval,
	.span = store_span,
};

static int cmp_run(const void *a, const void *b)
{
	const struct cp_run *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

int kt_cp_store_seal(struct kt_cp_store *st)
{
	/* runs on one cpu never overlap: the timeline ends a run where the
	 * capture shows another task on its cpu (timeline.h, "never invent
	 * a state"; the simulator checks it) */
	if (st->nruns)          /* runs is NULL without one */
		qsort(st->runs, st->nruns, sizeof(*st->runs), cmp_run);
	st->sealed = true;
	return 0;
}

int kt_cp_store_peers(struct kt_cp_store *st, const json_t *meta)
{
	const json_t *m = json_object_get(meta, "merge"), *pr, *h;
	size_t i;

	json_array_foreach(json_object_get(m, "peers"), i, pr) {
		json_int_t a = json_integer_value(json_array_get(pr, 0));
		json_int_t b = json_integer_value(json_array_get(pr, 1));

		if (a <= 0 || b <= 0)
			continue;
		if (kt_map_put_u64(&st->peers, (__u64)a, (__u64)b) ||
		    kt_map_put_u64(&st->peers, (__u64)b, (__u64)a))
			return -ENOMEM;
	}
	json_array_foreach(json_object_get(m, "hosts"), i, h) {
		json_int_t u = json_integer_value(json_object_get(h,
							"uncertainty_ns"));

		if (u > 0 && (__u64)u > st->peer_slack)
			st->peer_slack = (__u64)u;
	}
	return 0;
}

const struct kt_tl_interval *kt_cp_store_thread(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						size_t *n)
{
	__u64 v;

	*n = 0;
	if (!kt_map_get_u64(&st->idx, thread_key(utid, tid), &v))
		return NULL;
	*n = st->th[v - 1].niv;
	return st->th[v - 1].iv;
}

const struct kt_tl_span *kt_cp_store_syscall_at(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						__u64 ts)
{
	const struct cp_thread *t;
	size_t lo = 0, hi;
	__u64 v;

	if (!kt_map_get_u64(&st->idx, thread_key(utid, tid), &v))
		return NULL;
	t = &st->th[v - 1];
	/* syscalls of a thread do not overlap: the first ending at or
	 * after ts is the only candidate */
	hi = t->nsys;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->sys[mid].end < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nsys && t->sys[lo].start <= ts)
		return &t->sys[lo];
	return NULL;
}

const struct kt_tl_span *kt_cp_store_tcp_at(const struct kt_cp_store *st,
					     __u32 utid, __u32 tid, __u64 ts,
					     size_t *n)
{
	const struct kt_tl_span *one = NULL;
	const struct cp_thread *t;
	__u64 v;

	*n = 0;
	if (!kt_map_get_u64(&st->idx, thread_key(utid, tid), &v))
		return NULL;
	t = &st->th[v - 1];
	for (size_t i = 0; i < t->ntcp; i++)
		if (t->tcp[i].start <= ts && ts <= t->tcp[i].end &&
		    t->tcp[i].tcp.established) {
			one = &t->tcp[i];
			(*n)++;
		}
	return one;
}

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

	return kt_map_get_u64(&st->idx, thread_key(utid, tid), &v) &&
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
	bool other = thread_key(wk->utid, wk->tid) != thread_key(t->utid, t->tid);
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

	if (!kt_map_get_u64(&w->st->idx, thread_key(utid, tid), &v)) {
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

/* ---------------------------------------------------------- attribution */

static __u64 attr_key(const struct kt_cp_seg *s)
{
	__u64 id = 0;

	switch (s->kind) {
	case KT_CP_RUN:
	case KT_CP_UNKNOWN:
	case KT_CP_RETRANS:
		id = thread_key(s->utid, s->tid);
		break;
	case KT_CP_RUNNABLE:
		id = s->cpu;
		break;
	case KT_CP_DISK:
		id = s->blk.dev;
		break;
	}
	return (id << 4 | s->kind) + 1;
}

/* the bucket key of an attribution entry (as attr_key of its segments) */
static __u64 attr_key_of(const struct kt_cp_attr *a)
{
	struct kt_cp_seg s = { .kind = a->kind, .utid = a->utid, .tid = a->tid,
			       .cpu = a->cpu };

	s.blk.dev = a->dev;
	return attr_key(&s);
}

static int cmp_attr(const void *a, const void *b)
{
	const struct kt_cp_attr *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->dev > y->dev) - (x->dev < y->dev);
}

/* For each bucket, the hop that holds most of its time (ties: the first
 * hop), so that the root is explained where it weighs most. */
static int main_hops(struct kt_cp_path *p)
{
	struct kt_map idx, sums;
	__u64 *best;
	int err = 0;

	kt_map_init(&idx, sizeof(__u64));
	kt_map_init(&sums, sizeof(__u64));
	best = calloc(p->nattr + 1, sizeof(*best));
	if (!best)
		return -ENOMEM;
	for (size_t i = 0; i < p->nattr && !err; i++) {
		p->attr[i].main_hop = p->attr[i].first_hop;
		err = kt_map_put_u64(&idx, attr_key_of(&p->attr[i]), i);
	}
	for (size_t i = 0; i < p->nsegs && !err; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 a, ns = 0;
		__u64 key;

		if (!kt_map_get_u64(&idx, attr_key(s), &a))
			continue;
		key = (a << 32 | s->hop) + 1;
		kt_map_get_u64(&sums, key, &ns);
		ns += s->end - s->start;
		err = kt_map_put_u64(&sums, key, ns);
		if (!err && (ns > best[a] ||
			     (ns == best[a] && s->hop < p->attr[a].main_hop))) {
			best[a] = ns;
			p->attr[a].main_hop = s->hop;
		}
	}
	kt_map_release(&idx);
	kt_map_release(&sums);
	free(best);
	return err;
}

static int attribute(struct kt_cp_path *p)
{
	struct kt_map idx;
	size_t cap = 0;
	int err = 0;

	kt_map_init(&idx, sizeof(__u64));
	for (size_t i = 0; i < p->nsegs && !err; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 len = s->end - s->start, key = attr_key(s);
		struct kt_cp_attr *a;
		__u64 v;

		p->kind_ns[s->kind] += len;
		for (__u32 h = s->hop; h != KT_CP_NONE; h = p->hops[h].parent)
			p->hops[h].ns += len;
		if (!kt_map_get_u64(&idx, key, &v)) {
			if (!KT_GROW(p->attr, p->nattr, cap) ||
			    kt_map_put_u64(&idx, key, p->nattr)) {
				err = -ENOMEM;
				break;
			}
			v = p->nattr++;
			a = &p->attr[v];
			memset(a, 0, sizeof(*a));
			a->kind = s->kind;
			a->first_hop = s->hop;
			if (s->kind == KT_CP_RUN || s->kind == KT_CP_UNKNOWN ||
			    s->kind == KT_CP_RETRANS) {
				a->utid = s->utid;
				a->tid = s->tid;
				a->pid = s->pid;
			}
			if (s->kind == KT_CP_RUNNABLE)
				a->cpu = s->cpu;
			if (s->kind == KT_CP_DISK)
				a->dev = s->blk.dev;
		}
		a = &p->attr[v];
		a->ns += len;
		a->segs++;
	}
	kt_map_release(&idx);
	if (!err)
		err = main_hops(p);
	if (!err)
		qsort(p->attr, p->nattr, sizeof(*p->attr), cmp_attr);
	return err;
}

/* The walk must tile the span: contiguous, and summing to its length. */
static int check_tiling(const struct kt_cp_path *p)
{
	__u64 cur = p->start, sum = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		if (p->segs[i].start != cur || p->segs[i].end <= cur)
			return -EPROTO;
		sum += p->segs[i].end - p->segs[i].start;
		cur = p->segs[i].end;
	}
	return cur == p->end && sum == p->end - p->start ? 0 : -EPROTO;
}

/*
 * The confidence in @root (docs/causal.md): its time weighted by the
 * evidence each segment rests on, over its time plus the unknown time of
 * the span outside it (which could have been the root's, or not).
 */
static void confidence(struct kt_cp_path *p, const struct kt_cp_attr *root)
{
	__u64 key = attr_key_of(root), den;
	bool all = root->kind == KT_CP_RUNNABLE && root->cpu == KT_CP_ALL_CPUS;

	p->root_evidence_ns = p->unknown_ns = 0;
	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 len = s->end - s->start;
		unsigned wt = s->weight;

		/* inference on a capture blind to what would check it */
		if (p->blind && wt < KT_CP_W_EXACT)
			wt /= 2;
		if (attr_key(s) == key || (all && s->kind == KT_CP_RUNNABLE))
			p->root_evidence_ns += len * wt / KT_CP_W_EXACT;
		else if (s->kind == KT_CP_UNKNOWN)
			p->unknown_ns += len;
	}
	den = root->ns + p->unknown_ns;
	p->confidence = den ? (__u16)((p->root_evidence_ns * KT_CP_W_EXACT +
				       den / 2) / den) : 0;
}

static void contention(struct kt_cp_path *p);

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
		err = check_tiling(p);
	if (!err)
		err = attribute(p);
	if (err) {
		kt_cp_path_release(p);
		return err;
	}
	contention(p);
	root = kt_cp_root(p);
	if (root)
		confidence(p, root);
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
		confidence(p, root);
}

void kt_cp_path_release(struct kt_cp_path *p)
{
	free(p->segs);
	free(p->hops);
	free(p->attr);
	memset(p, 0, sizeof(*p));
}

const struct kt_cp_attr *kt_cp_root(const struct kt_cp_path *p)
{
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];

		if (a->kind == KT_CP_UNKNOWN)
			continue;
		if (a->kind == KT_CP_RUNNABLE || a->ns < p->contention.ns)
			return p->contention.ns > a->ns ? &p->contention : a;
		return a;
	}
	return p->nattr ? &p->attr[0] : NULL;
}

/* The runnable buckets summed, when there are several. */
static void contention(struct kt_cp_path *p)
{
	const struct kt_cp_attr *most = NULL;
	struct kt_cp_attr *c = &p->contention;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];

		if (a->kind != KT_CP_RUNNABLE)
			continue;
		if (!most)
			most = a;
		c->ns += a->ns;
		c->segs += a->segs;
		n++;
	}
	/* one cpu that holds nearly all of it is named alone: a thread
	 * woken on one cpu and moved at once to the cpu it then waits for
	 * (sched_setaffinity) waited for that cpu */
	if (n < 2 || most->ns * 100 >= c->ns * KT_CP_CONTENTION_ONE_CPU) {
		c->ns = 0;
		return;
	}
	c->kind = KT_CP_RUNNABLE;
	c->cpu = KT_CP_ALL_CPUS;
	c->first_hop = most->first_hop;
	c->main_hop = most->main_hop;
}

/* Who ran on the cpu of runnable segment @s while it waited: added to
 * @all (one entry per thread).  Returns 0 or -ENOMEM. */
static int contenders_of(const struct kt_cp_store *st,
			 const struct kt_cp_seg *s, struct kt_cp_attr **all,
			 size_t *n, size_t *cap)
{
	size_t lo = 0, hi = st->nruns;

	/* first run on this cpu ending after the segment starts */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct cp_run *r = &st->runs[mid];

		if (r->cpu < s->cpu || (r->cpu == s->cpu && r->end <= s->start))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nruns && st->runs[lo].cpu == s->cpu &&
	       st->runs[lo].start < s->end; lo++) {
		const struct cp_run *r = &st->runs[lo];
		__u64 a = r->start > s->start ? r->start : s->start;
		__u64 b = r->end < s->end ? r->end : s->end;
		size_t j;

		if (b <= a || thread_key(r->utid, r->tid) ==
			      thread_key(s->utid, s->tid))
			continue;
		for (j = 0; j < *n; j++)
			if ((*all)[j].tid == r->tid && (*all)[j].utid == r->utid)
				break;
		if (j == *n) {
			if (!KT_GROW(*all, *n, *cap))
				return -ENOMEM;
			memset(&(*all)[j], 0, sizeof((*all)[j]));
			(*all)[j].kind = KT_CP_RUN;
			(*all)[j].utid = r->utid;
			(*all)[j].tid = r->tid;
			(*all)[j].pid = r->pid;
			(*all)[j].cpu = s->cpu;
			(*n)++;
		}
		(*all)[j].ns += b - a;
		(*all)[j].segs++;
	}
	return 0;
}

size_t kt_cp_contenders(const struct kt_cp_store *st,
			const struct kt_cp_path *p, __u16 cpu,
			struct kt_cp_attr *out, size_t max)
{
	struct kt_cp_attr *all = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];

		if (s->kind != KT_CP_RUNNABLE ||
		    (cpu != KT_CP_ALL_CPUS && s->cpu != cpu))
			continue;
		if (contenders_of(st, s, &all, &n, &cap))
			break;  /* out of memory: what was found so far */
	}
	if (n)
		qsort(all, n, sizeof(*all), cmp_attr);
	if (n > max)
		n = max;
	if (n)
		memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

const char *kt_cp_kind_name(unsigned kind)
{
	static const char *const names[KT_CP_NKINDS] = {
		[KT_CP_RUN] = "running", [KT_CP_RUNNABLE] = "runnable",
		[KT_CP_DISK] = "disk", [KT_CP_TIMER] = "timer",
		[KT_CP_NET] = "network", [KT_CP_IRQ] = "irq",
		[KT_CP_UNKNOWN] = "unknown", [KT_CP_RETRANS] = "retransmit",
	};

	return kind < KT_CP_NKINDS ? names[kind] : "?";
}
