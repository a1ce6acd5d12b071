// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lanes.c - a window's timeline as per-thread lanes (see lanes.h):
 * collect what overlaps the window, clip the intervals, sort, group.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lanes.h"

struct collect {
	struct kt_lanes *l;
	__u32 pid, tid;
	size_t cap;
};

static bool selected(const struct collect *c, __u32 pid, __u32 tid,
		     __u64 start, __u64 end)
{
	if ((c->pid && pid != c->pid) || (c->tid && tid != c->tid))
		return false;
	return end >= c->l->w.from && start <= c->l->w.to;
}

static struct kt_lane_item *push(struct collect *c)
{
	struct kt_lanes *l = c->l;

	if (l->nitems == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct kt_lane_item *p = realloc(l->items, cap * sizeof(*p));

		if (!p)
			return NULL;
		l->items = p;
		c->cap = cap;
	}
	return &l->items[l->nitems++];
}

/* an interval counts when it overlaps (from, to) by at least 1 ns */
static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct collect *c = arg;
	const struct kt_window *w = &c->l->w;
	struct kt_lane_item *it;

	if (!selected(c, iv->pid, iv->tid, iv->start, iv->end) ||
	    iv->end <= w->from || iv->start >= w->to)
		return 0;
	it = push(c);
	if (!it)
		return -ENOMEM;
	it->utid = iv->utid;
	it->tid = iv->tid;
	it->is_span = false;
	it->iv = *iv;
	if (it->iv.start < w->from)
		it->iv.start = w->from;
	if (it->iv.end > w->to)
		it->iv.end = w->to;
	return 0;
}

/* a span counts when it touches [from, to]; spans of no thread (a TCP
 * connection nobody drove) have no lane */
static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	struct collect *c = arg;
	struct kt_lane_item *it;

	if (!sp->tid || !selected(c, sp->pid, sp->tid, sp->start, sp->end))
		return 0;
	it = push(c);
	if (!it)
		return -ENOMEM;
	it->utid = sp->utid;
	it->tid = sp->tid;
	it->is_span = true;
	it->sp = *sp;
	it->sp.ev = NULL;
	return 0;
}

static __u64 item_start(const struct kt_lane_item *it)
{
	return it->is_span ? it->sp.start : it->iv.start;
}

/* by thread (tid, then utid), intervals before spans, then by time; spans
 * starting together by kind, so the order does not depend on qsort */
static int cmp_item(const void *a, const void *b)
{
	const struct kt_lane_item *x = a, *y = b;
	__u64 sx = item_start(x), sy = item_start(y);

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->utid != y->utid)
		return x->utid < y->utid ? -1 : 1;
	if (x->is_span != y->is_span)
		return x->is_span - y->is_span;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->is_span ? (int)x->sp.kind - (int)y->sp.kind : 0;
}

static bool same_lane(const struct kt_lane_item *a, const struct kt_lane_item *b)
{
	return a->tid == b->tid && a->utid == b->utid;
}

/* group the sorted items into lanes */
static int group(struct kt_lanes *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nitems; i++)
		n += !i || !same_lane(&l->items[i], &l->items[i - 1]);
	if (!n)
		return 0;
	l->lanes = calloc(n, sizeof(*l->lanes));
	if (!l->lanes)
		return -ENOMEM;
	for (size_t i = 0; i < l->nitems; i++) {
		const struct kt_lane_item *it = &l->items[i];
		struct kt_lane *ln;

		if (!i || !same_lane(it, &l->items[i - 1])) {
			ln = &l->lanes[l->nlanes++];
			ln->utid = it->utid;
			ln->tid = it->tid;
			ln->pid = it->is_span ? it->sp.pid : it->iv.pid;
			ln->first = i;
			ln->lo = ~0ULL;
		}
		ln = &l->lanes[l->nlanes - 1];
		if (it->is_span) {
			ln->nsp++;
			continue;
		}
		ln->niv++;
		if (it->iv.start < ln->lo)
			ln->lo = it->iv.start;
		if (it->iv.end > ln->hi)
			ln->hi = it->iv.end;
	}
	for (size_t i = 0; i < l->nlanes; i++)
		if (!l->lanes[i].niv)
			l->lanes[i].lo = 0;
	return 0;
}

int kt_lanes_build(struct kt_reader *r, const struct kt_window *w,
		   __u32 pid, __u32 tid, struct kt_lanes *l,
		   struct kt_err *err)
{
	static const struct kt_tl_ops ops = { .interval = on_iv, .span = on_sp };
	struct collect c = { .l = l, .pid = pid, .tid = tid };
	int rc;

	memset(l, 0, sizeof(*l));
	l->w = *w;
	rc = kt_window_timeline(r, w, &ops, &c, err);
	if (rc)
		return rc;
	if (l->nitems)
		qsort(l->items, l->nitems, sizeof(*l->items), cmp_item);
	return group(l);
}

void kt_lanes_release(struct kt_lanes *l)
{
	free(l->items);
	free(l->lanes);
	memset(l, 0, sizeof(*l));
}
