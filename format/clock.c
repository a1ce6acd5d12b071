// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * clock.c - the capture clock and the wall clock: the anchors that tie
 * them (format.h "wall clock"), the conversion both ways by interpolating
 * between the two anchors around an instant, and the writer's log that
 * keeps the stream's KT_CLOCK_SYNC anchors for the end metadata
 * (docs/format.md "Clock anchors").
 */
#include <stdlib.h>
#include <time.h>
#include "format_int.h"

/* ------------------------------------------------------ anchors in JSON */

static int anchor_of_json(const json_t *o, struct kt_anchor *a)
{
	const json_t *m = json_object_get(o, "mono_ns");
	const json_t *r = json_object_get(o, "realtime_ns");
	const json_t *b = json_object_get(o, "boottime_ns");

	if (!json_is_integer(m) || !json_is_integer(r) ||
	    json_integer_value(m) < 0)
		return -EINVAL;
	a->mono_ns = (__u64)json_integer_value(m);
	a->real_ns = json_integer_value(r);
	a->boot_ns = json_is_integer(b) && json_integer_value(b) > 0 ?
		     (__u64)json_integer_value(b) : 0;
	return 0;
}

static json_t *anchor_json(const struct kt_anchor *a)
{
	return json_pack("{s:I,s:I,s:I}", "mono_ns", (json_int_t)a->mono_ns,
			 "realtime_ns", (json_int_t)a->real_ns,
			 "boottime_ns", (json_int_t)a->boot_ns);
}

static int cmp_anchor(const void *x, const void *y)
{
	const struct kt_anchor *a = x, *b = y;

	return a->mono_ns < b->mono_ns ? -1 : a->mono_ns > b->mono_ns;
}

/* sort_unique - sort by mono_ns and keep one anchor of an instant (two
 * would make a segment of zero length); returns how many are left. */
static size_t sort_unique(struct kt_anchor *a, size_t n)
{
	size_t out = 0;

	if (!n)
		return 0;
	qsort(a, n, sizeof(*a), cmp_anchor);
	for (size_t i = 0; i < n; i++)
		if (!out || a[i].mono_ns != a[out - 1].mono_ns)
			a[out++] = a[i];
	return out;
}

/* anchors_append_json - the anchors of clock.anchors in @meta (an array,
 * or one object as a start metadata block holds it) from capture-clock
 * instant @floor on, appended to @v.  Malformed entries are skipped.
 * Returns 0 or -ENOMEM. */
static int anchors_append_json(struct kt_anchors *v, const json_t *meta,
			       __u64 floor)
{
	const json_t *arr = json_object_get(json_object_get(meta, "clock"),
					    "anchors");
	size_t n = json_is_array(arr) ? json_array_size(arr) :
		   json_is_object(arr) ? 1 : 0;
	struct kt_anchor *p;

	if (!n)
		return 0;
	p = realloc(v->a, (v->n + n) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	v->a = p;
	for (size_t i = 0; i < n; i++)
		if (!anchor_of_json(json_is_array(arr) ?
				    json_array_get(arr, i) : arr, &p[v->n]) &&
		    p[v->n].mono_ns >= floor)
			v->n++;
	return 0;
}

int kt_anchors_init(struct kt_anchors *an, const json_t *meta)
{
	int rc;

	an->a = NULL;
	an->n = 0;
	rc = anchors_append_json(an, meta, 0);
	if (rc)
		return rc;
	an->n = sort_unique(an->a, an->n);
	return an->n ? 0 : -ENOENT;
}

void kt_anchors_release(struct kt_anchors *an)
{
	free(an->a);
	an->a = NULL;
	an->n = 0;
}

/* ----------------------------------------------------------- conversion */

/* div_floor - floor(a / b) for b > 0 (C division truncates toward 0). */
static __int128 div_floor(__int128 a, __int128 b)
{
	__int128 q = a / b;

	return q * b > a ? q - 1 : q;
}

/* seg - the index i of the last anchor with mono_ns <= @mono, or -1. */
static long seg(const struct kt_anchors *an, __u64 mono)
{
	size_t lo = 0, hi = an->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (an->a[mid].mono_ns <= mono)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

static int to_s64(__int128 v, __s64 *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return -ERANGE;
	*out = (__s64)v;
	return 0;
}

int kt_anchors_to_wall(const struct kt_anchors *an, __u64 mono, __s64 *wall)
{
	const struct kt_anchor *a, *b;
	long i;

	if (!an || !an->n)
		return -ENOENT;
	i = seg(an, mono);
	if (i < 0)              /* before the first: its offset */
		return to_s64((__int128)an->a[0].real_ns -
			      (__int128)(an->a[0].mono_ns - mono), wall);
	a = &an->a[i];
	if ((size_t)i == an->n - 1)     /* after the last: its offset */
		return to_s64((__int128)a->real_ns + (mono - a->mono_ns), wall);
	b = a + 1;
	/* floor((mono - a) * (b.real - a.real) / (b - a)): exact at both
	 * anchors, so the pieces join; non-decreasing while b.real >= a.real */
	return to_s64((__int128)a->real_ns +
		      div_floor((__int128)(mono - a->mono_ns) *
				   ((__int128)b->real_ns - a->real_ns),
				   (__int128)(b->mono_ns - a->mono_ns)), wall);
}

static int to_u64(__int128 v, __u64 *out)
{
	if (v < 0 || v > (__int128)UINT64_MAX)
		return -ERANGE;
	*out = (__u64)v;
	return 0;
}

int kt_anchors_to_mono(const struct kt_anchors *an, __s64 wall, __u64 *mono)
{
	const struct kt_anchor *a, *b;
	__int128 dr, y;

	if (!an || !an->n)
		return -ENOENT;
	/* the pieces in capture-clock order, the first that reaches @wall:
	 * before the first anchor, between two, after the last */
	if (wall < an->a[0].real_ns &&
	    !to_u64((__int128)an->a[0].mono_ns -
		    ((__int128)an->a[0].real_ns - wall), mono))
		return 0;
	for (size_t i = 0; i + 1 < an->n; i++) {
		a = &an->a[i];
		b = a + 1;
		dr = (__int128)b->real_ns - a->real_ns;
		if (wall < a->real_ns || wall > b->real_ns || dr < 0)
			continue;
		if (!dr)
			return to_u64(a->mono_ns, mono);
		/* the first instant whose wall time (kt_anchors_to_wall) is
		 * at or after @wall: ceil((wall - a.real) * (b - a) / dr) */
		y = (__int128)wall - a->real_ns;
		return to_u64((__int128)a->mono_ns +
			      -div_floor(-y * (__int128)(b->mono_ns -
							    a->mono_ns), dr),
			      mono);
	}
	a = &an->a[an->n - 1];
	if (wall < a->real_ns)
		return -ERANGE;
	return to_u64((__int128)a->mono_ns + ((__int128)wall - a->real_ns),
		      mono);
}

size_t kt_wall_fmt(char *buf, size_t n, __s64 wall)
{
	__s64 sec = (__s64)div_floor(wall, 1000000000);
	/* in 128 bits: sec * 10^9 is below INT64_MIN for the earliest walls */
	__s64 ns = (__s64)((__int128)wall - (__int128)sec * 1000000000);
	time_t t = (time_t)sec;
	struct tm tm;
	int len;

	if (!n)
		return 0;
	buf[0] = 0;
	if (!gmtime_r(&t, &tm))
		return 0;
	len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ",
		       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		       tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)ns);
	if (len < 0 || (size_t)len >= n) {
		buf[0] = 0;
		return 0;
	}
	return (size_t)len;
}

/* ---------------------------------------------------------- writer log */

/*
 * The log keeps an anchor only where interpolating between the kept ones
 * would miss it by more than KT_ANCHOR_TOL_NS, so that a steady clock
 * costs two anchors however long the recording, and a stepped or slewed
 * one the anchors around each change.  It tracks the corridor of slopes
 * (of the offset realtime - mono, per ns) that pass within the tolerance
 * of every anchor seen since the last kept one (a "swinging door"): a new
 * anchor may end the segment if the line to it stays in the corridor;
 * when it would not, the anchor before it is kept and starts the next
 * segment.  Every dropped anchor therefore lies within the tolerance of
 * the line between the kept anchors around it.
 */

/* slope_cmp - compare the slopes an/ad and bn/bd (ad, bd > 0); the
 * numerators and denominators stay below 2^62 (see far()). */
static int slope_cmp(__s64 an, __u64 ad, __s64 bn, __u64 bd)
{
	__int128 l = (__int128)an * bd, r = (__int128)bn * ad;

	return l < r ? -1 : l > r;
}

/* delta - how far @a is from the last kept anchor: @dx ns later, its
 * offset (realtime - mono) @dy ns larger.  Returns false when that is
 * too far to compare slopes exactly (not a real clock: keep it). */
static bool delta(const struct kt_anchor_log *l, const struct kt_anchor *a,
		  __u64 *dx, __s64 *dy)
{
	const struct kt_anchor *k = &l->a[l->n - 1];
	__int128 d = ((__int128)a->real_ns - k->real_ns) -
		     ((__int128)a->mono_ns - k->mono_ns);

	*dx = a->mono_ns - k->mono_ns;
	if (*dx >= (1ULL << 62) || d >= (1LL << 61) || d <= -(1LL << 61))
		return false;
	*dy = (__s64)d;
	return true;
}

static int log_keep(struct kt_anchor_log *l, const struct kt_anchor *a)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct kt_anchor *p = realloc(l->a, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->a = p;
		l->cap = cap;
	}
	l->a[l->n++] = *a;
	l->pending = false;
	l->lo_den = l->hi_den = 0;      /* the corridor is open again */
	return 0;
}

/* fits - the line from the last kept anchor to @a passes within the
 * tolerance of every anchor seen since the kept one. */
static bool fits(const struct kt_anchor_log *l, __u64 dx, __s64 dy)
{
	return (!l->lo_den || slope_cmp(dy, dx, l->lo_num, l->lo_den) >= 0) &&
	       (!l->hi_den || slope_cmp(dy, dx, l->hi_num, l->hi_den) <= 0);
}

/* narrow - intersect the corridor with the slopes that pass within the
 * tolerance of an anchor at (@dx, @dy). */
static void narrow(struct kt_anchor_log *l, __u64 dx, __s64 dy)
{
	__s64 lo = dy - KT_ANCHOR_TOL_NS, hi = dy + KT_ANCHOR_TOL_NS;

	if (!l->lo_den || slope_cmp(lo, dx, l->lo_num, l->lo_den) > 0) {
		l->lo_num = lo;
		l->lo_den = dx;
	}
	if (!l->hi_den || slope_cmp(hi, dx, l->hi_num, l->hi_den) < 0) {
		l->hi_num = hi;
		l->hi_den = dx;
	}
}

int kt_anchor_log_add(struct kt_anchor_log *l, const struct kt_anchor *a)
{
	__u64 last, dx;
	__s64 dy;
	int rc;

	if (!l->n)
		return log_keep(l, a);
	last = l->pending ? l->prev.mono_ns : l->a[l->n - 1].mono_ns;
	if (a->mono_ns <= last || !delta(l, a, &dx, &dy)) {
		/* out of order or absurd: keep both, kt_anchors_init sorts */
		if (l->pending && (rc = log_keep(l, &l->prev)))
			return rc;
		return log_keep(l, a);
	}
	if (l->pending && !fits(l, dx, dy)) {
		rc = log_keep(l, &l->prev);
		if (rc)
			return rc;
		if (!delta(l, a, &dx, &dy))
			return log_keep(l, a);
	}
	narrow(l, dx, dy);
	l->prev = *a;
	l->pending = true;
	return 0;
}

void kt_anchor_log_prune(struct kt_anchor_log *l, __u64 ts)
{
	size_t drop = 0;

	/* keep the last anchor at or before @ts, and the last kept one,
	 * which the corridor is measured from */
	while (drop + 1 < l->n && l->a[drop + 1].mono_ns <= ts)
		drop++;
	if (!drop)
		return;
	memmove(l->a, l->a + drop, (l->n - drop) * sizeof(*l->a));
	l->n -= drop;
	l->floor = l->a[0].mono_ns;
}

/* append_log - the logged anchors, the pending one too, appended to @v.
 * Returns 0 or -ENOMEM. */
static int append_log(struct kt_anchors *v, const struct kt_anchor_log *l)
{
	size_t n = l->n + l->pending;
	struct kt_anchor *p = realloc(v->a, (v->n + n) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	v->a = p;
	memcpy(p + v->n, l->a, l->n * sizeof(*p));
	if (l->pending)
		p[v->n + l->n] = l->prev;
	v->n += n;
	return 0;
}

int kt_anchor_log_merge(const struct kt_anchor_log *l, json_t *meta)
{
	struct kt_anchors v = { 0 };
	json_t *arr = NULL, *clock;
	int rc = -ENOMEM;

	if (!l->n)
		return 0;
	/* the metadata's anchors from before a prune would be interpolated
	 * with across the anchors the prune forgot */
	if (anchors_append_json(&v, meta, l->floor) || append_log(&v, l))
		goto out;
	v.n = sort_unique(v.a, v.n);
	arr = json_array();
	for (size_t i = 0; arr && i < v.n; i++)
		if (json_array_append_new(arr, anchor_json(&v.a[i])))
			goto out;
	clock = json_object_get(meta, "clock");
	if (!json_is_object(clock)) {
		clock = json_object();
		if (json_object_set_new(meta, "clock", clock))
			goto out;
	}
	if (!arr || json_object_set(clock, "anchors", arr))
		goto out;
	rc = 0;
out:
	json_decref(arr);
	kt_anchors_release(&v);
	return rc;
}

void kt_anchor_log_release(struct kt_anchor_log *l)
{
	free(l->a);
	memset(l, 0, sizeof(*l));
}
