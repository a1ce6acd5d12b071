// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bars.c - a latency distribution (bcc's log2 slots of microseconds) as a
 * bar chart scene (render.h kt_render_log2_bars).
 *
 * One bar per slot from the first slot that holds a value to the last,
 * its height the count (linear, so that the bulk and the tail keep their
 * proportions), the count above it where it fits.  The axis below marks
 * the slots' edges (2^i us, to three digits), as many as fit without
 * overlapping.  The subtitle says in words what a glance should take
 * away: how many values, the slot of the median and of the slowest,
 * whose bar is drawn in another colour too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "render.h"

#define TOP 48.0f               /* title and two lines of subtitle */
#define BOTTOM 34.0f            /* edge labels and the axis caption */
#define LEFT 48.0f              /* the count axis */
#define RIGHT 26.0f
#define BAR 0x4a78b0
#define TAIL 0xc8553d           /* the slowest slot's bar */
#define INK 0x1a1a1a
#define MUTED 0x555555
#define GRID 0xd0d0d0

/* "999 µs", "1.02 ms", "16.4 ms", "1.07 s": 2^i microseconds to three
 * significant digits (slot 0's lower edge is 0). */
static void edge(char *buf, size_t sz, unsigned slot)
{
	double us = slot ? (double)(1ULL << slot) : 0;

	if (us < 1000)
		snprintf(buf, sz, "%.0f µs", us);
	else if (us < 1e6)
		snprintf(buf, sz, "%.3g ms", us / 1e3);
	else
		snprintf(buf, sz, "%.3g s", us / 1e6);
}

/* @v with thousands separators: "1,234,567" */
static void grouped(char *buf, size_t sz, __u64 v)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < sz; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = 0;
}

/* UTF-8 characters, for the width estimate */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

struct range {
	int first, last;        /* slots with values, -1 when none */
	int median;
	__u64 total, max;
};

static void measure(const __u64 *slot, struct range *r)
{
	__u64 seen = 0;

	memset(r, 0, sizeof(*r));
	r->first = r->last = r->median = -1;
	for (int i = 0; i < 64; i++) {
		if (!slot[i])
			continue;
		if (r->first < 0)
			r->first = i;
		r->last = i;
		r->total += slot[i];
		if (slot[i] > r->max)
			r->max = slot[i];
	}
	for (int i = 0; r->first >= 0 && i < 64; i++) {
		seen += slot[i];
		if (seen * 2 >= r->total) {
			r->median = i;
			break;
		}
	}
}

static void subtitle(struct kt_scene *s, const struct kt_bars *b,
		     const struct range *r)
{
	char n[32], m0[24], m1[24], t0[24], t1[24];

	grouped(n, sizeof(n), r->total);
	edge(m0, sizeof(m0), r->median);
	edge(m1, sizeof(m1), r->median + 1);
	edge(t0, sizeof(t0), r->last);
	edge(t1, sizeof(t1), r->last + 1);
	kt_scene_text(s, "subtitle", 8, 31, 10, MUTED, 0,
		      "%s %s, the median from %s to %s", n, b->what, m0, m1);
	kt_scene_text(s, "subtitle", 8, 44, 10, MUTED, 0,
		      "the slowest from %s to %s (in red)", t0, t1);
}

static void count_axis(struct kt_scene *s, const struct range *r,
		       float x0, float x1, float y0, float y1)
{
	char n[32];

	grouped(n, sizeof(n), r->max);
	kt_scene_line(s, "grid", x0, y0, x1, y0, GRID, 1, KT_SI_DASHED);
	kt_scene_line(s, "axis", x0, y1, x1, y1, INK, 1, 0);
	kt_scene_line(s, "axis", x0, y0, x0, y1, INK, 1, 0);
	kt_scene_text(s, "axis:max", x0 - 4, y0 + 4, 9, MUTED, KT_SI_RIGHT,
		      "%s", n);
	kt_scene_text(s, "axis:zero", x0 - 4, y1 + 3, 9, MUTED, KT_SI_RIGHT,
		      "0");
}

static void bars(struct kt_scene *s, const __u64 *slot,
		 const struct range *r, float x0, float bw, float y0,
		 float y1)
{
	char n[32], d[48];

	for (int i = r->first; i <= r->last; i++) {
		float h = (float)((double)slot[i] / r->max * (y1 - y0));
		float x = x0 + (i - r->first) * bw;

		if (!slot[i])
			continue;
		if (h < 3)      /* one value among thousands still shows */
			h = 3;
		snprintf(d, sizeof(d), "slot %d: %llu", i,
			 (unsigned long long)slot[i]);
		kt_scene_rect(s, i == r->last ? "bar:slowest" : "bar", x + 1,
			      y1 - h, bw > 3 ? bw - 2 : 1, h,
			      i == r->last ? TAIL : BAR, 0, d);
		grouped(n, sizeof(n), slot[i]);
		if (kt_scene_text_width(chars(n), 9) <= bw - 1)
			kt_scene_text(s, "count", x + bw / 2, y1 - h - 3, 9, INK,
				      KT_SI_CENTER, "%s", n);
	}
}

/* The slots' edges, every @stride-th so that labels do not overlap. */
static void edges(struct kt_scene *s, const struct range *r, float x0,
		  float bw, float y1)
{
	int n = r->last - r->first + 2, stride = 1;
	float widest = 0;
	char e[24];

	for (int i = 0; i < n; i++) {
		float w;

		edge(e, sizeof(e), r->first + i);
		w = kt_scene_text_width(chars(e), 9);
		if (w > widest)
			widest = w;
	}
	while (stride * bw < widest + 6)
		stride++;
	for (int i = 0; i < n; i += stride) {
		float x = x0 + i * bw;

		edge(e, sizeof(e), r->first + i);
		kt_scene_line(s, "tick", x, y1, x, y1 + 4, INK, 1, 0);
		kt_scene_text(s, "edge", x, y1 + 14, 9, INK, KT_SI_CENTER, "%s", e);
	}
}

int kt_render_log2_bars(const struct kt_bars *b, float width, float height,
			struct kt_scene *s)
{
	float x0 = LEFT, x1 = width - RIGHT, y0 = TOP + 8, y1 = height - BOTTOM;
	struct range r;
	float bw;

	kt_scene_init(s, width, height);
	measure(b->slot, &r);
	kt_scene_text(s, "title", 8, 16, 13, INK, KT_SI_BOLD, "%s", b->title);
	if (r.first < 0) {
		kt_scene_text(s, "empty", width / 2, height / 2, 11, MUTED,
			      KT_SI_CENTER, "no %s in the capture", b->what);
	} else {
		subtitle(s, b, &r);
		bw = (x1 - x0) / (float)(r.last - r.first + 1);
		count_axis(s, &r, x0, x1, y0, y1);
		bars(s, b->slot, &r, x0, bw, y0, y1);
		edges(s, &r, x0, bw, y1);
		kt_scene_text(s, "caption", x1, height - 4, 9, MUTED,
			      KT_SI_RIGHT, "latency, log2 slots");
	}
	if (s->err) {
		int err = s->err;

		kt_scene_release(s);
		return err;
	}
	return 0;
}
