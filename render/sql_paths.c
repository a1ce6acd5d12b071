// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_paths.c - the causal graph (analyze/graph.h) and the critical paths
 * (analyze/why.h) in the SQLite export.
 *
 * The graph is built in the same pass as the rest, over the selection's
 * window.  The critical paths are those of the slowest syscall of each
 * process and of the KT_SQ_TOP_SPANS slowest overall, idle waits
 * excluded (kt_export_idle_wait: epoll_wait, poll, wait4, sleeps...), as
 * render picks "slowest"; each is explained as `ktrail why` explains it
 * (kt_cp_compute on the intervals of its window), all in one more pass.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"
#include "analyze/critpath.h"

/* ------------------------------------------------------------ candidates */

/* slower first; ties: the earlier, then the lower event id */
static bool slower(const struct kt_sq_span *a, const struct kt_sq_span *b)
{
	__u64 da = a->end - a->start, db = b->end - b->start;

	if (da != db)
		return da > db;
	if (a->start != b->start)
		return a->start < b->start;
	return a->event_id < b->event_id;
}

static void top_note(struct kt_sq_paths *p, const struct kt_sq_span *s)
{
	size_t i;

	if (p->ntop == KT_SQ_TOP_SPANS && !slower(s, &p->top[p->ntop - 1]))
		return;
	if (p->ntop < KT_SQ_TOP_SPANS)
		p->ntop++;
	for (i = p->ntop - 1; i > 0 && slower(s, &p->top[i - 1]); i--)
		p->top[i] = p->top[i - 1];
	p->top[i] = *s;
}

static int proc_note(struct kt_sq *sq, const struct kt_sq_span *s)
{
	struct kt_sq_paths *p = &sq->paths;
	__u32 at;

	if (kt_map32_get(&p->by_pid, s->pid, &at)) {
		if (slower(s, &p->proc[at]))
			p->proc[at] = *s;
		return 0;
	}
	if (p->nproc == p->cproc) {
		size_t n = p->cproc ? p->cproc * 2 : 64;
		struct kt_sq_span *q = realloc(p->proc, n * sizeof(*q));

		if (!q)
			return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
		p->proc = q;
		p->cproc = n;
	}
	if (kt_map32_put(&p->by_pid, s->pid, (__u32)p->nproc))
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	p->proc[p->nproc++] = *s;
	return 0;
}

int kt_sq_span_note(struct kt_sq *sq, const struct kt_event *ev, __u64 id)
{
	struct kt_sq_span s;

	/* a syscall cut by either end of the capture is only partly seen */
	if (ev->sys.flags & KT_SYSCALL_UNFINISHED || !ev->sys.dur ||
	    kt_event_start(ev) < sq->sel.first_ts || !ev->pid ||
	    kt_export_idle_wait(ev->sys.nr))
		return 0;
	memset(&s, 0, sizeof(s));
	s.start = kt_event_start(ev);
	s.end = ev->ts;
	s.utid = ev->utid;
	s.tid = ev->tid;
	s.pid = ev->pid;
	s.nr = ev->sys.nr;
	s.flags = ev->sys.flags;
	s.ret = ev->sys.ret;
	memcpy(s.arg, ev->sys.arg, sizeof(s.arg));
	s.event_id = id;
	top_note(&sq->paths, &s);
	return proc_note(sq, &s);
}

void kt_sq_paths_release(struct kt_sq_paths *p)
{
	free(p->proc);
	kt_map32_release(&p->by_pid);
	memset(p, 0, sizeof(*p));
}

/* ---------------------------------------------------------------- graph */

static int node_row(struct kt_sq *sq, const struct kt_gnode *n)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_NODES];
	char label[256], detail[256];

	kt_gnode_label(label, sizeof(label), n, sq->tasks);
	kt_gnode_detail(detail, sizeof(detail), n);
	kt_sq_int(i, n->id);
	kt_sq_cstr(i, kt_gnode_kind_name(n->kind));
	kt_sq_cstr(i, label);
	kt_sq_cstr(i, *detail ? detail : NULL);
	if (n->kind == KT_GN_THREAD) {
		kt_sq_utid(i, (__u32)n->a, (__u32)n->b);
		kt_sq_int(i, (__s64)n->b);
	} else if (n->kind == KT_GN_PROCESS) {
		kt_sq_int(i, (__s64)n->b);
		kt_sq_null(i);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
	}
	if (n->kind == KT_GN_THREAD || n->kind == KT_GN_PROCESS ||
	    n->kind == KT_GN_FUTEX)
		kt_sq_int(i, n->pid);
	else
		kt_sq_null(i);
	kt_sq_int(i, (__s64)n->first);
	kt_sq_int(i, (__s64)n->last);
	return kt_sq_row(sq, i);
}

static int edge_row(struct kt_sq *sq, const struct kt_gedge *e)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_EDGES];
	char label[256];

	kt_gedge_label(label, sizeof(label), e);
	kt_sq_int(i, e->id);
	kt_sq_int(i, e->src);
	kt_sq_int(i, e->dst);
	e->via == KT_G_NONE ? kt_sq_null(i) : kt_sq_int(i, e->via);
	kt_sq_cstr(i, kt_gedge_kind_name(e->kind));
	kt_sq_cstr(i, label);
	kt_sq_int(i, (__s64)e->first);
	kt_sq_int(i, (__s64)e->last);
	kt_sq_u64(i, e->count);
	kt_sq_u64(i, e->bytes);
	kt_sq_u64(i, e->total_ns);
	kt_sq_int(i, e->value);
	kt_sq_int(i, e->confidence);
	kt_sq_cstr(i, e->reason);
	return kt_sq_row(sq, i);
}

int kt_sq_graph(struct kt_sq *sq)
{
	struct kt_graph_sel sel = { 0 };
	const struct kt_gnode *nodes;
	const struct kt_gedge *edges;
	size_t nn, ne;
	int rc;

	if (!sq->graph)
		return 0;
	rc = kt_graph_finish(sq->graph);
	if (!rc)
		rc = kt_graph_select(sq->graph, sq->sel.o.pid, &sel);
	if (rc) {
		kt_graph_sel_release(&sel);
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	}
	nodes = kt_graph_nodes(sq->graph, &nn);
	edges = kt_graph_edges(sq->graph, &ne);
	for (size_t k = 0; !rc && k < nn; k++)
		if (nodes[k].kind && sel.node[k])
			rc = node_row(sq, &nodes[k]);
	for (size_t k = 0; !rc && k < ne; k++)
		if (edges[k].kind && sel.edge[k])
			rc = edge_row(sq, &edges[k]);
	kt_graph_sel_release(&sel);
	return rc;
}

/* -------------------------------------------------------- critical paths */

/* A span to explain: why it is there. */
struct cand {
	struct kt_sq_span s;
	bool process_slowest;
	int top_rank;           /* 1.., 0 = not in the top */
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->s.start != y->s.start)
		return x->s.start < y->s.start ? -1 : 1;
	return x->s.event_id < y->s.event_id ? -1 :
	       x->s.event_id > y->s.event_id;
}

/* the process slowest and the top spans, once each, in time order */
static struct cand *candidates(const struct kt_sq_paths *p, size_t *n)
{
	struct cand *c = calloc(p->nproc + p->ntop + 1, sizeof(*c));
	size_t k = 0;

	if (!c)
		return NULL;
	for (size_t i = 0; i < p->nproc; i++) {
		c[k].s = p->proc[i];
		c[k++].process_slowest = true;
	}
	for (size_t i = 0; i < p->ntop; i++) {
		size_t j;

		for (j = 0; j < k; j++)
			if (c[j].s.event_id == p->top[i].event_id)
				break;
		if (j == k)
			c[k++].s = p->top[i];
		c[j].top_rank = (int)i + 1;
	}
	qsort(c, k, sizeof(*c), cand_cmp);
	*n = k;
	return c;
}

static int path_row(struct kt_sq *sq, __u64 id, const struct cand *c,
		    const struct kt_cp_path *p)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_PATHS];
	const struct kt_cp_attr *root = kt_cp_root(p);

	kt_sq_int(i, (__s64)id);
	kt_sq_int(i, (__s64)c->s.start);
	kt_sq_int(i, (__s64)(c->s.end - c->s.start));
	kt_sq_utid(i, c->s.utid, c->s.tid);
	kt_sq_int(i, c->s.tid);
	kt_sq_int(i, c->s.pid);
	kt_sq_int(i, c->s.nr);
	kt_sq_int(i, (__s64)c->s.event_id);
	kt_sq_int(i, c->process_slowest);
	c->top_rank ? kt_sq_int(i, c->top_rank) : kt_sq_null(i);
	if (root) {
		kt_sq_cstr(i, kt_cp_kind_name(root->kind));
		if (root->kind == KT_CP_RUN || root->kind == KT_CP_UNKNOWN) {
			kt_sq_utid(i, root->utid, root->tid);
			kt_sq_int(i, root->tid);
			kt_sq_int(i, root->pid);
		} else {
			kt_sq_null(i);
			kt_sq_null(i);
			kt_sq_null(i);
		}
		root->kind == KT_CP_RUNNABLE && root->cpu != KT_CP_ALL_CPUS ?
			kt_sq_int(i, root->cpu) : kt_sq_null(i);
		root->kind == KT_CP_DISK ? kt_sq_int(i, root->dev) :
			kt_sq_null(i);
		kt_sq_int(i, (__s64)root->ns);
	} else {
		for (int k = 0; k < 7; k++)
			kt_sq_null(i);
	}
	kt_sq_int(i, p->confidence);
	kt_sq_int(i, (__s64)p->unknown_ns);
	kt_sq_int(i, (__s64)p->nhops);
	return kt_sq_row(sq, i);
}

static int segment_rows(struct kt_sq *sq, __u64 id, const struct kt_cp_path *p)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_SEGMENTS];
	int rc = 0;

	for (size_t k = 0; !rc && k < p->nsegs; k++) {
		const struct kt_cp_seg *s = &p->segs[k];
		bool wait = kt_tl_is_wait(s->state);

		kt_sq_int(i, (__s64)id);
		kt_sq_int(i, (__s64)k);
		kt_sq_int(i, (__s64)s->start);
		kt_sq_int(i, (__s64)(s->end - s->start));
		kt_sq_utid(i, s->utid, s->tid);
		kt_sq_int(i, s->tid);
		kt_sq_int(i, s->pid);
		kt_sq_int(i, s->hop);
		kt_sq_int(i, s->hop < p->nhops ? p->hops[s->hop].depth : 0);
		kt_sq_cstr(i, kt_cp_kind_name(s->kind));
		kt_sq_cstr(i, kt_tl_state_name(s->state));
		kt_sq_cstr(i, wait ? kt_tl_cause_name(s->cause) : NULL);
		kt_sq_int(i, s->cpu);
		kt_sq_int(i, s->weight);
		wait && s->sys.nr != KT_TL_NOSYS ? kt_sq_int(i, s->sys.nr) :
			kt_sq_null(i);
		s->kind == KT_CP_DISK ? kt_sq_int(i, s->blk.dev) :
			kt_sq_null(i);
		rc = kt_sq_row(sq, i);
	}
	return rc;
}

/* Candidates whose spans start within this of the first of a group share
 * a critical-path store over the group's window. */
#define KT_SQ_GROUP_NS 250000000ULL

/*
 * The paths are computed in one more pass over the capture (from the
 * first group's lookback to the last one's slack) with one timeline:
 * a group's store is fed from the first event at its window's start on
 * (an interval or span that overlaps the window is delivered at its end
 * or later), and is complete one slack past its window's end (the
 * syscall records that label its waits have come): then its paths are
 * computed, written and the store freed.  Memory is the stores of the
 * groups alive at once, about one slack's worth of intervals; time is
 * one timeline pass, whatever the number of paths.
 */
struct pgroup {
	__u64 from, to;
	size_t a, b;            /* candidates [a, b) */
	struct kt_cp_store *st;
	bool done;
};

struct sweep {
	struct kt_sq *sq;
	struct cand *c;
	struct pgroup *g;
	size_t ng;
	size_t lo, next;        /* groups [lo, next) may be alive */
};

static int sweep_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct sweep *w = arg;
	int rc = 0;

	for (size_t k = w->lo; !rc && k < w->next; k++)
		if (w->g[k].st)
			rc = kt_cp_store_ops.interval(iv, w->g[k].st);
	return rc;
}

static int sweep_span(const struct kt_tl_span *sp, void *arg)
{
	struct sweep *w = arg;
	int rc = 0;

	for (size_t k = w->lo; !rc && k < w->next; k++)
		if (w->g[k].st)
			rc = kt_cp_store_ops.span(sp, w->g[k].st);
	return rc;
}

/* seal group @g's store, write its paths, free it */
static int group_done(struct sweep *w, struct pgroup *g)
{
	struct kt_sq *sq = w->sq;
	int rc = kt_cp_store_seal(g->st);

	for (size_t k = g->a; !rc && k < g->b; k++) {
		struct kt_cp_path p = { 0 };
		const struct cand *c = &w->c[k];

		rc = kt_cp_compute(g->st, c->s.utid, c->s.tid, c->s.start,
				   c->s.end, &p);
		if (!rc)
			rc = path_row(sq, k + 1, c, &p);
		else
			rc = kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
		if (!rc)
			rc = segment_rows(sq, k + 1, &p);
		kt_cp_path_release(&p);
	}
	if (rc == -ENOMEM && sq->err->code != rc)
		rc = kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	kt_cp_store_free(g->st);
	g->st = NULL;
	g->done = true;
	return rc;
}

/* start the groups whose window has begun at @ts, finish those one slack
 * past their end */
static int sweep_at(struct sweep *w, __u64 ts, bool end)
{
	int rc = 0;

	while (w->next < w->ng && w->g[w->next].from <= ts) {
		struct pgroup *g = &w->g[w->next++];

		g->st = kt_cp_store_new(g->from, g->to);
		if (!g->st)
			return kt_sq_fail(w->sq, SQLITE_NOMEM, "out of memory");
	}
	for (size_t k = w->lo; !rc && k < w->next; k++)
		if (!w->g[k].done && (end || w->g[k].to + KT_WINDOW_SLACK_NS <
					     ts))
			rc = group_done(w, &w->g[k]);
	while (w->lo < w->next && w->g[w->lo].done)
		w->lo++;
	return rc;
}

static struct pgroup *groups(const struct cand *c, size_t n, size_t *ng)
{
	struct pgroup *g = calloc(n, sizeof(*g));
	size_t a, b, k = 0;

	if (!g)
		return NULL;
	for (a = 0; a < n; a = b) {
		g[k].from = c[a].s.start;
		g[k].to = c[a].s.end;
		for (b = a + 1; b < n && c[b].s.start - c[a].s.start <
					  KT_SQ_GROUP_NS; b++)
			if (c[b].s.end > g[k].to)
				g[k].to = c[b].s.end;
		g[k].a = a;
		g[k++].b = b;
	}
	*ng = k;
	return g;
}

static int sweep(struct sweep *w, struct kt_reader *r)
{
	static const struct kt_tl_ops ops = {
		.interval = sweep_interval, .span = sweep_span,
	};
	struct kt_window win = { w->g[0].from, w->g[w->ng - 1].to };
	const struct kt_event *ev;
	struct kt_tl_opts to = { 0 };
	struct kt_info info;
	__u64 start, stop;
	struct kt_tl *tl;
	int rc;

	for (size_t k = 0; k < w->ng; k++)
		if (w->g[k].to > win.to)
			win.to = w->g[k].to;
	kt_reader_info(r, &info);
	kt_window_reach(&win, &info, &start, &stop);
	kt_window_tl_opts(r, &win, &to);
	tl = kt_tl_new(&to, &ops, w);
	if (!tl)
		return kt_sq_fail(w->sq, SQLITE_NOMEM, "out of memory");
	kt_reader_filter(r, 0, 0, 0);
	rc = kt_reader_seek(r, start, w->sq->err);
	while (!rc && (rc = kt_reader_next(r, &ev, w->sq->err)) > 0) {
		if (ev->ts > stop) {
			rc = 0;
			break;
		}
		rc = sweep_at(w, ev->ts, false);
		if (!rc && (rc = kt_tl_event(tl, ev, kt_reader_tasks(r))) > 0)
			rc = -ENOMEM;
	}
	if (!rc)
		rc = kt_tl_finish(tl);
	if (!rc)
		rc = sweep_at(w, UINT64_MAX, true);
	kt_tl_free(tl);
	if (rc == -ENOMEM && w->sq->err->code != rc)
		rc = kt_sq_fail(w->sq, SQLITE_NOMEM, "out of memory");
	return rc;
}

int kt_sq_paths(struct kt_sq *sq, struct kt_reader *r)
{
	struct sweep w = { .sq = sq };
	size_t n = 0;
	int rc;

	if (!sq->derive || (!sq->paths.nproc && !sq->paths.ntop))
		return 0;
	w.c = candidates(&sq->paths, &n);
	w.g = w.c ? groups(w.c, n, &w.ng) : NULL;
	rc = w.g ? sweep(&w, r) : kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	for (size_t k = 0; w.g && k < w.ng; k++)
		kt_cp_store_free(w.g[k].st);
	free(w.g);
	free(w.c);
	return rc;
}
