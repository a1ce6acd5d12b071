// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp_bytes.c - kt-test-tool tcp_bytes: one TCP session over loopback
 * that moves a known number of bytes each way, for the byte counters of
 * tcplife (live/stats_tcp_bytes).
 *
 * The process listens on an ephemeral port of 127.0.0.1 and forks a
 * server; the parent connects, sends UP bytes, shuts its side down and
 * reads until EOF; the server reads until EOF, then sends DOWN bytes and
 * closes.  Both sides count what write() and read() really moved and
 * print it (the truth):
 *   client PID SPORT SENT RECEIVED
 *   server PID PORT SENT RECEIVED
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "tool.h"

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || end == s ? -1 : v;
}

/* Write @n bytes of 'k' to @fd; returns the bytes written. */
static long send_n(int fd, long n)
{
	char buf[8192];
	long done = 0;
	ssize_t w;

	memset(buf, 'k', sizeof(buf));
	while (done < n) {
		w = write(fd, buf, n - done < (long)sizeof(buf) ?
			  (size_t)(n - done) : sizeof(buf));
		if (w <= 0)
			break;
		done += w;
	}
	return done;
}

/* Read @fd until EOF; returns the bytes read. */
static long drain(int fd)
{
	char buf[8192];
	long done = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		done += r;
	return done;
}

static int server(int ls, long down)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	long got, sent;
	int c = accept(ls, NULL, NULL);

	if (c < 0)
		return 1;
	close(ls);
	getsockname(c, (struct sockaddr *)&me, &len);
	got = drain(c);
	sent = send_n(c, down);
	close(c);
	printf("server %d %d %ld %ld\n", getpid(), ntohs(me.sin_port), sent,
	       got);
	return sent == down ? 0 : 1;
}

static int client(const struct sockaddr_in *sa, long up)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	long got, sent;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || connect(s, (const struct sockaddr *)sa, sizeof(*sa)))
		return 1;
	getsockname(s, (struct sockaddr *)&me, &len);
	sent = send_n(s, up);
	shutdown(s, SHUT_WR);
	got = drain(s);
	close(s);
	printf("client %d %d %ld %ld\n", getpid(), ntohs(me.sin_port), sent,
	       got);
	return sent == up ? 0 : 1;
}

KT_TOOL(tcp_bytes, "UP DOWN: a loopback session sending UP bytes and "
	"receiving DOWN")
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	long up = argc == 3 ? num(argv[1]) : -1;
	long down = argc == 3 ? num(argv[2]) : -1;
	int ls, st, rc;
	pid_t p;

	if (up < 0 || down < 0)
		return 2;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(ls, 1) || getsockname(ls, (struct sockaddr *)&sa, &len))
		return 1;
	fflush(stdout);
	p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		rc = server(ls, down);
		fflush(stdout);
		_exit(rc);
	}
	close(ls);
	rc = client(&sa, up);
	fflush(stdout);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = 1;
	return rc;
}
