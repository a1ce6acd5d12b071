// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tl_columns.c - the timeline's pixel columns and time axis
 * (render_int.h): intervals narrower than a pixel merge into one summary
 * per column, and tick labels stay exact down to the nanosecond.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"

typedef unsigned __int128 u128;

void kt_rgeom_init(struct kt_rgeom *g, __u64 from, __u64 to, __u32 ncols)
{
	g->from = from;
	g->to = to > from ? to : from + 1;
	g->span = g->to - g->from;
	g->ncols = ncols ? ncols : 1;
	g->small = g->span <= ~0ULL / 256 / g->ncols;
}

/* (t - from) * ncols, t clamped to the window */
static u128 scaled(const struct kt_rgeom *g, __u64 t)
{
	if (t < g->from)
		t = g->from;
	if (t > g->to)
		t = g->to;
	return (u128)(t - g->from) * g->ncols;
}

__u32 kt_rgeom_col(const struct kt_rgeom *g, __u64 t)
{
	__u64 c;

	if (t <= g->from)
		return 0;
	if (t >= g->to)
		return g->ncols - 1;
	c = g->small ? (t - g->from) * g->ncols / g->span :
		       (__u64)(scaled(g, t) / g->span);
	return c >= g->ncols ? g->ncols - 1 : (__u32)c;
}

__u32 kt_rgeom_last(const struct kt_rgeom *g, __u64 b)
{
	u128 B = scaled(g, b);

	return B ? (__u32)((B - 1) / g->span) : 0;
}

double kt_rgeom_x(const struct kt_rgeom *g, __u64 t)
{
	return (double)scaled(g, t) / (double)g->span;
}

unsigned kt_rgeom_part(const struct kt_rgeom *g, __u64 a, __u64 b, __u32 c,
		       unsigned scale)
{
	u128 A = scaled(g, a), B = scaled(g, b);
	u128 lo = (u128)c * g->span, hi = lo + g->span, ov;

	if (A > lo)
		lo = A;
	if (B < hi)
		hi = B;
	if (hi <= lo)
		return 1;
	ov = hi - lo;
	if (g->small)
		return (unsigned)(((__u64)ov * scale + g->span - 1) / g->span);
	return (unsigned)((ov * scale + g->span - 1) / g->span);
}

/* --------------------------------------------------------------- runs */

void kt_rcols_init(struct kt_rcols *c)
{
	memset(c, 0, sizeof(*c));
	c->col = -1;
}

void kt_rcols_release(struct kt_rcols *c)
{
	free(c->runs);
	kt_rcols_init(c);
}

/* append @n columns from @c0 drawn as (st, mixed, cpu), extending the
 * last run when it is alike and adjacent */
static int emit(struct kt_rcols *c, __u32 c0, __u32 n, unsigned st,
		bool mixed, unsigned cpu)
{
	struct kt_rrun *r = c->n ? &c->runs[c->n - 1] : NULL;

	if (r && r->c0 + r->n == c0 && r->st == st && r->mixed == mixed &&
	    r->cpu == cpu) {
		r->n += n;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct kt_rrun *p = realloc(c->runs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->runs = p;
		c->cap = cap;
	}
	r = &c->runs[c->n++];
	r->c0 = c0;
	r->n = n;
	r->st = st;
	r->mixed = mixed;
	r->cpu = cpu;
	return 0;
}

/* the state drawn when two hold the same time: the first in this order
 * (activity before waits, known before unknown) */
static const unsigned char tie_order[KT_RS_N] = {
	[KT_RS_RUNNING] = 1, [KT_RS_RUNNABLE] = 2, [KT_RS_DISK] = 3,
	[KT_RS_LOCK] = 4, [KT_RS_NET] = 5, [KT_RS_IPC] = 6, [KT_RS_CHILD] = 7,
	[KT_RS_TIMER] = 8, [KT_RS_STOPPED] = 9, [KT_RS_WAIT] = 10,
	[KT_RS_IDLE] = 11, [KT_RS_UNKNOWN] = 12, [KT_RS_NONE] = 13,
};

int kt_rcols_flush(struct kt_rcols *c)
{
	unsigned best = KT_RS_NONE, cpu = KT_RCPU_NONE;
	__u64 total = 0, cpu_best = 0;
	int err;

	if (c->col < 0)
		return 0;
	for (unsigned s = 1; s < KT_RS_N; s++) {
		total += c->ns[s];
		if (c->ns[s] > c->ns[best] ||
		    (c->ns[s] && c->ns[s] == c->ns[best] &&
		     tie_order[s] < tie_order[best]))
			best = s;
	}
	if (best == KT_RS_RUNNING)
		for (unsigned i = 0; i < KT_RCOL_CPUS; i++)
			if (c->cpu_ns[i] > cpu_best) {
				cpu_best = c->cpu_ns[i];
				cpu = c->cpu[i];
			}
	err = best == KT_RS_NONE ? 0 :
	      emit(c, (__u32)c->col, 1, best,
		   (u128)c->ns[best] * 100 < (u128)total * KT_RCOL_PURE_PCT, cpu);
	memset(c->ns, 0, sizeof(c->ns));
	memset(c->cpu_ns, 0, sizeof(c->cpu_ns));
	c->col = -1;
	return err;
}

static void add_cpu(struct kt_rcols *c, unsigned cpu, __u64 ns)
{
	unsigned i;

	if (cpu == KT_RCPU_NONE)
		return;
	for (i = 0; i < KT_RCOL_CPUS && c->cpu_ns[i]; i++)
		if (c->cpu[i] == cpu)
			break;
	if (i == KT_RCOL_CPUS)
		return;
	c->cpu[i] = (__u16)cpu;
	c->cpu_ns[i] += ns;
}

/* add @ns (scaled) of @st to column @col */
static int add_part(struct kt_rcols *c, __u32 col, unsigned st,
		    unsigned cpu, __u64 ns)
{
	int err;

	if ((__s64)col != c->col) {
		if ((err = kt_rcols_flush(c)))
			return err;
		c->col = col;
	}
	c->ns[st] += ns;
	if (st == KT_RS_RUNNING)
		add_cpu(c, cpu, ns);
	return 0;
}

int kt_rcols_add(struct kt_rcols *c, const struct kt_rgeom *g, __u64 a,
		 __u64 b, unsigned st, unsigned cpu)
{
	u128 A, B, c0, c1;
	int err;

	if (st == KT_RS_NONE || st >= KT_RS_N || b <= g->from || a >= g->to)
		return 0;
	A = scaled(g, a);
	B = scaled(g, b);
	if (A >= B)
		return 0;
	/* within the column being summed: no division */
	if (c->col >= 0 && A >= (u128)c->col * g->span &&
	    B <= ((u128)c->col + 1) * g->span)
		return add_part(c, (__u32)c->col, st, cpu, (__u64)(B - A));
	c0 = A / g->span;
	c1 = (B - 1) / g->span;
	/* a thread's intervals come in time order; one that starts in a
	 * column already emitted is counted in the current one */
	if ((__s64)c0 < c->col)
		c0 = (u128)c->col;
	if (c1 < c0)
		c1 = c0;
	if (c0 == c1)
		return add_part(c, (__u32)c0, st, cpu, (__u64)(B - A));
	err = add_part(c, (__u32)c0, st, cpu, (__u64)((c0 + 1) * g->span - A));
	if (!err)
		err = kt_rcols_flush(c);
	if (!err && c1 > c0 + 1)
		err = emit(c, (__u32)(c0 + 1), (__u32)(c1 - c0 - 1), st, false,
			   st == KT_RS_RUNNING ? cpu : KT_RCPU_NONE);
	if (!err)
		err = add_part(c, (__u32)c1, st, cpu, (__u64)(B - c1 * g->span));
	return err;
}

/* ----------------------------------------------------- syscall row */

void kt_rcov_init(struct kt_rcov *c)
{
	memset(c, 0, sizeof(*c));
	c->col = -1;
}

void kt_rcov_release(struct kt_rcov *c)
{
	free(c->runs);
	kt_rcov_init(c);
}

static int cov_emit(struct kt_rcov *c, __u32 c0, __u32 n, unsigned lvl)
{
	struct kt_rcrun *r = c->n ? &c->runs[c->n - 1] : NULL;

	if (r && r->c0 + r->n == c0 && r->lvl == lvl) {
		r->n += n;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4;
		struct kt_rcrun *p = realloc(c->runs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->runs = p;
		c->cap = cap;
	}
	c->runs[c->n++] = (struct kt_rcrun){ c0, n, (__u8)lvl };
	return 0;
}

/* the instants of the window in column @col: (t - from) * ncols within
 * [col * span, (col + 1) * span] */
static void cov_bounds(struct kt_rcov *c, const struct kt_rgeom *g)
{
	u128 lo = (u128)c->col * g->span, hi = lo + g->span;

	c->t0 = g->from + (__u64)((lo + g->ncols - 1) / g->ncols);
	c->t1 = g->from + (__u64)(hi / g->ncols);
	if (c->t1 > g->to)
		c->t1 = g->to;
}

int kt_rcov_flush(struct kt_rcov *c)
{
	int err = 0;

	if (c->col >= 0 && c->acc)
		err = cov_emit(c, (__u32)c->col, 1,
			       c->acc >= c->span - c->acc ? 2 : 1);
	c->col = -1;
	c->acc = 0;
	return err;
}

int kt_rcov_add(struct kt_rcov *c, const struct kt_rgeom *g, __u64 a,
		__u64 b)
{
	u128 A, B, c0, c1;
	int err;

	/* most syscalls are far shorter than a column: no division */
	if (c->col >= 0 && a >= c->t0 && b <= c->t1) {
		c->acc += (b - a) * g->ncols;
		return 0;
	}
	if (b <= g->from || a >= g->to || b <= a)
		return 0;
	c->span = g->span;
	A = scaled(g, a);
	B = scaled(g, b);
	c0 = A / g->span;
	c1 = (B - 1) / g->span;
	if ((__s64)c0 < c->col)
		c0 = (u128)c->col;
	if (c1 < c0)
		c1 = c0;
	if ((__s64)c0 != c->col) {
		if ((err = kt_rcov_flush(c)))
			return err;
		c->col = (__s64)c0;
		cov_bounds(c, g);
	}
	if (c0 == c1) {
		c->acc += A < c0 * g->span ? (__u64)(B - c0 * g->span) :
					     (__u64)(B - A);
		return 0;
	}
	c->acc += A < c0 * g->span ? g->span : (__u64)((c0 + 1) * g->span - A);
	if ((err = kt_rcov_flush(c)))
		return err;
	if (c1 > c0 + 1 &&
	    (err = cov_emit(c, (__u32)(c0 + 1), (__u32)(c1 - c0 - 1), 2)))
		return err;
	c->col = (__s64)c1;
	cov_bounds(c, g);
	c->acc = (__u64)(B - c1 * g->span);
	return 0;
}

/* ---------------------------------------------------------- coarsen */

/*
 * Runs are expanded to one entry a column (a picture has at most 16000),
 * then grouped in blocks of 2, 4, 8 ... columns until the runs they make
 * fit.  A column entry: state (0: none), mixed, cpu.
 */
struct colv {
	__u8 st, mixed;
	__u16 cpu;
};

static size_t block_runs(const struct colv *v, __u32 ncols, __u32 w,
			 struct kt_rrun *o, size_t max)
{
	size_t m = 0;

	for (__u32 b0 = 0; b0 < ncols; b0 += w) {
		__u32 cov[KT_RS_N] = { 0 }, b1 = b0 + w < ncols ? b0 + w : ncols;
		unsigned best = KT_RS_NONE, kinds = 0, cpu = KT_RCPU_NONE;
		bool mixed = false;

		for (__u32 c = b0; c < b1; c++) {
			kinds += v[c].st && !cov[v[c].st];
			cov[v[c].st]++;
			mixed |= v[c].mixed;
		}
		for (unsigned st = 1; st < KT_RS_N; st++)
			if (cov[st] > cov[best] ||
			    (cov[st] && cov[st] == cov[best] &&
			     tie_order[st] < tie_order[best]))
				best = st;
		if (best == KT_RS_NONE)
			continue;
		for (__u32 c = b0; c < b1 && cpu == KT_RCPU_NONE; c++)
			if (v[c].st == best)
				cpu = v[c].cpu;
		mixed |= kinds > 1;
		if (m && o[m - 1].c0 + o[m - 1].n == b0 && o[m - 1].st == best &&
		    o[m - 1].mixed == mixed && o[m - 1].cpu == cpu) {
			o[m - 1].n += b1 - b0;
			continue;
		}
		if (m == max)
			return max + 1;
		o[m++] = (struct kt_rrun){ b0, b1 - b0, (__u8)best, mixed,
					   (__u16)cpu };
	}
	return m;
}

size_t kt_rruns_coarsen(struct kt_rrun *r, size_t n, size_t max)
{
	__u32 ncols = n ? r[n - 1].c0 + r[n - 1].n : 0;
	struct colv *v;
	size_t m = n;

	if (n <= max || !max || !(v = calloc(ncols, sizeof(*v))))
		return n;
	for (size_t k = 0; k < n; k++)
		for (__u32 c = r[k].c0; c < r[k].c0 + r[k].n; c++)
			v[c] = (struct colv){ r[k].st, r[k].mixed, r[k].cpu };
	/* the runs found fit in r: each block run covers a run's start */
	for (__u32 w = 2; m > max; w *= 2)
		m = block_runs(v, ncols, w, r, max);
	free(v);
	return m;
}

size_t kt_rcruns_coarsen(struct kt_rcrun *r, size_t n, size_t max)
{
	__u32 ncols = n ? r[n - 1].c0 + r[n - 1].n : 0;
	__u8 *v;
	size_t m = n;

	if (n <= max || !max || !(v = calloc(ncols ? ncols : 1, 1)))
		return n;
	for (size_t k = 0; k < n; k++)
		memset(v + r[k].c0, r[k].lvl, r[k].n);
	for (__u32 w = 2; m > max; w *= 2) {
		m = 0;
		for (__u32 b0 = 0; b0 < ncols && m <= max; b0 += w) {
			__u32 b1 = b0 + w < ncols ? b0 + w : ncols, two = 0, any = 0;
			unsigned lvl;

			for (__u32 c = b0; c < b1; c++) {
				two += v[c] == 2;
				any += v[c] != 0;
			}
			if (!any)
				continue;
			lvl = 2 * two >= b1 - b0 ? 2 : 1;
			if (m && r[m - 1].c0 + r[m - 1].n == b0 && r[m - 1].lvl == lvl)
				r[m - 1].n += b1 - b0;
			else if (m < max)
				r[m++] = (struct kt_rcrun){ b0, b1 - b0, (__u8)lvl };
			else
				m = max + 1;
		}
	}
	free(v);
	return m;
}

/* --------------------------------------------------------------- axis */

static const struct { __u64 ns; const char *name; } units[] = {
	{ 1000000000ULL, "s" }, { 1000000ULL, "ms" }, { 1000ULL, "\u00b5s" },
	{ 1ULL, "ns" },
};

char *kt_rtick_label(char *buf, size_t sz, __u64 v, __u64 step, __u64 span)
{
	size_t u = 0;
	unsigned dec = 0;
	__u64 p = 1, frac;

	if (!v) {
		snprintf(buf, sz, "0");
		return buf;
	}
	while (u < 3 && units[u].ns > span)
		u++;
	/* the decimals @step needs in this unit: 10^dec * step is a
	 * multiple of the unit */
	while (dec < 9 && (step * p) % units[u].ns) {
		dec++;
		p *= 10;
	}
	if (!dec) {
		snprintf(buf, sz, "%llu %s", (unsigned long long)(v / units[u].ns),
			 units[u].name);
		return buf;
	}
	frac = v % units[u].ns * p / units[u].ns;
	snprintf(buf, sz, "%llu.%0*llu %s", (unsigned long long)(v / units[u].ns),
		 (int)dec, (unsigned long long)frac, units[u].name);
	return buf;
}

size_t kt_rticks(__u64 span, float px, float size, struct kt_rtick *t,
		 size_t max, __u64 *step)
{
	static const unsigned m[] = { 1, 2, 5 };
	char widest[32];
	__u64 st = 0, pow = 1;
	size_t n = 0;

	if (!span || px <= 0 || !max)
		return 0;
	for (int k = 0; k < 19 && !st; k++, pow *= 10) {
		for (size_t i = 0; i < 3 && !st; i++) {
			__u64 s = m[i] * pow;
			float w;

			if (span / s + 1 > max)
				continue;
			/* the widest label is the last one's or close */
			kt_rtick_label(widest, sizeof(widest), span / s * s, s,
				       span);
			w = kt_scene_text_width(strlen(widest), size);
			if ((double)s * px / (double)span >= w + 2 * size)
				st = s;
		}
		if (pow > ~0ULL / 10)
			break;
	}
	if (!st)
		st = span;
	for (__u64 v = 0; v <= span && n < max; v += st) {
		t[n].ns = v;
		kt_rtick_label(t[n].label, sizeof(t[n].label), v, st, span);
		n++;
		if (v > ~0ULL - st)
			break;
	}
	*step = st;
	return n;
}
