// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cursor.c - reading events: frame cursors, the merge of overlapping
 * frames, seeking with keyframes, and the reader as an event source.
 *
 * Frames are opened in (min_ts, file order); a frame is opened before any
 * event later than its min_ts is returned, so a small heap of open frames
 * (keyed by the time of their next event, ties by opening order) yields
 * exact time order even when late events put frames' time ranges on top
 * of each other.
 */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
#include "reader_int.h"

/* fcur_free - free @c, keeping its arena for the next frame when @r. */
static void fcur_free(struct kt_reader *r, struct kt_fcur *c)
{
	if (!c)
		return;
	if (r && c->arenacap > r->sparecap) {
		free(r->spare);
		r->spare = c->arena;
		r->sparecap = c->arenacap;
	} else {
		free(c->arena);
	}
	free(c->sptr);
	free(c->slen);
	free(c->sbuf);
	free(c);
}

void kt_cursors_reset(struct kt_reader *r)
{
	for (size_t i = 0; i < r->nheap; i++)
		fcur_free(r, r->heap[i]);
	r->nheap = 0;
	r->last = NULL;
}

/* ------------------------------------------------------------ decoding */

/* A decoding plan per kind: the schema boiled down to what the loop
 * needs, built once. */
struct plan_op {
	__u16 off;
	__u8 enc;
	__u8 wide;              /* 8-byte field */
};

struct plan {
	unsigned nf, h;
	struct plan_op op[KT_MAXKC];
};

static struct plan plans[KT_KIND_MAX];

static void plans_init(void)
{
	static bool done;

	if (done)
		return;
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		plans[k].nf = ki->nfields;
		plans[k].h = kt_kind_hidden(k);
		for (unsigned f = 0; f < ki->nfields; f++) {
			plans[k].op[f].off = ki->fields[f].off;
			plans[k].op[f].enc = ki->fields[f].enc;
			plans[k].op[f].wide = ki->fields[f].type == KT_F_U64 ||
					      ki->fields[f].type == KT_F_S64;
		}
	}
	done = true;
}

static inline void decode_fields(const struct plan *pl,
				 const unsigned char **kp, __u64 *prev,
				 struct kt_event *ev)
{
	unsigned char *base = (unsigned char *)ev;
	__u64 last = 0, v;

	for (unsigned f = 0; f < pl->nf; f++) {
		const struct plan_op *op = &pl->op[f];
		const unsigned char *p = kp[f];

		v = 0;
		if (p) {
			if (*p < 0x80) {
				v = *p;
				kp[f] = p + 1;
			} else {
				v = kt_get_uv(&kp[f]);
			}
			if (op->enc == KT_ENC_SV)
				v = (__u64)kt_unzz(v);
			else if (op->enc == KT_ENC_DELTA)
				v = prev[f] += (__u64)kt_unzz(v);
			else if (op->enc == KT_ENC_REL)
				v = last + (__u64)kt_unzz(v);
		}
		last = v;
		if (op->wide) {
			memcpy(base + op->off, &v, 8);
		} else {
			__u32 v32 = (__u32)v;

			memcpy(base + op->off, &v32, 4);
		}
	}
}

/* fcur_step - decode the next row of a kind this cursor decodes; 0 when
 * the frame is exhausted. */
static int fcur_step(struct kt_fcur *c)
{
	struct kt_event *ev = &c->ev;

	while (c->rows_left) {
		unsigned kind, cpu;
		__u32 tid;

		c->rows_left--;
		kind = kt_get_uv(&c->g[KT_GCOL_KIND]);
		c->ts += kt_get_uv(&c->g[KT_GCOL_TS]);
		cpu = (__u16)kt_get_uv(&c->g[KT_GCOL_CPU]);
		if (cpu < KT_TIDCTX_CPUS) {
			tid = c->lastt[cpu] +
			      (__u32)kt_unzz(kt_get_uv(&c->g[KT_GCOL_TID]));
			c->lastt[cpu] = tid;
		} else {
			tid = kt_get_uv(&c->g[KT_GCOL_TID]);
		}
		ev->pid = tid + (__u32)kt_unzz(kt_get_uv(&c->g[KT_GCOL_PID]));
		if (kind < KT_KIND_MAX && c->kpresent[kind]) {
			const struct plan *pl = &plans[kind];
			const unsigned char **kp = c->kc[kind];

			ev->ts = c->ts;
			ev->tid = tid;
			ev->cpu = cpu;
			ev->kind = kind;
			ev->utid = 0;
			memset(ev->raw, 0, sizeof(ev->raw));
			if (pl->h) {
				__u64 hv[KT_NHCOL];

				for (unsigned i = 0; i < KT_NHCOL; i++)
					hv[i] = kp[i] ? kt_get_uv(&kp[i]) : 0;
				c->hint_subj = hv[KT_HCOL_UTID];
				c->hint_child = hv[KT_HCOL_CUTID];
			}
			decode_fields(pl, kp + pl->h, c->prev[kind] + pl->h, ev);
			return 1;
		}
	}
	return 0;
}

/* build_strtab - the frame's string table from its two string columns,
 * each string copied with a NUL after it. */
static int build_strtab(struct kt_fcur *c, const unsigned char *lens,
			__u32 nstr, const unsigned char *data, __u32 dlen,
			__u64 off, struct kt_err *err)
{
	__u64 total = 0;
	char *p;

	c->sptr = malloc((nstr + 1) * sizeof(*c->sptr));
	c->slen = malloc((nstr + 1) * sizeof(*c->slen));
	c->sbuf = malloc((size_t)dlen + nstr + 1);
	if (!c->sptr || !c->slen || !c->sbuf)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	p = c->sbuf;
	for (__u32 i = 0; i < nstr; i++) {
		__u64 n = kt_get_uv(&lens);

		if (n > dlen - total)
			return kt_errf(err, -EBADMSG, off,
				       "string lengths overrun the string data");
		memcpy(p, data + total, n);
		c->sptr[i] = p;
		c->slen[i] = n;
		p += n;
		*p++ = 0;
		total += n;
	}
	if (total != dlen)
		return kt_errf(err, -EBADMSG, off,
			       "string data longer than its strings");
	c->strtab.ptr = c->sptr;
	c->strtab.len = c->slen;
	c->strtab.n = nstr;
	return 0;
}

/* check_kinds - the kind column agrees with the per-kind counts. */
static int check_kinds(const struct kt_fhdr *fh, const unsigned char *p,
		       __u64 off, struct kt_err *err)
{
	__u32 cnt[KT_KIND_MAX] = { 0 };
	__u64 unknown = 0, unknown_want = 0;

	for (__u32 i = 0; i < fh->nevents; i++) {
		__u64 k = kt_get_uv(&p);

		if (k > 0xffff)
			return kt_errf(err, -EBADMSG, off, "kind %llu out of range",
				       (unsigned long long)k);
		if (k && k < KT_KIND_MAX)
			cnt[k]++;
		else
			unknown++;
	}
	for (__u32 g = 0; g < fh->nkinds; g++)
		if (!fh->groups[g].kind || fh->groups[g].kind >= KT_KIND_MAX)
			unknown_want += fh->groups[g].count;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (cnt[k] != (fh->bykind[k] ? fh->bykind[k]->count : 0))
			return kt_errf(err, -EBADMSG, off,
				       "kind column disagrees with the counts of %s",
				       kt_kind_info(k)->name);
	if (unknown != unknown_want)
		return kt_errf(err, -EBADMSG, off,
			       "kind column disagrees with the counts of unknown kinds");
	return 0;
}

/* want_col - how many columns of group @g to decode (0: none). */
static unsigned want_cols(const struct kt_kgroup *g, __u64 mask)
{
	unsigned known;

	if (!g->kind || g->kind >= KT_KIND_MAX || !(mask & KT_KIND_BIT(g->kind)))
		return 0;
	known = kt_kind_hidden(g->kind) + kt_kind_info(g->kind)->nfields;
	return g->ncols < known ? g->ncols : known;
}

/*
 * load_cols - decompress the string columns, the global columns when
 * @global, and the columns of the kinds in @mask, into c->arena; set the
 * cursor's column pointers.
 */
static int load_cols(struct kt_reader *r, struct kt_fcur *c,
		     const struct kt_fhdr *fh, bool global, __u64 mask,
		     struct kt_err *err)
{
	const unsigned char *gp[KT_NGCOL] = { NULL };
	size_t total = 0, at = 0;
	int rc;

	for (unsigned i = 0; i < KT_NGCOL; i++)
		if (global || i >= KT_GCOL_STRLEN)
			total += fh->g[i].raw + 16;
	for (__u32 g = 0; g < fh->nkinds; g++)
		for (unsigned i = 0; i < want_cols(&fh->groups[g], mask); i++)
			total += fh->groups[g].cols[i].raw + 16;
	if (r->spare && r->sparecap >= total + 1) {
		c->arena = r->spare;
		c->arenacap = r->sparecap;
		r->spare = NULL;
		r->sparecap = 0;
	} else {
		c->arena = malloc(total + 1);
		c->arenacap = total + 1;
	}
	if (!c->arena)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	for (unsigned i = 0; i < KT_NGCOL; i++) {
		long long rows = i < KT_GCOL_STRLEN ? (long long)fh->nevents :
				 i == KT_GCOL_STRLEN ? (long long)fh->nstr : -1;

		if (!global && i < KT_GCOL_STRLEN)
			continue;
		rc = kt_col_load(r->dctx, &fh->g[i], rows, c->arena + at, err);
		if (rc)
			return rc;
		gp[i] = c->arena + at;
		at += fh->g[i].raw + 16;
	}
	for (__u32 g = 0; g < fh->nkinds; g++) {
		const struct kt_kgroup *kg = &fh->groups[g];
		unsigned n = want_cols(kg, mask);

		for (unsigned i = 0; i < n; i++) {
			rc = kt_col_load(r->dctx, &kg->cols[i], kg->count,
					 c->arena + at, err);
			if (rc)
				return rc;
			c->kc[kg->kind][i] = c->arena + at;
			at += kg->cols[i].raw + 16;
		}
		if (n)
			c->kpresent[kg->kind] = true;
	}
	if (global) {
		rc = check_kinds(fh, gp[KT_GCOL_KIND], fh->g[KT_GCOL_KIND].off, err);
		if (rc)
			return rc;
		memcpy(c->g, gp, sizeof(c->g));
	}
	return build_strtab(c, gp[KT_GCOL_STRLEN], fh->nstr,
			    gp[KT_GCOL_STRDATA], fh->g[KT_GCOL_STRDATA].raw,
			    fh->g[KT_GCOL_STRLEN].off, err);
}

static int check_frame(const struct kt_fent *fe, __u32 len,
		       const struct kt_fhdr *fh, struct kt_err *err)
{
	if (len + KT_BLOCK_HDR_SIZE != fe->len || fh->min_ts != fe->min_ts ||
	    fh->max_ts != fe->max_ts || fh->nevents != fe->events)
		return kt_errf(err, -EBADMSG, fe->off,
			       "frame does not match its index entry");
	return 0;
}

/* fcur_open - read and decode frame @fi; NULL in *out when it holds no
 * event of @mask. */
static int fcur_open(struct kt_reader *r, __u32 fi, __u32 seq, __u64 mask,
		     struct kt_fcur **out, struct kt_err *err)
{
	const struct kt_fent *fe = &r->frames[fi];
	struct kt_fhdr fh = { 0 };
	struct kt_fcur *c;
	unsigned char *buf;
	__u32 len, covered;
	int rc;

	*out = NULL;
	plans_init();
	c = calloc(1, sizeof(*c));
	if (!c)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	rc = kt_read_block_buf(r, fe->off, KT_BLK_FRAME, &r->blkbuf, &len,
			       &covered, err);
	if (rc)
		goto err_free;
	buf = r->blkbuf.p;
	rc = kt_fhdr_parse(buf, covered, len, fe->off + KT_BLOCK_HDR_SIZE, buf,
			   &fh, err);
	if (!rc)
		rc = check_frame(fe, len, &fh, err);
	if (!rc)
		rc = load_cols(r, c, &fh, true, mask, err);
	if (rc)
		goto err_free;
	r->st.frames_decoded++;
	c->seq = seq;
	c->rows_left = fh.nevents;
	c->ts = fh.min_ts;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		for (unsigned i = 0; i < KT_MAXKC; i++)
			c->prev[k][i] = 0;
	c->ev.strs = &c->strtab;
	kt_fhdr_release(&fh);
	if (fcur_step(c))
		*out = c;
	else
		fcur_free(r, c);
	return 0;
err_free:
	kt_fhdr_release(&fh);
	fcur_free(r, c);
	return rc;
}

/* --------------------------------------------------------- proc skims */

struct pev {
	struct kt_event ev;
	__u32 hs, hc;
};

static int cmp_pev(const void *a, const void *b)
{
	const struct pev *x = a, *y = b;

	if (x->ev.ts != y->ev.ts)
		return x->ev.ts < y->ev.ts ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* decode_proc - the proc events of a skimmed frame, from their hidden
 * columns, into @pe (room for every proc row). */
static size_t decode_proc(struct kt_fcur *c, const struct kt_fhdr *fh,
			  struct pev *pe)
{
	size_t n = 0;

	for (unsigned k = KT_PROC_FORK; k <= KT_PROC_COMM; k++) {
		const struct kt_kgroup *g = fh->bykind[k];
		const unsigned char **kp = c->kc[k];
		__u64 ts = fh->min_ts;

		if (!g || !c->kpresent[k])
			continue;
		for (__u32 row = 0; row < g->count; row++, n++) {
			__u64 hv[KT_NHCOL];
			struct kt_event *ev = &pe[n].ev;

			for (unsigned i = 0; i < KT_NHCOL; i++)
				hv[i] = kp[i] ? kt_get_uv(&kp[i]) : 0;
			memset(ev, 0, sizeof(*ev));
			ts += hv[KT_HCOL_TS];
			ev->ts = ts;
			ev->tid = hv[KT_HCOL_TID];
			ev->pid = hv[KT_HCOL_PID];
			ev->kind = k;
			ev->strs = &c->strtab;
			pe[n].hs = hv[KT_HCOL_UTID];
			pe[n].hc = hv[KT_HCOL_CUTID];
			decode_fields(&plans[k], kp + KT_NHCOL,
				      c->prev[k] + KT_NHCOL, ev);
		}
	}
	return n;
}

/* read_cols - read the stored bytes of the columns load_cols will need
 * (the strings and the kinds of @mask) into @buf, one read each. */
static int read_cols(struct kt_reader *r, struct kt_fhdr *fh, __u64 mask,
		     unsigned char **buf, struct kt_err *err)
{
	size_t total = 0, at = 0;
	int rc;

	for (unsigned i = KT_GCOL_STRLEN; i < KT_NGCOL; i++)
		total += fh->g[i].stored;
	for (__u32 g = 0; g < fh->nkinds; g++)
		for (unsigned i = 0; i < want_cols(&fh->groups[g], mask); i++)
			total += fh->groups[g].cols[i].stored;
	*buf = malloc(total + 1);
	if (!*buf)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	for (unsigned i = KT_GCOL_STRLEN; i < KT_NGCOL; i++) {
		rc = kt_rd(r, *buf + at, fh->g[i].stored, fh->g[i].off, err);
		if (rc)
			return rc;
		fh->g[i].data = *buf + at;
		at += fh->g[i].stored;
	}
	for (__u32 g = 0; g < fh->nkinds; g++) {
		struct kt_kgroup *kg = &fh->groups[g];

		for (unsigned i = 0; i < want_cols(kg, mask); i++) {
			rc = kt_rd(r, *buf + at, kg->cols[i].stored,
				   kg->cols[i].off, err);
			if (rc)
				return rc;
			kg->cols[i].data = *buf + at;
			at += kg->cols[i].stored;
		}
	}
	return 0;
}

/* skim - apply the proc events of frame @fi to the task table, reading
 * only its header, string and proc columns. */
static int skim(struct kt_reader *r, __u32 fi, struct kt_err *err)
{
	const struct kt_fent *fe = &r->frames[fi];
	unsigned char h[KT_BLOCK_HDR_SIZE], *hdr = NULL, *cols = NULL;
	struct kt_fhdr fh = { 0 };
	struct kt_fcur *c;
	struct pev *pe = NULL;
	__u32 type, len, covered, nproc = 0;
	size_t n;
	int rc;

	if (!(fe->kind_mask & KT_PROC_KINDS))
		return 0;
	plans_init();
	c = calloc(1, sizeof(*c));
	if (!c)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	rc = kt_rd(r, h, sizeof(h), fe->off, err);
	if (!rc)
		rc = kt_block_check(h, fe->off, r->size, &type, &len, &covered, err);
	if (!rc && type != KT_BLK_FRAME)
		rc = kt_errf(err, -EBADMSG, fe->off, "expected a frame block");
	if (rc)
		goto out;
	hdr = malloc(covered + 1);
	if (!hdr) {
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		goto out;
	}
	rc = kt_rd(r, hdr, covered, fe->off + KT_BLOCK_HDR_SIZE, err);
	if (!rc && kt_crc_bad(kt_get32(h + 12), crc32(0, hdr, covered)))
		rc = kt_errf(err, -EBADMSG, fe->off, "frame block checksum mismatch");
	if (!rc)
		rc = kt_fhdr_parse(hdr, covered, len, fe->off + KT_BLOCK_HDR_SIZE,
				   NULL, &fh, err);
	if (!rc)
		rc = check_frame(fe, len, &fh, err);
	if (!rc)
		rc = read_cols(r, &fh, KT_PROC_KINDS, &cols, err);
	if (!rc)
		rc = load_cols(r, c, &fh, false, KT_PROC_KINDS, err);
	if (rc)
		goto out;
	for (unsigned k = KT_PROC_FORK; k <= KT_PROC_COMM; k++)
		if (fh.bykind[k])
			nproc += fh.bykind[k]->count;
	pe = malloc((nproc + 1) * sizeof(*pe));
	if (!pe) {
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		goto out;
	}
	r->gen++;
	n = decode_proc(c, &fh, pe);
	qsort(pe, n, sizeof(*pe), cmp_pev);
	for (size_t i = 0; i < n && !rc; i++) {
		__u32 u;

		if (kt_tasks_apply_hint(r->tasks, &pe[i].ev, pe[i].hs, pe[i].hc, &u))
			rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	}
	r->st.frames_skimmed++;
out:
	kt_fhdr_release(&fh);
	free(pe);
	free(cols);
	free(hdr);
	fcur_free(NULL, c);
	return rc;
}

/* ---------------------------------------------------------------- heap */

static inline bool before(const struct kt_fcur *a, const struct kt_fcur *b)
{
	return a->ev.ts < b->ev.ts || (a->ev.ts == b->ev.ts && a->seq < b->seq);
}

static void sift_down(struct kt_reader *r, size_t i)
{
	struct kt_fcur **h = r->heap, *x = h[i];
	size_t n = r->nheap;

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct kt_fcur *best = x;

		if (l < n && before(h[l], best)) {
			m = l;
			best = h[l];
		}
		if (l + 1 < n && before(h[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = x;
}

static void sift_up(struct kt_reader *r, size_t i)
{
	struct kt_fcur **h = r->heap, *x = h[i];

	while (i && before(x, h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

/* advance - the top cursor moves to its next event, or closes. */
static void advance(struct kt_reader *r)
{
	struct kt_fcur *c = r->heap[0];

	if (fcur_step(c)) {
		if (r->nheap > 1)
			sift_down(r, 0);
		return;
	}
	fcur_free(r, c);
	r->heap[0] = r->heap[--r->nheap];
	if (r->nheap)
		sift_down(r, 0);
}

/* open_due - open every frame whose min_ts is not after the next event. */
static int open_due(struct kt_reader *r, struct kt_err *err)
{
	__u64 want = r->kind_mask ? r->kind_mask : ~0ULL;
	struct kt_fcur *c;
	int rc;

	while (r->next_open < r->nframes) {
		__u32 fi = r->order[r->next_open];
		const struct kt_fent *fe = &r->frames[fi];

		if (r->nheap && fe->min_ts > r->heap[0]->ev.ts)
			break;
		r->next_open++;
		if (fe->max_ts < r->seek_ts)
			continue;
		if (!(fe->kind_mask & want)) {
			rc = skim(r, fi, err);
			if (rc)
				return rc;
			continue;
		}
		if (r->nheap >= KT_MAX_OPEN_FRAMES)
			return kt_errf(err, -EBADMSG, fe->off,
				       "more than %d frames overlap in time at %llu ns",
				       KT_MAX_OPEN_FRAMES,
				       (unsigned long long)fe->min_ts);
		rc = fcur_open(r, fi, r->next_open - 1, want | KT_PROC_KINDS,
			       &c, err);
		if (rc)
			return rc;
		if (!c)
			continue;
		if (!r->heap) {
			r->heap = malloc(KT_MAX_OPEN_FRAMES * sizeof(*r->heap));
			if (!r->heap) {
				fcur_free(r, c);
				return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
			}
		}
		r->heap[r->nheap++] = c;
		sift_up(r, r->nheap - 1);
	}
	return 0;
}

/* lookup - the utid of @tid, through a small cache. */
static inline __u32 lookup(struct kt_reader *r, __u32 tid)
{
	unsigned i = (tid ^ (tid >> 8)) & 255;
	const struct kt_task *k;

	if (r->cache[i].gen == r->gen && r->cache[i].tid == tid)
		return r->cache[i].utid;
	k = kt_tasks_find(r->tasks, tid);
	r->cache[i].tid = tid;
	r->cache[i].utid = k ? k->utid : 0;
	r->cache[i].gen = r->gen;
	return r->cache[i].utid;
}

static bool match(const struct kt_reader *r, const struct kt_event *ev)
{
	return (!r->kind_mask || (r->kind_mask & KT_KIND_BIT(ev->kind))) &&
	       (!r->fpid || ev->pid == r->fpid) &&
	       (!r->ftid || ev->tid == r->ftid);
}

int kt_reader_next(struct kt_reader *r, const struct kt_event **out,
		   struct kt_err *err)
{
	struct kt_fcur *c;
	__u32 utid;
	int rc;

	if (!r->started) {
		rc = kt_reader_seek(r, 0, err);
		if (rc)
			return rc;
	}
	if (r->last) {
		r->last = NULL;
		advance(r);
	}
	for (;;) {
		rc = open_due(r, err);
		if (rc)
			return rc;
		if (!r->nheap)
			return 0;
		c = r->heap[0];
		if (kt_kind_is_proc(c->ev.kind)) {
			r->gen++;
			if (kt_tasks_apply_hint(r->tasks, &c->ev, c->hint_subj,
						c->hint_child, &utid))
				return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		} else {
			utid = lookup(r, c->ev.tid);
		}
		c->ev.utid = utid;
		if (c->ev.ts < r->seek_ts || !match(r, &c->ev)) {
			advance(r);
			continue;
		}
		r->last = c;
		*out = &c->ev;
		return 1;
	}
}

/* --------------------------------------------------------------- seeks */

static int load_keyframe(struct kt_reader *r, size_t k, struct kt_err *err)
{
	const struct kt_kent *ke = &r->kfs[k];
	unsigned char *buf, *body = NULL;
	struct kt_tasks *t = NULL;
	__u32 len, covered, raw;
	int rc;

	rc = kt_read_block(r, ke->off, KT_BLK_TASKS, &buf, &len, &covered, err);
	if (rc)
		return rc;
	rc = -EBADMSG;
	if (len + KT_BLOCK_HDR_SIZE != ke->len || len < 13) {
		kt_errf(err, rc, ke->off, "tasks block does not match the index");
		goto out;
	}
	raw = kt_get32(buf + 9);
	if (raw > KT_MAX_COL_RAW ||
	    (buf[8] == KT_CODEC_RAW && raw != len - 13) || buf[8] > KT_CODEC_ZSTD) {
		kt_errf(err, rc, ke->off, "tasks block has an absurd length");
		goto out;
	}
	body = malloc(raw + 1);
	if (!body) {
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		goto out;
	}
	if (buf[8] == KT_CODEC_RAW) {
		memcpy(body, buf + 13, raw);
	} else if (ZSTD_getFrameContentSize(buf + 13, len - 13) != raw ||
		   ZSTD_decompressDCtx(r->dctx, body, raw, buf + 13, len - 13) != raw) {
		kt_errf(err, rc, ke->off, "tasks block does not decompress");
		goto out;
	}
	rc = kt_tasks_decode(body, raw, &t);
	if (rc) {
		kt_errf(err, rc, ke->off, rc == -ENOMEM ? "out of memory" :
			"tasks block is corrupt");
		goto out;
	}
	kt_tasks_free(r->tasks);
	r->tasks = t;
out:
	free(body);
	free(buf);
	return rc;
}

int kt_reader_seek(struct kt_reader *r, __u64 ts, struct kt_err *err)
{
	size_t lo = 0, hi = r->nframes, first = r->nframes, k;
	__u64 koff = 0;
	int rc;

	kt_cursors_reset(r);
	r->started = true;
	r->seek_ts = ts;
	r->gen++;
	/* frames before position lo in the merge order end before ts */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->pmax[mid] < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	r->next_open = lo;
	for (size_t p = lo; p < r->nframes; p++)
		if (r->frames[r->order[p]].max_ts >= ts && r->order[p] < first)
			first = r->order[p];
	/* the task table: the keyframe before the first frame to open, then
	 * the proc events of the frames after it that end before ts */
	k = first < r->nframes ? r->frames[first].keyframe :
	    r->nkfs ? r->nkfs - 1 : KT_NO_KF;
	kt_tasks_free(r->tasks);
	r->tasks = NULL;
	if (k != KT_NO_KF) {
		rc = load_keyframe(r, k, err);
		if (rc)
			goto err;
		koff = r->kfs[k].off;
	}
	if (!r->tasks && !(r->tasks = kt_tasks_new())) {
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		goto err;
	}
	for (size_t i = 0; i < r->nframes; i++) {
		if (r->frames[i].off < koff || r->frames[i].max_ts >= ts)
			continue;
		rc = skim(r, i, err);
		if (rc)
			goto err;
	}
	return 0;
err:
	if (!r->tasks)
		r->tasks = kt_tasks_new();
	r->next_open = r->nframes;
	return rc;
}

const struct kt_tasks *kt_reader_tasks(struct kt_reader *r)
{
	struct kt_err err;

	if (!r->started)
		kt_reader_seek(r, 0, &err);
	if (!r->tasks)
		r->tasks = kt_tasks_new();
	return r->tasks;
}

/* ------------------------------------------------------------- source */

struct reader_source {
	struct kt_source s;
	struct kt_reader *r;
};

static int rs_next(struct kt_source *s, const struct kt_event **ev,
		   struct kt_err *err)
{
	return kt_reader_next(((struct reader_source *)s)->r, ev, err);
}

static const struct kt_tasks *rs_tasks(struct kt_source *s)
{
	return kt_reader_tasks(((struct reader_source *)s)->r);
}

static void rs_free(struct kt_source *s)
{
	free(s);
}

struct kt_source *kt_source_reader(struct kt_reader *r)
{
	struct reader_source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->s.next = rs_next;
	s->s.tasks = rs_tasks;
	s->s.free = rs_free;
	s->r = r;
	return &s->s;
}
