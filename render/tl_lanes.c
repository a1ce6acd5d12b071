// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tl_lanes.c - the timeline's lanes (render_int.h kt_rtl_lanes): a header
 * per process, then per thread its label, its state bar (the merged
 * columns), its syscall and block I/O row, labels where they fit, the
 * slowest span's box; the fold lane; the wakeup arrows between lanes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"

#define TEXT 0x202020
#define RED 0xc62828
#define MAX_LABELS 64           /* label slots a lane keeps */

/* x ranges of a lane's labels, so that none overlaps another */
struct slots {
	float x0[MAX_LABELS], x1[MAX_LABELS];
	size_t n;
};

static bool take(struct slots *sl, float x0, float x1)
{
	for (size_t i = 0; i < sl->n; i++)
		if (x0 < sl->x1[i] + 4 && sl->x0[i] < x1 + 4)
			return false;
	if (sl->n == MAX_LABELS)
		return false;
	sl->x0[sl->n] = x0;
	sl->x1[sl->n++] = x1;
	return true;
}

/* whether the bar is low (a wait, or nothing) under columns [c0, c1) */
static bool low_under(const struct kt_rcols *c, float c0, float c1)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct kt_rrun *r = &c->runs[i];

		if (r->c0 < c1 && r->c0 + r->n > c0 && kt_rstate_hfrac(r->st) > 0.5f)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------- a lane */

/* the state bar, alike runs together (they never overlap): Cairo draws
 * each group as one path */
static void state_runs(const struct kt_rlayout *l, struct kt_scene *s,
		       const struct kt_rthr *th, float bar)
{
	for (unsigned st = 1; st < KT_RS_N; st++)
		for (int mixed = 0; mixed < 2; mixed++)
			for (size_t i = 0; i < th->cols.n; i++) {
				const struct kt_rrun *r = &th->cols.runs[i];
				float h = l->bar_h * kt_rstate_hfrac(r->st);
				char d[16];

				if (r->st != st || r->mixed != mixed)
					continue;
				if (r->cpu != KT_RCPU_NONE)
					snprintf(d, sizeof(d), "cpu %u", r->cpu);
				kt_scene_rect(s, kt_rstate_role(r->st),
					      l->plot_x + r->c0, bar + l->bar_h - h,
					      (float)r->n, h, kt_rstate_color(r->st),
					      (mixed ? KT_SI_HATCH : 0) |
					      (st == KT_RS_UNKNOWN ? KT_SI_CROSS : 0),
					      r->cpu != KT_RCPU_NONE ? d : NULL);
			}
}

/* the syscall row (its runs), and the block I/O row under it (its
 * columns, run by run): dark where they cover half a pixel or more */
static void span_rows(const struct kt_rlayout *l, struct kt_scene *s,
		      const struct kt_rthr *th, __u32 ncols, float y)
{
	const float hs = l->span_h * 0.6f, hb = l->span_h * 0.4f;
	struct kt_rcrun *b = NULL;
	size_t nb = 0, cap = 0;

	for (unsigned lvl = 1; lvl <= 2; lvl++)
		for (size_t i = 0; i < th->sys.n; i++) {
			const struct kt_rcrun *r = &th->sys.runs[i];

			if (r->lvl == lvl)
				kt_scene_rect(s, "sys", l->plot_x + r->c0, y,
					      (float)r->n, hs, lvl == 2 ? 0x555555 :
					      0xbbbbbb, 0, NULL);
		}
	if (!th->blk)
		return;
	/* the block row's columns as runs, fitted like the others */
	for (__u32 c = 0; c < ncols;) {
		int lvl = th->blk[c] ? 1 + (th->blk[c] >= 128) : 0;
		__u32 e = c + 1;

		while (e < ncols && (th->blk[e] ? 1 + (th->blk[e] >= 128) : 0) == lvl)
			e++;
		if (lvl) {
			if (nb == cap) {
				struct kt_rcrun *p;

				cap = cap ? 2 * cap : 16;
				if (!(p = realloc(b, cap * sizeof(*p)))) {
					s->err = -ENOMEM;
					break;
				}
				b = p;
			}
			b[nb++] = (struct kt_rcrun){ c, e - c, (__u8)lvl };
		}
		c = e;
	}
	nb = kt_rcruns_coarsen(b, nb, KT_RTL_RUNS_MAX / KT_RTL_LANES);
	for (unsigned lvl = 1; lvl <= 2; lvl++)
		for (size_t i = 0; i < nb; i++)
			if (b[i].lvl == lvl)
				kt_scene_rect(s, "blk", l->plot_x + b[i].c0, y + hs,
					      (float)b[i].n, hb, lvl == 2 ? 0xff7300 :
					      0xffc38a, 0, NULL);
	free(b);
}

/* the longest syscalls named over the waits they contain */
static void sys_labels(struct kt_rtl *t, const struct kt_rlayout *l,
		       struct kt_scene *s, const struct kt_rthr *th, float bar,
		       struct slots *sl)
{
	for (int i = 0; i < KT_RTL_TOPSYS; i++) {
		const struct kt_rsys *y = &th->top[i];
		const char *name = kt_syscall_name(y->nr);
		char b[64], d[32];
		float x0, x1, w;

		if (y->b <= y->a)
			break;
		x0 = (float)kt_rgeom_x(&t->g, y->a);
		x1 = (float)kt_rgeom_x(&t->g, y->b);
		snprintf(b, sizeof(b), "%s %s", name ? name : "syscall",
			 kt_tlf_dur(d, sizeof(d), y->len));
		w = kt_scene_text_width(strlen(b), 8) * 1.1f;
		/* its first pixels may still be the running before it */
		if (x1 - x0 < w + 6 || !low_under(&th->cols, x0 + 3, x0 + w + 4) ||
		    !take(sl, x0, x0 + w + 4))
			continue;
		kt_scene_text(s, "label:syscall", l->plot_x + x0 + 4,
			      bar + l->bar_h / 2 - 1, 8, 0x333333, 0, "%s", b);
	}
}

static void state_labels(const struct kt_rlayout *l, struct kt_scene *s,
			 const struct kt_rthr *th, float bar, struct slots *sl)
{
	for (size_t i = 0; i < th->cols.n; i++) {
		const struct kt_rrun *r = &th->cols.runs[i];
		bool full = kt_rstate_hfrac(r->st) > 0.5f;
		char b[32];
		float w;

		if (r->st == KT_RS_IDLE || r->st == KT_RS_WAIT)
			continue;
		if (r->cpu != KT_RCPU_NONE)
			snprintf(b, sizeof(b), "cpu%u", r->cpu);
		else
			snprintf(b, sizeof(b), "%s", kt_rstate_name(r->st));
		w = kt_scene_text_width(strlen(b), 8) * 1.1f;
		if (r->n < w + 6 || !take(sl, r->c0, r->c0 + w + 4))
			continue;
		kt_scene_text(s, "label:state", l->plot_x + r->c0 + 3,
			      full ? bar + l->bar_h - 4 : bar + l->bar_h / 2 - 1,
			      8, r->st == KT_RS_RUNNING ? 0xffffff : 0x333333, 0,
			      "%s", b);
	}
}

/* the process of a lane that is its process's only drawn one goes on a
 * first line in the label column (no header row) */
static void proc_words(char *b, size_t sz, struct kt_rtl *t, __u32 pid,
		       size_t m)
{
	const struct kt_task *k = kt_tasks_find(t->tasks, pid);

	snprintf(b, sz, "pid %u  %s", pid, k && k->comm[0] ? k->comm : "?");
	if (m > 1) {
		size_t n = strlen(b);

		snprintf(b + n, sz - n, "  (%zu threads)", m);
	}
}

/* the thread's name on the bar's baseline; above it, the process of a
 * lane that is its process's only one (no header row then), and the
 * culprit's tag */
static void lane_label(struct kt_rtl *t, const struct kt_rlayout *l,
		       struct kt_scene *s, const struct kt_rdlane *d,
		       float bar, bool alone)
{
	char name[KT_TLF_MAX], b[KT_TLF_MAX], p[KT_TLF_MAX];
	float room = l->label_w - 16, top = room, base = bar + l->bar_h - 3;

	kt_tlf_thread(name, sizeof(name), t->tasks, d->th->utid, d->th->tid);
	if (d->culprit) {
		top -= kt_scene_text_width(7, 8) * 1.1f + 6;
		kt_scene_text(s, "lane:tag", l->plot_x - 6, bar + 5, 8, RED,
			      KT_SI_BOLD | KT_SI_RIGHT, "culprit");
	}
	if (alone) {
		proc_words(b, sizeof(b), t, d->th->pid, 1);
		kt_rtl_fit(p, sizeof(p), b, top / 1.1f, 9);
		kt_scene_text(s, "group:label", l->margin + 10, bar + 5, 9,
			      0x555555, KT_SI_BOLD, "%s", p);
		base += 5;
	} else if (d->culprit) {
		base += 5;
	}
	kt_rtl_fit(b, sizeof(b), name, d->culprit ? room / 1.1f : room, 10);
	kt_scene_text(s, "lane:label", l->margin + 10, base, 10,
		      d->culprit ? RED : TEXT, d->culprit ? KT_SI_BOLD : 0,
		      "%s", b);
}

static void lane(struct kt_rtl *t, const struct kt_rlayout *l,
		 struct kt_scene *s, const struct kt_rdlane *d, bool alone)
{
	const struct kt_rthr *th = d->th;
	float bar = d->y + 3, w = l->width - 2 * l->margin;
	struct slots sl = { .n = 0 };
	char name[KT_TLF_MAX];

	kt_tlf_thread(name, sizeof(name), t->tasks, th->utid, th->tid);
	if (d->culprit) {
		kt_scene_rect(s, "lane:culprit", l->margin, d->y, w, l->lane_h - 1,
			      0xfff3c4, 0, name);
		kt_scene_rect(s, "lane:culprit-outline", l->margin, d->y, w,
			      l->lane_h - 1, RED, KT_SI_OUTLINE, NULL);
	} else {
		kt_scene_rect(s, "lane", l->margin, d->y, w, l->lane_h - 1,
			      0xfafafa, 0, name);
	}
	if (d->hop >= 0)
		kt_scene_rect(s, "lane:path", l->margin + 1, bar, 4, l->bar_h,
			      RED, 0, NULL);
	lane_label(t, l, s, d, bar, alone);
	state_runs(l, s, th, bar);
	span_rows(l, s, th, t->g.ncols, bar + l->bar_h + 2);
	sys_labels(t, l, s, th, bar, &sl);
	state_labels(l, s, th, bar, &sl);
	if (t->have_span && t->span.tid == th->tid &&
	    (t->span.utid == th->utid || !th->utid)) {
		float x0 = (float)kt_rgeom_x(&t->g, t->span.start);
		float x1 = (float)kt_rgeom_x(&t->g, t->span.end);

		kt_scene_rect(s, "span:slowest", l->plot_x + x0, bar - 2,
			      x1 - x0 < 2 ? 2 : x1 - x0, l->bar_h + 4, RED,
			      KT_SI_OUTLINE | KT_SI_DASHED, NULL);
	}
}

/* ------------------------------------------------------------ the fold */

/* cnt[x][2..3]: the means of cnt[x][0..1] over blocks of @w columns */
static void block_means(__u32 (*cnt)[4], __u32 ncols, __u32 w)
{
	for (__u32 b0 = 0; b0 < ncols; b0 += w) {
		__u32 b1 = b0 + w < ncols ? b0 + w : ncols, sum[2] = { 0, 0 };

		for (__u32 x = b0; x < b1; x++) {
			sum[0] += cnt[x][0];
			sum[1] += cnt[x][1];
		}
		for (__u32 x = b0; x < b1; x++) {
			cnt[x][2] = (sum[0] + (b1 - b0) / 2) / (b1 - b0);
			cnt[x][3] = (sum[1] + (b1 - b0) / 2) / (b1 - b0);
		}
	}
}

/* how many folded threads ran (0) or waited for a cpu (1) in each column,
 * drawn stacked, the busiest column full height */
static void fold_lane(struct kt_rtl *t, const struct kt_rlayout *l,
		      struct kt_scene *s, const __u32 *fold, size_t folded,
		      float y)
{
	__u32 ncols = t->g.ncols, (*cnt)[4] = calloc(ncols, sizeof(*cnt)), w;
	float bar = y + 3, lw = l->width - 2 * l->margin;
	__u32 most = 0;

	kt_scene_rect(s, "lane:fold", l->margin, y, lw, l->lane_h - 1, 0xf0f0f0,
		      0, NULL);
	kt_scene_text(s, "lane:label", l->margin + 10, bar + l->bar_h - 3, 10,
		      TEXT, KT_SI_BOLD, "+%zu more thread%s", folded,
		      folded == 1 ? "" : "s");
	if (!cnt) {
		s->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < folded; i++) {
		const struct kt_rcols *c = &t->t[fold[i]].cols;

		for (size_t j = 0; j < c->n; j++) {
			const struct kt_rrun *r = &c->runs[j];
			int k = r->st == KT_RS_RUNNING ? 0 :
				r->st == KT_RS_RUNNABLE ? 1 : -1;

			for (__u32 x = r->c0; k >= 0 && x < r->c0 + r->n; x++)
				cnt[x][k]++;
		}
	}
	for (__u32 x = 0; x < ncols; x++)
		if (cnt[x][0] + cnt[x][1] > most)
			most = cnt[x][0] + cnt[x][1];
	if (most)
		kt_scene_text(s, "lane:label", l->margin + 10, bar + l->bar_h + 7,
			      8, 0x666666, 0, "bar: how many ran or were "
			      "runnable (%u at most)", most);
	else
		kt_scene_text(s, "lane:label", l->margin + 10, bar + l->bar_h + 7,
			      8, 0x666666, 0, "none ran or was runnable");
	/* blocks of w columns (their mean), w doubled until the runs fit */
	for (w = 1;; w *= 2) {
		size_t runs = 0;

		block_means(cnt, ncols, w);
		for (__u32 x = 0; x < ncols; x++)
			runs += !x || cnt[x][2] != cnt[x - 1][2] ||
				cnt[x][3] != cnt[x - 1][3];
		if (runs <= KT_RTL_RUNS_MAX / KT_RTL_LANES || w >= ncols)
			break;
	}
	for (int k = 0; k < 2 && most; k++)     /* alike together */
		for (__u32 x = 0; x < ncols;) {
			__u32 e = x + 1;
			float h0 = l->bar_h * (k ? cnt[x][2] : 0) / most;
			float h = l->bar_h * cnt[x][2 + k] / most;

			while (e < ncols && cnt[e][2] == cnt[x][2] &&
			       cnt[e][3] == cnt[x][3])
				e++;
			if (cnt[x][2 + k])
				kt_scene_rect(s, kt_rstate_role(k ? KT_RS_RUNNABLE :
						KT_RS_RUNNING), l->plot_x + x,
					      bar + l->bar_h - h0 - h, (float)(e - x),
					      h, kt_rstate_color(k ? KT_RS_RUNNABLE :
						KT_RS_RUNNING), 0, NULL);
			x = e;
		}
	free(cnt);
}

/* --------------------------------------------------------------- lanes */

static void group_header(struct kt_rtl *t, const struct kt_rlayout *l,
			 struct kt_scene *s, __u32 pid, size_t m, float y)
{
	char b[KT_TLF_MAX + 64], f[KT_TLF_MAX + 64];

	proc_words(b, sizeof(b), t, pid, m);
	kt_scene_rect(s, "group", l->margin, y, l->width - 2 * l->margin,
		      l->group_h - 2, 0xe8edf3, 0, NULL);
	kt_rtl_fit(f, sizeof(f), b, l->width - 2 * l->margin - 20, 11 * 1.1f);
	kt_scene_text(s, "group:label", l->margin + 4, y + l->group_h - 6, 11,
		      TEXT, KT_SI_BOLD, "%s", f);
}

/* how many lanes from @i on are of dl[i]'s process */
static size_t group_size(const struct kt_rdlane *dl, size_t i, size_t n)
{
	size_t m = 0;

	for (size_t j = i; j < n && dl[j].th && dl[j].th->pid == dl[i].th->pid; j++)
		m++;
	return m;
}

float kt_rtl_lanes(struct kt_rtl *t, const struct kt_rlayout *l,
		   struct kt_scene *s, struct kt_rdlane *dl, size_t n,
		   const __u32 *fold, size_t folded, float y)
{
	size_t left = 0;        /* lanes of the current group still to draw */
	bool alone = false;

	for (size_t i = 0; i < n; i++) {
		if (!dl[i].th) {
			dl[i].y = y + 4;
			fold_lane(t, l, s, fold, folded, dl[i].y);
			y += l->lane_h + 4;
			continue;
		}
		if (!left) {
			/* a new process: a header row when it has several
			 * lanes; a lone lane carries it in its label */
			left = group_size(dl, i, n);
			alone = left == 1;
			if (!alone) {
				group_header(t, l, s, dl[i].th->pid, left, y);
				y += l->group_h;
			}
		}
		left--;
		dl[i].y = y;
		lane(t, l, s, &dl[i], alone);
		y += l->lane_h;
	}
	return y;
}

/* ------------------------------------------------------------- arrows */

struct arrow {
	const struct kt_rwake *w;
	bool path;
};

static int cmp_arrow(const void *a, const void *b)
{
	const struct arrow *x = a, *y = b;

	if (x->path != y->path)
		return x->path ? -1 : 1;
	if (x->w->ts != y->w->ts)
		return x->w->ts < y->w->ts ? -1 : 1;
	if (x->w->from != y->w->from)
		return x->w->from < y->w->from ? -1 : 1;
	return x->w->to < y->w->to ? -1 : x->w->to > y->w->to;
}

void kt_rtl_arrows(struct kt_rtl *t, const struct kt_rlayout *l,
		   struct kt_scene *s, const struct kt_rdlane *dl, size_t n,
		   __u64 *total, __u64 *drawn)
{
	__s32 *lane_of = malloc((t->nt ? t->nt : 1) * sizeof(*lane_of));
	struct arrow *a = malloc((t->nwk ? t->nwk : 1) * sizeof(*a));
	size_t na = 0;

	*total = *drawn = 0;
	if (!lane_of || !a) {
		s->err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t->nt; i++)
		lane_of[i] = -1;
	for (size_t i = 0; i < n; i++)
		if (dl[i].th)
			lane_of[dl[i].th - t->t] = (__s32)i;
	for (size_t i = 0; i < t->wkcap; i++) {
		const struct kt_rwake *w = &t->wk[i];

		if (w->col == ~0u || lane_of[w->from] < 0 || lane_of[w->to] < 0)
			continue;
		a[na].w = w;
		a[na].path = dl[lane_of[w->from]].hop >= 0 &&
			     dl[lane_of[w->to]].hop >= 0;
		na++;
	}
	qsort(a, na, sizeof(*a), cmp_arrow);
	*total = na;
	for (size_t i = 0; i < na && i < KT_RTL_ARROWS; i++) {
		const struct kt_rdlane *f = &dl[lane_of[a[i].w->from]];
		const struct kt_rdlane *e = &dl[lane_of[a[i].w->to]];
		float x = l->plot_x + a[i].w->col + 0.5f;
		float y0 = f->y + 3 + l->bar_h / 2;
		float y1 = e->y > f->y ? e->y + 2 : e->y + 3 + l->bar_h + 1;

		kt_scene_line(s, a[i].path ? "arrow:wakeup-path" : "arrow:wakeup",
			      x, y0, x, y1, a[i].path ? 0x222222 : 0x8c8c8c,
			      a[i].path ? 1.2f : 0.7f, KT_SI_ARROW);
		(*drawn)++;
	}
out:
	free(lane_of);
	free(a);
}
