// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fileout.c - assembling a capture file: header, blocks, and the end (end
 * metadata, index, trailer).  Shared by the writer, flight-mode dumps and
 * recovery, so that all three produce the same layout.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "format_int.h"

int kt_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n) {
		w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		c += w;
		n -= w;
	}
	return 0;
}

int kt_out_special(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return !S_ISREG(st.st_mode);
}

int kt_out_open_special(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	return fd < 0 ? -errno : fd;
}

int kt_fsync(int fd)
{
	if (fsync(fd) && errno != EINVAL)
		return -errno;
	return 0;
}

int kt_tmp_open(const char *path, char *tmp, size_t n)
{
	const char *slash = strrchr(path, '/');
	int len, fd = kt_out_special(path);

	if (fd) {               /* a device or a FIFO: into it */
		tmp[0] = 0;
		return fd < 0 ? fd : kt_out_open_special(path);
	}

	if (slash)
		len = snprintf(tmp, n, "%.*s/.%s.XXXXXX", (int)(slash - path),
			       path, slash + 1);
	else
		len = snprintf(tmp, n, ".%s.XXXXXX", path);
	if (len < 0 || (size_t)len >= n)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* fo_write - append @n bytes; NULL @p: they are in the file already
 * (recovery keeps a prefix in place). */
static int fo_write(struct kt_fileout *fo, const void *p, size_t n)
{
	int err = p ? kt_write_all(fo->fd, p, n) : 0;

	if (err)
		return err;
	fo->off += n;
	if (fo->sync && fdatasync(fo->fd))
		return -errno;
	return 0;
}

static int meta_block(struct kt_fileout *fo, const json_t *meta)
{
	struct kt_buf b = { 0 };
	char *s = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	int err = -ENOMEM;

	if (!s)
		return -EINVAL;
	if (kt_block_put(&b, KT_BLK_META, s, strlen(s), strlen(s)))
		goto out;
	err = fo_write(fo, b.p, b.len);
out:
	free(s);
	kt_buf_release(&b);
	return err;
}

int kt_fo_header(struct kt_fileout *fo, const json_t *meta)
{
	unsigned char h[KT_HEADER_SIZE] = { 0 };
	int err;

	memcpy(h, KT_MAGIC, 8);
	kt_put16(h + 8, KT_FORMAT_MAJOR);
	kt_put16(h + 10, KT_FORMAT_MINOR);
	kt_put32(h + 12, 0);
	kt_put32(h + 28, crc32(0, h, 28));
	err = fo_write(fo, h, sizeof(h));
	if (err)
		return err;
	fo->start_meta_off = fo->off;
	return meta_block(fo, meta);
}

int kt_fo_keyframe(struct kt_fileout *fo, const void *blk, size_t len,
		   __u64 ts)
{
	struct kt_kent *k;
	int err;

	if (fo->nkfs == fo->kcap) {
		size_t n = fo->kcap ? fo->kcap * 2 : 16;

		k = realloc(fo->kfs, n * sizeof(*k));
		if (!k)
			return -ENOMEM;
		fo->kfs = k;
		fo->kcap = n;
	}
	k = &fo->kfs[fo->nkfs];
	k->off = fo->off;
	k->len = len;
	k->ts = ts;
	err = fo_write(fo, blk, len);
	if (!err)
		fo->nkfs++;
	return err;
}

int kt_fo_frame(struct kt_fileout *fo, const void *blk, size_t len,
		const struct kt_frame_sum *sum)
{
	struct kt_fent *f;
	int err;

	if (fo->nframes == fo->fcap) {
		size_t n = fo->fcap ? fo->fcap * 2 : 64;

		f = realloc(fo->frames, n * sizeof(*f));
		if (!f)
			return -ENOMEM;
		fo->frames = f;
		fo->fcap = n;
	}
	f = &fo->frames[fo->nframes];
	f->off = fo->off;
	f->len = len;
	f->min_ts = sum->min_ts;
	f->max_ts = sum->max_ts;
	f->lost = sum->lost;
	f->kind_mask = sum->kind_mask;
	f->events = sum->events;
	f->keyframe = fo->nkfs ? fo->nkfs - 1 : KT_NO_KF;
	err = fo_write(fo, blk, len);
	if (err)
		return err;
	fo->nframes++;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		fo->totals[k] += sum->kind_count[k];
	return 0;
}

static int index_block(struct kt_fileout *fo, struct kt_buf *b)
{
	size_t n = 32 + KT_KIND_MAX * 8 + fo->nframes * KT_FENT_SIZE +
		   fo->nkfs * KT_KENT_SIZE;
	unsigned char *p;
	int err;

	err = kt_buf_grow(b, KT_BLOCK_HDR_SIZE + n);
	if (err)
		return err;
	p = b->p + KT_BLOCK_HDR_SIZE;
	memset(p, 0, n);
	kt_put32(p, fo->nframes);
	kt_put32(p + 4, fo->nkfs);
	kt_put32(p + 8, KT_KIND_MAX);
	kt_put64(p + 16, fo->start_meta_off);
	kt_put64(p + 24, fo->end_meta_off);
	p += 32;
	for (unsigned k = 0; k < KT_KIND_MAX; k++, p += 8)
		kt_put64(p, fo->totals[k]);
	for (size_t i = 0; i < fo->nframes; i++, p += KT_FENT_SIZE) {
		const struct kt_fent *f = &fo->frames[i];

		kt_put64(p, f->off);
		kt_put64(p + 8, f->len);
		kt_put64(p + 16, f->min_ts);
		kt_put64(p + 24, f->max_ts);
		kt_put64(p + 32, f->lost);
		kt_put64(p + 40, f->kind_mask);
		kt_put32(p + 48, f->events);
		kt_put32(p + 52, f->keyframe);
	}
	for (size_t i = 0; i < fo->nkfs; i++, p += KT_KENT_SIZE) {
		kt_put64(p, fo->kfs[i].off);
		kt_put64(p + 8, fo->kfs[i].len);
		kt_put64(p + 16, fo->kfs[i].ts);
	}
	kt_block_hdr(b->p, KT_BLK_INDEX, n, n);
	b->len = KT_BLOCK_HDR_SIZE + n;
	return 0;
}

int kt_fo_finish(struct kt_fileout *fo, const json_t *end_meta)
{
	unsigned char t[KT_TRAILER_SIZE] = { 0 };
	struct kt_buf b = { 0 };
	__u64 index_off;
	int err;

	if (end_meta) {
		fo->end_meta_off = fo->off;
		err = meta_block(fo, end_meta);
		if (err)
			return err;
	}
	index_off = fo->off;
	err = index_block(fo, &b);
	if (!err)
		err = fo_write(fo, b.p, b.len);
	if (!err) {
		memcpy(t, KT_TRAILER_MAGIC, 8);
		kt_put64(t + 8, index_off);
		kt_put64(t + 16, b.len);
		kt_put32(t + 28, crc32(0, t, 28));
		err = fo_write(fo, t, sizeof(t));
	}
	kt_buf_release(&b);
	return err;
}

void kt_fo_release(struct kt_fileout *fo)
{
	free(fo->frames);
	free(fo->kfs);
	fo->frames = NULL;
	fo->kfs = NULL;
	fo->nframes = fo->nkfs = fo->fcap = fo->kcap = 0;
}

int kt_meta_merge(json_t *dst, const json_t *src)
{
	const char *key;
	json_t *v, *d;

	if (!json_is_object(dst) || !json_is_object(src))
		return -EINVAL;
	json_object_foreach((json_t *)src, key, v) {
		d = json_object_get(dst, key);
		if (json_is_object(d) && json_is_object(v)) {
			if (kt_meta_merge(d, v))
				return -ENOMEM;
		} else if (json_object_set_new(dst, key, json_deep_copy(v))) {
			return -ENOMEM;
		}
	}
	return 0;
}

/* Keyframe payload: ts u64, codec u8, raw length u32, body. */
int kt_keyframe_block(const struct kt_tasks *t, __u64 since, __u64 ts,
		      int level, struct kt_buf *out)
{
	struct kt_buf body = { 0 }, pl = { 0 };
	size_t bound, z;
	int err;

	err = kt_tasks_encode(t, since, &body);
	if (err)
		goto out;
	bound = ZSTD_compressBound(body.len);
	err = kt_buf_grow(&pl, 13 + bound);
	if (err)
		goto out;
	kt_put64(pl.p, ts);
	kt_put32(pl.p + 9, body.len);
	z = ZSTD_compress(pl.p + 13, bound, body.p, body.len, level);
	if (!ZSTD_isError(z) && z < body.len) {
		pl.p[8] = KT_CODEC_ZSTD;
		pl.len = 13 + z;
	} else {
		pl.p[8] = KT_CODEC_RAW;
		memcpy(pl.p + 13, body.p, body.len);
		pl.len = 13 + body.len;
	}
	err = kt_block_put(out, KT_BLK_TASKS, pl.p, pl.len, pl.len);
out:
	kt_buf_release(&body);
	kt_buf_release(&pl);
	return err;
}
