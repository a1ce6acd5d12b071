// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * render_bench.c - kt-test-tool render_bench FILE graph|why ARG: the
 * phases of `graph -o` (ARG: a window length in ms, 0 = the whole
 * capture) or `why -o` (ARG: a pid, its slowest span), each timed in
 * this process's cpu time, so that what drawing adds to the analysis it
 * draws is measured apart from what else runs on the machine:
 *   graph: build (the graph), path (the window's slowest span, its
 *          critical path, kt_graph_path), dot (the text), svg, png
 *   why:   pick, explain, scene, svg, png
 * One line: "PHASE SECONDS ..." then "analysis S drawing S share P%"
 * with each output's size.  For tests/bench/render_graph.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format.h"
#include "analyze/graph.h"
#include "analyze/window.h"
#include "analyze/why.h"
#include "render/render.h"
#include "tool.h"

static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct phases {
	const char *name[8];
	double s[8];
	size_t bytes[8];
	int n;
	double t;
};

static void lap(struct phases *p, const char *name, size_t bytes)
{
	double t = cpu();

	p->name[p->n] = name;
	p->s[p->n] = t - p->t;
	p->bytes[p->n++] = bytes;
	p->t = t;
}

/* The first @analysis phases are the analysis; the next, @common, is
 * shared by both pictures (the DOT text, the scene); the last two draw
 * the SVG and the PNG: what each adds to the analysis. */
static void report(const struct phases *p, int analysis)
{
	double a = 0, c = p->s[analysis];

	for (int i = 0; i < p->n; i++) {
		printf("%s %.3f s", p->name[i], p->s[i]);
		if (p->bytes[i])
			printf(" (%zu %s)", p->bytes[i],
			       strcmp(p->name[i], "scene") ? "bytes" : "items");
		printf("%s", i + 1 < p->n ? ", " : "\n");
		if (i < analysis)
			a += p->s[i];
	}
	for (int i = analysis + 1; i < p->n; i++)
		printf("%s: the analysis %.3f s, drawing %.3f s: +%.1f%%\n",
		       p->name[i], a, c + p->s[i],
		       a > 0 ? (c + p->s[i]) * 100 / a : 0);
}

static int draw_dot(struct phases *p, const char *dot)
{
	char *buf, msg[256];
	size_t len;
	int rc;

	if ((rc = kt_dot_render(dot, KT_RF_SVG, &buf, &len, msg, sizeof(msg))))
		return rc;
	free(buf);
	lap(p, "svg", len);
	if ((rc = kt_dot_render(dot, KT_RF_PNG, &buf, &len, msg, sizeof(msg))))
		return rc;
	free(buf);
	lap(p, "png", len);
	return 0;
}

static int graph(struct kt_reader *r, __u64 ms, struct phases *p)
{
	struct kt_window w = { 0 };
	struct kt_graph *g = NULL;
	struct kt_graph_sel sel = { 0 }, path = { 0 };
	struct kt_why_span sp;
	struct kt_graph_pic pic;
	struct kt_info info;
	struct kt_err err;
	struct kt_why why;
	bool have = false;
	char *dot = NULL;
	size_t len;
	int rc;

	kt_reader_info(r, &info);
	kt_window_place(&w, &info, ms * 1000000ULL);
	rc = kt_graph_build(r, &w, &g, &err);
	if (!rc)
		rc = kt_graph_select(g, 0, &sel);
	lap(p, "build", 0);
	if (!rc && !(rc = kt_why_pick_window(r, &w, 0, 0, &sp, &err)))
		have = !(rc = kt_why_explain(r, &sp, &why, &err));
	if (rc == -ENOENT)
		rc = 0;
	if (!rc && have)
		rc = kt_graph_path(g, &why.path, &path);
	lap(p, "path", 0);
	pic = (struct kt_graph_pic){ .g = g, .sel = &sel,
				     .tasks = kt_reader_tasks(r),
				     .from = w.from, .to = w.to,
				     .why = have ? &why : NULL,
				     .path = have ? &path : NULL };
	if (have)
		why.tasks = pic.tasks;
	if (!rc && !(rc = kt_graph_dot(&pic, &dot, &len)))
		lap(p, "dot", len);
	if (!rc)
		rc = draw_dot(p, dot);
	if (!rc)
		report(p, 2);
	free(dot);
	if (have)
		kt_why_release(&why);
	kt_graph_sel_release(&path);
	kt_graph_sel_release(&sel);
	kt_graph_free(g);
	return rc;
}

static int why(struct kt_reader *r, __u32 pid, struct phases *p)
{
	struct kt_why_opts o = { .pid = pid, .sys_nr = -1 };
	struct kt_why_span sp;
	struct kt_scene s = { 0 };
	struct kt_err err;
	struct kt_why w;
	char *buf;
	size_t len;
	int rc;

	if ((rc = kt_why_pick(r, &o, &sp, &err)))
		return rc;
	lap(p, "pick", 0);
	if ((rc = kt_why_explain(r, &sp, &w, &err)))
		return rc;
	lap(p, "explain", 0);
	rc = kt_why_scene(&w, &s);
	if (!rc) {
		lap(p, "scene", s.n);
		rc = kt_scene_draw(&s, KT_RF_SVG, &buf, &len);
	}
	if (!rc) {
		free(buf);
		lap(p, "svg", len);
		rc = kt_scene_draw(&s, KT_RF_PNG, &buf, &len);
	}
	if (!rc) {
		free(buf);
		lap(p, "png", len);
		report(p, 2);
	}
	kt_scene_release(&s);
	kt_why_release(&w);
	return rc;
}

KT_TOOL(render_bench, "FILE graph WINDOW_MS|why PID: cpu time of each "
	"phase of graph -o / why -o")
{
	struct kt_reader *r = NULL;
	struct phases p = { .n = 0 };
	struct kt_err err;
	int rc;

	if (argc != 4 || (strcmp(argv[2], "graph") && strcmp(argv[2], "why"))) {
		fprintf(stderr, "usage: kt-test-tool render_bench FILE graph "
			"WINDOW_MS|why PID\n");
		return 2;
	}
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		fprintf(stderr, "render_bench: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	p.t = cpu();
	rc = !strcmp(argv[2], "graph") ?
	     graph(r, strtoull(argv[3], NULL, 10), &p) :
	     why(r, (__u32)strtoul(argv[3], NULL, 10), &p);
	if (rc)
		fprintf(stderr, "render_bench: %s\n", strerror(-rc));
	kt_reader_close(r);
	return rc ? 1 : 0;
}
