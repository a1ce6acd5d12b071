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

size_t kt_fd_fmt(char *buf, size_t sz, const struct kt_fd *fd)
{
	if (!sz)
		return 0;
	switch (fd->kind) {
	case KT_FDK_FILE:
	case KT_FDK_ANON:
		if (fd->name && fd->name[0])
			return put(sz, snprintf(buf, sz, "%s", fd->name));
		break;
	case KT_FDK_PIPE:
		if (!fd->file_id)
			return put(sz, snprintf(buf, sz, "pipe"));
		break;
	case KT_FDK_SOCKET:
		return sock_fmt(buf, sz, fd);
	}
	if (fd->file_id)
		return kt_fmt_file_id(buf, sz, fd->file_id);
	return put(sz, snprintf(buf, sz, "?"));
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

struct kt_fdnames {
	struct kt_fds *f;
	bool fd_args;
	__u64 snap_done;
	/* follow */
	struct kt_reader *r;    /* owned */
	const struct kt_event *next; /* read, not yet fed */
	bool follow, eof;
	int err;
	/* batch */
	struct fdq *q;
	size_t nq, cap;
};

/* The resolver for @r's capture, with its snapshot. */
static int setup(struct kt_fdnames *n, const struct kt_reader *r)
{
	const json_t *meta = kt_reader_meta(r);
	struct kt_fds_opts o;
	struct kt_info info;

	kt_reader_info(r, &info);
	kt_fds_opts_meta(&o, meta, &info);
	n->fd_args = o.fd_args;
	kt_fds_free(n->f);
	n->f = kt_fds_new(&o);
	if (!n->f)
		return -ENOMEM;
	return kt_fds_snapshot(n->f, meta, &n->snap_done) == -ENOMEM ?
	       -ENOMEM : 0;
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
		rc = setup(n, n->r);
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
				break;
			}
		}
		if (n->next->ts > ts)
			break;
		rc = kt_fds_feed(n->f, n->next);
		n->next = NULL;
		if (rc)
			n->err = rc;
	}
	return n->err ? n->err : kt_fds_advance(n->f, ts);
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

	if (n->follow)
		return 0;
	rc = setup(n, own);
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
	rc = kt_reader_seek(r, info.first_ts, err);
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
	return rc < 0 ? rc : 0;
}

int kt_fdnames_get(struct kt_fdnames *n, __u32 pid, __s32 fd, __u64 ts,
		   struct kt_fd *out)
{
	struct fdq key = { .pid = pid, .fd = fd, .ts = ts }, *q;
	int rc;

	if (!n || fd < 0)
		return -ENOENT;
	if (n->follow) {
		if (n->err)
			return -ENOENT;
		rc = follow_to(n, ts > n->snap_done ? ts : n->snap_done);
		if (rc)
			return rc;
		return kt_fds_lookup(n->f, pid, fd, ts, out);
	}
	q = n->nq ? bsearch(&key, n->q, n->nq, sizeof(*n->q), cmp_key) : NULL;
	if (!q || !n->f || q->rc)
		return -ENOENT;
	*out = q->out;
	return 0;
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
