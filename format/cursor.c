// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cursor.c - reading events: frame cursors, the merge of overlapping
 * frames, and the reader as an event source (seeking is in seek.c).
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
void kt_fcur_free(struct kt_reader *r, struct kt_fcur *c)
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
		kt_fcur_free(r, r->heap[i]);
	r->nheap = 0;
	r->open_bytes = 0;
	r->last = NULL;
}

/* ------------------------------------------------------------ decoding */

struct kt_plan kt_plans[KT_KIND_MAX];

void kt_plans_init(void)
{
	static bool done;

	if (done)
		return;
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		kt_plans[k].nf = ki->nfields;
		kt_plans[k].h = kt_kind_hidden(k);
		for (unsigned f = 0; f < ki->nfields; f++) {
			kt_plans[k].op[f].off = ki->fields[f].off;
			kt_plans[k].op[f].enc = ki->fields[f].enc;
			kt_plans[k].op[f].wide =
				kt_ftype_size(ki->fields[f].type) == 8;
		}
	}
	done = true;
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
			const struct kt_plan *pl = &kt_plans[kind];
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
	c->bytes += (size_t)dlen + nstr + 1 +
		    (nstr + 1) * (sizeof(*c->sptr) + sizeof(*c->slen));
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
unsigned kt_want_cols(const struct kt_kgroup *g, __u64 mask)
{
	unsigned known;

	if (!g->kind || g->kind >= KT_KIND_MAX || !(mask & KT_KIND_BIT(g->kind)))
		return 0;
	known = kt_kind_hidden(g->kind) + kt_kind_info(g->kind)->nfields;
	return g->ncols < known ? g->ncols : known;
}

/* check_strids - the @rows string ids of column @p (at file offset @off)
 * name strings of the frame's table of @nstr (0: none). */
static int check_strids(const unsigned char *p, __u32 rows, __u32 nstr,
			__u64 off, struct kt_err *err)
{
	for (__u32 i = 0; i < rows; i++) {
		__u64 id = kt_get_uv(&p);

		if (id > nstr)
			return kt_errf(err, -EBADMSG, off,
				       "string id %llu out of range (the frame "
				       "has %u strings)", (unsigned long long)id,
				       nstr);
	}
	return 0;
}

/* is_strcol - whether column @i of kind @kind holds string ids. */
static bool is_strcol(unsigned kind, unsigned i)
{
	unsigned hid = kt_kind_hidden(kind);

	return i >= hid && kt_kind_info(kind)->fields[i - hid].enc == KT_ENC_STR;
}

/*
 * load_cols - decompress the string columns, the global columns when
 * @global, and the columns of the kinds in @mask, into c->arena; set the
 * cursor's column pointers.
 */
int kt_load_cols(struct kt_reader *r, struct kt_fcur *c,
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
		for (unsigned i = 0; i < kt_want_cols(&fh->groups[g], mask); i++)
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
		r->st.columns_decoded++;
		gp[i] = c->arena + at;
		at += fh->g[i].raw + 16;
	}
	for (__u32 g = 0; g < fh->nkinds; g++) {
		const struct kt_kgroup *kg = &fh->groups[g];
		unsigned n = kt_want_cols(kg, mask);

		for (unsigned i = 0; i < n; i++) {
			rc = kt_col_load(r->dctx, &kg->cols[i], kg->count,
					 c->arena + at, err);
			if (!rc && is_strcol(kg->kind, i))
				rc = check_strids(c->arena + at, kg->count,
						  fh->nstr, kg->cols[i].off, err);
			if (rc)
				return rc;
			r->st.columns_decoded++;
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

int kt_check_frame(const struct kt_fent *fe, __u32 len,
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
	kt_plans_init();
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
		rc = kt_check_frame(fe, len, &fh, err);
	if (!rc)
		rc = kt_load_cols(r, c, &fh, true, mask, err);
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
		kt_fcur_free(r, c);
	return 0;
err_free:
	kt_fhdr_release(&fh);
	kt_fcur_free(r, c);
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
	r->open_bytes -= c->bytes;
	kt_fcur_free(r, c);
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
			rc = kt_skim(r, fi, err);
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
		c->bytes += c->arenacap;
		if (r->open_bytes + c->bytes > r->max_open_bytes) {
			kt_fcur_free(r, c);
			return kt_errf(err, -EBADMSG, fe->off,
				       "frames overlapping in time at %llu ns "
				       "hold more than %llu MiB decoded",
				       (unsigned long long)fe->min_ts,
				       (unsigned long long)(r->max_open_bytes >> 20));
		}
		r->open_bytes += c->bytes;
		if (!r->heap) {
			r->heap = malloc(KT_MAX_OPEN_FRAMES * sizeof(*r->heap));
			if (!r->heap) {
				kt_fcur_free(r, c);
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
