// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * scope.c - what a recording covers: checks -p pids, resolves --cgroup
 * to a cgroup v2 directory (refusing v1 hierarchies, which the kernel's
 * cgroup filter cannot use), and lists the thread groups in scope at start
 * for the BPF side.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "record_int.h"

#define KT_CGROUP2_MAGIC 0x63677270
#define KT_CGROUP1_MAGIC 0x27e0eb

/* The first cgroup2 mount point, into @out. */
static int cgroup2_mount(char *out, size_t sz)
{
	struct mntent *m;
	FILE *f = setmntent("/proc/self/mounts", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(out, sz, "%s", m->mnt_dir);
			ret = 0;
			break;
		}
	endmntent(f);
	return ret;
}

int kt_cgroup_open(const char *path, int *fd, struct kt_err *err)
{
	char mnt[PATH_MAX] = "", full[PATH_MAX];
	struct statfs sf;
	const char *p = path;

	cgroup2_mount(mnt, sizeof(mnt));
	/* "/foo" relative to the cgroup2 mount when it is not a directory of
	 * its own, as /proc/PID/cgroup prints it */
	if (access(path, F_OK) && mnt[0]) {
		snprintf(full, sizeof(full), "%s/%s", mnt, path);
		p = full;
	}
	*fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return kt_rec_fail(err, -errno, KT_ERR_INPUT, "--cgroup '%s': %s", path,
				   strerror(errno));
	if (fstatfs(*fd, &sf)) {
		kt_rec_fail(err, -errno, KT_ERR_INPUT, "--cgroup '%s': %s", path,
			    strerror(errno));
		goto err_close;
	}
	if ((unsigned long)sf.f_type == KT_CGROUP1_MAGIC) {
		kt_rec_fail(err, -EOPNOTSUPP, KT_ERR_INPUT,
			    "--cgroup '%s': a cgroup v1 hierarchy; the kernel filters on cgroup v2 only%s%s",
			    path, mnt[0] ? ": use a path under " : "", mnt);
		goto err_close;
	}
	if ((unsigned long)sf.f_type != KT_CGROUP2_MAGIC) {
		kt_rec_fail(err, -ENOTDIR, KT_ERR_INPUT,
			    "--cgroup '%s': not a cgroup directory", path);
		goto err_close;
	}
	return 0;

err_close:
	close(*fd);
	*fd = -1;
	return err->code;
}

/* Every thread group in cgroup directory @dfd and below. */
static void cgroup_walk(int dfd, int (*fn)(void *ctx, __u32 tgid), void *ctx,
			int depth)
{
	unsigned long tgid;
	struct dirent *de;
	char line[32], *end;
	FILE *f;
	DIR *d;
	int fd;

	fd = openat(dfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		f = fdopen(fd, "r");
		if (f) {
			while (fgets(line, sizeof(line), f)) {
				errno = 0;
				tgid = strtoul(line, &end, 10);
				if (!errno && end != line && tgid &&
				    tgid <= INT_MAX)
					fn(ctx, (__u32)tgid);
			}
			fclose(f);
		} else {
			close(fd);
		}
	}
	if (depth > 32)
		return;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC);
		if (fd >= 0) {
			cgroup_walk(fd, fn, ctx, depth + 1);
			close(fd);
		}
	}
	closedir(d);
}

void kt_cgroup_procs(int cgfd, int (*fn)(void *ctx, __u32 tgid), void *ctx)
{
	cgroup_walk(cgfd, fn, ctx, 0);
}

int kt_pids_check(const pid_t *pids, size_t n, struct kt_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], 0) && errno == ESRCH)
			return kt_rec_fail(err, -ESRCH, KT_ERR_INPUT,
					   "-p %d: no such process", pids[i]);
	return 0;
}

/* Thread group ids of the descendants of @pids (for --follow of processes
 * that already have children), from /proc/PID/task/TID/children. */
struct kids {
	int (*fn)(void *ctx, __u32 tgid);
	void *ctx;
};

static void add_children(const struct kids *k, pid_t pid, int depth)
{
	char path[320], buf[4096], *p, *end;
	struct dirent *de;
	DIR *d;
	int fd;
	ssize_t n;

	if (depth > 64)
		return;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", pid,
			 de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		for (p = buf; *p; p = end) {
			long c = strtol(p, &end, 10);

			if (end == p)
				break;
			k->fn(k->ctx, c);
			add_children(k, c, depth + 1);
		}
	}
	closedir(d);
}

void kt_pids_descendants(const pid_t *pids, size_t n,
			 int (*fn)(void *ctx, __u32 tgid), void *ctx)
{
	struct kids k = { fn, ctx };

	for (size_t i = 0; i < n; i++)
		add_children(&k, pids[i], 0);
}
