// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * snapshot.c - the process table at start, from /proc: every thread with
 * its pid, ppid, comm, exe, command line, cgroup and start time, so that
 * events of tasks started before recording have names.  Taken after the
 * programs are attached: a task is then either in the snapshot or its fork
 * is in the capture.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format/format.h"
#include "record_int.h"

#define PF_KTHREAD 0x00200000

/* Read a whole small file into @buf (NUL-terminated); returns bytes or -1. */
static ssize_t read_file(const char *path, char *buf, size_t sz)
{
	ssize_t n, tot = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)tot < sz - 1 &&
	       (n = read(fd, buf + tot, sz - 1 - tot)) > 0)
		tot += n;
	close(fd);
	buf[tot] = 0;
	return tot;
}

/* proc_id - a /proc or task directory entry named by a pid: true and
 * the id in @id; false for the other entries ("self", "net", ...). */
static bool proc_id(const char *s, pid_t *id)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !v || v > INT_MAX)
		return false;
	*id = (pid_t)v;
	return true;
}

struct proc_info {
	pid_t ppid;
	__u64 start_ticks;
	unsigned long flags;
	char exe[4096];
	char cmdline[4096];
	ssize_t cmdline_len;
	char cgroup[1024];
};

/* /proc/PID/stat after the comm: "S ppid ... flags(9) ... starttime(22)" */
static int parse_stat(const char *path, struct proc_info *pi)
{
	char buf[1024], *p;
	unsigned long long v;
	int field;

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2;         /* field 3, the state */
	for (field = 3; *p && field <= 22; field++) {
		v = strtoull(p, NULL, 10);
		if (field == 4)
			pi->ppid = v;
		else if (field == 9)
			pi->flags = v;
		else if (field == 22)
			pi->start_ticks = v;
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	return 0;
}

/* The cgroup v2 path ("0::/path"), else the first hierarchy's. */
static void parse_cgroup(const char *path, char *out, size_t sz)
{
	char buf[4096], *line, *save = NULL, *p;

	out[0] = 0;
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strchr(line, ':');
		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		if (!strncmp(line, "0::", 3)) {
			snprintf(out, sz, "%s", p + 1);
			return;
		}
		if (!out[0])
			snprintf(out, sz, "%s", p + 1);
	}
}

/* Read what names process @pid; false when its exe link was refused (a
 * process of another user, without CAP_SYS_PTRACE). */
static bool proc_info(pid_t pid, struct proc_info *pi, unsigned redact)
{
	char path[64];
	ssize_t n;
	bool denied;

	memset(pi, 0, sizeof(*pi));
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, pi->exe, sizeof(pi->exe) - 1);
	denied = n < 0 && (errno == EACCES || errno == EPERM);
	if (n > 0 && (redact & KT_REDACT_PATHS))
		n = kt_redact_path(pi->exe, n, pi->exe);
	pi->exe[n > 0 ? n : 0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	pi->cmdline_len = read_file(path, pi->cmdline, sizeof(pi->cmdline));
	if (pi->cmdline_len < 0)
		pi->cmdline_len = 0;
	if (redact & (KT_REDACT_ARGS | KT_REDACT_PATHS))
		pi->cmdline_len = kt_redact_argv(pi->cmdline, pi->cmdline_len,
						 redact, pi->cmdline);
	pi->cmdline[pi->cmdline_len] = 0;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	parse_cgroup(path, pi->cgroup, sizeof(pi->cgroup));
	return !denied;
}

struct snap {
	struct kt_writer *w;
	__s64 boot_to_mono;
	bool (*keep)(void *ctx, pid_t tgid);
	void *keep_ctx;
	unsigned redact;        /* KT_REDACT_* */
	long hz;
	long count;
	long denied;            /* processes whose exe was refused */
	int err;
};

static void add_thread(struct snap *s, pid_t pid, pid_t tid,
		       const struct proc_info *pi)
{
	struct proc_info ti;
	struct kt_task t = {0};
	char path[96], comm[64];
	__s64 start;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	if (read_file(path, comm, sizeof(comm)) < 0)
		return;         /* gone meanwhile */
	n = strlen(comm);
	if (n && comm[n - 1] == '\n')
		comm[n - 1] = 0;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	memset(&ti, 0, sizeof(ti));
	if (parse_stat(path, &ti))
		return;
	t.tid = tid;
	t.pid = pid;
	t.ppid = pi->ppid;
	start = (__s64)(ti.start_ticks * (1000000000ULL / s->hz)) +
		s->boot_to_mono;
	t.start_ns = start > 0 ? start : 0;
	/* the snapshot holds only what is in scope (kernel threads are) */
	t.flags = KT_TASK_SNAPSHOT | KT_TASK_INSCOPE |
		  (pi->flags & PF_KTHREAD ? KT_TASK_KTHREAD : 0);
	t.comm = comm;
	t.exe = pi->exe;
	t.cmdline = pi->cmdline;
	t.cmdline_len = pi->cmdline_len;
	t.cgroup = pi->cgroup;
	if (!s->err)
		s->err = kt_writer_task(s->w, &t);
	s->count++;
}

static void add_process(void *ctx, pid_t pid)
{
	struct snap *s = ctx;
	struct proc_info pi;
	struct dirent *de;
	unsigned long flags;
	char path[64];
	pid_t tid;
	DIR *d;

	memset(&pi, 0, sizeof(pi));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (parse_stat(path, &pi))
		return;
	/* kernel threads are in every scope (their scheduling is) */
	if (s->keep && !(pi.flags & PF_KTHREAD) && !s->keep(s->keep_ctx, pid))
		return;
	flags = pi.flags;
	/* a kernel thread has no exe to be refused */
	if (!proc_info(pid, &pi, s->redact) && !(flags & PF_KTHREAD))
		s->denied++;
	if (parse_stat(path, &pi))
		return;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (proc_id(de->d_name, &tid))
			add_thread(s, pid, tid, &pi);
	closedir(d);
}

static void each_pid(void (*fn)(void *ctx, pid_t pid), void *ctx)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	pid_t pid;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (proc_id(de->d_name, &pid))
			fn(ctx, pid);
	closedir(d);
}

long kt_snapshot(struct kt_writer *w, __s64 boot_to_mono,
		 bool (*keep)(void *ctx, pid_t tgid), void *keep_ctx,
		 unsigned redact, long *denied)
{
	struct snap s = { .w = w, .boot_to_mono = boot_to_mono,
			  .keep = keep, .keep_ctx = keep_ctx,
			  .redact = redact };

	s.hz = sysconf(_SC_CLK_TCK);
	if (s.hz <= 0)
		s.hz = 100;
	each_pid(add_process, &s);
	*denied = s.denied;
	return s.err ? s.err : s.count;
}

struct tid_walk {
	void (*fn)(void *ctx, pid_t pid, pid_t tid);
	void *ctx;
};

static void walk_threads(void *ctx, pid_t pid)
{
	struct tid_walk *tw = ctx;
	struct dirent *de;
	char path[64];
	pid_t tid;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (proc_id(de->d_name, &tid))
			tw->fn(tw->ctx, pid, tid);
	closedir(d);
}

void kt_for_each_tid(void (*fn)(void *ctx, pid_t pid, pid_t tid), void *ctx)
{
	struct tid_walk tw = { fn, ctx };

	each_pid(walk_threads, &tw);
}
