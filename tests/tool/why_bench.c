// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_bench.c - kt-test-tool causal_bench FILE timeline|graph [WINDOW_MS]:
 * build the timeline (intervals, spans and wakeups to a counting sink) or
 * the sliding-window causal graph (expiring every window/4) over every
 * event of FILE, and print
 *   events N seconds S events/s R
 * and the builder's own bounds (threads tracked at most, most intervals
 * held for one thread, nodes and edges alive at most).  For
 * tests/bench/analyze.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format.h"
#include "analyze/graph.h"
#include "analyze/timeline.h"
#include "tool.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct sink {
	__u64 iv, sp, wu, ns;
};

static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct sink *s = arg;

	s->iv++;
	s->ns += iv->end - iv->start;
	return 0;
}

static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	(void)sp;
	((struct sink *)arg)->sp++;
	return 0;
}

static int on_wu(const struct kt_tl_wakeup *wu, void *arg)
{
	(void)wu;
	((struct sink *)arg)->wu++;
	return 0;
}

KT_TOOL(causal_bench, "FILE timeline|graph [WINDOW_MS]: timeline or graph build rate")
{
	static const struct kt_tl_ops ops = { on_iv, on_sp, on_wu, NULL };
	struct kt_reader *r = NULL;
	struct kt_source *src = NULL;
	struct kt_err err = { 0 };
	struct sink sink = { 0 };
	struct kt_info info;
	double t0, t1;
	int rc;

	if (argc < 3 || (strcmp(argv[2], "timeline") && strcmp(argv[2], "graph"))) {
		fprintf(stderr, "usage: kt-test-tool causal_bench FILE timeline|graph [WINDOW_MS]\n");
		return 2;
	}
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 1;
	}
	kt_reader_info(r, &info);
	src = kt_source_reader(r);
	t0 = now();
	if (!strcmp(argv[2], "timeline")) {
		struct kt_tl_opts o = { .end_ts = info.last_ts,
					.syscalls = info.kind_events[KT_SYSCALL] > 0 };
		struct kt_tl *tl = kt_tl_new(&o, &ops, &sink);
		struct kt_tl_stats st;

		rc = tl ? kt_tl_run(tl, src, &err) : -1;
		t1 = now();
		kt_tl_stats(tl, &st);
		printf("events %llu seconds %.3f events/s %.0f\n",
		       (unsigned long long)st.events, t1 - t0, st.events / (t1 - t0));
		printf("intervals %llu spans %llu wakeups %llu threads_max %llu held_max %llu hold_overflows %llu\n",
		       (unsigned long long)sink.iv, (unsigned long long)sink.sp,
		       (unsigned long long)sink.wu, (unsigned long long)st.threads_max,
		       (unsigned long long)st.held_max,
		       (unsigned long long)st.hold_overflows);
		kt_tl_free(tl);
	} else {
		struct kt_graph_opts o = { 0 };
		struct kt_graph_stats st;
		struct kt_graph *g;

		o.window = (argc > 3 ? strtoull(argv[3], NULL, 10) : 100) * 1000000ULL;
		o.tl.end_ts = info.last_ts;
		o.tl.syscalls = info.kind_events[KT_SYSCALL] > 0;
		g = kt_graph_new(&o);
		rc = g ? kt_graph_run(g, src, &err) : -1;
		t1 = now();
		kt_graph_stats(g, &st);
		printf("events %llu seconds %.3f events/s %.0f\n",
		       (unsigned long long)st.events, t1 - t0, st.events / (t1 - t0));
		printf("nodes_max %llu edges_max %llu pending_max %llu threads_max %llu held_max %llu\n",
		       (unsigned long long)st.nodes_max, (unsigned long long)st.edges_max,
		       (unsigned long long)st.pending_max,
		       (unsigned long long)st.tl.threads_max,
		       (unsigned long long)st.tl.held_max);
		kt_graph_free(g);
	}
	if (rc) {
		if (err.msg[0])
			kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		else
			fprintf(stderr, "causal_bench: failed (%d)\n", rc);
	}
	kt_source_free(src);
	kt_reader_close(r);
	return rc ? 1 : 0;
}
