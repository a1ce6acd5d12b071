// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * truth_net.c - the TCP ground-truth workload of issue 10, class 4
 * (tests/truth/README.md; truth format in truth.h):
 *
 *   truth_tcp TRUTH [PAUSE_MS [WORK_MS]]
 *       In a network namespace of its own (loopback only, gone when the
 *       workload exits, so its TCP counters count only this workload):
 *       syn: a server listens with backlog 1 on 127.0.0.1:7001 and does
 *       not accept; a client fills the accept queue with two connections,
 *       then connects a third time: the SYN is dropped (full accept
 *       queue), the server accepts one connection PAUSE_MS (500) later,
 *       and the client's SYN, retransmitted after the initial RTO (1 s),
 *       gets in.  Truth: the connect (span role=connect), the 4-tuples
 *       ("tuple role=syn|fill saddr= sport= daddr= dport="), the
 *       listener ("listen port= backlog="), the namespace's TcpExt
 *       ListenOverflows and ListenDrops around the connect ("counter").
 *       rr: a client sends a 64-byte request to a server on :7002, which
 *       computes WORK_MS (150) before it answers: the client's read of
 *       the answer (span role=rr_read) waits for the server's work
 *       (sched role=rr_work).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool.h"
#include "truth.h"

#define SYN_PORT 7001
#define RR_PORT 7002
#define MSG 64

static int lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	rc = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (!rc)
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return rc;
}

/* TcpExt counter NAME of this network namespace, or -1. */
static long tcpext(const char *name)
{
	char head[8192], vals[8192], *hs, *vs, *h, *v;
	FILE *f = fopen("/proc/net/netstat", "re");
	long r = -1;

	if (!f)
		return -1;
	while (fgets(head, sizeof(head), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(head, "TcpExt:", 7))
			continue;
		h = strtok_r(head, " \n", &hs);
		v = strtok_r(vals, " \n", &vs);
		while ((h = strtok_r(NULL, " \n", &hs)) &&
		       (v = strtok_r(NULL, " \n", &vs)))
			if (!strcmp(h, name))
				r = strtol(v, NULL, 10);
	}
	fclose(f);
	return r;
}

static struct sockaddr_in lo_addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A listener whose accept gives up after 5 s: a workload whose client
 * died must end, not hang the recording. */
static int listener(int port, int backlog)
{
	struct sockaddr_in a = lo_addr(port);
	struct timeval tv = { 5, 0 };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, backlog))
		return -1;
	return s;
}

static int connect_to(int port)
{
	struct sockaddr_in a = lo_addr(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return s;
}

static void put_tuple(int out, const char *role, int idx, int s)
{
	struct sockaddr_in me, peer;
	socklen_t l1 = sizeof(me), l2 = sizeof(peer);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (getsockname(s, (struct sockaddr *)&me, &l1) ||
	    getpeername(s, (struct sockaddr *)&peer, &l2))
		return;
	inet_ntop(AF_INET, &me.sin_addr, a, sizeof(a));
	inet_ntop(AF_INET, &peer.sin_addr, b, sizeof(b));
	kt_truth_put(out, "tuple role=%s idx=%d pid=%d saddr=%s sport=%d daddr=%s dport=%d",
		     role, idx, getpid(), a, ntohs(me.sin_port), b,
		     ntohs(peer.sin_port));
}

static int xfer(int fd, char *buf, size_t n, int wr)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = wr ? write(fd, buf + done, n - done) :
				 read(fd, buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

static char byte_from(int fd)
{
	char c = 0;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	return c;
}

static int reap(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* ------------------------------------------------------------------ syn */

struct syn_pipes {
	int ready[2];   /* server -> top: listening */
	int go[2];      /* client -> server: about to connect */
	int done[2];    /* client -> server: connected */
};

static void syn_server(int out, struct syn_pipes *p, long pause_ms)
{
	int ls = listener(SYN_PORT, 1), c[3];
	__u64 t0, t1;

	/* only the client holds the write ends: its death is an EOF here */
	close(p->ready[0]);
	close(p->go[1]);
	close(p->done[1]);
	if (ls < 0 || write(p->ready[1], "r", 1) != 1)
		_exit(1);
	kt_truth_put(out, "task role=syn_server pid=%d tid=%d", getpid(),
		     kt_truth_tid());
	kt_truth_put(out, "listen role=syn port=%d backlog=1", SYN_PORT);
	byte_from(p->go[0]);
	kt_truth_sleep(pause_ms * 1000000ULL);
	t0 = kt_truth_now();
	c[0] = accept(ls, NULL, NULL);
	t1 = kt_truth_now();
	kt_truth_put(out, "span role=accept tid=%d start=%llu end=%llu",
		     kt_truth_tid(), (unsigned long long)t0,
		     (unsigned long long)t1);
	byte_from(p->done[0]);
	c[1] = accept(ls, NULL, NULL);
	c[2] = accept(ls, NULL, NULL);
	for (int i = 0; i < 3; i++)
		if (c[i] >= 0)
			close(c[i]);
	close(ls);
	_exit(c[0] < 0 || c[1] < 0 || c[2] < 0);
}

static void syn_client(int out, struct syn_pipes *p)
{
	struct sockaddr_in a = lo_addr(SYN_PORT);
	long ov0, ov1, dr0, dr1;
	int f1, f2, s, r;
	__u64 t0, t1;

	close(p->go[0]);
	close(p->done[0]);
	kt_truth_put(out, "task role=syn_client pid=%d tid=%d", getpid(),
		     kt_truth_tid());
	f1 = connect_to(SYN_PORT);
	f2 = connect_to(SYN_PORT);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f1 < 0 || f2 < 0 || s < 0)
		_exit(1);
	/* both fillers' handshakes done on the server's side too */
	kt_truth_sleep(20000000);
	ov0 = tcpext("ListenOverflows");
	dr0 = tcpext("ListenDrops");
	if (write(p->go[1], "g", 1) != 1)
		_exit(1);
	t0 = kt_truth_now();
	r = connect(s, (struct sockaddr *)&a, sizeof(a));
	t1 = kt_truth_now();
	ov1 = tcpext("ListenOverflows");
	dr1 = tcpext("ListenDrops");
	kt_truth_put(out, "span role=connect tid=%d start=%llu end=%llu ret=%d",
		     kt_truth_tid(), (unsigned long long)t0,
		     (unsigned long long)t1, r ? -errno : 0);
	put_tuple(out, "syn", 0, s);
	put_tuple(out, "fill", 0, f1);
	put_tuple(out, "fill", 1, f2);
	kt_truth_put(out, "counter name=ListenOverflows delta=%ld", ov1 - ov0);
	kt_truth_put(out, "counter name=ListenDrops delta=%ld", dr1 - dr0);
	if (write(p->done[1], "d", 1) != 1)
		_exit(1);
	close(s);
	close(f1);
	close(f2);
	_exit(r ? 1 : 0);
}

static int part_syn(int out, long pause_ms)
{
	struct syn_pipes p;
	pid_t srv, cli;

	if (pipe2(p.ready, O_CLOEXEC) || pipe2(p.go, O_CLOEXEC) ||
	    pipe2(p.done, O_CLOEXEC))
		return 1;
	srv = fork();
	if (srv == 0)
		syn_server(out, &p, pause_ms);
	close(p.ready[1]);
	if (byte_from(p.ready[0]) != 'r')
		return 1;
	cli = fork();
	if (cli == 0)
		syn_client(out, &p);
	close(p.go[0]);
	close(p.go[1]);
	close(p.done[0]);
	close(p.done[1]);
	return reap(cli) | reap(srv);
}

/* ------------------------------------------------------------------- rr */

static void rr_server(int out, int ready, long work_ms)
{
	int ls = listener(RR_PORT, 16), c, sfd = kt_truth_sched_fd();
	struct kt_truth_sched s;
	char q[MSG];

	if (ls < 0 || write(ready, "r", 1) != 1)
		_exit(1);
	c = accept(ls, NULL, NULL);
	if (c < 0 || xfer(c, q, MSG, 0))
		_exit(1);
	kt_truth_sched_begin(&s, sfd);
	kt_truth_spin(work_ms * 1000000ULL);
	kt_truth_sched_end(&s, sfd);
	if (xfer(c, q, MSG, 1))
		_exit(1);
	while (read(c, q, sizeof(q)) > 0)
		;
	kt_truth_put(out, "task role=rr_server pid=%d tid=%d", getpid(),
		     kt_truth_tid());
	kt_truth_put_sched(out, "rr_work", kt_truth_tid(), &s);
	close(c);
	close(ls);
	_exit(0);
}

static void rr_client(int out)
{
	int s = connect_to(RR_PORT);
	char q[MSG] = { 'Q' };
	__u64 t0, t1;

	if (s < 0 || xfer(s, q, MSG, 1))
		_exit(1);
	t0 = kt_truth_now();
	if (xfer(s, q, MSG, 0))
		_exit(1);
	t1 = kt_truth_now();
	kt_truth_put(out, "task role=rr_client pid=%d tid=%d", getpid(),
		     kt_truth_tid());
	kt_truth_put(out, "span role=rr_read tid=%d start=%llu end=%llu",
		     kt_truth_tid(), (unsigned long long)t0,
		     (unsigned long long)t1);
	put_tuple(out, "rr", 0, s);
	close(s);
	_exit(0);
}

static int part_rr(int out, long work_ms)
{
	int ready[2];
	pid_t srv, cli;

	if (pipe2(ready, O_CLOEXEC))
		return 1;
	srv = fork();
	if (srv == 0)
		rr_server(out, ready[1], work_ms);
	close(ready[1]);
	if (byte_from(ready[0]) != 'r')
		return 1;
	cli = fork();
	if (cli == 0)
		rr_client(out);
	return reap(cli) | reap(srv);
}

KT_TOOL(truth_tcp, "TRUTH [PAUSE_MS [WORK_MS]]: class 4, a SYN dropped at a full accept queue; a slow server")
{
	long pause_ms = kt_truth_arg(argc, argv, 2, 500);
	long work_ms = kt_truth_arg(argc, argv, 3, 150);
	struct stat ns;
	int out;

	if (argc < 2)
		return 2;
	out = kt_truth_open(argv[1], true);
	if (out < 0)
		return 1;
	if (unshare(CLONE_NEWNET) || lo_up() || stat("/proc/self/ns/net", &ns)) {
		fprintf(stderr, "kt-test-tool truth_tcp: cannot make a network namespace: %s\n",
			strerror(errno));
		return 1;
	}
	kt_truth_main(out);
	kt_truth_put(out, "netns ino=%llu", (unsigned long long)ns.st_ino);
	if (part_syn(out, pause_ms) || part_rr(out, work_ms))
		return 1;
	return kt_truth_failed();
}
