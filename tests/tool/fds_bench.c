// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds_bench.c - kt-test-tool fds_pass: the fd resolver's pass over a
 * capture (tests/bench/analyze.sh): the records it reads (syscall, proc,
 * tcp, lost: kt_fds_kinds) fed from the start, as `why` and `timeline`
 * do before naming the fds of what they print, and replay's follower as
 * it reads ahead.  Prints "events N seconds S events/s R" and the
 * resolver's high-water marks.  fdsnap: the recorder's snapshot of the
 * fds open on the whole host (what a host-wide recording stores as
 * proc.fds): processes, fds, bytes of JSON, time taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format.h"
#include "analyze/fds.h"
#include "record/record_int.h"
#include "tool.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

KT_TOOL(fds_pass, "FILE: feed the fd resolver every record it reads")
{
	const struct kt_event *ev;
	struct kt_fds_opts o;
	struct kt_fds_stats st;
	struct kt_reader *r;
	struct kt_fds *f;
	struct kt_info info;
	struct kt_err err;
	__u64 done;
	double t0, t;
	int rc;

	if (argc != 2)
		return 2;
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	t0 = now();
	kt_reader_info(r, &info);
	kt_fds_opts_meta(&o, kt_reader_meta(r), &info);
	f = kt_fds_new(&o);
	if (!f || kt_fds_snapshot(f, kt_reader_meta(r), &done))
		return 3;
	kt_reader_filter(r, kt_fds_kinds(), 0, 0);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1)
		if (kt_fds_feed(f, ev))
			return 3;
	t = now() - t0;
	if (rc < 0)
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
	kt_fds_stats(f, &st);
	printf("events %llu seconds %.3f events/s %.0f of %llu in the capture\n",
	       (unsigned long long)st.events, t, st.events / t,
	       (unsigned long long)info.events);
	printf("peak processes %llu entries %llu bytes %llu; dropped %llu stale %llu fd_args %d\n",
	       (unsigned long long)st.peak_procs, (unsigned long long)st.peak_binds,
	       (unsigned long long)st.peak_bytes, (unsigned long long)st.dropped,
	       (unsigned long long)st.stale, o.fd_args);
	kt_fds_free(f);
	kt_reader_close(r);
	return rc < 0 ? 2 : 0;
}

KT_TOOL(fdsnap, ": the fds open on the whole host, as record snapshots them")
{
	double t0 = now(), t;
	json_t *o = kt_fd_snapshot(NULL, NULL, 0), *p, *v;
	size_t fds = 0;
	const char *k;
	char *js;

	(void)argc;
	(void)argv;
	t = now() - t0;
	if (!o)
		return 3;
	p = json_object_get(o, "pids");
	json_object_foreach(p, k, v)
		fds += json_array_size(json_object_get(v, "fds"));
	js = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	printf("processes %zu fds %zu json_bytes %zu seconds %.4f\n",
	       json_object_size(p), fds, js ? strlen(js) : 0, t);
	free(js);
	json_decref(o);
	return 0;
}
