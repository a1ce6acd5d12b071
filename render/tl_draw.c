// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tl_draw.c - the timeline picture's frame (render_int.h kt_rtl_draw):
 * which lanes, in which order, then from the top: the title, the window
 * and its wall-clock start, the slowest span and its root cause, the
 * legend, the time axis, the lanes (tl_lanes.c), the wakeup arrows, and
 * notes on what was folded or capped.
 *
 * Layouts use estimated text widths (kt_scene_text_width), never the
 * installed font's, so the scene dump is the same on every machine.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "analyze/fmt.h"
#include "analyze/timeline_fmt.h"

#define TEXT 0x202020
#define GREY 0x666666
#define RED 0xc62828
#define GRID 0xe4e4e4

void kt_rlayout_init(struct kt_rlayout *l, unsigned width, __u32 *ncols)
{
	float w = width ? (float)width : KT_RTL_WIDTH;

	if (w < 400)
		w = 400;
	if (w > 16000)
		w = 16000;
	memset(l, 0, sizeof(*l));
	l->width = w;
	l->margin = 12;
	l->label_w = w * 0.2f < 160 ? 160 : w * 0.2f > 260 ? 260 : floorf(w * 0.2f);
	l->plot_x = l->margin + l->label_w;
	l->plot_w = floorf(w - l->plot_x - l->margin);
	l->bar_h = 14;
	l->span_h = 6;
	l->lane_h = 28;
	l->group_h = 18;
	*ncols = (__u32)l->plot_w;
}

char *kt_rtl_fit(char *buf, size_t sz, const char *text, float maxw,
		 float size)
{
	size_t len = strlen(text), keep;

	if (kt_scene_text_width(len, size) <= maxw || sz < 8) {
		snprintf(buf, sz, "%s", text);
		return buf;
	}
	keep = (size_t)(maxw / kt_scene_text_width(1, size));
	keep = keep > 1 ? keep - 1 : 0;
	if (keep > sz - 4)
		keep = sz - 4;
	/* not in the middle of a UTF-8 sequence */
	while (keep && ((unsigned char)text[keep] & 0xc0) == 0x80)
		keep--;
	memcpy(buf, text, keep);
	memcpy(buf + keep, "\u2026", 4);        /* "…" and its NUL */
	return buf;
}

/* @text on lines that fit the picture's width, broken at spaces (at most
 * three, the others indented; the last cut with "…"); returns the next
 * baseline */
static float line(struct kt_scene *s, const struct kt_rlayout *l,
		  const char *role, float y, float size, __u32 color,
		  unsigned flags, const char *text)
{
	float cw = kt_scene_text_width(1, size) * (flags & KT_SI_BOLD ? 1.1f : 1);
	char b[512];

	for (int n = 0; *text; n++) {
		float indent = n ? 12 : 0;
		float maxw = l->width - 2 * l->margin - 4 - indent;
		size_t len = strlen(text), fit = (size_t)(maxw / cw), cut = len;

		if (len > fit && n < 2) {
			for (cut = fit; cut && text[cut] != ' '; cut--)
				;
			if (!cut)
				cut = fit;
		}
		if (cut < len && n < 2)
			snprintf(b, sizeof(b), "%.*s", (int)cut, text);
		else
			kt_rtl_fit(b, sizeof(b), text, maxw *
				   kt_scene_text_width(1, size) / cw, size);
		kt_scene_text(s, role, l->margin + indent, y, size, color, flags,
			      "%s", b);
		y += size + 6;
		if (cut >= len || n == 2)
			break;
		for (text += cut; *text == ' '; text++)
			;
	}
	return y;
}

/* ------------------------------------------------------------ headings */

char *kt_rtl_selection(char *b, size_t sz, const struct kt_rtl_opts *o)
{
	int n = 0;

	b[0] = 0;
	if (o->pid)
		n += snprintf(b + n, sz - n, "pid %u", o->pid);
	if (o->tid && (size_t)n < sz)
		n += snprintf(b + n, sz - n, "%stid %u", n ? ", " : "", o->tid);
	if (o->comm && (size_t)n < sz)
		n += snprintf(b + n, sz - n, "%scomm %s", n ? ", " : "", o->comm);
	if (!n)
		snprintf(b, sz, "all threads");
	return b;
}

/* "start 2026-...Z (capture clock 12.5 s)", or why there is no wall
 * clock */
static void start_words(char *b, size_t sz, struct kt_reader *r, __u64 from)
{
	char ts[32], wall[48];
	__s64 ns;

	kt_tlf_ts(ts, sizeof(ts), from);
	if (!kt_anchors_to_wall(kt_reader_anchors(r), from, &ns) &&
	    kt_wall_fmt(wall, sizeof(wall), ns))
		snprintf(b, sz, "from %s (capture clock %s s)", wall, ts);
	else
		snprintf(b, sz, "from capture clock %s s (wall-clock time "
			 "unknown: the capture has no clock anchors)", ts);
}

static void span_words(char *b, size_t sz, const struct kt_rtl *t)
{
	const struct kt_why_span *sp = &t->span;
	char th[KT_TLF_MAX], d[32], what[KT_TLF_MAX + 32];
	int n;

	kt_tlf_thread(th, sizeof(th), t->tasks, sp->utid, sp->tid);
	kt_tlf_dur(d, sizeof(d), sp->end - sp->start);
	switch (sp->kind) {
	case KT_WHY_SYSCALL:
		kt_tlf_sys(what, sizeof(what), &sp->sys, sp->pid,
			   t->path ? &t->path->names : NULL);
		break;
	case KT_WHY_WAIT:
		snprintf(what, sizeof(what), "a %s wait in no syscall",
			 kt_tl_state_name(sp->state));
		break;
	case KT_WHY_CPU: {
		char q[32];

		snprintf(what, sizeof(what), "a CPU stretch (runnable %s)",
			 kt_tlf_dur(q, sizeof(q), sp->runnable_ns));
		break;
	}
	default:
		snprintf(what, sizeof(what), "the range");
	}
	n = snprintf(b, sz, "%s: %s by %s, %s", t->o->why ? "span" : "slowest span",
		     what, th, d);
	/* a syscall cut to the window: its whole length too */
	if (sp->kind == KT_WHY_SYSCALL && sp->sys.end - sp->sys.start >
	    sp->end - sp->start && (size_t)n < sz) {
		char f[32];

		n += snprintf(b + n, sz - n, " of its %s in the window",
			      kt_tlf_dur(f, sizeof(f), sp->sys.end - sp->sys.start));
	}
	if ((size_t)n < sz)
		snprintf(b + n, sz - n, " (dashed box)");
}

/* the first line of `ktrail why`: its root cause */
static void root_words(char *b, size_t sz, const struct kt_why *w)
{
	struct kt_out o;
	char *nl;

	b[0] = 0;
	if (kt_out_init(&o, -1, 4096))
		return;
	kt_why_print(&o, w, 0);
	if (!o.err && o.len) {
		nl = memchr(o.buf, '\n', o.len);
		snprintf(b, sz, "%.*s", (int)(nl ? nl - o.buf : (long)o.len), o.buf);
	}
	kt_out_release(&o);
}

static float headings(struct kt_rtl *t, struct kt_reader *r,
		      const struct kt_rlayout *l, struct kt_scene *s,
		      size_t nthreads, size_t drawn, size_t folded)
{
	char sel[160], b[640], st[400], d[32];
	float y = l->margin + 15;

	kt_rtl_selection(sel, sizeof(sel), t->o);
	snprintf(b, sizeof(b), "Timeline of %s in %s", sel,
		 t->o->title ? t->o->title : "the capture");
	y = line(s, l, "title", y, 15, TEXT, KT_SI_BOLD, b);
	start_words(st, sizeof(st), r, t->g.from);
	kt_tlf_dur(d, sizeof(d), t->g.span);
	if (nthreads)
		snprintf(b, sizeof(b), "%zu thread%s (%zu drawn%s); a window of "
			 "%s %s", nthreads, nthreads == 1 ? "" : "s", drawn,
			 folded ? ", the rest folded" : "", d, st);
	else
		snprintf(b, sizeof(b), "A window of %s %s", d, st);
	y = line(s, l, "subtitle", y, 11, GREY, 0, b);
	if (t->have_span) {
		span_words(b, sizeof(b), t);
		y = line(s, l, "span", y, 11, TEXT, 0, b);
	}
	if (t->have_span && !t->path) {
		char at[32];

		snprintf(b, sizeof(b), "Its critical path is not drawn: it holds "
			 "about %llu intervals and spans, more than the %u a "
			 "picture explains; `ktrail why FILE --pid %u --tid %u "
			 "--at %s` does.", (unsigned long long)t->span_items,
			 KT_RTL_PATH_ITEMS, t->span.pid, t->span.tid,
			 kt_tlf_ts(at, sizeof(at), t->span.start));
		y = line(s, l, "note", y, 11, GREY, 0, b);
	}
	if (t->path) {
		root_words(b, sizeof(b), t->path);
		if (b[0]) {
			if (t->have_culprit) {
				char th[KT_TLF_MAX];
				size_t n = strlen(b);

				kt_tlf_thread(th, sizeof(th), t->tasks,
					      t->t[t->culprit].utid,
					      t->t[t->culprit].tid);
				snprintf(b + n, sizeof(b) - n,
					 "; culprit %s: its lane is first, "
					 "highlighted", th);
			}
			y = line(s, l, "rootcause", y, 11, RED, KT_SI_BOLD, b);
		}
	}
	return y;
}

/* -------------------------------------------------------------- legend */

struct legend {
	const struct kt_rlayout *l;
	struct kt_scene *s;
	float x, y;
};

static void legend_room(struct legend *g, const char *label)
{
	float w = 20 + kt_scene_text_width(strlen(label), 10) + 14;

	if (g->x + w > g->l->width - g->l->margin) {
		g->x = g->l->margin;
		g->y += 16;
	}
}

static void legend_box(struct legend *g, const char *label, __u32 color,
		       unsigned flags, float hfrac)
{
	legend_room(g, label);
	kt_scene_rect(g->s, "legend:swatch", g->x, g->y - 10 + 10 * (1 - hfrac),
		      16, 10 * hfrac, color, flags, NULL);
	kt_scene_text(g->s, "legend:label", g->x + 20, g->y, 10, TEXT, 0, "%s",
		      label);
	g->x += 20 + kt_scene_text_width(strlen(label), 10) + 14;
}

static void legend_arrow(struct legend *g, const char *label)
{
	legend_room(g, label);
	kt_scene_line(g->s, "legend:swatch", g->x, g->y - 4, g->x + 16, g->y - 4,
		      0x333333, 1, KT_SI_ARROW);
	kt_scene_text(g->s, "legend:label", g->x + 20, g->y, 10, TEXT, 0, "%s",
		      label);
	g->x += 20 + kt_scene_text_width(strlen(label), 10) + 14;
}

static float legend(const struct kt_rlayout *l, struct kt_scene *s, float y,
		    const bool *present, bool mixed, bool sys, bool blk,
		    bool arrows, bool path)
{
	struct legend g = { .l = l, .s = s, .x = l->margin, .y = y + 4 };

	for (unsigned st = 1; st < KT_RS_N; st++) {
		char b[64];

		if (!present[st])
			continue;
		snprintf(b, sizeof(b), "%s%s", kt_rstate_name(st),
			 st == KT_RS_RUNNING ? " (cpu N in the bar)" : "");
		legend_box(&g, b, kt_rstate_color(st),
			   st == KT_RS_UNKNOWN ? KT_SI_CROSS : 0,
			   kt_rstate_hfrac(st));
	}
	if (mixed)
		legend_box(&g, "hatched: a pixel of mixed states", 0xbdbdbd,
			   KT_SI_HATCH, 1);
	if (sys)
		legend_box(&g, "syscall (under the lane)", 0x555555, 0, 0.4f);
	if (blk)
		legend_box(&g, "block I/O (under the lane)", kt_rstate_color(KT_RS_DISK),
			   0, 0.4f);
	if (arrows)
		legend_arrow(&g, "wakeup");
	if (path)
		legend_box(&g, "on the critical path", RED, 0, 1);
	return g.y + 14;
}

/* ---------------------------------------------------------------- axis */

static float axis(struct kt_rtl *t, const struct kt_rlayout *l,
		  struct kt_scene *s, float y, float bottom, bool labels_below)
{
	struct kt_rtick ticks[KT_RTICKS_MAX];
	__u64 step;
	size_t n = kt_rticks(t->g.span, l->plot_w, 10, ticks, KT_RTICKS_MAX,
			     &step);
	float ax = y + 14, right = 0;

	kt_scene_text(s, "axis:title", l->plot_x - 8, ax - 3, 10, GREY,
		      KT_SI_RIGHT, "time from the start");
	for (size_t i = 0; i < n; i++) {
		float x = l->plot_x + (float)kt_rgeom_x(&t->g, t->g.from + ticks[i].ns);
		float w = kt_scene_text_width(strlen(ticks[i].label), 10) * 1.1f;
		float x0 = i ? x - w / 2 : x;
		unsigned fl = i ? KT_SI_CENTER : 0;

		kt_scene_line(s, "axis:grid", x, ax, x, bottom, GRID, 1, 0);
		/* the last labels right-aligned at the edge; one that would
		 * touch the one before is left out (its grid line stays) */
		if (x0 + w > l->width - 2) {
			x0 = x - w;
			fl = KT_SI_RIGHT;
		}
		if (i && x0 < right + 8)
			continue;
		right = x0 + w;
		kt_scene_text(s, "axis:label", x, ax - 3, 10, TEXT, fl, "%s",
			      ticks[i].label);
		if (labels_below)
			kt_scene_text(s, "axis:label", x, bottom + 12, 10, TEXT,
				      fl, "%s", ticks[i].label);
	}
	kt_scene_line(s, "axis", l->plot_x, ax, l->plot_x + l->plot_w, ax,
		      0x888888, 1, 0);
	return ax + 6;
}

/* -------------------------------------------------------- which lanes */

static __s32 hop_of(const struct kt_rtl *t, const struct kt_rthr *th)
{
	const struct kt_cp_path *p;

	if (!t->path)
		return -1;
	p = &t->path->path;
	for (size_t h = 0; h < p->nhops; h++)
		if (p->hops[h].tid == th->tid &&
		    (p->hops[h].utid == th->utid || !th->utid))
			return (__s32)h;
	return -1;
}

/* the candidate lanes in @c (n of them); returns n */
static size_t candidates(struct kt_rtl *t, struct kt_rlane *c)
{
	size_t n = 0;
	__u32 cu, ct, cp;
	bool have = t->path && kt_why_culprit(t->path, &cu, &ct, &cp);

	for (size_t i = 0; i < t->nt; i++) {
		struct kt_rthr *th = &t->t[i];
		__s32 hop = hop_of(t, th);
		__u64 busy = 0;

		if (!th->cols.n ||
		    (!(th->sel && kt_rtl_comm_ok(t, th->utid, th->tid)) && hop < 0))
			continue;
		for (unsigned st = 1; st < KT_RS_N; st++)
			if (kt_rstate_busy(st))
				busy += th->tot[st];
		busy -= th->open_runnable;
		c[n].utid = th->utid;
		c[n].tid = th->tid;
		c[n].pid = th->pid;
		c[n].busy = busy;
		c[n].hop = hop;
		c[n].culprit = have && th->tid == ct && (th->utid == cu || !th->utid);
		c[n].idx = (__u32)i;
		if (c[n].culprit) {
			t->have_culprit = true;
			t->culprit = (__u32)i;
		}
		n++;
	}
	return n;
}

/* states, hatching and rows that the drawn lanes show, for the legend */
static void present_in(const struct kt_rdlane *dl, size_t n, __u32 ncols,
		       bool *st, bool *mixed, bool *sys, bool *blk)
{
	for (size_t i = 0; i < n; i++) {
		const struct kt_rthr *th = dl[i].th;

		if (!th) {      /* the fold lane draws these three */
			st[KT_RS_RUNNING] = st[KT_RS_RUNNABLE] = true;
			continue;
		}
		for (size_t j = 0; j < th->cols.n; j++) {
			st[th->cols.runs[j].st] = true;
			*mixed |= th->cols.runs[j].mixed;
		}
		*sys |= th->sys.n != 0;
		for (__u32 c = 0; th->blk && c < ncols; c++)
			*blk |= th->blk[c] != 0;
	}
}

/* the drawn lanes' runs within KT_RTL_RUNS_MAX a kind (the file's
 * size): the lane with the most is halved until they fit */
static void fit_runs(struct kt_rdlane *dl, size_t n)
{
	for (int kind = 0; kind < 2; kind++)
		for (;;) {
			size_t total = 0, most = 0, k = 0, m;

			for (size_t i = 0; i < n; i++) {
				m = kind ? dl[i].th->sys.n : dl[i].th->cols.n;
				total += m;
				if (m > most) {
					most = m;
					k = i;
				}
			}
			if (total <= KT_RTL_RUNS_MAX || most < 2)
				break;
			if (kind)
				m = kt_rcruns_coarsen(dl[k].th->sys.runs, most, most / 2);
			else
				m = kt_rruns_coarsen(dl[k].th->cols.runs, most, most / 2);
			if (m == most)
				break;          /* ENOMEM: as it is */
			*(kind ? &dl[k].th->sys.n : &dl[k].th->cols.n) = m;
		}
}

/* ---------------------------------------------------------------- notes */

static float notes(struct kt_rtl *t, const struct kt_rlayout *l,
		   struct kt_scene *s, float y, size_t folded, size_t max,
		   __u64 arrows, __u64 drawn)
{
	char b[400], d[32];
	double px = (double)t->g.span / t->g.ncols;

	if (px >= 1)
		kt_tlf_dur(d, sizeof(d), (__u64)(px + 0.5));
	else
		snprintf(d, sizeof(d), "%.3f ns", px);
	snprintf(b, sizeof(b), "1 px = %s%s. A pixel shows the state that held "
		 "most of its time, hatched when others held 10 %% or more.",
		 px >= 1 && fmod(px, 1.0) > 0 ? "about " : "", d);
	y = line(s, l, "note", y, 10, GREY, 0, b);
	if (folded) {
		snprintf(b, sizeof(b), "+%zu more thread%s folded into the last "
			 "lane: past %zu lanes the critical path's threads come "
			 "first, then the busiest (running, runnable, blocked on "
			 "a resource).", folded, folded == 1 ? "" : "s", max);
		y = line(s, l, "note", y, 10, GREY, 0, b);
	}
	if (arrows > drawn || t->wk_dropped) {
		snprintf(b, sizeof(b), "Wakeup arrows: %llu of %llu%s drawn (at "
			 "most %u: the critical path's first, then the earliest).",
			 (unsigned long long)drawn, (unsigned long long)arrows,
			 t->wk_dropped ? " and more" : "", KT_RTL_ARROWS);
		y = line(s, l, "note", y, 10, GREY, 0, b);
	}
	return y;
}

/* move the items [@from, s->n) of @s before item @first */
static void move_before(struct kt_scene *s, size_t first, size_t from)
{
	size_t k = s->n - from;
	struct kt_sitem *tmp;

	if (s->err || !k)
		return;
	if (!(tmp = malloc(k * sizeof(*tmp)))) {
		s->err = -ENOMEM;
		return;
	}
	memcpy(tmp, &s->items[from], k * sizeof(*tmp));
	memmove(&s->items[first + k], &s->items[first],
		(from - first) * sizeof(*tmp));
	memcpy(&s->items[first], tmp, k * sizeof(*tmp));
	free(tmp);
}

/* whether a wakeup arrow joins two drawn lanes (the legend's entry) */
static bool any_arrow(const struct kt_rtl *t, const struct kt_rdlane *dl,
		      size_t n)
{
	for (size_t i = 0; i < t->wkcap; i++) {
		const struct kt_rwake *w = &t->wk[i];
		bool a = false, b = false;

		if (w->col == ~0u)
			continue;
		for (size_t k = 0; k < n; k++) {
			a |= dl[k].th == &t->t[w->from];
			b |= dl[k].th == &t->t[w->to];
		}
		if (a && b)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- entry */

static int empty(struct kt_rtl *t, struct kt_reader *r,
		 const struct kt_rlayout *l, struct kt_scene *s)
{
	char sel[160], a[32], b[32];
	float y = headings(t, r, l, s, 0, 0, 0) + 30;

	kt_rtl_selection(sel, sizeof(sel), t->o);
	kt_tlf_ts(a, sizeof(a), t->g.from);
	kt_tlf_ts(b, sizeof(b), t->g.to);
	kt_scene_rect(s, "empty", l->margin, y - 24, l->width - 2 * l->margin,
		      40, 0xf4f4f4, 0, NULL);
	kt_scene_text(s, "empty", l->width / 2, y, 14, TEXT,
		      KT_SI_CENTER | KT_SI_BOLD, "no events for %s in [%s, %s]",
		      sel, a, b);
	s->height = y + 30;
	return s->err;
}

int kt_rtl_draw(struct kt_rtl *t, struct kt_reader *r, struct kt_scene *s,
		struct kt_rtl_result *res)
{
	size_t max = t->o->lanes ? t->o->lanes : KT_RTL_LANES;
	struct kt_rlane *c = calloc(t->nt ? t->nt : 1, sizeof(*c));
	struct kt_rdlane *dl = NULL;
	__u32 *fold = NULL;
	bool present[KT_RS_N] = { 0 }, mixed = false, sys = false, blk = false;
	struct kt_rlayout l;
	size_t n, shown, ndl;
	__u64 arrows = 0, drawn = 0;
	size_t first, nax;
	float y, top, bottom;
	__u32 ncols;

	kt_rlayout_init(&l, t->o->width, &ncols);
	s->width = l.width;
	if (!c)
		return -ENOMEM;
	n = candidates(t, c);
	res->threads = n;
	if (!n) {
		free(c);
		res->empty = true;
		return empty(t, r, &l, s);
	}
	shown = kt_rlane_order(c, n, max);
	ndl = shown + (shown < n);
	dl = calloc(ndl, sizeof(*dl));
	fold = calloc(n - shown + 1, sizeof(*fold));
	if (!dl || !fold) {
		free(c);
		free(dl);
		free(fold);
		return -ENOMEM;
	}
	for (size_t i = 0; i < shown; i++) {
		dl[i].th = &t->t[c[i].idx];
		dl[i].hop = c[i].hop;
		dl[i].culprit = c[i].culprit;
	}
	for (size_t i = shown; i < n; i++)
		fold[i - shown] = c[i].idx;
	fit_runs(dl, shown);
	present_in(dl, ndl, ncols, present, &mixed, &sys, &blk);
	y = headings(t, r, &l, s, n, shown, n - shown);
	y = legend(&l, s, y, present, mixed, sys, blk, any_arrow(t, dl, ndl),
		   t->path && t->path->path.nhops);
	top = y;
	/* the grid goes under the lanes: the axis is drawn once the lanes'
	 * height is known, then moved before them */
	first = s->n;
	bottom = kt_rtl_lanes(t, &l, s, dl, ndl, fold, n - shown, top + 20);
	nax = s->n;
	axis(t, &l, s, top, bottom, ndl > 12);
	move_before(s, first, nax);
	kt_rtl_arrows(t, &l, s, dl, ndl, &arrows, &drawn);
	y = bottom + (ndl > 12 ? 24 : 10);
	y = notes(t, &l, s, y + 4, n - shown, max, arrows, drawn);
	s->height = ceilf(y);
	res->lanes = shown;
	res->folded = n - shown;
	res->culprit = shown && dl[0].culprit;
	if (res->culprit) {
		res->culprit_utid = dl[0].th->utid;
		res->culprit_tid = dl[0].th->tid;
	}
	res->wakeups = arrows;
	res->arrows = drawn;
	free(c);
	free(dl);
	free(fold);
	return s->err;
}
