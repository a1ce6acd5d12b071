// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_write.c - `kt-test-tool bench_write IN OUT [--zstd L]`: write the
 * events of capture IN again into OUT, timing only the writer (string
 * interning included, as in a recording): writer events/s and bytes/event
 * on real data.  IN is read into memory first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format_int.h"
#include "tool.h"

struct sref {
	__u32 off, len;
};

/* CPU time of this thread: the machine may be shared */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

KT_TOOL(bench_write, "IN OUT [--zstd L]")
{
	struct kt_writer_opts o = { 0 };
	struct kt_writer_stats st;
	struct kt_reader *r;
	struct kt_writer *w;
	const struct kt_event *ev;
	struct kt_event *evs = NULL;
	struct sref *refs = NULL;       /* 3 per event: the *_str fields */
	struct kt_buf strs = { 0 };
	struct kt_err err;
	size_t n = 0, cap = 0;
	double t0, t1;
	int rc;

	if (argc < 3)
		return 2;
	if (argc == 5 && !strcmp(argv[3], "--zstd"))
		o.zstd_level = (int)strtol(argv[4], NULL, 10);
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		const struct kt_kind_info *ki = kt_kind_info(ev->kind);
		unsigned s = 0;

		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			evs = realloc(evs, cap * sizeof(*evs));
			refs = realloc(refs, cap * 3 * sizeof(*refs));
			if (!evs || !refs)
				return 2;
		}
		evs[n] = *ev;
		memset(&refs[n * 3], 0, 3 * sizeof(*refs));
		for (unsigned f = 0; f < ki->nfields && s < 3; f++) {
			size_t len;
			const char *p;

			if (ki->fields[f].enc != KT_ENC_STR)
				continue;
			p = kt_event_str(ev, kt_field_get(ev, &ki->fields[f]).u, &len);
			refs[n * 3 + s].off = strs.len;
			refs[n * 3 + s].len = len;
			kt_buf_put(&strs, p, len);
			s++;
		}
		n++;
	}
	if (rc) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	if (kt_writer_open(&w, argv[2], &o, kt_reader_meta(r)))
		return 2;
	kt_reader_close(r);
	t0 = now();
	for (size_t i = 0; i < n && !rc; i++) {
		struct kt_event e = evs[i];
		const struct kt_kind_info *ki = kt_kind_info(e.kind);
		unsigned s = 0;

		for (unsigned f = 0; f < ki->nfields && s < 3; f++) {
			const struct sref *sr;

			if (ki->fields[f].enc != KT_ENC_STR)
				continue;
			sr = &refs[i * 3 + s++];
			kt_field_set(&e, &ki->fields[f],
				     kt_writer_str(w, strs.p + sr->off, sr->len));
		}
		rc = kt_writer_add(w, &e);
		/* a flush a second of capture time, as the recorder does */
		if (!rc && i + 1 < n && evs[i + 1].ts / 1000000000 != e.ts / 1000000000)
			rc = kt_writer_flush(w);
	}
	kt_writer_stats(w, &st);
	rc = rc ?: kt_writer_close(w, NULL);
	t1 = now();
	printf("bench_write: %zu events in %.3f s of cpu: %.2f M events/s; %llu frames\n",
	       n, t1 - t0, n / (t1 - t0) / 1e6, (unsigned long long)st.frames);
	free(evs);
	free(refs);
	kt_buf_release(&strs);
	return rc ? 2 : 0;
}
