// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fdsnap.c - the open fds of the processes in scope when recording
 * starts, from /proc: what each fd names (the /proc/PID/fd link: a path,
 * "socket:[INO]", "pipe:[INO]", "anon_inode:[eventfd]"), its open flags
 * (/proc/PID/fdinfo: O_CLOEXEC decides what an exec keeps), and the
 * process's working directory (relative paths opened later).  Stored as
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
#include "record_int.h"

/* Entries kept at most, all processes together: the metadata block
 * holds them uncompressed (about 40 bytes each). */
#define KT_FDSNAP_MAX 262144

struct fdsnap {
	json_t *pids;           /* "PID" -> {ns, cwd, fds} */
	bool (*keep)(void *ctx, pid_t tgid);
	void *keep_ctx;
	pid_t self;
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

/* [fd, flags, "target"] for each fd of @pid; NULL when the process is
 * gone or its fds cannot be read. */
static json_t *fd_list(struct fdsnap *s, pid_t pid)
{
	char path[64], link[PATH_MAX];
	unsigned long fd;
	struct dirent *de;
	json_t *a;
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
		link[n] = 0;
		if (json_array_append_new(a, json_pack("[I,I,s]", (json_int_t)fd,
				(json_int_t)fd_flags(pid, fd), link)))
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
	cwd[n > 0 ? n : 0] = 0;
	o = json_pack("{s:I,s:s,s:o}", "ns", (json_int_t)ns, "cwd", cwd,
		      "fds", fds);
	snprintf(key, sizeof(key), "%d", pid);
	if (!o || json_object_set_new(s->pids, key, o))
		s->err = -ENOMEM;
}

json_t *kt_fd_snapshot(bool (*keep)(void *ctx, pid_t tgid), void *keep_ctx)
{
	struct fdsnap s = { .keep = keep, .keep_ctx = keep_ctx,
			    .self = getpid() };
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
	if (s.err) {
		json_decref(s.pids);
		return NULL;
	}
	return json_pack("{s:o,s:b}", "pids", s.pids, "truncated",
			 s.truncated);
}
