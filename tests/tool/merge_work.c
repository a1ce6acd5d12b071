// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * merge_work.c - the two sides of a request whose slowness is on the far
 * side, for tests/live/merge_netns.sh: a server that answers after a
 * timer sleep of its own, and a client that sends one request and writes
 * its ground truth (pid, tid, and the times around the request).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "tool.h"

static long num(const char *s)
{
	char *e;
	long v = strtol(s, &e, 10);

	return *s && !*e ? v : -1;
}

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Accept one connection; per request read, sleep DELAY_MS on a timer
 * (the server's own cause), then answer. */
KT_TOOL(slow_serve, "PORT DELAY_MS: accept one connection, answer each request after a timer sleep of DELAY_MS")
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long port = argc == 3 ? num(argv[1]) : -1;
	long ms = argc == 3 ? num(argv[2]) : -1;
	struct timespec d;
	char buf[512];
	ssize_t n;
	int ls, c, one = 1;

	if (port <= 0 || port > 65535 || ms < 0)
		return 2;
	d.tv_sec = ms / 1000;
	d.tv_nsec = ms % 1000 * 1000000L;
	sa.sin_port = htons(port);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 4))
		return 1;
	printf("listening %d\n", getpid());
	fflush(stdout);
	c = accept(ls, NULL, NULL);
	if (c < 0)
		return 1;
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		nanosleep(&d, NULL);
		if (write(c, buf, n) != n)
			break;
	}
	close(c);
	close(ls);
	return 0;
}

/* Connect, send one request, read the answer; write to TRUTH the pid and
 * tid and the capture-clock times before the send and after the answer. */
KT_TOOL(slow_client, "ADDR PORT TRUTH: one request; its ground truth in TRUTH")
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long port = argc == 4 ? num(argv[2]) : -1;
	unsigned long long t0, t1;
	char buf[64] = "request";
	FILE *f;
	int s;

	if (port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
		return 2;
	sa.sin_port = htons(port);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		return 1;
	t0 = mono_ns();
	if (write(s, buf, 8) != 8 || recv(s, buf, 8, MSG_WAITALL) != 8)
		return 1;
	t1 = mono_ns();
	close(s);
	f = fopen(argv[3], "w");
	if (!f)
		return 1;
	fprintf(f, "pid %d\ntid %ld\nsend_ns %llu\nanswer_ns %llu\n", getpid(),
		(long)syscall(SYS_gettid), t0, t1);
	return fclose(f) ? 1 : 0;
}
