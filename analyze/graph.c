// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph.c - the causal graph builder (see graph.h).  Evidence comes from
 * the timeline's callbacks (wait intervals with what ended them, wakeups
 * with the waker's syscall, spans) and from a few raw events (fork, exec,
 * OOM).  A write and the read it woke are joined on (wakee, wake time):
 * the two sides arrive in either order, whichever syscall record comes
 * last completes the pair.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "graph.h"
#include "analyze/map.h"

struct gjoin {
	__u32 wakee_utid, wakee_tid;
	__u64 ts;
	__u8 have;              /* JOIN_WAKER | JOIN_WAKEE */
	__u32 waker, wakee;     /* thread node ids */
	struct kt_tl_sys wsys, rsys;
	__u64 wait_ns;
};
#define JOIN_WAKER 1
#define JOIN_WAKEE 2

struct kt_graph {
	struct kt_graph_opts o;
	struct kt_tl *tl;
	struct kt_gnode *nodes;
	__u32 *deg;             /* edges touching each node */
	size_t nn, ncap;
	__u32 *nfree;
	size_t nnfree, nfreecap;
	struct kt_gedge *edges;
	size_t ne, ecap;
	__u32 *efree;
	size_t nefree, efreecap;
	struct kt_map nidx, eidx;
	struct kt_map joins;   /* key -> struct gjoin * */
	struct kt_map flows;   /* tuple key -> flow node id + 1 */
	const struct kt_tasks *tasks;
	__u64 last_expire;
	int err;
	struct kt_graph_stats st;
};

static const char *const node_names[KT_GN_NKINDS] = {
	[KT_GN_THREAD] = "thread", [KT_GN_PROCESS] = "process",
	[KT_GN_FILE] = "file", [KT_GN_FLOW] = "tcp",
	[KT_GN_BLOCKDEV] = "blockdev", [KT_GN_FUTEX] = "futex",
	[KT_GN_TIMER] = "timer", [KT_GN_NET] = "net", [KT_GN_IRQ] = "irq",
	[KT_GN_EXE] = "exe",
};

static const char *const edge_names[KT_GE_NKINDS] = {
	[KT_GE_WOKE] = "woke", [KT_GE_FORKED] = "forked",
	[KT_GE_EXECED] = "execed", [KT_GE_SIGNALED] = "signaled",
	[KT_GE_WROTE] = "wrote", [KT_GE_READ] = "read",
	[KT_GE_WROTE_READ] = "wrote->read", [KT_GE_ISSUED] = "issued",
	[KT_GE_COMPLETED] = "completed", [KT_GE_TIMER] = "timer",
	[KT_GE_NET_RX] = "net-rx", [KT_GE_IRQ] = "irq",
	[KT_GE_OOM_KILLED] = "oom-killed", [KT_GE_CONNECT] = "connect",
	[KT_GE_PEER] = "peer", [KT_GE_FUTEX_WAIT] = "futex-wait",
	[KT_GE_FUTEX_WAKE] = "futex-wake",
};

const char *kt_gnode_kind_name(unsigned kind)
{
	return kind < KT_GN_NKINDS && node_names[kind] ? node_names[kind] : "?";
}

const char *kt_gedge_kind_name(unsigned kind)
{
	return kind < KT_GE_NKINDS && edge_names[kind] ? edge_names[kind] : "?";
}

static bool in_range(const struct kt_graph *g, __u64 t)
{
	return t >= g->o.from && (!g->o.to || t <= g->o.to);
}

/* ---------------------------------------------------------------- nodes */

static __u64 node_key(unsigned kind, __u64 a, __u64 b)
{
	return kt_map_mix(((__u64)kind << 56) ^ kt_map_mix(a) ^
			   (b * 0x9e3779b97f4a7c15ULL)) | 1;
}

/* Find or create a node; its identity is checked, a colliding key
 * probes the next one. */
static __u32 node_get(struct kt_graph *g, unsigned kind, __u64 a, __u64 b,
		      __u64 ts)
{
	__u64 key = node_key(kind, a, b);
	struct kt_gnode *n;
	__u64 v;
	__u32 id;

	if (g->err)
		return KT_G_NONE;
	while (kt_map_get_u64(&g->nidx, key, &v)) {
		n = &g->nodes[v];
		if (n->kind == kind && n->a == a && n->b == b) {
			if (ts > n->last)
				n->last = ts;
			if (ts < n->first)
				n->first = ts;
			return v;
		}
		key = (key + 2) | 1;
	}
	if (g->nnfree) {
		id = g->nfree[--g->nnfree];
	} else {
		if (g->nn == g->ncap) {
			size_t cap = g->ncap ? g->ncap * 2 : 64;
			void *p = realloc(g->nodes, cap * sizeof(*g->nodes));
			void *d = p ? realloc(g->deg, cap * sizeof(*g->deg)) : NULL;

			if (p)
				g->nodes = p;
			if (!d)
				goto oom;
			g->deg = d;
			g->ncap = cap;
		}
		id = g->nn++;
	}
	if (kt_map_put_u64(&g->nidx, key, id))
		goto oom;
	n = &g->nodes[id];
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->kind = kind;
	n->a = a;
	n->b = b;
	n->first = n->last = ts;
	g->deg[id] = 0;
	if (++g->st.nodes > g->st.nodes_max)
		g->st.nodes_max = g->st.nodes;
	return id;
oom:
	g->err = -ENOMEM;
	return KT_G_NONE;
}

static __u32 thread_node(struct kt_graph *g, __u32 utid, __u32 tid, __u32 pid,
			 __u64 ts)
{
	__u32 id = node_get(g, KT_GN_THREAD, utid, tid, ts);
	const struct kt_task *t;

	if (!pid && utid && g->tasks) {
		t = kt_tasks_get(g->tasks, utid);
		pid = t ? t->pid : 0;
	}
	if (id != KT_G_NONE && pid)
		g->nodes[id].pid = pid;
	return id;
}

static __u32 process_node(struct kt_graph *g, __u32 pid, __u64 ts)
{
	__u32 id = node_get(g, KT_GN_PROCESS, pid,
			    kt_tl_utid_of(g->tasks, pid), ts);

	if (id != KT_G_NONE)
		g->nodes[id].pid = pid;
	return id;
}

static void node_del(struct kt_graph *g, __u32 id)
{
	struct kt_gnode *n = &g->nodes[id];
	__u64 key = node_key(n->kind, n->a, n->b);
	__u64 v;

	while (kt_map_get_u64(&g->nidx, key, &v) && v != id)
		key = (key + 2) | 1;
	kt_map_del(&g->nidx, key);
	free(n->name);
	memset(n, 0, sizeof(*n));
	if (g->nnfree == g->nfreecap) {
		size_t cap = g->nfreecap ? g->nfreecap * 2 : 64;
		__u32 *p = realloc(g->nfree, cap * sizeof(*p));

		if (!p) {       /* the slot is lost, not the graph */
			g->st.nodes--;
			return;
		}
		g->nfree = p;
		g->nfreecap = cap;
	}
	g->nfree[g->nnfree++] = id;
	g->st.nodes--;
}

/* ---------------------------------------------------------------- edges */

static __u64 edge_key(unsigned kind, __u32 src, __u32 dst, __u32 via)
{
	return kt_map_mix(((__u64)src << 32 | dst) ^
			   kt_map_mix((__u64)kind << 32 | via)) | 1;
}

static void edge_add(struct kt_graph *g, unsigned kind, __u32 src, __u32 dst,
		     __u32 via, __u64 ts, __u64 lat, __s64 value, float conf,
		     const char *reason)
{
	__u64 key = edge_key(kind, src, dst, via);
	struct kt_gedge *e;
	__u64 v;
	__u32 id;

	if (g->err || src == KT_G_NONE || dst == KT_G_NONE)
		return;
	while (kt_map_get_u64(&g->eidx, key, &v)) {
		e = &g->edges[v];
		if (e->kind == kind && e->src == src && e->dst == dst &&
		    e->via == via)
			goto update;
		key = (key + 2) | 1;
	}
	if (g->nefree) {
		id = g->efree[--g->nefree];
	} else {
		if (g->ne == g->ecap) {
			size_t cap = g->ecap ? g->ecap * 2 : 64;
			void *p = realloc(g->edges, cap * sizeof(*g->edges));

			if (!p)
				goto oom;
			g->edges = p;
			g->ecap = cap;
		}
		id = g->ne++;
	}
	if (kt_map_put_u64(&g->eidx, key, id))
		goto oom;
	e = &g->edges[id];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->kind = kind;
	e->src = src;
	e->dst = dst;
	e->via = via;
	e->first = e->last = ts;
	e->confidence = conf;
	e->reason = reason;
	g->deg[src]++;
	g->deg[dst]++;
	if (via != KT_G_NONE)
		g->deg[via]++;
	if (++g->st.edges > g->st.edges_max)
		g->st.edges_max = g->st.edges;
update:
	e->count++;
	e->total_ns += lat;
	e->value += value;
	if (ts < e->first)
		e->first = ts;
	if (ts > e->last)
		e->last = ts;
	if (conf < e->confidence) {
		e->confidence = conf;
		e->reason = reason;
	}
	return;
oom:
	g->err = -ENOMEM;
}

static void edge_del(struct kt_graph *g, __u32 id)
{
	struct kt_gedge *e = &g->edges[id];
	__u64 key = edge_key(e->kind, e->src, e->dst, e->via);
	__u64 v;

	while (kt_map_get_u64(&g->eidx, key, &v) && v != id)
		key = (key + 2) | 1;
	kt_map_del(&g->eidx, key);
	g->deg[e->src]--;
	g->deg[e->dst]--;
	if (e->via != KT_G_NONE)
		g->deg[e->via]--;
	memset(e, 0, sizeof(*e));
	g->st.edges--;
	if (g->nefree == g->efreecap) {
		size_t cap = g->efreecap ? g->efreecap * 2 : 64;
		__u32 *p = realloc(g->efree, cap * sizeof(*p));

		if (!p)
			return;
		g->efree = p;
		g->efreecap = cap;
	}
	g->efree[g->nefree++] = id;
}

/* -------------------------------------------------------- write -> read */

static __u64 join_key(__u32 utid, __u32 tid, __u64 ts)
{
	return kt_map_mix(((__u64)utid << 32 | tid) ^ kt_map_mix(ts)) | 1;
}

static void join_complete(struct kt_graph *g, struct gjoin *j)
{
	__u64 w = kt_tl_sys_file_id(&j->wsys), r = kt_tl_sys_file_id(&j->rsys);
	__u32 wf, rf;

	if (w && r) {
		wf = node_get(g, KT_GN_FILE, w, 0, j->ts);
		rf = node_get(g, KT_GN_FILE, r, 0, j->ts);
		edge_add(g, KT_GE_WROTE, j->waker, wf, KT_G_NONE, j->ts,
			 j->wsys.end - j->wsys.start, 0, 1.0f,
			 "its write woke a reader");
		edge_add(g, KT_GE_WROTE_READ, j->waker, j->wakee, rf, j->ts,
			 j->wait_ns, 0, 1.0f, w == r ?
			 "the write woke the read blocked on the same object" :
			 "the write woke the read blocked on the peer socket");
		if (w != r)
			edge_add(g, KT_GE_PEER, wf, rf, KT_G_NONE, j->ts, 0, 0,
				 1.0f, "a write on one end woke a read on the other");
	}
	if (j->wsys.nr == SYS_futex && j->rsys.nr == SYS_futex &&
	    j->wsys.arg[0] == j->rsys.arg[0]) {
		__u32 f = node_get(g, KT_GN_FUTEX, g->nodes[j->wakee].pid,
				   j->rsys.arg[0], j->ts);

		edge_add(g, KT_GE_FUTEX_WAKE, j->waker, f, KT_G_NONE, j->ts,
			 j->wait_ns, 0, 1.0f,
			 "its futex call woke a waiter on the same word");
	}
}

/* One side of a wakeup arrives; the pair completes when both have. */
static void join_side(struct kt_graph *g, __u32 wakee_utid, __u32 wakee_tid,
		      __u64 ts, unsigned side, const struct gjoin *in)
{
	__u64 key = join_key(wakee_utid, wakee_tid, ts);
	struct gjoin *j;
	__u64 v;

	if (kt_map_get_u64(&g->joins, key, &v)) {
		j = (struct gjoin *)(uintptr_t)v;
	} else {
		j = calloc(1, sizeof(*j));
		if (!j || kt_map_put_u64(&g->joins, key, (uintptr_t)j)) {
			free(j);
			g->err = -ENOMEM;
			return;
		}
		j->wakee_utid = wakee_utid;
		j->wakee_tid = wakee_tid;
		j->ts = ts;
		if (g->joins.n > g->st.pending_max)
			g->st.pending_max = g->joins.n;
	}
	if (side == JOIN_WAKER) {
		j->waker = in->waker;
		j->wsys = in->wsys;
	} else {
		j->wakee = in->wakee;
		j->rsys = in->rsys;
		j->wait_ns = in->wait_ns;
	}
	j->have |= side;
	if (j->have == (JOIN_WAKER | JOIN_WAKEE)) {
		join_complete(g, j);
		kt_map_del(&g->joins, key);
		free(j);
	}
}

static bool joinable(const struct kt_tl_sys *s)
{
	return s->nr != KT_TL_NOSYS &&
	       (kt_tl_sys_file_id(s) || s->nr == SYS_futex);
}

/* Forget joins whose other side never came (it had nothing to join). */
static void joins_sweep(struct kt_graph *g, __u64 before)
{
	for (size_t i = 0; i < g->joins.cap; i++) {
		const __u64 *v = kt_map_slot(&g->joins, i, NULL);
		struct gjoin *j;
		__u64 key;

		if (!v)
			continue;
		j = (struct gjoin *)(uintptr_t)*v;
		if (j->ts >= before)
			continue;
		kt_map_slot(&g->joins, i, &key);
		kt_map_del(&g->joins, key);
		free(j);
		i--;    /* backward shift may have moved one into slot i */
	}
}

/* ------------------------------------------------------------ evidence */

static void wait_ended(struct kt_graph *g, const struct kt_tl_interval *iv)
{
	const struct kt_tl_wake *w = &iv->wake;
	__u64 wait = iv->end - iv->start;
	__u32 wakee = thread_node(g, iv->utid, iv->tid, iv->pid, w->ts), src;
	struct gjoin side;

	switch (w->cause) {
	case KT_CAUSE_TASK:
		src = thread_node(g, w->utid, w->tid, 0, w->ts);
		edge_add(g, KT_GE_WOKE, src, wakee, KT_G_NONE, w->ts, wait, 0,
			 1.0f, "sched_waking from the waker in task context");
		if (iv->sys.nr == SYS_futex) {
			__u32 f = node_get(g, KT_GN_FUTEX, iv->pid,
					   iv->sys.arg[0], w->ts);

			edge_add(g, KT_GE_FUTEX_WAIT, wakee, f, KT_G_NONE, w->ts,
				 wait, 0, 1.0f, "waited in futex on this word");
		} else if (kt_tl_sys_file_id(&iv->sys)) {
			__u32 f = node_get(g, KT_GN_FILE,
					   kt_tl_sys_file_id(&iv->sys), 0, w->ts);

			edge_add(g, KT_GE_READ, f, wakee, KT_G_NONE, w->ts, wait,
				 0, 1.0f, "blocked on it until a writer woke it");
		}
		if (joinable(&iv->sys)) {
			side.wakee = wakee;
			side.rsys = iv->sys;
			side.wait_ns = wait;
			join_side(g, iv->utid, iv->tid, w->ts, JOIN_WAKEE, &side);
		}
		return;
	case KT_CAUSE_DISK:
		src = node_get(g, KT_GN_BLOCKDEV, iv->blk.dev, 0, w->ts);
		edge_add(g, KT_GE_COMPLETED, src, wakee, KT_G_NONE, w->ts, wait,
			 0, 0.9f,
			 "interrupt wakeup within 1 ms of a block completion on the same cpu");
		return;
	case KT_CAUSE_TIMER:
		src = node_get(g, KT_GN_TIMER, 0, 0, w->ts);
		edge_add(g, KT_GE_TIMER, src, wakee, KT_G_NONE, w->ts, wait, 0,
			 0.9f, "interrupt wakeup ended a timed wait that timed out");
		return;
	case KT_CAUSE_NET:
		/* the socket it waited on, when the syscall names one (the
		 * TCP tuple behind a socket inode is not recorded) */
		src = node_get(g, KT_GN_NET, 0, 0, w->ts);
		edge_add(g, KT_GE_NET_RX, src, wakee,
			 kt_tl_sys_file_id(&iv->sys) ?
			 node_get(g, KT_GN_FILE, kt_tl_sys_file_id(&iv->sys), 0,
				  w->ts) : KT_G_NONE,
			 w->ts, wait, 0, 0.8f,
			 "softirq wakeup of a wait on a socket");
		return;
	case KT_CAUSE_IRQ:
		src = node_get(g, KT_GN_IRQ, 0, 0, w->ts);
		edge_add(g, KT_GE_IRQ, src, wakee, KT_G_NONE, w->ts, wait, 0,
			 1.0f, "wakeup from interrupt context, device unknown");
		return;
	}
}

static int on_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_graph *g = arg;

	if (kt_tl_is_wait(iv->state) && iv->wake.ts && in_range(g, iv->wake.ts))
		wait_ended(g, iv);
	return g->err;
}

static int on_wakeup(const struct kt_tl_wakeup *wu, void *arg)
{
	struct kt_graph *g = arg;
	struct gjoin side;

	if (wu->wake.cause != KT_CAUSE_TASK || !kt_tl_is_wait(wu->wakee_state) ||
	    !in_range(g, wu->wake.ts) || !joinable(&wu->waker_sys))
		return 0;
	side.waker = thread_node(g, wu->wake.utid, wu->wake.tid, 0, wu->wake.ts);
	side.wsys = wu->waker_sys;
	join_side(g, wu->wakee_utid, wu->wakee_tid, wu->wake.ts, JOIN_WAKER,
		  &side);
	return g->err;
}

/* the lookup key of a tcp tuple, and of its mirror */
static __u64 tuple_key(const __u64 *sa, __u32 sp, const __u64 *da, __u32 dp)
{
	return kt_map_mix(kt_map_mix(sa[0] ^ kt_map_mix(sa[1])) ^
			   kt_map_mix(da[0] ^ kt_map_mix(da[1]) ^ dp) ^
			   ((__u64)sp << 32)) | 1;
}

static void on_tcp(struct kt_graph *g, const struct kt_tl_span *sp)
{
	const struct kt_tl_tcp *t = &sp->tcp;
	__u32 f = node_get(g, KT_GN_FLOW, t->sock, 0, sp->start);
	__u64 mine, mirror;
	__u64 v;

	if (f == KT_G_NONE)
		return;
	g->nodes[f].tcp = *t;
	g->nodes[f].tcp_closed = !(sp->flags & KT_SPAN_F_OPEN_END);
	if (sp->end > g->nodes[f].last)
		g->nodes[f].last = sp->end;
	if (sp->tid)
		edge_add(g, KT_GE_CONNECT,
			 thread_node(g, sp->utid, sp->tid, sp->pid, sp->start),
			 f, KT_G_NONE, sp->start, sp->end - sp->start,
			 !t->established, 1.0f,
			 "changed the socket's state from task context");
	if (!t->sport || !t->dport)
		return;
	mine = tuple_key(t->saddr, t->sport, t->daddr, t->dport);
	mirror = tuple_key(t->daddr, t->dport, t->saddr, t->sport);
	if (kt_map_get_u64(&g->flows, mirror, &v) && v - 1 != f &&
	    g->nodes[v - 1].kind == KT_GN_FLOW) {
		bool same = g->nodes[v - 1].tcp.netns == t->netns;

		edge_add(g, KT_GE_PEER, v - 1, f, KT_G_NONE, sp->start, 0, 0,
			 same ? 1.0f : 0.9f, same ?
			 "mirrored 4-tuple in the same network namespace" :
			 "mirrored 4-tuple across network namespaces");
	}
	if (kt_map_put_u64(&g->flows, mine, f + 1))
		g->err = -ENOMEM;
}

static int on_span(const struct kt_tl_span *sp, void *arg)
{
	struct kt_graph *g = arg;
	__u32 a, b;

	switch (sp->kind) {
	case KT_SPAN_BLOCK:
		if (!in_range(g, sp->end))
			break;
		b = node_get(g, KT_GN_BLOCKDEV, sp->blk.dev, 0, sp->end);
		if (sp->tid) {
			a = thread_node(g, sp->utid, sp->tid, sp->pid, sp->end);
			edge_add(g, KT_GE_ISSUED, a, b, KT_G_NONE, sp->end,
				 sp->end - sp->start, sp->blk.bytes, 1.0f,
				 "issued the request (block_rq_issue)");
		}
		break;
	case KT_SPAN_SIGNAL:
		if (!in_range(g, sp->start) || !sp->sig.sender_tid)
			break;
		a = thread_node(g, sp->sig.sender_utid, sp->sig.sender_tid,
				sp->sig.sender_pid, sp->start);
		b = thread_node(g, sp->utid, sp->tid, sp->pid, sp->start);
		edge_add(g, KT_GE_SIGNALED, a, b, KT_G_NONE, sp->start,
			 sp->end - sp->start, sp->sig.signo, 1.0f,
			 "signal_generate from the sender's context");
		break;
	case KT_SPAN_TCP:
		if (in_range(g, sp->start) || in_range(g, sp->end))
			on_tcp(g, sp);
		break;
	case KT_SPAN_PROCESS:
		if (!sp->proc.exited || !in_range(g, sp->end))
			break;
		a = process_node(g, sp->pid, sp->end);
		if (a != KT_G_NONE) {
			g->nodes[a].exited = true;
			g->nodes[a].exit_code = sp->proc.exit_code;
		}
		break;
	}
	return g->err;
}

/* FNV-1a: exe nodes are keyed by their path */
static __u64 path_hash(const char *p, size_t len)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* Raw events the timeline does not turn into evidence. */
static void on_raw(struct kt_graph *g, const struct kt_event *ev)
{
	__u32 a, b;
	size_t len;
	const char *path;

	if (!in_range(g, ev->ts))
		return;
	switch (ev->kind) {
	case KT_PROC_FORK:
		a = thread_node(g, ev->utid, ev->tid, ev->pid, ev->ts);
		if (ev->fork.flags & KT_FORK_THREAD)
			b = thread_node(g, kt_tl_utid_of(g->tasks, ev->fork.child_tid),
					ev->fork.child_tid, ev->fork.child_pid, ev->ts);
		else
			b = process_node(g, ev->fork.child_pid, ev->ts);
		edge_add(g, KT_GE_FORKED, a, b, KT_G_NONE, ev->ts, 0, 0, 1.0f,
			 "sched_process_fork");
		break;
	case KT_PROC_EXEC:
		path = kt_event_str(ev, ev->exec.filename_str, &len);
		a = process_node(g, ev->pid, ev->ts);
		b = node_get(g, KT_GN_EXE, path_hash(path, len), len, ev->ts);
		if (b != KT_G_NONE && !g->nodes[b].name)
			g->nodes[b].name = strndup(path, len);
		edge_add(g, KT_GE_EXECED, a, b, KT_G_NONE, ev->ts, 0, 0, 1.0f,
			 "sched_process_exec");
		break;
	case KT_OOM_VICTIM:
		a = thread_node(g, ev->utid, ev->tid, ev->pid, ev->ts);
		b = process_node(g, ev->oom.victim_pid, ev->ts);
		edge_add(g, KT_GE_OOM_KILLED, a, b, KT_G_NONE, ev->ts, 0, 0, 1.0f,
			 "oom/mark_victim in the killer's context");
		break;
	}
}

/* -------------------------------------------------------------- driving */

struct kt_graph *kt_graph_new(const struct kt_graph_opts *opts)
{
	static const struct kt_tl_ops ops = {
		.interval = on_interval, .span = on_span, .wakeup = on_wakeup,
	};
	struct kt_graph *g = calloc(1, sizeof(*g));

	if (!g)
		goto err;
	if (opts)
		g->o = *opts;
	kt_map_init(&g->nidx, sizeof(__u64));
	kt_map_init(&g->eidx, sizeof(__u64));
	kt_map_init(&g->joins, sizeof(__u64));
	kt_map_init(&g->flows, sizeof(__u64));
	g->tl = kt_tl_new(&g->o.tl, &ops, g);
	if (!g->tl)
		goto err_free;
	return g;
err_free:
	free(g);
err:
	errno = ENOMEM;
	return NULL;
}

void kt_graph_free(struct kt_graph *g)
{
	if (!g)
		return;
	kt_tl_free(g->tl);
	for (size_t i = 0; i < g->nn; i++)
		free(g->nodes[i].name);
	joins_sweep(g, ~0ULL);
	kt_map_release(&g->joins);
	kt_map_release(&g->nidx);
	kt_map_release(&g->eidx);
	kt_map_release(&g->flows);
	free(g->nodes);
	free(g->deg);
	free(g->nfree);
	free(g->edges);
	free(g->efree);
	free(g);
}

int kt_graph_event(struct kt_graph *g, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	int err;

	g->tasks = tasks;
	g->st.events++;
	err = kt_tl_event(g->tl, ev, tasks);
	if (!err)
		on_raw(g, ev);
	return err ? err : g->err;
}

int kt_graph_finish(struct kt_graph *g)
{
	int err = kt_tl_finish(g->tl);

	return err ? err : g->err;
}

void kt_graph_expire(struct kt_graph *g, __u64 now)
{
	__u64 cut;

	if (!g->o.window || now < g->o.window)
		return;
	cut = now - g->o.window;
	for (size_t i = 0; i < g->ne; i++)
		if (g->edges[i].kind && g->edges[i].last < cut)
			edge_del(g, i);
	for (size_t i = 0; i < g->nn; i++)
		if (g->nodes[i].kind && !g->deg[i] && g->nodes[i].last < cut)
			node_del(g, i);
	/* tcp tuples point at nodes: drop the ones whose node is gone */
	for (size_t i = 0; i < g->flows.cap; i++) {
		__u64 key, *v = kt_map_slot(&g->flows, i, &key);

		if (v && !g->nodes[*v - 1].kind) {
			kt_map_del(&g->flows, key);
			i--;
		}
	}
	/* a join waits for the syscall record of its other side as long as
	 * a window waits for the records that close its waits */
	joins_sweep(g, cut > KT_WINDOW_SLACK_NS ? cut - KT_WINDOW_SLACK_NS : 0);
	g->last_expire = now;
}

int kt_graph_run(struct kt_graph *g, struct kt_source *src,
		 struct kt_err *err)
{
	const struct kt_event *ev;
	__u64 every = g->o.window / 4;
	int rc;

	while ((rc = src->next(src, &ev, err)) > 0) {
		rc = kt_graph_event(g, ev, src->tasks(src));
		if (rc)
			return rc;
		if (every && ev->ts - g->last_expire >= every)
			kt_graph_expire(g, ev->ts);
	}
	if (rc < 0)
		return rc;
	return kt_graph_finish(g);
}

int kt_graph_build(struct kt_reader *r, const struct kt_window *w,
		   struct kt_graph **g, struct kt_err *err)
{
	struct kt_graph_opts go = { .from = w->from, .to = w->to };
	struct kt_source *src = NULL;
	struct kt_info info;
	int rc;

	*g = NULL;
	kt_reader_info(r, &info);
	kt_window_tl_opts(r, w, &go.tl);
	rc = kt_window_source(r, w, &src, err);
	if (rc)
		return rc;
	*g = kt_graph_new(&go);
	rc = *g ? kt_graph_run(*g, src, err) : -ENOMEM;
	kt_source_free(src);
	if (rc) {
		kt_graph_free(*g);
		*g = NULL;
	}
	return rc;
}

const struct kt_gnode *kt_graph_nodes(const struct kt_graph *g, size_t *n)
{
	*n = g->nn;
	return g->nodes;
}

const struct kt_gedge *kt_graph_edges(const struct kt_graph *g, size_t *n)
{
	*n = g->ne;
	return g->edges;
}

void kt_graph_stats(const struct kt_graph *g, struct kt_graph_stats *st)
{
	*st = g->st;
	kt_tl_stats(g->tl, &st->tl);
}
