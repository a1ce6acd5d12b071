// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * time.c - libFuzzer target for the syntax of the selections every
 * reading command takes: times (--from/--to, why --at: kt_time_parse,
 * relative, on the capture clock, or ISO-8601 wall clock through the
 * clock anchors, with and without anchors), durations
 * (kt_duration_parse), ids (--pid/--tid: kt_id_parse, one or a
 * comma-separated list as summary takes) and families (-e:
 * kt_families_parse).  The input is one argument.
 */
#include <jansson.h>
#include "format/format.h"
#include "tests/fuzz/fuzz.h"

#define T0 1000000000000ULL

static json_t *anchors_meta(void)
{
	/* two anchors a second apart, the clock slewed by 7 ns between */
	return json_pack("{s:{s:[{s:I, s:I, s:I}, {s:I, s:I, s:I}]}}",
			 "clock", "anchors",
			 "mono_ns", (json_int_t)T0,
			 "realtime_ns", (json_int_t)1795428000000000000LL,
			 "boottime_ns", (json_int_t)T0,
			 "mono_ns", (json_int_t)(T0 + 1000000000),
			 "realtime_ns", (json_int_t)1795428001000000007LL,
			 "boottime_ns", (json_int_t)(T0 + 1000000000));
}

static void times(const char *s, const json_t *meta)
{
	struct kt_anchors an;
	char buf[64];
	__s64 wall;
	__u64 ts;

	if (kt_time_parse(s, meta, T0, &ts))
		return;
	if (!kt_anchors_init(&an, meta) && !kt_anchors_to_wall(&an, ts, &wall))
		kt_wall_fmt(buf, sizeof(buf), wall);
	kt_anchors_release(&an);
}

static void ids(const char *s)
{
	char *copy = strdup(s), *save = NULL, *p;
	__u32 v;

	kt_id_parse(s, &v);
	for (p = copy ? strtok_r(copy, ",", &save) : NULL; p;
	     p = strtok_r(NULL, ",", &save))
		kt_id_parse(p, &v);
	free(copy);
}

KT_FUZZ_TARGET(time)
{
	static json_t *meta;
	char *s = fuzz_str(data, size), bad[64];
	__u64 v;

	if (!s)
		return 0;
	if (!meta)
		meta = anchors_meta();
	times(s, meta);
	times(s, NULL);
	kt_duration_parse(s, &v);
	kt_families_parse(s, &v, bad, sizeof(bad));
	kt_families_parse(s, &v, NULL, 0);
	ids(s);
	free(s);
	return 0;
}
