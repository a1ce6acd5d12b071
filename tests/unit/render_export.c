// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The SQLite export's arithmetic: the wall clock its views compute in SQL
 * is kt_anchors_to_wall's to the nanosecond, across anchors an hour apart
 * with drift either way (where a naive d * drift overflows 64 bits), and
 * 64-bit values keep their bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kt_test.h"
#include "format/format.h"
#include "render/render.h"

#define S 1000000000ULL

static json_t *anchors_meta(const struct kt_anchor *a, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I,s:I,s:I}",
			"mono_ns", (json_int_t)a[i].mono_ns,
			"realtime_ns", (json_int_t)a[i].real_ns,
			"boottime_ns", (json_int_t)a[i].boot_ns));
	return json_pack("{s:{s:o}}", "clock", "anchors", arr);
}

/* markers every @step from @from to @to, values @value */
static int write_capture(const char *path, json_t *meta, __u64 from, __u64 to,
			 __u64 step, __u64 value)
{
	struct kt_writer *w;
	int rc = kt_writer_open(&w, path, NULL, meta);

	for (__u64 t = from; !rc && t < to; t += step) {
		struct kt_event e = { .ts = t, .kind = KT_MARKER };

		e.mark.value = value;
		rc = kt_writer_add(w, &e);
	}
	return rc ? rc : kt_writer_close(w, NULL);
}

KT_TEST(render_export_wall_clock)
{
	const __s64 r0 = 1795428000LL * (__s64)S;
	/* 3 ms fast over the first hour, 2 s stepped back over the second,
	 * then 1.7 s fast over 40 s */
	struct kt_anchor a[] = {
		{ 1000 * S, r0, 0 },
		{ 4600 * S, r0 + 3600 * (__s64)S + 3000000, 0 },
		{ 8200 * S, r0 + 7198 * (__s64)S + 3000000, 0 },
		{ 8240 * S, r0 + 7239 * (__s64)S + 703000000, 0 },
	};
	char cap[512], db[512];
	struct kt_export_opts o = { 0 };
	struct kt_reader *r;
	struct kt_err err = { 0 };
	sqlite3 *d = NULL;
	sqlite3_stmt *st = NULL;
	json_t *meta = anchors_meta(a, 4);
	size_t rows = 0;
	__s64 w;
	int rc;

	snprintf(cap, sizeof(cap), "%s/wall.ktr", kt_test_tmpdir());
	snprintf(db, sizeof(db), "%s/wall.db", kt_test_tmpdir());
	rc = write_capture(cap, meta, 990 * S, 8300 * S, 7 * S + 123456789,
			   ~0ULL);
	json_decref(meta);
	KT_ASSERT(!rc, "write: %d", rc);
	KT_ASSERT(!kt_reader_open(&r, cap, 0, &err), "open: %s", err.msg);
	rc = kt_export_sqlite(r, db, &o, NULL, &err);
	KT_ASSERT(!rc, "export: %s", err.msg);
	KT_ASSERT(sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) ==
		  SQLITE_OK, "sqlite open");
	KT_ASSERT(sqlite3_prepare_v2(d, "SELECT e.ts, e.wall_ns, e.wall, "
				     "printf('%u', m.value) FROM events e "
				     "JOIN ev_marker m USING (id) ORDER BY id",
				     -1, &st, NULL) == SQLITE_OK,
		  "prepare: %s", sqlite3_errmsg(d));
	while (sqlite3_step(st) == SQLITE_ROW) {
		__u64 ts = (__u64)sqlite3_column_int64(st, 0);
		char iso[64];

		KT_ASSERT(!kt_anchors_to_wall(kt_reader_anchors(r), ts, &w),
			  "to_wall");
		KT_ASSERT(sqlite3_column_type(st, 1) == SQLITE_INTEGER,
			  "wall_ns at %llu is not an integer", (unsigned long long)ts);
		KT_ASSERT(sqlite3_column_int64(st, 1) == w,
			  "wall_ns at %llu: SQL %lld, C %lld",
			  (unsigned long long)ts,
			  (long long)sqlite3_column_int64(st, 1), (long long)w);
		kt_wall_fmt(iso, sizeof(iso), w);
		KT_ASSERT(!strcmp((const char *)sqlite3_column_text(st, 2), iso),
			  "wall at %llu: %s, not %s", (unsigned long long)ts,
			  sqlite3_column_text(st, 2), iso);
		KT_ASSERT(!strcmp((const char *)sqlite3_column_text(st, 3),
				  "18446744073709551615"), "u64 kept its bits");
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(d);
	kt_reader_close(r);
	KT_ASSERT(rows > 1000, "only %zu rows", rows);
	return KT_PASS;
}
