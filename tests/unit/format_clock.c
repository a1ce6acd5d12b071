// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Clock anchors: capture clock <-> wall clock, the writer's anchor log,
 * and the anchors a writer, a flight dump and a recovery leave in the
 * metadata. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kt_test.h"
#include "format/format_int.h"

#define S 1000000000ULL

static json_t *meta_of(const struct kt_anchor *a, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I,s:I,s:I}",
			"mono_ns", (json_int_t)a[i].mono_ns,
			"realtime_ns", (json_int_t)a[i].real_ns,
			"boottime_ns", (json_int_t)a[i].boot_ns));
	return json_pack("{s:{s:o}}", "clock", "anchors", arr);
}

/* Two anchors an hour apart (given out of order) on a wall clock that ran
 * 3 ms fast over the hour: exact at the anchors, interpolated between
 * them, the offset of the nearest anchor outside them, never decreasing,
 * and the inverse finds the instant back. */
KT_TEST(format_anchors_interpolate)
{
	const __s64 r0 = 1795428000 * S;        /* 2026-11-23T10:00:00Z */
	struct kt_anchor in[] = {
		{ 1000 * S + 3600 * S, r0 + 3600 * S + 3000000, 0 },
		{ 1000 * S, r0, 1005 * S },
	};
	json_t *meta = meta_of(in, 2);
	struct kt_anchors an;
	__s64 w, prev = INT64_MIN;
	__u64 m;

	KT_ASSERT(kt_anchors_init(&an, meta) == 0 && an.n == 2, "init");
	KT_ASSERT(an.a[0].mono_ns == 1000 * S && an.a[0].boot_ns == 1005 * S,
		  "sorted");
	KT_ASSERT(!kt_anchors_to_wall(&an, 1000 * S, &w) && w == r0, "first");
	KT_ASSERT(!kt_anchors_to_wall(&an, 4600 * S, &w) &&
		  w == r0 + 3600 * S + 3000000, "second");
	KT_ASSERT(!kt_anchors_to_wall(&an, 2800 * S, &w) &&
		  w == r0 + 1800 * S + 1500000, "middle: %lld", (long long)(w - r0));
	/* outside: the nearest anchor's offset */
	KT_ASSERT(!kt_anchors_to_wall(&an, 999 * S, &w) && w == r0 - S,
		  "before first");
	KT_ASSERT(!kt_anchors_to_wall(&an, 4601 * S, &w) &&
		  w == r0 + 3601 * S + 3000000, "after last");
	KT_ASSERT(!kt_anchors_to_wall(&an, 0, &w) && w == r0 - 1000 * S,
		  "at zero");
	/* never decreasing, across both anchors, with ns steps around them */
	for (__u64 t = 990 * S; t < 4610 * S; t += 7 * S + 123457) {
		for (__u64 d = 0; d < 3; d++) {
			KT_ASSERT(!kt_anchors_to_wall(&an, t + d, &w), "wall");
			KT_ASSERT(w >= prev, "decreases at %llu",
				  (unsigned long long)(t + d));
			prev = w;
			/* the clock runs fast: every instant has its own wall
			 * time, so the inverse gives it back exactly */
			KT_ASSERT(!kt_anchors_to_mono(&an, w, &m) && m == t + d,
				  "inverse of %llu: %llu",
				  (unsigned long long)(t + d), (unsigned long long)m);
		}
	}
	prev = INT64_MIN;
	for (__u64 t = 1000 * S - 2; t < 1000 * S + 3; t++) {
		KT_ASSERT(!kt_anchors_to_wall(&an, t, &w) && w > prev,
			  "around the first anchor");
		prev = w;
	}
	KT_ASSERT(!kt_anchors_to_mono(&an, r0 - 1000 * S, &m) && m == 0, "zero");
	KT_ASSERT(kt_anchors_to_mono(&an, r0 - 1001 * S, &m) == -ERANGE,
		  "before capture clock 0");
	kt_anchors_release(&an);
	json_decref(meta);
	return KT_PASS;
}

/* A wall clock slower than the capture clock: several instants share a
 * wall time, and the inverse gives the first of them. */
KT_TEST(format_anchors_slow_clock)
{
	struct kt_anchor in[] = {
		{ 10 * S, 100 * S, 0 }, { 20 * S, 105 * S, 0 },
	};
	json_t *meta = meta_of(in, 2);
	struct kt_anchors an;
	__s64 w, w2;
	__u64 m;

	KT_ASSERT(kt_anchors_init(&an, meta) == 0, "init");
	KT_ASSERT(!kt_anchors_to_wall(&an, 15 * S, &w) && w == 102 * S + S / 2,
		  "half rate");
	KT_ASSERT(!kt_anchors_to_wall(&an, 15 * S + 1, &w2) && w2 == w,
		  "same wall time");
	KT_ASSERT(!kt_anchors_to_mono(&an, w, &m) && m == 15 * S, "first: %llu",
		  (unsigned long long)m);
	KT_ASSERT(!kt_anchors_to_mono(&an, w + 1, &m) && m == 15 * S + 2,
		  "next: %llu", (unsigned long long)m);
	kt_anchors_release(&an);
	json_decref(meta);
	return KT_PASS;
}

/* The system clock stepped back an hour between two anchors: a wall time
 * that came twice resolves to its first occurrence; later ones follow
 * the later anchors. */
KT_TEST(format_anchors_step_back)
{
	struct kt_anchor in[] = {
		{ 10 * S, 5000 * S, 0 }, { 20 * S, 5010 * S, 0 },
		{ 21 * S, 1411 * S, 0 }, { 30 * S, 1420 * S, 0 },
	};
	json_t *meta = meta_of(in, 4);
	struct kt_anchors an;
	__s64 w;
	__u64 m;

	KT_ASSERT(kt_anchors_init(&an, meta) == 0 && an.n == 4, "init");
	KT_ASSERT(!kt_anchors_to_wall(&an, 25 * S, &w) && w == 1415 * S, "after");
	KT_ASSERT(!kt_anchors_to_mono(&an, 1415 * S, &m) && m == 25 * S,
		  "inverse after the step: %llu", (unsigned long long)m);
	KT_ASSERT(!kt_anchors_to_mono(&an, 5005 * S, &m) && m == 15 * S,
		  "inverse before the step");
	KT_ASSERT(!kt_anchors_to_mono(&an, 5040 * S, &m) && m == 30 * S + 3620 * S,
		  "after the last");
	kt_anchors_release(&an);
	json_decref(meta);
	return KT_PASS;
}

/* Metadata without anchors (the older layout of three corpus captures,
 * hand-made metadata) says so; one anchor object (a start block) serves;
 * malformed entries are skipped. */
KT_TEST(format_anchors_missing)
{
	json_t *old = json_pack("{s:s,s:{s:I,s:I}}", "clock", "CLOCK_MONOTONIC",
				"clock_start", "monotonic_ns", (json_int_t)5,
				"realtime_ns", (json_int_t)7);
	json_t *one = json_pack("{s:{s:{s:I,s:I}}}", "clock", "anchors",
				"mono_ns", (json_int_t)100, "realtime_ns",
				(json_int_t)5000);
	json_t *bad = json_pack("{s:{s:[{s:s},{s:I}]}}", "clock", "anchors",
				"mono_ns", "x", "mono_ns", (json_int_t)1);
	struct kt_anchors an;
	char buf[40];
	__s64 w;
	__u64 m;

	KT_ASSERT(kt_anchors_init(&an, old) == -ENOENT && an.n == 0, "old");
	KT_ASSERT(kt_anchors_to_wall(&an, 5, &w) == -ENOENT, "old wall");
	KT_ASSERT(kt_anchors_to_mono(&an, 5, &m) == -ENOENT, "old mono");
	kt_anchors_release(&an);
	KT_ASSERT(kt_anchors_init(&an, NULL) == -ENOENT, "null");
	kt_anchors_release(&an);
	KT_ASSERT(kt_anchors_init(&an, bad) == -ENOENT, "malformed");
	kt_anchors_release(&an);
	KT_ASSERT(kt_anchors_init(&an, one) == 0 && an.n == 1, "one");
	KT_ASSERT(!kt_anchors_to_wall(&an, 50, &w) && w == 4950, "one: before");
	KT_ASSERT(!kt_anchors_to_wall(&an, 150, &w) && w == 5050, "one: after");
	KT_ASSERT(!kt_anchors_to_mono(&an, 5050, &m) && m == 150, "one: back");
	kt_anchors_release(&an);
	KT_ASSERT(kt_wall_fmt(buf, sizeof(buf), 1795428000 * S + 5) == 30 &&
		  !strcmp(buf, "2026-11-23T10:00:00.000000005Z"), "fmt '%s'", buf);
	KT_ASSERT(kt_wall_fmt(buf, sizeof(buf), -1) &&
		  !strcmp(buf, "1969-12-31T23:59:59.999999999Z"), "fmt '%s'", buf);
	KT_ASSERT(!kt_wall_fmt(buf, 10, 0) && !buf[0], "short buffer");
	/* the earliest wall clock a capture's anchors can give (UBSan found
	 * sec * 10^9 overflowing there) */
	KT_ASSERT(kt_wall_fmt(buf, sizeof(buf), INT64_MIN) &&
		  !strcmp(buf, "1677-09-21T00:12:43.145224192Z"), "fmt '%s'", buf);
	json_decref(old);
	json_decref(one);
	json_decref(bad);
	return KT_PASS;
}

/* a pseudo-random wall clock: steady stretches, slewing (NTP), noise of
 * +-100 ns per reading and a step */
static __s64 offset_at(unsigned i, unsigned *seed)
{
	__s64 off = 1795428000 * S - 1000 * S;

	*seed = *seed * 1103515245 + 12345;
	off += (__s64)(*seed >> 16) % 201 - 100;
	if (i > 600)            /* slewing 20 us a second for 300 s */
		off += 20000LL * ((i < 900 ? i : 900) - 600);
	if (i > 1800)           /* stepped forward 1.5 s */
		off += 1500000000LL;
	return off;
}

/* The anchor log thins a second-by-second stream to the anchors that
 * interpolation needs: every anchor it drops lies within the tolerance
 * of the interpolation between the kept ones. */
KT_TEST(format_anchor_log_thins)
{
	struct kt_anchor_log log = { 0 };
	struct kt_anchors an;
	unsigned seed = 1, n = 3600;
	json_t *meta = json_object();
	__s64 w;

	for (unsigned i = 0; i < n; i++) {
		struct kt_anchor a = { 1000 * S + (__u64)i * S, 0, 0 };

		a.real_ns = (__s64)a.mono_ns + offset_at(i, &seed);
		KT_ASSERT(kt_anchor_log_add(&log, &a) == 0, "add");
	}
	KT_ASSERT(kt_anchor_log_merge(&log, meta) == 0, "merge");
	KT_ASSERT(kt_anchors_init(&an, meta) == 0, "init");
	/* steady: 2 ends; the slew's start and end; around the step */
	KT_ASSERT(an.n >= 6 && an.n <= 40, "kept %zu of %u", an.n, n);
	KT_ASSERT(an.a[0].mono_ns == 1000 * S &&
		  an.a[an.n - 1].mono_ns == 1000 * S + (n - 1) * S, "ends");
	seed = 1;
	for (unsigned i = 0; i < n; i++) {
		__u64 mono = 1000 * S + (__u64)i * S;
		__s64 real = (__s64)mono + offset_at(i, &seed);

		KT_ASSERT(!kt_anchors_to_wall(&an, mono, &w), "wall");
		KT_ASSERT(w - real <= KT_ANCHOR_TOL_NS &&
			  real - w <= KT_ANCHOR_TOL_NS, "anchor %u off by %lld",
			  i, (long long)(w - real));
	}
	kt_anchors_release(&an);
	/* a steady clock costs two anchors */
	kt_anchor_log_release(&log);
	for (unsigned i = 0; i < 1000; i++) {
		struct kt_anchor a = { 5 * S + (__u64)i * S,
				       7 * S + (__s64)i * S, 0 };

		KT_ASSERT(kt_anchor_log_add(&log, &a) == 0, "add");
	}
	json_decref(meta);
	meta = json_object();
	KT_ASSERT(kt_anchor_log_merge(&log, meta) == 0 &&
		  json_array_size(json_object_get(json_object_get(meta, "clock"),
						  "anchors")) == 2, "steady");
	kt_anchor_log_release(&log);
	json_decref(meta);
	return KT_PASS;
}

static int add_sync(struct kt_writer *w, __u64 ts, __s64 real)
{
	struct kt_event e = { .ts = ts, .kind = KT_CLOCK_SYNC };

	e.clk.realtime_ns = (__u64)real;
	e.clk.boottime_ns = ts + 5;
	return kt_writer_add(w, &e);
}

/* The writer puts the anchors of the stream's clock_sync events next to
 * those of the metadata; a reader has them without reading a frame; a
 * capture whose end is missing gets them back from `recover`. */
KT_TEST(format_anchors_in_capture)
{
	const __s64 off = 1795428000 * S;
	json_t *start = json_pack("{s:{s:{s:I,s:I,s:I}}}", "clock", "anchors",
				  "mono_ns", (json_int_t)(10 * S),
				  "realtime_ns", (json_int_t)(off + 10 * S),
				  "boottime_ns", (json_int_t)0);
	struct kt_writer_opts o = { .frame_events = 4 };
	char path[256], rec[256];
	struct kt_recover_report rep;
	const struct kt_anchors *an;
	struct kt_reader *r;
	struct kt_writer *w;
	struct kt_err err;
	__s64 wall;

	snprintf(path, sizeof(path), "%s/anchors.ktr", kt_test_tmpdir());
	snprintf(rec, sizeof(rec), "%s/anchors-rec.ktr", kt_test_tmpdir());
	for (int pass = 0; pass < 2; pass++) {
		KT_ASSERT(kt_writer_open(&w, path, &o, start) == 0, "open");
		/* steady for 10 s, then the wall clock steps 1 s forward */
		for (int i = 0; i <= 20; i++)
			KT_ASSERT(add_sync(w, (11 + i) * S, off + (11 + i) * S +
					   (i > 10 ? S : 0)) == 0, "add");
		if (pass == 0) {
			KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
		} else {
			KT_ASSERT(kt_writer_flush(w) == 0, "flush");
			kt_writer_abort(w);     /* as a killed recorder */
			KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0,
				  "open killed: %s", err.msg);
			KT_ASSERT(kt_reader_anchors(r)->n == 1, "start only");
			kt_reader_close(r);
			KT_ASSERT(kt_recover(path, rec, &rep, &err) == 0,
				  "recover: %s", err.msg);
		}
		KT_ASSERT(kt_reader_open(&r, pass ? rec : path, 0, &err) == 0,
			  "reopen: %s", err.msg);
		an = kt_reader_anchors(r);
		/* the start anchor, 11 s, 21 s and 22 s around the step, 31 s */
		KT_ASSERT(an->n == 5 && an->a[0].mono_ns == 10 * S &&
			  an->a[1].mono_ns == 11 * S && an->a[2].mono_ns == 21 * S &&
			  an->a[3].mono_ns == 22 * S && an->a[4].mono_ns == 31 * S,
			  "pass %d: %zu anchors", pass, an->n);
		KT_ASSERT(an->a[1].boot_ns == 11 * S + 5, "boottime");
		KT_ASSERT(!kt_anchors_to_wall(an, 15 * S, &wall) &&
			  wall == off + 15 * S, "steady part");
		KT_ASSERT(!kt_anchors_to_wall(an, 21 * S + S / 2, &wall) &&
			  wall == off + 22 * S, "inside the step");
		KT_ASSERT(!kt_anchors_to_wall(an, 40 * S, &wall) &&
			  wall == off + 41 * S, "after the last");
		kt_reader_close(r);
	}
	json_decref(start);
	unlink(path);
	unlink(rec);
	return KT_PASS;
}

/* A flight dump carries the anchors its window needs: those before the
 * oldest frame kept are forgotten but for the last one, with the
 * metadata's older ones, so no interpolation spans what was forgotten. */
KT_TEST(format_anchors_flight)
{
	const __s64 off = 1795428000 * S;
	json_t *start = json_pack("{s:{s:{s:I,s:I}}}", "clock", "anchors",
				  "mono_ns", (json_int_t)(S / 2),
				  "realtime_ns", (json_int_t)(off + S / 2));
	struct kt_writer_opts o = { .frame_events = 4, .flight_ns = 5 * S };
	const struct kt_anchors *an;
	struct kt_reader *r;
	struct kt_writer *w;
	struct kt_err err;
	char path[256];
	__s64 wall;

	snprintf(path, sizeof(path), "%s/anchors-flight.ktr", kt_test_tmpdir());
	KT_ASSERT(kt_writer_open(&w, path, &o, start) == 0, "open");
	/* 1 s .. 20 s, the wall clock one second ahead from 10 s on */
	for (int i = 1; i <= 20; i++)
		KT_ASSERT(add_sync(w, i * S, off + i * S + (i >= 10 ? S : 0)) == 0,
			  "add");
	KT_ASSERT(kt_writer_dump(w, NULL, NULL) == 0, "dump");
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "reopen: %s", err.msg);
	an = kt_reader_anchors(r);
	/* frames 13-16 and 17-20 kept: the anchor at 10 s (the last before
	 * 13 s), 20 s; not 0.5 s, 1 s, 9 s */
	KT_ASSERT(an->n == 2 && an->a[0].mono_ns == 10 * S &&
		  an->a[1].mono_ns == 20 * S, "%zu anchors, first at %llu", an->n,
		  (unsigned long long)(an->n ? an->a[0].mono_ns : 0));
	KT_ASSERT(!kt_anchors_to_wall(an, 12 * S, &wall) &&
		  wall == off + 13 * S, "in the window");
	kt_reader_close(r);
	json_decref(start);
	unlink(path);
	return KT_PASS;
}
