// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph_io.c - reads and writes on pipes and sockets in the causal graph
 * (see graph.h): the object each syscall worked on, the messages between
 * writers and readers, and the wakeups a read gave by freeing space.
 *
 * Messages are not wakeups: a reader that frees buffer space wakes the
 * writer's side too, so a wakeup from a syscall on a socket says nothing
 * about data.  A message is a write and a read that shared bytes: per
 * object the bytes are a stream, the writes put them in (in the order of
 * their start) and the reads take the oldest out (in the order of their
 * end), so the k-th byte read is the k-th byte written.  Writes go into
 * the same pipe, or into the peer of the socket written on; the peer of a
 * socket is learned from a wakeup across the two ends (a syscall on one
 * end woke a task blocked on the other), the only record that ties two
 * socket inodes.
 *
 * Which object: the recorder fills a syscall's file id only when the call
 * blocked or woke a task, so a write that found its reader running, or a
 * read that found data waiting, has none.  Its object is the one the same
 * process's fd names in another record (an fd's object is learned from
 * any record that has it, and forgotten at close, at dup2/dup3 or an open
 * returning that fd, at exec and at exit).  A read or write whose fd is
 * not known yet is held until a later record of that fd tells it; one
 * that nothing tells within KT_WINDOW_SLACK_NS is counted as unresolved
 * and left out.  So matching waits: a read is matched once its end is
 * KT_WINDOW_SLACK_NS behind the stream, or half a sliding window when
 * that is shorter (kt_graph_finish matches the rest).
 *
 * A read that blocked found the object empty when it went to sleep (pipe
 * and socket reads without MSG_WAITALL sleep only then, short of a lock
 * held by a preempted writer): the bytes of writes that ended before the
 * read started were taken by reads not recorded (or not told); they are
 * dropped before it takes its bytes, so one lost read does not shift
 * every later message.
 *
 * Memory: the reads and writes of the last KT_WINDOW_SLACK_NS plus unread
 * writes (at most GQ_MAX per object), and per process the fds seen.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "analyze/graph_int.h"

#define GQ_MAX 4096             /* unmatched writes or reads per object */
#define PEND_MAX 64             /* ops held per fd whose object is unknown */
#define IDLE_NS (60 * KT_WINDOW_SLACK_NS) /* an object idle this long is
					   * forgotten (and its peer) */

struct gio {                    /* one read or write with bytes */
	__u64 start, end;
	__u64 bytes, left;      /* returned; not yet matched */
	__u32 utid, tid, pid;
	__u32 flags;            /* KT_SYSCALL_* */
	bool write;
	bool shared;            /* another thread's op on the same object
				 * overlapped it: their order is a guess */
};

struct gq {                     /* items v[head .. n), time-ordered */
	struct gio *v;          /* owned */
	size_t head, n, cap;
};

struct gstream {                /* a pipe or a socket */
	__u64 id;               /* file id */
	__u64 peer;             /* a socket's other end, 0 unknown */
	__u64 last;             /* latest op's end */
	struct gq out, in;      /* writes by start; reads by end */
	bool merged;            /* its peer is on another host of a merged
				 * capture (kt_graph_peers): kept */
};

struct gfd {                    /* an fd of a process (value of g->fds) */
	__u64 id;               /* its object's file id, 0 unknown */
	struct gq pend;         /* its ops while the object is unknown */
};

int kt_g_io_dir(__u32 nr)
{
	switch (nr) {
	case SYS_read: case SYS_readv: case SYS_recvfrom: case SYS_recvmsg:
	case SYS_splice:        /* arg0, the fd it reads */
		return KT_G_IO_READ;
	case SYS_write: case SYS_writev: case SYS_sendto: case SYS_sendmsg:
	case SYS_sendfile:      /* arg0, the fd it writes */
		return KT_G_IO_WRITE;
	}
	return KT_G_IO_NONE;
}

/* syscalls that return a new fd: whatever that number named is gone */
static bool returns_fd(__u32 nr)
{
	switch (nr) {
	case SYS_open: case SYS_openat: case SYS_openat2: case SYS_creat:
	case SYS_socket: case SYS_accept: case SYS_accept4:
	case SYS_dup: case SYS_dup2: case SYS_dup3:
		return true;
	}
	return false;
}

static bool is_stream(__u64 id)
{
	__u32 t = KT_FILE_ID_TYPE(id);

	return id && (t == S_IFIFO || t == S_IFSOCK);
}

static __u64 fd_key(__u32 pid, __u64 fd)
{
	return (__u64)pid << 32 | (__u32)fd;
}

/* --------------------------------------------------------------- queues */

static size_t gq_len(const struct gq *q)
{
	return q->n - q->head;
}

static struct gio *gq_head(struct gq *q)
{
	return q->n > q->head ? &q->v[q->head] : NULL;
}

static void gq_pop(struct kt_graph *g, struct gq *q)
{
	if (++q->head == q->n)
		q->head = q->n = 0;
	g->io_held--;
}

static void gq_release(struct kt_graph *g, struct gq *q)
{
	g->io_held -= gq_len(q);
	free(q->v);
	memset(q, 0, sizeof(*q));
}

static __u64 gio_key(const struct gio *x, bool by_start)
{
	return by_start ? x->start : x->end;
}

/* overlapping ops of two threads: which bytes each got is not recorded */
static void mark_shared(struct gio *a, struct gio *b)
{
	if (a->tid != b->tid && a->start < b->end && b->start < a->end)
		a->shared = b->shared = true;
}

/* Insert @x in order (by start or end); NULL after ENOMEM. */
static struct gio *gq_insert(struct kt_graph *g, struct gq *q,
			     const struct gio *x, bool by_start)
{
	size_t p;

	if (q->n == q->cap && q->head) {
		memmove(q->v, q->v + q->head, gq_len(q) * sizeof(*q->v));
		q->n -= q->head;
		q->head = 0;
	}
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		struct gio *v = realloc(q->v, cap * sizeof(*v));

		if (!v) {
			g->err = -ENOMEM;
			return NULL;
		}
		q->v = v;
		q->cap = cap;
	}
	for (p = q->n; p > q->head && gio_key(&q->v[p - 1], by_start) >
					    gio_key(x, by_start); p--)
		;
	memmove(q->v + p + 1, q->v + p, (q->n - p) * sizeof(*q->v));
	q->v[p] = *x;
	q->n++;
	if (p > q->head)
		mark_shared(&q->v[p - 1], &q->v[p]);
	if (p + 1 < q->n)
		mark_shared(&q->v[p], &q->v[p + 1]);
	if (++g->io_held > g->st.io_held_max)
		g->st.io_held_max = g->io_held;
	return &q->v[p];
}

/* ------------------------------------------------------------- streams */

static struct gstream *stream_of(struct kt_graph *g, __u64 id, bool create)
{
	__u64 v;
	struct gstream *s;

	if (kt_map_get_u64(&g->streams, id, &v))
		return (struct gstream *)(uintptr_t)v;
	if (!create)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s || kt_map_put_u64(&g->streams, id, (uintptr_t)s)) {
		free(s);
		g->err = -ENOMEM;
		return NULL;
	}
	s->id = id;
	return s;
}

static void stream_free(struct kt_graph *g, struct gstream *s)
{
	gq_release(g, &s->out);
	gq_release(g, &s->in);
	free(s);
}

/* The op's own edge, thread -> object (wrote) or object -> thread (read),
 * then the op waits in its object's queue for matching. */
static void io_add(struct kt_graph *g, __u64 id, const struct gio *x)
{
	struct gstream *s;
	struct kt_gedge *e;
	__u32 t, f;

	if (!is_stream(id) || !(s = stream_of(g, id, true)))
		return;
	g->st.io_ops++;
	if (x->end > s->last)
		s->last = x->end;
	if (kt_g_in_range(g, x->end)) {
		t = kt_g_thread(g, x->utid, x->tid, x->pid, x->end);
		f = kt_g_node(g, KT_GN_FILE, id, 0, x->end);
		e = x->write ?
		    kt_g_edge(g, KT_GE_WROTE, t, f, KT_G_NONE, x->end,
			      x->end - x->start, 0, KT_G_EXACT,
			      "its write syscalls on it") :
		    kt_g_edge(g, KT_GE_READ, f, t, KT_G_NONE, x->end,
			      x->end - x->start, 0, KT_G_EXACT,
			      "its read syscalls on it");
		if (e)
			e->bytes += x->bytes;
	}
	if (gq_len(x->write ? &s->out : &s->in) >= GQ_MAX) {
		struct gq *q = x->write ? &s->out : &s->in;

		if (!x->write)
			g->st.bytes_unmatched += gq_head(q)->left;
		gq_pop(g, q);
	}
	gq_insert(g, x->write ? &s->out : &s->in, x, x->write);
}

/* ----------------------------------------------------------------- fds */

static void fd_forget(struct kt_graph *g, __u32 pid, __u64 fd)
{
	struct gfd *f = kt_map_get(&g->fds, fd_key(pid, fd));

	if (!f)
		return;
	g->st.io_unresolved += gq_len(&f->pend);
	gq_release(g, &f->pend);
	kt_map_del(&g->fds, fd_key(pid, fd));
}

static void fd_forget_pid(struct kt_graph *g, __u32 pid)
{
	for (size_t i = 0; i < g->fds.cap; i++) {
		__u64 key;

		if (kt_map_slot(&g->fds, i, &key) && key >> 32 == pid) {
			fd_forget(g, pid, (__u32)key);
			i--;    /* backward shift may have moved one into slot i */
		}
	}
}

/* A record names the object of (pid, fd): the ops held on it go to it. */
static void fd_learn(struct kt_graph *g, __u32 pid, __u64 fd, __u64 id)
{
	struct gfd *f = kt_map_put(&g->fds, fd_key(pid, fd), NULL);
	struct gq pend;

	if (!f) {
		g->err = -ENOMEM;
		return;
	}
	f->id = id;
	pend = f->pend;         /* io_add does not touch g->fds */
	memset(&f->pend, 0, sizeof(f->pend));
	for (size_t i = pend.head; i < pend.n; i++)
		io_add(g, id, &pend.v[i]);
	gq_release(g, &pend);
}

static void fd_hold(struct kt_graph *g, __u32 pid, __u64 fd,
		    const struct gio *x)
{
	struct gfd *f = kt_map_put(&g->fds, fd_key(pid, fd), NULL);

	if (!f) {
		g->err = -ENOMEM;
		return;
	}
	if (gq_len(&f->pend) >= PEND_MAX) {
		g->st.io_unresolved++;
		gq_pop(g, &f->pend);
	}
	gq_insert(g, &f->pend, x, false);
}

void kt_g_io_sys(struct kt_graph *g, const struct kt_tl_span *sp)
{
	const struct kt_tl_sys *s = &sp->sys;
	__u64 fd = s->arg[0], id = kt_tl_sys_file_id(s);
	const struct gfd *f;
	int dir = kt_g_io_dir(s->nr);
	struct gio x;

	/* an unfinished call has no return value yet */
	if (!sp->pid || (s->flags & KT_SYSCALL_UNFINISHED))
		return;
	if (returns_fd(s->nr) && s->ret >= 0)
		fd_forget(g, sp->pid, s->ret);
	if (id)
		fd_learn(g, sp->pid, fd, id);
	if (dir != KT_G_IO_NONE && s->ret > 0) {
		memset(&x, 0, sizeof(x));
		x.start = s->start;
		x.end = s->end;
		x.bytes = x.left = s->ret;
		x.utid = sp->utid;
		x.tid = sp->tid;
		x.pid = sp->pid;
		x.flags = s->flags;
		x.write = dir == KT_G_IO_WRITE;
		if (!id && (f = kt_map_get(&g->fds, fd_key(sp->pid, fd))))
			id = f->id;
		if (id)
			io_add(g, id, &x);
		else
			fd_hold(g, sp->pid, fd, &x);
	}
	if (s->nr == SYS_close)
		fd_forget(g, sp->pid, fd);
}

void kt_g_io_raw(struct kt_graph *g, const struct kt_event *ev)
{
	/* exec closes the close-on-exec fds, unrecorded */
	if (ev->kind == KT_PROC_EXEC ||
	    (ev->kind == KT_PROC_EXIT && (ev->exit.flags & KT_EXIT_GROUP)))
		fd_forget_pid(g, ev->pid);
}

/* ------------------------------------------------------------- wakeups */

static void learn_peer(struct kt_graph *g, __u64 a, __u64 b)
{
	struct gstream *x = stream_of(g, a, true), *y = stream_of(g, b, true);

	/* one peer each: a later contradiction is not trusted */
	if (x && y && !x->peer && !y->peer) {
		x->peer = b;
		y->peer = a;
	}
}

void kt_g_io_woke(struct kt_graph *g, __u32 waker, __u32 wakee,
		  const struct kt_tl_sys *ws, const struct kt_tl_sys *rs,
		  __u64 ts, __u64 wait)
{
	__u64 w = kt_tl_sys_file_id(ws), r = kt_tl_sys_file_id(rs);
	int wd = kt_g_io_dir(ws->nr), rd = kt_g_io_dir(rs->nr);
	const char *why = NULL;
	__u32 wf, rf;

	if (!is_stream(w) || !is_stream(r) || wd == KT_G_IO_NONE || rd == KT_G_IO_NONE)
		return;
	if (w != r && KT_FILE_ID_TYPE(w) == S_IFSOCK &&
	    KT_FILE_ID_TYPE(r) == S_IFSOCK)
		learn_peer(g, w, r);
	if (waker == KT_G_NONE || wakee == KT_G_NONE)
		return;
	rf = kt_g_node(g, KT_GN_FILE, r, 0, ts);
	if (w != r) {
		wf = kt_g_node(g, KT_GN_FILE, w, 0, ts);
		kt_g_edge(g, KT_GE_PEER, wf, rf, KT_G_NONE, ts, 0, 0, KT_G_EXACT,
			  "a syscall on one end woke a task blocked on the other");
	}
	if (wd != KT_G_IO_READ)
		return;         /* a write that woke a reader: messages say more */
	if (rd == KT_G_IO_WRITE)
		why = w == r ? "the read freed space in the pipe: woke the writer blocked in it" :
			       "the read freed space: woke the writer blocked on the peer socket";
	else if (w != r)
		why = "the read freed the peer socket's send space: woke a task reading it, no data for it";
	if (why)
		kt_g_edge(g, KT_GE_FREED_SPACE, waker, wakee, rf, ts, wait, 0,
			  KT_G_EXACT, why);
}

int kt_graph_peers(struct kt_graph *g, const json_t *meta)
{
	const json_t *pr;
	struct gstream *x, *y;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(meta, "merge"),
					   "peers"), i, pr) {
		json_int_t a = json_integer_value(json_array_get(pr, 0));
		json_int_t b = json_integer_value(json_array_get(pr, 1));

		if (a <= 0 || b <= 0)
			continue;
		learn_peer(g, KT_FILE_ID(S_IFSOCK, a), KT_FILE_ID(S_IFSOCK, b));
		x = stream_of(g, KT_FILE_ID(S_IFSOCK, a), false);
		y = stream_of(g, KT_FILE_ID(S_IFSOCK, b), false);
		if (g->err)
			return g->err;
		if (x && y)
			x->merged = y->merged = true;
	}
	return 0;
}

/* ------------------------------------------------------------ matching */

static void message(struct kt_graph *g, const struct gio *w,
		    const struct gio *r, __u64 bytes, const struct gstream *rs)
{
	bool pipe = KT_FILE_ID_TYPE(rs->id) == S_IFIFO;
	struct kt_gedge *e;
	__u32 a, b, via;

	g->st.msgs++;
	if (!kt_g_current(g, r->end))
		return;
	a = kt_g_thread(g, w->utid, w->tid, w->pid, r->end);
	b = kt_g_thread(g, r->utid, r->tid, r->pid, r->end);
	via = kt_g_node(g, KT_GN_FILE, rs->id, 0, r->end);
	e = kt_g_edge(g, KT_GE_WROTE_READ, a, b, via, r->end, r->end - w->start,
		      0, w->shared || r->shared ? KT_G_NEAR : KT_G_EXACT,
		      w->shared || r->shared ?
		      "threads wrote or read the object at once: which bytes each got is taken from syscall times" :
		      pipe ? "the read returned bytes this write put into the same pipe" :
		      "the read returned bytes this write sent from the peer socket");
	if (e)
		e->bytes += bytes;
}

/* Read @r takes the oldest unread bytes the writes of @ws put in. */
static void consume(struct kt_graph *g, struct gstream *ws,
		    struct gstream *rs, struct gio *r)
{
	struct gio *w;
	__u64 n;

	/* empty when it slept: earlier writes' bytes went to reads unseen */
	while ((r->flags & KT_SYSCALL_BLOCKED) && ws &&
	       (w = gq_head(&ws->out)) && w->end < r->start)
		gq_pop(g, &ws->out);
	while (r->left && ws && (w = gq_head(&ws->out)) && w->start < r->end) {
		n = r->left < w->left ? r->left : w->left;
		message(g, w, r, n, rs);
		w->left -= n;
		r->left -= n;
		if (!w->left)
			gq_pop(g, &ws->out);
	}
	g->st.bytes_unmatched += r->left;
}

static void match_stream(struct kt_graph *g, struct gstream *rs,
			 __u64 horizon)
{
	struct gstream *ws = KT_FILE_ID_TYPE(rs->id) == S_IFIFO ? rs :
			     rs->peer ? stream_of(g, rs->peer, false) : NULL;
	struct gio *r;

	while ((r = gq_head(&rs->in)) && r->end < horizon) {
		consume(g, ws, rs, r);
		gq_pop(g, &rs->in);
	}
}

void kt_g_io_flush(struct kt_graph *g, __u64 horizon)
{
	for (size_t i = 0; i < g->fds.cap; i++) {
		__u64 key;
		struct gfd *f = kt_map_slot(&g->fds, i, &key);
		struct gio *x;

		if (!f)
			continue;
		while ((x = gq_head(&f->pend)) && x->end < horizon) {
			g->st.io_unresolved++;
			gq_pop(g, &f->pend);
		}
		if (!f->id && !gq_len(&f->pend)) {
			gq_release(g, &f->pend);
			kt_map_del(&g->fds, key);
			i--;
		}
	}
	for (size_t i = 0; i < g->streams.cap; i++) {
		__u64 *v = kt_map_slot(&g->streams, i, NULL);

		if (v)
			match_stream(g, (struct gstream *)(uintptr_t)*v, horizon);
	}
	for (size_t i = 0; horizon > IDLE_NS && i < g->streams.cap; i++) {
		__u64 key, *v = kt_map_slot(&g->streams, i, &key);
		struct gstream *s = v ? (struct gstream *)(uintptr_t)*v : NULL;

		if (s && !s->merged && s->last < horizon - IDLE_NS) {
			stream_free(g, s);
			kt_map_del(&g->streams, key);
			i--;
		}
	}
}

void kt_g_io_init(struct kt_graph *g)
{
	kt_map_init(&g->fds, sizeof(struct gfd));
	kt_map_init(&g->streams, sizeof(__u64));
}

void kt_g_io_release(struct kt_graph *g)
{
	for (size_t i = 0; i < g->fds.cap; i++) {
		struct gfd *f = kt_map_slot(&g->fds, i, NULL);

		if (f)
			gq_release(g, &f->pend);
	}
	for (size_t i = 0; i < g->streams.cap; i++) {
		__u64 *v = kt_map_slot(&g->streams, i, NULL);

		if (v)
			stream_free(g, (struct gstream *)(uintptr_t)*v);
	}
	kt_map_release(&g->fds);
	kt_map_release(&g->streams);
}
