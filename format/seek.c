// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * seek.c - seeking: the task table from the keyframe before the target,
 * brought forward by skimming the proc columns of the frames in between
 * (docs/format.md "Reading").
 */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
#include "reader_int.h"

/* --------------------------------------------------------- proc skims */

struct pev {
	struct kt_event ev;
	__u32 hs, hc;
	size_t seq;             /* decode order: ties keep it */
};

/* by time, then decode order (not the element's address: qsort moves
 * elements, so an address is no key) */
static int cmp_pev(const void *a, const void *b)
{
	const struct pev *x = a, *y = b;

	if (x->ev.ts != y->ev.ts)
		return x->ev.ts < y->ev.ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
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
			pe[n].seq = n;
			pe[n].hs = hv[KT_HCOL_UTID];
			pe[n].hc = hv[KT_HCOL_CUTID];
			decode_fields(&kt_plans[k], kp + KT_NHCOL,
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
		for (unsigned i = 0; i < kt_want_cols(&fh->groups[g], mask); i++)
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

		for (unsigned i = 0; i < kt_want_cols(kg, mask); i++) {
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

/* kt_skim - apply the proc events of frame @fi to the task table, reading
 * only its header, string and proc columns. */
int kt_skim(struct kt_reader *r, __u32 fi, struct kt_err *err)
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
	kt_plans_init();
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
		rc = kt_check_frame(fe, len, &fh, err);
	if (!rc)
		rc = read_cols(r, &fh, KT_PROC_KINDS, &cols, err);
	if (!rc)
		rc = kt_load_cols(r, c, &fh, false, KT_PROC_KINDS, err);
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
	kt_fcur_free(NULL, c);
	return rc;
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
	/* each task takes at least 12 bytes (kt_tasks_decode) */
	if (raw >= 8 && kt_get32(body + 4) > raw / 12) {
		kt_errf(err, rc, ke->off, "tasks block claims %u tasks in %u bytes",
			kt_get32(body + 4), raw);
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
		rc = kt_skim(r, i, err);
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
	kt_tasks_set_hosts(r->tasks, kt_reader_meta(r));
	return r->tasks;
}

__u64 kt_reader_horizon(const struct kt_reader *r, __u64 ts, __u64 max_bytes)
{
	__u64 sum = 0, h = ts;

	/* file order is about time order (frames may overlap): the latest
	 * frames that start before ts, back until they hold max_bytes */
	for (size_t i = r->nframes; i-- > 0;) {
		const struct kt_fent *f = &r->frames[i];

		if (f->min_ts >= ts)
			continue;
		if (sum + f->len > max_bytes)
			return h;
		sum += f->len;
		if (f->min_ts < h)
			h = f->min_ts;
	}
	return 0;
}
