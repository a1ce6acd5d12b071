// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * encode.c - one frame from a batch of events: sort by time, split into
 * columns (docs/format.md "Frames"), compress each column on its own and
 * wrap the lot in a FRAME block.  Deterministic: the same events give the
 * same bytes.
 */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
#include "format_int.h"

#define MAXCOLS 256

struct sort_ent {
	__u64 ts;
	__u32 idx;
};

struct kt_enc {
	int level;
	ZSTD_CCtx *cctx;
	struct kt_buf col[MAXCOLS];
	unsigned colbase[KT_KIND_MAX];  /* first column of each kind */
	unsigned ncols;
	struct sort_ent *sort, *tmp;
	size_t sortcap;
	__u32 *locid, *locgen;          /* writer handle -> frame-local id */
	__u32 loccap, gen;
	struct kt_buf comp;
	const char **sptr;              /* the writer's strings as a kt_strtab, */
	__u32 sptrcap;                  /* so that its task table names tasks */
	struct kt_strtab st;
};

static unsigned kind_ncols(unsigned k)
{
	return kt_kind_hidden(k) + kt_kind_info(k)->nfields;
}

struct kt_enc *kt_enc_new(int level)
{
	struct kt_enc *e = calloc(1, sizeof(*e));
	unsigned c = KT_NGCOL;

	if (!e)
		return NULL;
	e->level = level;
	e->cctx = ZSTD_createCCtx();
	if (!e->cctx) {
		free(e);
		return NULL;
	}
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		e->colbase[k] = c;
		c += kind_ncols(k);
	}
	e->ncols = c;
	return e;
}

void kt_enc_free(struct kt_enc *e)
{
	if (!e)
		return;
	ZSTD_freeCCtx(e->cctx);
	for (unsigned i = 0; i < MAXCOLS; i++)
		kt_buf_release(&e->col[i]);
	kt_buf_release(&e->comp);
	free(e->sort);
	free(e->tmp);
	free(e->locid);
	free(e->locgen);
	free(e->sptr);
	free(e);
}

/* ------------------------------------------------------------- sorting */

static void insertion_sort(struct sort_ent *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_ent x = a[i];
		size_t j = i;

		while (j && a[j - 1].ts > x.ts) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

/* merge_sort - stable, and linear on input that is in order already. */
static void merge_sort(struct sort_ent *a, struct sort_ent *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n <= 32) {
		insertion_sort(a, n);
		return;
	}
	merge_sort(a, tmp, h);
	merge_sort(a + h, tmp, n - h);
	if (a[h - 1].ts <= a[h].ts)
		return;         /* already in order: the common case */
	while (i < h && j < n)
		tmp[k++] = a[j].ts < a[i].ts ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	memcpy(a, tmp, k * sizeof(*a));
}

/* sort_order - NULL when @evs is in time order already, else a stable
 * order of indices. */
static int sort_order(struct kt_enc *e, const struct kt_event *evs, size_t n,
		      const struct sort_ent **order)
{
	size_t i;

	*order = NULL;
	for (i = 1; i < n; i++)
		if (evs[i].ts < evs[i - 1].ts)
			break;
	if (i == n)
		return 0;
	if (n > e->sortcap) {
		free(e->sort);
		free(e->tmp);
		e->sort = malloc(n * sizeof(*e->sort));
		e->tmp = malloc(n * sizeof(*e->tmp));
		if (!e->sort || !e->tmp) {
			e->sortcap = 0;
			return -ENOMEM;
		}
		e->sortcap = n;
	}
	for (i = 0; i < n; i++) {
		e->sort[i].ts = evs[i].ts;
		e->sort[i].idx = i;
	}
	merge_sort(e->sort, e->tmp, n);
	*order = e->sort;
	return 0;
}

/* ------------------------------------------------------------- strings */

static int loc_prepare(struct kt_enc *e, __u32 nstr)
{
	if (nstr + 1 > e->loccap) {
		__u32 cap = nstr + 1 + 1024;

		free(e->locid);
		free(e->locgen);
		e->locid = malloc(cap * sizeof(__u32));
		e->locgen = calloc(cap, sizeof(__u32));
		if (!e->locid || !e->locgen) {
			e->loccap = 0;
			return -ENOMEM;
		}
		e->loccap = cap;
		e->gen = 0;
	}
	if (++e->gen == 0) {
		memset(e->locgen, 0, e->loccap * sizeof(__u32));
		e->gen = 1;
	}
	return 0;
}

/* local_str - the frame-local id of writer handle @h, adding the string to
 * the frame's table on first use. */
static __u32 local_str(struct kt_enc *e, const struct kt_wstrs *s, __u32 h,
		       __u32 *nloc, unsigned char **lenp, struct kt_buf *data)
{
	if (!h || h > s->n)
		return 0;
	if (e->locgen[h] != e->gen) {
		e->locgen[h] = e->gen;
		e->locid[h] = ++*nloc;
		*lenp = kt_put_uv(*lenp, s->len[h - 1]);
		memcpy(data->p + data->len, s->bytes.p + s->off[h - 1],
		       s->len[h - 1]);
		data->len += s->len[h - 1];
	}
	return e->locid[h];
}

/* ------------------------------------------------------------- columns */

/* reserve - room for @rows varints of 10 bytes in column @c, emptied. */
static int reserve(struct kt_enc *e, unsigned c, size_t rows)
{
	e->col[c].len = 0;
	return kt_buf_grow(&e->col[c], rows * 10 + 16);
}

static int encode_columns(struct kt_enc *e, const struct kt_event *evs,
			  const struct sort_ent *order, size_t n,
			  const struct kt_wstrs *strs, struct kt_tasks *tasks,
			  struct kt_frame_sum *sum)
{
	unsigned char *wp[MAXCOLS];
	__u64 prev[MAXCOLS] = { 0 };
	__u64 prev_ts = sum->min_ts, strbytes = 0;
	__u32 lastt[KT_TIDCTX_CPUS] = { 0 };
	struct kt_buf *data = &e->col[KT_GCOL_STRDATA];
	__u32 nloc = 0, utid, cutid;
	unsigned c;
	int err;

	/* size every column for its worst case, so the loop below never
	 * checks for room */
	for (c = 0; c < KT_GCOL_STRLEN; c++)
		if ((err = reserve(e, c, n)))
			return err;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		for (c = 0; c < kind_ncols(k); c++)
			if ((err = reserve(e, e->colbase[k] + c,
					   sum->kind_count[k])))
				return err;
	for (__u32 h = 0; h < strs->n; h++)
		strbytes += strs->len[h];
	if ((err = reserve(e, KT_GCOL_STRLEN, strs->n)))
		return err;
	data->len = 0;
	if ((err = kt_buf_grow(data, strbytes + 16)))
		return err;
	if ((err = loc_prepare(e, strs->n)))
		return err;
	if (strs->n > e->sptrcap) {
		free(e->sptr);
		e->sptrcap = strs->n + 1024;
		e->sptr = malloc(e->sptrcap * sizeof(*e->sptr));
		if (!e->sptr) {
			e->sptrcap = 0;
			return -ENOMEM;
		}
	}
	for (__u32 h = 0; h < strs->n; h++)
		e->sptr[h] = (const char *)strs->bytes.p + strs->off[h];
	e->st.ptr = e->sptr;
	e->st.len = strs->len;
	e->st.n = strs->n;
	for (c = 0; c < e->ncols; c++)
		wp[c] = e->col[c].p;
	for (c = 0; c < e->ncols; c++)
		prev[c] = 0;

	for (size_t i = 0; i < n; i++) {
		const struct kt_event *ev = order ? &evs[order[i].idx] : &evs[i];
		const struct kt_kind_info *ki = kt_kind_info(ev->kind);
		unsigned base = e->colbase[ev->kind];
		__u64 last = 0;

		wp[KT_GCOL_KIND] = kt_put_uv(wp[KT_GCOL_KIND], ev->kind);
		wp[KT_GCOL_TS] = kt_put_uv(wp[KT_GCOL_TS], ev->ts - prev_ts);
		prev_ts = ev->ts;
		if (ev->cpu < KT_TIDCTX_CPUS) {
			wp[KT_GCOL_TID] = kt_put_uv(wp[KT_GCOL_TID],
				kt_zz((__s64)ev->tid - (__s64)lastt[ev->cpu]));
			lastt[ev->cpu] = ev->tid;
		} else {
			wp[KT_GCOL_TID] = kt_put_uv(wp[KT_GCOL_TID], ev->tid);
		}
		wp[KT_GCOL_PID] = kt_put_uv(wp[KT_GCOL_PID],
			kt_zz((__s64)ev->pid - (__s64)ev->tid));
		wp[KT_GCOL_CPU] = kt_put_uv(wp[KT_GCOL_CPU], ev->cpu);
		if (kt_kind_is_proc(ev->kind)) {
			struct kt_event named = *ev;

			named.strs = &e->st;
			err = kt_tasks_apply(tasks, &named, &utid);
			if (err)
				return err;
			cutid = 0;
			if (ev->kind == KT_PROC_FORK)
				cutid = kt_tasks_find(tasks, ev->fork.child_tid)->utid;
			c = base;
			wp[c] = kt_put_uv(wp[c], ev->ts - (prev[c] ? prev[c] : sum->min_ts));
			prev[c] = ev->ts;
			c++;
			wp[c] = kt_put_uv(wp[c], ev->tid);
			c++;
			wp[c] = kt_put_uv(wp[c], ev->pid);
			c++;
			wp[c] = kt_put_uv(wp[c], utid);
			c++;
			wp[c] = kt_put_uv(wp[c], cutid);
			base += KT_NHCOL;
		}
		if (ev->kind == KT_LOST)
			sum->lost += ev->lost.count;
		for (unsigned f = 0; f < ki->nfields; f++) {
			const struct kt_field *fd = &ki->fields[f];
			__u64 v = kt_field_get(ev, fd).u, o;

			c = base + f;
			switch (fd->enc) {
			case KT_ENC_SV:
				o = kt_zz((__s64)v);
				break;
			case KT_ENC_DELTA:
				o = kt_zz((__s64)(v - prev[c]));
				prev[c] = v;
				break;
			case KT_ENC_STR:
				o = local_str(e, strs, (__u32)v, &nloc,
					      &wp[KT_GCOL_STRLEN], data);
				break;
			case KT_ENC_REL:
				o = kt_zz((__s64)(v - last));
				break;
			default:
				o = v;
				break;
			}
			last = v;
			wp[c] = kt_put_uv(wp[c], o);
		}
	}
	for (c = 0; c < e->ncols; c++)
		if (c != KT_GCOL_STRDATA)
			e->col[c].len = wp[c] - e->col[c].p;
	sum->raw_bytes = 0;
	for (c = 0; c < e->ncols; c++)
		sum->raw_bytes += e->col[c].len;
	return (int)nloc;
}

/* ------------------------------------------------------------ assembly */

/* put_column - compress column @c into e->comp (raw when that is not
 * smaller) and write its directory entry at @ent. */
static int put_column(struct kt_enc *e, unsigned c, unsigned char *ent)
{
	const struct kt_buf *src = &e->col[c];
	size_t bound = ZSTD_compressBound(src->len), z;
	int codec = KT_CODEC_RAW, err;
	size_t start = e->comp.len;

	if ((err = kt_buf_grow(&e->comp, bound)))
		return err;
	if (src->len >= 32) {
		z = ZSTD_compressCCtx(e->cctx, e->comp.p + start, bound, src->p,
				      src->len, e->level);
		if (!ZSTD_isError(z) && z < src->len) {
			codec = KT_CODEC_ZSTD;
			e->comp.len += z;
		}
	}
	if (codec == KT_CODEC_RAW)
		kt_buf_put(&e->comp, src->p, src->len);
	ent[0] = codec;
	kt_put32(ent + 1, src->len);
	kt_put32(ent + 5, e->comp.len - start);
	kt_put32(ent + 9, crc32(0, e->comp.p + start, e->comp.len - start));
	return 0;
}

int kt_enc_frame(struct kt_enc *e, struct kt_event *evs, size_t n,
		 const struct kt_wstrs *strs, struct kt_tasks *tasks,
		 struct kt_buf *out, struct kt_frame_sum *sum)
{
	const struct sort_ent *order;
	unsigned nkinds = 0, ent = 0;
	size_t hdrlen, start, need;
	unsigned char *h;
	int nloc, err;

	memset(sum, 0, sizeof(*sum));
	if (!n || n > KT_MAX_FRAME_EVENTS)
		return -EINVAL;
	err = sort_order(e, evs, n, &order);
	if (err)
		return err;
	sum->events = n;
	sum->min_ts = order ? order[0].ts : evs[0].ts;
	sum->max_ts = order ? order[n - 1].ts : evs[n - 1].ts;
	for (size_t i = 0; i < n; i++)
		sum->kind_count[evs[i].kind]++;
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		if (sum->kind_count[k]) {
			sum->kind_mask |= KT_KIND_BIT(k);
			nkinds++;
		}
	}
	nloc = encode_columns(e, evs, order, n, strs, tasks, sum);
	if (nloc < 0)
		return nloc;

	/* frame header: fixed part, global column entries, kind groups */
	hdrlen = KT_FRAME_HDR_FIXED + KT_NGCOL * KT_COL_ENT_SIZE;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (sum->kind_count[k])
			hdrlen += 8 + kind_ncols(k) * KT_COL_ENT_SIZE;
	start = out->len;
	need = KT_BLOCK_HDR_SIZE + hdrlen;
	if ((err = kt_buf_grow(out, need)))
		return err;
	out->len += need;
	e->comp.len = 0;
	h = out->p + start + KT_BLOCK_HDR_SIZE;
	kt_put64(h, sum->min_ts);
	kt_put64(h + 8, sum->max_ts);
	kt_put32(h + 16, n);
	kt_put32(h + 20, nloc);
	kt_put64(h + 24, sum->lost);
	kt_put16(h + 32, KT_NGCOL);
	kt_put16(h + 34, nkinds);
	ent = KT_FRAME_HDR_FIXED;
	for (unsigned c = 0; c < KT_NGCOL; c++, ent += KT_COL_ENT_SIZE)
		if ((err = put_column(e, c, h + ent)))
			return err;
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		if (!sum->kind_count[k])
			continue;
		kt_put16(h + ent, k);
		kt_put16(h + ent + 2, kind_ncols(k));
		kt_put32(h + ent + 4, sum->kind_count[k]);
		ent += 8;
		for (unsigned c = 0; c < kind_ncols(k); c++, ent += KT_COL_ENT_SIZE)
			if ((err = put_column(e, e->colbase[k] + c, h + ent)))
				return err;
	}
	if ((err = kt_buf_put(out, e->comp.p, e->comp.len)))
		return err;
	kt_block_hdr(out->p + start, KT_BLK_FRAME,
		     out->len - start - KT_BLOCK_HDR_SIZE, hdrlen);
	return 0;
}

/* -------------------------------------------------------------- blocks */

void kt_block_hdr(unsigned char *hdr, __u32 type, __u32 len, __u32 covered)
{
	kt_put32(hdr, type);
	kt_put32(hdr + 4, len);
	kt_put32(hdr + 8, covered);
	kt_put32(hdr + 12, crc32(0, hdr + KT_BLOCK_HDR_SIZE, covered));
	kt_put32(hdr + 16, crc32(0, hdr, 16));
}

int kt_block_put(struct kt_buf *out, __u32 type, const void *payload,
		 size_t n, size_t covered)
{
	size_t start = out->len;
	int err = kt_buf_grow(out, KT_BLOCK_HDR_SIZE + n);

	if (err)
		return err;
	out->len += KT_BLOCK_HDR_SIZE;
	kt_buf_put(out, payload, n);
	kt_block_hdr(out->p + start, type, n, covered);
	return 0;
}
