// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The window of an analysis (analyze/window.h) and what is built on it
 * (lanes, the graph of a window), on a capture written from a hand-built
 * stream: reading reaches one lookback before the window and one slack
 * after it, no further; lanes clip to the window.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "analyze/graph.h"
#include "analyze/lanes.h"
#include "analyze/xsort.h"
#include "analyze/timeline_fmt.h"
#include "analyze/window.h"

#define S 1000000000ULL
#define MS 1000000ULL

/*
 * Four threads from 1 s to 20 s; the window is [5 s, 6 s], so reading
 * covers [4 s, 7 s].
 *   10 sleeps in read() at 4.5 s (in the lookback), woken at 6.5 s; its
 *      record comes at 6.6 s (in the slack): a labeled wait over the window
 *   11 sleeps at 3.5 s (before the lookback), woken at 5.5 s: its state at
 *      5 s cannot be known
 *   12 sleeps at 5.2 s, woken at 7.4 s; its record comes at 7.5 s (past
 *      the slack): the wait is cut at 7 s, its syscall unknown
 *   20 runs on cpu 1 and does the wakeups
 */
static void stream(struct cs *s)
{
	cs_init(s);
	cs_task(s, 10, 10, "a");
	cs_task(s, 11, 11, "b");
	cs_task(s, 12, 12, "c");
	cs_task(s, 20, 20, "w");
	cs_switch(s, 1 * S, 0, 0, 0, 10);
	cs_switch(s, 1 * S, 1, 0, 0, 20);
	cs_switch(s, 1 * S, 2, 0, 0, 11);
	cs_switch(s, 1 * S, 3, 0, 0, 12);
	cs_switch(s, 3500 * MS, 2, 11, KT_STATE_SLEEPING, 0);
	cs_switch(s, 4500 * MS, 0, 10, KT_STATE_SLEEPING, 0);
	cs_switch(s, 5200 * MS, 3, 12, KT_STATE_SLEEPING, 0);
	cs_wake(s, 5500 * MS, 1, 20, 11, KT_CTX_TASK);
	cs_switch(s, 5600 * MS, 2, 0, 0, 11);
	cs_sys(s, 5600 * MS + 1000, 2, 11, SYS_read, 2100 * MS + 1000, 1, 3, 0,
	       KT_SYSCALL_BLOCKED);
	cs_wake(s, 6500 * MS, 1, 20, 10, KT_CTX_TASK);
	cs_switch(s, 6600 * MS, 0, 0, 0, 10);
	cs_sys(s, 6600 * MS + 1000, 0, 10, SYS_read, 2100 * MS + 1000, 1, 3, 0,
	       KT_SYSCALL_BLOCKED);
	cs_wake(s, 7400 * MS, 1, 20, 12, KT_CTX_TASK);
	cs_switch(s, 7500 * MS, 3, 0, 0, 12);
	cs_sys(s, 7500 * MS + 1000, 3, 12, SYS_read, 2300 * MS + 1000, 1, 3, 0,
	       KT_SYSCALL_BLOCKED);
	cs_switch(s, 20 * S, 1, 20, KT_STATE_SLEEPING, 0);
}

static const char *capture(void)
{
	static char path[256];
	struct cs s;
	int rc;

	snprintf(path, sizeof(path), "%s/window.ktr", kt_test_tmpdir());
	stream(&s);
	/* three events a frame: seeks land inside frames */
	rc = cs_write(&s, path, 3);
	cs_release(&s);
	return rc ? NULL : path;
}

static int open_capture(struct kt_reader **r)
{
	const char *path = capture();
	struct kt_err err = { 0 };

	if (!path)
		return -1;
	return kt_reader_open(r, path, 0, &err);
}

/* where reading starts and stops, clamped to the capture */
KT_TEST(causal_window_reach)
{
	struct kt_info info = { .first_ts = 1 * S, .last_ts = 20 * S };
	struct kt_window w = { 5 * S, 6 * S };
	__u64 start, stop;

	kt_window_reach(&w, &info, &start, &stop);
	KT_ASSERT(start == 4 * S && stop == 7 * S, "%llu %llu",
		  (unsigned long long)start, (unsigned long long)stop);
	w = (struct kt_window){ 1500 * MS, 19500 * MS };
	kt_window_reach(&w, &info, &start, &stop);
	KT_ASSERT(start == 1 * S && stop == 20 * S, "clamped: %llu %llu",
		  (unsigned long long)start, (unsigned long long)stop);
	/* a --to far past the capture must not wrap around */
	w = (struct kt_window){ 5 * S, ~0ULL - 10 };
	kt_window_reach(&w, &info, &start, &stop);
	KT_ASSERT(stop == 20 * S, "no wrap: %llu", (unsigned long long)stop);
	/* a capture shorter than the slack */
	info.first_ts = 10;
	info.last_ts = 500 * MS;
	w = (struct kt_window){ 100, 200 * MS };
	kt_window_reach(&w, &info, &start, &stop);
	KT_ASSERT(start == 10 && stop == 500 * MS, "short: %llu %llu",
		  (unsigned long long)start, (unsigned long long)stop);
	return KT_PASS;
}

/* The timeline options of a window: the observation ends at the reach's
 * stop, waits wait for syscall records when there are any, and a scoped
 * recording that marks its scope never guesses the threads out of it. */
KT_TEST(causal_window_tl_opts)
{
	static const char *const metas[] = {
		"{\"record\": {\"scope\": \"command\", \"scope_marks\": true, \"kthreads\": true}}",
		"{\"record\": {\"scope\": \"host\", \"scope_marks\": true, \"kthreads\": true}}",
		"{\"record\": {\"scope\": \"pid 42\"}}",
	};
	static const bool scoped[] = { true, false, false };
	static const bool kthreads[] = { true, true, false };
	struct kt_window w = { 0, 0 };
	char path[256];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 1 * S, 0, 0, 0, 1);
	cs_sys(&s, 2 * S, 0, 1, 39, 100, 1, 0, 0, 0);
	for (size_t i = 0; i < 3; i++) {
		struct kt_tl_opts o = { 0 };
		struct kt_reader *r;
		struct kt_err err;
		json_t *meta = json_loads(metas[i], 0, NULL);

		snprintf(path, sizeof(path), "%s/tlopts%zu.ktr", kt_test_tmpdir(), i);
		KT_ASSERT(meta && !cs_write_meta(&s, path, 0, meta), "write");
		json_decref(meta);
		KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open");
		w.from = 1 * S;
		w.to = 2 * S;
		kt_window_tl_opts(r, &w, &o);
		kt_reader_close(r);
		KT_ASSERT(o.end_ts == 2 * S && o.syscalls, "%zu: end %llu", i,
			  (unsigned long long)o.end_ts);
		KT_ASSERT(o.scoped == scoped[i] && o.kthreads == kthreads[i],
			  "%zu: scoped %d kthreads %d", i, o.scoped, o.kthreads);
	}
	cs_release(&s);
	return KT_PASS;
}

KT_TEST(causal_window_place)
{
	struct kt_info info = { .first_ts = 1 * S, .last_ts = 20 * S };
	struct kt_window w = { 0, 0 };

	kt_window_place(&w, &info, 0);
	KT_ASSERT(w.from == 1 * S && w.to == 20 * S, "whole capture");
	w = (struct kt_window){ 3 * S, 0 };
	kt_window_place(&w, &info, 0);
	KT_ASSERT(w.from == 3 * S && w.to == 20 * S, "open end");
	w = (struct kt_window){ 0, 0 };
	kt_window_place(&w, &info, 2 * S);
	KT_ASSERT(w.from == 18 * S && w.to == 20 * S, "the last 2 s");
	w = (struct kt_window){ 3 * S, 0 };
	kt_window_place(&w, &info, 2 * S);
	KT_ASSERT(w.from == 3 * S && w.to == 5 * S, "2 s from --from");
	w = (struct kt_window){ 0, 2 * S };
	kt_window_place(&w, &info, 5 * S);
	KT_ASSERT(w.from == 1 * S && w.to == 2 * S, "not before the first");
	w = (struct kt_window){ 3 * S, 4 * S };
	kt_window_place(&w, &info, 5 * S);
	KT_ASSERT(w.from == 3 * S && w.to == 4 * S, "both set: kept");
	return KT_PASS;
}

/* the source returns exactly the events of [4 s, 7 s], whatever filter
 * the reader had */
KT_TEST(causal_window_source)
{
	struct kt_window w = { 5 * S, 6 * S };
	struct kt_source *src = NULL;
	const struct kt_event *ev;
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	size_t n = 0, want = 0;
	__u64 first = 0, last = 0;
	struct cs s;
	int rc;

	KT_ASSERT(open_capture(&r) == 0, "capture");
	stream(&s);
	for (size_t i = 0; i < s.n; i++)
		want += s.ev[i].ts >= 4 * S && s.ev[i].ts <= 7 * S;
	cs_release(&s);
	kt_reader_filter(r, KT_KIND_BIT(KT_SYSCALL), 0, 0);
	KT_ASSERT(kt_window_source(r, &w, &src, &err) == 0, "source");
	while ((rc = src->next(src, &ev, &err)) > 0) {
		if (!n++)
			first = ev->ts;
		last = ev->ts;
	}
	KT_ASSERT(rc == 0, "next: %d", rc);
	KT_ASSERT(src->next(src, &ev, &err) == 0, "ended stays ended");
	kt_source_free(src);
	kt_reader_close(r);
	KT_ASSERT(n == want && want == 8, "%zu events, want %zu", n, want);
	KT_ASSERT(first == 4500 * MS && last == 6600 * MS + 1000,
		  "first %llu last %llu", (unsigned long long)first,
		  (unsigned long long)last);
	return KT_PASS;
}

/* states at the window's start come from the lookback, syscalls of waits
 * from the slack; nothing from beyond either */
KT_TEST(causal_window_timeline)
{
	struct kt_window w = { 5 * S, 6 * S };
	const struct kt_tl_interval *iv;
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct tl_out out = { 0 };
	char why[256];

	KT_ASSERT(open_capture(&r) == 0, "capture");
	KT_ASSERT(kt_window_timeline(r, &w, &tl_out_ops, &out, &err) == 0,
		  "build");
	kt_reader_close(r);
	KT_ASSERT(tl_check_tiling(&out, why, sizeof(why)) == 0, "%s", why);
	iv = tl_at(&out, 10, 5 * S);
	KT_ASSERT(iv && iv->state == KT_TL_SLEEPING && iv->start == 4500 * MS &&
		  iv->end == 6500 * MS && iv->sys.nr == SYS_read,
		  "10: the sleep from the lookback, labeled from the slack");
	iv = tl_at(&out, 11, 5 * S);
	KT_ASSERT(!iv || iv->state == KT_TL_UNKNOWN,
		  "11: went to sleep before the lookback: state %u",
		  iv ? iv->state : 0);
	KT_ASSERT(!tl_at(&out, 11, 3900 * MS), "11: nothing before 4 s");
	iv = tl_at(&out, 12, 5500 * MS);
	KT_ASSERT(iv && iv->state == KT_TL_SLEEPING && iv->start == 5200 * MS &&
		  iv->end == 7 * S && (iv->flags & KT_TL_F_OPEN) &&
		  iv->sys.nr == KT_TL_NOSYS,
		  "12: cut at the stop, its record (past the slack) unseen");
	KT_ASSERT(!tl_at(&out, 20, 7 * S), "nothing after 7 s");
	tl_out_release(&out);
	return KT_PASS;
}

/* the items of @l, handed out, copied into @it (at most @max); OUT @lane
 * of each */
static int lane_items(struct kt_lanes *l, struct kt_lane_item *it,
		      size_t *lane, size_t max, size_t *n)
{
	const struct kt_tlf_names *nm;
	const struct kt_lane_item *p;
	int rc;

	*n = 0;
	while ((rc = kt_lanes_next(l, &p, &lane[*n], &nm)) > 0 && *n < max)
		it[(*n)++] = *p;
	return rc;
}

/* lanes: intervals clipped to [5 s, 6 s], spans as they are, lane by
 * lane; the same through the smallest buffer */
KT_TEST(causal_window_lanes)
{
	struct kt_window w = { 5 * S, 6 * S };
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct kt_lanes_opts o = { 0 };
	const struct kt_lane *ln;
	struct kt_lane_item items[64], *it;
	size_t lane[64], n;
	struct kt_lanes l;
	int rc;

	KT_ASSERT(open_capture(&r) == 0, "capture");
	for (int pass = 0; pass < 2; pass++) {
		o.mem = pass ? KT_XSORT_MIN_MEM : 0;
		rc = kt_lanes_build(r, &w, &o, &l, &err);
		KT_ASSERT(rc == 0, "build: %d", rc);
		KT_ASSERT(l.nlanes == 4 && l.lanes[0].tid == 10 && l.lanes[1].tid == 11 &&
			  l.lanes[2].tid == 12 && l.lanes[3].tid == 20,
			  "%zu lanes, by tid", l.nlanes);
		rc = lane_items(&l, items, lane, 64, &n);
		KT_ASSERT(rc == 0 && n == l.nitems, "%d: %zu of %zu items", rc, n,
			  l.nitems);
		for (size_t i = 0; i < n; i++) {
			it = &items[i];
			KT_ASSERT(it->is_span || (it->iv.start >= w.from &&
						  it->iv.end <= w.to &&
						  it->iv.start < it->iv.end),
				  "item %zu not clipped", i);
			KT_ASSERT(it->tid == l.lanes[lane[i]].tid &&
				  (!i || lane[i] >= lane[i - 1]), "item %zu: lane %zu",
				  i, lane[i]);
		}
		ln = &l.lanes[0];
		it = &items[0];
		KT_ASSERT(ln->niv == 1 && it->iv.state == KT_TL_SLEEPING &&
			  ln->lo == 5 * S && ln->hi == 6 * S, "10: one clipped sleep");
		/* spans by start: the read(), then the process from its first
		 * event seen, cut at the stop */
		KT_ASSERT(ln->nsp == 2 && it[1].is_span &&
			  it[1].sp.kind == KT_SPAN_SYSCALL &&
			  it[1].sp.start == 4500 * MS && it[1].sp.end == 6600 * MS + 1000,
			  "10: its read() span, not clipped");
		KT_ASSERT(it[2].sp.kind == KT_SPAN_PROCESS && it[2].sp.end == 7 * S,
			  "10: its process span");
		/* 12 ran from 1 s with no event until 5.2 s: its lane starts there */
		ln = &l.lanes[2];
		KT_ASSERT(ln->niv == 1 && ln->lo == 5200 * MS && ln->hi == 6 * S,
			  "12: asleep from 5.2 s to the end of the window");
		kt_lanes_release(&l);
	}

	/* one thread: one lane */
	o.tid = 12;
	rc = kt_lanes_build(r, &w, &o, &l, &err);
	KT_ASSERT(rc == 0 && l.nlanes == 1 && l.lanes[0].tid == 12, "--tid 12");
	kt_lanes_release(&l);
	kt_reader_close(r);
	return KT_PASS;
}

static size_t woke_edges(const struct kt_graph *g)
{
	size_t ne, n = 0;
	const struct kt_gedge *e = kt_graph_edges(g, &ne);

	for (size_t i = 0; i < ne; i++)
		if (e[i].kind == KT_GE_WOKE)
			n += e[i].count;
	return n;
}

/* the graph of a window holds the evidence inside it whose wait began in
 * the reading; a process's part of it is its threads and their
 * neighbours */
KT_TEST(causal_window_graph)
{
	struct kt_window w = { 5 * S, 6 * S };
	struct kt_graph_sel sel;
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct kt_graph *g = NULL;
	const struct kt_gnode *n;
	char b[KT_TLF_MAX];
	size_t nn;
	int rc;

	KT_ASSERT(open_capture(&r) == 0, "capture");
	/* the wakeup of 11 at 5.5 s ended a wait that began before the
	 * lookback: no evidence of what it waited for */
	KT_ASSERT(kt_graph_build(r, &w, &g, &err) == 0, "build");
	KT_ASSERT(woke_edges(g) == 0, "[5 s, 6 s]: %zu", woke_edges(g));
	kt_graph_free(g);
	w.from = 3600 * MS;
	KT_ASSERT(kt_graph_build(r, &w, &g, &err) == 0, "build");
	KT_ASSERT(woke_edges(g) == 1, "[3.6 s, 6 s]: %zu", woke_edges(g));
	kt_graph_free(g);
	w = (struct kt_window){ 5 * S, 7 * S };
	KT_ASSERT(kt_graph_build(r, &w, &g, &err) == 0, "build");
	KT_ASSERT(woke_edges(g) == 1, "[5 s, 7 s]: 10 woken at 6.5 s: %zu",
		  woke_edges(g));
	rc = kt_graph_select(g, 10, &sel);
	KT_ASSERT(rc == 0 && sel.edges == 1 && sel.nodes == 2,
		  "10: its thread and its waker: %zu nodes", sel.nodes);
	n = kt_graph_nodes(g, &nn);
	for (size_t i = 0; i < nn; i++)
		if (sel.node[i] && n[i].kind == KT_GN_THREAD && n[i].b == 20)
			KT_ASSERT(!strcmp(kt_gnode_label(b, sizeof(b), &n[i],
					  kt_reader_tasks(r)), "w/20"),
				  "label %s", b);
	kt_graph_sel_release(&sel);
	rc = kt_graph_select(g, 12, &sel);
	KT_ASSERT(rc == 0 && sel.edges == 0 && sel.nodes == 0,
		  "12: woken at 7.4 s, past the window: no evidence");
	kt_graph_sel_release(&sel);
	kt_graph_free(g);
	kt_reader_close(r);
	return KT_PASS;
}
