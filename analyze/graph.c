// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph.c - the causal graph builder (see graph.h): nodes, edges, the
 * evidence of wakeups, and the driving.  Evidence comes from the
 * timeline's callbacks (wait intervals with what ended them, wakeups with
 * the waker's syscall, spans) and from raw events (graph_proc.c).  A
 * wakeup's two syscalls, the waker's and the waiter's, are joined on
 * (wakee, wake time): the two sides arrive in either order, whichever
 * syscall record comes last completes the pair.  Reads and writes on
 * pipes and sockets are graph_io.c's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "analyze/graph_int.h"

struct gjoin {
	__u32 wakee_utid, wakee_tid;
	__u64 ts;
	__u8 have;              /* JOIN_WAKER | JOIN_WAKEE */
	__u32 waker_utid, waker_tid, wakee_pid;
	struct kt_tl_sys wsys, rsys;
	__u64 wait_ns;
};
#define JOIN_WAKER 1
#define JOIN_WAKEE 2

static const char *const node_names[KT_GN_NKINDS] = {
	[KT_GN_THREAD] = "thread", [KT_GN_PROCESS] = "process",
	[KT_GN_FILE] = "file", [KT_GN_FLOW] = "tcp",
	[KT_GN_BLOCKDEV] = "blockdev", [KT_GN_FUTEX] = "futex",
	[KT_GN_TIMER] = "timer", [KT_GN_NET] = "net", [KT_GN_IRQ] = "irq",
	[KT_GN_EXE] = "exe", [KT_GN_KERNEL] = "kernel",
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
	[KT_GE_FUTEX_WAKE] = "futex-wake", [KT_GE_FREED_SPACE] = "freed-space",
	[KT_GE_LISTEN] = "listen", [KT_GE_ACCEPT] = "accept",
	[KT_GE_OWNS] = "owns",
};

const char *kt_gnode_kind_name(unsigned kind)
{
	return kind < KT_GN_NKINDS && node_names[kind] ? node_names[kind] : "?";
}

const char *kt_gedge_kind_name(unsigned kind)
{
	return kind < KT_GE_NKINDS && edge_names[kind] ? edge_names[kind] : "?";
}

bool kt_g_in_range(const struct kt_graph *g, __u64 t)
{
	return t >= g->o.from && (!g->o.to || t <= g->o.to);
}

/* ---------------------------------------------------------------- nodes */

static __u64 node_key(unsigned kind, __u64 a, __u64 b)
{
	return kt_map_mix(((__u64)kind << 56) ^ kt_map_mix(a) ^
			   (b * 0x9e3779b97f4a7c15ULL)) | 1;
}

__u32 kt_graph_find(const struct kt_graph *g, unsigned kind, __u64 a,
		    __u64 b)
{
	__u64 key = node_key(kind, a, b), v;

	while (kt_map_get_u64(&g->nidx, key, &v)) {
		const struct kt_gnode *n = &g->nodes[v];

		if (n->kind == kind && n->a == a && n->b == b)
			return v;
		key = (key + 2) | 1;
	}
	return KT_G_NONE;
}

/* Find or create a node; its identity is checked, a colliding key
 * probes the next one. */
__u32 kt_g_node(struct kt_graph *g, unsigned kind, __u64 a, __u64 b,
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

__u32 kt_g_thread(struct kt_graph *g, __u32 utid, __u32 tid, __u32 pid,
		  __u64 ts)
{
	__u32 id = kt_g_node(g, KT_GN_THREAD, utid, tid, ts);
	const struct kt_task *t;

	if (!pid && utid && g->tasks) {
		t = kt_tasks_get(g->tasks, utid);
		pid = t ? t->pid : 0;
	}
	if (id != KT_G_NONE && pid)
		g->nodes[id].pid = pid;
	return id;
}

__u32 kt_g_process(struct kt_graph *g, __u32 pid, __u64 ts)
{
	__u32 id = kt_g_node(g, KT_GN_PROCESS, pid,
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

struct kt_gedge *kt_g_edge(struct kt_graph *g, unsigned kind, __u32 src,
			   __u32 dst, __u32 via, __u64 ts, __u64 lat,
			   __s64 value, __u16 conf, const char *reason)
{
	__u64 key = edge_key(kind, src, dst, via);
	struct kt_gedge *e;
	__u64 v;
	__u32 id;

	if (g->err || src == KT_G_NONE || dst == KT_G_NONE)
		return NULL;
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
	return e;
oom:
	g->err = -ENOMEM;
	return NULL;
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

/* ------------------------------------------------------ wakeup joins */

static __u64 join_key(__u32 utid, __u32 tid, __u64 ts)
{
	return kt_map_mix(((__u64)utid << 32 | tid) ^ kt_map_mix(ts)) | 1;
}

/* Both syscalls of a wakeup are known: pipes and sockets (graph_io.c),
 * futex words.  A wakeup before the range still teaches graph_io.c which
 * sockets are peers, but makes no node. */
static void join_complete(struct kt_graph *g, struct gjoin *j)
{
	__u32 waker = KT_G_NONE, wakee = KT_G_NONE, f;

	if (kt_g_in_range(g, j->ts)) {
		waker = kt_g_thread(g, j->waker_utid, j->waker_tid, 0, j->ts);
		wakee = kt_g_thread(g, j->wakee_utid, j->wakee_tid,
				    j->wakee_pid, j->ts);
	}
	kt_g_io_woke(g, waker, wakee, &j->wsys, &j->rsys, j->ts, j->wait_ns);
	if (j->wsys.nr == SYS_futex && j->rsys.nr == SYS_futex &&
	    j->wsys.arg[0] == j->rsys.arg[0] && waker != KT_G_NONE) {
		f = kt_g_node(g, KT_GN_FUTEX, j->wakee_pid, j->rsys.arg[0],
			      j->ts);
		kt_g_edge(g, KT_GE_FUTEX_WAKE, waker, f, KT_G_NONE, j->ts,
			  j->wait_ns, 0, KT_G_EXACT,
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
		j->waker_utid = in->waker_utid;
		j->waker_tid = in->waker_tid;
		j->wsys = in->wsys;
	} else {
		j->wakee_pid = in->wakee_pid;
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

/* A wait ended by a task: the waiter's side of the join, in or out of
 * the range (see join_complete). */
static void wait_join(struct kt_graph *g, const struct kt_tl_interval *iv)
{
	struct gjoin side;

	if (iv->wake.cause != KT_CAUSE_TASK || !joinable(&iv->sys))
		return;
	side.wakee_pid = iv->pid;
	side.rsys = iv->sys;
	side.wait_ns = iv->end - iv->start;
	join_side(g, iv->utid, iv->tid, iv->wake.ts, JOIN_WAKEE, &side);
}

static void wait_ended(struct kt_graph *g, const struct kt_tl_interval *iv)
{
	const struct kt_tl_wake *w = &iv->wake;
	__u64 wait = iv->end - iv->start, fid = kt_tl_sys_file_id(&iv->sys);
	__u32 wakee = kt_g_thread(g, iv->utid, iv->tid, iv->pid, w->ts), src;

	switch (w->cause) {
	case KT_CAUSE_TASK:
		src = kt_g_thread(g, w->utid, w->tid, 0, w->ts);
		kt_g_edge(g, KT_GE_WOKE, src, wakee, KT_G_NONE, w->ts, wait, 0,
			  KT_G_EXACT, "sched_waking from the waker in task context");
		if (iv->sys.nr == SYS_futex) {
			__u32 f = kt_g_node(g, KT_GN_FUTEX, iv->pid,
					    iv->sys.arg[0], w->ts);

			kt_g_edge(g, KT_GE_FUTEX_WAIT, wakee, f, KT_G_NONE,
				  w->ts, wait, 0, KT_G_EXACT,
				  "waited in futex on this word");
		}
		return;
	case KT_CAUSE_DISK:
		src = kt_g_node(g, KT_GN_BLOCKDEV, iv->blk.dev, 0, w->ts);
		kt_g_edge(g, KT_GE_COMPLETED, src, wakee, KT_G_NONE, w->ts, wait,
			  0, KT_G_NEAR,
			  "interrupt wakeup within 1 ms of a block completion on the same cpu");
		return;
	case KT_CAUSE_TIMER:
		src = kt_g_node(g, KT_GN_TIMER, 0, 0, w->ts);
		kt_g_edge(g, KT_GE_TIMER, src, wakee, KT_G_NONE, w->ts, wait, 0,
			  KT_G_NEAR,
			  "interrupt wakeup ended a timed wait that timed out");
		return;
	case KT_CAUSE_NET:
		/* the socket it waited on, when the syscall names one (the
		 * TCP tuple behind a socket inode is not recorded) */
		src = kt_g_node(g, KT_GN_NET, 0, 0, w->ts);
		kt_g_edge(g, KT_GE_NET_RX, src, wakee,
			  fid ? kt_g_node(g, KT_GN_FILE, fid, 0, w->ts) :
			  KT_G_NONE, w->ts, wait, 0, KT_G_SOFTIRQ,
			  "softirq wakeup of a wait on a socket");
		return;
	case KT_CAUSE_IRQ:
		src = kt_g_node(g, KT_GN_IRQ, 0, 0, w->ts);
		kt_g_edge(g, KT_GE_IRQ, src, wakee, KT_G_NONE, w->ts, wait, 0,
			  KT_G_EXACT,
			  "wakeup from interrupt context, device unknown");
		return;
	}
}

static int on_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_graph *g = arg;

	if (!kt_tl_is_wait(iv->state) || !iv->wake.ts)
		return 0;
	if (kt_g_in_range(g, iv->wake.ts))
		wait_ended(g, iv);
	wait_join(g, iv);
	return g->err;
}

static int on_wakeup(const struct kt_tl_wakeup *wu, void *arg)
{
	struct kt_graph *g = arg;
	struct gjoin side;

	if (wu->wake.cause != KT_CAUSE_TASK || !kt_tl_is_wait(wu->wakee_state) ||
	    !joinable(&wu->waker_sys))
		return 0;
	side.waker_utid = wu->wake.utid;
	side.waker_tid = wu->wake.tid;
	side.wsys = wu->waker_sys;
	join_side(g, wu->wakee_utid, wu->wakee_tid, wu->wake.ts, JOIN_WAKER,
		  &side);
	return g->err;
}

static int on_span(const struct kt_tl_span *sp, void *arg)
{
	struct kt_graph *g = arg;
	struct kt_gedge *e;
	__u32 a, b;

	switch (sp->kind) {
	case KT_SPAN_SYSCALL:
		kt_g_io_sys(g, sp);
		break;
	case KT_SPAN_BLOCK:
		if (!kt_g_in_range(g, sp->end) || !sp->tid)
			break;
		b = kt_g_node(g, KT_GN_BLOCKDEV, sp->blk.dev, 0, sp->end);
		a = kt_g_thread(g, sp->utid, sp->tid, sp->pid, sp->end);
		e = kt_g_edge(g, KT_GE_ISSUED, a, b, KT_G_NONE, sp->end,
			      sp->end - sp->start, sp->blk.bytes, KT_G_EXACT,
			      "issued the request (block_rq_issue)");
		if (e)
			e->bytes += sp->blk.bytes;
		break;
	case KT_SPAN_SIGNAL:
		kt_g_proc_signal(g, sp);
		break;
	case KT_SPAN_TCP:
		kt_g_proc_tcp(g, sp);
		break;
	case KT_SPAN_PROCESS:
		kt_g_proc_exit(g, sp);
		break;
	}
	return g->err;
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
	kt_g_proc_init(g);
	kt_g_io_init(g);
	g->tl = kt_tl_new(&g->o.tl, &ops, g);
	if (!g->tl)
		goto err_free;
	return g;
err_free:
	kt_g_io_release(g);
	kt_g_proc_release(g);
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
	kt_g_proc_release(g);
	kt_g_io_release(g);
	free(g->nodes);
	free(g->deg);
	free(g->nfree);
	free(g->edges);
	free(g->efree);
	free(g);
}

/*
 * Reads and writes are matched once the records that could still tell
 * their objects have come: window.h's slack, or half a sliding window
 * when that is shorter (what waits longer would be expired before it is
 * shown).
 */
static void io_due(struct kt_graph *g, __u64 now)
{
	__u64 lag = KT_WINDOW_SLACK_NS;

	if (g->o.window && g->o.window / 2 < lag)
		lag = g->o.window / 2 ? g->o.window / 2 : 1;
	if (now > lag)
		kt_g_io_flush(g, now - lag);
	if (now > KT_WINDOW_SLACK_NS)
		kt_g_proc_expire(g, now - KT_WINDOW_SLACK_NS);
	/* a join whose other side never came (a wakee in epoll_wait, ...),
	 * also without a sliding window */
	if (now > 2 * KT_WINDOW_SLACK_NS)
		joins_sweep(g, now - 2 * KT_WINDOW_SLACK_NS);
	g->io_next_flush = now + (lag / 4 ? lag / 4 : 1);
}

bool kt_g_current(const struct kt_graph *g, __u64 t)
{
	__u64 cut = g->last_expire > g->o.window ?
		    g->last_expire - g->o.window : 0;

	return kt_g_in_range(g, t) && (!g->o.window || t >= cut);
}

int kt_graph_event(struct kt_graph *g, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	int err;

	g->tasks = tasks;
	g->st.events++;
	kt_g_proc_pre(g, ev);
	err = kt_tl_event(g->tl, ev, tasks);
	if (!err) {
		kt_g_proc_raw(g, ev);
		kt_g_io_raw(g, ev);
	}
	if (!err && ev->ts >= g->io_next_flush)
		io_due(g, ev->ts);
	return err ? err : g->err;
}

int kt_graph_finish(struct kt_graph *g)
{
	int err = kt_tl_finish(g->tl);

	if (!err)
		kt_g_io_flush(g, ~0ULL);
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
	rc = *g ? kt_graph_peers(*g, kt_reader_meta(r)) : -ENOMEM;
	if (!rc)
		rc = kt_graph_run(*g, src, err);
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
