// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * truth_sched.c - ground-truth workloads of issue 10 about waiting and
 * running (tests/truth/README.md); each appends what it measured to the
 * truth file TRUTH (format in truth.h):
 *
 *   truth_fsync TRUTH DIR [REQUESTS [SLOW [KB]]]
 *       class 1: front -> middle -> back over unix sockets; middle writes
 *       KB (8192) kilobytes to DIR at start and fsyncs them before it
 *       forwards request SLOW (3 of 6).  Truth: the front's read of every
 *       reply (span role=reply idx=I; the slow one also role=slow), the
 *       front's run-queue wait from its fork to its first request
 *       (startwait role=front), the fsync (sched role=fsync), the kernel thread that waited longest
 *       for a cpu during it (kwait role=fsync: the writeback or journal
 *       thread the fsync waits for may be starved), the file's device
 *       and its disk
 *       ("file role=data dev=MAJ:MIN disk=MAJ:MIN ino=N"), exact counts.
 *   truth_convoy TRUTH [WAITERS [HOLD_MS]]
 *       class 2: a holder takes a mutex; WAITERS (3) threads block on it;
 *       once all of them sleep, the holder computes HOLD_MS (200) with it
 *       held (sched role=hold).  Truth: each waiter's lock wait (span
 *       role=wait idx=I), in the order they got the lock.
 *   truth_cpu TRUTH [MS [SPINNERS]]
 *       class 6: SPINNERS (3) threads spin on the last cpu; a worker pins
 *       itself there and computes MS (1200) with no syscall (sched
 *       role=compute cpu=C).
 *   truth_msgs TRUTH [N [SLOW [MS]]]
 *       class 7: a client sends N (20) requests of 64 bytes over a unix
 *       stream socket, each answered with 64 bytes; the server computes MS
 *       (100) before it answers request SLOW (10) (sched role=work).
 *       Truth: each reply's read (span role=reply idx=I; role=slow for
 *       request SLOW), exact read and
 *       write counts of both ("count"), messages and bytes each way
 *       ("msgs dir=request|response n= bytes="), the socket inodes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool.h"
#include "truth.h"

#define MSG 64

/* Read or write exactly N bytes; *calls counts the syscalls made. */
static int xfer(int fd, void *buf, size_t n, int wr, long *calls)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = wr ? write(fd, (char *)buf + done, n - done) :
				 read(fd, (char *)buf + done, n - done);

		(*calls)++;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---------------------------------------------------------------- fsync */

/* The disk under device DEV: DEV itself, or its parent when DEV is a
 * partition (/sys/dev/block/M:m/partition exists). */
static dev_t disk_of(dev_t dev)
{
	char path[128], buf[32];
	unsigned ma, mi;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition",
		 major(dev), minor(dev));
	if (access(path, F_OK))
		return dev;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev",
		 major(dev), minor(dev));
	f = fopen(path, "r");
	if (!f)
		return dev;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%u:%u", &ma, &mi) != 2) {
		fclose(f);
		return dev;
	}
	fclose(f);
	return makedev(ma, mi);
}

static void fs_back(int out, int fd)
{
	char q[MSG];
	long calls = 0;

	prctl(PR_SET_NAME, "back");
	kt_truth_put(out, "task role=back pid=%d tid=%d comm=back", getpid(),
		     kt_truth_tid());
	while (!xfer(fd, q, MSG, 0, &calls) && !xfer(fd, q, MSG, 1, &calls))
		;
	_exit(0);
}

static void fs_middle(int out, int up, int down, const char *path,
		      long slow, long kb)
{
	static char block[64 * 1024];
	static struct kt_truth_kwaits kw0, kw1;
	struct kt_truth_sched s = { 0 };
	int sfd = kt_truth_sched_fd(), fd, synced = 0;
	long calls = 0;
	struct stat st;
	char q[MSG];

	prctl(PR_SET_NAME, "middle");
	kt_truth_put(out, "task role=middle pid=%d tid=%d comm=middle", getpid(),
		     kt_truth_tid());
	memset(block, 'x', sizeof(block));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &st))
		_exit(1);
	for (long i = 0; i < kb / 64; i++)
		if (xfer(fd, block, sizeof(block), 1, &calls))
			_exit(1);
	kt_truth_put(out, "file role=data dev=%u:%u disk=%u:%u ino=%llu",
		     major(st.st_dev), minor(st.st_dev),
		     major(disk_of(st.st_dev)), minor(disk_of(st.st_dev)),
		     (unsigned long long)st.st_ino);
	kt_truth_kwaits_open(&kw0);
	for (long i = 0; !xfer(up, q, MSG, 0, &calls); i++) {
		if (i == slow) {
			kt_truth_kwaits_read(&kw0);
			kt_truth_sched_begin(&s, sfd);
			if (fsync(fd))
				_exit(1);
			kt_truth_sched_end(&s, sfd);
			kw1 = kw0;
			kt_truth_kwaits_read(&kw1);
			synced++;
		}
		if (xfer(down, q, MSG, 1, &calls) || xfer(down, q, MSG, 0, &calls) ||
		    xfer(up, q, MSG, 1, &calls))
			_exit(1);
	}
	kt_truth_put_sched(out, "fsync", kt_truth_tid(), &s);
	kt_truth_put_kwait(out, "fsync", &kw0, &kw1);
	kt_truth_kwaits_close(&kw0);
	kt_truth_put(out, "count role=middle tid=%d syscall=fsync n=%d",
		     kt_truth_tid(), synced);
	close(fd);
	unlink(path);
	_exit(synced == 1 ? 0 : 1);
}

static void fs_front(int out, int fd, long requests, long slow)
{
	long reads = 0, writes = 0;
	char q[MSG] = { 0 };
	__u64 t0, t1;

	prctl(PR_SET_NAME, "front");
	kt_truth_put(out, "task role=front pid=%d tid=%d comm=front", getpid(),
		     kt_truth_tid());
	/* beside a hog, a new process may wait long for its first cpu: a
	 * span of its own, before any request */
	kt_truth_put(out, "startwait role=front tid=%d wait=%llu at=%llu",
		     kt_truth_tid(), (unsigned long long)kt_truth_run_delay(),
		     (unsigned long long)kt_truth_now());
	for (long i = 0; i < requests; i++) {
		if (xfer(fd, q, MSG, 1, &writes))
			_exit(1);
		t0 = kt_truth_now();
		if (xfer(fd, q, MSG, 0, &reads))
			_exit(1);
		t1 = kt_truth_now();
		kt_truth_put(out, "span role=reply idx=%ld tid=%d start=%llu end=%llu",
			     i, kt_truth_tid(), (unsigned long long)t0,
			     (unsigned long long)t1);
		if (i == slow)
			kt_truth_put(out, "span role=slow tid=%d start=%llu end=%llu",
				     kt_truth_tid(), (unsigned long long)t0,
				     (unsigned long long)t1);
		kt_truth_sleep(2000000);
	}
	kt_truth_put(out, "count role=front tid=%d syscall=read n=%ld",
		     kt_truth_tid(), reads);
	kt_truth_put(out, "count role=front tid=%d syscall=write n=%ld",
		     kt_truth_tid(), writes);
	_exit(0);
}

KT_TOOL(truth_fsync, "TRUTH DIR [REQUESTS [SLOW [KB]]]: class 1, fsync in a pipeline")
{
	long requests = kt_truth_arg(argc, argv, 3, 6);
	long slow = kt_truth_arg(argc, argv, 4, 3);
	long kb = kt_truth_arg(argc, argv, 5, 8192);
	int ab[2], bc[2], out, rc = 0;
	pid_t pid[3];
	char path[4096];

	if (argc < 3 || slow >= requests)
		return 2;
	out = kt_truth_open(argv[1], true);
	if (out < 0)
		return 1;
	kt_truth_main(out);
	snprintf(path, sizeof(path), "%s/kt-truth-fsync-%d.dat", argv[2],
		 (int)getpid());
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ab) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, bc))
		return 1;
	pid[2] = fork();
	if (pid[2] == 0) {
		close(ab[0]);
		close(ab[1]);
		close(bc[0]);
		fs_back(out, bc[1]);
	}
	pid[1] = fork();
	if (pid[1] == 0) {
		close(ab[0]);
		close(bc[1]);
		fs_middle(out, ab[1], bc[0], path, slow, kb);
	}
	close(bc[0]);
	close(bc[1]);
	/* the front starts once the data is written (buffered, dirty) */
	kt_truth_sleep(300000000);
	pid[0] = fork();
	if (pid[0] == 0) {
		close(ab[1]);
		fs_front(out, ab[0], requests, slow);
	}
	close(ab[0]);
	close(ab[1]);
	for (int i = 0; i < 3; i++)
		if (reap(pid[i]))
			rc = 1;
	return rc || kt_truth_failed();
}

/* --------------------------------------------------------------- convoy */

struct convoy {
	pthread_mutex_t m;
	atomic_int locked, go, nwaiters;
	atomic_int holder_tid;
	atomic_int tid[16];
	__u64 hold_ns;
	struct kt_truth_sched hold;
	__u64 wait_start[16], wait_end[16];
};

static void *cv_holder(void *arg)
{
	struct convoy *c = arg;
	int sfd = kt_truth_sched_fd();

	atomic_store(&c->holder_tid, kt_truth_tid());
	pthread_mutex_lock(&c->m);
	atomic_store(&c->locked, 1);
	while (!atomic_load(&c->go))
		;
	kt_truth_sched_begin(&c->hold, sfd);
	kt_truth_spin(c->hold_ns);
	kt_truth_sched_end(&c->hold, sfd);
	pthread_mutex_unlock(&c->m);
	return NULL;
}

static void *cv_waiter(void *arg)
{
	struct convoy *c = arg;
	int i = atomic_fetch_add(&c->nwaiters, 1);

	atomic_store(&c->tid[i], kt_truth_tid());
	c->wait_start[i] = kt_truth_now();
	pthread_mutex_lock(&c->m);
	c->wait_end[i] = kt_truth_now();
	kt_truth_spin(1000000);
	pthread_mutex_unlock(&c->m);
	return NULL;
}

/* State letter of thread TID of this process ('S' asleep), or 0. */
static char thread_state(int tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

KT_TOOL(truth_convoy, "TRUTH [WAITERS [HOLD_MS]]: class 2, a lock convoy")
{
	long n = kt_truth_arg(argc, argv, 2, 3);
	static struct convoy c = { .m = PTHREAD_MUTEX_INITIALIZER };
	pthread_t h, w[16];
	int out, asleep = 0;

	if (argc < 2 || n < 1 || n > 16)
		return 2;
	c.hold_ns = kt_truth_arg(argc, argv, 3, 200) * 1000000ULL;
	out = kt_truth_open(argv[1], true);
	if (out < 0)
		return 1;
	kt_truth_main(out);
	pthread_create(&h, NULL, cv_holder, &c);
	while (!atomic_load(&c.locked))
		kt_truth_sleep(100000);
	for (long i = 0; i < n; i++)
		pthread_create(&w[i], NULL, cv_waiter, &c);
	/* the holder starts its measured work once every waiter sleeps */
	for (int tries = 0; tries < 2000 && asleep < n; tries++) {
		kt_truth_sleep(1000000);
		asleep = 0;
		for (long i = 0; i < n; i++)
			if (atomic_load(&c.tid[i]) &&
			    thread_state(atomic_load(&c.tid[i])) == 'S')
				asleep++;
	}
	atomic_store(&c.go, 1);
	pthread_join(h, NULL);
	for (long i = 0; i < n; i++)
		pthread_join(w[i], NULL);
	kt_truth_put(out, "task role=holder pid=%d tid=%d", getpid(),
		     atomic_load(&c.holder_tid));
	kt_truth_put_sched(out, "hold", atomic_load(&c.holder_tid), &c.hold);
	for (long i = 0; i < n; i++) {
		kt_truth_put(out, "task role=waiter idx=%ld pid=%d tid=%d", i,
			     getpid(), atomic_load(&c.tid[i]));
		kt_truth_put(out, "span role=wait idx=%ld tid=%d start=%llu end=%llu",
			     i, atomic_load(&c.tid[i]),
			     (unsigned long long)c.wait_start[i],
			     (unsigned long long)c.wait_end[i]);
	}
	kt_truth_put(out, "note waiters_asleep=%d of=%ld", asleep, n);
	return asleep < n || kt_truth_failed();
}

/* ------------------------------------------------------------------ cpu */

struct cpu_work {
	int cpu;
	long spinners;
	atomic_int stop, started;
	atomic_int tid[16];
	int worker_tid;
	__u64 ms;
	__u64 born;             /* the worker's first instruction */
	struct kt_truth_sched s;
};

static void *cpu_spinner(void *arg)
{
	struct cpu_work *c = arg;
	int tid = kt_truth_tid();

	kt_truth_pin(c->cpu);
	atomic_store(&c->tid[atomic_fetch_add(&c->started, 1)], tid);
	while (!atomic_load(&c->stop))
		;
	return NULL;
}

static void *cpu_worker(void *arg)
{
	struct cpu_work *c = arg;
	int sfd = kt_truth_sched_fd();

	/* from here it never sleeps: moved to the spinners' cpu, it waits
	 * there for its turn (a CPU stretch from its birth) */
	c->born = kt_truth_now();
	c->worker_tid = kt_truth_tid();
	kt_truth_pin(c->cpu);
	kt_truth_sched_begin(&c->s, sfd);
	kt_truth_spin(c->ms * 1000000ULL);
	kt_truth_sched_end(&c->s, sfd);
	atomic_store(&c->stop, 1);
	return NULL;
}

KT_TOOL(truth_cpu, "TRUTH [MS [SPINNERS]]: class 6, a pinned computation among spinners")
{
	static struct cpu_work c;
	pthread_t sp[16], w;
	int out;

	c.ms = kt_truth_arg(argc, argv, 2, 1200);
	c.spinners = kt_truth_arg(argc, argv, 3, 3);
	if (argc < 2 || c.spinners > 16)
		return 2;
	c.cpu = kt_truth_last_cpu();
	out = kt_truth_open(argv[1], true);
	if (out < 0)
		return 1;
	kt_truth_main(out);
	for (long i = 0; i < c.spinners; i++)
		pthread_create(&sp[i], NULL, cpu_spinner, &c);
	while (atomic_load(&c.started) < c.spinners)
		kt_truth_sleep(1000000);
	pthread_create(&w, NULL, cpu_worker, &c);
	pthread_join(w, NULL);
	for (long i = 0; i < c.spinners; i++)
		pthread_join(sp[i], NULL);
	kt_truth_put(out, "task role=worker pid=%d tid=%d", getpid(),
		     c.worker_tid);
	for (long i = 0; i < c.spinners; i++)
		kt_truth_put(out, "task role=spinner idx=%ld pid=%d tid=%d", i,
			     getpid(), atomic_load(&c.tid[i]));
	kt_truth_put(out, "sched role=compute tid=%d cpu=%d born=%llu start=%llu end=%llu run=%llu wait=%llu",
		     c.worker_tid, c.cpu, (unsigned long long)c.born,
		     (unsigned long long)c.s.start,
		     (unsigned long long)c.s.end,
		     (unsigned long long)(c.s.run1 - c.s.run0),
		     (unsigned long long)(c.s.wait1 - c.s.wait0));
	return kt_truth_failed();
}

/* ----------------------------------------------------------------- msgs */

static void msg_server(int out, int fd, long n, long slow, long ms)
{
	struct kt_truth_sched s = { 0 };
	int sfd = kt_truth_sched_fd();
	long reads = 0, writes = 0;
	char q[MSG];

	prctl(PR_SET_NAME, "msg-server");
	for (long i = 0; i < n; i++) {
		if (xfer(fd, q, MSG, 0, &reads))
			_exit(1);
		if (i == slow) {
			kt_truth_sched_begin(&s, sfd);
			kt_truth_spin(ms * 1000000ULL);
			kt_truth_sched_end(&s, sfd);
		}
		q[0] = 'R';
		if (xfer(fd, q, MSG, 1, &writes))
			_exit(1);
	}
	kt_truth_put(out, "task role=server pid=%d tid=%d comm=msg-server",
		     getpid(), kt_truth_tid());
	kt_truth_put_sched(out, "work", kt_truth_tid(), &s);
	kt_truth_put(out, "count role=server tid=%d syscall=read n=%ld",
		     kt_truth_tid(), reads);
	kt_truth_put(out, "count role=server tid=%d syscall=write n=%ld",
		     kt_truth_tid(), writes);
	_exit(0);
}

static void msg_client(int out, int fd, long n, long slow)
{
	long reads = 0, writes = 0;
	char q[MSG] = { 0 };
	__u64 t0[64], t1[64];

	prctl(PR_SET_NAME, "msg-client");
	for (long i = 0; i < n; i++) {
		q[0] = 'Q';
		if (xfer(fd, q, MSG, 1, &writes))
			_exit(1);
		t0[i] = kt_truth_now();
		if (xfer(fd, q, MSG, 0, &reads))
			_exit(1);
		t1[i] = kt_truth_now();
	}
	kt_truth_put(out, "task role=client pid=%d tid=%d comm=msg-client",
		     getpid(), kt_truth_tid());
	for (long i = 0; i < n; i++)
		kt_truth_put(out, "span role=%s idx=%ld tid=%d start=%llu end=%llu",
			     i == slow ? "slow" : "reply", i, kt_truth_tid(),
			     (unsigned long long)t0[i], (unsigned long long)t1[i]);
	kt_truth_put(out, "count role=client tid=%d syscall=read n=%ld",
		     kt_truth_tid(), reads);
	kt_truth_put(out, "count role=client tid=%d syscall=write n=%ld",
		     kt_truth_tid(), writes);
	_exit(0);
}

KT_TOOL(truth_msgs, "TRUTH [N [SLOW [MS]]]: class 7, N request/response messages")
{
	long n = kt_truth_arg(argc, argv, 2, 20);
	long slow = kt_truth_arg(argc, argv, 3, 10);
	long ms = kt_truth_arg(argc, argv, 4, 100);
	struct stat a, b;
	int sv[2], out, rc = 0;
	pid_t srv, cli;

	if (argc < 2 || n < 1 || n > 64 || slow >= n)
		return 2;
	out = kt_truth_open(argv[1], true);
	if (out < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    fstat(sv[0], &a) || fstat(sv[1], &b))
		return 1;
	kt_truth_main(out);
	kt_truth_put(out, "sock role=client ino=%llu peer_ino=%llu",
		     (unsigned long long)a.st_ino, (unsigned long long)b.st_ino);
	kt_truth_put(out, "msgs dir=request n=%ld bytes=%ld", n, n * MSG);
	kt_truth_put(out, "msgs dir=response n=%ld bytes=%ld", n, n * MSG);
	srv = fork();
	if (srv == 0) {
		close(sv[0]);
		msg_server(out, sv[1], n, slow, ms);
	}
	cli = fork();
	if (cli == 0) {
		close(sv[1]);
		msg_client(out, sv[0], n, slow);
	}
	close(sv[0]);
	close(sv[1]);
	if (reap(cli) || reap(srv))
		rc = 1;
	return rc || kt_truth_failed();
}
