// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fd resolver (analyze/fds.h) on synthetic streams: open, dup, close,
 * fork, exec with O_CLOEXEC, reuse of an fd number, pipes and sockets,
 * the /proc snapshot, file ids that contradict the table, lost records,
 * captures whose records lack the fd-table arguments, and the batch and
 * follow ways of asking over a written capture.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include "stream_util.h"
#include "analyze/fds.h"

/* A stream under construction: events and their strings. */
struct fs {
	struct kt_event ev[64];
	size_t n;
	struct tstrs t;
};

static struct kt_event *sys(struct fs *s, __u64 end, __u32 tid, __u32 pid,
			    unsigned nr, __u64 dur, __s64 ret)
{
	struct kt_event *e = &s->ev[s->n++];

	*e = ev_sys(end, 0, tid, pid, nr, dur, ret);
	e->strs = &s->t.tab;
	return e;
}

static void open_at(struct fs *s, __u64 end, __u32 pid, const char *path,
		   __u64 flags, __s64 fd)
{
	struct kt_event *e = sys(s, end, pid, pid, SYS_openat, 1000, fd);

	e->sys.arg[0] = (__u64)(__s64)AT_FDCWD;
	e->sys.arg[1] = flags;
	e->sys.str = tstr(&s->t, path);
}

static struct kt_event *fdsys(struct fs *s, __u64 end, __u32 pid,
			      unsigned nr, __u64 a0, __u64 a1, __u64 a2,
			      __s64 ret)
{
	struct kt_event *e = sys(s, end, pid, pid, nr, 1000, ret);

	e->sys.arg[0] = a0;
	e->sys.arg[1] = a1;
	e->sys.arg[2] = a2;
	return e;
}

static void fork_ev(struct fs *s, __u64 ts, __u32 parent, __u32 child)
{
	struct kt_event *e = &s->ev[s->n++];

	*e = ev_base(KT_PROC_FORK, ts, 0, parent, parent);
	e->fork.child_tid = child;
	e->fork.child_pid = child;
}

static void exec_ev(struct fs *s, __u64 ts, __u32 pid)
{
	struct kt_event *e = &s->ev[s->n++];

	*e = ev_base(KT_PROC_EXEC, ts, 0, pid, pid);
	e->exec.old_tid = pid;
}

/* Feed the stream to a new resolver with @o. */
static struct kt_fds *feed(struct fs *s, const struct kt_fds_opts *o)
{
	struct kt_fds *f = kt_fds_new(o);

	for (size_t i = 0; f && i < s->n; i++)
		if (kt_fds_feed(f, &s->ev[i])) {
			kt_fds_free(f);
			return NULL;
		}
	return f;
}

static const struct kt_fds_opts v12 = { .fd_args = true };

/* The name of (pid, fd) at ts as printed; "-" when unknown. */
static const char *name_at(struct kt_fds *f, __u32 pid, __s32 fd, __u64 ts)
{
	static char buf[256];
	struct kt_fd x;

	if (kt_fds_lookup(f, pid, fd, ts, &x))
		return "-";
	kt_fd_fmt(buf, sizeof(buf), &x);
	return buf;
}

#define NAME(f, pid, fd, ts, want)                                      \
	do {                                                            \
		const char *got_ = name_at(f, pid, fd, ts);             \
		KT_ASSERT(!strcmp(got_, want), "pid %u fd %d at %llu: "  \
			  "want '%s' got '%s'", pid, fd,                \
			  (unsigned long long)(ts), want, got_);        \
	} while (0)

KT_TEST(fds_open_close_reuse)
{
	struct fs s = { 0 };
	struct kt_fds *f;

	open_at(&s, 10 * US, 200, "/etc/passwd", O_RDONLY, 3);
	fdsys(&s, 20 * US, 200, SYS_read, 3, 4096, 0, 100);
	fdsys(&s, 30 * US, 200, SYS_close, 3, 0, 0, 0);
	open_at(&s, 40 * US, 200, "/var/log/x", O_WRONLY, 3);
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 3, 5 * US, "-");           /* before the open */
	NAME(f, 200, 3, 10 * US, "/etc/passwd");
	NAME(f, 200, 3, 29 * US, "/etc/passwd"); /* the close's enter */
	NAME(f, 200, 3, 35 * US, "-");          /* closed */
	NAME(f, 200, 3, 41 * US, "/var/log/x"); /* the number reused */
	NAME(f, 200, 4, 41 * US, "-");
	NAME(f, 201, 3, 41 * US, "-");          /* another process */
	kt_fds_free(f);
	return KT_PASS;
}

KT_TEST(fds_dup_exec_cloexec)
{
	struct fs s = { 0 };
	struct kt_fds *f;

	open_at(&s, 10 * US, 200, "/a", O_RDONLY, 3);
	open_at(&s, 11 * US, 200, "/b", O_RDONLY | O_CLOEXEC, 4);
	open_at(&s, 12 * US, 200, "/c", O_RDONLY, 5);
	fdsys(&s, 20 * US, 200, SYS_dup, 3, 0, 0, 6);
	fdsys(&s, 21 * US, 200, SYS_dup2, 4, 5, 0, 5); /* closes /c */
	fdsys(&s, 22 * US, 200, SYS_dup3, 3, 7, O_CLOEXEC, 7);
	fdsys(&s, 23 * US, 200, SYS_fcntl, 3, F_DUPFD_CLOEXEC, 10, 10);
	fdsys(&s, 24 * US, 200, SYS_fcntl, 6, F_SETFD, FD_CLOEXEC, 0);
	exec_ev(&s, 30 * US, 200);
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 5, 20 * US, "/c");
	NAME(f, 200, 5, 21 * US, "/b");
	NAME(f, 200, 6, 21 * US, "/a");
	NAME(f, 200, 7, 25 * US, "/a");
	NAME(f, 200, 10, 25 * US, "/a");
	/* the exec keeps 3 and 5 (a dup2 copy loses O_CLOEXEC) */
	NAME(f, 200, 3, 31 * US, "/a");
	NAME(f, 200, 4, 31 * US, "-");
	NAME(f, 200, 5, 31 * US, "/b");
	NAME(f, 200, 6, 31 * US, "-");          /* F_SETFD FD_CLOEXEC */
	NAME(f, 200, 7, 31 * US, "-");
	NAME(f, 200, 10, 31 * US, "-");
	kt_fds_free(f);
	return KT_PASS;
}

KT_TEST(fds_fork_threads_clone_files)
{
	struct fs s = { 0 };
	struct kt_fds *f;
	struct kt_event *e;

	open_at(&s, 10 * US, 200, "/a", O_RDONLY, 3);
	fork_ev(&s, 20 * US, 200, 300);
	fdsys(&s, 30 * US, 200, SYS_close, 3, 0, 0, 0);
	open_at(&s, 31 * US, 200, "/p", O_RDONLY, 3);
	/* a thread of 300 opens into its process's table */
	e = sys(&s, 40 * US, 301, 300, SYS_openat, 1000, 4);
	e->sys.arg[0] = (__u64)(__s64)AT_FDCWD;
	e->sys.str = tstr(&s.t, "/t");
	/* a CLONE_FILES child shares 200's table, not a copy */
	fork_ev(&s, 50 * US, 200, 400);
	fdsys(&s, 51 * US, 200, SYS_clone, CLONE_FILES | CLONE_VM, 0, 0, 400);
	open_at(&s, 60 * US, 200, "/shared", O_RDONLY, 9);
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 300, 3, 35 * US, "/a");         /* the child kept its copy */
	NAME(f, 200, 3, 35 * US, "/p");
	NAME(f, 300, 4, 41 * US, "/t");
	NAME(f, 200, 4, 41 * US, "-");
	NAME(f, 400, 9, 61 * US, "/shared");
	NAME(f, 400, 3, 61 * US, "/p");
	kt_fds_free(f);
	return KT_PASS;
}

KT_TEST(fds_pipes_sockets)
{
	struct fs s = { 0 };
	struct kt_fds *f;
	struct kt_event *e;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(8080),
				   .sin_addr.s_addr = htonl(0x7f000001) };
	struct sockaddr_in peer = { .sin_family = AF_INET,
				    .sin_port = htons(41000),
				    .sin_addr.s_addr = htonl(0x0a000002) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX,
				   .sun_path = "/run/x.sock" };

	fdsys(&s, 10 * US, 200, SYS_pipe2, 3 | 4ULL << 32, O_CLOEXEC,
	      KT_FILE_ID(S_IFIFO, 4711), 0);
	fdsys(&s, 11 * US, 200, SYS_socketpair, 5 | 6ULL << 32,
	      SOCK_STREAM | (__u64)AF_UNIX << 32, KT_FILE_ID(S_IFSOCK, 99), 0);
	fdsys(&s, 12 * US, 200, SYS_socket, AF_INET, SOCK_STREAM, 0, 7);
	/* the connecting thread's socket goes SYN_SENT during connect */
	e = &s.ev[s.n++];
	*e = ev_base(KT_TCP_STATE, 13 * US, 0, 200, 200);
	e->tcp.family = AF_INET;
	memcpy(e->tcp.saddr, &peer.sin_addr, 4);
	e->tcp.sport = 52000;
	memcpy(e->tcp.daddr, &sin.sin_addr, 4);
	e->tcp.dport = 8080;
	e->tcp.oldstate = 7;
	e->tcp.newstate = 2;
	e->tcp.owner_tid = e->tcp.owner_pid = 200;
	e = fdsys(&s, 14 * US, 200, SYS_connect, 7, 0, 0, 0);
	e->sys.str = tstr_n(&s.t, &sin, sizeof(sin));
	/* a server: socket, bind, accept */
	fdsys(&s, 20 * US, 300, SYS_socket, AF_INET, SOCK_STREAM, 0, 3);
	e = fdsys(&s, 21 * US, 300, SYS_bind, 3, 0, 0, 0);
	e->sys.str = tstr_n(&s.t, &sin, sizeof(sin));
	e = fdsys(&s, 22 * US, 300, SYS_accept4, 3, SOCK_CLOEXEC, 0, 4);
	e->sys.str = tstr_n(&s.t, &peer, sizeof(peer));
	fdsys(&s, 23 * US, 300, SYS_socket, AF_UNIX, SOCK_STREAM, 0, 5);
	e = fdsys(&s, 24 * US, 300, SYS_connect, 5, 0, 0, 0);
	e->sys.str = tstr_n(&s.t, &sun, sizeof(sun));
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 3, 15 * US, "pipe:[4711]");
	NAME(f, 200, 4, 15 * US, "pipe:[4711]");
	NAME(f, 200, 5, 15 * US, "UNIX:[99]");
	NAME(f, 200, 6, 15 * US, "UNIX");
	NAME(f, 200, 7, 15 * US, "TCP:[10.0.0.2:52000->127.0.0.1:8080]");
	NAME(f, 300, 3, 22 * US, "TCP:[127.0.0.1:8080]");
	NAME(f, 300, 4, 23 * US, "TCP:[127.0.0.1:8080->10.0.0.2:41000]");
	NAME(f, 300, 5, 25 * US, "UNIX:[/run/x.sock]");
	kt_fds_free(f);
	return KT_PASS;
}

/* Without the 1.2 arguments a dup2 still closes what it lands on, and
 * what a pipe made is unknown, never a guess. */
KT_TEST(fds_old_capture_args)
{
	static const struct kt_fds_opts v11 = { .fd_args = false };
	struct fs s = { 0 };
	struct kt_fds *f;

	open_at(&s, 10 * US, 200, "/a", O_RDONLY, 3);
	open_at(&s, 11 * US, 200, "/b", O_RDONLY, 5);
	fdsys(&s, 20 * US, 200, SYS_dup2, 0, 0, 0, 5);
	fdsys(&s, 21 * US, 200, SYS_pipe, 0, 0, 0, 0);
	fdsys(&s, 22 * US, 200, SYS_socket, 0, 0, 0, 6);
	fdsys(&s, 23 * US, 200, SYS_close_range, 0, 0, 0, 0);
	f = feed(&s, &v11);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 5, 15 * US, "/b");
	NAME(f, 200, 5, 21 * US, "-");
	NAME(f, 200, 0, 21 * US, "-");
	NAME(f, 200, 6, 22 * US, "socket");
	NAME(f, 200, 3, 22 * US, "/a");
	NAME(f, 200, 3, 24 * US, "-");          /* which were closed? */
	kt_fds_free(f);
	return KT_PASS;
}

/* A blocked read names its fd's object; a table entry it contradicts is
 * dropped; a lost syscall record drops every entry; close_range. */
KT_TEST(fds_file_ids_lost_close_range)
{
	struct fs s = { 0 };
	struct kt_fds_stats st;
	struct kt_fds *f;
	struct kt_event *e;

	fdsys(&s, 10 * US, 200, SYS_read, 0, 10, KT_FILE_ID(S_IFIFO, 12), 1);
	/* a close that blocked names what it closed: nothing stays open */
	fdsys(&s, 10 * US + 500, 200, SYS_close, 9, 0, KT_FILE_ID(S_IFSOCK, 3), 0);
	open_at(&s, 10 * US + 600, 200, "/nine", O_RDONLY, 9);
	open_at(&s, 11 * US, 200, "/a", O_RDONLY, 3);
	fdsys(&s, 20 * US, 200, SYS_read, 3, 10, KT_FILE_ID(S_IFSOCK, 7), 1);
	open_at(&s, 21 * US, 200, "/b", O_RDONLY, 4);
	fdsys(&s, 22 * US, 200, SYS_read, 4, 10, KT_FILE_ID(S_IFREG, 55), 1);
	open_at(&s, 23 * US, 200, "/c", O_RDONLY, 5);
	open_at(&s, 24 * US, 200, "/d", O_RDONLY, 6);
	open_at(&s, 25 * US, 200, "/e", O_RDONLY, 7);
	fdsys(&s, 26 * US, 200, SYS_close_range, 5, 6, 0, 0);
	fdsys(&s, 27 * US, 200, SYS_close_range, 7, ~0U, CLOSE_RANGE_CLOEXEC, 0);
	exec_ev(&s, 28 * US, 200);
	open_at(&s, 29 * US, 300, "/x", O_RDONLY, 3);
	e = &s.ev[s.n++];
	*e = ev_base(KT_LOST, 30 * US, 1, 0, 0);
	e->lost.family = KT_FAM_SYSCALL;
	e->lost.count = 3;
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 0, 11 * US, "pipe:[12]");
	NAME(f, 200, 9, 11 * US, "/nine");
	NAME(f, 200, 3, 15 * US, "/a");
	NAME(f, 200, 3, 25 * US, "socket:[7]"); /* /a was wrong */
	NAME(f, 200, 4, 25 * US, "/b");         /* and /b is inode 55 */
	NAME(f, 200, 5, 25 * US, "/c");
	NAME(f, 200, 5, 27 * US, "-");
	NAME(f, 200, 6, 27 * US, "-");
	NAME(f, 200, 7, 27 * US, "/e");
	NAME(f, 200, 7, 29 * US, "-");          /* made O_CLOEXEC */
	NAME(f, 300, 3, 29 * US, "/x");
	NAME(f, 300, 3, 31 * US, "-");          /* maybe closed, unseen */
	kt_fds_stats(f, &st);
	KT_ASSERT(st.dropped >= 2, "dropped %llu", (unsigned long long)st.dropped);
	KT_ASSERT(!st.stale, "stale %llu", (unsigned long long)st.stale);
	kt_fds_free(f);
	return KT_PASS;
}

/* Relative paths against the snapshot's directory, chdir, openat on a
 * directory fd. */
KT_TEST(fds_paths_snapshot)
{
	struct fs s = { 0 };
	struct kt_fds *f;
	struct kt_event *e;
	json_t *meta;
	__u64 done;

	meta = json_pack("{s:{s:{s:{s:{s:I,s:s,s:[[i,i,s],[i,i,s],[i,i,s],[i,i,s],[i,i,s,{s:i,s:i,s:s,s:s}],[i,i,s,{s:i,s:i,s:s}]]}}}}}",
		"proc", "fds", "pids", "200", "ns", (json_int_t)(5 * US),
		"cwd", "/srv/app", "fds",
		0, 0100002, "/dev/pts/0",
		1, 02000001, "pipe:[777]",
		3, 0, "socket:[888]",
		4, -1, "anon_inode:[eventfd]",
		8, 2, "socket:[999]", "family", AF_INET6, "type", SOCK_STREAM,
		"local", "[::1]:8080", "remote", "[::1]:41000",
		9, 2, "socket:[1000]", "family", AF_UNIX, "type", SOCK_STREAM,
		"path", "/run/x.sock");
	KT_ASSERT(meta, "meta");
	open_at(&s, 2 * US, 200, "early.log", O_WRONLY, 3);
	open_at(&s, 10 * US, 200, "data/./x.bin", O_RDONLY, 5);
	e = sys(&s, 11 * US, 200, 200, SYS_chdir, 1000, 0);
	e->sys.str = tstr(&s.t, "../other/");
	open_at(&s, 12 * US, 200, "y", O_RDONLY, 6);
	e = sys(&s, 13 * US, 200, 200, SYS_openat, 1000, 7);
	e->sys.arg[0] = 6;
	e->sys.str = tstr(&s.t, "z");
	exec_ev(&s, 20 * US, 200);
	f = kt_fds_new(&v12);
	KT_ASSERT(f && !kt_fds_snapshot(f, meta, &done), "snapshot");
	KT_ASSERT(done == 5 * US, "done %llu", (unsigned long long)done);
	for (size_t i = 0; i < s.n; i++)
		KT_ASSERT(!kt_fds_feed(f, &s.ev[i]), "feed %zu", i);
	json_decref(meta);
	NAME(f, 200, 0, 1 * US, "/dev/pts/0");  /* open since the start */
	NAME(f, 200, 3, 3 * US, "early.log");   /* the cwd came later */
	NAME(f, 200, 3, 6 * US, "socket:[888]");
	NAME(f, 200, 5, 10 * US, "/srv/app/data/x.bin");
	NAME(f, 200, 6, 12 * US, "/srv/app/../other/y");
	NAME(f, 200, 7, 13 * US, "/srv/app/../other/y/z");
	NAME(f, 200, 0, 21 * US, "/dev/pts/0");
	NAME(f, 200, 1, 21 * US, "-");          /* O_CLOEXEC */
	NAME(f, 200, 4, 19 * US, "anon_inode:[eventfd]");
	NAME(f, 200, 8, 19 * US, "TCPv6:[[::1]:8080->[::1]:41000]");
	NAME(f, 200, 9, 19 * US, "UNIX:[/run/x.sock]");
	NAME(f, 200, 4, 21 * US, "-");          /* its flags unknown */
	kt_fds_free(f);
	return KT_PASS;
}

/* History: a question about a syscall that started before the fd was
 * reused by another thread still gets the old object. */
KT_TEST(fds_history)
{
	struct fs s = { 0 };
	struct kt_fds *f;

	open_at(&s, 10 * US, 200, "/old", O_RDONLY, 3);
	for (unsigned i = 0; i < 8; i++) {
		char *p = malloc(16);

		snprintf(p, 16, "/n%u", i);
		fdsys(&s, (20 + 2 * i) * US, 200, SYS_close, 3, 0, 0, 0);
		open_at(&s, (21 + 2 * i) * US, 200, p, O_RDONLY, 3);
	}
	f = feed(&s, &v12);
	KT_ASSERT(f, "feed");
	NAME(f, 200, 3, 36 * US, "/n7");
	NAME(f, 200, 3, 33 * US, "/n6");
	NAME(f, 200, 3, 31 * US, "/n5");
	NAME(f, 200, 3, 27 * US, "/n3");        /* 4 closed ones are kept */
	NAME(f, 200, 3, 25 * US, "-");          /* older: forgotten */
	NAME(f, 200, 3, 15 * US, "-");
	kt_fds_free(f);
	for (size_t i = 0; i < s.t.tab.n; i++)
		if (s.t.ptr[i][0] == '/' && s.t.ptr[i][1] == 'n')
			free((void *)s.t.ptr[i]);
	return KT_PASS;
}

/* ---------------------------------------------------------- batch */

static int write_capture_opts(const char *path, struct fs *s,
			      const json_t *meta,
			      const struct kt_writer_opts *o)
{
	struct kt_writer *w;
	int rc = kt_writer_open(&w, path, o, meta);

	for (size_t i = 0; !rc && i < s->n; i++) {
		struct kt_event e = s->ev[i];
		size_t n;
		const char *x;

		if (e.kind == KT_SYSCALL && e.sys.str) {
			x = kt_event_str(&e, e.sys.str, &n);
			e.sys.str = kt_writer_str(w, x, n);
		}
		rc = kt_writer_add(w, &e);
	}
	return rc ? rc : kt_writer_close(w, NULL);
}

static int write_capture(const char *path, struct fs *s, const json_t *meta)
{
	return write_capture_opts(path, s, meta, NULL);
}

/* What fd @fd of pid 200 names at @ts for names limited to @max bytes
 * of frames: 0 with @name, -ENOENT; OUT @since (batch and follow must
 * agree on both). */
static int limited(struct kt_reader *r, __u64 max, __s32 fd, __u64 ts,
		   char *name, size_t sz, __u64 *since)
{
	struct kt_fdnames *b = kt_fdnames_batch(), *fl = NULL;
	struct kt_err err = { 0 };
	struct kt_fd x;
	int rb, rf = -EIO;
	__u64 sb;

	if (!b || kt_fdnames_ask(b, 200, fd, ts) ||
	    kt_fdnames_limit(b, 0, max, &err) || kt_fdnames_answer(b, r, &err)) {
		kt_fdnames_free(b);
		return -EIO;
	}
	rb = kt_fdnames_get(b, 200, fd, ts, &x);
	snprintf(name, sz, "%s", rb ? "" : x.name);
	sb = kt_fdnames_since(b);
	kt_fdnames_free(b);
	if (!kt_fdnames_follow(&fl, r, &err) &&
	    !kt_fdnames_limit(fl, ts, max, &err)) {
		rf = kt_fdnames_get(fl, 200, fd, ts, &x);
		if (rf != rb || (!rf && strcmp(name, x.name)) ||
		    kt_fdnames_since(fl) != sb)
			rf = -EIO;
	}
	kt_fdnames_free(fl);
	*since = sb;
	return rf;
}

/* Names limited to a horizon before a seek (kt_fdnames_limit): an fd
 * made before it is unknown, one made after it is named, and names read
 * from the start when everything before fits; batch and follow agree. */
KT_TEST(fds_limit_horizon)
{
	struct kt_writer_opts o = { .frame_events = 4 };
	struct fs s = { 0 };
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	char path[256], name[64];
	json_t *meta = json_pack("{s:{s:b}}", "record", "fd_args", 1);
	__u64 since, q = 400 * US;
	int whole = 0, between = 0, after = 0, rc;

	open_at(&s, 10 * US, 200, "/a", O_RDONLY, 3);
	for (int i = 2; i < 40; i++)
		if (i == 15)
			open_at(&s, 150 * US, 200, "/b", O_RDONLY, 5);
		else
			fdsys(&s, i * 10 * US, 200, SYS_read, 3, 1, 0, 1);
	snprintf(path, sizeof(path), "%s/fds-limit.ktr", kt_test_tmpdir());
	KT_ASSERT(meta && !write_capture_opts(path, &s, meta, &o), "write");
	json_decref(meta);
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	for (__u64 max = 1; max < 4000; max += 16) {
		rc = limited(r, max, 3, q, name, sizeof(name), &since);
		KT_ASSERT(rc != -EIO, "max %llu: batch and follow differ",
			  (unsigned long long)max);
		if (!since) {
			KT_ASSERT(!rc && !strcmp(name, "/a"), "max %llu: whole "
				  "history: fd 3 '%s'", (unsigned long long)max,
				  name);
			whole++;
			continue;
		}
		KT_ASSERT(since == kt_reader_horizon(r, q, max) && since > 10 * US,
			  "max %llu: since %llu", (unsigned long long)max,
			  (unsigned long long)since);
		KT_ASSERT(rc == -ENOENT, "max %llu: fd 3 made before the "
			  "horizon, named '%s'", (unsigned long long)max, name);
		rc = limited(r, max, 5, q, name, sizeof(name), &since);
		if (since <= 150 * US) {
			KT_ASSERT(!rc && !strcmp(name, "/b"), "max %llu: fd 5 "
				  "made after the horizon: rc %d",
				  (unsigned long long)max, rc);
			between++;
		} else {
			KT_ASSERT(rc == -ENOENT, "max %llu: fd 5 made before",
				  (unsigned long long)max);
			after++;
		}
	}
	KT_ASSERT(whole && between && after, "cases %d %d %d", whole, between,
		  after);
	kt_reader_close(r);
	return KT_PASS;
}

KT_TEST(fds_batch_and_follow)
{
	struct fs s = { 0 };
	struct kt_fdnames *b = NULL, *fl = NULL;
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	char path[256];
	struct kt_fd x;
	json_t *meta = json_pack("{s:{s:b}}", "record", "fd_args", 1);

	open_at(&s, 10 * US, 200, "/a", O_RDONLY, 3);
	fdsys(&s, 20 * US, 200, SYS_close, 3, 0, 0, 0);
	open_at(&s, 30 * US, 200, "/b", O_RDONLY, 3);
	fdsys(&s, 40 * US, 200, SYS_dup, 3, 0, 0, 4);
	snprintf(path, sizeof(path), "%s/fds.ktr", kt_test_tmpdir());
	KT_ASSERT(meta && !write_capture(path, &s, meta), "write");
	json_decref(meta);
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	b = kt_fdnames_batch();
	KT_ASSERT(b, "batch");
	KT_ASSERT(!kt_fdnames_ask(b, 200, 3, 15 * US) &&
		  !kt_fdnames_ask(b, 200, 3, 35 * US) &&
		  !kt_fdnames_ask(b, 200, 4, 40 * US) &&
		  !kt_fdnames_ask(b, 200, 4, 20 * US), "ask");
	KT_ASSERT(!kt_fdnames_answer(b, r, &err), "answer: %s", err.msg);
	KT_ASSERT(kt_fdnames_fd_args(b), "fd_args from the metadata");
	KT_ASSERT(!kt_fdnames_get(b, 200, 3, 15 * US, &x) &&
		  !strcmp(x.name, "/a"), "batch /a");
	KT_ASSERT(!kt_fdnames_get(b, 200, 3, 35 * US, &x) &&
		  !strcmp(x.name, "/b"), "batch /b");
	KT_ASSERT(!kt_fdnames_get(b, 200, 4, 40 * US, &x) &&
		  !strcmp(x.name, "/b"), "batch dup");
	KT_ASSERT(kt_fdnames_get(b, 200, 4, 20 * US, &x) == -ENOENT,
		  "batch: not open then");
	KT_ASSERT(kt_fdnames_get(b, 200, 5, 20 * US, &x) == -ENOENT,
		  "batch: not asked");
	KT_ASSERT(!kt_fdnames_follow(&fl, r, &err), "follow: %s", err.msg);
	KT_ASSERT(!kt_fdnames_get(fl, 200, 3, 15 * US, &x) &&
		  !strcmp(x.name, "/a"), "follow /a");
	KT_ASSERT(!kt_fdnames_get(fl, 200, 4, 40 * US, &x) &&
		  !strcmp(x.name, "/b"), "follow dup");
	KT_ASSERT(!kt_fdnames_get(fl, 200, 3, 15 * US, &x) &&
		  !strcmp(x.name, "/a"), "follow: a question behind the stream");
	kt_fdnames_free(fl);
	kt_fdnames_free(b);
	kt_reader_close(r);
	return KT_PASS;
}

/* Inline (the caller feeds every event) answers what follow (a reader of
 * its own) answers: a record's own question is asked after it was fed
 * inline, before it was fed when following.  Connect and bind revise an
 * fd from their end on; a record's file id outweighs a wrong entry. */
KT_TEST(fds_inline_equals_follow)
{
	struct fs s = { 0 };
	struct kt_fdnames *fl = NULL, *in = NULL;
	struct kt_reader *r = NULL, *r2 = NULL;
	struct kt_err err = { 0 };
	const struct kt_event *ev;
	char path[256], a[256], b[256];
	const char *w;
	size_t n, k = 0;
	struct kt_event *e;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(80),
				   .sin_addr.s_addr = htonl(0x0a000001) };
	json_t *meta = json_pack("{s:{s:b}}", "record", "fd_args", 1);

	fdsys(&s, 10 * US, 200, SYS_socket, AF_INET, SOCK_STREAM, 0, 3);
	e = fdsys(&s, 20 * US, 200, SYS_connect, 3, 0, 0, 0);
	e->sys.str = tstr_n(&s.t, &sin, sizeof(sin));
	fdsys(&s, 30 * US, 200, SYS_write, 3, 1, 0, 1);
	open_at(&s, 40 * US, 200, "/a", O_RDONLY, 4);
	/* a blocked read whose file id says 4 is a socket, not /a */
	fdsys(&s, 50 * US, 200, SYS_read, 4, 1, KT_FILE_ID(S_IFSOCK, 9), 1);
	fdsys(&s, 60 * US, 200, SYS_read, 4, 1, 0, 1);
	snprintf(path, sizeof(path), "%s/fds-inline.ktr", kt_test_tmpdir());
	KT_ASSERT(meta && !write_capture(path, &s, meta), "write");
	json_decref(meta);
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_reader_reopen(r, &r2, &err), "reopen: %s", err.msg);
	KT_ASSERT(!kt_fdnames_follow(&fl, r, &err) &&
		  !kt_fdnames_follow(&in, r, &err), "follow: %s", err.msg);
	kt_fdnames_inline(in);
	while (kt_reader_next(r2, &ev, &err) > 0) {
		KT_ASSERT(!kt_fdnames_see(in, ev), "see");
		if (ev->kind != KT_SYSCALL)
			continue;
		w = kt_fdnames_words(fl, ev->pid, (__s32)ev->sys.arg[0],
				     kt_event_start(ev), ev->sys.nr == SYS_read ?
				     ev->sys.arg[2] : 0, &n);
		snprintf(a, sizeof(a), "%.*s", (int)n, w);
		w = kt_fdnames_words(in, ev->pid, (__s32)ev->sys.arg[0],
				     kt_event_start(ev), ev->sys.nr == SYS_read ?
				     ev->sys.arg[2] : 0, &n);
		snprintf(b, sizeof(b), "%.*s", (int)n, w);
		KT_ASSERT(!strcmp(a, b), "record %zu: follow '%s' inline '%s'",
			  k, a, b);
		if (ev->sys.nr == SYS_connect)
			KT_ASSERT(!strcmp(a, "TCP"), "connect's own fd: %s", a);
		if (ev->sys.nr == SYS_write)
			KT_ASSERT(!strcmp(a, "TCP:[->10.0.0.1:80]"), "write: %s", a);
		if (ev->sys.nr == SYS_read)
			KT_ASSERT(!strcmp(a, "socket:[9]"), "read %zu: %s", k, a);
		k++;
	}
	KT_ASSERT(k == s.n, "%zu of %zu records", k, s.n);
	kt_fdnames_free(fl);
	kt_fdnames_free(in);
	kt_reader_close(r2);
	kt_reader_close(r);
	return KT_PASS;
}

KT_TEST(fds_fmt)
{
	struct kt_fd x = { .kind = KT_FDK_UNKNOWN, .name = "" };
	char buf[128];

	kt_fd_fmt(buf, sizeof(buf), &x);
	KT_ASSERT(!strcmp(buf, "?"), "%s", buf);
	x.file_id = KT_FILE_ID(S_IFREG, 42);
	kt_fd_fmt(buf, sizeof(buf), &x);
	KT_ASSERT(!strcmp(buf, "file:[42]"), "%s", buf);
	x.kind = KT_FDK_SOCKET;
	x.family = AF_INET6;
	x.sotype = SOCK_DGRAM;
	x.file_id = 0;
	kt_fd_fmt(buf, sizeof(buf), &x);
	KT_ASSERT(!strcmp(buf, "UDPv6"), "%s", buf);
	x.kind = KT_FDK_PIPE;
	kt_fd_fmt(buf, sizeof(buf), &x);
	KT_ASSERT(!strcmp(buf, "pipe"), "%s", buf);
	x.kind = KT_FDK_FILE;
	x.name = "/a/very/long/path";
	KT_ASSERT(kt_fd_fmt(buf, 8, &x) == 7 && !strcmp(buf, "/a/very"),
		  "truncated: %s", buf);
	return KT_PASS;
}
