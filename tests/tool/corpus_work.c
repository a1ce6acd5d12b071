// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * corpus_work.c - kt-test-tool workloads recorded into the fixed corpus
 * (corpus/scenarios/, issue 13), each with a known answer:
 *
 *   net_fail ADDR CLOSED DROPPED
 *       two TCP connects to ADDR (meant for another network namespace):
 *       to port CLOSED, where nothing listens (the far side answers the
 *       SYN with a RST: ECONNREFUSED), then to port DROPPED, where the
 *       far side drops every SYN (a firewall rule): the SYN is
 *       retransmitted once (TCP_SYNCNT 1) after the initial RTO of 1 s,
 *       and the connect fails with ETIMEDOUT after 3 s.
 *   sleep_pipe [ROUNDS [SLEEP_MS [FEED_MS]]]
 *       three threads: "sleeper" sleeps SLEEP_MS (20) on a timer ROUNDS
 *       (10) times; "reader" reads ROUNDS messages from a pipe that
 *       "feeder" fills, sleeping FEED_MS (15) on a timer before each
 *       message, and four times as long before the middle one.  The
 *       sleeper's waits are its own timer's; the reader's are the pipe,
 *       written by the feeder when its timer expired: its slowest wait,
 *       the middle message, has the root cause a timer two hops away.
 *
 * Each prints the ids the golden tests use on stdout, one "name=id" per
 * line (net_fail after the connects: the ports are known only then).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "tool.h"

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || end == s ? -1 : v;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* ------------------------------------------------------------- net_fail */

/* One blocking connect to ADDR:PORT with SYNCNT SYN retransmits at most
 * (0: the system's default); prints "NAME_sport=" and "NAME=" (0 or
 * -errno) and returns the result. */
static int connect_once(const struct in_addr *addr, long port, int syncnt,
			const char *name)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = *addr };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int s, r;

	sa.sin_port = htons(port);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (syncnt)
		setsockopt(s, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt));
	r = connect(s, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	memset(&me, 0, sizeof(me));
	getsockname(s, (struct sockaddr *)&me, &len);
	printf("%s_sport=%d\n%s=%d\n", name, ntohs(me.sin_port), name, r);
	close(s);
	return r;
}

KT_TOOL(net_fail, "ADDR CLOSED DROPPED: a connect refused, one whose SYNs are dropped")
{
	struct in_addr addr;
	long closed = argc == 4 ? arg_long(argv[2]) : -1;
	long dropped = argc == 4 ? arg_long(argv[3]) : -1;
	int r1, r2;

	if (closed <= 0 || closed > 65535 || dropped <= 0 || dropped > 65535 ||
	    inet_pton(AF_INET, argv[1], &addr) != 1)
		return 2;
	printf("pid=%d\n", getpid());
	r1 = connect_once(&addr, closed, 0, "refused");
	r2 = connect_once(&addr, dropped, 1, "dropped");
	return r1 == -ECONNREFUSED && r2 == -ETIMEDOUT ? 0 : 1;
}

/* ----------------------------------------------------------- sleep_pipe */

struct sp_ctx {
	long rounds, sleep_ms, feed_ms;
	int pipe[2];
	pid_t tid[3];            /* sleeper, reader, feeder */
	pthread_barrier_t start; /* the three threads and main */
};

static void sp_begin(struct sp_ctx *c, int who, const char *name)
{
	prctl(PR_SET_NAME, name);
	c->tid[who] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&c->start);
	pthread_barrier_wait(&c->start);
}

static void *sp_sleeper(void *arg)
{
	struct sp_ctx *c = arg;

	sp_begin(c, 0, "sleeper");
	for (long i = 0; i < c->rounds; i++)
		sleep_ms(c->sleep_ms);
	return NULL;
}

static void *sp_reader(void *arg)
{
	struct sp_ctx *c = arg;
	char msg[16];

	sp_begin(c, 1, "reader");
	for (long i = 0; i < c->rounds; i++)
		if (read(c->pipe[0], msg, sizeof(msg)) != sizeof(msg))
			break;
	return NULL;
}

/* Sleeps on a timer before each message; four times as long before the
 * middle one, the reader's slowest wait.  (A timer, not a computation:
 * on a loaded machine a computing feeder would make the reader's waits
 * cpu contention.) */
static void *sp_feeder(void *arg)
{
	struct sp_ctx *c = arg;
	char msg[16] = "message";

	sp_begin(c, 2, "feeder");
	for (long i = 0; i < c->rounds; i++) {
		sleep_ms(c->feed_ms * (i == c->rounds / 2 ? 4 : 1));
		if (write(c->pipe[1], msg, sizeof(msg)) != sizeof(msg))
			break;
	}
	return NULL;
}

KT_TOOL(sleep_pipe, "[ROUNDS [SLEEP_MS [FEED_MS]]]: timer sleeps beside pipe waits")
{
	void *(*fn[3])(void *) = { sp_sleeper, sp_reader, sp_feeder };
	struct sp_ctx c = { .rounds = 10, .sleep_ms = 20, .feed_ms = 15 };
	pthread_t t[3];

	if (argc > 1)
		c.rounds = arg_long(argv[1]);
	if (argc > 2)
		c.sleep_ms = arg_long(argv[2]);
	if (argc > 3)
		c.feed_ms = arg_long(argv[3]);
	if (argc > 4 || c.rounds <= 0 || c.sleep_ms < 0 || c.feed_ms < 0)
		return 2;
	if (pipe2(c.pipe, O_CLOEXEC) ||
	    pthread_barrier_init(&c.start, NULL, 4))
		return 1;
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, fn[i], &c))
			return 1;
	pthread_barrier_wait(&c.start);
	printf("pid=%d\nsleeper=%d\nreader=%d\nfeeder=%d\n", getpid(),
	       c.tid[0], c.tid[1], c.tid[2]);
	fflush(stdout);
	pthread_barrier_wait(&c.start);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
