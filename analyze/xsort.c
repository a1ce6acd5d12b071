// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xsort.c - external merge sort (see xsort.h).  In memory, records sit
 * one after another in an arena, each behind a header with its length
 * and the order it was added in; an index of their offsets is sorted.
 * A run on disk is the records in order, headers included, so a run is
 * read back with a buffer and no index.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xsort.h"
#include "vec.h"

struct hdr {
	__u32 len;              /* payload bytes */
	__u32 pad;
	__u64 seq;              /* order of kt_xsort_add */
};

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)
#define WBUF (256u << 10)

struct run {
	__u64 pos, end;         /* its bytes in the file */
};

/* a run being read: its next record is at buf + at */
struct cursor {
	__u64 pos, end;         /* what is not yet in buf */
	char *buf;
	size_t have, at;
};

struct kt_xsort {
	struct kt_xsort_opts o;
	char dir[PATH_MAX];
	int fd;                 /* -1 until the first run */
	__u64 fsize;
	/* in memory */
	char *arena;
	size_t used, acap;
	__u64 *idx;
	size_t n, icap;
	__u64 seq;
	/* on disk */
	struct run *runs;
	size_t nruns, rcap;
	char *wbuf;
	size_t wlen;
	/* reading */
	bool finished;
	size_t next;            /* in memory: the next index */
	struct cursor *cur;     /* merging: a cursor per run */
	size_t *heap, nheap;
	ssize_t pending;        /* the cursor of the record handed out */
	struct kt_xsort_stats st;
};

static void held(struct kt_xsort *x, __u64 extra)
{
	__u64 b = x->used + x->n * sizeof(*x->idx) + extra;

	if (b > x->st.peak)
		x->st.peak = b;
}

static const struct hdr *at(const struct kt_xsort *x, __u64 off)
{
	return (const struct hdr *)(x->arena + off);
}

static int cmp_rec(const struct kt_xsort *x, const struct hdr *a,
		   const struct hdr *b)
{
	int c = x->o.cmp(a + 1, b + 1);

	if (c)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_idx(const void *a, const void *b, void *arg)
{
	const struct kt_xsort *x = arg;

	return cmp_rec(x, at(x, *(const __u64 *)a), at(x, *(const __u64 *)b));
}

struct kt_xsort *kt_xsort_new(const struct kt_xsort_opts *o)
{
	const char *dir = o->dir ? o->dir : getenv("TMPDIR");
	struct kt_xsort *x;

	if (o->mem < KT_XSORT_MIN_MEM || !o->cmp) {
		errno = EINVAL;
		return NULL;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->o = *o;
	if (!x->o.fanin)
		x->o.fanin = KT_XSORT_FANIN;
	if (x->o.fanin < 2)
		x->o.fanin = 2;
	snprintf(x->dir, sizeof(x->dir), "%s", dir && *dir ? dir : "/tmp");
	x->fd = -1;
	x->pending = -1;
	/* pages are touched as records come: a small sort stays small */
	x->icap = o->mem / 8 / sizeof(*x->idx);
	x->acap = o->mem - x->icap * sizeof(*x->idx);
	x->arena = malloc(x->acap);
	x->idx = malloc(x->icap * sizeof(*x->idx));
	if (!x->arena || !x->idx) {
		kt_xsort_free(x);
		errno = ENOMEM;
		return NULL;
	}
	return x;
}

void kt_xsort_free(struct kt_xsort *x)
{
	if (!x)
		return;
	for (size_t i = 0; x->cur && i < x->nruns; i++)
		free(x->cur[i].buf);
	free(x->cur);
	free(x->heap);
	free(x->runs);
	free(x->wbuf);
	free(x->idx);
	free(x->arena);
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

const char *kt_xsort_dir(const struct kt_xsort *x)
{
	return x->dir;
}

void kt_xsort_stats(const struct kt_xsort *x, struct kt_xsort_stats *st)
{
	*st = x->st;
}

/* ------------------------------------------------------------ writing */

static int open_tmp(struct kt_xsort *x)
{
	char path[PATH_MAX + 32];

	if (x->fd >= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/ktrail-sort-XXXXXX", x->dir);
	x->fd = mkostemp(path, O_CLOEXEC);
	if (x->fd < 0)
		return -errno;
	unlink(path);
	x->wbuf = malloc(WBUF);
	return x->wbuf ? 0 : -ENOMEM;
}

static int flush(struct kt_xsort *x)
{
	size_t off = 0;

	while (off < x->wlen) {
		ssize_t w = pwrite(x->fd, x->wbuf + off, x->wlen - off,
				   (off_t)x->fsize);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		off += (size_t)w;
		x->fsize += (__u64)w;
	}
	x->st.spilled += x->wlen;
	x->wlen = 0;
	return 0;
}

/* a record, header and padding included (@n bytes), to the run written */
static int put(struct kt_xsort *x, const struct hdr *h, size_t n)
{
	int rc;

	if (x->wlen + n > WBUF && (rc = flush(x)))
		return rc;
	memcpy(x->wbuf + x->wlen, h, n);
	x->wlen += n;
	return 0;
}

static int add_run(struct kt_xsort *x, __u64 pos)
{
	if (!KT_GROW(x->runs, x->nruns, x->rcap))
		return -ENOMEM;
	x->runs[x->nruns].pos = pos;
	x->runs[x->nruns++].end = x->fsize;
	x->st.runs++;
	return 0;
}

/* the records held, sorted, as a run; the memory is empty after */
static int spill(struct kt_xsort *x)
{
	__u64 pos;
	int rc = open_tmp(x);

	if (rc)
		return rc;
	pos = x->fsize;
	qsort_r(x->idx, x->n, sizeof(*x->idx), cmp_idx, x);
	for (size_t i = 0; i < x->n; i++) {
		const struct hdr *h = at(x, x->idx[i]);

		if ((rc = put(x, h, sizeof(*h) + ALIGN8(h->len))))
			return rc;
	}
	if ((rc = flush(x)) || (rc = add_run(x, pos)))
		return rc;
	x->used = 0;
	x->n = 0;
	return 0;
}

int kt_xsort_add(struct kt_xsort *x, const void *rec, size_t len)
{
	size_t need = sizeof(struct hdr) + ALIGN8(len);
	struct hdr *h;
	int rc;

	if (len > KT_XSORT_MAX_REC || x->finished)
		return -EINVAL;
	if ((x->used + need > x->acap || x->n == x->icap) && (rc = spill(x)))
		return rc;
	h = (struct hdr *)(x->arena + x->used);
	h->len = (__u32)len;
	h->pad = 0;
	h->seq = x->seq++;
	memcpy(h + 1, rec, len);
	memset((char *)(h + 1) + len, 0, ALIGN8(len) - len);
	x->idx[x->n++] = x->used;
	x->used += need;
	x->st.records++;
	held(x, 0);
	return 0;
}

/* ------------------------------------------------------------ merging */

static const struct hdr *cur_rec(const struct cursor *c)
{
	return (const struct hdr *)(c->buf + c->at);
}

/* at least @need bytes of @c from c->at in its buffer; -EIO when the
 * run ends before */
static int fill(struct kt_xsort *x, struct cursor *c, size_t need)
{
	size_t keep = c->have - c->at;

	if (keep >= need)
		return 0;
	memmove(c->buf, c->buf + c->at, keep);
	c->have = keep;
	c->at = 0;
	while (c->have < need && c->pos < c->end) {
		size_t want = KT_XSORT_BUF - c->have;
		ssize_t r;

		if (want > c->end - c->pos)
			want = (size_t)(c->end - c->pos);
		r = pread(x->fd, c->buf + c->have, want, (off_t)c->pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		c->have += (size_t)r;
		c->pos += (__u64)r;
	}
	return c->have >= need ? 0 : -EIO;
}

/* make the whole next record of @c readable: 1, or 0 at the run's end */
static int cur_load(struct kt_xsort *x, struct cursor *c)
{
	int rc;

	if (c->have == c->at && c->pos == c->end)
		return 0;
	if ((rc = fill(x, c, sizeof(struct hdr))) ||
	    (rc = fill(x, c, sizeof(struct hdr) + ALIGN8(cur_rec(c)->len))))
		return rc;
	return 1;
}

static bool heap_less(const struct kt_xsort *x, size_t a, size_t b)
{
	return cmp_rec(x, cur_rec(&x->cur[a]), cur_rec(&x->cur[b])) < 0;
}

static void sift_down(struct kt_xsort *x, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, t;

		if (l < x->nheap && heap_less(x, x->heap[l], x->heap[m]))
			m = l;
		if (l + 1 < x->nheap && heap_less(x, x->heap[l + 1], x->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		t = x->heap[i];
		x->heap[i] = x->heap[m];
		x->heap[m] = t;
		i = m;
	}
}

/* cursors on runs [0, n) and a heap of those with a record */
static int open_cursors(struct kt_xsort *x, size_t n)
{
	int rc;

	x->cur = calloc(n, sizeof(*x->cur));
	x->heap = calloc(n, sizeof(*x->heap));
	if (!x->cur || !x->heap)
		return -ENOMEM;
	x->nheap = 0;
	for (size_t i = 0; i < n; i++) {
		x->cur[i].pos = x->runs[i].pos;
		x->cur[i].end = x->runs[i].end;
		x->cur[i].buf = malloc(KT_XSORT_BUF);
		if (!x->cur[i].buf)
			return -ENOMEM;
		if ((rc = cur_load(x, &x->cur[i])) < 0)
			return rc;
		if (rc)
			x->heap[x->nheap++] = i;
	}
	for (size_t i = x->nheap / 2; i-- > 0;)
		sift_down(x, i);
	held(x, n * KT_XSORT_BUF + (x->wbuf ? WBUF : 0));
	return 0;
}

static void close_cursors(struct kt_xsort *x, size_t n)
{
	for (size_t i = 0; x->cur && i < n; i++)
		free(x->cur[i].buf);
	free(x->cur);
	free(x->heap);
	x->cur = NULL;
	x->heap = NULL;
	x->nheap = 0;
}

/* the top cursor's record is used: move it on.  0 or a negative errno */
static int heap_pop(struct kt_xsort *x)
{
	struct cursor *c = &x->cur[x->heap[0]];
	int rc;

	c->at += sizeof(struct hdr) + ALIGN8(cur_rec(c)->len);
	rc = cur_load(x, c);
	if (rc < 0)
		return rc;
	if (!rc)
		x->heap[0] = x->heap[--x->nheap];
	sift_down(x, 0);
	return 0;
}

/* the first fanin runs merged into one at the file's end */
static int merge_level(struct kt_xsort *x)
{
	size_t k = x->o.fanin;
	__u64 pos = x->fsize;
	int rc = open_cursors(x, k);

	while (!rc && x->nheap) {
		const struct hdr *h = cur_rec(&x->cur[x->heap[0]]);

		rc = put(x, h, sizeof(*h) + ALIGN8(h->len));
		if (!rc)
			rc = heap_pop(x);
	}
	close_cursors(x, k);
	if (rc || (rc = flush(x)))
		return rc;
	memmove(x->runs, x->runs + k, (x->nruns - k) * sizeof(*x->runs));
	x->nruns -= k;
	return add_run(x, pos);
}

int kt_xsort_finish(struct kt_xsort *x)
{
	int rc;

	if (x->finished)
		return -EINVAL;
	x->finished = true;
	if (!x->nruns) {
		qsort_r(x->idx, x->n, sizeof(*x->idx), cmp_idx, x);
		return 0;
	}
	if (x->n && (rc = spill(x)))
		return rc;
	free(x->arena);
	free(x->idx);
	x->arena = NULL;
	x->idx = NULL;
	while (x->nruns > x->o.fanin)
		if ((rc = merge_level(x)))
			return rc;
	return open_cursors(x, x->nruns);
}

int kt_xsort_next(struct kt_xsort *x, const void **rec, size_t *len)
{
	const struct hdr *h;
	int rc;

	if (!x->finished)
		return -EINVAL;
	if (!x->cur) {          /* nothing spilled */
		if (x->next >= x->n)
			return 0;
		h = at(x, x->idx[x->next++]);
	} else {
		if (x->pending >= 0 && (rc = heap_pop(x)))
			return rc;
		x->pending = -1;
		if (!x->nheap)
			return 0;
		x->pending = (ssize_t)x->heap[0];
		h = cur_rec(&x->cur[x->heap[0]]);
	}
	*rec = h + 1;
	*len = h->len;
	return 1;
}
