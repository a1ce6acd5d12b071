// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why.c - the critical path of a slow span drawn as a scene (render.h,
 * kt_why_scene).  From the top: the root-cause sentence and its
 * confidence (the words of the text answer), the span as a bar, then
 * one lane per thread and per resource the path passed through, the
 * culprit's first, each segment coloured by what it was (one colour per
 * critical-path kind, RENDER-NOTES.md §1/§2), with hand-offs between
 * lanes where the path moves; a time axis relative to the span's start;
 * the attribution as one stacked bar; a legend of every colour used.
 *
 * Where the path is at each moment is exactly one lane (the segments
 * tile the span), as in Trace Compass's critical flow view: a thread's
 * lane holds its running time (and its unknown time), a resource's lane
 * the time the path waited for it (a disk, the timer, the network, a TCP
 * retransmission, an interrupt, a cpu).  Within a lane, time is summed
 * per pixel column: a run of columns is one rectangle of their dominant
 * kind, hatched when another kind had a tenth or more of a column, so
 * the scene's size does not grow with the number of segments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"

#define MARGIN 16.0f
#define MIN_WIDTH 1000.0f
#define LABEL_MAX 280.0f        /* the lanes' label column, at most */
#define LANE_H 20.0f
#define LANE_GAP 4.0f
#define MAX_LANES 14            /* then "+K more lanes" */
#define ATTR_LINES 8            /* attribution parts listed by name */
#define FONT 11.0f

enum { L_THREAD, L_RES, L_MORE };

struct lane {
	int type;
	unsigned kind;          /* L_RES: the critical-path kind */
	__u32 utid, tid, dev;
	__u32 first_seg;        /* order of appearance */
	__u64 ns;
	bool culprit, shown;
	__u32 row;              /* drawing order, when shown */
	char name[KT_TLF_MAX];
	__u64 (*px)[KT_CP_NKINDS]; /* per column, ns of each kind */
};

struct why_pic {
	const struct kt_why *w;
	const struct kt_cp_path *p;
	struct kt_scene *s;
	struct lane *lanes;
	size_t nlanes;
	__u32 *seg_lane;        /* lane of each segment */
	struct lane *more;      /* the lane of folded lanes, or NULL */
	size_t nfolded;
	size_t cols;            /* pixel columns of the time area */
	float x0, x1, label_w;
	bool mixed;             /* some column was hatched */
	bool handoffs;          /* some column had several hand-offs */
	bool used[KT_CP_NKINDS];
};

static const char *const seg_role[KT_CP_NKINDS] = {
	[KT_CP_RUN] = "seg:running", [KT_CP_RUNNABLE] = "seg:runnable",
	[KT_CP_DISK] = "seg:disk", [KT_CP_TIMER] = "seg:timer",
	[KT_CP_NET] = "seg:network", [KT_CP_IRQ] = "seg:irq",
	[KT_CP_UNKNOWN] = "seg:unknown", [KT_CP_RETRANS] = "seg:retransmit",
};

static const char *const attr_role[KT_CP_NKINDS] = {
	[KT_CP_RUN] = "attr:running", [KT_CP_RUNNABLE] = "attr:runnable",
	[KT_CP_DISK] = "attr:disk", [KT_CP_TIMER] = "attr:timer",
	[KT_CP_NET] = "attr:network", [KT_CP_IRQ] = "attr:irq",
	[KT_CP_UNKNOWN] = "attr:unknown", [KT_CP_RETRANS] = "attr:retransmit",
};

/* the legend's words, in the legend's order */
static const struct {
	unsigned kind;
	const char *words;
} legend_kinds[] = {
	{ KT_CP_RUN, "running (a thread's own work)" },
	{ KT_CP_RUNNABLE, "runnable: waiting for a cpu" },
	{ KT_CP_DISK, "disk I/O" },
	{ KT_CP_TIMER, "timer" },
	{ KT_CP_NET, "network" },
	{ KT_CP_RETRANS, "TCP retransmission timeout" },
	{ KT_CP_IRQ, "interrupt (device unknown)" },
	{ KT_CP_UNKNOWN, "unknown: not observed" },
};

static unsigned pct10(__u64 part, __u64 whole)
{
	return whole ? (unsigned)((part * 1000 + whole / 2) / whole) : 0;
}

/* fills on which black text is hard to read */
static bool dark(__u32 c)
{
	unsigned r = c >> 16 & 0xff, g = c >> 8 & 0xff, b = c & 0xff;

	return r * 299 + g * 587 + b * 114 < 128000;
}

/* ---------------------------------------------------------------- lanes */

/* What a lane of a segment is: its thread for running and unknown time,
 * else the resource waited for. */
static void lane_key(const struct kt_cp_seg *s, struct lane *k)
{
	memset(k, 0, sizeof(*k));
	if (s->kind == KT_CP_RUN || s->kind == KT_CP_UNKNOWN) {
		k->type = L_THREAD;
		k->utid = s->utid;
		k->tid = s->tid;
		return;
	}
	k->type = L_RES;
	k->kind = s->kind;
	k->dev = s->kind == KT_CP_DISK ? s->blk.dev : 0;
}

static bool same_lane(const struct lane *a, const struct lane *b)
{
	return a->type == b->type && a->kind == b->kind && a->utid == b->utid &&
	       a->tid == b->tid && a->dev == b->dev;
}

static void lane_name(const struct why_pic *d, struct lane *l)
{
	static const char *const res[KT_CP_NKINDS] = {
		[KT_CP_RUNNABLE] = "waiting for a cpu", [KT_CP_TIMER] = "timer",
		[KT_CP_NET] = "network", [KT_CP_IRQ] = "interrupt",
		[KT_CP_RETRANS] = "TCP retransmit",
	};
	char dev[64];

	if (l->type == L_THREAD)
		kt_tlf_thread(l->name, sizeof(l->name), d->w->tasks, l->utid,
			      l->tid);
	else if (l->kind == KT_CP_DISK) {
		kt_tlf_dev(dev, sizeof(dev), l->dev, &d->w->names);
		snprintf(l->name, sizeof(l->name), "disk %s", dev);
	} else {
		snprintf(l->name, sizeof(l->name), "%s",
			 res[l->kind] ? res[l->kind] : kt_cp_kind_name(l->kind));
	}
}

/* one lane per thread and resource, and each segment's lane */
static int collect_lanes(struct why_pic *d)
{
	const struct kt_cp_path *p = d->p;
	struct lane k;

	d->lanes = calloc(p->nsegs + 1, sizeof(*d->lanes));
	d->seg_lane = calloc(p->nsegs + 1, sizeof(*d->seg_lane));
	if (!d->lanes || !d->seg_lane)
		return -ENOMEM;
	for (size_t i = 0; i < p->nsegs; i++) {
		size_t j;

		lane_key(&p->segs[i], &k);
		/* few lanes: a linear search is what it costs */
		for (j = 0; j < d->nlanes && !same_lane(&d->lanes[j], &k); j++)
			;
		if (j == d->nlanes) {
			k.first_seg = i;
			d->lanes[d->nlanes++] = k;
		}
		d->lanes[j].ns += p->segs[i].end - p->segs[i].start;
		d->seg_lane[i] = j;
		d->used[p->segs[i].kind] = true;
	}
	return 0;
}

/* the lane the root cause is (kt_cp_root) */
static void mark_culprit(struct why_pic *d)
{
	const struct kt_cp_attr *r = kt_cp_root(d->p);
	struct lane k = { .type = L_RES };

	if (!r)
		return;
	if (r->kind == KT_CP_RUN || r->kind == KT_CP_UNKNOWN) {
		k.type = L_THREAD;
		k.utid = r->utid;
		k.tid = r->tid;
	} else {
		k.kind = r->kind;
		k.dev = r->kind == KT_CP_DISK ? r->dev : 0;
	}
	for (size_t i = 0; i < d->nlanes; i++)
		d->lanes[i].culprit = same_lane(&d->lanes[i], &k);
}

/* the drawing order: the culprit, the span's own thread, the other
 * threads as the path met them, then the resources, most time first */
static int lane_rank(const struct why_pic *d, const struct lane *l)
{
	if (l->culprit)
		return 0;
	if (l->type == L_THREAD && l->utid == d->p->utid && l->tid == d->p->tid)
		return 1;
	return l->type == L_THREAD ? 2 : 3;
}

static int cmp_lane(const void *a, const void *b, void *arg)
{
	const struct lane *x = *(struct lane *const *)a;
	const struct lane *y = *(struct lane *const *)b;
	int rx = lane_rank(arg, x), ry = lane_rank(arg, y);

	if (rx != ry)
		return rx - ry;
	if (rx == 3 && x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return (x->first_seg > y->first_seg) - (x->first_seg < y->first_seg);
}

/* Rows: past MAX_LANES the lanes with the least time fold into one. */
static int order_lanes(struct why_pic *d, struct lane ***rows, size_t *nrows)
{
	struct lane **v = calloc(d->nlanes + 1, sizeof(*v)), *t;
	size_t keep = d->nlanes;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < d->nlanes; i++)
		v[i] = &d->lanes[i];
	if (keep > MAX_LANES) {
		/* the two first by rank stay; of the rest, the most time */
		qsort_r(v, d->nlanes, sizeof(*v), cmp_lane, d);
		for (size_t i = 2; i < d->nlanes; i++)
			for (size_t j = i; j > 2 && v[j]->ns > v[j - 1]->ns; j--) {
				t = v[j];
				v[j] = v[j - 1];
				v[j - 1] = t;
			}
		keep = MAX_LANES - 1;
		d->nfolded = d->nlanes - keep;
	}
	qsort_r(v, keep, sizeof(*v), cmp_lane, d);
	for (size_t i = 0; i < keep; i++) {
		v[i]->shown = true;
		v[i]->row = i;
	}
	*rows = v;
	*nrows = keep;
	return 0;
}

/* ---------------------------------------------------------------- time */

static float x_of(const struct why_pic *d, __u64 t)
{
	const struct kt_cp_path *p = d->p;

	return d->x0 + (float)((double)(t - p->start) * d->cols /
			       (double)(p->end - p->start));
}

/* Spread each segment's time over the pixel columns of its lane. */
static int bin(struct why_pic *d)
{
	const struct kt_cp_path *p = d->p;
	__u64 span = p->end - p->start;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		struct lane *l = &d->lanes[d->seg_lane[i]];
		size_t c;

		if (!l->shown)
			l = d->more;
		if (!l->px && !(l->px = calloc(d->cols, sizeof(*l->px))))
			return -ENOMEM;
		c = (size_t)((s->start - p->start) * (unsigned __int128)d->cols / span);
		for (; c < d->cols; c++) {
			__u64 a = p->start + (__u64)((unsigned __int128)c * span / d->cols);
			__u64 b = p->start + (__u64)((unsigned __int128)(c + 1) * span / d->cols);

			if (a >= s->end)
				break;
			a = a > s->start ? a : s->start;
			b = b < s->end ? b : s->end;
			if (b > a)
				l->px[c][s->kind] += b - a;
		}
	}
	return 0;
}

/* the dominant kind of a column, KT_CP_NKINDS when empty; OUT @mixed */
static unsigned dominant(const __u64 *col, bool *mixed)
{
	unsigned best = KT_CP_NKINDS;
	__u64 total = 0;

	for (unsigned k = 0; k < KT_CP_NKINDS; k++) {
		total += col[k];
		if (col[k] && (best == KT_CP_NKINDS || col[k] > col[best]))
			best = k;
	}
	*mixed = best != KT_CP_NKINDS && (total - col[best]) * 10 >= total;
	return best;
}

static void draw_runs(struct why_pic *d, const struct lane *l, float y)
{
	char dur[32];
	size_t c = 0;

	while (l->px && c < d->cols) {
		bool mixed, any = false;
		unsigned k = dominant(l->px[c], &mixed);
		size_t e = c;
		__u64 ns = 0;

		if (k == KT_CP_NKINDS) {
			c++;
			continue;
		}
		for (; e < d->cols; e++) {
			bool m;

			if (dominant(l->px[e], &m) != k)
				break;
			any |= m;
			for (unsigned j = 0; j < KT_CP_NKINDS; j++)
				ns += l->px[e][j];
		}
		d->mixed |= any;
		kt_scene_rect(d->s, seg_role[k], d->x0 + c, y + 2, (float)(e - c),
			      LANE_H - 4, kt_col_cp(k),
			      (k == KT_CP_UNKNOWN ? KT_SI_CROSS : 0) |
			      (any ? KT_SI_HATCH : 0),
			      kt_tlf_dur(dur, sizeof(dur), ns));
		c = e;
	}
}

static float lane_y(float top, int row)
{
	return top + row * (LANE_H + LANE_GAP);
}

static int row_of(const struct lane *l)
{
	return l->shown ? (int)l->row : MAX_LANES - 1;
}

/* One pixel column's hand-offs: a line between the lanes, an arrow into
 * the lane the path goes on in when there was one hand-off there. */
struct handoff {
	long col;               /* -1: none yet */
	int from, to, lo, hi;
	size_t n;
};

static void put_handoff(struct why_pic *d, const struct handoff *h, float top)
{
	float x = d->x0 + h->col + 0.5f, ya, yb;

	if (h->col < 0)
		return;
	if (h->n == 1) {
		/* from the middle of one lane to the near edge of the other */
		ya = lane_y(top, h->from) + LANE_H / 2;
		yb = lane_y(top, h->to) + (h->to > h->from ? 1 : LANE_H - 1);
		kt_scene_line(d->s, "handoff", x, ya, x, yb, KT_COL_HANDOFF, 1,
			      KT_SI_ARROW);
		return;
	}
	kt_scene_line(d->s, "handoffs", x, lane_y(top, h->lo) + LANE_H / 2, x,
		      lane_y(top, h->hi) + LANE_H / 2, KT_COL_HANDOFF, 1, 0);
	d->handoffs = true;
}

/* Where the path moves from one lane to another: at most one line a
 * pixel column, whatever the number of segments. */
static void draw_handoffs(struct why_pic *d, float top)
{
	const struct kt_cp_path *p = d->p;
	struct handoff h = { .col = -1 };

	for (size_t i = 1; i < p->nsegs; i++) {
		int a = row_of(&d->lanes[d->seg_lane[i - 1]]);
		int b = row_of(&d->lanes[d->seg_lane[i]]);
		long c = (long)(x_of(d, p->segs[i].start) - d->x0);

		if (a == b)
			continue;
		if (c >= (long)d->cols)
			c = (long)d->cols - 1;
		if (c != h.col) {
			put_handoff(d, &h, top);
			h = (struct handoff){ c, a, b, a < b ? a : b, a > b ? a : b, 0 };
		}
		h.lo = a < h.lo ? a : b < h.lo ? b : h.lo;
		h.hi = a > h.hi ? a : b > h.hi ? b : h.hi;
		h.n += !h.n || h.from != a || h.to != b;
	}
	put_handoff(d, &h, top);
}

/* "5 ms" for 5000000 with a step of 1 ms or more: the axis's words */
static void tick_words(char *b, size_t sz, __u64 v, __u64 step)
{
	static const struct { __u64 unit; const char *name; } u[] = {
		{ 1000000000ULL, "s" }, { 1000000, "ms" }, { 1000, "us" },
		{ 1, "ns" },
	};
	size_t i = 0;

	if (!v) {
		snprintf(b, sz, "0");
		return;
	}
	while (i < 3 && step < u[i].unit)
		i++;
	if (v % u[i].unit == 0)
		snprintf(b, sz, "%llu %s", (unsigned long long)(v / u[i].unit),
			 u[i].name);
	else
		snprintf(b, sz, "%.1f %s", (double)v / u[i].unit, u[i].name);
}

/* relative to the span's start; a tick every 1, 2 or 5 x 10^k ns, at
 * least 90 px apart */
static void draw_axis(struct why_pic *d, float y)
{
	__u64 span = d->p->end - d->p->start, step = 1;
	char b[32];

	while (step * d->cols < 90 * span) {
		if (step * 2 * d->cols >= 90 * span)
			step *= 2;
		else if (step * 5 * d->cols >= 90 * span)
			step *= 5;
		else
			step *= 10;
	}
	kt_scene_line(d->s, "axis", d->x0, y, d->x1, y, KT_COL_MUTED, 1, 0);
	for (__u64 t = 0; t <= span; t += step) {
		float x = x_of(d, d->p->start + t);

		kt_scene_line(d->s, "tick", x, y, x, y + 4, KT_COL_MUTED, 1, 0);
		tick_words(b, sizeof(b), t, step);
		kt_scene_text(d->s, "tick-label", x, y + 15, 10, KT_COL_MUTED,
			      t ? KT_SI_CENTER : 0, "%s", b);
	}
	kt_scene_text(d->s, "axis-label", d->x1, y + 28, 10, KT_COL_MUTED,
		      KT_SI_RIGHT, "time since the span began");
}

/* ------------------------------------------------------------ sections */

static int heading(struct why_pic *d, float *y)
{
	const struct kt_why *w = d->w;
	char *root = kt_why_root_sentence(w), *conf = kt_why_confidence_sentence(w);
	char *span = kt_why_span_sentence(w), a[32], l[32];
	int err = root && conf && span ? 0 : -ENOMEM;

	if (!err) {
		/* the first text of the picture: the answer's first line */
		kt_scene_text(d->s, "root", MARGIN, *y, 15, KT_COL_TEXT,
			      KT_SI_BOLD, "%s", root[0] ? root :
			      "root cause: none (the path is empty)");
		kt_scene_text(d->s, "confidence", MARGIN, *y + 20, 12,
			      KT_COL_MUTED, 0, "%s", conf);
		kt_scene_text(d->s, "span-words", MARGIN, *y + 38, 12,
			      KT_COL_TEXT, 0, "why: %s, from %s: %s", span,
			      kt_tlf_ts(a, sizeof(a), w->span.start),
			      kt_tlf_dur(l, sizeof(l), w->span.end - w->span.start));
	}
	*y += 56;
	free(root);
	free(conf);
	free(span);
	return err;
}

/* the span as a bar over the whole time area */
static void span_bar(struct why_pic *d, float *y)
{
	const struct kt_why_span *sp = &d->w->span;
	const char *name = sp->kind == KT_WHY_SYSCALL ? kt_syscall_name(sp->sys.nr) :
			   sp->kind == KT_WHY_WAIT ? "wait" :
			   sp->kind == KT_WHY_CPU ? "cpu stretch" : "range";
	char dur[32];

	kt_tlf_dur(dur, sizeof(dur), sp->end - sp->start);
	kt_scene_text(d->s, "lane-label", MARGIN, *y + 14, FONT, KT_COL_TEXT,
		      KT_SI_BOLD, "the slow span");
	kt_scene_rect(d->s, "span", d->x0, *y, (float)d->cols, LANE_H, 0x606060,
		      0, dur);
	kt_scene_text(d->s, "span-label", d->x0 + 6, *y + 14, FONT, 0xffffff,
		      0, "%s %s", name ? name : "syscall", dur);
	*y += LANE_H + 10;
}

static void lanes(struct why_pic *d, struct lane **rows, size_t nrows,
		  float *y)
{
	float top = *y;

	for (size_t i = 0; i < nrows; i++) {
		const struct lane *l = rows[i];
		float ly = lane_y(top, i);

		kt_scene_rect(d->s, l->culprit ? "lane:culprit" : "lane", MARGIN,
			      ly, d->x1 - MARGIN, LANE_H, l->culprit ?
			      KT_COL_CULPRIT_BG : i % 2 ? 0xffffff : 0xf4f4f4,
			      0, l->name);
		if (l->culprit)
			kt_scene_rect(d->s, "highlight", MARGIN, ly,
				      d->x1 - MARGIN, LANE_H, KT_COL_PATH,
				      KT_SI_OUTLINE, NULL);
		kt_scene_text(d->s, "lane-label", MARGIN + 4, ly + 14, FONT,
			      l->culprit ? KT_COL_PATH : KT_COL_TEXT,
			      l->culprit ? KT_SI_BOLD : 0, "%s%s", l->name,
			      l->culprit ? " (root cause)" : "");
	}
	if (d->more) {
		float ly = lane_y(top, nrows);

		kt_scene_rect(d->s, "lane", MARGIN, ly, d->x1 - MARGIN, LANE_H,
			      0xf4f4f4, 0, d->more->name);
		kt_scene_text(d->s, "lane-label", MARGIN + 4, ly + 14, FONT,
			      KT_COL_MUTED, 0, "%s", d->more->name);
	}
	/* the hand-offs under the segments: a line crossing a lane does
	 * not hide what that lane did */
	draw_handoffs(d, top);
	for (size_t i = 0; i < nrows; i++)
		draw_runs(d, rows[i], lane_y(top, i));
	if (d->more)
		draw_runs(d, d->more, lane_y(top, nrows++));
	*y = lane_y(top, nrows);
	draw_axis(d, *y);
	*y += 40;
}

/* the attribution: one stacked bar, then the largest parts by name */
static void attribution(struct why_pic *d, float *y)
{
	const struct kt_cp_path *p = d->p;
	__u64 span = p->end - p->start, cum = 0, rest = 0;
	char words[KT_TLF_MAX + 40], dur[32];
	size_t shown = p->nattr < ATTR_LINES ? p->nattr : ATTR_LINES;

	kt_scene_text(d->s, "lane-label", MARGIN, *y + 15, FONT, KT_COL_TEXT,
		      KT_SI_BOLD, "attribution");
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];
		float xa = x_of(d, p->start + cum), xb;
		unsigned pc = pct10(a->ns, span);

		cum += a->ns;
		xb = x_of(d, p->start + cum);
		d->used[a->kind] = true;
		kt_why_attr_words(words, sizeof(words), d->w, a);
		/* a white pixel between two parts: adjacent parts of one
		 * colour (two threads running) stay apart */
		kt_scene_rect(d->s, attr_role[a->kind], xa, *y,
			      xb - xa > 2 ? xb - xa - 1 : xb - xa, 22,
			      kt_col_cp(a->kind),
			      a->kind == KT_CP_UNKNOWN ? KT_SI_CROSS : 0, words);
		if (xb - xa >= kt_scene_text_width(6, 10) + 4)
			kt_scene_text(d->s, "attr-pct", (xa + xb) / 2, *y + 15, 10,
				      dark(kt_col_cp(a->kind)) ? 0xffffff :
				      KT_COL_TEXT, KT_SI_CENTER, "%u.%u%%",
				      pc / 10, pc % 10);
	}
	*y += 32;
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];
		unsigned pc = pct10(a->ns, span);

		if (i >= shown) {
			rest += a->ns;
			continue;
		}
		kt_why_attr_words(words, sizeof(words), d->w, a);
		kt_scene_rect(d->s, "attr-swatch", d->x0, *y, 10, 10,
			      kt_col_cp(a->kind),
			      a->kind == KT_CP_UNKNOWN ? KT_SI_CROSS : 0, NULL);
		kt_scene_text(d->s, "attr-label", d->x0 + 16, *y + 9, FONT,
			      KT_COL_TEXT, 0, "%3u.%u%%  %10s  %s", pc / 10, pc % 10,
			      kt_tlf_dur(dur, sizeof(dur), a->ns), words);
		*y += 16;
	}
	if (rest) {
		unsigned pc = pct10(rest, span);

		kt_scene_text(d->s, "attr-label", d->x0 + 16, *y + 9, FONT,
			      KT_COL_MUTED, 0, "%3u.%u%%  %10s  %zu more parts",
			      pc / 10, pc % 10, kt_tlf_dur(dur, sizeof(dur), rest),
			      p->nattr - shown);
		*y += 16;
	}
	*y += 10;
}

/* every colour used, with its words; the hatch and the hand-off line */
static void legend(struct why_pic *d, float *y)
{
	float x = d->x0;

	kt_scene_text(d->s, "lane-label", MARGIN, *y + 9, FONT, KT_COL_TEXT,
		      KT_SI_BOLD, "legend");
	for (size_t i = 0; i < sizeof(legend_kinds) / sizeof(legend_kinds[0]); i++) {
		unsigned k = legend_kinds[i].kind;
		float w = kt_scene_text_width(strlen(legend_kinds[i].words), 10);

		if (!d->used[k])
			continue;
		if (x + 16 + w > d->x1) {
			x = d->x0;
			*y += 16;
		}
		kt_scene_rect(d->s, "legend-swatch", x, *y, 10, 10, kt_col_cp(k),
			      k == KT_CP_UNKNOWN ? KT_SI_CROSS : 0, NULL);
		kt_scene_text(d->s, "legend", x + 14, *y + 9, 10, KT_COL_TEXT, 0,
			      "%s", legend_kinds[i].words);
		x += 14 + w + 16;
	}
	*y += 18;
	x = d->x0;
	kt_scene_line(d->s, "legend-swatch", x, *y + 10, x, *y, KT_COL_HANDOFF,
		      1, KT_SI_ARROW);
	kt_scene_text(d->s, "legend", x + 8, *y + 9, 10, KT_COL_TEXT, 0,
		      "the path moves to the lane the arrow points to (a wakeup "
		      "hands the wait over)");
	if (d->handoffs) {
		*y += 16;
		kt_scene_line(d->s, "legend-swatch", x, *y + 10, x, *y,
			      KT_COL_HANDOFF, 1, 0);
		kt_scene_text(d->s, "legend", x + 8, *y + 9, 10, KT_COL_TEXT, 0,
			      "a line without an arrow: several hand-offs within "
			      "one pixel");
	}
	if (d->mixed) {
		*y += 16;
		kt_scene_rect(d->s, "legend-swatch", x, *y, 10, 10, 0xcccccc,
			      KT_SI_HATCH, NULL);
		kt_scene_text(d->s, "legend", x + 14, *y + 9, 10, KT_COL_TEXT, 0,
			      "hatched: several kinds within one pixel, the "
			      "colour of the largest");
	}
	*y += 16;
}

/* ---------------------------------------------------------------- scene */

/* the width: the sentence must fit on one line, and the label column
 * holds the longest lane name */
static int layout(struct why_pic *d, float *width)
{
	char *root = kt_why_root_sentence(d->w);
	float lw = kt_scene_text_width(strlen("the slow span"), FONT);
	float w = MIN_WIDTH;

	for (size_t i = 0; i < d->nlanes; i++) {
		float l = kt_scene_text_width(strlen(d->lanes[i].name) +
					      (d->lanes[i].culprit ? 13 : 0), FONT);
		lw = l > lw ? l : lw;
	}
	d->label_w = (lw < LABEL_MAX ? lw : LABEL_MAX) + 12;
	if (root) {
		/* bold runs wider than the average advance: 10% more */
		float rw = kt_scene_text_width(strlen(root), 15) * 1.1f +
			   2 * MARGIN;

		w = rw > w ? rw : w;
	}
	free(root);
	*width = (float)(int)w;
	d->x0 = (float)(int)(MARGIN + d->label_w);  /* whole pixels: sharp edges */
	d->x1 = *width - MARGIN;
	d->cols = (size_t)(d->x1 - d->x0);
	d->x1 = d->x0 + (float)d->cols;
	return root ? 0 : -ENOMEM;
}

static int build(struct why_pic *d, float width)
{
	struct lane **rows = NULL;
	size_t nrows = 0;
	float y = MARGIN + 14;
	int err;

	kt_scene_init(d->s, width, 100);
	err = heading(d, &y);
	if (!err)
		err = order_lanes(d, &rows, &nrows);
	if (!err && d->nfolded) {
		d->more = calloc(1, sizeof(*d->more));
		if (!d->more)
			err = -ENOMEM;
		else
			snprintf(d->more->name, sizeof(d->more->name),
				 "+%zu more lanes", d->nfolded);
	}
	if (!err)
		err = bin(d);
	if (!err) {
		span_bar(d, &y);
		lanes(d, rows, nrows, &y);
		attribution(d, &y);
		legend(d, &y);
		d->s->height = (float)(int)(y + MARGIN);
		err = d->s->err;
	}
	free(rows);
	return err;
}

int kt_why_scene(const struct kt_why *w, struct kt_scene *s)
{
	struct why_pic d = { .w = w, .p = &w->path, .s = s };
	float width = MIN_WIDTH;
	int err;

	memset(s, 0, sizeof(*s));
	if (w->path.end <= w->path.start)
		return -EINVAL;
	err = collect_lanes(&d);
	if (!err) {
		mark_culprit(&d);
		for (size_t i = 0; i < d.nlanes; i++)
			lane_name(&d, &d.lanes[i]);
		err = layout(&d, &width);
	}
	if (!err)
		err = build(&d, width);
	for (size_t i = 0; d.lanes && i < d.nlanes; i++)
		free(d.lanes[i].px);
	if (d.more)
		free(d.more->px);
	free(d.more);
	free(d.lanes);
	free(d.seg_lane);
	if (err)
		kt_scene_release(s);
	return err;
}
