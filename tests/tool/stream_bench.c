// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stream_bench.c - kt-test-tool subcommands for the replay benchmark
 * (tests/bench/analyze_replay.sh):
 *   stream_grow IN OUT --events N   a capture of at least N events made by
 *                                   repeating IN's events back to back in
 *                                   time (a real recording grown to size)
 *   stream_sink FILE [--text|--json|--text-bare]  read every event
 *                                   through the source interface (decode
 *                                   only, or also format into a buffer
 *                                   that is discarded: with fd and disk
 *                                   names as replay prints them, or bare
 *                                   numbers) and print "events N seconds S
 *                                   events/s R"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format.h"
#include "analyze/fds.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "analyze/replay.h"
#include "tool.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int add_task(const struct kt_task *t, void *w)
{
	return kt_writer_task(w, t);
}

/* Copy @ev into the writer with its strings re-interned and its time
 * moved by @shift. */
static int copy_event(struct kt_writer *w, const struct kt_event *ev,
		      __u64 shift)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	struct kt_event e = *ev;
	const char *s;
	size_t n;
	__u32 h;

	e.ts += shift;
	for (__u32 i = 0; ki && i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];

		if (f->type != KT_F_STR)
			continue;
		memcpy(&h, (const char *)ev + f->off, 4);
		s = kt_event_str(ev, h, &n);
		h = n ? kt_writer_str(w, s, n) : 0;
		if (h == UINT32_MAX)
			return -1;
		memcpy((char *)&e + f->off, &h, 4);
	}
	return kt_writer_add(w, &e);
}

/* One pass over @in, shifted by @shift; returns events written or -1. */
static long long grow_pass(const char *in, struct kt_writer *w, __u64 shift,
			   __u64 *next_flush, bool first)
{
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_err err;
	long long n = 0;
	int rc;

	if (kt_reader_open(&r, in, 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", in, &err);
		return -1;
	}
	if (first && kt_tasks_foreach(kt_reader_tasks(r), add_task, w)) {
		kt_reader_close(r);
		return -1;
	}
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		if (!first && ev->kind == KT_CLOCK_SYNC)
			continue;       /* anchors of the first pass stand */
		if (ev->ts + shift >= *next_flush) {
			if (kt_writer_flush(w))
				break;
			*next_flush = (ev->ts + shift) / 1000000000ULL *
				      1000000000ULL + 1000000000ULL;
		}
		if (copy_event(w, ev, shift))
			break;
		n++;
	}
	if (rc < 0)
		kt_err_print(stderr, "kt-test-tool", in, &err);
	kt_reader_close(r);
	return rc == 0 ? n : -1;
}

KT_TOOL(stream_grow, "IN OUT --events N: repeat IN's events up to N")
{
	struct kt_writer_opts wo = { 0 };
	struct kt_writer *w;
	struct kt_reader *r;
	struct kt_info info;
	struct kt_err err;
	unsigned long long want = 0, total = 0;
	__u64 span, shift = 0, next_flush = 0;
	long long n;
	json_t *meta;
	int rc = 0;

	if (argc != 5 || strcmp(argv[3], "--events") ||
	    !(want = strtoull(argv[4], NULL, 10))) {
		fprintf(stderr, "usage: kt-test-tool stream_grow IN OUT "
			"--events N\n");
		return 2;
	}
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	kt_reader_info(r, &info);
	meta = json_deep_copy(kt_reader_meta(r));
	kt_reader_close(r);
	span = info.last_ts - info.first_ts + 1000000;  /* 1 ms apart */
	if (!meta || kt_writer_open(&w, argv[2], &wo, meta)) {
		json_decref(meta);
		fprintf(stderr, "stream_grow: cannot create %s\n", argv[2]);
		return 3;
	}
	json_decref(meta);
	while (total < want) {
		n = grow_pass(argv[1], w, shift, &next_flush, shift == 0);
		if (n <= 0) {
			rc = 2;
			break;
		}
		total += n;
		shift += span;
	}
	if (kt_writer_close(w, NULL) && !rc)
		rc = 3;
	printf("events %llu\n", total);
	return rc;
}

KT_TOOL(stream_sink, "FILE [--text|--json|--text-bare]: read (and format) every event")
{
	bool bare = argc > 2 && !strcmp(argv[2], "--text-bare");
	bool text = bare || (argc > 2 && !strcmp(argv[2], "--text"));
	bool json = argc > 2 && !strcmp(argv[2], "--json");
	struct kt_replay_names nm = { 0 };
	const struct kt_event *ev;
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_out o;
	struct kt_err err;
	__u64 n = 0, sum = 0;
	double t0, t;
	int rc;

	if (argc < 2)
		return 2;
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	src = kt_source_reader(r);
	if (!src || kt_out_init(&o, -1, 1 << 20))
		return 3;
	t0 = now();
	/* the names replay prints with: disks, and fds followed on a
	 * reader of their own (part of the cost) */
	nm.disks = kt_disks_new(kt_reader_meta(r));
	if (((text && !bare) || json) && kt_fdnames_follow(&nm.fds, r, &err))
		return 3;
	if (!getenv("KT_NAMES_FOLLOW"))       /* as replay reads everything */
		kt_fdnames_inline(nm.fds);
	while ((rc = src->next(src, &ev, &err)) == 1) {
		sum += ev->ts ^ ev->tid;
		n++;
		kt_fdnames_see(nm.fds, ev);
		if (text)
			kt_replay_text(&o, ev, src->tasks(src), bare ? NULL : &nm);
		else if (json)
			kt_replay_json(&o, ev, src->tasks(src), &nm);
		else
			continue;
		if (o.len > (1 << 19)) {
			sum += (unsigned char)o.buf[o.len / 2];
			o.len = 0;
		}
	}
	t = now() - t0;
	if (rc < 0)
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
	printf("events %llu seconds %.3f events/s %.0f check %llu\n",
	       (unsigned long long)n, t, n / t, (unsigned long long)(sum & 0xff));
	kt_out_release(&o);
	kt_fdnames_free(nm.fds);
	kt_disks_free((struct kt_disks *)nm.disks);
	kt_source_free(src);
	kt_reader_close(r);
	return rc < 0 ? 2 : 0;
}
