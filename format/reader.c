// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * reader.c - kt_reader: open (header, trailer, index, metadata; or a
 * sequential scan of block headers when there is no index), and the
 * time-ordered merge of frames with seeking.  Frame decoding is in
 * cursor.c; the merge is described in docs/format.md "Reading order".
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>
#include <zstd.h>
#include "reader_int.h"

int kt_rd(struct kt_reader *r, void *buf, size_t n, __u64 off,
	  struct kt_err *err)
{
	char *p = buf;
	ssize_t got;

	while (n) {
		got = pread(r->fd, p, n, off);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return kt_errf(err, -errno, off, "read failed: %s",
				       strerror(errno));
		}
		if (got == 0)
			return kt_errf(err, -EBADMSG, off,
				       "unexpected end of file");
		r->st.bytes_read += got;
		p += got;
		off += got;
		n -= got;
	}
	return 0;
}

static const char *const blk_names[] = { "", "metadata", "tasks", "frame",
					 "index" };

/* kt_read_block_buf - a whole block of @want type at @off into @b. */
int kt_read_block_buf(struct kt_reader *r, __u64 off, __u32 want,
		      struct kt_buf *b, __u32 *len, __u32 *covered,
		      struct kt_err *err)
{
	unsigned char h[KT_BLOCK_HDR_SIZE];
	__u32 type;
	int rc;

	rc = kt_rd(r, h, sizeof(h), off, err);
	if (rc)
		return rc;
	rc = kt_block_check(h, off, r->size, &type, len, covered, err);
	if (rc)
		return rc;
	if (type != want)
		return kt_errf(err, -EBADMSG, off, "expected a %s block, found %s",
			       blk_names[want], blk_names[type]);
	b->len = 0;
	if (kt_buf_grow(b, *len + 1))
		return kt_errf(err, -ENOMEM, off, "out of memory");
	rc = kt_rd(r, b->p, *len, off + KT_BLOCK_HDR_SIZE, err);
	if (!rc && kt_crc_bad(kt_get32(h + 12), crc32(0, b->p, *covered)))
		rc = kt_errf(err, -EBADMSG, off, "%s block checksum mismatch",
			     blk_names[want]);
	if (!rc)
		b->len = *len;
	return rc;
}

/* kt_read_block - the same into a new buffer (the caller frees it). */
int kt_read_block(struct kt_reader *r, __u64 off, __u32 want,
		  unsigned char **out, __u32 *len, __u32 *covered,
		  struct kt_err *err)
{
	struct kt_buf b = { 0 };
	int rc = kt_read_block_buf(r, off, want, &b, len, covered, err);

	if (rc) {
		kt_buf_release(&b);
		*out = NULL;
		return rc;
	}
	*out = b.p;
	return 0;
}

/* ------------------------------------------------------------- opening */

static int check_header(struct kt_reader *r, struct kt_err *err)
{
	unsigned char h[KT_HEADER_SIZE];
	int rc;

	if (r->size == 0)
		return kt_errf(err, -EBADMSG, 0, "empty file");
	if (r->size < KT_HEADER_SIZE)
		return kt_errf(err, -EBADMSG, 0,
			       "too short for a capture (%llu bytes)",
			       (unsigned long long)r->size);
	rc = kt_rd(r, h, sizeof(h), 0, err);
	if (rc)
		return rc;
	if (memcmp(h, KT_MAGIC, 8))
		return kt_errf(err, -EBADMSG, 0, "not a ktrail capture (bad magic)");
	if (kt_crc_bad(kt_get32(h + 28), crc32(0, h, 28)))
		return kt_errf(err, -EBADMSG, 0, "header checksum mismatch");
	r->major = kt_get16(h + 8);
	r->minor = kt_get16(h + 10);
	if (r->major != KT_FORMAT_MAJOR)
		return kt_errf(err, -EPROTONOSUPPORT, 8,
			       "unsupported format version %u.%u (this ktrail reads %u.x)",
			       r->major, r->minor, KT_FORMAT_MAJOR);
	return 0;
}

static int add_frame(struct kt_reader *r, const struct kt_fent *f)
{
	if (r->nframes == r->fcap) {
		size_t n = r->fcap ? r->fcap * 2 : 64;
		struct kt_fent *p = realloc(r->frames, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		r->frames = p;
		r->fcap = n;
	}
	r->frames[r->nframes++] = *f;
	return 0;
}

static int add_kf(struct kt_reader *r, const struct kt_kent *k)
{
	if (r->nkfs == r->kcap) {
		size_t n = r->kcap ? r->kcap * 2 : 16;
		struct kt_kent *p = realloc(r->kfs, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		r->kfs = p;
		r->kcap = n;
	}
	r->kfs[r->nkfs++] = *k;
	return 0;
}

static int parse_index(struct kt_reader *r, const unsigned char *p, __u32 len,
		       __u64 off, __u64 limit, struct kt_err *err)
{
	__u32 nf, nk, nkinds;
	__u64 need, prev_end = KT_HEADER_SIZE;
	struct kt_fent f;
	struct kt_kent k;

	if (len < 32)
		return kt_errf(err, -EBADMSG, off, "index truncated");
	nf = kt_get32(p);
	nk = kt_get32(p + 4);
	nkinds = kt_get32(p + 8);
	need = 32 + (__u64)nkinds * 8 + (__u64)nf * KT_FENT_SIZE +
	       (__u64)nk * KT_KENT_SIZE;
	if (need != len)
		return kt_errf(err, -EBADMSG, off,
			       "index length %u does not fit %u frames, %u keyframes, %u kinds",
			       len, nf, nk, nkinds);
	r->start_meta_off = kt_get64(p + 16);
	r->end_meta_off = kt_get64(p + 24);
	if (r->start_meta_off < KT_HEADER_SIZE || r->start_meta_off >= limit ||
	    r->end_meta_off >= limit)
		return kt_errf(err, -EBADMSG, off, "index metadata offsets out of range");
	p += 32;
	for (__u32 i = 0; i < nkinds; i++, p += 8)
		if (i < KT_KIND_MAX)
			r->totals[i] = kt_get64(p);
	for (__u32 i = 0; i < nf; i++, p += KT_FENT_SIZE) {
		f.off = kt_get64(p);
		f.len = kt_get64(p + 8);
		f.min_ts = kt_get64(p + 16);
		f.max_ts = kt_get64(p + 24);
		f.lost = kt_get64(p + 32);
		f.kind_mask = kt_get64(p + 40);
		f.events = kt_get32(p + 48);
		f.keyframe = kt_get32(p + 52);
		if (f.off < prev_end)
			return kt_errf(err, -EBADMSG, off, "index entry of frame "
				       "%u points back, at byte %llu, before "
				       "the end of the %s (byte %llu)", i,
				       (unsigned long long)f.off,
				       i ? "previous frame" : "header",
				       (unsigned long long)prev_end);
		if (f.off >= limit || f.len < KT_BLOCK_HDR_SIZE ||
		    f.len > limit - f.off)
			return kt_errf(err, -EBADMSG, off, "index entry of frame "
				       "%u points outside the frames (%llu "
				       "bytes at byte %llu)", i,
				       (unsigned long long)f.len,
				       (unsigned long long)f.off);
		if (f.min_ts > f.max_ts || !f.events ||
		    f.events > KT_MAX_FRAME_EVENTS ||
		    (f.keyframe != KT_NO_KF && f.keyframe >= nk))
			return kt_errf(err, -EBADMSG, off,
				       "index entry of frame %u is invalid", i);
		prev_end = f.off + f.len;
		if (add_frame(r, &f))
			return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	}
	for (__u32 i = 0; i < nk; i++, p += KT_KENT_SIZE) {
		k.off = kt_get64(p);
		k.len = kt_get64(p + 8);
		k.ts = kt_get64(p + 16);
		if (k.off < KT_HEADER_SIZE || k.len < KT_BLOCK_HDR_SIZE ||
		    k.len > limit - k.off)
			return kt_errf(err, -EBADMSG, off,
				       "index entry of keyframe %u is invalid", i);
		if (add_kf(r, &k))
			return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	}
	return 0;
}

/* load_index - 1 when the file has a trailer and its index was loaded, 0
 * when it has no trailer (not finalized), or a negative errno. */
static int load_index(struct kt_reader *r, struct kt_err *err)
{
	unsigned char t[KT_TRAILER_SIZE], *buf;
	__u64 toff, ioff, ilen;
	__u32 len, covered;
	int rc;

	if (r->size < KT_HEADER_SIZE + KT_TRAILER_SIZE)
		return 0;
	toff = r->size - KT_TRAILER_SIZE;
	rc = kt_rd(r, t, sizeof(t), toff, err);
	if (rc)
		return rc;
	if (memcmp(t, KT_TRAILER_MAGIC, 8))
		return 0;
	if (kt_crc_bad(kt_get32(t + 28), crc32(0, t, 28)))
		return kt_errf(err, -EBADMSG, toff, "trailer checksum mismatch");
	ioff = kt_get64(t + 8);
	ilen = kt_get64(t + 16);
	if (ioff < KT_HEADER_SIZE || ioff > toff || ilen != toff - ioff)
		return kt_errf(err, -EBADMSG, toff,
			       "trailer points outside the file (index at %llu)",
			       (unsigned long long)ioff);
	rc = kt_read_block(r, ioff, KT_BLK_INDEX, &buf, &len, &covered, err);
	if (rc)
		return rc;
	if (len + KT_BLOCK_HDR_SIZE != ilen || covered != len)
		rc = kt_errf(err, -EBADMSG, ioff, "index block length mismatch");
	else
		rc = parse_index(r, buf, len, ioff, ioff, err);
	if (!rc)
		r->index_crc = (__u32)crc32(0, buf, len);
	free(buf);
	return rc ? rc : 1;
}

/* scan_frame - the index entry of the frame block at @off (header @h,
 * @len, @covered), from its frame header. */
static int scan_frame(struct kt_reader *r, __u64 off, const unsigned char *h,
		      __u32 len, __u32 covered, struct kt_err *err)
{
	unsigned char *buf = malloc(covered + 1);
	struct kt_fhdr fh = { 0 };
	struct kt_fent f = { 0 };
	int rc;

	if (!buf)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	rc = kt_rd(r, buf, covered, off + KT_BLOCK_HDR_SIZE, err);
	if (!rc && kt_crc_bad(kt_get32(h + 12), crc32(0, buf, covered)))
		rc = kt_errf(err, -EBADMSG, off, "frame header checksum mismatch");
	if (!rc)
		rc = kt_fhdr_parse(buf, covered, len, off + KT_BLOCK_HDR_SIZE,
				   NULL, &fh, err);
	free(buf);
	if (rc)
		goto out;
	f.off = off;
	f.len = KT_BLOCK_HDR_SIZE + len;
	f.min_ts = fh.min_ts;
	f.max_ts = fh.max_ts;
	f.lost = fh.lost;
	f.events = fh.nevents;
	f.keyframe = r->nkfs ? r->nkfs - 1 : KT_NO_KF;
	for (__u32 k = 1; k < KT_KIND_MAX; k++) {
		if (fh.bykind[k] && fh.bykind[k]->count) {
			f.kind_mask |= KT_KIND_BIT(k);
			r->totals[k] += fh.bykind[k]->count;
		}
	}
	if (add_frame(r, &f))
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
out:
	kt_fhdr_release(&fh);
	return rc;
}

/* scan_block - take the block at @off into the index being built and
 * store where the next one starts in @next.  Returns 0, 1 at the
 * trailer, or a negative errno (-EBADMSG: a damaged or incomplete
 * block). */
static int scan_block(struct kt_reader *r, __u64 off, __u64 *next,
		      struct kt_err *err)
{
	unsigned char h[KT_BLOCK_HDR_SIZE + 8];
	__u32 type, len, covered;
	int rc;

	if (r->size - off == KT_TRAILER_SIZE) {
		rc = kt_rd(r, h, 8, off, err);
		if (rc)
			return rc;
		if (!memcmp(h, KT_TRAILER_MAGIC, 8))
			return 1;       /* ignored: KT_READ_SCAN */
	}
	if (r->size - off < KT_BLOCK_HDR_SIZE)
		return kt_errf(err, -EBADMSG, off,
			       "truncated block header at end of file");
	rc = kt_rd(r, h, KT_BLOCK_HDR_SIZE, off, err);
	if (!rc)
		rc = kt_block_check(h, off, r->size, &type, &len, &covered, err);
	if (rc)
		return rc;
	if (type == KT_BLK_META) {
		if (!r->start_meta_off)
			r->start_meta_off = off;
		else if (r->nframes || r->nkfs)
			r->end_meta_off = off;
	} else if (type == KT_BLK_TASKS) {
		struct kt_kent k = { off, KT_BLOCK_HDR_SIZE + len, 0 };

		if (len < 13)
			return kt_errf(err, -EBADMSG, off, "tasks block truncated");
		rc = kt_rd(r, h, 8, off + KT_BLOCK_HDR_SIZE, err);
		if (rc)
			return rc;
		k.ts = kt_get64(h);
		if (add_kf(r, &k))
			return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	} else if (type == KT_BLK_FRAME) {
		rc = scan_frame(r, off, h, len, covered, err);
		if (rc)
			return rc;
	}
	*next = off + KT_BLOCK_HDR_SIZE + len;
	return 0;
}

/* scan - walk the blocks from the header on: the index of a file that
 * has none.  Stops with an error at the first damaged block, or, with
 * KT_READ_PARTIAL once the start metadata was read, ends the capture
 * there (r->damage says where and why). */
static int scan(struct kt_reader *r, unsigned flags, struct kt_err *err)
{
	__u64 off = KT_HEADER_SIZE;
	struct kt_err e = { 0 };
	int rc = 0;

	r->start_meta_off = r->end_meta_off = 0;
	while (off < r->size && (rc = scan_block(r, off, &off, &e)) == 0)
		;
	if (rc == -EBADMSG && (flags & KT_READ_PARTIAL) && r->start_meta_off) {
		r->damage = e;
		r->intact_end = off;
		rc = 0;
	}
	if (rc < 0) {
		if (err)
			*err = e;
		return rc;
	}
	if (!r->start_meta_off)
		return kt_errf(err, -EBADMSG, KT_HEADER_SIZE, "no metadata block");
	return 0;
}

static int load_meta(struct kt_reader *r, struct kt_err *err)
{
	__u64 off = r->end_meta_off ? r->end_meta_off : r->start_meta_off;
	unsigned char *buf;
	__u32 len, covered;
	json_error_t je;
	int rc;

	rc = kt_read_block(r, off, KT_BLK_META, &buf, &len, &covered, err);
	if (rc)
		return rc;
	if (len > KT_MAX_META)
		rc = kt_errf(err, -EBADMSG, off, "metadata of %u bytes (limit %u)",
			     len, KT_MAX_META);
	else if (!(r->meta = json_loadb((char *)buf, len, 0, &je)) ||
		 !json_is_object(r->meta))
		rc = kt_errf(err, -EBADMSG, off, "metadata is not a JSON object%s%s",
			     r->meta ? "" : ": ", r->meta ? "" : je.text);
	free(buf);
	return rc;
}

static int cmp_order(const void *a, const void *b, void *arg)
{
	const struct kt_fent *f = arg;
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	if (f[x].min_ts != f[y].min_ts)
		return f[x].min_ts < f[y].min_ts ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int build_order(struct kt_reader *r)
{
	__u64 m = 0;

	r->order = malloc((r->nframes + 1) * sizeof(*r->order));
	r->pmax = malloc((r->nframes + 1) * sizeof(*r->pmax));
	if (!r->order || !r->pmax)
		return -ENOMEM;
	for (size_t i = 0; i < r->nframes; i++)
		r->order[i] = i;
	qsort_r(r->order, r->nframes, sizeof(*r->order), cmp_order, r->frames);
	for (size_t i = 0; i < r->nframes; i++) {
		if (r->frames[r->order[i]].max_ts > m)
			m = r->frames[r->order[i]].max_ts;
		r->pmax[i] = m;
	}
	return 0;
}

int kt_reader_open_fd(struct kt_reader **out, int fd, const char *name,
		      unsigned flags, struct kt_err *err)
{
	struct kt_reader *r = calloc(1, sizeof(*r));
	struct stat sb;
	int rc;

	kt_errf(err, 0, ~0ULL, "%s", "");
	if (!r)
		return kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
	r->fd = -1;
	r->name = strdup(name ? name : "");
	r->dctx = ZSTD_createDCtx();
	if (!r->name || !r->dctx) {
		rc = kt_errf(err, -ENOMEM, ~0ULL, "out of memory");
		goto err_free;
	}
	r->fd = fd;
	if (fstat(fd, &sb)) {
		rc = kt_errf(err, -errno, ~0ULL, "%s", strerror(errno));
		goto err_free;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode)) {
		rc = kt_errf(err, -EINVAL, ~0ULL, "not a regular file");
		goto err_free;
	}
	r->size = sb.st_size;
	r->max_open_bytes = KT_MAX_OPEN_RAW;
	rc = check_header(r, err);
	if (rc)
		goto err_free;
	rc = flags & KT_READ_SCAN ? 0 : load_index(r, err);
	if (rc < 0)
		goto err_free;
	r->indexed = rc == 1;
	r->flags = flags & ~KT_READ_SCAN;
	r->intact_end = r->size;
	if (!r->indexed) {
		memset(r->totals, 0, sizeof(r->totals));
		rc = scan(r, flags, err);
		if (rc)
			goto err_free;
	}
	rc = load_meta(r, err);
	if (rc)
		goto err_free;
	rc = kt_anchors_init(&r->anchors, r->meta);
	if (rc == -ENOMEM) {
		kt_errf(err, rc, ~0ULL, "out of memory");
		goto err_free;
	}
	rc = build_order(r);
	if (rc) {
		kt_errf(err, rc, ~0ULL, "out of memory");
		goto err_free;
	}
	*out = r;
	return 0;
err_free:
	r->fd = -1;             /* the caller's */
	kt_reader_close(r);
	return rc;
}

int kt_reader_open(struct kt_reader **out, const char *path, unsigned flags,
		   struct kt_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return kt_errf(err, -errno, ~0ULL, "%s", strerror(errno));
	rc = kt_reader_open_fd(out, fd, path, flags, err);
	if (rc) {
		close(fd);
		return rc;
	}
	(*out)->own_fd = true;
	return 0;
}

int kt_reader_reopen(const struct kt_reader *r, struct kt_reader **out,
		     struct kt_err *err)
{
	return kt_reader_open_fd(out, r->fd, r->name, r->flags, err);
}

void kt_reader_close(struct kt_reader *r)
{
	if (!r)
		return;
	kt_cursors_reset(r);
	free(r->heap);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	json_decref(r->meta);
	kt_anchors_release(&r->anchors);
	kt_tasks_free(r->tasks);
	kt_buf_release(&r->blkbuf);
	free(r->spare);
	free(r->frames);
	free(r->kfs);
	free(r->order);
	free(r->pmax);
	free(r->name);
	free(r);
}

const struct kt_anchors *kt_reader_anchors(const struct kt_reader *r)
{
	return &r->anchors;
}

const json_t *kt_reader_meta(const struct kt_reader *r)
{
	return r->meta;
}

void kt_reader_info(const struct kt_reader *r, struct kt_info *info)
{
	memset(info, 0, sizeof(*info));
	info->major = r->major;
	info->minor = r->minor;
	info->indexed = r->indexed;
	info->index_crc = r->indexed ? r->index_crc : 0;
	info->finalized = r->end_meta_off != 0;
	info->file_bytes = r->size;
	info->partial = r->damage.code != 0;
	info->intact_bytes = r->intact_end;
	info->frames = r->nframes;
	info->first_ts = r->nframes ? UINT64_MAX : 0;
	for (size_t i = 0; i < r->nframes; i++) {
		const struct kt_fent *f = &r->frames[i];

		info->lost += f->lost;
		info->frame_bytes += f->len;
		if (f->min_ts < info->first_ts)
			info->first_ts = f->min_ts;
		if (f->max_ts > info->last_ts)
			info->last_ts = f->max_ts;
	}
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		info->kind_events[k] = r->totals[k];
		info->events += r->totals[k];
	}
}

int kt_reader_damage(const struct kt_reader *r, struct kt_err *err)
{
	if (err)
		*err = r->damage;
	return r->damage.code;
}

void kt_reader_stats(const struct kt_reader *r, struct kt_read_stats *st)
{
	*st = r->st;
}

void kt_reader_filter(struct kt_reader *r, __u64 kind_mask, __u32 pid,
		      __u32 tid)
{
	r->kind_mask = kind_mask;
	r->fpid = pid;
	r->ftid = tid;
}
