// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Versioning: a frame as a later minor version might write it (an extra
 * global column, an extra column of a known kind, a kind this reader does
 * not know) and as an earlier one might (a kind with fewer columns).  The
 * reader skips what it does not know and reads zero for what is missing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "kt_test.h"
#include "format/format_int.h"

struct col {
	unsigned char b[64];
	size_t n;
};

static void uv(struct col *c, __u64 v)
{
	c->n = kt_put_uv(c->b + c->n, v) - c->b;
}

static void put_ent(struct kt_buf *h, const struct col *c)
{
	unsigned char e[KT_COL_ENT_SIZE];

	e[0] = KT_CODEC_RAW;
	kt_put32(e + 1, c->n);
	kt_put32(e + 5, c->n);
	kt_put32(e + 9, crc32(0, c->b, c->n));
	kt_buf_put(h, e, sizeof(e));
}

static void put_group(struct kt_buf *h, unsigned kind, unsigned ncols,
		      unsigned count, const struct col *cols)
{
	unsigned char g[8];

	kt_put16(g, kind);
	kt_put16(g + 2, ncols);
	kt_put32(g + 4, count);
	kt_buf_put(h, g, 8);
	for (unsigned i = 0; i < ncols; i++)
		put_ent(h, &cols[i]);
}

KT_TEST(format_minor_versions)
{
	struct col g[8] = { 0 }, sys[9] = { 0 }, rss[1] = { 0 }, unk[2] = { 0 };
	struct kt_buf hdr = { 0 }, pl = { 0 }, blk = { 0 };
	struct kt_fileout fo = { .fd = -1 };
	struct kt_frame_sum sum = { 0 };
	unsigned char fixed[KT_FRAME_HDR_FIXED] = { 0 };
	char path[256];
	json_t *meta = json_object();
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	static const unsigned kinds[] = { 9, 40, 18, 9 };
	static const unsigned cpus[] = { 0, 0, 1, 0 };

	/* global columns: kind, ts, tid (per-cpu delta), pid, cpu, two empty
	 * string columns, and an eighth this reader does not know */
	for (int i = 0; i < 4; i++) {
		uv(&g[0], kinds[i]);
		uv(&g[1], i ? 10 : 0);
		uv(&g[3], 0);
		uv(&g[4], cpus[i]);
	}
	uv(&g[2], kt_zz(5));
	uv(&g[2], 0);
	uv(&g[2], kt_zz(6));
	uv(&g[2], 0);
	uv(&g[7], 1234);
	/* syscall: its 8 columns and a ninth from the future */
	for (int row = 0; row < 2; row++) {
		uv(&sys[0], 1 + row * 100);     /* nr */
		uv(&sys[1], 2);                 /* dur */
		uv(&sys[2], kt_zz(-3));         /* ret */
		uv(&sys[3], 4);
		uv(&sys[4], 5);
		uv(&sys[5], 6);
		uv(&sys[6], 0);                 /* str */
		uv(&sys[7], 7);                 /* flags */
		uv(&sys[8], 99);
	}
	uv(&rss[0], 1);                         /* member; no bytes column */
	uv(&unk[0], 77);
	uv(&unk[1], 88);
	kt_put64(fixed, 100);
	kt_put64(fixed + 8, 130);
	kt_put32(fixed + 16, 4);
	kt_put16(fixed + 32, 8);
	kt_put16(fixed + 34, 3);
	kt_buf_put(&hdr, fixed, sizeof(fixed));
	for (int i = 0; i < 8; i++)
		put_ent(&hdr, &g[i]);
	put_group(&hdr, 9, 9, 2, sys);
	put_group(&hdr, 18, 1, 1, rss);
	put_group(&hdr, 40, 2, 1, unk);
	kt_buf_put(&pl, hdr.p, hdr.len);
	for (int i = 0; i < 8; i++)
		kt_buf_put(&pl, g[i].b, g[i].n);
	for (int i = 0; i < 9; i++)
		kt_buf_put(&pl, sys[i].b, sys[i].n);
	kt_buf_put(&pl, rss[0].b, rss[0].n);
	kt_buf_put(&pl, unk[0].b, unk[0].n);
	kt_buf_put(&pl, unk[1].b, unk[1].n);
	KT_ASSERT(kt_block_put(&blk, KT_BLK_FRAME, pl.p, pl.len, hdr.len) == 0,
		  "block");

	snprintf(path, sizeof(path), "%s/minor.ktr", kt_test_tmpdir());
	fo.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	sum.min_ts = 100;
	sum.max_ts = 130;
	sum.events = 4;
	sum.kind_mask = KT_KIND_BIT(9) | KT_KIND_BIT(18) | KT_KIND_BIT(40);
	sum.kind_count[9] = 2;
	sum.kind_count[18] = 1;
	KT_ASSERT(fo.fd >= 0 && kt_fo_header(&fo, meta) == 0 &&
		  kt_fo_frame(&fo, blk.p, blk.len, &sum) == 0 &&
		  kt_fo_finish(&fo, NULL) == 0, "write");
	close(fo.fd);
	kt_fo_release(&fo);

	for (unsigned flags = 0; flags <= KT_READ_SCAN; flags += KT_READ_SCAN) {
		KT_ASSERT(kt_reader_open(&r, path, flags, &err) == 0, "open: %s",
			  err.msg);
		KT_ASSERT(kt_reader_next(r, &ev, &err) == 1, "1: %s", err.msg);
		KT_ASSERT(ev->kind == KT_SYSCALL && ev->ts == 100 && ev->tid == 5 &&
			  ev->sys.nr == 1 && ev->sys.ret == -3 &&
			  ev->sys.arg[2] == 6 && ev->sys.flags == 7, "syscall 1");
		KT_ASSERT(kt_reader_next(r, &ev, &err) == 1, "2");
		KT_ASSERT(ev->kind == KT_RSS && ev->ts == 120 && ev->tid == 6 &&
			  ev->cpu == 1 && ev->rss.member == 1 && ev->rss.bytes == 0,
			  "rss: missing column reads 0");
		KT_ASSERT(kt_reader_next(r, &ev, &err) == 1, "3");
		KT_ASSERT(ev->kind == KT_SYSCALL && ev->ts == 130 && ev->tid == 5 &&
			  ev->sys.nr == 101, "syscall 2");
		KT_ASSERT(kt_reader_next(r, &ev, &err) == 0, "end: %s", err.msg);
		kt_reader_close(r);
	}
	json_decref(meta);
	kt_buf_release(&hdr);
	kt_buf_release(&pl);
	kt_buf_release(&blk);
	return KT_PASS;
}
