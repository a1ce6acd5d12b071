// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * frame_stats.c - `kt-test-tool frame_stats FILE`: where the bytes of a
 * capture go.  Sums the column directory of every frame (headers only, no
 * decompression): per global column and per kind, raw and stored bytes,
 * and bytes per event of each kind's own columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/reader_int.h"
#include "tool.h"

static const char *const gnames[KT_NGCOL] = { "kind", "ts", "tid", "pid",
					      "cpu", "strlen", "strdata" };

KT_TOOL(frame_stats, "FILE [--columns]")
{
	struct kt_reader *r;
	struct kt_err err;
	__u64 graw[KT_NGCOL] = { 0 }, gst[KT_NGCOL] = { 0 };
	__u64 kraw[KT_KIND_MAX] = { 0 }, kst[KT_KIND_MAX] = { 0 };
	__u64 craw[KT_KIND_MAX][24] = { { 0 } }, cst[KT_KIND_MAX][24] = { { 0 } };
	__u64 cnt[KT_KIND_MAX] = { 0 }, total = 0, events = 0, hdr = 0;
	__u64 gtotal = 0;       /* global columns and headers: every event's */
	bool cols = argc > 2 && !strcmp(argv[2], "--columns");

	if (argc < 2 || kt_reader_open(&r, argv[1], 0, &err)) {
		if (argc >= 2)
			kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	for (size_t i = 0; i < r->nframes; i++) {
		const struct kt_fent *fe = &r->frames[i];
		unsigned char *buf;
		__u32 len, covered;
		struct kt_fhdr fh;

		if (kt_read_block(r, fe->off, KT_BLK_FRAME, &buf, &len, &covered,
				  &err) ||
		    kt_fhdr_parse(buf, covered, len, fe->off + 20, buf, &fh, &err)) {
			kt_err_print(stderr, "kt-test-tool", argv[1], &err);
			return 2;
		}
		hdr += covered + KT_BLOCK_HDR_SIZE;
		events += fh.nevents;
		for (unsigned c = 0; c < KT_NGCOL; c++) {
			graw[c] += fh.g[c].raw;
			gst[c] += fh.g[c].stored;
		}
		for (__u32 g = 0; g < fh.nkinds; g++) {
			const struct kt_kgroup *kg = &fh.groups[g];

			if (kg->kind >= KT_KIND_MAX)
				continue;
			cnt[kg->kind] += kg->count;
			for (__u32 c = 0; c < kg->ncols; c++) {
				kraw[kg->kind] += kg->cols[c].raw;
				kst[kg->kind] += kg->cols[c].stored;
				if (c < 24) {
					craw[kg->kind][c] += kg->cols[c].raw;
					cst[kg->kind][c] += kg->cols[c].stored;
				}
			}
		}
		kt_fhdr_release(&fh);
		free(buf);
	}
	total = hdr;
	for (unsigned c = 0; c < KT_NGCOL; c++)
		gtotal += gst[c];
	gtotal += hdr;
	printf("%-18s %12s %12s %8s %8s\n", "column", "raw", "stored", "raw/ev",
	       "B/ev");
	for (unsigned c = 0; c < KT_NGCOL; c++) {
		total += gst[c];
		printf("%-18s %12llu %12llu %8.3f %8.3f\n", gnames[c],
		       (unsigned long long)graw[c], (unsigned long long)gst[c],
		       events ? (double)graw[c] / events : 0,
		       events ? (double)gst[c] / events : 0);
	}
	printf("%-18s %12s %12llu %8s %8.3f\n", "frame headers", "",
	       (unsigned long long)hdr, "", events ? (double)hdr / events : 0);
	printf("\n%-18s %12s %12s %12s %8s %8s %9s\n", "kind (own columns)",
	       "events", "raw", "stored", "raw/ev", "B/ev", "+global");
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);
		unsigned h = kt_kind_hidden(k);

		if (!cnt[k])
			continue;
		total += kst[k];
		printf("%-18s %12llu %12llu %12llu %8.3f %8.3f %9.3f\n", ki->name,
		       (unsigned long long)cnt[k], (unsigned long long)kraw[k],
		       (unsigned long long)kst[k], (double)kraw[k] / cnt[k],
		       (double)kst[k] / cnt[k],
		       (double)kst[k] / cnt[k] + (double)gtotal / events);
		for (unsigned c = 0; cols && c < h + ki->nfields && c < 24; c++)
			printf("    %-14s %12s %12llu %12llu %8.3f %8.3f\n",
			       c < h ? "(hidden)" : ki->fields[c - h].name, "",
			       (unsigned long long)craw[k][c],
			       (unsigned long long)cst[k][c],
			       (double)craw[k][c] / cnt[k],
			       (double)cst[k][c] / cnt[k]);
	}
	printf("\ntotal %llu bytes in frames, %llu events, %.3f B/event\n",
	       (unsigned long long)total, (unsigned long long)events,
	       events ? (double)total / events : 0);
	kt_reader_close(r);
	return 0;
}
