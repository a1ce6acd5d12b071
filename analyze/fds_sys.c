// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds_sys.c - what each completed syscall does to a process's fd table
 * (fds.h): the syscalls that create fds (open, socket, accept, pipe,
 * dup, ...), close them (close, close_range, dup2 onto an open fd), or
 * say more about them (connect, bind, a file id); and the TCP state
 * events that give a connected socket its local address.
 *
 * Argument layouts are event.h's; those marked format 1.2 are only read
 * when the capture says its recorder fills them (record.fd_args): in an
 * older capture a dup's arg0 is a blank, not fd 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include "analyze/fds_int.h"
#include "analyze/names.h"

/* the O_CLOEXEC of epoll_create1, eventfd2, timerfd_create, inotify_init1
 * (EPOLL_CLOEXEC, EFD_CLOEXEC, TFD_CLOEXEC, IN_CLOEXEC are O_CLOEXEC) */
#define KT_CLOEXEC O_CLOEXEC
#define KT_MFD_CLOEXEC 0x1U
#define KT_TCP_ESTABLISHED 1
#define KT_TCP_SYN_SENT 2
#define KT_TCP_SYN_RECV 3
#define KT_TCP_CLOSE 7
#define KT_TCP_MAX 65536        /* sockets remembered before pruning */
#define KT_TCP_AGE_NS 60000000000ULL

static __u32 cloexec_if(bool known, __u64 set)
{
	return !known ? KT_FD_CLOEXEC_UNKNOWN : set ? KT_FD_CLOEXEC : 0;
}

/* The syscall's string up to its first NUL. */
static const char *sys_str(const struct kt_event *ev, size_t *n)
{
	const char *s = kt_event_str(ev, ev->sys.str, n);

	*n = strnlen(s, *n);
	return s;
}

/* ---------------------------------------------------------- addresses */

struct sa {
	__u16 family;
	__u16 port;             /* host order */
	__u64 addr[2];          /* as struct kt_tcp's */
	const char *path;       /* AF_UNIX: the path ("@name" abstract) */
	size_t plen;
	char abs[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
};

/* Parse a raw sockaddr of @len bytes; false when too short to say. */
static bool sa_parse(const void *p, size_t len, struct sa *a)
{
	const unsigned char *b = p;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (len < 2)
		return false;
	memcpy(&a->family, b, 2);
	switch (a->family) {
	case AF_INET:
		if (len < 8)
			return false;
		a->port = (__u16)(b[2] << 8 | b[3]);
		memcpy(a->addr, b + 4, 4);
		return true;
	case AF_INET6:
		if (len < 24)
			return false;
		a->port = (__u16)(b[2] << 8 | b[3]);
		memcpy(a->addr, b + 8, 16);
		return true;
	case AF_UNIX:
		n = len - 2 < sizeof(a->abs) - 1 ? len - 2 : sizeof(a->abs) - 1;
		if (n && !b[2]) {       /* abstract: "@name" */
			a->abs[0] = '@';
			memcpy(a->abs + 1, b + 3, n - 1);
			a->abs[n] = 0;
			a->path = a->abs;
			a->plen = n;
		} else {
			a->path = (const char *)b + 2;
			a->plen = strnlen(a->path, n);
		}
		return true;
	default:
		return true;
	}
}

/* A peer address as one key: IPv4 as IPv4-mapped IPv6. */
static void addr16(unsigned family, const __u64 in[2], unsigned char out[16])
{
	if (family == AF_INET) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, in, 4);
	} else {
		memcpy(out, in, 16);
	}
}

static __u64 tcp_key(__u32 pid, unsigned family, const __u64 addr[2],
		     unsigned port)
{
	unsigned char a[16];
	__u64 x, y;

	addr16(family, addr, a);
	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	return kt_map_mix(kt_map_mix(kt_map_mix(pid) ^ x) ^ y) ^ port;
}

static void tcp_prune(struct kt_fds *f)
{
	for (size_t i = 0; i < f->tcp.cap; i++) {
		__u64 k;
		struct kt_fdtcp *t = kt_map_slot(&f->tcp, i, &k);

		if (t && t->ts + KT_TCP_AGE_NS < f->pos) {
			kt_map_del(&f->tcp, k);
			i--;    /* a later entry may have moved here */
		}
	}
}

int kt_fds_tcp(struct kt_fds *f, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	struct kt_fdtcp *v;
	__u64 k;

	if (!t->owner_pid || (t->family != AF_INET && t->family != AF_INET6))
		return 0;
	k = tcp_key(t->owner_pid, t->family, t->daddr, t->dport);
	if (t->newstate == KT_TCP_CLOSE) {
		kt_map_del(&f->tcp, k);
		return 0;
	}
	if (t->newstate != KT_TCP_ESTABLISHED && t->newstate != KT_TCP_SYN_SENT &&
	    t->newstate != KT_TCP_SYN_RECV)
		return 0;
	if (f->tcp.n >= KT_TCP_MAX)
		tcp_prune(f);
	v = kt_map_put(&f->tcp, k, NULL);
	if (!v)
		return -ENOMEM;
	memcpy(v->laddr, t->saddr, sizeof(v->laddr));
	v->lport = t->sport;
	v->family = t->family;
	v->ts = ev->ts;
	return 0;
}

/* The local address of @pid's TCP socket to @r, from its state events. */
static void tcp_local(struct kt_fds *f, __u32 pid, struct kt_fd *fd)
{
	const struct kt_fdtcp *v;

	if (!(fd->flags & KT_FD_REMOTE) ||
	    (fd->sotype && fd->sotype != SOCK_STREAM))
		return;
	v = kt_map_get(&f->tcp, tcp_key(pid, fd->family, fd->raddr,
					fd->rport));
	if (!v)
		return;
	if (v->family == fd->family) {
		memcpy(fd->laddr, v->laddr, sizeof(fd->laddr));
	} else {        /* IPv4 on an IPv6 socket: IPv4-mapped */
		unsigned char a[16];

		addr16(AF_INET, v->laddr, a);
		memcpy(fd->laddr, a, 16);
	}
	fd->lport = v->lport;
	fd->flags |= KT_FD_LOCAL;
}

/* ----------------------------------------------------------- creators */

static struct kt_fdb *cur(struct kt_fdproc *p, __s32 fd)
{
	struct kt_fdslot *s = kt_fds_slot(p, fd, false);

	return s ? s->cur : NULL;
}

static int open_path(struct kt_fds *f, struct kt_fdproc *p,
		     const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_fd t = { .kind = KT_FDK_FILE, .origin = KT_FDO_SYSCALL };
	const struct kt_fdstr *base = NULL;
	__s32 dirfd = AT_FDCWD;
	char buf[2 * KT_NAME_MAX + 512];
	size_t n, len;
	const char *path = sys_str(ev, &n);
	struct kt_fdb *d;

	if (s->nr == SYS_openat || s->nr == SYS_openat2)
		dirfd = (__s32)s->arg[0];
	t.oflags = s->nr == SYS_creat ? O_CREAT | O_WRONLY | O_TRUNC :
		   (__u32)s->arg[1];
	t.flags = t.oflags & O_CLOEXEC ? KT_FD_CLOEXEC : 0;
	if (dirfd == AT_FDCWD)
		base = p->cwd;
	else if ((d = cur(p, dirfd)) && d->str && d->str->s[0] == '/')
		base = d->str;
	len = kt_fds_join(buf, sizeof(buf), base, path, n);
	return kt_fds_create(f, p, (__s32)s->ret, ev->ts, &t, buf, len) ?
	       0 : -ENOMEM;
}

/* dup, dup2, dup3, fcntl(F_DUPFD*): a copy of what the old fd names. */
static int dup_fd(struct kt_fds *f, struct kt_fdproc *p,
		  const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	__s32 nfd = (__s32)s->ret;

	if (!f->o.fd_args) {    /* which fd was copied is not recorded */
		kt_fds_close(f, p, nfd, 0, ev->ts);
		return 0;
	}
	if (s->nr == SYS_dup2 && (__s32)s->arg[0] == nfd)
		return 0;
	return kt_fds_dup(f, p, (__s32)s->arg[0], nfd, ev->ts,
			  s->nr == SYS_dup3 ? s->arg[2] & O_CLOEXEC :
			  s->nr == SYS_fcntl && s->arg[1] == F_DUPFD_CLOEXEC);
}

static int fcntl_fd(struct kt_fds *f, struct kt_fdproc *p,
		    const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_fdb *b;

	if (!f->o.fd_args) {
		/* F_SETFD may have changed any fd's O_CLOEXEC: an exec then
		 * keeps or closes it, unknown which */
		for (size_t i = 0; !s->ret && p->t && i < p->t->fds.cap; i++) {
			struct kt_fdslot *x = kt_map_slot(&p->t->fds, i, NULL);

			if (x && x->cur)
				x->cur->fd.flags |= KT_FD_CLOEXEC_UNKNOWN;
		}
		return 0;
	}
	switch (s->arg[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_fd(f, p, ev);
	case F_SETFD:
		b = cur(p, (__s32)s->arg[0]);
		if (b && !s->ret)
			b->fd.flags = (b->fd.flags & ~(KT_FD_CLOEXEC |
						       KT_FD_CLOEXEC_UNKNOWN)) |
				      (s->arg[2] & FD_CLOEXEC ? KT_FD_CLOEXEC : 0);
		return 0;
	}
	return 0;
}

static int close_range_fds(struct kt_fds *f, struct kt_fdproc *p,
			   const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	__u32 first = (__u32)s->arg[0], last = (__u32)s->arg[1];
	int rc;

	if (!f->o.fd_args) {    /* which fds is not recorded */
		kt_fds_close_all(f, p, ev->ts, false, true);
		return 0;
	}
	if ((s->arg[2] & CLOSE_RANGE_UNSHARE) && (rc = kt_fds_unshare(f, p)))
		return rc;
	for (size_t i = 0; p->t && i < p->t->fds.cap; i++) {
		__u64 fd;
		struct kt_fdslot *x = kt_map_slot(&p->t->fds, i, &fd);

		if (!x || !x->cur || fd < first || fd > last)
			continue;
		if (s->arg[2] & CLOSE_RANGE_CLOEXEC)
			x->cur->fd.flags = (x->cur->fd.flags &
					    ~KT_FD_CLOEXEC_UNKNOWN) | KT_FD_CLOEXEC;
		else
			kt_fds_close(f, p, (__s32)fd, kt_event_start(ev), ev->ts);
	}
	return 0;
}

/* pipe, pipe2, socketpair: two fds the kernel wrote to user memory. */
static int pair(struct kt_fds *f, struct kt_fdproc *p,
		const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	__s32 fd0 = (__s32)(__u32)s->arg[0], fd1 = (__s32)(s->arg[0] >> 32);
	struct kt_fd t = { .origin = KT_FDO_SYSCALL, .file_id = s->arg[2] };

	if (!f->o.fd_args || fd0 < 0 || fd1 < 0 || fd0 == fd1)
		return 0;
	if (s->nr == SYS_socketpair) {
		t.kind = KT_FDK_SOCKET;
		t.family = (__u16)(s->arg[1] >> 32);
		t.sotype = s->arg[1] & 0xf;
		t.flags = s->arg[1] & SOCK_CLOEXEC ? KT_FD_CLOEXEC : 0;
	} else {
		t.kind = KT_FDK_PIPE;
		t.flags = s->nr == SYS_pipe2 && (s->arg[1] & O_CLOEXEC) ?
			  KT_FD_CLOEXEC : 0;
	}
	if (!kt_fds_create(f, p, fd0, ev->ts, &t, NULL, 0))
		return -ENOMEM;
	if (s->nr == SYS_socketpair)
		t.file_id = 0;          /* the peer socket has its own inode */
	return kt_fds_create(f, p, fd1, ev->ts, &t, NULL, 0) ? 0 : -ENOMEM;
}

static int socket_fd(struct kt_fds *f, struct kt_fdproc *p,
		     const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_fd t = { .kind = KT_FDK_SOCKET, .origin = KT_FDO_SYSCALL };

	if (f->o.fd_args) {
		t.family = (__u16)s->arg[0];
		t.sotype = s->arg[1] & 0xf;
	}
	t.flags = cloexec_if(f->o.fd_args, s->arg[1] & SOCK_CLOEXEC);
	return kt_fds_create(f, p, (__s32)s->ret, ev->ts, &t, NULL, 0) ?
	       0 : -ENOMEM;
}

/* Put address @a into @t as its local or remote side. */
static void sa_set(struct kt_fd *t, const struct sa *a, bool remote)
{
	if (!t->family)
		t->family = a->family;
	if (a->family != AF_INET && a->family != AF_INET6)
		return;
	if (remote) {
		memcpy(t->raddr, a->addr, sizeof(t->raddr));
		t->rport = a->port;
		t->flags |= KT_FD_REMOTE;
	} else {
		memcpy(t->laddr, a->addr, sizeof(t->laddr));
		t->lport = a->port;
		t->flags |= KT_FD_LOCAL;
	}
}

static int accept_fd(struct kt_fds *f, struct kt_fdproc *p,
		     const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_fd t = { .kind = KT_FDK_SOCKET, .origin = KT_FDO_SYSCALL };
	struct kt_fdb *l = cur(p, (__s32)s->arg[0]);
	const char *name = NULL;
	size_t n = 0;
	struct sa a;
	const void *sp = kt_event_str(ev, s->str, &n);

	if (l && l->fd.kind == KT_FDK_SOCKET) {
		t.family = l->fd.family;
		t.sotype = l->fd.sotype;
		/* a listener bound to one address: its connections' own */
		if ((l->fd.flags & KT_FD_LOCAL) &&
		    (l->fd.laddr[0] || l->fd.laddr[1])) {
			memcpy(t.laddr, l->fd.laddr, sizeof(t.laddr));
			t.lport = l->fd.lport;
			t.flags |= KT_FD_LOCAL;
		}
	}
	if (n && sa_parse(sp, n, &a)) {
		sa_set(&t, &a, true);
		if (a.family == AF_UNIX && a.plen) {
			name = a.path;
			n = a.plen;
		}
	}
	if (!t.sotype && (t.family == AF_INET || t.family == AF_INET6))
		t.sotype = SOCK_STREAM; /* accept takes connections */
	t.flags |= s->nr == SYS_accept ? 0 :
		   cloexec_if(f->o.fd_args, s->arg[1] & SOCK_CLOEXEC);
	tcp_local(f, ev->pid, &t);
	return kt_fds_create(f, p, (__s32)s->ret, ev->ts, &t, name,
			     name ? n : 0) ? 0 : -ENOMEM;
}

/* connect, bind: what the socket is connected or bound to. */
static int address(struct kt_fds *f, struct kt_fdproc *p,
		   const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	bool remote = s->nr == SYS_connect;
	struct kt_fdb *b = cur(p, (__s32)s->arg[0]);
	struct kt_fd t = { .kind = KT_FDK_SOCKET, .origin = KT_FDO_FILE_ID,
			   .flags = KT_FD_CLOEXEC_UNKNOWN };
	struct kt_fdstr *x;
	size_t n;
	struct sa a;
	const void *sp = kt_event_str(ev, s->str, &n);

	if (!n || !sa_parse(sp, n, &a))
		return 0;
	if (b && b->fd.kind != KT_FDK_SOCKET && b->fd.kind != KT_FDK_UNKNOWN)
		return 0;       /* not a socket?  Leave it to a file id */
	if (!b)                 /* created out of sight: it is a socket */
		b = kt_fds_open(f, p, (__s32)s->arg[0], kt_event_start(ev), &t,
				NULL, 0);
	else                    /* what it names from now on */
		b = kt_fds_revise(f, p, (__s32)s->arg[0], ev->ts, b);
	if (!b)
		return -ENOMEM;
	kt_fds_changed(f, b);
	b->fd.kind = KT_FDK_SOCKET;
	sa_set(&b->fd, &a, remote);
	if (remote)
		tcp_local(f, ev->pid, &b->fd);
	if (a.family == AF_UNIX && a.plen && !(b->str && remote)) {
		if (!(x = kt_fdstr_new(f, a.path, a.plen)))
			return -ENOMEM;
		kt_fdstr_put(f, b->str);
		b->str = x;
		b->fd.name = x->s;
	}
	return 0;
}

/* ---------------------------------------------------- anonymous inodes */

enum { CX_NEVER, CX_ALWAYS, CX_ARG0, CX_ARG1, CX_MFD, CX_UNKNOWN };

static const struct anon {
	unsigned nr;
	const char *name;
	unsigned cx;            /* how its O_CLOEXEC is known */
} anons[] = {
	{ SYS_epoll_create, "anon_inode:[eventpoll]", CX_NEVER },
	{ SYS_epoll_create1, "anon_inode:[eventpoll]", CX_ARG0 },
	{ SYS_eventfd, "anon_inode:[eventfd]", CX_NEVER },
	{ SYS_eventfd2, "anon_inode:[eventfd]", CX_ARG1 },
	{ SYS_timerfd_create, "anon_inode:[timerfd]", CX_ARG1 },
	{ SYS_signalfd, "anon_inode:[signalfd]", CX_NEVER },
	{ SYS_signalfd4, "anon_inode:[signalfd]", CX_UNKNOWN },
	{ SYS_inotify_init, "anon_inode:inotify", CX_NEVER },
	{ SYS_inotify_init1, "anon_inode:inotify", CX_ARG0 },
	{ SYS_pidfd_open, "anon_inode:[pidfd]", CX_ALWAYS },
	{ SYS_io_uring_setup, "anon_inode:[io_uring]", CX_ALWAYS },
	{ SYS_fanotify_init, "anon_inode:[fanotify]", CX_UNKNOWN },
	{ SYS_userfaultfd, "anon_inode:[userfaultfd]", CX_UNKNOWN },
	{ SYS_perf_event_open, "anon_inode:[perf_event]", CX_UNKNOWN },
	{ SYS_memfd_create, "/memfd:", CX_MFD },
};

static const struct anon *anon_of(unsigned nr)
{
	for (size_t i = 0; i < sizeof(anons) / sizeof(anons[0]); i++)
		if (anons[i].nr == nr)
			return &anons[i];
	return NULL;
}

static int anon_fd(struct kt_fds *f, struct kt_fdproc *p,
		   const struct kt_event *ev, const struct anon *an)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_fd t = { .kind = KT_FDK_ANON, .origin = KT_FDO_SYSCALL };
	struct kt_fdb *b = cur(p, (__s32)s->ret);
	char buf[KT_NAME_MAX + 16];
	size_t n = strlen(an->name), m;
	const char *x;

	/* signalfd on an existing signalfd changes its mask */
	if ((s->nr == SYS_signalfd || s->nr == SYS_signalfd4) && b &&
	    !strcmp(b->fd.name, an->name))
		return 0;
	switch (an->cx) {
	case CX_ALWAYS: t.flags = KT_FD_CLOEXEC; break;
	case CX_ARG0: t.flags = cloexec_if(f->o.fd_args, s->arg[0] & KT_CLOEXEC); break;
	case CX_ARG1: t.flags = cloexec_if(f->o.fd_args, s->arg[1] & KT_CLOEXEC); break;
	case CX_MFD: t.flags = cloexec_if(f->o.fd_args, s->arg[1] & KT_MFD_CLOEXEC); break;
	case CX_UNKNOWN: t.flags = KT_FD_CLOEXEC_UNKNOWN; break;
	default: break;
	}
	memcpy(buf, an->name, n);
	if (an->cx == CX_MFD) {
		x = sys_str(ev, &m);
		m = m < sizeof(buf) - n - 1 ? m : sizeof(buf) - n - 1;
		memcpy(buf + n, x, m);
		n += m;
	}
	return kt_fds_create(f, p, (__s32)s->ret, ev->ts, &t, buf, n) ?
	       0 : -ENOMEM;
}

/* ------------------------------------------------ directories, clones */

static int chdir_to(struct kt_fds *f, struct kt_fdproc *p,
		    const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[2 * KT_NAME_MAX + 512];
	struct kt_fdstr *x = NULL;
	struct kt_fdb *b;
	size_t n, len;
	const char *path;

	if (s->nr == SYS_chdir) {
		path = sys_str(ev, &n);
		if (p->cwd || (n && path[0] == '/')) {
			len = kt_fds_join(buf, sizeof(buf), p->cwd, path, n);
			if (!(x = kt_fdstr_new(f, buf, len)))
				return -ENOMEM;
		}
	} else if (f->o.fd_args && (b = cur(p, (__s32)s->arg[0])) && b->str &&
		   b->str->s[0] == '/') {
		x = b->str;
		x->ref++;
	}
	kt_fdstr_put(f, p->cwd);
	p->cwd = x;             /* NULL: unknown from now on */
	return 0;
}

/* A clone's record: CLONE_FILES shares the table the fork event copied;
 * without proc records the copy is made here. */
static int clone_rec(struct kt_fds *f, const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	bool known = s->nr == SYS_fork || s->nr == SYS_vfork || f->o.fd_args;
	__u64 fl = s->nr == SYS_clone || s->nr == SYS_clone3 ? s->arg[0] : 0;
	struct kt_fdproc *c;

	if (!known || (fl & CLONE_THREAD))
		return 0;
	if (f->o.no_proc)
		return kt_fds_fork(f, ev->pid, (__u32)s->ret, ev->ts,
				   fl & CLONE_FILES);
	c = kt_fds_proc(f, (__u32)s->ret, false);
	/* the fork event made the child during this clone */
	if ((fl & CLONE_FILES) && c && !c->dead && !c->execd &&
	    c->born >= kt_event_start(ev))
		return kt_fds_fork(f, ev->pid, (__u32)s->ret, c->born, true);
	return 0;
}

/* ----------------------------------------------------------- dispatch */

/* The file id a record gives its fd argument (0 none), as
 * kt_tl_sys_file_id: only these layouts put one in arg2. */
static __u64 fd_file_id(const struct kt_syscall *s)
{
	enum kt_sysargs a = kt_syscall_args(s->nr);

	return a == KT_SYSARGS_FD || a == KT_SYSARGS_FD_BYTES ? s->arg[2] : 0;
}

int kt_fds_syscall(struct kt_fds *f, const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	__u64 enter = kt_event_start(ev), id = fd_file_id(s);
	const struct anon *an;
	struct kt_fdproc *p;
	int rc;

	if (f->o.no_table || (s->flags & KT_SYSCALL_UNFINISHED))
		return 0;
	p = kt_fds_proc(f, ev->pid, true);
	if (!p)
		return -ENOMEM;
	/* (a close's file id names what it closes: nothing to learn) */
	if (id && s->nr != SYS_close &&
	    (rc = kt_fds_learn(f, p, (__s32)s->arg[0], enter, ev->ts, id)))
		return rc;
	switch (s->nr) {
	case SYS_open: case SYS_openat: case SYS_openat2: case SYS_creat:
		return s->ret >= 0 ? open_path(f, p, ev) : 0;
	case SYS_close:
		if (s->ret != -EBADF)
			kt_fds_close(f, p, (__s32)s->arg[0], enter, ev->ts);
		return 0;
	case SYS_close_range:
		return s->ret ? 0 : close_range_fds(f, p, ev);
	case SYS_dup: case SYS_dup2: case SYS_dup3:
		return s->ret >= 0 ? dup_fd(f, p, ev) : 0;
	case SYS_fcntl:
		return s->ret >= 0 ? fcntl_fd(f, p, ev) : 0;
	case SYS_pipe: case SYS_pipe2: case SYS_socketpair:
		return s->ret ? 0 : pair(f, p, ev);
	case SYS_socket:
		return s->ret >= 0 ? socket_fd(f, p, ev) : 0;
	case SYS_accept: case SYS_accept4:
		return s->ret >= 0 ? accept_fd(f, p, ev) : 0;
	case SYS_connect:
		return s->ret && s->ret != -EINPROGRESS ? 0 : address(f, p, ev);
	case SYS_bind:
		return s->ret ? 0 : address(f, p, ev);
	case SYS_chdir: case SYS_fchdir:
		return s->ret ? 0 : chdir_to(f, p, ev);
	case SYS_execve: case SYS_execveat:
		return s->ret ? 0 : kt_fds_exec(f, p, ev->ts);
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
		return s->ret > 0 ? clone_rec(f, ev) : 0;
	}
	an = anon_of(s->nr);
	return an && s->ret >= 0 ? anon_fd(f, p, ev, an) : 0;
}

/* ------------------------------------------------- what printers ask */

bool kt_fds_arg_fd(unsigned nr, bool fd_args)
{
	switch (kt_syscall_args_v(nr, fd_args)) {
	case KT_SYSARGS_FD_BYTES:
	case KT_SYSARGS_FD:
	case KT_SYSARGS_SOCKADDR:
	case KT_SYSARGS_ACCEPT:
	case KT_SYSARGS_DUP:
	case KT_SYSARGS_FCNTL:
		return true;
	default:
		return false;
	}
}

bool kt_fds_ret_fd(unsigned nr, const __u64 arg[3], __s64 ret,
		   bool fd_args)
{
	if (ret < 0 || ret > INT32_MAX)
		return false;
	switch (nr) {
	case SYS_open: case SYS_openat: case SYS_openat2: case SYS_creat:
	case SYS_socket: case SYS_accept: case SYS_accept4:
	case SYS_dup: case SYS_dup2: case SYS_dup3:
		return true;
	case SYS_fcntl:
		return fd_args && (arg[1] == F_DUPFD || arg[1] == F_DUPFD_CLOEXEC);
	case SYS_epoll_create: case SYS_epoll_create1: case SYS_eventfd:
	case SYS_eventfd2: case SYS_timerfd_create: case SYS_signalfd:
	case SYS_signalfd4: case SYS_inotify_init: case SYS_inotify_init1:
	case SYS_pidfd_open: case SYS_io_uring_setup: case SYS_fanotify_init:
	case SYS_userfaultfd: case SYS_perf_event_open: case SYS_memfd_create:
		return anon_of(nr) != NULL;
	default:
		return false;
	}
}

bool kt_fds_pair(unsigned nr, const __u64 arg[3], __s64 ret, bool fd_args,
		 __s32 fd[2])
{
	if (!fd_args || ret || (nr != SYS_pipe && nr != SYS_pipe2 &&
				nr != SYS_socketpair))
		return false;
	fd[0] = (__s32)(__u32)arg[0];
	fd[1] = (__s32)(arg[0] >> 32);
	return fd[0] >= 0 && fd[1] >= 0 && fd[0] != fd[1];
}
