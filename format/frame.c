// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * frame.c - checking what comes off the disk: block headers, frame
 * headers and columns.  Every length is checked against the block and
 * against the caps in format_int.h before anything is allocated; every
 * varint column is checked to hold exactly its number of rows, so that the
 * decode loops need no bounds checks.
 */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#include "format_int.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
int kt_fuzz_lax_crc = 1;        /* fuzzing builds only: see kt_crc_bad() */
#endif

int kt_block_check(const unsigned char *h, __u64 off, __u64 size,
		   __u32 *type, __u32 *len, __u32 *covered, struct kt_err *err)
{
	if (kt_crc_bad(kt_get32(h + 16), crc32(0, h, 16)))
		return kt_errf(err, -EBADMSG, off, "block header checksum mismatch");
	*type = kt_get32(h);
	*len = kt_get32(h + 4);
	*covered = kt_get32(h + 8);
	if (*type < KT_BLK_META || *type > KT_BLK_INDEX)
		return kt_errf(err, -EBADMSG, off, "unknown block type %u", *type);
	if (*covered > *len || *len > KT_MAX_BLOCK)
		return kt_errf(err, -EBADMSG, off,
			       "absurd block length %u (covered %u)", *len,
			       *covered);
	if (off + KT_BLOCK_HDR_SIZE + *len > size)
		return kt_errf(err, -EBADMSG, off,
			       "truncated block: needs %llu bytes, file has %llu",
			       (unsigned long long)(off + KT_BLOCK_HDR_SIZE + *len),
			       (unsigned long long)size);
	return 0;
}

static int parse_cols(const unsigned char **pp, const unsigned char *end,
		      __u32 n, struct kt_colent *c, __u64 *dataoff,
		      __u64 dataend, const unsigned char *payload, __u64 poff,
		      __u64 hdroff, struct kt_err *err)
{
	const unsigned char *p = *pp;

	if ((size_t)(end - p) < (size_t)n * KT_COL_ENT_SIZE)
		return kt_errf(err, -EBADMSG, hdroff, "frame directory truncated");
	for (__u32 i = 0; i < n; i++, c++, p += KT_COL_ENT_SIZE) {
		c->codec = p[0];
		c->raw = kt_get32(p + 1);
		c->stored = kt_get32(p + 5);
		c->crc = kt_get32(p + 9);
		c->off = *dataoff;
		if (c->codec > KT_CODEC_ZSTD)
			return kt_errf(err, -EBADMSG, hdroff,
				       "unknown column codec %u", c->codec);
		if (c->raw > KT_MAX_COL_RAW)
			return kt_errf(err, -EBADMSG, hdroff,
				       "column claims %u bytes decompressed (limit %u)",
				       c->raw, KT_MAX_COL_RAW);
		if (c->stored > dataend - *dataoff)
			return kt_errf(err, -EBADMSG, hdroff,
				       "column of %u bytes overruns the frame",
				       c->stored);
		if (c->codec == KT_CODEC_RAW && c->stored != c->raw)
			return kt_errf(err, -EBADMSG, hdroff,
				       "raw column length mismatch");
		c->data = payload ? payload + (c->off - poff) : NULL;
		*dataoff += c->stored;
	}
	*pp = p;
	return 0;
}

int kt_fhdr_parse(const unsigned char *p, __u32 covered, __u32 plen,
		  __u64 poff, const unsigned char *payload,
		  struct kt_fhdr *fh, struct kt_err *err)
{
	const unsigned char *end = p + covered, *q;
	__u64 dataoff = poff + covered, dataend = poff + plen, total = 0;
	__u32 ncols = 0, sum = 0;
	int rc;

	memset(fh, 0, sizeof(*fh));
	if (covered < KT_FRAME_HDR_FIXED)
		return kt_errf(err, -EBADMSG, poff, "frame header truncated");
	fh->min_ts = kt_get64(p);
	fh->max_ts = kt_get64(p + 8);
	fh->nevents = kt_get32(p + 16);
	fh->nstr = kt_get32(p + 20);
	fh->lost = kt_get64(p + 24);
	fh->nglobal = kt_get16(p + 32);
	fh->nkinds = kt_get16(p + 34);
	if (fh->min_ts > fh->max_ts || !fh->nevents ||
	    fh->nevents > KT_MAX_FRAME_EVENTS)
		return kt_errf(err, -EBADMSG, poff,
			       "absurd frame header (%u events, time %llu..%llu)",
			       fh->nevents, (unsigned long long)fh->min_ts,
			       (unsigned long long)fh->max_ts);
	if (fh->nglobal < KT_NGCOL)
		return kt_errf(err, -EBADMSG, poff, "frame has %u global columns",
			       fh->nglobal);
	/* count the column entries first, to allocate them in one go */
	q = p + KT_FRAME_HDR_FIXED + (size_t)fh->nglobal * KT_COL_ENT_SIZE;
	for (__u32 k = 0; k < fh->nkinds; k++) {
		__u32 n;

		if (q > end || end - q < 8)
			return kt_errf(err, -EBADMSG, poff, "frame directory truncated");
		n = kt_get16(q + 2);
		ncols += n;
		q += 8 + (size_t)n * KT_COL_ENT_SIZE;
	}
	if (q != end)
		return kt_errf(err, -EBADMSG, poff, "frame directory length mismatch");
	fh->colmem = calloc(fh->nglobal + ncols + 1, sizeof(*fh->colmem));
	fh->groups = calloc(fh->nkinds + 1, sizeof(*fh->groups));
	if (!fh->colmem || !fh->groups)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	q = p + KT_FRAME_HDR_FIXED;
	rc = parse_cols(&q, end, fh->nglobal, fh->colmem, &dataoff, dataend,
			payload, poff, poff, err);
	if (rc)
		return rc;
	memcpy(fh->g, fh->colmem, sizeof(fh->g));
	ncols = fh->nglobal;
	for (__u32 k = 0; k < fh->nkinds; k++) {
		struct kt_kgroup *g = &fh->groups[k];

		g->kind = kt_get16(q);
		g->ncols = kt_get16(q + 2);
		g->count = kt_get32(q + 4);
		g->cols = fh->colmem + ncols;
		q += 8;
		rc = parse_cols(&q, end, g->ncols, g->cols, &dataoff, dataend,
				payload, poff, poff, err);
		if (rc)
			return rc;
		ncols += g->ncols;
		if (g->count > fh->nevents || (sum += g->count) > fh->nevents)
			return kt_errf(err, -EBADMSG, poff,
				       "kind counts exceed the frame's %u events",
				       fh->nevents);
		if (g->kind < KT_KIND_MAX && g->kind != KT_NONE) {
			if (fh->bykind[g->kind])
				return kt_errf(err, -EBADMSG, poff,
					       "kind %u listed twice", g->kind);
			fh->bykind[g->kind] = g;
		}
	}
	if (sum != fh->nevents)
		return kt_errf(err, -EBADMSG, poff,
			       "kind counts (%u) do not add up to %u events", sum,
			       fh->nevents);
	if (dataoff != dataend)
		return kt_errf(err, -EBADMSG, poff,
			       "frame columns end at %llu, block at %llu",
			       (unsigned long long)dataoff,
			       (unsigned long long)dataend);
	for (__u32 i = 0; i < ncols; i++)
		total += fh->colmem[i].raw;
	if (total > KT_MAX_FRAME_RAW)
		return kt_errf(err, -EBADMSG, poff,
			       "frame claims %llu bytes decompressed (limit %u)",
			       (unsigned long long)total, KT_MAX_FRAME_RAW);
	return 0;
}

void kt_fhdr_release(struct kt_fhdr *fh)
{
	free(fh->colmem);
	free(fh->groups);
	fh->colmem = NULL;
	fh->groups = NULL;
}

/* count_ends - bytes below 0x80 (varint terminators), eight at a time. */
static size_t count_ends(const unsigned char *p, size_t n)
{
	size_t c = 0, i = 0;
	__u64 w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		/* high bits to the low bit of each byte, summed by multiply */
		c += 8 - (((w & 0x8080808080808080ULL) >> 7) *
			  0x0101010101010101ULL >> 56);
	}
	for (; i < n; i++)
		c += p[i] < 0x80;
	return c;
}

int kt_col_load(void *dctx, const struct kt_colent *c, long long rows,
		unsigned char *dst, struct kt_err *err)
{
	unsigned long long fcs;
	size_t z;

	if (kt_crc_bad(c->crc, crc32(0, c->data, c->stored)))
		return kt_errf(err, -EBADMSG, c->off, "column checksum mismatch");
	if (rows >= 0 && (c->raw > (unsigned long long)rows * 10 ||
			  c->raw < (unsigned long long)rows))
		return kt_errf(err, -EBADMSG, c->off,
			       "column of %u bytes cannot hold %lld rows", c->raw,
			       rows);
	if (c->codec == KT_CODEC_RAW) {
		memcpy(dst, c->data, c->raw);
	} else {
		fcs = ZSTD_getFrameContentSize(c->data, c->stored);
		if (fcs == ZSTD_CONTENTSIZE_UNKNOWN ||
		    fcs == ZSTD_CONTENTSIZE_ERROR)
			return kt_errf(err, -EBADMSG, c->off,
				       "zstd column does not state its size "
				       "(the directory says %u bytes)", c->raw);
		if (fcs != c->raw)
			return kt_errf(err, -EBADMSG, c->off,
				       "column size mismatch (zstd says %llu, directory %u)",
				       fcs, c->raw);
		/* into exactly c->raw bytes: a column that expands further
		 * (a decompression bomb) stops there */
		z = ZSTD_decompressDCtx(dctx, dst, c->raw, c->data, c->stored);
		if (ZSTD_isError(z) &&
		    ZSTD_getErrorCode(z) == ZSTD_error_dstSize_tooSmall)
			return kt_errf(err, -EBADMSG, c->off,
				       "zstd column expands past the %u bytes "
				       "it claims", c->raw);
		if (ZSTD_isError(z) || z != c->raw)
			return kt_errf(err, -EBADMSG, c->off,
				       "column does not decompress: %s",
				       ZSTD_isError(z) ? ZSTD_getErrorName(z) :
				       "short");
	}
	memset(dst + c->raw, 0, 16);
	if (rows >= 0 && (count_ends(dst, c->raw) != (size_t)rows ||
			  (c->raw && dst[c->raw - 1] >= 0x80)))
		return kt_errf(err, -EBADMSG, c->off,
			       "column does not hold %lld values", rows);
	return 0;
}
