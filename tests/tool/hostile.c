// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile.c - kt-test-tool hostile DIR [NAME...]: write the hand-made
 * hostile captures (issue 14, "Hostile input") into DIR as NAME.ktr, each
 * with valid checksums everywhere so that the reader meets the lie
 * itself, and print one line per file: "NAME.ktr: what it claims".
 * Without NAME, every case.  tests/cli/hostile.sh runs every reading
 * command on them.
 *
 * Every file is built from scratch: header, META, a TASKS keyframe (no
 * task), frames of one syscall event each, an end META, INDEX and
 * trailer, with the one part each case is about made hostile:
 *  - decompression bombs: a zstd column of a 1-row column that expands
 *    to 1 GiB (its zstd frame saying 1 byte, or not saying), a column
 *    claiming 4 GiB, a string column of 256 MiB (the limit) whose
 *    strings do not fill it, a TASKS block at its 256 MiB limit holding
 *    nothing but a 21 million task count, and one a byte over the limit;
 *  - a string id past the frame's string table;
 *  - index entries that overlap, point back at the metadata, at the
 *    index itself, or at a keyframe after their frame;
 *  - 2^32-1 counts: events, strings, tasks, frames, keyframes, index
 *    kinds; 65535 kind groups and columns;
 *  - metadata nested 100,000 levels deep, a META block of exactly its
 *    64 MiB limit (a valid capture) and one a byte over it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "format/format_int.h"
#include "tool.h"

#define T0 1000000000000ULL
#define MIB (1u << 20)

/* ------------------------------------------------------------ columns */

struct col {
	__u8 codec;
	__u32 raw;              /* the length claimed decompressed */
	const void *data;
	__u32 stored;
};

#define NGC KT_NGCOL

/* A frame of one syscall event (write, 5 ns, by task 100, with a string),
 * as the writer would encode it, with every count and column open to a
 * lie.  A syscall, so that every reading command reads it (commands skip
 * the frames of kinds they do not read). */
#define NKC 8                   /* nr dur ret arg0 arg1 arg2 str flags */
#define KC_DUR 1
#define KC_STR 6
struct fspec {
	__u64 min_ts, max_ts;
	__u32 n, s;
	__u16 nglobal, nkinds; /* as claimed in the header */
	struct col g[NGC];
	__u16 kind;
	__u16 ncols;            /* as claimed in the group */
	__u32 count;
	struct col k[NKC];
};

static const unsigned char c_kind[] = { KT_SYSCALL }, c_zero[] = { 0 },
	c_tid[] = { 0xc8, 0x01 /* zz(100) */ }, c_strlen[] = { 5 },
	c_strid[] = { 1 }, c_nr[] = { 1 /* write */ }, c_dur[] = { 5 };
static const char c_str[] = "hello";

static struct col raw_col(const void *p, __u32 n)
{
	struct col c = { KT_CODEC_RAW, n, p, n };
	return c;
}

static void frame_default(struct fspec *f, __u64 ts)
{
	memset(f, 0, sizeof(*f));
	f->min_ts = f->max_ts = ts;
	f->n = 1;
	f->s = 1;
	f->nglobal = NGC;
	f->nkinds = 1;
	f->g[KT_GCOL_KIND] = raw_col(c_kind, 1);
	f->g[KT_GCOL_TS] = raw_col(c_zero, 1);
	f->g[KT_GCOL_TID] = raw_col(c_tid, 2);
	f->g[KT_GCOL_PID] = raw_col(c_zero, 1);
	f->g[KT_GCOL_CPU] = raw_col(c_zero, 1);
	f->g[KT_GCOL_STRLEN] = raw_col(c_strlen, 1);
	f->g[KT_GCOL_STRDATA] = raw_col(c_str, 5);
	f->kind = KT_SYSCALL;
	f->ncols = NKC;
	f->count = 1;
	for (int i = 0; i < NKC; i++)
		f->k[i] = raw_col(c_zero, 1);
	f->k[0] = raw_col(c_nr, 1);
	f->k[KC_DUR] = raw_col(c_dur, 1);
	f->k[KC_STR] = raw_col(c_strid, 1);
}

static int put_ent(struct kt_buf *b, const struct col *c)
{
	unsigned char e[KT_COL_ENT_SIZE];

	e[0] = c->codec;
	kt_put32(e + 1, c->raw);
	kt_put32(e + 5, c->stored);
	kt_put32(e + 9, crc32(0, c->data, c->stored));
	return kt_buf_put(b, e, sizeof(e));
}

/* frame_payload - header, directory (the columns given: NGC global and
 * NKC of the group, whatever the counts claim), then the stored bytes. */
static int frame_payload(const struct fspec *f, struct kt_buf *b, __u32 *cov)
{
	unsigned char h[KT_FRAME_HDR_FIXED], g[8];
	int rc;

	kt_put64(h, f->min_ts);
	kt_put64(h + 8, f->max_ts);
	kt_put32(h + 16, f->n);
	kt_put32(h + 20, f->s);
	kt_put64(h + 24, 0);
	kt_put16(h + 32, f->nglobal);
	kt_put16(h + 34, f->nkinds);
	rc = kt_buf_put(b, h, sizeof(h));
	for (int i = 0; i < NGC && !rc; i++)
		rc = put_ent(b, &f->g[i]);
	kt_put16(g, f->kind);
	kt_put16(g + 2, f->ncols);
	kt_put32(g + 4, f->count);
	rc = rc ?: kt_buf_put(b, g, sizeof(g));
	for (int i = 0; i < NKC && !rc; i++)
		rc = put_ent(b, &f->k[i]);
	*cov = b->len;
	for (int i = 0; i < NGC && !rc; i++)
		rc = kt_buf_put(b, f->g[i].data, f->g[i].stored);
	for (int i = 0; i < NKC && !rc; i++)
		rc = kt_buf_put(b, f->k[i].data, f->k[i].stored);
	return rc;
}

/* --------------------------------------------------------------- file */

struct fent { __u64 off, len, min_ts, max_ts, mask; __u32 events, kf; };
struct kent { __u64 off, len, ts; };

struct out {
	struct kt_buf b;
	struct fent fe[4];
	struct kent ke[4];
	unsigned nf, nk;
	__u64 meta_off, end_meta_off;
	/* the index's counts as claimed (0: the real ones) */
	__u32 claim_nf, claim_nk, claim_nkinds;
	int err;
};

static __u64 block(struct out *o, __u32 type, const void *p, __u32 len,
		   __u32 cov)
{
	unsigned char h[KT_BLOCK_HDR_SIZE];
	__u64 off = o->b.len;

	kt_put32(h, type);
	kt_put32(h + 4, len);
	kt_put32(h + 8, cov);
	kt_put32(h + 12, crc32(0, p, cov));
	kt_put32(h + 16, crc32(0, h, 16));
	o->err = o->err ?: kt_buf_put(&o->b, h, sizeof(h)) ?:
		 kt_buf_put(&o->b, p, len);
	return off;
}

static void file_header(struct out *o)
{
	unsigned char h[KT_HEADER_SIZE] = { 0 };

	memcpy(h, KT_MAGIC, 8);
	kt_put16(h + 8, KT_FORMAT_MAJOR);
	kt_put16(h + 10, 2);
	kt_put32(h + 28, crc32(0, h, 28));
	o->err = kt_buf_put(&o->b, h, sizeof(h));
}

static const char std_meta[] =
	"{\"clock\":{\"anchors\":[{\"boottime_ns\":1000000000000,"
	"\"mono_ns\":1000000000000,\"realtime_ns\":1795428000000000000}],"
	"\"source\":\"CLOCK_MONOTONIC\"},\"host\":{\"cpus\":1,"
	"\"hostname\":\"hostile\"},\"ktrail_version\":\"0.1.0\","
	"\"record\":{\"families\":\"all\",\"scope\":\"host\"}}";

/* keyframe - a TASKS block: ts, codec, R, body. */
static void keyframe(struct out *o, __u8 codec, __u32 r, const void *body,
		     __u32 n)
{
	struct kt_buf p = { 0 };
	unsigned char h[13];

	kt_put64(h, T0);
	h[8] = codec;
	kt_put32(h + 9, r);
	if (kt_buf_put(&p, h, sizeof(h)) || kt_buf_put(&p, body, n)) {
		o->err = -ENOMEM;
	} else {
		o->ke[o->nk].off = block(o, KT_BLK_TASKS, p.p, p.len, p.len);
		o->ke[o->nk].len = KT_BLOCK_HDR_SIZE + p.len;
		o->ke[o->nk++].ts = T0;
	}
	kt_buf_release(&p);
}

/* A keyframe body of one task: next_utid 2, count 1, then utid 1, tid
 * and pid 100, ppid 1, start, end, exit code, flags (snapshot), comm
 * "hostile", exe, cmdline, cgroup. */
static const unsigned char one_task[] = {
	2, 0, 0, 0, 1, 0, 0, 0,
	1, 100, 100, 1, 0, 0, 0, KT_TASK_SNAPSHOT,
	7, 'h', 'o', 's', 't', 'i', 'l', 'e', 0, 0, 1, '/',
};

/* begin - header and start metadata (@meta NULL: std_meta), and unless
 * @no_kf an empty keyframe. */
static void begin(struct out *o, const char *meta, size_t mlen, bool no_kf)
{
	memset(o, 0, sizeof(*o));
	file_header(o);
	if (!meta) {
		meta = std_meta;
		mlen = strlen(std_meta);
	}
	o->meta_off = block(o, KT_BLK_META, meta, mlen, mlen);
	if (!no_kf)
		keyframe(o, KT_CODEC_RAW, sizeof(one_task), one_task, sizeof(one_task));
}

static void frame(struct out *o, const struct fspec *f)
{
	struct kt_buf p = { 0 };
	struct fent *e = &o->fe[o->nf++];
	__u32 cov;

	if (frame_payload(f, &p, &cov)) {
		o->err = -ENOMEM;
	} else {
		e->off = block(o, KT_BLK_FRAME, p.p, p.len, cov);
		e->len = KT_BLOCK_HDR_SIZE + p.len;
		e->min_ts = f->min_ts;
		e->max_ts = f->max_ts;
		e->mask = KT_KIND_BIT(KT_SYSCALL);
		e->events = f->n;
		e->kf = o->nk ? o->nk - 1 : KT_NO_KF;
	}
	kt_buf_release(&p);
}

/* end - the end metadata (unless @no_end_meta), index and trailer. */
static void end(struct out *o, bool no_end_meta)
{
	__u32 nkinds = KT_KIND_MAX;
	struct kt_buf p = { 0 };
	unsigned char x[KT_FENT_SIZE], t[KT_TRAILER_SIZE];
	__u64 ioff;

	if (!no_end_meta)
		o->end_meta_off = block(o, KT_BLK_META, std_meta,
					strlen(std_meta), strlen(std_meta));
	kt_put32(x, o->claim_nf ?: o->nf);
	kt_put32(x + 4, o->claim_nk ?: o->nk);
	kt_put32(x + 8, o->claim_nkinds ?: nkinds);
	kt_put32(x + 12, 0);
	kt_put64(x + 16, o->meta_off);
	kt_put64(x + 24, o->end_meta_off);
	o->err = o->err ?: kt_buf_put(&p, x, 32);
	for (__u32 k = 0; k < nkinds && !o->err; k++) {
		kt_put64(x, k == KT_SYSCALL ? o->nf : 0);
		o->err = kt_buf_put(&p, x, 8);
	}
	for (unsigned i = 0; i < o->nf && !o->err; i++) {
		kt_put64(x, o->fe[i].off);
		kt_put64(x + 8, o->fe[i].len);
		kt_put64(x + 16, o->fe[i].min_ts);
		kt_put64(x + 24, o->fe[i].max_ts);
		kt_put64(x + 32, 0);
		kt_put64(x + 40, o->fe[i].mask);
		kt_put32(x + 48, o->fe[i].events);
		kt_put32(x + 52, o->fe[i].kf);
		o->err = kt_buf_put(&p, x, KT_FENT_SIZE);
	}
	for (unsigned i = 0; i < o->nk && !o->err; i++) {
		kt_put64(x, o->ke[i].off);
		kt_put64(x + 8, o->ke[i].len);
		kt_put64(x + 16, o->ke[i].ts);
		o->err = kt_buf_put(&p, x, KT_KENT_SIZE);
	}
	ioff = block(o, KT_BLK_INDEX, p.p, p.len, p.len);
	memcpy(t, KT_TRAILER_MAGIC, 8);
	kt_put64(t + 8, ioff);
	kt_put64(t + 16, KT_BLOCK_HDR_SIZE + p.len);
	kt_put32(t + 24, 0);
	kt_put32(t + 28, crc32(0, t, 28));
	o->err = o->err ?: kt_buf_put(&o->b, t, sizeof(t));
	kt_buf_release(&p);
}

/* one_frame - the common shape: begin, the frame @f, end. */
static void one_frame(struct out *o, const struct fspec *f)
{
	begin(o, NULL, 0, false);
	frame(o, f);
	end(o, false);
}

/* ---------------------------------------------------------- zstd bombs */

/* zbomb - a zstd frame of @total bytes: @pre (@npre bytes), then zeros;
 * with @size, its header states the size.  *@n its length; NULL on
 * failure. */
static void *zbomb(__u64 total, bool size, const void *pre, size_t npre,
		   size_t *n)
{
	ZSTD_CCtx *z = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(total / 1000) + 65536, chunk = MIB;
	unsigned char *in = calloc(1, chunk), *out = malloc(cap);
	ZSTD_outBuffer ob = { out, cap, 0 };
	size_t r = 0;

	if (!z || !in || !out)
		goto fail;
	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(z, ZSTD_c_contentSizeFlag, size);
	if (size)
		ZSTD_CCtx_setPledgedSrcSize(z, total);
	for (__u64 done = 0; done < total; done += chunk) {
		ZSTD_inBuffer ib = { in, total - done < chunk ? total - done : chunk, 0 };
		bool last = done + ib.size >= total;

		if (!done && npre)
			memcpy(in, pre, npre);
		else if (npre)
			memset(in, 0, npre);

		do {
			r = ZSTD_compressStream2(z, &ob, &ib, last ? ZSTD_e_end :
						 ZSTD_e_continue);
			if (ZSTD_isError(r) || ob.pos == ob.size)
				goto fail;
		} while (ib.pos < ib.size || (last && r));
	}
	ZSTD_freeCCtx(z);
	free(in);
	*n = ob.pos;
	return out;
fail:
	ZSTD_freeCCtx(z);
	free(in);
	free(out);
	return NULL;
}

/* fcs_lie - rewrite the content size in the header of zstd frame @p to
 * @v (a 4- or 8-byte field); 0 or -1. */
static int fcs_lie(unsigned char *p, size_t n, __u64 v)
{
	static const int did[] = { 0, 1, 2, 4 };
	unsigned fhd, single, flag, pos;

	if (n < 6)
		return -1;
	fhd = p[4];
	flag = fhd >> 6;
	single = (fhd >> 5) & 1;
	pos = 5 + !single + did[fhd & 3];
	if (flag == 2 && pos + 4 <= n) {
		kt_put32(p + pos, (__u32)v);
		return 0;
	}
	if (flag == 3 && pos + 8 <= n) {
		kt_put64(p + pos, v);
		return 0;
	}
	return -1;
}

/* -------------------------------------------------------------- cases */

struct hcase {
	const char *name, *what;
	int (*make)(struct out *o);
};

static int zbomb_small(struct out *o)
{
	struct fspec f;
	size_t n;
	unsigned char *z = zbomb(1ULL << 30, true, NULL, 0, &n);

	if (!z || fcs_lie(z, n, 1))
		return -1;
	frame_default(&f, T0);
	f.k[KC_DUR] = (struct col){ KT_CODEC_ZSTD, 1, z, n };
	one_frame(o, &f);
	free(z);
	return 0;
}

static int zbomb_nosize(struct out *o)
{
	struct fspec f;
	size_t n;
	unsigned char *z = zbomb(1ULL << 30, false, NULL, 0, &n);

	if (!z)
		return -1;
	frame_default(&f, T0);
	f.k[KC_DUR] = (struct col){ KT_CODEC_ZSTD, 1, z, n };
	one_frame(o, &f);
	free(z);
	return 0;
}

static int zclaim_4g(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.k[KC_DUR].raw = 0xffffffffu;
	f.k[KC_DUR].codec = KT_CODEC_ZSTD;
	one_frame(o, &f);
	return 0;
}

static int zclaim_limit(struct out *o)
{
	struct fspec f;
	size_t n;
	unsigned char *z = zbomb(KT_MAX_COL_RAW, true, NULL, 0, &n);

	if (!z)
		return -1;
	frame_default(&f, T0);
	f.g[KT_GCOL_STRDATA] = (struct col){ KT_CODEC_ZSTD, KT_MAX_COL_RAW, z, n };
	one_frame(o, &f);
	free(z);
	return 0;
}

/* tasks_bomb - a TASKS block whose zstd body is @r bytes: next_utid 1,
 * @count tasks, then zeros (no task can start with utid 0). */
static int tasks_bomb(struct out *o, __u32 r, __u32 count)
{
	unsigned char pre[8] = { 1, 0, 0, 0 };
	struct fspec f;
	size_t n;
	unsigned char *z;

	kt_put32(pre + 4, count);
	z = zbomb(r, true, pre, sizeof(pre), &n);
	if (!z)
		return -1;
	begin(o, NULL, 0, true);
	keyframe(o, KT_CODEC_ZSTD, r, z, n);
	frame_default(&f, T0);
	frame(o, &f);
	end(o, false);
	free(z);
	return 0;
}

static int tasks_limit(struct out *o)
{
	return tasks_bomb(o, KT_MAX_COL_RAW, 21000000);
}

static int tasks_over(struct out *o)
{
	struct fspec f;

	begin(o, NULL, 0, true);
	keyframe(o, KT_CODEC_ZSTD, KT_MAX_COL_RAW + 1, c_zero, 1);
	frame_default(&f, T0);
	frame(o, &f);
	end(o, false);
	return 0;
}

static int tasks_4g(struct out *o)
{
	static const unsigned char body[16] = { 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	struct fspec f;

	begin(o, NULL, 0, true);
	keyframe(o, KT_CODEC_RAW, sizeof(body), body, sizeof(body));
	frame_default(&f, T0);
	frame(o, &f);
	end(o, false);
	return 0;
}

static int strid_range(struct out *o)
{
	static const unsigned char id[] = { 2 };
	struct fspec f;

	frame_default(&f, T0);
	f.k[KC_STR] = raw_col(id, 1);
	one_frame(o, &f);
	return 0;
}

static int strid_huge(struct out *o)
{
	static const unsigned char id[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	struct fspec f;

	frame_default(&f, T0);
	f.k[KC_STR] = raw_col(id, 5);
	one_frame(o, &f);
	return 0;
}

static void two_frames(struct out *o)
{
	struct fspec f;

	begin(o, NULL, 0, false);
	frame_default(&f, T0);
	frame(o, &f);
	frame_default(&f, T0 + 1000);
	frame(o, &f);
}

static int baseline(struct out *o)
{
	two_frames(o);
	end(o, false);
	return 0;
}

static int index_overlap(struct out *o)
{
	two_frames(o);
	o->fe[1] = o->fe[0];            /* the same block twice */
	end(o, false);
	return 0;
}

static int index_inside(struct out *o)
{
	two_frames(o);
	o->fe[1].off = o->fe[0].off + 8;        /* inside the previous one */
	end(o, false);
	return 0;
}

static int index_back_meta(struct out *o)
{
	two_frames(o);
	o->fe[1].off = o->meta_off;     /* back at the metadata */
	o->fe[0].off = o->meta_off;
	end(o, false);
	return 0;
}

static int index_self(struct out *o)
{
	two_frames(o);
	/* the index block comes after the last frame and the end META */
	o->fe[1].off = o->fe[1].off + o->fe[1].len + KT_BLOCK_HDR_SIZE +
		       strlen(std_meta);
	end(o, false);
	return 0;
}

static int index_kf_after(struct out *o)
{
	struct fspec f;

	begin(o, NULL, 0, true);
	frame_default(&f, T0);
	frame(o, &f);
	keyframe(o, KT_CODEC_RAW, sizeof(one_task), one_task, sizeof(one_task));
	o->fe[0].kf = 0;                /* its keyframe comes after it */
	o->ke[0].off = o->fe[0].off;    /* ... and is the frame itself */
	o->ke[0].len = o->fe[0].len;
	end(o, false);
	return 0;
}

static int count_events(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.n = 0xffffffffu;
	begin(o, NULL, 0, false);
	frame(o, &f);
	o->fe[0].events = 1;    /* the index says 1: the frame lies */
	end(o, false);
	return 0;
}

static int count_strings(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.s = 0xffffffffu;
	one_frame(o, &f);
	return 0;
}

static int count_kinds(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.nkinds = 0xffff;
	one_frame(o, &f);
	return 0;
}

static int count_cols(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.ncols = 0xffff;
	one_frame(o, &f);
	return 0;
}

static int count_globals(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.nglobal = 0xffff;
	one_frame(o, &f);
	return 0;
}

static int count_group(struct out *o)
{
	struct fspec f;

	frame_default(&f, T0);
	f.count = 0xffffffffu;
	one_frame(o, &f);
	return 0;
}

static int index_counts(struct out *o, int which)
{
	struct fspec f;

	begin(o, NULL, 0, false);
	frame_default(&f, T0);
	frame(o, &f);
	if (which == 0)
		o->claim_nf = 0xffffffffu;
	else if (which == 1)
		o->claim_nk = 0xffffffffu;
	else
		o->claim_nkinds = 0xffffffffu;
	end(o, false);
	return 0;
}

static int count_frames(struct out *o) { return index_counts(o, 0); }
static int count_keyframes(struct out *o) { return index_counts(o, 1); }
static int count_index_kinds(struct out *o) { return index_counts(o, 2); }

/* deep - @levels of @open ... @close inside {"a": ...}. */
static int deep(struct out *o, unsigned levels, const char *open,
		const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	size_t n = 6 + levels * (lo + lc) + 2, at = 0;
	char *m = malloc(n);
	struct fspec f;

	if (!m)
		return -1;
	memcpy(m, "{\"a\":", 5);
	at = 5;
	for (unsigned i = 0; i < levels; i++, at += lo)
		memcpy(m + at, open, lo);
	m[at++] = '1';
	for (unsigned i = 0; i < levels; i++, at += lc)
		memcpy(m + at, close, lc);
	m[at++] = '}';
	begin(o, m, at, false);
	frame_default(&f, T0);
	frame(o, &f);
	end(o, true);
	free(m);
	return 0;
}

static int meta_deep_arrays(struct out *o)
{
	return deep(o, 100000, "[", "]");
}

static int meta_deep_objects(struct out *o)
{
	return deep(o, 100000, "{\"a\":", "}");
}

/* big_meta - a metadata object of exactly @n bytes:
 * std_meta with a "pad" string filling it. */
static int big_meta(struct out *o, size_t n)
{
	size_t sl = strlen(std_meta);
	char *m = malloc(n);
	struct fspec f;

	if (!m || n < sl + 16)
		return -1;
	memcpy(m, std_meta, sl - 1);            /* without its '}' */
	memcpy(m + sl - 1, ",\"pad\":\"", 8);
	memset(m + sl + 7, 'x', n - (sl + 7) - 2);
	memcpy(m + n - 2, "\"}", 2);
	begin(o, m, n, false);
	frame_default(&f, T0);
	frame(o, &f);
	end(o, true);
	free(m);
	return 0;
}

static int meta_limit(struct out *o) { return big_meta(o, KT_MAX_META); }
static int meta_over(struct out *o) { return big_meta(o, KT_MAX_META + 1); }

static const struct hcase cases[] = {
	{ "baseline", "a valid capture of two syscall events, which the "
	  "others differ from", baseline },
	{ "zbomb-small", "a 1-row zstd column claiming 1 byte, its zstd "
	  "frame saying 1 byte too, that expands to 1 GiB", zbomb_small },
	{ "zbomb-nosize", "a 1-row zstd column claiming 1 byte whose zstd "
	  "frame, without a stated size, expands to 1 GiB", zbomb_nosize },
	{ "zclaim-4g", "a column claiming 4 GiB decompressed", zclaim_4g },
	{ "zclaim-limit", "a string column of 256 MiB (the limit), 1 string "
	  "of 5 bytes", zclaim_limit },
	{ "tasks-limit", "a TASKS block of 256 MiB decompressed (the limit) "
	  "claiming 21 million tasks, zeros after", tasks_limit },
	{ "tasks-over", "a TASKS block claiming 256 MiB + 1 decompressed",
	  tasks_over },
	{ "tasks-4g", "a TASKS block claiming 2^32-1 tasks", tasks_4g },
	{ "strid-range", "a string id 2 in a frame of 1 string", strid_range },
	{ "strid-huge", "a string id 2^32-1 in a frame of 1 string", strid_huge },
	{ "index-overlap", "two index entries for the same frame block",
	  index_overlap },
	{ "index-inside", "an index entry pointing inside the previous frame",
	  index_inside },
	{ "index-back", "index entries pointing back at the metadata block",
	  index_back_meta },
	{ "index-self", "an index entry pointing at the index block itself",
	  index_self },
	{ "index-kf-cycle", "a frame whose keyframe entry points at the frame "
	  "itself", index_kf_after },
	{ "count-events", "a frame header claiming 2^32-1 events",
	  count_events },
	{ "count-strings", "a frame header claiming 2^32-1 strings",
	  count_strings },
	{ "count-kinds", "a frame header claiming 65535 kind groups",
	  count_kinds },
	{ "count-globals", "a frame header claiming 65535 global columns",
	  count_globals },
	{ "count-cols", "a kind group claiming 65535 columns", count_cols },
	{ "count-group", "a kind group claiming 2^32-1 events", count_group },
	{ "count-frames", "an index claiming 2^32-1 frames", count_frames },
	{ "count-keyframes", "an index claiming 2^32-1 keyframes",
	  count_keyframes },
	{ "count-index-kinds", "an index claiming 2^32-1 kinds",
	  count_index_kinds },
	{ "meta-deep-arrays", "metadata nested 100,000 arrays deep",
	  meta_deep_arrays },
	{ "meta-deep-objects", "metadata nested 100,000 objects deep",
	  meta_deep_objects },
	{ "meta-limit", "a META block of 64 MiB, the limit (valid)",
	  meta_limit },
	{ "meta-over", "a META block of 64 MiB + 1", meta_over },
};

static int write_case(const char *dir, const struct hcase *c)
{
	char path[4096];
	struct out o;
	FILE *f;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = c->make(&o);
	snprintf(path, sizeof(path), "%s/%s.ktr", dir, c->name);
	if (!rc && !o.err && (f = fopen(path, "wb"))) {
		if (fwrite(o.b.p, 1, o.b.len, f) != o.b.len)
			rc = -1;
		if (fclose(f))
			rc = -1;
	} else {
		rc = -1;
	}
	kt_buf_release(&o.b);
	if (rc) {
		fprintf(stderr, "hostile: cannot write %s\n", path);
		return 2;
	}
	printf("%s.ktr: %s\n", c->name, c->what);
	return 0;
}

KT_TOOL(hostile, "DIR [NAME...]")
{
	int rc = 0;

	if (argc < 2)
		return 2;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = argc == 2;

		for (int a = 2; a < argc; a++)
			want |= !strcmp(argv[a], cases[i].name);
		if (want)
			rc |= write_case(argv[1], &cases[i]);
	}
	return rc;
}
