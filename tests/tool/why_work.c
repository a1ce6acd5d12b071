// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_work.c - kt-test-tool workloads for the causal-analysis live tests,
 * each with a known answer to "why was it slow":
 *
 *   pipeline_fsync DIR [REQUESTS [SLOW [KB [GOFILE]]]]
 *       three processes over unix sockets: front sends REQUESTS requests
 *       to middle, which forwards each to back and relays the answer;
 *       middle writes KB kilobytes to a file in DIR when it starts and
 *       fsyncs it before forwarding request SLOW.  With GOFILE, it
 *       prints "launcher=PID" and waits for GOFILE to exist before it
 *       starts (so that a recorder can attach to it with -p --follow).  The front's slowest syscall is the
 *       read of that answer, and its root is the disk.
 *   lock_convoy [WAITERS [HOLD_MS]]
 *       a holder thread takes a pthread mutex and computes HOLD_MS with
 *       it; WAITERS threads queue on it, each holding it 1 ms.  The
 *       root of every waiter's wait is the holder's work.
 *   cpu_hogs [MS [CPU]]
 *       two busy threads and a latency thread that sleeps 200 us and
 *       works 20 us in a loop, all pinned to CPU (default: the last) for
 *       MS milliseconds.  The latency thread's slowest sleep is mostly
 *       waiting for the cpu.
 *   exit_kill
 *       a parent forks a child that exits 3 and one it kills with
 *       SIGKILL, and reaps both.
 *
 * Each prints the ids the test needs on stdout, one "name=id" per line,
 * before it starts the measured part.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tool.h"
#include "why_work.h"

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void spin_ns(__u64 ns)
{
	__u64 end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static void sleep_ns(__u64 ns)
{
	struct timespec ts = { ns / 1000000000ULL, ns % 1000000000ULL };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

static int xfull(int fd, void *buf, size_t n, int wr)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = wr ? write(fd, (char *)buf + done, n - done) :
				 read(fd, (char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

/* ------------------------------------------------------------- pipeline */

struct req {
	__u32 idx;
	__u32 pad;
	char data[56];
};

static void back_stage(int fd)
{
	struct req q;

	prctl(PR_SET_NAME, "back");
	while (!xfull(fd, &q, sizeof(q), 0)) {
		q.data[0] = 'B';
		if (xfull(fd, &q, sizeof(q), 1))
			break;
	}
	_exit(0);
}

/* The middle stage writes its data file at startup, buffered, like a
 * database appending to its log; request SLOW then commits it: fsync
 * before forwarding, which has to wait for the data and the journal to
 * reach the disk. */
static void middle_stage(int up, int down, const char *path, __u32 slow,
			 size_t kb)
{
	static char block[64 * 1024];
	struct req q;
	int fd;

	prctl(PR_SET_NAME, "middle");
	memset(block, 'x', sizeof(block));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (size_t i = 0; fd >= 0 && i < kb / 64; i++)
		if (xfull(fd, block, sizeof(block), 1))
			break;
	while (!xfull(up, &q, sizeof(q), 0)) {
		if (q.idx == slow && fd >= 0)
			fsync(fd);
		if (xfull(down, &q, sizeof(q), 1) || xfull(down, &q, sizeof(q), 0))
			break;
		q.data[1] = 'M';
		if (xfull(up, &q, sizeof(q), 1))
			break;
	}
	if (fd >= 0)
		close(fd);
	_exit(0);
}

static void front_stage(int fd, __u32 requests)
{
	struct req q;

	prctl(PR_SET_NAME, "front");
	memset(&q, 0, sizeof(q));
	for (__u32 i = 0; i < requests; i++) {
		q.idx = i;
		if (xfull(fd, &q, sizeof(q), 1) || xfull(fd, &q, sizeof(q), 0))
			_exit(1);
		sleep_ns(2000000);
	}
	_exit(0);
}

int kt_why_pipeline(const char *dir, __u32 requests, __u32 slow, size_t kb,
		    pid_t pids[3])
{
	int ab[2], bc[2];
	char path[4096];

	snprintf(path, sizeof(path), "%s/kt-fsync-%d.dat", dir, (int)getpid());
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ab) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, bc)) {
		perror("kt-test-tool: socketpair");
		return -1;
	}
	pids[2] = fork();
	if (pids[2] == 0) {
		close(ab[0]);
		close(ab[1]);
		close(bc[0]);
		back_stage(bc[1]);
	}
	pids[1] = fork();
	if (pids[1] == 0) {
		close(ab[0]);
		close(bc[1]);
		middle_stage(ab[1], bc[0], path, slow, kb);
	}
	close(bc[0]);
	close(bc[1]);
	/* the front starts last, once the others run and the data is
	 * written: its slowest read is the slow request, not a start-up */
	sleep_ns(300000000);
	pids[0] = fork();
	if (pids[0] == 0) {
		close(ab[1]);
		front_stage(ab[0], requests);
	}
	close(ab[0]);
	close(ab[1]);
	printf("front=%d\nmiddle=%d\nback=%d\n", pids[0], pids[1], pids[2]);
	fflush(stdout);
	for (int i = 0; i < 3; i++)
		waitpid(pids[i], NULL, 0);
	unlink(path);
	return 0;
}

KT_TOOL(pipeline_fsync, "DIR [REQUESTS [SLOW [KB [GOFILE]]]]: unix-socket pipeline, middle fsyncs once")
{
	__u32 requests = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 10;
	__u32 slow = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
	size_t kb = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 16384;
	pid_t pids[3];

	if (argc < 2) {
		fprintf(stderr, "usage: kt-test-tool pipeline_fsync DIR [REQUESTS [SLOW [KB [GOFILE]]]]\n");
		return 2;
	}
	if (argc > 5) {
		printf("launcher=%d\n", (int)getpid());
		fflush(stdout);
		while (access(argv[5], F_OK))
			sleep_ns(10000000);
	}
	return kt_why_pipeline(argv[1], requests, slow, kb, pids) ? 1 : 0;
}

/* --------------------------------------------------------------- convoy */

struct convoy {
	pthread_mutex_t m;
	atomic_int locked;
	atomic_int holder_tid;
	atomic_int nwaiters;
	atomic_int waiter_tid[16];
	__u64 hold_ns;
};

static void *holder(void *arg)
{
	struct convoy *c = arg;

	atomic_store(&c->holder_tid, (int)syscall(SYS_gettid));
	pthread_mutex_lock(&c->m);
	atomic_store(&c->locked, 1);
	spin_ns(c->hold_ns);
	pthread_mutex_unlock(&c->m);
	return NULL;
}

static void *waiter(void *arg)
{
	struct convoy *c = arg;

	atomic_store(&c->waiter_tid[atomic_fetch_add(&c->nwaiters, 1)],
		     (int)syscall(SYS_gettid));
	pthread_mutex_lock(&c->m);
	spin_ns(1000000);
	pthread_mutex_unlock(&c->m);
	return NULL;
}

KT_TOOL(lock_convoy, "[WAITERS [HOLD_MS]]: threads queue on a mutex held by one")
{
	int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3;
	struct convoy c = { .m = PTHREAD_MUTEX_INITIALIZER };
	pthread_t h, w[16];

	if (n < 1 || n > 16)
		n = 3;
	c.hold_ns = (argc > 2 ? (int)strtol(argv[2], NULL, 10) : 50) * 1000000ULL;
	pthread_create(&h, NULL, holder, &c);
	while (!atomic_load(&c.locked))
		sched_yield();
	printf("pid=%d\nholder=%d\n", (int)getpid(), atomic_load(&c.holder_tid));
	fflush(stdout);
	for (int i = 0; i < n; i++)
		pthread_create(&w[i], NULL, waiter, &c);
	while (atomic_load(&c.nwaiters) < n)
		sched_yield();
	for (int i = 0; i < n; i++) {
		while (!atomic_load(&c.waiter_tid[i]))
			sched_yield();
		printf("waiter=%d\n", atomic_load(&c.waiter_tid[i]));
	}
	fflush(stdout);
	pthread_join(h, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(w[i], NULL);
	return 0;
}

/* ----------------------------------------------------------------- hogs */

struct hogs {
	atomic_int stop;
	int cpu;
	__u64 until;
	atomic_int lat_tid;
	atomic_int hog_tid[2];
	atomic_int nhogs;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *hog(void *arg)
{
	struct hogs *h = arg;

	pin(h->cpu);
	atomic_store(&h->hog_tid[atomic_fetch_add(&h->nhogs, 1)],
		     (int)syscall(SYS_gettid));
	while (!atomic_load(&h->stop))
		;
	return NULL;
}

static void *latency(void *arg)
{
	struct hogs *h = arg;

	pin(h->cpu);
	atomic_store(&h->lat_tid, (int)syscall(SYS_gettid));
	while (now_ns() < h->until) {
		sleep_ns(200000);
		spin_ns(20000);
	}
	return NULL;
}

KT_TOOL(cpu_hogs, "[MS [CPU]]: two hogs and a latency thread pinned to one cpu")
{
	struct hogs h = { 0 };
	pthread_t t[3];
	__u64 ms = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 300;

	h.cpu = argc > 2 ? (int)strtol(argv[2], NULL, 10) : (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	h.until = now_ns() + ms * 1000000ULL;
	pthread_create(&t[0], NULL, hog, &h);
	pthread_create(&t[1], NULL, hog, &h);
	pthread_create(&t[2], NULL, latency, &h);
	while (!atomic_load(&h.lat_tid) || !atomic_load(&h.hog_tid[0]) ||
	       !atomic_load(&h.hog_tid[1]))
		sched_yield();
	printf("pid=%d\nlatency=%d\nhog1=%d\nhog2=%d\ncpu=%d\n", (int)getpid(),
	       atomic_load(&h.lat_tid), atomic_load(&h.hog_tid[0]),
	       atomic_load(&h.hog_tid[1]), h.cpu);
	fflush(stdout);
	pthread_join(t[2], NULL);
	atomic_store(&h.stop, 1);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	return 0;
}

/* ------------------------------------------------------------ exit/kill */

int kt_why_exit_kill(pid_t *exited, pid_t *killed)
{
	*exited = fork();
	if (*exited == 0)
		_exit(3);
	*killed = fork();
	if (*killed == 0) {
		for (;;)
			pause();
	}
	sleep_ns(20000000);
	kill(*killed, SIGKILL);
	waitpid(*exited, NULL, 0);
	waitpid(*killed, NULL, 0);
	return 0;
}

KT_TOOL(exit_kill, ": a child that exits 3 and one killed by its parent")
{
	pid_t a, b;

	(void)argc;
	(void)argv;
	kt_why_exit_kill(&a, &b);
	printf("parent=%d\nexited=%d\nkilled=%d\n", (int)getpid(), a, b);
	return 0;
}
