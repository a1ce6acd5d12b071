// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_read.c - `kt-test-tool bench_read FILE MODE`: reader figures for
 * tests/bench/format.sh.  MODE is "all" (every event to a sink: events/s
 * of wall and CPU time), "info" (open + kt_reader_info: time and bytes
 * read), "seek" (open, seek to the middle, one event: time, bytes read,
 * frames decoded), "seeks" (one at each tenth) or "tasks" (every event,
 * then what the reader's task table holds, by kt_tasks_stats).
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "format/format.h"
#include "tool.h"

static double wall(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One event at each tenth of @r's time, a line per seek. */
static int seeks(struct kt_reader *r, const struct kt_info *info,
		 struct kt_err *err)
{
	static const int at[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5 };
	const struct kt_event *ev;
	struct kt_read_stats a, b;
	__u64 span = info->last_ts - info->first_ts;

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		__u64 ts = info->first_ts + span / 10 * at[i];
		double w0 = wall();

		kt_reader_stats(r, &a);
		if (kt_reader_seek(r, ts, err) || kt_reader_next(r, &ev, err) < 0)
			return -1;
		kt_reader_stats(r, &b);
		printf("seek %d/10: %.6f s, %llu bytes read, %llu frames decoded, "
		       "%llu skimmed\n", at[i], wall() - w0,
		       (unsigned long long)(b.bytes_read - a.bytes_read),
		       (unsigned long long)(b.frames_decoded - a.frames_decoded),
		       (unsigned long long)(b.frames_skimmed - a.frames_skimmed));
	}
	return 0;
}

/* tasks_line - the task table's accounting after reading all of @r. */
static int tasks_line(struct kt_reader *r, struct kt_err *err)
{
	const struct kt_event *ev;
	struct kt_tasks_stats ts;
	int rc;

	while ((rc = kt_reader_next(r, &ev, err)) == 1)
		;
	if (rc < 0)
		return rc;
	kt_tasks_stats(kt_reader_tasks(r), &ts);
	printf("tasks: %u threads, %zu bytes held (%zu a thread), %u distinct "
	       "strings of %zu bytes\n", ts.tasks, ts.bytes,
	       ts.tasks ? ts.bytes / ts.tasks : 0, ts.strings, ts.string_bytes);
	return 0;
}

KT_TOOL(bench_read, "FILE all|info|seek|seeks|tasks")
{
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_read_stats st;
	struct kt_info info;
	struct kt_err err;
	double w0, c0, w1, c1;
	__u64 n = 0, sink = 0;
	int rc;

	if (argc != 3)
		return 2;
	w0 = wall();
	c0 = cpu();
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	kt_reader_info(r, &info);
	if (!strcmp(argv[2], "seeks") || !strcmp(argv[2], "tasks")) {
		rc = !strcmp(argv[2], "seeks") ? seeks(r, &info, &err) :
		     tasks_line(r, &err);
		if (rc)
			kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		kt_reader_close(r);
		return rc ? 2 : 0;
	} else if (!strcmp(argv[2], "seek")) {
		rc = kt_reader_seek(r, info.first_ts + (info.last_ts - info.first_ts) / 2,
				    &err);
		if (!rc)
			rc = kt_reader_next(r, &ev, &err) < 0;
		n = 1;
	} else if (!strcmp(argv[2], "all")) {
		while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
			sink += ev->ts ^ ev->tid ^ ev->raw[0];
			n++;
		}
	} else {
		rc = 0;
	}
	w1 = wall();
	c1 = cpu();
	if (rc < 0) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	kt_reader_stats(r, &st);
	printf("%s: %llu events, %.6f s wall, %.6f s cpu, %.2f M events/s (cpu), "
	       "%llu bytes read of %llu, %llu frames decoded, %llu skimmed "
	       "(sink %llx)\n", argv[2], (unsigned long long)n, w1 - w0, c1 - c0,
	       c1 > c0 ? n / (c1 - c0) / 1e6 : 0.0,
	       (unsigned long long)st.bytes_read,
	       (unsigned long long)info.file_bytes,
	       (unsigned long long)st.frames_decoded,
	       (unsigned long long)st.frames_skimmed, (unsigned long long)sink);
	kt_reader_close(r);
	return 0;
}
