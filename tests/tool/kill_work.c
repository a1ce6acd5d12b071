// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kill_work.c - the workload of tests/live/record_kill.sh: marker
 * syscalls whose times the workload writes down itself (the ground truth
 * of what a capture killed with SIGKILL must still hold), under a
 * background load of another kind.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tool.h"

static unsigned long long mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* load - the background load until @end, in a child process. */
static void load(const char *kind, const char *dir, unsigned long long end)
{
	char path[4096], buf[65536];
	volatile unsigned long spin = 0;
	int fd;

	if (!strcmp(kind, "fork")) {
		while (mono() < end) {
			pid_t p = fork();

			if (p == 0)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	} else if (!strcmp(kind, "io")) {
		snprintf(path, sizeof(path), "%s/kill-io.%d", dir, getpid());
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		memset(buf, 'x', sizeof(buf));
		while (fd >= 0 && mono() < end) {
			if (write(fd, buf, sizeof(buf)) < 0 || fdatasync(fd) ||
			    lseek(fd, 0, SEEK_SET) < 0)
				break;
		}
		if (fd >= 0)
			close(fd);
		unlink(path);
	} else if (!strcmp(kind, "cpu")) {
		while (mono() < end)
			for (int i = 0; i < 100000; i++)
				spin++;
	}
	_exit(0);
}

/* markers MS LOAD OUT: a getppid every 200 us for MS milliseconds, with
 * LOAD (none, fork, io, cpu) in a child; then OUT gets one line per call,
 * "BEFORE AFTER" (CLOCK_MONOTONIC ns read just before and after it). */
KT_TOOL(markers, "MS none|fork|io|cpu OUT: getppid markers with their own times")
{
	struct timespec d = { 0, 200000 };
	unsigned long long end, *t;
	size_t n = 0, cap;
	char dir[4096], *slash;
	pid_t child = -1;
	FILE *f;
	long ms;

	if (argc != 4 || (ms = strtol(argv[1], NULL, 10)) <= 0 || ms > 600000)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[3]);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	cap = (size_t)ms * 10 + 16;
	t = malloc(cap * 2 * sizeof(*t));
	if (!t)
		return 1;
	end = mono() + (unsigned long long)ms * 1000000ULL;
	if (strcmp(argv[2], "none")) {
		child = fork();
		if (child == 0)
			load(argv[2], dir, end);
	}
	printf("pid %d\n", getpid());
	fflush(stdout);
	while (n < cap) {
		t[2 * n] = mono();
		syscall(SYS_getppid);
		t[2 * n + 1] = mono();
		n++;
		if (t[2 * n - 1] >= end)
			break;
		nanosleep(&d, NULL);
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	f = fopen(argv[3], "w");
	if (!f)
		return 1;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%llu %llu\n", t[2 * i], t[2 * i + 1]);
	free(t);
	return fclose(f) ? 1 : 0;
}
