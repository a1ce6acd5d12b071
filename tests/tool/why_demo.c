// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_demo.c - kt-test-tool demo_incident DIR: the incident `make demo`
 * records.  One after the other:
 *   - a worker child that fails: it opens a file that is not there and
 *     exits 3;
 *   - a client that connects to a closed TCP port on loopback (refused);
 *   - a pipe chain producer | filter | consumer passing 4 MB;
 *   - a small request pipeline over unix sockets, front -> middle ->
 *     back, whose middle stage fsyncs 16 MB it wrote to a file in DIR (on
 *     the disk) before forwarding request 5 of 10: the front's slowest
 *     request, whose root cause is the disk.
 * Prints "name=pid" lines: launcher, worker, client, producer, filter,
 * consumer, front, middle, back, and "refused_port=N".
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool.h"
#include "why_work.h"

static pid_t worker(void)
{
	pid_t p = fork();

	if (p == 0) {
		prctl(PR_SET_NAME, "worker");
		if (open("/nonexistent/kt-demo-config", O_RDONLY) < 0)
			_exit(3);
		_exit(0);
	}
	return p;
}

/* a free port: bind to port 0, read it back, close */
static int closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static pid_t client(int port)
{
	pid_t p = fork();

	if (p == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		prctl(PR_SET_NAME, "client");
		_exit(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) &&
		      errno == ECONNREFUSED ? 1 : 0);
	}
	return p;
}

/* a stage of the pipe chain; @fds: every pipe end, closed in the child
 * but @in and @out, so that each reader sees the end of its input */
static pid_t stage(const char *name, int in, int out, size_t bytes,
		   const int *fds, int nfds)
{
	pid_t p = fork();

	if (p == 0) {
		static char buf[65536];
		size_t done = 0;
		ssize_t n;

		for (int i = 0; i < nfds; i++)
			if (fds[i] != in && fds[i] != out)
				close(fds[i]);
		prctl(PR_SET_NAME, name);
		memset(buf, 'k', sizeof(buf));
		if (in < 0) {
			while (done < bytes && (n = write(out, buf, sizeof(buf))) > 0)
				done += n;
			_exit(0);
		}
		while ((n = read(in, buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++)
				buf[i] ^= 0x20;
			if (out >= 0 && write(out, buf, n) != n)
				_exit(1);
		}
		_exit(0);
	}
	return p;
}

KT_TOOL(demo_incident, "DIR: the incident `make demo` records")
{
	int ab[2], bc[2], fds[4], port, st;
	pid_t w, c, pids[3], chain[3];

	if (argc < 2) {
		fprintf(stderr, "usage: kt-test-tool demo_incident DIR\n");
		return 2;
	}
	printf("launcher=%d\n", (int)getpid());
	fflush(stdout);
	w = worker();
	waitpid(w, &st, 0);
	printf("worker=%d\n", (int)w);
	port = closed_port();
	c = client(port);
	waitpid(c, &st, 0);
	printf("client=%d\nrefused_port=%d\n", (int)c, port);
	fflush(stdout);
	if (pipe(ab) || pipe(bc)) {
		perror("kt-test-tool: pipe");
		return 1;
	}
	fds[0] = ab[0];
	fds[1] = ab[1];
	fds[2] = bc[0];
	fds[3] = bc[1];
	fflush(stdout);
	chain[0] = stage("producer", -1, ab[1], 4 << 20, fds, 4);
	chain[1] = stage("filter", ab[0], bc[1], 0, fds, 4);
	chain[2] = stage("consumer", bc[0], -1, 0, fds, 4);
	close(ab[0]);
	close(ab[1]);
	close(bc[0]);
	close(bc[1]);
	for (int i = 0; i < 3; i++)
		waitpid(chain[i], &st, 0);
	printf("producer=%d\nfilter=%d\nconsumer=%d\n", chain[0], chain[1],
	       chain[2]);
	fflush(stdout);
	return kt_why_pipeline(argv[1], 10, 5, 16384, pids) ? 1 : 0;
}
