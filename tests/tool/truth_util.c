// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* truth_util.c - the helpers of the ground-truth workloads (truth.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "truth.h"

static bool put_failed;

int kt_truth_open(const char *path, bool cloexec)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND |
			    (cloexec ? O_CLOEXEC : 0), 0600);

	if (fd < 0)
		fprintf(stderr, "kt-test-tool: cannot open '%s': %s\n", path,
			strerror(errno));
	return fd;
}

void kt_truth_put(int fd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line) - 1) {
		fprintf(stderr, "kt-test-tool: truth line too long\n");
		put_failed = true;
		return;
	}
	line[n++] = '\n';
	/* O_APPEND: the offset is ignored, the line goes to the end */
	if (pwrite(fd, line, n, 0) != n) {
		fprintf(stderr, "kt-test-tool: cannot write the truth: %s\n",
			strerror(errno));
		put_failed = true;
	}
}

void kt_truth_main(int out)
{
	kt_truth_put(out, "task role=main pid=%d tid=%d", getpid(), kt_truth_tid());
}

bool kt_truth_failed(void)
{
	return put_failed;
}

__u64 kt_truth_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int kt_truth_tid(void)
{
	return (int)syscall(SYS_gettid);
}

void kt_truth_spin(__u64 ns)
{
	__u64 end = kt_truth_now() + ns;

	while (kt_truth_now() < end)
		;
}

void kt_truth_sleep(__u64 ns)
{
	struct timespec ts = { ns / 1000000000ULL, ns % 1000000000ULL };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

int kt_truth_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int kt_truth_last_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n - 1 : 0;
}

int kt_truth_sched_fd(void)
{
	return open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

static __u64 cpu_time(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* schedstat: "run_ns wait_ns timeslices"; the second field */
static __u64 run_delay(int fd)
{
	char buf[128], *p;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	strtoull(buf, &p, 10);
	return strtoull(p, NULL, 10);
}

__u64 kt_truth_run_delay(void)
{
	int fd = kt_truth_sched_fd();
	__u64 d = run_delay(fd);

	if (fd >= 0)
		close(fd);
	return d;
}

void kt_truth_sched_begin(struct kt_truth_sched *s, int fd)
{
	s->wait0 = run_delay(fd);
	s->run0 = cpu_time();
	s->start = kt_truth_now();
}

void kt_truth_sched_end(struct kt_truth_sched *s, int fd)
{
	s->end = kt_truth_now();
	s->run1 = cpu_time();
	s->wait1 = run_delay(fd);
}

void kt_truth_put_sched(int out, const char *role, int tid,
			const struct kt_truth_sched *s)
{
	kt_truth_put(out, "sched role=%s tid=%d start=%llu end=%llu run=%llu wait=%llu",
		     role, tid, (unsigned long long)s->start,
		     (unsigned long long)s->end,
		     (unsigned long long)(s->run1 - s->run0),
		     (unsigned long long)(s->wait1 - s->wait0));
}

/* Whether /proc/PID/stat says PF_KTHREAD; its comm into @comm. */
static bool kthread(const char *pid, char comm[16])
{
	char path[300], buf[512], *l, *r;
	unsigned long flags = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	/* after ") ": state ppid pgrp session tty_nr tpgid flags */
	if (!l || !r || sscanf(r + 2, "%*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return false;
	snprintf(comm, 16, "%.*s", (int)(r - l - 1), l + 1);
	for (char *c = comm; *c; c++)
		if (*c == ' ' || *c == '=')
			*c = '_';       /* one word in the truth file */
	return flags & 0x00200000;      /* PF_KTHREAD */
}

void kt_truth_kwaits_open(struct kt_truth_kwaits *k)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];

	k->n = 0;
	while (d && (e = readdir(d)) && k->n < KT_TRUTH_KWAITS) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    !kthread(e->d_name, k->comm[k->n]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", e->d_name);
		k->fd[k->n] = open(path, O_RDONLY | O_CLOEXEC);
		if (k->fd[k->n] < 0)
			continue;
		k->tid[k->n] = (int)strtol(e->d_name, NULL, 10);
		k->n++;
	}
	if (d)
		closedir(d);
}

void kt_truth_kwaits_read(struct kt_truth_kwaits *k)
{
	for (int i = 0; i < k->n; i++)
		k->wait[i] = run_delay(k->fd[i]);
}

void kt_truth_kwaits_close(struct kt_truth_kwaits *k)
{
	for (int i = 0; i < k->n; i++)
		close(k->fd[i]);
	k->n = 0;
}

void kt_truth_put_kwait(int out, const char *role,
			const struct kt_truth_kwaits *a,
			const struct kt_truth_kwaits *b)
{
	__u64 best = 0, sum = 0;
	int top = -1;

	for (int i = 0; i < a->n && i < b->n; i++) {
		__u64 d = b->wait[i] > a->wait[i] ? b->wait[i] - a->wait[i] : 0;

		sum += d;
		if (top < 0 || d > best) {
			best = d;
			top = i;
		}
	}
	kt_truth_put(out, "kwait role=%s tid=%d comm=%s wait=%llu sum=%llu", role,
		     top < 0 ? 0 : a->tid[top], top < 0 ? "-" : a->comm[top],
		     (unsigned long long)best, (unsigned long long)sum);
}

long kt_truth_arg(int argc, char **argv, int i, long def)
{
	char *end;
	long v;

	if (i >= argc)
		return def;
	errno = 0;
	v = strtol(argv[i], &end, 10);
	if (errno || end == argv[i] || *end || v < 0) {
		fprintf(stderr, "kt-test-tool %s: invalid number '%s'\n",
			argv[0], argv[i]);
		exit(2);
	}
	return v;
}
