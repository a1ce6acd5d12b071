// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * listeners.c - the TCP listeners that exist when recording starts.  The
 * BPF side learns a listener when it goes CLOSE -> LISTEN; a server that
 * listened before the recording is found by the tcp iterator instead,
 * and its owner by the socket inode behind its fd (/proc/PID/fd links
 * read "socket:[INODE]").  Then a scoped recording of that server keeps
 * its new connections' SYN_RECV and ESTABLISHED (soft irq), and a SYN
 * retransmitted to it reads its accept queue.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "record_int.h"

struct lis {
	__u64 key, cookie, ino;
};

struct lis_set {
	struct lis *v;
	size_t n, cap;
	int err;
};

static void collect(void *ctx, __u64 key, const struct ktr_listener *l)
{
	struct lis_set *s = ctx;
	struct lis *v;

	if (l->owner.tid || !l->ino || s->err)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			s->err = -ENOMEM;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct lis){ key, l->cookie, l->ino };
}

static bool numeric(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The socket inode an fd link names, or 0. */
static __u64 sock_ino(const char *link)
{
	unsigned long long ino;
	char end;

	if (sscanf(link, "socket:[%llu%c", &ino, &end) != 2 || end != ']')
		return 0;
	return ino;
}

/* Give every unowned listener whose socket @pid holds that owner. */
static int match_pid(struct kt_bpf *b, struct lis_set *s, pid_t pid,
		     bool in_scope)
{
	struct ktr_owner ow = { .tid = pid, .pid = pid, .in_scope = in_scope };
	char path[320], link[64];
	struct dirent *de;
	int found = 0;
	__u64 ino;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		ino = sock_ino(link);
		for (size_t i = 0; ino && i < s->n; i++) {
			if (s->v[i].ino != ino)
				continue;
			if (!kt_bpf_listener_owner(b, s->v[i].key,
						   s->v[i].cookie, &ow))
				found++;
			/* first holder wins: forget it */
			s->v[i] = s->v[--s->n];
			break;
		}
	}
	closedir(d);
	return found;
}

int kt_listeners_start(struct kt_bpf *b,
		       bool (*in_scope)(void *ctx, pid_t tgid), void *ctx)
{
	struct lis_set s = { 0 };
	struct dirent *de;
	pid_t self = getpid(), pid;
	int ret, found = 0;
	DIR *d;

	ret = kt_bpf_iter_listeners(b);
	if (ret)
		return ret;
	kt_bpf_listeners_foreach(b, collect, &s);
	if (s.err || !s.n) {
		free(s.v);
		return s.err;
	}
	d = opendir("/proc");
	while (d && s.n && (de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (pid != self)
			found += match_pid(b, &s, pid,
					   !in_scope || in_scope(ctx, pid));
	}
	if (d)
		closedir(d);
	free(s.v);
	return found;
}
