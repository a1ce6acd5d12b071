// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stream_workload.c - kt-test-tool stream_work DIR: a workload whose truth
 * the stats cross-checks (tests/live/stats_*.sh) know exactly.  It writes
 * DIR/truth as shell assignments (pid, child pids, ports) and does:
 *   - 1000 getppid calls
 *   - opens DIR/stream-open-0..4 (created) and DIR/missing-0..1 (ENOENT)
 *   - children exiting 3 and 7, one killed with SIGTERM by this process
 *   - a child exec'ing /bin/true, one failing to exec a missing path
 *   - a TCP connect to a listening loopback port (accepted) and one to a
 *     closed port (refused)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool.h"

#define NGETPPID 1000

static pid_t child_exit(int code)
{
	pid_t p = fork();

	if (p == 0)
		_exit(code);
	return p;
}

static pid_t child_exec(const char *path)
{
	pid_t p = fork();
	char buf[256];

	if (p == 0) {
		/* from the stack: a page the kernel-side reader of the path
		 * can always see (a string literal's page may not be
		 * resident in the child yet) */
		snprintf(buf, sizeof(buf), "%s", path);
		execl(buf, "true", (char *)NULL);
		_exit(127);
	}
	return p;
}

/* A child that waits for a signal; returns once it is in pause(). */
static pid_t child_victim(void)
{
	int fd[2];
	pid_t p;
	char c;

	if (pipe(fd))
		return -1;
	p = fork();
	if (p == 0) {
		close(fd[0]);
		if (write(fd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], &c, 1) != 1)
		p = -1;
	close(fd[0]);
	return p;
}

static int loopback(struct sockaddr_in *sa, int listening)
{
	socklen_t len = sizeof(*sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)sa, sizeof(*sa)) ||
	    getsockname(s, (struct sockaddr *)sa, &len) ||
	    (listening && listen(s, 4))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* connect to a listener and to a closed port; store both ports */
static int tcp_work(int *port_ok, int *port_closed)
{
	struct sockaddr_in sa, closed;
	int l, c, a, rc = -1;

	l = loopback(&sa, 1);
	c = loopback(&closed, 0);       /* bound, not listening: refuses */
	if (l < 0 || c < 0)
		goto out;
	*port_ok = ntohs(sa.sin_port);
	*port_closed = ntohs(closed.sin_port);
	a = socket(AF_INET, SOCK_STREAM, 0);
	if (a < 0 || connect(a, (struct sockaddr *)&sa, sizeof(sa)))
		goto out;
	close(accept(l, NULL, NULL));
	close(a);
	a = socket(AF_INET, SOCK_STREAM, 0);
	if (a >= 0 && connect(a, (struct sockaddr *)&closed, sizeof(closed)) &&
	    errno == ECONNREFUSED)
		rc = 0;
	if (a >= 0)
		close(a);
out:
	if (l >= 0)
		close(l);
	if (c >= 0)
		close(c);
	return rc;
}

KT_TOOL(stream_work, "DIR: the stats cross-check workload (writes DIR/truth)")
{
	char path[4096];
	pid_t c3, c7, victim, ctrue, cnope;
	int port_ok = 0, port_closed = 0, fd, st;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: kt-test-tool stream_work DIR\n");
		return 2;
	}
	for (int i = 0; i < NGETPPID; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/stream-open-%d", argv[1], i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return 1;
		close(fd);
	}
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/missing-%d", argv[1], i);
		if (open(path, O_RDONLY) >= 0)
			return 1;
	}
	c3 = child_exit(3);
	c7 = child_exit(7);
	victim = child_victim();
	if (c3 < 0 || c7 < 0 || victim < 0 || kill(victim, SIGTERM))
		return 1;
	ctrue = child_exec("/bin/true");
	cnope = child_exec("/nonexistent/stream-nope");
	while (wait(&st) > 0)
		;
	if (tcp_work(&port_ok, &port_closed))
		return 1;
	snprintf(path, sizeof(path), "%s/truth", argv[1]);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "pid=%d\nchild3=%d\nchild7=%d\nvictim=%d\nctrue=%d\n"
		"cnope=%d\nport_ok=%d\nport_closed=%d\nngetppid=%d\n",
		getpid(), c3, c7, victim, ctrue, cnope, port_ok, port_closed,
		NGETPPID);
	return fclose(f) ? 1 : 0;
}
