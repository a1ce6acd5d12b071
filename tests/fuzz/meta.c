// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * meta.c - libFuzzer target for a capture's metadata (the JSON of its
 * META blocks, docs/format.md "META"): the input is parsed as the reader
 * parses a META block, then handed to everything that reads metadata:
 * the clock anchors (kt_anchors_init, wall-clock conversions and times),
 * the disk names (host.disks), the fd snapshot (proc.fds), the options
 * verify and the fd resolver take from it, the families a check needs,
 * and the merge of start and end metadata (kt_meta_merge, as the writer
 * and recover do).  Then a small capture is written with the input as
 * its end metadata through the real writer (which merges it into the
 * start metadata with the anchors of the stream), read back as the
 * commands open it, and summarized and checked (lost.*, record.*).
 */
#include <unistd.h>
#include <jansson.h>
#include "format/format_int.h"
#include "analyze/check.h"
#include "analyze/fds.h"
#include "analyze/names.h"
#include "analyze/summary.h"
#include "analyze/verify.h"
#include "tests/fuzz/fuzz.h"

#define T0 1000000000000ULL

static void anchors(const json_t *meta)
{
	static const __u64 at[] = { 0, T0 - 1, T0, T0 + 500000000, UINT64_MAX };
	struct kt_anchors an;
	char buf[64];
	__s64 wall;
	__u64 ts;

	if (!kt_anchors_init(&an, meta)) {
		for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
			if (!kt_anchors_to_wall(&an, at[i], &wall)) {
				kt_wall_fmt(buf, sizeof(buf), wall);
				kt_anchors_to_mono(&an, wall, &ts);
			}
		kt_anchors_to_mono(&an, INT64_MIN, &ts);
		kt_anchors_to_mono(&an, INT64_MAX, &ts);
	}
	kt_anchors_release(&an);
	kt_time_parse("2026-11-23T10:00:00.5Z", meta, T0, &ts);
	kt_time_parse("1970-01-01T00:00:00Z", meta, T0, &ts);
}

static void disks(const json_t *meta)
{
	static const __u32 devs[] = { 0, 8 << 20, (8 << 20) | 1,
				      (254 << 20) | 16, UINT32_MAX };
	struct kt_disks *d = kt_disks_new(meta);
	char buf[64];

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		kt_disks_name(d, devs[i]);
		kt_fmt_disk(buf, sizeof(buf), d, devs[i], i & 1);
	}
	kt_disks_free(d);
}

static void fds(const json_t *meta)
{
	struct kt_info info = { 0 };
	struct kt_fds_opts o;
	struct kt_fds *f;
	struct kt_fd fd;
	__u64 done;

	kt_fds_opts_meta(&o, meta, &info);
	f = kt_fds_new(&o);
	if (!f)
		return;
	if (!kt_fds_snapshot(f, meta, &done) && !kt_fds_advance(f, UINT64_MAX))
		for (__u32 pid = 0; pid < 4; pid++)
			for (__s32 n = -1; n < 4; n++)
				kt_fds_lookup(f, pid ? pid * 100 : 1, n,
					      UINT64_MAX, &fd);
	kt_fds_free(f);
}

static void judged(const json_t *meta)
{
	struct kt_verify_opts vo = { 0 };
	struct kt_check c;
	json_t *rules;
	char why[320];

	kt_verify_opts_meta(meta, &vo);
	rules = json_loads("{\"rules\": [{\"rule\": \"max-syscall\", \"ms\": 1},"
			   "{\"rule\": \"no-retransmits\"}, {\"rule\": "
			   "\"exit-codes\"}]}", 0, NULL);
	if (rules && !kt_check_parse(rules, &c, why, sizeof(why)))
		kt_check_missing(&c, meta, why, sizeof(why));
	kt_check_release(&c);
	json_decref(rules);
}

static void merges(const json_t *meta)
{
	json_t *start = json_pack("{s:s, s:{s:s}, s:{s:I}}", "ktrail_version",
				  "fuzz", "record", "families", "all", "lost",
				  "total", (json_int_t)0);
	json_t *mine = json_deep_copy(meta);

	if (start && mine) {
		kt_meta_merge(start, meta);     /* the input as end metadata */
		kt_meta_merge(mine, start);     /* ... as start metadata */
	}
	json_decref(start);
	json_decref(mine);
}

/* analyses - what the commands read of a capture's metadata. */
static void analyses(struct kt_reader *r)
{
	struct kt_summary s = { 0 };
	struct kt_check c;
	struct kt_err err;
	json_t *rules;
	char why[320];

	kt_reader_anchors(r);
	kt_summary_build(r, NULL, &s, &err);
	kt_summary_release(&s);
	rules = json_loads("{\"rules\": [{\"rule\": \"max-dropped\", "
			   "\"events\": 0}]}", 0, NULL);
	if (rules && !kt_check_parse(rules, &c, why, sizeof(why)) &&
	    !kt_reader_seek(r, 0, &err))
		kt_check_run(r, &c, &err);
	kt_check_release(&c);
	json_decref(rules);
}

static void written(const json_t *start, const json_t *end)
{
	struct kt_reader *r;
	struct kt_err err;
	int fd = fuzz_capture(start, end);

	if (fd < 0)
		return;
	if (!kt_reader_open_fd(&r, fd, "fuzz", 0, &err)) {
		anchors(kt_reader_meta(r));
		analyses(r);
		kt_reader_close(r);
	}
	close(fd);
}

KT_FUZZ_TARGET(meta)
{
	json_error_t je;
	json_t *meta = json_loadb((const char *)data, size, 0, &je);

	if (!json_is_object(meta)) {
		json_decref(meta);
		return 0;
	}
	anchors(meta);
	disks(meta);
	fds(meta);
	judged(meta);
	merges(meta);
	written(NULL, meta);
	json_decref(meta);
	return 0;
}
