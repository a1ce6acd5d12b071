// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * writer.c - kt_writer: events in, frames out.  Events are copied into a
 * pending batch; a full batch (or a flush) becomes one FRAME block written
 * with one write().  The writer keeps its own task table from the events
 * it writes and puts a TASKS keyframe before the first frame and then
 * every keyframe_ns.  In flight mode the blocks stay in memory, the oldest
 * dropped past the window, until kt_writer_dump() writes them out.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "format_int.h"

#define KT_ZSTD_DEFAULT 3
/* 64K events: measured the fastest to write (the pending events stay in
 * cache) and under 1% larger than 128K or 256K; a frame is what a seek
 * has to read in full */
#define KT_FRAME_EVENTS_DEFAULT (1u << 16)
#define KT_KEYFRAME_NS_DEFAULT 10000000000ULL
/* a keyframe at least every 16 frames too, so that a seek skims at most
 * 16 frames' headers and proc columns on a busy host */
#define KT_KEYFRAME_FRAMES 16

struct fl_kf {                  /* a keyframe shared by flight frames */
	int refs;
	__u64 ts;
	struct kt_buf blk;
};

struct fl_frame {
	struct kt_buf blk;
	struct kt_frame_sum sum;
	struct fl_kf *kf;       /* task state before this frame */
};

struct kt_writer {
	struct kt_writer_opts o;
	char *path;
	json_t *meta;           /* start metadata (owned copy) */
	struct kt_fileout fo;
	struct kt_enc *enc;
	struct kt_wstrs strs;
	struct kt_tasks *tasks;
	struct kt_event *pend;
	size_t npend;
	__u64 pend_min;
	bool kf_done;           /* a keyframe is in the file */
	__u64 kf_ts;
	unsigned kf_frames;     /* frames written since the last keyframe */
	struct kt_buf out;
	int err;                /* sticky: a write failed, the file ends with
				 * what was written before (recoverable) */
	struct kt_writer_stats st;
	struct kt_anchor_log anchors;   /* of the KT_CLOCK_SYNC events */
	/* flight mode */
	struct fl_frame *fl;
	size_t nfl, flcap;
	struct fl_kf *fl_kf;    /* keyframe of the current task state */
	bool tasks_dirty;
	__u64 fl_dropped_frames, fl_dropped_events;
	__u64 fl_bytes;         /* kept frames + their distinct keyframes */
	__u64 fl_size_frames;   /* frames dropped for flight_bytes */
};

/* ------------------------------------------------------------- strings */

static __u32 str_hash(const void *p, size_t n)
{
	const unsigned char *c = p;
	__u32 h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

static int wstrs_rehash(struct kt_wstrs *s, __u32 cap)
{
	__u32 *h = calloc(cap, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (__u32 i = 0; i < s->n; i++) {
		__u32 j = str_hash(s->bytes.p + s->off[i], s->len[i]) & (cap - 1);

		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = i + 1;
	}
	free(s->hash);
	s->hash = h;
	s->hcap = cap;
	return 0;
}

__u32 kt_wstrs_intern(struct kt_wstrs *s, const void *p, size_t n)
{
	__u32 j;

	if (!n)
		return 0;
	if (n > KT_MAX_COL_RAW / 2 || s->bytes.len + n > KT_MAX_COL_RAW ||
	    s->n >= KT_MAX_FRAME_EVENTS * 4u)
		return UINT32_MAX;
	if ((s->n + 1) * 2 > s->hcap && wstrs_rehash(s, s->hcap ? s->hcap * 2 : 1024))
		return UINT32_MAX;
	j = str_hash(p, n) & (s->hcap - 1);
	while (s->hash[j]) {
		__u32 h = s->hash[j];

		if (s->len[h - 1] == n && !memcmp(s->bytes.p + s->off[h - 1], p, n))
			return h;
		j = (j + 1) & (s->hcap - 1);
	}
	if (s->n == s->cap) {
		__u32 cap = s->cap ? s->cap * 2 : 1024;
		__u32 *o = realloc(s->off, cap * sizeof(*o));

		if (!o)
			return UINT32_MAX;
		s->off = o;
		o = realloc(s->len, cap * sizeof(*o));
		if (!o)
			return UINT32_MAX;
		s->len = o;
		s->cap = cap;
	}
	s->off[s->n] = s->bytes.len;
	s->len[s->n] = n;
	if (kt_buf_put(&s->bytes, p, n))
		return UINT32_MAX;
	s->hash[j] = ++s->n;
	return s->n;
}

void kt_wstrs_clear(struct kt_wstrs *s)
{
	s->n = 0;
	s->bytes.len = 0;
	if (s->hash)
		memset(s->hash, 0, s->hcap * sizeof(*s->hash));
}

void kt_wstrs_release(struct kt_wstrs *s)
{
	kt_buf_release(&s->bytes);
	free(s->off);
	free(s->len);
	free(s->hash);
	memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------- lifecycle */

static void kf_put(struct fl_kf *k)
{
	if (k && --k->refs == 0) {
		kt_buf_release(&k->blk);
		free(k);
	}
}

static void writer_free(struct kt_writer *w)
{
	if (!w)
		return;
	if (w->fo.fd >= 0)
		close(w->fo.fd);
	kt_fo_release(&w->fo);
	kt_enc_free(w->enc);
	kt_wstrs_release(&w->strs);
	kt_tasks_free(w->tasks);
	free(w->pend);
	kt_buf_release(&w->out);
	for (size_t i = 0; i < w->nfl; i++) {
		kt_buf_release(&w->fl[i].blk);
		kf_put(w->fl[i].kf);
	}
	free(w->fl);
	kf_put(w->fl_kf);
	json_decref(w->meta);
	kt_anchor_log_release(&w->anchors);
	free(w->path);
	free(w);
}

static int create_file(const char *path, int *fd)
{
	/* a device or a FIFO (/dev/null) is neither truncated nor chmod'ed:
	 * a capture is a regular file */
	int rc = kt_out_special(path);

	if (rc)
		return rc < 0 ? rc : -EINVAL;
	*fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (*fd < 0)
		return -errno;
	/* O_TRUNC keeps the mode of an existing file: captures are private */
	if (fchmod(*fd, 0600)) {
		close(*fd);
		*fd = -1;
		return -errno;
	}
	return 0;
}

int kt_writer_open_fd(struct kt_writer **out, int fd, const char *path,
		      const struct kt_writer_opts *opts, const json_t *meta)
{
	struct kt_writer *w = calloc(1, sizeof(*w));
	int err = -ENOMEM;

	if (!w) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	w->fo.fd = fd;
	if (opts)
		w->o = *opts;
	if (!w->o.zstd_level)
		w->o.zstd_level = KT_ZSTD_DEFAULT;
	if (!w->o.frame_events)
		w->o.frame_events = KT_FRAME_EVENTS_DEFAULT;
	if (w->o.frame_events > KT_MAX_FRAME_EVENTS)
		w->o.frame_events = KT_MAX_FRAME_EVENTS;
	if (!w->o.keyframe_ns)
		w->o.keyframe_ns = KT_KEYFRAME_NS_DEFAULT;
	w->fo.sync = w->o.sync;
	w->path = strdup(path);
	w->meta = meta && json_is_object(meta) ? json_deep_copy(meta) :
						 json_object();
	w->enc = kt_enc_new(w->o.zstd_level);
	w->tasks = kt_tasks_new();
	w->pend = malloc(w->o.frame_events * sizeof(*w->pend));
	if (!w->path || !w->meta || !w->enc || !w->tasks || !w->pend)
		goto err_free;
	err = -EINVAL;
	if ((fd >= 0) == !!w->o.flight_ns)
		goto err_free;
	if (!w->o.flight_ns) {
		err = kt_fo_header(&w->fo, w->meta);
		if (err)
			goto err_free;
		w->st.bytes = w->fo.off;
	}
	*out = w;
	return 0;
err_free:
	writer_free(w);
	return err;
}

int kt_writer_open(struct kt_writer **out, const char *path,
		   const struct kt_writer_opts *opts, const json_t *meta)
{
	int fd = -1, err;

	if (!opts || !opts->flight_ns) {
		err = create_file(path, &fd);
		if (err)
			return err;
	}
	return kt_writer_open_fd(out, fd, path, opts, meta);
}

int kt_writer_task(struct kt_writer *w, const struct kt_task *task)
{
	w->tasks_dirty = true;
	return kt_tasks_add(w->tasks, task);
}

__u32 kt_writer_str(struct kt_writer *w, const void *s, size_t len)
{
	return kt_wstrs_intern(&w->strs, s, len);
}

/* ------------------------------------------------------------- frames */

/* flight_keyframe - the keyframe of the current task state, shared by
 * frames as long as no proc event changes it. */
static int flight_keyframe(struct kt_writer *w, struct fl_kf **out)
{
	struct fl_kf *k;
	int err;

	if (w->fl_kf && !w->tasks_dirty) {
		w->fl_kf->refs++;
		*out = w->fl_kf;
		return 0;
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->refs = 2;            /* w->fl_kf and the caller */
	k->ts = w->pend_min;
	/* tasks that ended within the window can still be named */
	err = kt_keyframe_block(w->tasks, w->pend_min > w->o.flight_ns ?
				w->pend_min - w->o.flight_ns : 0, k->ts,
				w->o.zstd_level, &k->blk);
	if (err) {
		kt_buf_release(&k->blk);
		free(k);
		return err;
	}
	kf_put(w->fl_kf);
	w->fl_kf = k;
	w->tasks_dirty = false;
	*out = k;
	return 0;
}

static int flight_keep(struct kt_writer *w, struct fl_kf *kf,
		       const struct kt_frame_sum *sum)
{
	struct fl_frame *f;
	__u64 newest = sum->max_ts;
	size_t drop = 0;

	if (w->nfl == w->flcap) {
		size_t n = w->flcap ? w->flcap * 2 : 16;

		f = realloc(w->fl, n * sizeof(*f));
		if (!f)
			return -ENOMEM;
		w->fl = f;
		w->flcap = n;
	}
	f = &w->fl[w->nfl++];
	f->blk = w->out;
	memset(&w->out, 0, sizeof(w->out));
	f->sum = *sum;
	f->kf = kf;
	/* frames share a keyframe in runs: it counts once, with the first
	 * frame of its run */
	w->fl_bytes += f->blk.len;
	if (w->nfl == 1 || w->fl[w->nfl - 2].kf != kf)
		w->fl_bytes += kf ? kf->blk.len : 0;
	for (size_t i = 0; i < w->nfl; i++)
		if (w->fl[i].sum.max_ts > newest)
			newest = w->fl[i].sum.max_ts;
	while (drop < w->nfl - 1 &&
	       (w->fl[drop].sum.max_ts + w->o.flight_ns < newest ||
		(w->o.flight_bytes && w->fl_bytes > w->o.flight_bytes))) {
		if (w->fl[drop].sum.max_ts + w->o.flight_ns >= newest)
			w->fl_size_frames++;
		w->fl_bytes -= w->fl[drop].blk.len;
		/* the next frame starts the run of this keyframe now, or
		 * it was the run's last */
		if (w->fl[drop + 1].kf != w->fl[drop].kf)
			w->fl_bytes -= w->fl[drop].kf ?
				       w->fl[drop].kf->blk.len : 0;
		w->fl_dropped_frames++;
		w->fl_dropped_events += w->fl[drop].sum.events;
		kt_buf_release(&w->fl[drop].blk);
		kf_put(w->fl[drop].kf);
		drop++;
	}
	memmove(w->fl, w->fl + drop, (w->nfl - drop) * sizeof(*w->fl));
	w->nfl -= drop;
	kt_anchor_log_prune(&w->anchors, w->fl[0].sum.min_ts);
	return 0;
}

static int write_frame(struct kt_writer *w)
{
	struct kt_frame_sum sum;
	struct fl_kf *kf = NULL;
	int err = 0;

	if (!w->npend)
		return 0;
	w->out.len = 0;
	if (w->o.flight_ns) {
		err = flight_keyframe(w, &kf);
	} else if (!w->kf_done || w->pend_min >= w->kf_ts + w->o.keyframe_ns ||
		   w->kf_frames >= KT_KEYFRAME_FRAMES) {
		err = kt_keyframe_block(w->tasks, w->kf_done ? w->kf_ts : 0,
					w->pend_min, w->o.zstd_level, &w->out);
		if (!err)
			err = kt_fo_keyframe(&w->fo, w->out.p, w->out.len,
					     w->pend_min);
		w->kf_done = true;
		w->kf_ts = w->pend_min;
		w->kf_frames = 0;
		w->out.len = 0;
	}
	if (err)
		goto out;
	err = kt_enc_frame(w->enc, w->pend, w->npend, &w->strs, w->tasks,
			   &w->out, &sum);
	if (err)
		goto out;
	if (sum.kind_mask & KT_PROC_KINDS)
		w->tasks_dirty = true;
	w->st.frames++;
	w->st.raw_bytes += sum.raw_bytes;
	w->npend = 0;
	if (w->o.flight_ns) {
		err = flight_keep(w, kf, &sum);
		kf = NULL;
	} else {
		err = kt_fo_frame(&w->fo, w->out.p, w->out.len, &sum);
		w->st.bytes = w->fo.off;
		w->kf_frames++;
	}
out:
	kf_put(kf);
	return err;
}

/* str_fields - per kind, the offsets of its string handles (0-ended). */
static const __u16 *str_fields(unsigned kind)
{
	static __u16 offs[KT_KIND_MAX][4];
	static bool done;

	if (!done) {
		for (unsigned k = 1; k < KT_KIND_MAX; k++) {
			const struct kt_kind_info *ki = kt_kind_info(k);
			unsigned n = 0;

			for (unsigned f = 0; f < ki->nfields && n < 3; f++)
				if (ki->fields[f].enc == KT_ENC_STR)
					offs[k][n++] = ki->fields[f].off;
		}
		done = true;
	}
	return offs[kind];
}

int kt_writer_add(struct kt_writer *w, const struct kt_event *ev)
{
	const __u16 *so;
	__u32 h;

	if (ev->kind == KT_NONE || ev->kind >= KT_KIND_MAX)
		return -EINVAL;
	for (so = str_fields(ev->kind); *so; so++) {
		memcpy(&h, (const char *)ev + *so, 4);
		if (h > w->strs.n)
			return -EINVAL;
	}
	if (w->err)
		return w->err;
	if (ev->kind == KT_CLOCK_SYNC) {
		struct kt_anchor a = kt_anchor_of(ev);
		int err = kt_anchor_log_add(&w->anchors, &a);

		if (err)
			return err;
	}
	if (!w->npend || ev->ts < w->pend_min)
		w->pend_min = ev->ts;
	w->pend[w->npend++] = *ev;
	w->st.events++;
	if (w->npend == w->o.frame_events)
		return w->err = write_frame(w);
	return 0;
}

int kt_writer_flush(struct kt_writer *w)
{
	if (!w->err)
		w->err = write_frame(w);
	kt_wstrs_clear(&w->strs);
	return w->err;
}

/* ---------------------------------------------------------- finishing */

/* end_meta_of - the start metadata with @end merged in, and the anchors
 * of the stream's KT_CLOCK_SYNC events added to clock.anchors. */
static json_t *end_meta_of(const struct kt_writer *w, const json_t *end)
{
	json_t *m = json_deep_copy(w->meta);

	if (m && ((end && json_is_object(end) && kt_meta_merge(m, end)) ||
		  kt_anchor_log_merge(&w->anchors, m))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

int kt_writer_dump(struct kt_writer *w, const char *path,
		   const json_t *end_meta)
{
	struct kt_fileout fo = { .fd = -1, .sync = w->o.sync };
	char tmp[4096] = "";
	struct fl_kf *last = NULL;
	unsigned since = 0;
	json_t *m = NULL, *fl;
	int err;

	if (!w->o.flight_ns)
		return -EINVAL;
	err = kt_writer_flush(w);
	if (err)
		return err;
	m = end_meta_of(w, end_meta);
	fl = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}",
		       "window_ns", (json_int_t)w->o.flight_ns,
		       "dropped_frames", (json_int_t)w->fl_dropped_frames,
		       "dropped_events", (json_int_t)w->fl_dropped_events,
		       "max_bytes", (json_int_t)w->o.flight_bytes,
		       "kept_bytes", (json_int_t)w->fl_bytes,
		       "dropped_for_size", (json_int_t)w->fl_size_frames);
	/* the caller's flight object (its trigger) gets the window */
	if (m && fl && json_is_object(json_object_get(m, "flight"))) {
		json_t *mine = json_deep_copy(json_object_get(m, "flight"));

		if (!mine || json_object_update(mine, fl)) {
			json_decref(mine);
			json_decref(fl);
			err = -ENOMEM;
			goto out;
		}
		json_decref(fl);
		fl = mine;
	}
	if (!m || !fl || json_object_set_new(m, "flight", fl)) {
		err = -ENOMEM;
		goto out;
	}
	path = path ? path : w->path;
	fo.fd = kt_tmp_open(path, tmp, sizeof(tmp));
	if (fo.fd < 0) {
		err = fo.fd;
		tmp[0] = 0;
		goto out;
	}
	err = kt_fo_header(&fo, m);
	for (size_t i = 0; !err && i < w->nfl; i++) {
		struct fl_frame *f = &w->fl[i];

		if (!last || (f->kf != last &&
			      (f->sum.min_ts >= last->ts + w->o.keyframe_ns ||
			       since >= KT_KEYFRAME_FRAMES))) {
			err = kt_fo_keyframe(&fo, f->kf->blk.p, f->kf->blk.len,
					     f->kf->ts);
			last = f->kf;
			since = 0;
		}
		since++;
		if (!err)
			err = kt_fo_frame(&fo, f->blk.p, f->blk.len, &f->sum);
	}
	if (!err && !w->nfl) {
		struct kt_buf b = { 0 };

		err = kt_keyframe_block(w->tasks, 0, 0, w->o.zstd_level, &b);
		if (!err)
			err = kt_fo_keyframe(&fo, b.p, b.len, 0);
		kt_buf_release(&b);
	}
	if (!err)
		err = kt_fo_finish(&fo, m);
	if (!err)
		err = kt_fsync(fo.fd);
	if (close(fo.fd) && !err)
		err = -errno;
	if (!err && tmp[0] && rename(tmp, path))
		err = -errno;
out:
	if (err && tmp[0])
		unlink(tmp);
	kt_fo_release(&fo);
	json_decref(m);
	return err;
}

/* written_events - the events of the frames in the file. */
static __u64 written_events(const struct kt_writer *w)
{
	__u64 n = 0;

	for (size_t i = 0; i < w->fo.nframes; i++)
		n += w->fo.frames[i].events;
	return n;
}

/*
 * close_failed - the end of a capture whose writes failed (a full disk):
 * cut the file back to its last whole block, then try to write the end
 * (metadata with "write_error", index, trailer), which a frame's worth of
 * freed space often holds.  When that fails too, cut it back again: the
 * file ends with whole blocks, read by a scan and finalized by `ktrail
 * recover`.  Returns the error of the writes.
 */
static int close_failed(struct kt_writer *w, const json_t *end_meta)
{
	__u64 end = w->fo.off;
	json_t *m = end_meta_of(w, end_meta);
	json_t *we = json_pack("{s:s,s:I}", "error", strerror(-w->err),
			       "events_not_written",
			       (json_int_t)(w->st.events - written_events(w)));

	if (ftruncate(w->fo.fd, end) || lseek(w->fo.fd, end, SEEK_SET) < 0 ||
	    !m || !we || json_object_set_new(m, "write_error", we))
		goto out;
	we = NULL;
	if (kt_fo_finish(&w->fo, m) || fsync(w->fo.fd)) {
		if (ftruncate(w->fo.fd, end) == 0)
			fsync(w->fo.fd);
	}
out:
	json_decref(we);
	json_decref(m);
	return w->err;
}

int kt_writer_close(struct kt_writer *w, const json_t *end_meta)
{
	json_t *m = NULL;
	int err;

	if (w->o.flight_ns || w->err) {
		err = w->err && !w->o.flight_ns ? close_failed(w, end_meta) :
						  w->err;
		writer_free(w);
		return err;
	}
	err = kt_writer_flush(w);
	if (!err && !w->kf_done) {
		/* no events: still keep the snapshot */
		w->out.len = 0;
		err = kt_keyframe_block(w->tasks, 0, 0, w->o.zstd_level, &w->out);
		if (!err)
			err = kt_fo_keyframe(&w->fo, w->out.p, w->out.len, 0);
	}
	if (!err) {
		m = end_meta_of(w, end_meta);
		err = m ? kt_fo_finish(&w->fo, m) : -ENOMEM;
	}
	if (!err && close(w->fo.fd))
		err = -errno;
	w->fo.fd = -1;
	json_decref(m);
	writer_free(w);
	return err;
}

void kt_writer_abort(struct kt_writer *w)
{
	writer_free(w);
}

void kt_writer_stats(const struct kt_writer *w, struct kt_writer_stats *st)
{
	*st = w->st;
	if (w->o.flight_ns) {
		st->bytes = 0;
		for (size_t i = 0; i < w->nfl; i++)
			st->bytes += w->fl[i].blk.len;
	}
}
