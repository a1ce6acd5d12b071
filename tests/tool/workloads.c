// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * workloads.c - kt-test-tool workloads whose truth is known exactly, for
 * the live recording tests (perf's tests/workloads).  Each prints what a
 * test needs to find it in a capture (pids, ports) on stdout, one
 * "key value" per line, flushed before the interesting part starts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tool.h"

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || end == s ? -1 : v;
}

/* Exactly N getppid() calls (raw syscall: libc may cache nothing here,
 * but be explicit). */
static void do_getppid(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

KT_TOOL(getppid, "N: exactly N getppid calls")
{
	long n = argc == 2 ? arg_long(argv[1]) : -1;

	if (n < 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	do_getppid(n);
	return 0;
}

/* Opens DIR/kt-open-I for I < M (creating them), closes each. */
static int do_openfiles(const char *dir, long m)
{
	char path[4096];
	int fd;

	for (long i = 0; i < m; i++) {
		snprintf(path, sizeof(path), "%s/kt-open-%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	return 0;
}

KT_TOOL(openfiles, "DIR M: open (create) DIR/kt-open-0..M-1")
{
	long m = argc == 3 ? arg_long(argv[2]) : -1;

	if (m < 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	return do_openfiles(argv[1], m);
}

/* Writes K bytes to FILE in writes of at most 4096 bytes. */
static int do_writebytes(const char *file, long k)
{
	char buf[4096];
	ssize_t n;
	int fd;

	memset(buf, 'k', sizeof(buf));
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	while (k > 0) {
		n = write(fd, buf, k < (long)sizeof(buf) ? k : (long)sizeof(buf));
		if (n <= 0) {
			perror(file);
			close(fd);
			return 1;
		}
		k -= n;
	}
	close(fd);
	return 0;
}

KT_TOOL(writebytes, "FILE K: write K bytes to FILE")
{
	long k = argc == 3 ? arg_long(argv[2]) : -1;

	if (k < 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	return do_writebytes(argv[1], k);
}

KT_TOOL(known, "N DIR M FILE K: getppid N, openfiles DIR M, writebytes FILE K")
{
	long n = argc == 6 ? arg_long(argv[1]) : -1;
	long m = argc == 6 ? arg_long(argv[3]) : -1;
	long k = argc == 6 ? arg_long(argv[5]) : -1;

	if (n < 0 || m < 0 || k < 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	do_getppid(n);
	return do_openfiles(argv[2], m) || do_writebytes(argv[4], k);
}

/* A child that exits 7 and one killed by SIGKILL (after it exec'd
 * sleep, so exec is seen too); prints both pids. */
KT_TOOL(children, ": fork/exec a child exiting 7 and one killed by SIGKILL")
{
	pid_t a, b;
	int st;

	(void)argc;
	(void)argv;
	a = fork();
	if (a == 0) {
		execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
		_exit(127);
	}
	waitpid(a, &st, 0);
	b = fork();
	if (b == 0) {
		execl("/bin/sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	usleep(200000);         /* let it exec */
	kill(b, SIGKILL);
	waitpid(b, &st, 0);
	printf("exit7 %d\nkilled %d\nparent %d\n", a, b, getpid());
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Parent sends SIGUSR1 to a child that handles it (so it is delivered,
 * not just dequeued as sigwait would). */
KT_TOOL(signal, ": send SIGUSR1 to a child that handles it")
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t set, none;
	pid_t c;
	int st;

	(void)argc;
	(void)argv;
	sigemptyset(&set);
	sigemptyset(&none);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c = fork();
	if (c == 0) {
		sigaction(SIGUSR1, &sa, NULL);
		sigsuspend(&none);
		_exit(0);
	}
	usleep(100000);
	kill(c, SIGUSR1);
	waitpid(c, &st, 0);
	printf("sender %d\ntarget %d\n", getpid(), c);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* connect() to ADDR:PORT; prints the local port and the result. */
KT_TOOL(connect, "ADDR PORT [BYTES]: connect, send BYTES, read them back")
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, me;
	socklen_t len = sizeof(me);
	long port = argc >= 3 ? arg_long(argv[2]) : -1;
	long n = argc == 4 ? arg_long(argv[3]) : 0;
	char buf[4096];
	int s, r;

	if (port <= 0 || port > 65535 || n < 0 || n > (long)sizeof(buf) ||
	    inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
		return 2;
	sa.sin_port = htons(port);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 1;
	printf("pid %d\n", getpid());
	fflush(stdout);
	r = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(s, (struct sockaddr *)&me, &len);
	printf("sport %d\nresult %d\n", ntohs(me.sin_port), r ? -errno : 0);
	if (!r && n) {
		memset(buf, 'c', n);
		if (write(s, buf, n) != n || recv(s, buf, n, MSG_WAITALL) != n)
			r = -1;
	}
	close(s);
	return r ? 1 : 0;
}

/* Accept one connection on PORT and echo what it sends. */
KT_TOOL(serve, "PORT: accept one connection, echo until EOF")
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long port = argc == 2 ? arg_long(argv[1]) : -1;
	char buf[4096];
	ssize_t n;
	int ls, c, one = 1;

	if (port <= 0 || port > 65535)
		return 2;
	sa.sin_port = htons(port);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(ls, 4))
		return 1;
	printf("listening %d\n", getpid());
	fflush(stdout);
	c = accept(ls, NULL, NULL);
	if (c < 0)
		return 1;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write(c, buf, n) != n)
			break;
	close(c);
	close(ls);
	return 0;
}

/* Touch memory until the OOM killer ends us (in a limited cgroup). */
KT_TOOL(hog, "MB: allocate and touch MB megabytes, 1 MB at a time")
{
	long mb = argc == 2 ? arg_long(argv[1]) : -1;

	if (mb <= 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	for (long i = 0; i < mb; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		memset(p, 1, 1 << 20);
	}
	return 0;
}

/* A steady stream: one getppid every 100 us, for SECS seconds or until
 * killed; prints the CLOCK_MONOTONIC time every 1000 calls. */
KT_TOOL(steady, "SECS: a getppid every 100 us")
{
	long secs = argc == 2 ? arg_long(argv[1]) : -1;
	struct timespec t0, t, d = { 0, 100000 };

	if (secs <= 0)
		return 2;
	printf("pid %d\n", getpid());
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0;; i++) {
		syscall(SYS_getppid);
		nanosleep(&d, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= secs)
			break;
	}
	return 0;
}
