// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fdsnap.c - the open fds of the processes in scope when recording
 * starts, from /proc: what each fd names (the /proc/PID/fd link: a path,
 * "socket:[INO]", "pipe:[INO]", "anon_inode:[eventfd]"), its open flags
 * (/proc/PID/fdinfo: O_CLOEXEC decides what an exec keeps), what a
 * socket is (its namespace's /proc/net tables: family, type, addresses
 * or unix path), and the process's working directory (relative paths
 * opened later).  Stored as
 * the metadata key proc.fds (docs/format.md); analyze/fds.h reads it.
 *
 * Taken after the programs are attached, like the task snapshot: an fd
 * is then either in the snapshot or its creation is in the capture, and
 * a change between the attach and the reading of a process's fds is a
 * record that the reader applies after the snapshot's time ("ns", read
 * before the process's fd directory).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "record_int.h"

/* Entries kept at most, all processes together: the metadata block
 * holds them uncompressed (about 40 bytes each). */
#define KT_FDSNAP_MAX 262144
#define KT_NETNS_MAX 64         /* network namespaces whose sockets we read */

/* The sockets of one network namespace (/proc/PID/net/{tcp,udp,unix}),
 * by inode: what a "socket:[INO]" link is. */
struct sock {
	unsigned long long ino;
	json_t *o;              /* {family, type, local, remote | path} */
};

struct socks {
	unsigned long long netns;
	struct sock *v;         /* sorted by ino */
	size_t n, cap;
};

struct fdsnap {
	json_t *pids;           /* "PID" -> {ns, cwd, fds} */
	struct socks ns[KT_NETNS_MAX];
	size_t nns;
	bool (*keep)(void *ctx, pid_t tgid);
	void *keep_ctx;
	pid_t self;
	bool redact;            /* --redact paths */
	size_t entries;
	bool truncated;
	int err;
};

/* A decimal directory entry name: true and the value in @v. */
static bool dec_name(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v <= INT_MAX;
}

/* The "flags:" line of /proc/PID/fdinfo/FD (octal), or -1. */
static long fd_flags(pid_t pid, unsigned long fd)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%lu", pid, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "flags:");
	return p ? strtol(p + 6, NULL, 8) : -1;
}

/* ------------------------------------------------------------ sockets */

static int add_sock(struct socks *t, unsigned long long ino, json_t *o)
{
	if (!o)
		return -ENOMEM;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct sock *v = realloc(t->v, cap * sizeof(*v));

		if (!v) {
			json_decref(o);
			return -ENOMEM;
		}
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].ino = ino;
	t->v[t->n++].o = o;
	return 0;
}

/* "0100007F:1F90" (the kernel's hex of the address words in host order,
 * and the port) as "127.0.0.1:8080"; "[::1]:8080" for IPv6. */
static void hex_addr(const char *h, int family, char *out, size_t sz)
{
	unsigned char a[16];
	char ip[64];
	unsigned port = 0;
	size_t words = family == AF_INET ? 1 : 4;

	out[0] = 0;
	for (size_t i = 0; i < words; i++) {
		char w[9];
		unsigned v;

		memcpy(w, h + 8 * i, 8);
		w[8] = 0;
		v = (unsigned)strtoul(w, NULL, 16);
		memcpy(a + 4 * i, &v, 4);  /* host order: the bytes as stored */
	}
	if (h[8 * words] == ':')
		port = (unsigned)strtoul(h + 8 * words + 1, NULL, 16);
	if (!inet_ntop(family, a, ip, sizeof(ip)))
		return;
	snprintf(out, sz, family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
}

/* /proc/PID/net/{tcp,tcp6,udp,udp6}: inode -> the addresses */
static int read_inet(struct socks *t, pid_t pid, const char *file,
		     int family, int type)
{
	char path[64], line[512], l[80], r[80], la[96], ra[96];
	unsigned long long ino;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", pid, file);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!rc && fgets(line, sizeof(line), f))
		if (sscanf(line, " %*s %79s %79s %*s %*s %*s %*s %*s %*s %llu",
			   l, r, &ino) == 3 && ino && strchr(l, ':')) {
			hex_addr(l, family, la, sizeof(la));
			hex_addr(r, family, ra, sizeof(ra));
			rc = add_sock(t, ino, json_pack("{s:i,s:i,s:s,s:s}",
				"family", family, "type", type, "local", la,
				"remote", ra));
		}
	fclose(f);
	return rc;
}

/* /proc/PID/net/unix: inode -> type and path */
static int read_unix(struct socks *t, pid_t pid, bool redact)
{
	char path[64], line[512 + 108];
	unsigned long long ino;
	unsigned type;
	FILE *f;
	int n, rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		n = 0;
		if (sscanf(line, "%*s %*s %*s %*s %x %*x %llu %n", &type, &ino,
			   &n) < 2 || !ino)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (n && redact) {
			/* "@name" is an abstract socket's: a star too */
			if (line[n] == '@') {
				line[n] = '*';
				line[n + 1] = 0;
			} else {
				line[n + kt_redact_path(line + n, strlen(line + n),
							line + n)] = 0;
			}
		}
		rc = add_sock(t, ino, json_pack("{s:i,s:i,s:s}", "family",
			AF_UNIX, "type", (int)type, "path", n ? line + n : ""));
	}
	fclose(f);
	return rc;
}

static int cmp_sock(const void *a, const void *b)
{
	const struct sock *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* The sockets of @pid's network namespace, read once per namespace. */
static struct socks *netns_socks(struct fdsnap *s, pid_t pid)
{
	char path[64], link[64];
	unsigned long long netns;
	struct socks *t;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return NULL;
	link[n] = 0;
	if (sscanf(link, "net:[%llu]", &netns) != 1)
		return NULL;
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].netns == netns)
			return &s->ns[i];
	if (s->nns == KT_NETNS_MAX)
		return NULL;
	t = &s->ns[s->nns++];
	t->netns = netns;
	if (read_inet(t, pid, "tcp", AF_INET, SOCK_STREAM) ||
	    read_inet(t, pid, "tcp6", AF_INET6, SOCK_STREAM) ||
	    read_inet(t, pid, "udp", AF_INET, SOCK_DGRAM) ||
	    read_inet(t, pid, "udp6", AF_INET6, SOCK_DGRAM) ||
	    read_unix(t, pid, s->redact))
		s->err = -ENOMEM;
	if (t->n > 1)   /* a netns without sockets: t->v is NULL */
		qsort(t->v, t->n, sizeof(*t->v), cmp_sock);
	return t;
}

/* What a "socket:[INO]" link of @pid is, or NULL. */
static json_t *sock_of(struct fdsnap *s, pid_t pid, const char *link)
{
	struct sock key, *x;
	struct socks *t;
	char end;

	if (sscanf(link, "socket:[%llu%c", &key.ino, &end) != 2 || end != ']')
		return NULL;
	t = netns_socks(s, pid);
	if (!t || !t->n)
		return NULL;
	x = bsearch(&key, t->v, t->n, sizeof(*t->v), cmp_sock);
	return x ? x->o : NULL;
}

static void socks_release(struct fdsnap *s)
{
	for (size_t i = 0; i < s->nns; i++) {
		for (size_t j = 0; j < s->ns[i].n; j++)
			json_decref(s->ns[i].v[j].o);
		free(s->ns[i].v);
	}
}

/* ---------------------------------------------------------------- fds */

/* [fd, flags, "target"] for each fd of @pid, and what a socket is when
 * its namespace's tables say ([fd, flags, "socket:[INO]", {...}]); NULL
 * when the process is gone or its fds cannot be read. */
static json_t *fd_list(struct fdsnap *s, pid_t pid)
{
	char path[64], link[PATH_MAX];
	unsigned long fd;
	struct dirent *de;
	json_t *a, *so;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return NULL;
	a = json_array();
	while (a && (de = readdir(d))) {
		if (!dec_name(de->d_name, &fd))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%lu", pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;       /* closed meanwhile */
		/* a path, not "socket:[INO]", "pipe:[INO]", "anon_inode:..." */
		if (s->redact && link[0] == '/')
			n = kt_redact_path(link, n, link);
		link[n] = 0;
		so = sock_of(s, pid, link);
		if (json_array_append_new(a, json_pack(so ? "[I,I,s,O]" : "[I,I,s]",
				(json_int_t)fd, (json_int_t)fd_flags(pid, fd),
				link, so)))
			s->err = -ENOMEM;
	}
	closedir(d);
	return a;
}

static void add_pid(struct fdsnap *s, pid_t pid)
{
	char key[16], path[64], cwd[PATH_MAX];
	json_t *fds, *o;
	__u64 ns;
	ssize_t n;

	if (pid == s->self || s->err || s->truncated ||
	    (s->keep && !s->keep(s->keep_ctx, pid)))
		return;
	ns = kt_mono_ns();
	fds = fd_list(s, pid);
	if (!fds || !json_array_size(fds)) {
		json_decref(fds);       /* a kernel thread has none */
		return;
	}
	if (s->entries + json_array_size(fds) > KT_FDSNAP_MAX) {
		/* a process is listed whole or not at all */
		json_decref(fds);
		s->truncated = true;
		return;
	}
	s->entries += json_array_size(fds);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	if (n > 0 && s->redact)
		n = kt_redact_path(cwd, n, cwd);
	cwd[n > 0 ? n : 0] = 0;
	o = json_pack("{s:I,s:s,s:o}", "ns", (json_int_t)ns, "cwd", cwd,
		      "fds", fds);
	snprintf(key, sizeof(key), "%d", pid);
	if (!o || json_object_set_new(s->pids, key, o))
		s->err = -ENOMEM;
}

json_t *kt_fd_snapshot(bool (*keep)(void *ctx, pid_t tgid), void *keep_ctx,
		       unsigned redact)
{
	struct fdsnap s = { .keep = keep, .keep_ctx = keep_ctx,
			    .self = getpid(),
			    .redact = redact & KT_REDACT_PATHS };
	struct dirent *de;
	unsigned long pid;
	DIR *d;

	s.pids = json_object();
	d = opendir("/proc");
	if (!s.pids || !d) {
		if (d)
			closedir(d);
		json_decref(s.pids);
		return NULL;
	}
	while ((de = readdir(d)))
		if (dec_name(de->d_name, &pid) && pid)
			add_pid(&s, (pid_t)pid);
	closedir(d);
	socks_release(&s);
	if (s.err) {
		json_decref(s.pids);
		return NULL;
	}
	return json_pack("{s:o,s:b}", "pids", s.pids, "truncated",
			 s.truncated);
}
