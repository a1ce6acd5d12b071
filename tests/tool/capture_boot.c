// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * capture_boot.c - kt-test-tool other_boot IN OUT BOOT_ID SHIFT_NS
 * SKEW_NS: copy the capture IN to OUT as if another machine had recorded
 * it: host.boot_id set to BOOT_ID, host.id removed, and its wall clock
 * moved: every clock anchor (metadata clock.anchors and the KT_CLOCK_SYNC
 * events) gets SHIFT_NS added to its realtime, plus SKEW_NS spread
 * linearly over the capture (a wall clock that ran SKEW_NS fast from the
 * first event to the last).  Capture-clock times are left alone, so
 * `ktrail merge` of IN and OUT must find an offset of -SHIFT_NS (give or
 * take the skew) and an uncertainty of half the skew.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/format.h"
#include "tool.h"

struct skew {
	__s64 shift, skew;
	__u64 first, last;
};

static __s64 moved(const struct skew *k, __u64 mono, __s64 real)
{
	__u64 span = k->last > k->first ? k->last - k->first : 1;
	__u64 at = mono < k->first ? 0 : mono > k->last ? span : mono - k->first;

	return real + k->shift + (__s64)((__int128)k->skew * at / span);
}

static void move_anchors(json_t *meta, const struct skew *k)
{
	json_t *arr = json_object_get(json_object_get(meta, "clock"), "anchors");
	json_t *a;
	size_t i;

	if (json_is_object(arr)) {
		json_object_set_new(json_object_get(meta, "clock"), "anchors",
				    json_pack("[O]", arr));
		arr = json_object_get(json_object_get(meta, "clock"), "anchors");
	}
	json_array_foreach(arr, i, a) {
		json_int_t m = json_integer_value(json_object_get(a, "mono_ns"));
		json_int_t r = json_integer_value(json_object_get(a, "realtime_ns"));

		json_object_set_new(a, "realtime_ns",
				    json_integer(moved(k, (__u64)m, r)));
	}
}

KT_TOOL(other_boot, "IN OUT BOOT_ID SHIFT_NS SKEW_NS: copy IN as another machine's capture")
{
	struct kt_reader *r = NULL;
	struct kt_writer *w = NULL;
	const struct kt_event *ev;
	struct kt_err err = { 0 };
	struct kt_info in;
	struct skew k;
	json_t *meta = NULL;
	int rc;

	if (argc != 6) {
		fprintf(stderr, "usage: kt-test-tool other_boot IN OUT BOOT_ID SHIFT_NS SKEW_NS\n");
		return 2;
	}
	k.shift = strtoll(argv[4], NULL, 10);
	k.skew = strtoll(argv[5], NULL, 10);
	rc = kt_reader_open(&r, argv[1], 0, &err);
	if (!rc) {
		kt_reader_info(r, &in);
		k.first = in.first_ts;
		k.last = in.last_ts;
		meta = json_deep_copy(kt_reader_meta(r));
		rc = meta ? 0 : -ENOMEM;
	}
	if (!rc) {
		json_t *host = json_object_get(meta, "host");

		json_object_set_new(host, "boot_id", json_string(argv[3]));
		json_object_del(host, "id");
		move_anchors(meta, &k);
		rc = kt_writer_open(&w, argv[2], NULL, meta);
	}
	if (!rc)
		rc = kt_tasks_foreach(kt_reader_tasks(r), kt_tool_snapshot_task, w);
	while (!rc && (rc = kt_reader_next(r, &ev, &err)) > 0) {
		struct kt_event c = *ev;

		if (c.kind == KT_CLOCK_SYNC)
			c.clk.realtime_ns = (__u64)moved(&k, c.ts,
						(__s64)c.clk.realtime_ns);
		rc = kt_tool_copy_event(w, &c);
	}
	if (!rc) {
		rc = kt_writer_close(w, NULL);
		w = NULL;
	}
	json_decref(meta);
	kt_writer_abort(w);
	kt_reader_close(r);
	if (rc) {
		fprintf(stderr, "kt-test-tool other_boot: %s\n",
			err.msg[0] ? err.msg : strerror(-rc));
		return 1;
	}
	return 0;
}
