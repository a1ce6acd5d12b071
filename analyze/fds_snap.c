// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds_snap.c - the fds open when recording started (metadata proc.fds,
 * docs/format.md) into the fd resolver's tables (fds.h): each process's
 * list at the time it was read, the links as entries, what its sockets
 * are, its working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "analyze/fds_int.h"

static int cmp_snap(const void *a, const void *b)
{
	const struct kt_fdsnap *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Whether a capture kept its beginning (a flight dump may not have). */
static bool whole(const json_t *meta)
{
	const json_t *fl = json_object_get(meta, "flight");

	return !fl || !json_integer_value(json_object_get(fl, "dropped_frames"));
}

int kt_fds_snapshot(struct kt_fds *f, const json_t *meta, __u64 *done)
{
	const json_t *fds = json_object_get(json_object_get(meta, "proc"), "fds");
	const json_t *pids = json_object_get(fds, "pids"), *o;
	const char *key;
	size_t n = 0;

	*done = 0;
	if (!pids || !whole(meta) || f->nsnap)
		return 0;
	if (!json_is_object(pids))
		return -EINVAL;
	f->snap = calloc(json_object_size(pids) + 1, sizeof(*f->snap));
	if (!f->snap)
		return -ENOMEM;
	json_object_foreach((json_t *)pids, key, o) {
		char *end;
		unsigned long pid = strtoul(key, &end, 10);

		if (*end || !pid || pid > UINT32_MAX || !json_is_object(o))
			continue;
		f->snap[n].pid = pid;
		f->snap[n].ns = json_integer_value(json_object_get(o, "ns"));
		f->snap[n++].o = o;
	}
	qsort(f->snap, n, sizeof(*f->snap), cmp_snap);
	f->nsnap = n;
	f->snap_meta = json_incref((json_t *)fds);
	*done = n ? f->snap[n - 1].ns : 0;
	return 0;
}

/* A /proc/PID/fd link as an entry template: "socket:[INO]", "pipe:[INO]",
 * "anon_inode:...", a path, or anything else (kept as a name). */
static void link_tmpl(const char *l, struct kt_fd *t, bool *named)
{
	unsigned long long ino;
	char end;

	*named = true;
	if (sscanf(l, "socket:[%llu%c", &ino, &end) == 2 && end == ']') {
		t->kind = KT_FDK_SOCKET;
		t->file_id = KT_FILE_ID(S_IFSOCK, ino);
		*named = false;
	} else if (sscanf(l, "pipe:[%llu%c", &ino, &end) == 2 && end == ']') {
		t->kind = KT_FDK_PIPE;
		t->file_id = KT_FILE_ID(S_IFIFO, ino);
		*named = false;
	} else {
		t->kind = l[0] == '/' ? KT_FDK_FILE : KT_FDK_ANON;
	}
}

/* "127.0.0.1:8080" or "[::1]:8080" into @addr (as struct kt_tcp's) and
 * @port; false when it is neither. */
static bool ipport(const char *s, int family, __u64 addr[2], __u16 *port)
{
	char ip[64];
	const char *c = strrchr(s, ':');
	size_t n;

	if (!s || !c)
		return false;
	n = c - s;
	if (family == AF_INET6 && n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n >= sizeof(ip))
		return false;
	memcpy(ip, s, n);
	ip[n] = 0;
	memset(addr, 0, 16);
	*port = (__u16)strtoul(c + 1, NULL, 10);
	return inet_pton(family, ip, addr) == 1;
}

/* What the snapshot says of a socket ({family, type, local, remote |
 * path}, from its namespace's /proc/net tables) into @t; its unix path
 * in @path. */
static void sock_tmpl(const json_t *so, struct kt_fd *t, const char **path)
{
	int fam = (int)json_integer_value(json_object_get(so, "family"));
	const char *l = json_string_value(json_object_get(so, "local"));
	const char *r = json_string_value(json_object_get(so, "remote"));
	const char *p = json_string_value(json_object_get(so, "path"));

	if (fam != AF_INET && fam != AF_INET6 && fam != AF_UNIX)
		return;
	t->family = fam;
	t->sotype = (__u16)json_integer_value(json_object_get(so, "type"));
	if (l && ipport(l, fam, t->laddr, &t->lport))
		t->flags |= KT_FD_LOCAL;
	/* a listener or an unconnected socket: 0.0.0.0:0 */
	if (r && ipport(r, fam, t->raddr, &t->rport) && t->rport)
		t->flags |= KT_FD_REMOTE;
	if (fam == AF_UNIX && p && p[0])
		*path = p;
}

/* Whether an entry and the snapshot's view of the same fd agree. */
static bool same_object(const struct kt_fdb *b, const struct kt_fd *t,
			const char *name)
{
	if (b->fd.kind == KT_FDK_UNKNOWN)
		return !t->file_id || !b->fd.file_id ||
		       b->fd.file_id == t->file_id;
	if (b->fd.kind != t->kind)
		return false;
	if (t->file_id && b->fd.file_id)
		return t->file_id == b->fd.file_id;
	return t->file_id || !strcmp(b->fd.name, name);
}

static int snap_fd(struct kt_fds *f, struct kt_fdproc *p, __u64 ns,
		   const json_t *e)
{
	struct kt_fd t = { .origin = KT_FDO_SNAPSHOT };
	const char *l = json_string_value(json_array_get(e, 2));
	json_int_t fd = json_integer_value(json_array_get(e, 0));
	json_int_t fl = json_integer_value(json_array_get(e, 1));
	struct kt_fdslot *s;
	struct kt_fdb *b;
	bool named, fresh;

	if (!l || fd < 0 || fd > INT32_MAX)
		return 0;
	link_tmpl(l, &t, &named);
	t.flags = fl < 0 ? KT_FD_CLOEXEC_UNKNOWN :
		  (fl & O_CLOEXEC) ? KT_FD_CLOEXEC : 0;
	if (t.kind == KT_FDK_SOCKET && json_is_object(json_array_get(e, 3))) {
		const char *path = NULL;

		sock_tmpl(json_array_get(e, 3), &t, &path);
		if (path) {
			l = path;
			named = true;
		}
	}
	t.oflags = fl < 0 ? 0 : (__u32)fl;
	s = kt_fds_slot(p, (__s32)fd, false);
	b = s ? s->cur : NULL;
	if (b && same_object(b, &t, l)) {
		kt_fds_changed(f, b);
		if (!b->fd.file_id)
			b->fd.file_id = t.file_id;
		if (b->fd.kind != KT_FDK_UNKNOWN)
			return 0;
		/* only its file id was known: now what it is */
		t.start = b->fd.start;
		t.ver = b->fd.ver;
		t.file_id = t.file_id ? t.file_id : b->fd.file_id;
		t.name = b->fd.name;
		b->fd = t;
		if (named) {
			struct kt_fdstr *x = kt_fdstr_new(f, l, strlen(l));

			if (!x)
				return -ENOMEM;
			kt_fdstr_put(f, b->str);
			b->str = x;
			b->fd.name = x->s;
		}
		return 0;
	}
	/* an fd number the capture never touched was open from its start */
	fresh = !s || (!s->cur && !s->nold);
	b = kt_fds_open(f, p, (__s32)fd, ns, &t, named ? l : NULL,
			named ? strlen(l) : 0);
	if (!b)
		return -ENOMEM;
	if (fresh)
		b->fd.start = 0;
	return 0;
}

int kt_fds_snap_apply(struct kt_fds *f, const struct kt_fdsnap *sn)
{
	const char *cwd = json_string_value(json_object_get(sn->o, "cwd"));
	const json_t *fds = json_object_get(sn->o, "fds"), *e;
	struct kt_fdproc *p = kt_fds_proc(f, sn->pid, true);
	size_t i;
	int rc = 0;

	if (!p)
		return -ENOMEM;
	if (p->dead)
		return 0;
	if (!p->cwd && cwd && cwd[0] == '/' &&
	    !(p->cwd = kt_fdstr_new(f, cwd, strlen(cwd))))
		return -ENOMEM;
	json_array_foreach(fds, i, e)
		if (json_is_array(e) && (rc = snap_fd(f, p, sn->ns, e)))
			break;
	return rc;
}

