// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kernel_work.c - workloads in which the kernel acts, with a known truth:
 *   listen_full PORT   a listener with backlog 0 that never accepts; two
 *                      connects: the first fills the accept queue, the
 *                      second's SYN is dropped there and retransmitted
 *                      after the initial RTO (1 s).  Prints the pid,
 *                      both local ports, and whether the second connect
 *                      was still pending after WAIT_MS (default 1300).
 *   segv               a child that faults on address 16: the kernel
 *                      sends it SIGSEGV (si_code SEGV_MAPERR); prints its
 *                      pid
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "tool.h"

static int local_port(int s)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);

	if (getsockname(s, (struct sockaddr *)&me, &len))
		return -1;
	return ntohs(me.sin_port);
}

KT_TOOL(listen_full, "PORT [WAIT_MS]: a SYN retransmitted to a full accept queue")
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long port = argc >= 2 ? strtol(argv[1], NULL, 10) : -1;
	long wait_ms = argc == 3 ? strtol(argv[2], NULL, 10) : 1300;
	int ls, c1, c2, one = 1, r2, err = 0;
	socklen_t elen = sizeof(err);

	if (port <= 0 || port > 65535 || wait_ms < 0 || wait_ms > 10000)
		return 2;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	c1 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	c2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ls < 0 || c1 < 0 || c2 < 0)
		return 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* backlog 0: one connection fills the queue (full means more than
	 * the backlog waiting) */
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 0))
		return 1;
	if (connect(c1, (struct sockaddr *)&sa, sizeof(sa)))
		return 1;
	r2 = connect(c2, (struct sockaddr *)&sa, sizeof(sa));
	if (r2 && errno != EINPROGRESS)
		return 1;
	usleep(wait_ms * 1000);
	getsockopt(c2, SOL_SOCKET, SO_ERROR, &err, &elen);
	printf("pid %d\nlistener %ld\nfirst %d\nsecond %d\npending %s\n",
	       getpid(), port, local_port(c1), local_port(c2),
	       r2 && !err && connect(c2, (struct sockaddr *)&sa,
				     sizeof(sa)) && errno == EALREADY ?
	       "yes" : "no");
	close(c2);
	close(c1);
	close(ls);
	return 0;
}

KT_TOOL(segv, ": a child killed by the SIGSEGV of its own fault")
{
	/* volatile: the compiler must not see the store's address */
	static volatile unsigned long bad = 16;
	int st;
	pid_t c;

	(void)argc;
	(void)argv;
	c = fork();
	if (c < 0)
		return 1;
	if (!c) {
		/* the default action, not a sanitizer's handler */
		struct sigaction sa = { .sa_handler = SIG_DFL };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGSEGV, &sa, NULL);
		*(volatile int *)bad = 1;
		_exit(0);
	}
	printf("child %d\n", c);
	if (waitpid(c, &st, 0) != c)
		return 1;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? 0 : 1;
}
