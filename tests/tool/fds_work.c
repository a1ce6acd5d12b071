// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fds_work.c - kt-test-tool fdwork: a process whose fds name files,
 * pipes and sockets, some opened before a recording starts (named by
 * the /proc snapshot), the others while it runs (named by the capture's
 * syscalls), for the fd resolver's live test (tests/live/names_fds.sh).
 * It prints every fd with what it names, so that the test compares what
 * ktrail prints with what the workload did.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "tool.h"

static int die(const char *what)
{
	perror(what);
	return 1;
}

/* a listener on 127.0.0.1 (any port): its fd, the port in @port */
static int listener(unsigned *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 4) || getsockname(fd, (struct sockaddr *)&a, &n))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

/* until DIR/go exists (the recording runs) */
static void wait_go(void)
{
	while (access("go", F_OK))
		usleep(2000);
}

static int churn(char c, int wfd, int rfd)
{
	char x;

	return write(wfd, &c, 1) != 1 || read(rfd, &x, 1) != 1;
}

KT_TOOL(fdwork, "DIR [wait]: fds on files, pipes, sockets (before and during a recording)")
{
	static char buf[65536];
	int pre, pp[2], lis, nfd, q[2], sp[2], c, s, st;
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, peer;
	socklen_t plen = sizeof(peer);
	unsigned port;
	pid_t child;

	if (argc < 2 || chdir(argv[1]))
		return 2;
	/* before the recording: a file, a pipe, a listener */
	pre = open("pre.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (pre < 0 || pipe(pp) || (lis = listener(&port)) < 0)
		return die("setup");
	printf("pid %d\npre %d\nprepipe %d %d\nlisten %d %u\n", getpid(), pre,
	       pp[0], pp[1], lis, port);
	fflush(stdout);
	if (argc > 2)
		wait_go();
	memset(buf, 'f', sizeof(buf));
	if (write(pre, buf, 4096) != 4096 || fsync(pre) || churn('a', pp[1], pp[0]))
		return die("pre");
	/* while recording */
	nfd = open("new.dat", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (nfd < 0 || write(nfd, buf, sizeof(buf)) != sizeof(buf) || fsync(nfd))
		return die("new.dat");
	if (pipe2(q, O_CLOEXEC) || churn('b', q[1], q[0]))
		return die("pipe2");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || churn('c', sp[0], sp[1]))
		return die("socketpair");
	a.sin_port = htons(port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) ||
	    (s = accept(lis, (struct sockaddr *)&peer, &plen)) < 0 ||
	    churn('d', c, s))
		return die("tcp");
	if (dup2(nfd, 50) != 50 || write(50, buf, 512) != 512)
		return die("dup2");
	child = fork();
	if (child < 0)
		return die("fork");
	if (!child)             /* the inherited pipe */
		_exit(write(pp[1], "e", 1) != 1);
	if (read(pp[0], buf, 1) != 1 || waitpid(child, &st, 0) != child)
		return die("child");
	printf("new %d\npipe2 %d %d\npair %d %d\nclient %d %u\nserver %d\ndup 50\nchild %d\n",
	       nfd, q[0], q[1], sp[0], sp[1], c, ntohs(peer.sin_port), s, child);
	return 0;
}
