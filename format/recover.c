// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * recover.c - rebuild the end of a capture that lost it (a recorder killed
 * with SIGKILL, a full disk, a copy cut short): keep every block up to the
 * first damaged one, checking every checksum on the way, and append end
 * metadata, index and trailer.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "reader_int.h"

struct rec {
	struct kt_reader r;     /* only fd, size and stats: for kt_rd() */
	struct kt_fileout fo;
	json_t *meta;           /* the last intact metadata block */
	__u64 end;              /* end of the intact prefix */
	__u64 index_at;         /* where an intact prefix met an index
				 * block, 0 when it did not */
	__u64 events, last_ts;
};

/* check_frame_block - 0 and the frame's summary when the frame at @off is
 * intact, or -EBADMSG. */
static int check_frame_block(struct rec *c, __u64 off, const unsigned char *p,
			     __u32 len, __u32 covered, struct kt_frame_sum *sum)
{
	struct kt_fhdr fh;
	struct kt_err err;
	__u32 ncols;
	int rc;

	rc = kt_fhdr_parse(p, covered, len, off + KT_BLOCK_HDR_SIZE, p, &fh, &err);
	if (rc)
		goto out;
	ncols = fh.nglobal;
	for (__u32 g = 0; g < fh.nkinds; g++)
		ncols += fh.groups[g].ncols;
	for (__u32 i = 0; i < ncols; i++) {
		if (crc32(0, fh.colmem[i].data, fh.colmem[i].stored) !=
		    fh.colmem[i].crc) {
			rc = -EBADMSG;
			goto out;
		}
	}
	memset(sum, 0, sizeof(*sum));
	sum->min_ts = fh.min_ts;
	sum->max_ts = fh.max_ts;
	sum->events = fh.nevents;
	sum->lost = fh.lost;
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		if (fh.bykind[k] && fh.bykind[k]->count) {
			sum->kind_count[k] = fh.bykind[k]->count;
			sum->kind_mask |= KT_KIND_BIT(k);
		}
	}
out:
	kt_fhdr_release(&fh);
	(void)c;
	return rc;
}

/* take_block - check the block at c->end; 1 kept, 0 stop here, <0 error. */
static int take_block(struct rec *c)
{
	unsigned char h[KT_BLOCK_HDR_SIZE], *p;
	__u32 type, len, covered;
	struct kt_frame_sum sum;
	struct kt_err err;
	json_t *m;
	int rc, keep = 0;

	if (c->r.size - c->end < KT_BLOCK_HDR_SIZE ||
	    kt_rd(&c->r, h, sizeof(h), c->end, &err) ||
	    kt_block_check(h, c->end, c->r.size, &type, &len, &covered, &err))
		return 0;
	if (type == KT_BLK_INDEX) {
		c->index_at = c->end;
		return 0;
	}
	p = malloc(len + 1);
	if (!p)
		return -ENOMEM;
	rc = kt_rd(&c->r, p, len, c->end + KT_BLOCK_HDR_SIZE, &err);
	if (rc || crc32(0, p, covered) != kt_get32(h + 12))
		goto out;
	switch (type) {
	case KT_BLK_META:
		m = json_loadb((char *)p, len, 0, NULL);
		if (!json_is_object(m)) {
			json_decref(m);
			goto out;
		}
		json_decref(c->meta);
		c->meta = m;
		if (!c->fo.start_meta_off)
			c->fo.start_meta_off = c->end;
		c->fo.off += KT_BLOCK_HDR_SIZE + len;
		break;
	case KT_BLK_TASKS:
		if (len < 13)
			goto out;
		rc = kt_fo_keyframe(&c->fo, NULL, KT_BLOCK_HDR_SIZE + len,
				    kt_get64(p));
		if (rc) {
			keep = rc;
			goto out;
		}
		break;
	case KT_BLK_FRAME:
		if (check_frame_block(c, c->end, p, len, covered, &sum))
			goto out;
		rc = kt_fo_frame(&c->fo, NULL, KT_BLOCK_HDR_SIZE + len, &sum);
		if (rc) {
			keep = rc;
			goto out;
		}
		c->events += sum.events;
		if (sum.max_ts > c->last_ts)
			c->last_ts = sum.max_ts;
		break;
	}
	c->end += KT_BLOCK_HDR_SIZE + len;
	keep = 1;
out:
	free(p);
	return keep;
}

static int copy_prefix(int from, int to, __u64 n)
{
	char *buf = malloc(1 << 20);
	__u64 off = 0;
	ssize_t got;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (off < n && !err) {
		size_t want = n - off < (1 << 20) ? n - off : (1 << 20);

		got = pread(from, buf, want, off);
		if (got <= 0)
			err = got < 0 ? -errno : -EIO;
		else
			err = kt_write_all(to, buf, got);
		off += got > 0 ? got : 0;
	}
	free(buf);
	return err;
}

/* stream_anchors - add to clock.anchors of @end the anchors of the
 * KT_CLOCK_SYNC events in the kept prefix, now alone in @fd: a recorder
 * that died wrote only its start anchor in the metadata; and as
 * recovered.flushed_ns the time of the last of them.  The prefix is
 * read with a scanning reader (only the clock_sync columns are
 * decompressed).  Returns 0, or -ENOMEM; a prefix the reader cannot
 * read keeps the anchors it has. */
static int stream_anchors(int fd, const char *name, json_t *end)
{
	struct kt_anchor_log log = { 0 };
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_err err;
	__u64 last = 0;
	int rc;

	rc = kt_reader_open_fd(&r, fd, name, KT_READ_SCAN, &err);
	if (rc)
		return rc == -ENOMEM ? rc : 0;
	kt_reader_filter(r, KT_KIND_BIT(KT_CLOCK_SYNC), 0, 0);
	while ((rc = kt_reader_next(r, &ev, &err)) > 0) {
		struct kt_anchor a = kt_anchor_of(ev);

		if (ev->ts > last)
			last = ev->ts;
		rc = kt_anchor_log_add(&log, &a);
		if (rc)
			break;
	}
	kt_reader_close(r);
	/* the recorder flushes right after a clock_sync: what came after the
	 * last one kept may lack what other CPUs' rings still held */
	if (rc != -ENOMEM && last &&
	    json_object_set_new(json_object_get(end, "recovered"), "flushed_ns",
				json_integer((json_int_t)last)))
		rc = -ENOMEM;
	if (rc != -ENOMEM)
		rc = kt_anchor_log_merge(&log, end);
	kt_anchor_log_release(&log);
	return rc;
}

/* An error on the capture being written (OUT, or FILE in place): the
 * caller names the file from @what. */
static int out_err(struct kt_err *err, int rc)
{
	return kt_err_set(err, rc, rc == -ENOMEM ? KT_ERR_SYSTEM : KT_ERR_OUTPUT,
			  ~0ULL, "%s", strerror(-rc));
}

static int finish(struct rec *c, const char *in, const char *out,
		  struct kt_err *err)
{
	json_t *end = c->meta ? json_deep_copy(c->meta) : json_object();
	json_t *rec = json_pack("{s:I,s:I,s:I}", "bytes_discarded",
				(json_int_t)(c->r.size - c->end), "frames",
				(json_int_t)c->fo.nframes, "events",
				(json_int_t)c->events);
	char tmp[4096] = "";
	int rc = -ENOMEM, fd = -1;

	if (!end || !rec || json_object_set_new(end, "recovered", rec)) {
		out_err(err, rc);
		goto out;
	}
	rec = NULL;
	if (out && kt_out_special(out) > 0) {
		/* what is kept is read back: a device or a FIFO will not do */
		rc = kt_err_set(err, -EINVAL, KT_ERR_OUTPUT, ~0ULL,
				"not a regular file: a capture is a file of its own");
		goto out;
	}
	if (out) {
		fd = kt_tmp_open(out, tmp, sizeof(tmp));
		if (fd < 0) {
			tmp[0] = 0;
			rc = out_err(err, fd);
			fd = -1;
			goto out;
		}
		rc = copy_prefix(c->r.fd, fd, c->end);
	} else {
		fd = c->r.fd;
		c->r.fd = -1;
		rc = ftruncate(fd, c->end) ? -errno : 0;
		if (!rc && lseek(fd, c->end, SEEK_SET) < 0)
			rc = -errno;
	}
	if (rc) {
		out_err(err, rc);
		goto out;
	}
	if (c->fo.nframes && stream_anchors(fd, in, end)) {
		rc = out_err(err, -ENOMEM);
		goto out;
	}
	if (!c->fo.start_meta_off)
		c->fo.start_meta_off = c->end;  /* the end block serves */
	c->fo.fd = fd;
	rc = kt_fo_finish(&c->fo, end);
	if (!rc)
		rc = kt_fsync(fd);
	if (rc)
		out_err(err, rc);
out:
	if (fd >= 0 && close(fd) && !rc)
		rc = out_err(err, -errno);
	if (!rc && tmp[0] && rename(tmp, out))
		rc = out_err(err, -errno);
	if (rc && tmp[0])
		unlink(tmp);
	json_decref(rec);
	json_decref(end);
	return rc;
}

/* complete - whether the walk that stopped at @c->end met the index of
 * a capture that opens with it: finalized, every block before the index
 * intact.  Such a capture has nothing to recover. */
static bool complete(struct rec *c, const char *in)
{
	struct kt_reader *r;
	struct kt_info info;
	struct kt_err err;
	bool ok;

	if (!c->index_at || c->index_at != c->end)
		return false;
	if (kt_reader_open_fd(&r, c->r.fd, in, 0, &err))
		return false;
	kt_reader_info(r, &info);
	ok = info.indexed && info.finalized && info.frames == c->fo.nframes;
	kt_reader_close(r);
	return ok;
}

/* Open FILE (read-write to recover it in place).  A file that can be
 * read but not written is an output that cannot be written. */
static int open_input(struct rec *c, const char *in, bool in_place,
		      struct kt_err *err)
{
	int fd;

	c->r.fd = open(in, (in_place ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (c->r.fd >= 0)
		return 0;
	if (in_place && (errno == EACCES || errno == EROFS || errno == EPERM ||
			 errno == ETXTBSY)) {
		int e = errno;

		fd = open(in, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return out_err(err, -e);
		}
	}
	return kt_errf(err, -errno, ~0ULL, "%s", strerror(errno));
}

int kt_recover(const char *in, const char *out,
	       struct kt_recover_report *rep, struct kt_err *err)
{
	struct rec c = { 0 };
	unsigned char h[KT_HEADER_SIZE];
	struct stat sb;
	int rc;

	memset(rep, 0, sizeof(*rep));
	kt_errf(err, 0, ~0ULL, "%s", "");
	rc = open_input(&c, in, !out, err);
	if (rc)
		return rc;
	if (fstat(c.r.fd, &sb)) {
		rc = kt_errf(err, -errno, ~0ULL, "%s", strerror(errno));
		goto out;
	}
	c.r.size = sb.st_size;
	rc = -EBADMSG;
	if (c.r.size < KT_HEADER_SIZE) {
		kt_errf(err, rc, 0, c.r.size ? "too short for a capture (%llu bytes)"
			: "empty file", (unsigned long long)c.r.size);
		goto out;
	}
	if (kt_rd(&c.r, h, sizeof(h), 0, err))
		goto out;
	if (memcmp(h, KT_MAGIC, 8)) {
		kt_errf(err, rc, 0, "not a ktrail capture (bad magic)");
		goto out;
	}
	if (kt_get32(h + 28) != crc32(0, h, 28)) {
		kt_errf(err, rc, 0, "header checksum mismatch");
		goto out;
	}
	if (kt_get16(h + 8) != KT_FORMAT_MAJOR) {
		rc = kt_errf(err, -EPROTONOSUPPORT, 8,
			     "unsupported format version %u.%u (this ktrail reads %u.x)",
			     kt_get16(h + 8), kt_get16(h + 10), KT_FORMAT_MAJOR);
		goto out;
	}
	c.end = c.fo.off = KT_HEADER_SIZE;
	while ((rc = take_block(&c)) == 1)
		;
	if (rc < 0) {
		kt_err_set(err, rc, KT_ERR_SYSTEM, ~0ULL, "out of memory");
		goto out;
	}
	if (complete(&c, in)) {
		rep->complete = true;
		rc = 0;
	} else if (!c.fo.nframes) {
		rc = kt_errf(err, -ENODATA, c.end,
			     "nothing to recover: no intact frame after the "
			     "start (%llu bytes discarded)",
			     (unsigned long long)(c.r.size - c.end));
		goto out;
	} else {
		rc = finish(&c, in, out, err);
		if (rc)
			goto out;
		rep->bytes_discarded = c.r.size - c.end;
	}
	rep->frames_kept = c.fo.nframes;
	rep->events_kept = c.events;
	rep->bytes_kept = rep->complete ? c.r.size : c.end;
	rep->last_ts = c.last_ts;
out:
	if (c.r.fd >= 0)
		close(c.r.fd);
	kt_fo_release(&c.fo);
	json_decref(c.meta);
	return rc;
}
