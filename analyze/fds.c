// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds.c - the fd resolver's tables (see fds.h): processes, their fd
 * tables and each fd's entries, the snapshot of the fds open at start,
 * forks, execs and exits; the syscalls are fds_sys.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "analyze/fds_int.h"

/* ------------------------------------------------------------- strings */

struct kt_fdstr *kt_fdstr_new(struct kt_fds *f, const char *s, size_t n)
{
	struct kt_fdstr *x = malloc(sizeof(*x) + n + 1);

	if (!x)
		return NULL;
	x->ref = 1;
	x->len = n;
	memcpy(x->s, s, n);
	x->s[n] = 0;
	f->st.bytes += sizeof(*x) + n + 1;
	return x;
}

void kt_fdstr_put(struct kt_fds *f, struct kt_fdstr *s)
{
	if (!s || --s->ref)
		return;
	f->st.bytes -= sizeof(*s) + s->len + 1;
	free(s);
}

static struct kt_fdstr *str_get(struct kt_fdstr *s)
{
	if (s)
		s->ref++;
	return s;
}

/* ------------------------------------------------------------- entries */

static void peak(struct kt_fds *f)
{
	if (f->st.binds > f->st.peak_binds)
		f->st.peak_binds = f->st.binds;
	if (f->st.bytes > f->st.peak_bytes)
		f->st.peak_bytes = f->st.bytes;
	if (f->st.procs > f->st.peak_procs)
		f->st.peak_procs = f->st.procs;
}

/* An entry copying @tmpl, named by @str (a new reference). */
static struct kt_fdb *fdb_new(struct kt_fds *f, const struct kt_fd *tmpl,
			      struct kt_fdstr *str)
{
	struct kt_fdb *b = malloc(sizeof(*b));

	if (!b)
		return NULL;
	b->fd = *tmpl;
	b->fd.ver = ++f->ver;
	b->str = str_get(str);
	b->fd.name = str ? str->s : "";
	f->st.binds++;
	f->st.bytes += sizeof(*b);
	peak(f);
	return b;
}

static void fdb_free(struct kt_fds *f, struct kt_fdb *b)
{
	if (!b)
		return;
	kt_fdstr_put(f, b->str);
	f->st.binds--;
	f->st.bytes -= sizeof(*b);
	free(b);
}

/* Move @s's open entry to its closed ones, ended at @ts. */
static void slot_end(struct kt_fds *f, struct kt_fdslot *s, __u64 ts)
{
	if (!s->cur)
		return;
	s->cur->fd.end = ts > s->cur->fd.start ? ts : s->cur->fd.start;
	if (s->nold == KT_FDS_HIST)
		fdb_free(f, s->old[--s->nold]);
	memmove(s->old + 1, s->old, s->nold * sizeof(s->old[0]));
	s->old[0] = s->cur;
	s->nold++;
	s->cur = NULL;
}

static void slot_release(struct kt_fds *f, struct kt_fdslot *s)
{
	fdb_free(f, s->cur);
	for (unsigned i = 0; i < s->nold; i++)
		fdb_free(f, s->old[i]);
	s->cur = NULL;
	s->nold = 0;
}

/* ---------------------------------------------------------- fd tables */

#define SLOT_BYTES (sizeof(struct kt_fdslot) + sizeof(__u64) + 1)

static struct kt_fdt *fdt_new(struct kt_fds *f)
{
	struct kt_fdt *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ref = 1;
	kt_map_init(&t->fds, sizeof(struct kt_fdslot));
	f->st.bytes += sizeof(*t);
	return t;
}

static void fdt_put(struct kt_fds *f, struct kt_fdt *t)
{
	if (!t || --t->ref)
		return;
	for (size_t i = 0; i < t->fds.cap; i++) {
		struct kt_fdslot *s = kt_map_slot(&t->fds, i, NULL);

		if (s)
			slot_release(f, s);
	}
	f->st.bytes -= sizeof(*t) + t->fds.cap * SLOT_BYTES;
	kt_map_release(&t->fds);
	free(t);
}

struct kt_fdslot *kt_fds_slot(struct kt_fdproc *p, __s32 fd, bool create)
{
	if (fd < 0 || !p->t)
		return NULL;
	if (!create)
		return kt_map_get(&p->t->fds, (__u32)fd);
	return kt_map_put(&p->t->fds, (__u32)fd, NULL);
}

/* kt_fds_slot with the table's growth counted in the memory figure. */
static struct kt_fdslot *slot_make(struct kt_fds *f, struct kt_fdproc *p,
				   __s32 fd)
{
	size_t cap = p->t ? p->t->fds.cap : 0;
	struct kt_fdslot *s = kt_fds_slot(p, fd, true);

	if (s && p->t->fds.cap != cap) {
		f->st.bytes += (p->t->fds.cap - cap) * SLOT_BYTES;
		peak(f);
	}
	return s;
}

/* ------------------------------------------------------------ processes */

static void proc_free(struct kt_fds *f, struct kt_fdproc *p)
{
	if (!p)
		return;
	fdt_put(f, p->t);
	kt_fdstr_put(f, p->cwd);
	f->st.bytes -= sizeof(*p);
	f->st.procs--;
	free(p);
}

static struct kt_fdproc *proc_new(struct kt_fds *f, __u32 pid, __u64 born)
{
	struct kt_fdproc *p = calloc(1, sizeof(*p)), *old;
	__u64 v;

	if (!p)
		return NULL;
	p->born = born;
	f->st.bytes += sizeof(*p);
	f->st.procs++;
	if (kt_map_get_u64(&f->procs, pid, &v)) {
		old = (struct kt_fdproc *)(uintptr_t)v;
		proc_free(f, old);
	}
	if (kt_map_put_u64(&f->procs, pid, (uintptr_t)p)) {
		kt_map_del(&f->procs, pid);
		proc_free(f, p);
		return NULL;
	}
	peak(f);
	return p;
}

struct kt_fdproc *kt_fds_proc(struct kt_fds *f, __u32 pid, bool create)
{
	struct kt_fdproc *p;
	__u64 v;

	if (kt_map_get_u64(&f->procs, pid, &v))
		return (struct kt_fdproc *)(uintptr_t)v;
	if (!create)
		return NULL;
	p = proc_new(f, pid, 0);
	if (p && !(p->t = fdt_new(f))) {
		kt_map_del(&f->procs, pid);
		proc_free(f, p);
		p = NULL;
	}
	return p;
}

/* A process's exit: its table goes KT_FDS_LINGER_NS later, so that the
 * questions about its last syscalls, which come a little behind the
 * stream, still find it. */
static int proc_exit(struct kt_fds *f, __u32 pid, __u64 ts)
{
	struct kt_fdproc *p = kt_fds_proc(f, pid, false);

	if (!p || p->dead)
		return 0;
	p->dead = ts;
	if (f->ndead == f->dead_cap) {
		size_t cap = f->dead_cap ? f->dead_cap * 2 : 64;
		void *v = realloc(f->dead, cap * sizeof(*f->dead));

		if (!v)
			return -ENOMEM;
		f->dead = v;
		f->dead_cap = cap;
	}
	f->dead[f->ndead].pid = pid;
	f->dead[f->ndead++].dead = ts;
	return 0;
}

static void reap(struct kt_fds *f)
{
	struct kt_fdproc *p;

	while (f->dead_head < f->ndead &&
	       f->dead[f->dead_head].dead + KT_FDS_LINGER_NS < f->pos) {
		p = kt_fds_proc(f, f->dead[f->dead_head].pid, false);
		if (p && p->dead == f->dead[f->dead_head].dead) {
			kt_map_del(&f->procs, f->dead[f->dead_head].pid);
			proc_free(f, p);
		}
		f->dead_head++;
	}
	if (f->dead_head && f->dead_head * 2 >= f->ndead) {
		memmove(f->dead, f->dead + f->dead_head,
			(f->ndead - f->dead_head) * sizeof(*f->dead));
		f->ndead -= f->dead_head;
		f->dead_head = 0;
	}
}

/* ---------------------------------------------------- table operations */

/* Open fd @fd of @p at @ts with @tmpl, named by @str (borrowed). */
static struct kt_fdb *open_str(struct kt_fds *f, struct kt_fdproc *p,
			       __s32 fd, __u64 ts, const struct kt_fd *tmpl,
			       struct kt_fdstr *str)
{
	struct kt_fdslot *s = slot_make(f, p, fd);
	struct kt_fdb *b;

	if (!s)
		return NULL;
	b = fdb_new(f, tmpl, str);
	if (!b)
		return NULL;
	slot_end(f, s, ts);
	b->fd.start = ts;
	b->fd.end = 0;
	s->cur = b;
	return b;
}

struct kt_fdb *kt_fds_open(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
			   __u64 ts, const struct kt_fd *tmpl,
			   const char *name, size_t n)
{
	struct kt_fdstr *str = NULL;
	struct kt_fdb *b;

	if (fd < 0)
		return NULL;
	if (name && n && !(str = kt_fdstr_new(f, name, n)))
		return NULL;
	b = open_str(f, p, fd, ts, tmpl, str);
	kt_fdstr_put(f, str);
	return b;
}

struct kt_fdb *kt_fds_revise(struct kt_fds *f, struct kt_fdproc *p,
			     __s32 fd, __u64 ts, struct kt_fdb *b)
{
	struct kt_fd t = b->fd;
	__u64 start = b->fd.start;

	if (start >= ts)        /* made by this very record: no earlier view */
		return b;
	b = open_str(f, p, fd, ts, &t, b->str);
	return b;
}

struct kt_fdb *kt_fds_create(struct kt_fds *f, struct kt_fdproc *p,
			     __s32 fd, __u64 ts, const struct kt_fd *tmpl,
			     const char *name, size_t n)
{
	struct kt_fdslot *s = kt_fds_slot(p, fd, false);

	if (s && s->cur)
		f->st.stale++;
	return kt_fds_open(f, p, fd, ts, tmpl, name, n);
}

int kt_fds_dup(struct kt_fds *f, struct kt_fdproc *p, __s32 ofd, __s32 nfd,
	       __u64 ts, bool cloexec)
{
	struct kt_fdslot *s = kt_fds_slot(p, ofd, false);
	struct kt_fdb *src = s ? s->cur : NULL, *b;
	struct kt_fd tmpl;

	if (nfd < 0)
		return 0;
	if (!src) {             /* a copy of something unknown */
		kt_fds_close(f, p, nfd, 0, ts);
		return 0;
	}
	tmpl = src->fd;
	tmpl.flags = (tmpl.flags & ~(KT_FD_CLOEXEC | KT_FD_CLOEXEC_UNKNOWN)) |
		     (cloexec ? KT_FD_CLOEXEC : 0);
	b = open_str(f, p, nfd, ts, &tmpl, src->str);
	return b ? 0 : -ENOMEM;
}

void kt_fds_close(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
		  __u64 since, __u64 ts)
{
	struct kt_fdslot *s = kt_fds_slot(p, fd, false);

	if (s && s->cur && (!since || s->cur->fd.start <= since))
		slot_end(f, s, ts);
}

void kt_fds_close_all(struct kt_fds *f, struct kt_fdproc *p, __u64 ts,
		      bool cloexec, bool unsure)
{
	for (size_t i = 0; p->t && i < p->t->fds.cap; i++) {
		struct kt_fdslot *s = kt_map_slot(&p->t->fds, i, NULL);

		if (!s || !s->cur)
			continue;
		if (cloexec && !(s->cur->fd.flags & (KT_FD_CLOEXEC |
						     KT_FD_CLOEXEC_UNKNOWN)))
			continue;
		if (unsure || (s->cur->fd.flags & KT_FD_CLOEXEC_UNKNOWN))
			f->st.dropped++;
		slot_end(f, s, ts);
	}
}

/* A copy of @src's open entries (a fork, an unshare). */
static struct kt_fdt *fdt_copy(struct kt_fds *f, const struct kt_fdt *src)
{
	struct kt_fdt *t = fdt_new(f);
	struct kt_fdproc tmp = { .t = t };

	for (size_t i = 0; t && src && i < src->fds.cap; i++) {
		__u64 fd;
		struct kt_fdslot *s = kt_map_slot(&src->fds, i, &fd);

		if (!s || !s->cur)
			continue;
		if (!open_str(f, &tmp, (__s32)fd, s->cur->fd.start, &s->cur->fd,
			      s->cur->str)) {
			fdt_put(f, t);
			return NULL;
		}
	}
	return t;
}

int kt_fds_unshare(struct kt_fds *f, struct kt_fdproc *p)
{
	struct kt_fdt *t;

	if (!p->t || p->t->ref == 1)
		return 0;
	t = fdt_copy(f, p->t);
	if (!t)
		return -ENOMEM;
	fdt_put(f, p->t);
	p->t = t;
	return 0;
}

int kt_fds_fork(struct kt_fds *f, __u32 parent, __u32 child, __u64 ts,
		bool share)
{
	struct kt_fdproc *pp = kt_fds_proc(f, parent, false), *c;
	struct kt_fdt *t;
	struct kt_fdstr *cwd;

	if (pp && share) {
		t = pp->t;
		t->ref++;
	} else {
		t = pp ? fdt_copy(f, pp->t) : fdt_new(f);
	}
	if (!t)
		return -ENOMEM;
	cwd = pp ? str_get(pp->cwd) : NULL;
	c = proc_new(f, child, ts);     /* may move pp: not used after */
	if (!c) {
		fdt_put(f, t);
		kt_fdstr_put(f, cwd);
		return -ENOMEM;
	}
	c->t = t;
	c->cwd = cwd;
	return 0;
}

int kt_fds_exec(struct kt_fds *f, struct kt_fdproc *p, __u64 ts)
{
	int rc = kt_fds_unshare(f, p);

	if (rc)
		return rc;
	p->execd = true;
	kt_fds_close_all(f, p, ts, true, false);
	return 0;
}

bool kt_fd_fits(unsigned kind, __u64 id)
{
	unsigned t = KT_FILE_ID_TYPE(id);

	switch (kind) {
	case KT_FDK_PIPE:
		return t == S_IFIFO;
	case KT_FDK_SOCKET:
		return t == S_IFSOCK;
	case KT_FDK_FILE:
		return t != S_IFSOCK;
	case KT_FDK_ANON:
		return t != S_IFSOCK && t != S_IFIFO;
	default:
		return true;
	}
}

int kt_fds_learn(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
		 __u64 enter, __u64 end, __u64 id)
{
	struct kt_fdslot *s = kt_fds_slot(p, fd, false);
	struct kt_fdb *b = s ? s->cur : NULL;
	struct kt_fd tmpl = { .origin = KT_FDO_FILE_ID,
			      .flags = KT_FD_CLOEXEC_UNKNOWN, .file_id = id };

	if (fd < 0)
		return 0;
	if (b && b->fd.start > enter)
		return 0;       /* a newer entry: another thread reopened it */
	if (b && b->fd.file_id == id)
		return 0;
	if (b && !b->fd.file_id && kt_fd_fits(b->fd.kind, id)) {
		b->fd.file_id = id;
		kt_fds_changed(f, b);
		return 0;
	}
	if (b)
		f->st.dropped++;        /* the table was wrong about it */
	tmpl.kind = KT_FILE_ID_TYPE(id) == S_IFIFO ? KT_FDK_PIPE :
		    KT_FILE_ID_TYPE(id) == S_IFSOCK ? KT_FDK_SOCKET :
		    KT_FDK_UNKNOWN;
	return kt_fds_open(f, p, fd, end, &tmpl, NULL, 0) ? 0 : -ENOMEM;
}

size_t kt_fds_join(char *buf, size_t sz, const struct kt_fdstr *base,
		   const char *path, size_t n)
{
	bool rel = !(n && path[0] == '/') && !base;
	size_t len = 0, i = 0, j, k;

	if (sz < 2) {
		if (sz)
			buf[0] = 0;
		return 0;
	}
	if (base && !(n && path[0] == '/')) {
		len = base->len < sz - 1 ? base->len : sz - 1;
		memcpy(buf, base->s, len);
		while (len && buf[len - 1] == '/')
			len--;
	}
	while (i < n) {
		while (i < n && path[i] == '/')
			i++;
		for (j = i; j < n && path[j] != '/'; j++)
			;
		if (j > i && !(j - i == 1 && path[i] == '.')) {
			if ((len || !rel) && len < sz - 1)
				buf[len++] = '/';
			k = j - i < sz - 1 - len ? j - i : sz - 1 - len;
			memcpy(buf + len, path + i, k);
			len += k;
		}
		i = j;
	}
	if (!len)
		buf[len++] = rel ? '.' : '/';
	buf[len] = 0;
	return len;
}

/* ---------------------------------------------------------------- api */

void kt_fds_opts_meta(struct kt_fds_opts *o, const json_t *meta,
		      const struct kt_info *info)
{
	const json_t *rec = json_object_get(meta, "record");
	const char *sel = json_string_value(json_object_get(rec, "syscalls"));
	static const char *const closers[] = {
		"close", "dup2", "dup3", "close_range",
	};

	memset(o, 0, sizeof(*o));
	o->fd_args = json_is_true(json_object_get(rec, "fd_args"));
	o->no_proc = info && !info->kind_events[KT_PROC_FORK] &&
		     !info->kind_events[KT_PROC_EXEC] &&
		     !info->kind_events[KT_PROC_EXIT];
	for (size_t i = 0; sel && i < sizeof(closers) / sizeof(*closers); i++) {
		const char *p = sel;
		size_t n = strlen(closers[i]);

		while ((p = strstr(p, closers[i])) &&
		       ((p != sel && p[-1] != ',') || (p[n] && p[n] != ',')))
			p += n;
		if (!p)
			o->no_table = true;
	}
}

struct kt_fds *kt_fds_new(const struct kt_fds_opts *o)
{
	struct kt_fds *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	if (o)
		f->o = *o;
	kt_map_init(&f->procs, sizeof(__u64));
	kt_map_init(&f->tcp, sizeof(struct kt_fdtcp));
	return f;
}

void kt_fds_free(struct kt_fds *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->procs.cap; i++) {
		__u64 *v = kt_map_slot(&f->procs, i, NULL);

		if (v)
			proc_free(f, (struct kt_fdproc *)(uintptr_t)*v);
	}
	kt_map_release(&f->procs);
	kt_map_release(&f->tcp);
	free(f->dead);
	free(f->snap);
	json_decref(f->snap_meta);
	free(f);
}

__u64 kt_fds_kinds(void)
{
	return KT_KIND_BIT(KT_SYSCALL) | KT_KIND_BIT(KT_PROC_FORK) |
	       KT_KIND_BIT(KT_PROC_EXEC) | KT_KIND_BIT(KT_PROC_EXIT) |
	       KT_KIND_BIT(KT_TCP_STATE) | KT_KIND_BIT(KT_LOST);
}

int kt_fds_advance(struct kt_fds *f, __u64 ts)
{
	int rc;

	if (ts > f->pos)
		f->pos = ts;
	while (f->snap_next < f->nsnap && f->snap[f->snap_next].ns <= f->pos)
		if ((rc = kt_fds_snap_apply(f, &f->snap[f->snap_next++])))
			return rc;
	reap(f);
	return 0;
}

/* Lost syscall records may have closed anything: drop every entry. */
static void lost(struct kt_fds *f, const struct kt_event *ev)
{
	if ((ev->lost.family != KT_FAM_SYSCALL &&
	     ev->lost.family != KT_FAM_MAX) || !ev->lost.count)
		return;
	for (size_t i = 0; i < f->procs.cap; i++) {
		__u64 *v = kt_map_slot(&f->procs, i, NULL);

		if (v)
			kt_fds_close_all(f, (struct kt_fdproc *)(uintptr_t)*v,
					 ev->ts, false, true);
	}
}

int kt_fds_feed(struct kt_fds *f, const struct kt_event *ev)
{
	struct kt_fdproc *p;
	int rc;

	if (ev->kind >= 64 || !(kt_fds_kinds() & KT_KIND_BIT(ev->kind)))
		return 0;
	if ((rc = kt_fds_advance(f, ev->ts)))
		return rc;
	f->st.events++;
	switch (ev->kind) {
	case KT_SYSCALL:
		return kt_fds_syscall(f, ev);
	case KT_PROC_FORK:
		if (ev->fork.flags & KT_FORK_THREAD)
			return 0;
		return kt_fds_fork(f, ev->pid, ev->fork.child_pid, ev->ts, false);
	case KT_PROC_EXEC:
		p = kt_fds_proc(f, ev->pid, false);
		return p ? kt_fds_exec(f, p, ev->ts) : 0;
	case KT_PROC_EXIT:
		if (ev->exit.flags & KT_EXIT_GROUP)
			return proc_exit(f, ev->pid, ev->ts);
		return 0;
	case KT_TCP_STATE:
		return kt_fds_tcp(f, ev);
	case KT_LOST:
		lost(f, ev);
		return 0;
	}
	return 0;
}

const struct kt_fd *kt_fds_find(const struct kt_fds *f, __u32 pid, __s32 fd,
				__u64 ts)
{
	struct kt_fdproc *p;
	struct kt_fdslot *s;
	__u64 v;

	if (f->o.no_table || !kt_map_get_u64(&f->procs, pid, &v))
		return NULL;
	p = (struct kt_fdproc *)(uintptr_t)v;
	s = kt_fds_slot(p, fd, false);
	if (!s)
		return NULL;
	if (s->cur && s->cur->fd.start <= ts)
		return &s->cur->fd;
	for (unsigned i = 0; i < s->nold; i++) {
		if (s->old[i]->fd.start > ts)
			continue;
		return s->old[i]->fd.end > ts ? &s->old[i]->fd : NULL;
	}
	return NULL;
}

int kt_fds_lookup(const struct kt_fds *f, __u32 pid, __s32 fd, __u64 ts,
		  struct kt_fd *out)
{
	const struct kt_fd *x = kt_fds_find(f, pid, fd, ts);

	if (!x)
		return -ENOENT;
	*out = *x;
	return 0;
}

void kt_fds_stats(const struct kt_fds *f, struct kt_fds_stats *st)
{
	*st = f->st;
}
