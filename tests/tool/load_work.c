// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * load_work.c - workloads of issue 14's load and fault tests:
 *
 *   load SECS [PROCS]   the highest event rate a small host makes: PROCS
 *                       processes in tight getppid loops, pipe ping-pong
 *                       pairs (a context switch and a wakeup per message),
 *                       and one process mapping, touching and unmapping
 *                       memory (page faults, rss), for SECS seconds
 *   forkstorm N         N short children of three kinds: one that exits at
 *                       once, one whose second thread is blocked in read()
 *                       when the group exits (a syscall cut by the exit),
 *                       one that forks a grandchild and exits before it
 *                       (reparented); prints the children's pids
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tool.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void spin_getppid(double end)
{
	for (;;) {
		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
		if (now_s() >= end)
			_exit(0);
	}
}

static void pingpong(double end)
{
	int a[2], b[2];
	char c = 0;
	pid_t p;

	if (pipe(a) || pipe(b))
		_exit(1);
	p = fork();
	if (p == 0) {
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1 && write(b[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	while (now_s() < end)
		for (int i = 0; i < 100; i++)
			if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
				_exit(1);
	close(a[1]);
	waitpid(p, NULL, 0);
	_exit(0);
}

static void faulter(double end)
{
	size_t len = 4 << 20;

	while (now_s() < end) {
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			_exit(1);
		for (size_t o = 0; o < len; o += 4096)
			m[o] = 1;
		munmap(m, len);
	}
	_exit(0);
}

static pid_t start(void (*fn)(double), double end)
{
	pid_t p = fork();

	if (p == 0)
		fn(end);
	return p;
}

KT_TOOL(load, "SECS [PROCS]: getppid spinners, pipe ping-pong, page faults")
{
	double secs = argc > 1 ? atof(argv[1]) : 5, end;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int procs = argc > 2 ? atoi(argv[2]) : 2 * (int)ncpu, n = 0, st, bad = 0;
	pid_t pids[256];

	if (secs <= 0 || procs < 1 || procs > 200) {
		fprintf(stderr, "load: SECS > 0, 1 <= PROCS <= 200\n");
		return 2;
	}
	end = now_s() + secs;
	for (int i = 0; i < procs; i++)
		pids[n++] = start(spin_getppid, end);
	for (long i = 0; i < ncpu; i++)
		pids[n++] = start(pingpong, end);
	pids[n++] = start(faulter, end);
	for (int i = 0; i < n; i++)
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i] ||
		    !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	printf("load: %d processes for %.1f s, %d failed\n", n, secs, bad);
	return bad ? 1 : 0;
}

static void *blocked_reader(void *arg)
{
	int *fds = arg;
	char c;

	/* the group exits while this read is in progress */
	if (read(fds[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* child - one short life of kind @k (see the file's comment). */
static void child(int k)
{
	static int fds[2];
	pthread_t t;
	pid_t g;

	switch (k) {
	case 1:
		if (pipe(fds) || pthread_create(&t, NULL, blocked_reader, fds))
			_exit(1);
		usleep(1000);
		exit(0);        /* exit_group with the reader in read() */
	case 2:
		g = fork();
		if (g == 0) {
			usleep(2000);
			_exit(0);
		}
		_exit(g < 0);
	}
	_exit(0);
}

KT_TOOL(forkstorm, "N: N short children (exit, exit with a thread in read, orphaned grandchild)")
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, bad = 0, st, live = 0;
	int batch = 64;
	pid_t p;

	if (n < 1) {
		fprintf(stderr, "forkstorm: N >= 1\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		fflush(stdout);         /* a child's exit() flushes its copy */
		p = fork();
		if (p == 0)
			child(i % 3);
		if (p < 0) {
			bad++;
			continue;
		}
		printf("%d\n", (int)p);
		if (++live == batch) {  /* many alive at once, never too many */
			for (; live > 0; live--)
				if (wait(&st) < 0 || !WIFEXITED(st) ||
				    WEXITSTATUS(st))
					bad++;
		}
	}
	for (; live > 0; live--)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	usleep(5000);   /* the orphaned grandchildren end */
	fprintf(stderr, "forkstorm: %d children, %d failed\n", n, bad);
	return bad ? 1 : 0;
}
