// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds_names.c - fd names for printers (fds.h): an fd's object in words,
 * and the two ways of asking the resolver: following a capture on a
 * reader of its own, or a batch of questions answered in one pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "analyze/fds_int.h"
#include "analyze/fmt.h"
#include "analyze/names.h"

/* ---------------------------------------------------------------- words */

/* the length snprintf into @sz bytes gave */
static size_t put(size_t sz, int n)
{
	return n < 0 ? 0 : (size_t)n < sz ? (size_t)n : sz - 1;
}

/* strace's names of a socket's protocol ("TCP", "UDPv6", "UNIX"), or
 * NULL when its family is unknown. */
static const char *proto(const struct kt_fd *fd)
{
	bool v6 = fd->family == AF_INET6;

	switch (fd->family) {
	case AF_INET:
	case AF_INET6:
		switch (fd->sotype) {
		case SOCK_STREAM: return v6 ? "TCPv6" : "TCP";
		case SOCK_DGRAM: return v6 ? "UDPv6" : "UDP";
		case SOCK_RAW: return v6 ? "RAWv6" : "RAW";
		default: return v6 ? "INET6" : "INET";
		}
	case AF_UNIX: return "UNIX";
	case AF_NETLINK: return "NETLINK";
	case AF_PACKET: return "PACKET";
	case 0: return NULL;
	default: return "socket";
	}
}

static size_t sock_fmt(char *buf, size_t sz, const struct kt_fd *fd)
{
	const char *pr = proto(fd);
	char l[KT_NAME_MAX] = "", r[KT_NAME_MAX] = "";

	if (!pr)
		return fd->file_id ? kt_fmt_file_id(buf, sz, fd->file_id) :
		       put(sz, snprintf(buf, sz, "socket"));
	if (fd->flags & KT_FD_LOCAL)
		kt_fmt_ipport(l, sizeof(l), fd->family, fd->laddr, fd->lport);
	if (fd->flags & KT_FD_REMOTE)
		kt_fmt_ipport(r, sizeof(r), fd->family, fd->raddr, fd->rport);
	if (l[0] || r[0])
		return put(sz, snprintf(buf, sz, "%s:[%s%s%s]", pr, l,
					     r[0] ? "->" : "", r));
	if (fd->name[0])
		return put(sz, snprintf(buf, sz, "%s:[%s]", pr, fd->name));
	if (fd->file_id)
		return put(sz, snprintf(buf, sz, "%s:[%llu]", pr,
			   (unsigned long long)KT_FILE_ID_INO(fd->file_id)));
	return put(sz, snprintf(buf, sz, "%s", pr));
}

/* @n bytes of @s into @buf (truncated); returns the length */
static size_t copy(char *buf, size_t sz, const char *s, size_t n)
{
	n = n < sz ? n : sz - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return n;
}

/* "pipe:[4711]" as kt_fmt_file_id, without printf: replay formats one
 * for most of its lines */
static size_t file_id_fmt(char *buf, size_t sz, __u64 id)
{
	char tmp[64], *p;
	const char *t = kt_file_type_name(id);
	size_t n = strlen(t);

	memcpy(tmp, t, n);
	memcpy(tmp + n, ":[", 2);
	p = kt_put_u64(tmp + n + 2, KT_FILE_ID_INO(id));
	*p++ = ']';
	return copy(buf, sz, tmp, p - tmp);
}

size_t kt_fd_fmt(char *buf, size_t sz, const struct kt_fd *fd)
{
	if (!sz)
		return 0;
	switch (fd->kind) {
	case KT_FDK_FILE:
	case KT_FDK_ANON:
		if (fd->name && fd->name[0])
			return copy(buf, sz, fd->name, strlen(fd->name));
		break;
	case KT_FDK_PIPE:
		if (!fd->file_id)
			return copy(buf, sz, "pipe", 4);
		break;
	case KT_FDK_SOCKET:
		return sock_fmt(buf, sz, fd);
	}
	if (fd->file_id)
		return file_id_fmt(buf, sz, fd->file_id);
	return copy(buf, sz, "?", 1);
}

/* ------------------------------------------------------------ fd names */

struct fdq {                    /* a batch question and its answer */
	__u32 pid;
	__s32 fd;
	__u64 ts;
	__u64 due;              /* answered once the stream passed it */
	int rc;
	struct kt_fd out;
	char *name;             /* owned; out.name points here */
};

/* The words of an fd asked lately: a replay line on the same fd as the
 * one before it (a read loop) formats nothing. */
#define KT_FDW_SLOTS 64
#define KT_FDW_MAX 120
struct fdwords {
	__u32 pid;
	__s32 fd;
	__u64 ver;              /* kt_fd.ver; 0 = empty */
	__u8 len;
	char s[KT_FDW_MAX];
};

struct kt_fdnames {
	struct kt_fds *f;
	struct fdwords words[KT_FDW_SLOTS];
	char scratch[512];
	bool fd_args;
	__u64 snap_done;
	__u64 limit;            /* batch: kt_fdnames_limit's bytes, 0 none */
	__u64 since;            /* read from here on; 0: the capture's start */
	/* follow */
	struct kt_reader *r;    /* owned; closed once inline takes over */
	const struct kt_event *next; /* read, not yet fed */
	bool follow, eof;
	bool inl;               /* the caller feeds (kt_fdnames_see) */
	__u64 fed;              /* inline: events up to here were fed */
	int err;
	/* batch */
	struct fdq *q;
	size_t nq, cap;
	bool answered;          /* q holds answers, sorted by key */
};

/* The resolver for @r's capture, with its snapshot unless @since (the
 * stream is read from there on: what the snapshot said may have changed
 * before it). */
static int setup(struct kt_fdnames *n, const struct kt_reader *r,
		 __u64 since)
{
	const json_t *meta = kt_reader_meta(r);
	struct kt_fds_opts o;
	struct kt_info info;

	kt_reader_info(r, &info);
	kt_fds_opts_meta(&o, meta, &info);
	n->fd_args = o.fd_args;
	memset(n->words, 0, sizeof(n->words));
	kt_fds_free(n->f);
	n->f = kt_fds_new(&o);
	if (!n->f)
		return -ENOMEM;
	n->since = since;
	n->snap_done = 0;
	if (since)
		return 0;
	return kt_fds_snapshot(n->f, meta, &n->snap_done) == -ENOMEM ?
	       -ENOMEM : 0;
}

int kt_fdnames_limit(struct kt_fdnames *n, __u64 from, __u64 max_bytes,
		     struct kt_err *err)
{
	__u64 h;
	int rc;

	if (!n)
		return 0;
	if (!n->follow) {
		n->limit = max_bytes;
		return 0;
	}
	if (n->inl || !from || !(h = kt_reader_horizon(n->r, from, max_bytes)))
		return 0;
	rc = setup(n, n->r, h);
	return rc ? rc : kt_reader_seek(n->r, h, err);
}

__u64 kt_fdnames_since(const struct kt_fdnames *n)
{
	return n ? n->since : 0;
}

int kt_fdnames_follow(struct kt_fdnames **out, const struct kt_reader *r,
		      struct kt_err *err)
{
	struct kt_fdnames *n = calloc(1, sizeof(*n));
	int rc;

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->follow = true;
	rc = kt_reader_reopen(r, &n->r, err);
	if (!rc)
		rc = setup(n, n->r, 0);
	if (rc) {
		kt_fdnames_free(n);
		return rc;
	}
	kt_reader_filter(n->r, kt_fds_kinds(), 0, 0);
	*out = n;
	return 0;
}

/* Feed the own reader's records up to @ts. */
static int follow_to(struct kt_fdnames *n, __u64 ts)
{
	struct kt_err err;
	int rc;

	while (!n->eof && !n->err) {
		if (!n->next) {
			rc = kt_reader_next(n->r, &n->next, &err);
			if (rc <= 0) {
				n->eof = true;
				n->err = rc;
				n->next = NULL;
				if (!rc)
					n->fed = ~0ULL; /* all of it */
				break;
			}
		}
		if (n->next->ts > ts)
			break;
		rc = kt_fds_feed(n->f, n->next);
		n->fed = n->next->ts;
		n->next = NULL;
		if (rc)
			n->err = rc;
	}
	if (n->next && n->fed < ts)
		n->fed = ts;    /* every event up to ts is fed */
	return n->err ? n->err : kt_fds_advance(n->f, ts);
}

void kt_fdnames_inline(struct kt_fdnames *n)
{
	if (n && n->follow)
		n->inl = true;
}

int kt_fdnames_see(struct kt_fdnames *n, const struct kt_event *ev)
{
	int rc;

	if (!n || !n->inl || n->err)
		return 0;
	/* the snapshot is applied as in follow mode, whatever asks first */
	if (n->r && n->fed < n->snap_done && follow_to(n, n->snap_done))
		return n->err;
	if (ev->ts <= n->fed)
		return 0;
	if (n->r) {
		/* the caller's events are past what the own reader fed: they
		 * take over (the ts of every event not fed is above n->fed) */
		kt_reader_close(n->r);
		n->r = NULL;
		n->next = NULL;
		n->eof = true;
	}
	rc = kt_fds_feed(n->f, ev);
	if (rc)
		n->err = rc;
	return rc;
}

struct kt_fdnames *kt_fdnames_batch(void)
{
	return calloc(1, sizeof(struct kt_fdnames));
}

int kt_fdnames_ask(struct kt_fdnames *n, __u32 pid, __s32 fd, __u64 ts)
{
	if (fd < 0 || n->follow)
		return 0;
	if (n->nq == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 64;
		struct fdq *q = realloc(n->q, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		n->q = q;
		n->cap = cap;
	}
	memset(&n->q[n->nq], 0, sizeof(n->q[0]));
	n->q[n->nq].pid = pid;
	n->q[n->nq].fd = fd;
	n->q[n->nq++].ts = ts;
	return 0;
}

static int cmp_due(const void *a, const void *b)
{
	const struct fdq *x = a, *y = b;

	return (x->due > y->due) - (x->due < y->due);
}

static int cmp_key(const void *a, const void *b)
{
	const struct fdq *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	return (x->ts > y->ts) - (x->ts < y->ts);
}

static int answer_one(struct kt_fdnames *n, struct fdq *q)
{
	int rc = kt_fds_advance(n->f, q->due);

	if (rc)
		return rc;
	q->rc = kt_fds_lookup(n->f, q->pid, q->fd, q->ts, &q->out);
	if (q->rc)
		return 0;
	q->name = strdup(q->out.name ? q->out.name : "");
	if (!q->name)
		return -ENOMEM;
	q->out.name = q->name;
	return 0;
}

int kt_fdnames_answer(struct kt_fdnames *n, const struct kt_reader *own,
		      struct kt_err *err)
{
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_info info;
	size_t i = 0;
	int rc;

	__u64 first = ~0ULL;

	if (n->follow)
		return 0;
	for (size_t k = 0; n->limit && k < n->nq; k++)
		if (n->q[k].ts < first)
			first = n->q[k].ts;
	rc = setup(n, own, n->limit && n->nq ?
		   kt_reader_horizon(own, first, n->limit) : 0);
	if (rc || !n->nq)
		return rc;
	rc = kt_reader_reopen(own, &r, err);
	if (rc)
		return rc;
	for (size_t k = 0; k < n->nq; k++)
		n->q[k].due = n->q[k].ts > n->snap_done ? n->q[k].ts :
			      n->snap_done;
	qsort(n->q, n->nq, sizeof(*n->q), cmp_due);
	kt_reader_info(r, &info);
	kt_reader_filter(r, kt_fds_kinds(), 0, 0);
	rc = kt_reader_seek(r, n->since ? n->since : info.first_ts, err);
	while (!rc && i < n->nq && (rc = kt_reader_next(r, &ev, err)) > 0) {
		rc = 0;
		while (!rc && i < n->nq && n->q[i].due < ev->ts)
			rc = answer_one(n, &n->q[i++]);
		if (!rc)
			rc = kt_fds_feed(n->f, ev);
	}
	while (rc >= 0 && i < n->nq && !(rc = answer_one(n, &n->q[i])))
		i++;
	kt_reader_close(r);
	qsort(n->q, n->nq, sizeof(*n->q), cmp_key);
	n->answered = rc >= 0;
	return rc < 0 ? rc : 0;
}

int kt_fdnames_preset(struct kt_fdnames *n, bool fd_args,
		      const struct kt_fdanswer *a, size_t na)
{
	if (n->follow)
		return -EINVAL;
	for (size_t i = 0; i < n->nq; i++)
		free(n->q[i].name);
	n->nq = 0;
	n->fd_args = fd_args;
	for (size_t i = 0; i < na; i++) {
		if (kt_fdnames_ask(n, a[i].pid, a[i].fd, a[i].ts))
			return -ENOMEM;
		if (a[i].fd < 0)
			continue;
		n->q[n->nq - 1].out = a[i].what;
	}
	if (n->nq > 1)
		qsort(n->q, n->nq, sizeof(*n->q), cmp_key);
	n->answered = true;
	return 0;
}

/* The answer to (pid, fd, ts) without a copy; NULL unknown.  Valid
 * until the next question (follow) or the end (batch). */
static const struct kt_fd *find(struct kt_fdnames *n, __u32 pid, __s32 fd,
				__u64 ts)
{
	struct fdq key = { .pid = pid, .fd = fd, .ts = ts }, *q;

	if (!n || fd < 0)
		return NULL;
	if (n->follow) {
		if (!n->f)
			return NULL;
		if (n->err || (n->r &&
			       follow_to(n, ts > n->snap_done ? ts : n->snap_done)))
			return NULL;
		return kt_fds_find(n->f, pid, fd, ts);
	}
	if (!n->answered)
		return NULL;
	q = n->nq ? bsearch(&key, n->q, n->nq, sizeof(*n->q), cmp_key) : NULL;
	return q && !q->rc ? &q->out : NULL;
}

int kt_fdnames_get(struct kt_fdnames *n, __u32 pid, __s32 fd, __u64 ts,
		   struct kt_fd *out)
{
	const struct kt_fd *x = find(n, pid, fd, ts);

	if (!x)
		return n && n->follow && n->err ? n->err : -ENOENT;
	*out = *x;
	return 0;
}

const char *kt_fdnames_words(struct kt_fdnames *n, __u32 pid, __s32 fd,
			     __u64 ts, __u64 fid, size_t *len)
{
	static char none[1], idw[64];   /* no names: only the file id */
	const struct kt_fd *x = find(n, pid, fd, ts);
	struct fdwords *w;
	struct kt_fd y;

	*len = 0;
	if (!x && !fid)
		return none;
	/* the record's own file id says the entry was wrong about it */
	if (x && fid && (x->file_id ? x->file_id != fid :
			 !kt_fd_fits(x->kind, fid)))
		x = NULL;
	if (!x) {
		*len = file_id_fmt(n ? n->scratch : idw,
				   n ? sizeof(n->scratch) : sizeof(idw), fid);
		return n ? n->scratch : idw;
	}
	/* the words are the entry's alone unless @fid fills in its id */
	if (!x->file_id && fid) {
		y = *x;
		y.file_id = fid;
		*len = kt_fd_fmt(n->scratch, sizeof(n->scratch), &y);
		return n->scratch;
	}
	w = &n->words[(kt_map_mix((__u64)pid << 32 | (__u32)fd)) %
		      KT_FDW_SLOTS];
	if (w->ver != x->ver || w->pid != pid || w->fd != fd) {
		*len = kt_fd_fmt(n->scratch, sizeof(n->scratch), x);
		if (*len >= KT_FDW_MAX)
			return n->scratch;
		w->pid = pid;
		w->fd = fd;
		w->ver = x->ver;
		w->len = *len;
		memcpy(w->s, n->scratch, *len + 1);
	}
	*len = w->len;
	return w->s;
}

bool kt_fdnames_fd_args(const struct kt_fdnames *n)
{
	return n && n->fd_args;
}

const struct kt_fds *kt_fdnames_fds(const struct kt_fdnames *n)
{
	return n ? n->f : NULL;
}

void kt_fdnames_free(struct kt_fdnames *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nq; i++)
		free(n->q[i].name);
	free(n->q);
	kt_fds_free(n->f);
	kt_reader_close(n->r);
	free(n);
}
