// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph_path.c - the nodes and edges of a causal graph that a critical
 * path went through (graph.h, kt_graph_path): the relations the path
 * followed are looked up among the graph's edges, by their two ends and
 * kind, so that a picture can highlight them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "analyze/graph_int.h"
#include "analyze/critpath.h"
#include "analyze/map.h"

struct want {
	const struct kt_graph *g;
	struct kt_graph_sel *sel;
	struct kt_map pairs;    /* src << 32 | dst -> edge kinds wanted */
	int err;
};

#define BIT(k) (1ULL << (k))

static __u32 mark(struct want *w, __u32 id)
{
	if (id != KT_G_NONE)
		w->sel->node[id] = true;
	return id;
}

/* edges of @kinds from @src to @dst are on the path */
static void want(struct want *w, __u32 src, __u32 dst, __u64 kinds)
{
	__u64 *v;

	if (src == KT_G_NONE || dst == KT_G_NONE || w->err)
		return;
	v = kt_map_put(&w->pairs, (__u64)src << 32 | dst, NULL);
	if (!v)
		w->err = -ENOMEM;
	else
		*v |= kinds;
}

static __u32 thread(struct want *w, __u32 utid, __u32 tid)
{
	return kt_graph_find(w->g, KT_GN_THREAD, utid, tid);
}

/* How hop @h ended its parent @p's wait. */
static void hop_link(struct want *w, const struct kt_cp_hop *h,
		     const struct kt_cp_hop *p)
{
	__u32 th = thread(w, h->utid, h->tid), tp = thread(w, p->utid, p->tid);
	__u64 rf = kt_tl_sys_file_id(&h->wait_sys);
	__u64 wf = kt_tl_sys_file_id(&h->waker_sys);
	__u32 f;

	/* the wakeup; and a write that woke a reader is a message, a read
	 * that woke a writer freed space (graph_io.c) */
	want(w, th, tp, BIT(KT_GE_WOKE));
	if (kt_g_io_dir(h->waker_sys.nr) == KT_G_IO_WRITE)
		want(w, th, tp, BIT(KT_GE_WROTE_READ));
	if (kt_g_io_dir(h->waker_sys.nr) == KT_G_IO_READ)
		want(w, th, tp, BIT(KT_GE_FREED_SPACE));
	if (h->wait_sys.nr == SYS_futex) {
		f = mark(w, kt_graph_find(w->g, KT_GN_FUTEX, p->pid,
					  h->wait_sys.arg[0]));
		want(w, th, f, BIT(KT_GE_FUTEX_WAKE));
		want(w, tp, f, BIT(KT_GE_FUTEX_WAIT));
	}
	if (rf && h->wait_sys.nr != KT_TL_NOSYS) {
		f = mark(w, kt_graph_find(w->g, KT_GN_FILE, rf, 0));
		want(w, f, tp, BIT(KT_GE_READ));
	}
	if (wf && h->waker_sys.nr != KT_TL_NOSYS) {
		f = mark(w, kt_graph_find(w->g, KT_GN_FILE, wf, 0));
		want(w, th, f, BIT(KT_GE_WROTE));
	}
}

/* A segment spent on a device (or a connection's timeout). */
static void seg_link(struct want *w, const struct kt_cp_seg *s)
{
	const struct kt_graph *g = w->g;
	__u32 t = thread(w, s->utid, s->tid), d, i;

	switch (s->kind) {
	case KT_CP_DISK:
		d = mark(w, kt_graph_find(g, KT_GN_BLOCKDEV, s->blk.dev, 0));
		want(w, d, t, BIT(KT_GE_COMPLETED));
		i = s->blk.issuer_tid ? thread(w, s->blk.issuer_utid,
					       s->blk.issuer_tid) : KT_G_NONE;
		if (i != KT_G_NONE && w->sel->node[i])
			want(w, i, d, BIT(KT_GE_ISSUED));
		break;
	case KT_CP_TIMER:
		d = mark(w, kt_graph_find(g, KT_GN_TIMER, 0, 0));
		want(w, d, t, BIT(KT_GE_TIMER));
		break;
	case KT_CP_NET:
		d = mark(w, kt_graph_find(g, KT_GN_NET, 0, 0));
		want(w, d, t, BIT(KT_GE_NET_RX));
		break;
	case KT_CP_IRQ:
		d = mark(w, kt_graph_find(g, KT_GN_IRQ, 0, 0));
		want(w, d, t, BIT(KT_GE_IRQ));
		break;
	case KT_CP_RETRANS:
		d = mark(w, kt_graph_find(g, KT_GN_FLOW, s->tcp.sock, 0));
		want(w, t, d, BIT(KT_GE_CONNECT) | BIT(KT_GE_ACCEPT) |
			      BIT(KT_GE_OWNS));
		break;
	}
}

int kt_graph_path(const struct kt_graph *g, const struct kt_cp_path *p,
		  struct kt_graph_sel *sel)
{
	struct want w = { .g = g, .sel = sel };
	size_t nn, ne;
	const struct kt_gedge *e;

	kt_graph_nodes(g, &nn);
	e = kt_graph_edges(g, &ne);
	memset(sel, 0, sizeof(*sel));
	sel->node = calloc(nn + 1, sizeof(bool));
	sel->edge = calloc(ne + 1, sizeof(bool));
	if (!sel->node || !sel->edge)
		return -ENOMEM;
	kt_map_init(&w.pairs, sizeof(__u64));
	/* the hops' threads first: a request's issuer must be known to be
	 * on the path before the segments are looked at */
	for (size_t i = 0; i < p->nhops; i++)
		mark(&w, thread(&w, p->hops[i].utid, p->hops[i].tid));
	for (size_t i = 1; i < p->nhops; i++)
		if (p->hops[i].parent < p->nhops)
			hop_link(&w, &p->hops[i], &p->hops[p->hops[i].parent]);
	for (size_t i = 0; i < p->nsegs; i++)
		seg_link(&w, &p->segs[i]);
	for (size_t i = 0; !w.err && i < ne; i++) {
		const __u64 *v;

		if (!e[i].kind)
			continue;
		v = kt_map_get(&w.pairs, (__u64)e[i].src << 32 | e[i].dst);
		if (v && (*v & BIT(e[i].kind)))
			sel->edge[i] = sel->node[e[i].src] = sel->node[e[i].dst] = true;
	}
	kt_map_release(&w.pairs);
	for (size_t i = 0; i < nn; i++)
		sel->nodes += sel->node[i];
	for (size_t i = 0; i < ne; i++)
		sel->edges += sel->edge[i];
	return w.err;
}
