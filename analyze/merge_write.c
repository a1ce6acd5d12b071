// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * merge_write.c - writing the merged capture (merge.h kt_merge_write):
 * every source's snapshot tasks, then all events in time order through
 * the normal writer, each rewritten by kt_merge_event and its strings
 * interned again; beside it, a fd resolver per source (fds.h) learns the
 * 4-tuple of every TCP socket that was read or written, for
 * kt_merge_peers, and names the socket of a read or write whose record
 * does not (its file id filled in).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "analyze/merge.h"
#include "analyze/fds.h"
#include "analyze/map.h"

#define FLUSH_NS 1000000000ULL  /* the writer's strings live a frame */

struct mconn {                  /* an open TCP connection of a source */
	__u64 sock;             /* its cookie */
	__u32 pid;              /* its owner */
	struct kt_fd fd;        /* its tuple, as an fd would say it */
};

struct msrc {
	struct kt_reader *r;
	struct kt_merge_host *h;
	const struct kt_event *cur;     /* the reader's, NULL at the end */
	__u64 ts;                       /* cur's time, merged */
	struct kt_fds *fds;             /* NULL: no tuples from it */
	json_t *meta;                   /* its proc.fds in merged terms */
	struct mconn *conn;             /* owned; open connections */
	size_t nconn, conncap;
};

struct mstate {
	struct kt_writer *w;
	struct msrc *s;
	size_t n;
	struct kt_merge_tuple *tup;     /* owned */
	size_t ntup, cap;
	struct kt_map seen;             /* file id -> 1: tuple taken */
	struct kt_err *err;
};

struct task_ctx {
	struct kt_writer *w;
	const struct kt_merge_host *h;
	int rc;
};

static int add_task(const struct kt_task *task, void *arg)
{
	struct task_ctx *c = arg;
	struct kt_task t = *task;

	c->rc = kt_merge_task(&t, c->h);
	if (!c->rc)
		c->rc = kt_writer_task(c->w, &t);
	return c->rc;
}

static int src_next(struct msrc *s, struct kt_err *err)
{
	int rc = kt_reader_next(s->r, &s->cur, err);

	if (rc <= 0) {
		s->cur = NULL;
		if (rc < 0)
			kt_err_set(err, rc, KT_ERR_INPUT, err->off, "%s: %s",
				   s->h->source, err->msg);
		return rc;
	}
	s->ts = (__u64)((__int128)s->cur->ts + s->h->offset_ns);
	return 1;
}

/* intern the strings of @ev (whose handles are @orig's) in the writer */
static int restring(struct kt_writer *w, struct kt_event *ev,
		    const struct kt_event *orig)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	size_t len;

	for (__u32 i = 0; ki && i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];
		__u32 h = (__u32)kt_field_get(orig, f).u, nh;
		const char *p;

		if (f->type != KT_F_STR || !h)
			continue;
		p = kt_event_str(orig, h, &len);
		nh = kt_writer_str(w, p, len);
		if (nh == UINT32_MAX)
			return -ENOMEM;
		kt_field_set(ev, f, nh);
	}
	return 0;
}

/* ---------------------------------------------------------- 4-tuples */

static bool io_syscall(__u32 nr)
{
	switch (nr) {
	case SYS_read: case SYS_readv: case SYS_recvfrom: case SYS_recvmsg:
	case SYS_write: case SYS_writev: case SYS_sendto: case SYS_sendmsg:
		return true;
	}
	return false;
}

static int tuple_add(struct mstate *m, const struct kt_fd *fd, __u32 host)
{
	struct kt_merge_tuple *t;

	if (kt_map_get(&m->seen, fd->file_id))
		return 0;
	if (!kt_map_put(&m->seen, fd->file_id, NULL))
		return -ENOMEM;
	if (m->ntup == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;

		t = realloc(m->tup, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		m->tup = t;
		m->cap = cap;
	}
	t = &m->tup[m->ntup++];
	memset(t, 0, sizeof(*t));
	memcpy(t->laddr, fd->laddr, sizeof(t->laddr));
	memcpy(t->raddr, fd->raddr, sizeof(t->raddr));
	t->lport = fd->lport;
	t->rport = fd->rport;
	t->family = fd->family;
	t->host = host;
	t->file_id = fd->file_id;
	return 0;
}

#define TCP_LISTEN 10
#define TCP_CLOSE 7
#define TCP_ESTABLISHED 1

/* the open connections of each owner, from the state changes */
static int conn_track(struct msrc *s, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	struct mconn *c = NULL;
	size_t i;

	if (ev->kind != KT_TCP_STATE || !t->sock || !t->owner_pid ||
	    (t->family != AF_INET && t->family != AF_INET6))
		return 0;
	for (i = 0; i < s->nconn && s->conn[i].sock != t->sock; i++)
		;
	if (i < s->nconn && (t->newstate == TCP_CLOSE ||
			     t->newstate == TCP_LISTEN)) {
		s->conn[i] = s->conn[--s->nconn];
		return 0;
	}
	if (t->newstate != TCP_ESTABLISHED || !t->sport || !t->dport)
		return 0;
	if (i == s->nconn) {
		if (s->nconn == s->conncap) {
			size_t cap = s->conncap ? s->conncap * 2 : 16;
			struct mconn *v = realloc(s->conn, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			s->conn = v;
			s->conncap = cap;
		}
		s->nconn++;
	}
	c = &s->conn[i];
	memset(c, 0, sizeof(*c));
	c->sock = t->sock;
	c->pid = t->owner_pid;
	c->fd.kind = KT_FDK_SOCKET;
	c->fd.family = (__u16)t->family;
	c->fd.sotype = SOCK_STREAM;
	memcpy(c->fd.laddr, t->saddr, sizeof(c->fd.laddr));
	memcpy(c->fd.raddr, t->daddr, sizeof(c->fd.raddr));
	c->fd.lport = (__u16)t->sport;
	c->fd.rport = (__u16)t->dport;
	c->fd.flags = KT_FD_LOCAL | KT_FD_REMOTE;
	return 0;
}

/* the tuple of @pid's only open connection (a server that accepted
 * without asking the peer's address has fds without one); false when it
 * has none or several */
static bool only_conn(const struct msrc *s, __u32 pid, struct kt_fd *fd)
{
	const struct mconn *one = NULL;

	for (size_t i = 0; i < s->nconn; i++)
		if (s->conn[i].pid == pid) {
			if (one)
				return false;
			one = &s->conn[i];
		}
	if (!one)
		return false;
	*fd = one->fd;
	return true;
}

static bool has_tuple(const struct kt_fd *fd)
{
	return fd->kind == KT_FDK_SOCKET &&
	       (!fd->sotype || fd->sotype == SOCK_STREAM) &&
	       (fd->flags & (KT_FD_LOCAL | KT_FD_REMOTE)) ==
	       (KT_FD_LOCAL | KT_FD_REMOTE) && fd->lport && fd->rport;
}

/*
 * Feed the source's resolver with @ev (its strings still the source's).
 * A read or write on a TCP socket whose two addresses it knows gives
 * that socket's tuple; one whose fd says less, the tuple of its
 * process's only open connection.  OUT @fill: the socket's file id for a
 * read or write on a TCP socket whose record has none (the recorder
 * fills it only when the call blocked or woke a task; the fd names it),
 * else 0.
 */
static int learn(struct mstate *m, struct msrc *s, const struct kt_event *ev,
		 __u64 *fill)
{
	struct kt_fd fd;
	__u64 fid;
	int rc;

	*fill = 0;
	rc = conn_track(s, ev);
	if (!rc && s->fds)
		rc = kt_fds_feed(s->fds, ev);
	if (rc || ev->kind != KT_SYSCALL || ev->sys.ret <= 0 ||
	    !io_syscall(ev->sys.nr))
		return rc;
	memset(&fd, 0, sizeof(fd));
	if (s->fds)
		kt_fds_lookup(s->fds, ev->pid, (__s32)ev->sys.arg[0], ev->ts,
			      &fd);
	fid = fd.file_id ? fd.file_id : ev->sys.arg[2];
	if (KT_FILE_ID_TYPE(fid) != S_IFSOCK ||
	    (fd.kind && fd.kind != KT_FDK_SOCKET))
		return 0;
	if (!ev->sys.arg[2] && fd.kind == KT_FDK_SOCKET &&
	    (fd.family == AF_INET || fd.family == AF_INET6) &&
	    (!fd.sotype || fd.sotype == SOCK_STREAM))
		*fill = fid;
	if (!has_tuple(&fd) && !only_conn(s, ev->pid, &fd))
		return 0;
	fd.file_id = fid;
	return tuple_add(m, &fd, (__u32)(s->h->tid_base >> KT_MERGE_TID_BITS));
}

static int fds_open(struct msrc *s, const json_t *meta)
{
	struct kt_fds_opts o;
	struct kt_info in;
	const json_t *one[1] = { meta };
	__u64 done;

	kt_reader_info(s->r, &in);
	kt_fds_opts_meta(&o, meta, &in);
	if (o.no_table)
		return 0;
	s->meta = kt_merge_meta(one, s->h, 1);
	s->fds = s->meta ? kt_fds_new(&o) : NULL;
	if (!s->fds)
		return -ENOMEM;
	return kt_fds_snapshot(s->fds, s->meta, &done) == -ENOMEM ? -ENOMEM : 0;
}

/* ------------------------------------------------------------- writing */

static int start(struct mstate *m, const char *out)
{
	const json_t **metas = calloc(m->n, sizeof(*metas));
	json_t *meta = NULL;
	int rc = -ENOMEM;

	if (!metas)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		metas[i] = kt_reader_meta(m->s[i].r);
	meta = kt_merge_meta(metas, m->s[0].h, m->n);
	for (size_t i = 0; meta && i < m->n; i++) {
		rc = fds_open(&m->s[i], metas[i]);
		if (rc)
			goto out;
	}
	if (!meta)
		goto out;
	rc = kt_writer_open(&m->w, out, NULL, meta);
	if (rc) {
		kt_err_set(m->err, rc, KT_ERR_OUTPUT, ~0ULL, "%s", "");
		goto out;
	}
	for (size_t i = 0; i < m->n; i++) {
		struct task_ctx c = { m->w, m->s[i].h, 0 };

		kt_tasks_foreach(kt_reader_tasks(m->s[i].r), add_task, &c);
		if (c.rc) {
			rc = kt_err_set(m->err, c.rc, KT_ERR_INPUT, ~0ULL,
					"%s: a task's tid or time does not fit "
					"the merge", m->s[i].h->source);
			goto out;
		}
	}
	rc = 0;
out:
	free(metas);
	json_decref(meta);
	return rc;
}

static struct msrc *earliest(struct mstate *m)
{
	struct msrc *best = NULL;

	for (size_t i = 0; i < m->n; i++)
		if (m->s[i].cur && (!best || m->s[i].ts < best->ts))
			best = &m->s[i];
	return best;
}

static int copy_all(struct mstate *m, struct kt_merge_stats *st)
{
	struct msrc *s;
	struct kt_event ev;
	__u64 flushed = 0, fill;
	int rc;

	for (size_t i = 0; i < m->n; i++)
		if ((rc = src_next(&m->s[i], m->err)) < 0)
			return rc;
	while ((s = earliest(m))) {
		ev = *s->cur;
		rc = kt_merge_event(&ev, s->h);
		if (rc < 0)
			return kt_err_set(m->err, rc, KT_ERR_INPUT, ~0ULL,
				"%s: an event does not fit the merge (a tid "
				"of 2^22 or more, or a time before the first "
				"capture's clock 0: list the earliest-booted "
				"machine's capture first) at %llu ns",
				s->h->source, (unsigned long long)s->cur->ts);
		if (rc == 1) {
			s->h->clock_sync_dropped++;
		} else {
			if ((rc = learn(m, s, &ev, &fill)))
				return kt_err_set(m->err, rc, KT_ERR_SYSTEM,
						  ~0ULL, "%s", "");
			if (fill) {
				ev.sys.arg[2] = fill;
				s->h->file_ids_filled++;
			}
			if (ev.ts >= flushed + FLUSH_NS) {
				if ((rc = kt_writer_flush(m->w)))
					goto werr;
				flushed = ev.ts;
			}
			if ((rc = restring(m->w, &ev, s->cur)) ||
			    (rc = kt_writer_add(m->w, &ev)))
				goto werr;
			s->h->events++;
			st->events++;
		}
		if ((rc = src_next(s, m->err)) < 0)
			return rc;
	}
	return 0;
werr:
	return kt_err_set(m->err, rc, KT_ERR_OUTPUT, ~0ULL, "%s", "");
}

static json_t *end_meta(struct mstate *m, struct kt_merge_stats *st)
{
	json_t *hosts = json_array(), *peers = json_array(), *e;
	const json_t *one[1];
	int np;

	for (size_t i = 0; hosts && i < m->n; i++) {
		one[0] = kt_reader_meta(m->s[i].r);
		e = kt_merge_meta(one, m->s[i].h, 1);
		json_array_append(hosts, json_object_get(json_object_get(e,
			"merge"), "hosts") ? json_array_get(json_object_get(
			json_object_get(e, "merge"), "hosts"), 0) : NULL);
		json_decref(e);
	}
	st->sockets = m->ntup;
	np = peers ? kt_merge_peers(m->tup, m->ntup, peers) : -ENOMEM;
	if (np < 0 || !hosts) {
		json_decref(hosts);
		json_decref(peers);
		return NULL;
	}
	st->peers = (__u64)np;
	return json_pack("{s:{s:o,s:o}}", "merge", "hosts", hosts,
			 "peers", peers);
}

int kt_merge_write(const char *out, struct kt_reader *const *r,
		   struct kt_merge_host *h, size_t n,
		   struct kt_merge_stats *st, struct kt_err *err)
{
	struct mstate m = { .n = n, .err = err };
	json_t *end = NULL;
	int rc;

	memset(st, 0, sizeof(*st));
	kt_map_init(&m.seen, 1);
	m.s = calloc(n, sizeof(*m.s));
	if (!m.s)
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL, "%s", "");
	for (size_t i = 0; i < n; i++) {
		m.s[i].r = r[i];
		m.s[i].h = &h[i];
	}
	rc = start(&m, out);
	if (rc == -ENOMEM)
		kt_err_set(err, rc, KT_ERR_SYSTEM, ~0ULL, "%s", "");
	if (!rc)
		rc = copy_all(&m, st);
	if (!rc && !(end = end_meta(&m, st)))
		rc = kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL, "%s", "");
	if (!rc) {
		rc = kt_writer_close(m.w, end);
		m.w = NULL;
		if (rc)
			kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s", "");
	}
	kt_writer_abort(m.w);
	json_decref(end);
	for (size_t i = 0; i < n; i++) {
		kt_fds_free(m.s[i].fds);
		json_decref(m.s[i].meta);
		free(m.s[i].conn);
	}
	free(m.s);
	free(m.tup);
	kt_map_release(&m.seen);
	return rc;
}
