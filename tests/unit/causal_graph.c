// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Causal graph unit tests: each kind of evidence gives the exact edge,
 * with count, latency and confidence; windows keep and expire edges.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "graph_util.h"

/* writer wakes a reader through a pipe; @late_writer: the writer's record
 * comes after the reader's */
static void pipe_stream(struct cs *s, int late_writer)
{
	cs_task(s, 1, 1, "reader");
	cs_task(s, 2, 2, "writer");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 0, 2);
	cs_switch(s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(s, 300, 1, 2, 1, KT_CTX_TASK);
	if (!late_writer)
		cs_sys(s, 310, 1, 2, SYS_write, 20, 5, 4, PIPE(7), KT_SYSCALL_WOKE);
	cs_switch(s, 320, 0, 0, 0, 1);
	cs_sys(s, 330, 0, 1, SYS_read, 250, 5, 3, PIPE(7), KT_SYSCALL_BLOCKED);
	if (late_writer)
		cs_sys(s, 400, 1, 2, SYS_write, 110, 5, 4, PIPE(7), KT_SYSCALL_WOKE);
}

KT_TEST(causal_graph_pipe)
{
	for (int late = 0; late < 2; late++) {
		struct kt_graph_opts o = { .tl = { .end_ts = 1000, .syscalls = true } };
		const struct kt_gedge *e;
		struct kt_graph *g;
		__u32 r, w, p;
		struct cs s;

		cs_init(&s);
		pipe_stream(&s, late);
		g = gu_build(&s, &o);
		KT_ASSERT(g, "build");
		r = gu_thr(g, 1);
		w = gu_thr(g, 2);
		p = gu_node(g, KT_GN_FILE, PIPE(7), 0);
		KT_ASSERT(r != KT_G_NONE && w != KT_G_NONE && p != KT_G_NONE,
			  "nodes reader, writer, pipe");
		e = gu_edge(g, KT_GE_WOKE, w, r);
		KT_ASSERT(e && e->count == 1 && e->total_ns == 200 &&
			  e->first == 300 && e->confidence == KT_G_EXACT, "woke edge");
		/* its reads and writes: the syscalls, with their bytes */
		e = gu_edge(g, KT_GE_READ, p, r);
		KT_ASSERT(e && e->total_ns == 250 && e->bytes == 5, "read edge");
		e = gu_edge(g, KT_GE_WROTE, w, p);
		KT_ASSERT(e && e->count == 1 && e->bytes == 5 &&
			  e->total_ns == (late ? 110u : 20u), "wrote edge (late %d)", late);
		/* one message: the write's start to the read's end */
		e = gu_edge(g, KT_GE_WROTE_READ, w, r);
		KT_ASSERT(e && e->via == p && e->count == 1 && e->bytes == 5 &&
			  e->total_ns == 40 && e->confidence == KT_G_EXACT,
			  "wrote->read via the pipe");
		KT_ASSERT(gu_count(g, 0) == 4, "%zu edges", gu_count(g, 0));
		kt_graph_free(g);
		cs_release(&s);
	}
	return KT_PASS;
}

/* Unix socket pair: each end has its own inode; the wakeup joins them. */
KT_TEST(causal_graph_unix_peer)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 1000, .syscalls = true } };
	const struct kt_gedge *e;
	struct kt_graph *g;
	__u32 a, b;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "server");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 50, 1, 2, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 100, 0, 1, 2, KT_CTX_TASK);
	cs_sys(&s, 110, 0, 1, SYS_sendto, 20, 8, 3, SOCK(11), KT_SYSCALL_WOKE);
	cs_switch(&s, 120, 1, 0, 0, 2);
	cs_sys(&s, 130, 1, 2, SYS_recvfrom, 100, 8, 3, SOCK(12), KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	a = gu_node(g, KT_GN_FILE, SOCK(11), 0);
	b = gu_node(g, KT_GN_FILE, SOCK(12), 0);
	e = gu_edge(g, KT_GE_PEER, a, b);
	KT_ASSERT(e && e->confidence == KT_G_EXACT, "peer sockets");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 1), gu_thr(g, 2));
	KT_ASSERT(e && e->via == b && e->total_ns == 40 && e->bytes == 8,
		  "wrote->read");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* Block I/O: issued by a thread, its completion wakes the waiter from an
 * interrupt: the edge comes from the device, with less than full
 * confidence, never from the interrupted task. */
KT_TEST(causal_graph_disk)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };
	const struct kt_gedge *e;
	struct kt_graph *g;
	__u32 dev;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "writer");
	cs_task(&s, 5, 5, "bystander");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 5);
	cs_blk(&s, 900, 0, 1, 8 << 20, 64, 8192, 700);
	cs_wake(&s, 910, 0, 5, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 950, 0, 5, KT_STATE_RUNNABLE, 1);
	cs_sys(&s, 1000, 0, 1, SYS_fdatasync, 950, 0, 4, KT_FILE_ID(S_IFREG, 3),
	       KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	dev = gu_node(g, KT_GN_BLOCKDEV, 8 << 20, 0);
	e = gu_edge(g, KT_GE_ISSUED, gu_thr(g, 1), dev);
	KT_ASSERT(e && e->value == 8192 && e->total_ns == 700 && e->count == 1,
		  "issued 8192 bytes in 700 ns");
	e = gu_edge(g, KT_GE_COMPLETED, dev, gu_thr(g, 1));
	KT_ASSERT(e && e->total_ns == 810 && e->confidence < KT_G_EXACT &&
		  strstr(e->reason, "block completion"), "completion woke it");
	KT_ASSERT(!gu_edge(g, KT_GE_WOKE, gu_thr(g, 5), gu_thr(g, 1)),
		  "the interrupted task is not blamed");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A child that exits 3, one killed by its parent: exit codes on the
 * process nodes, fork and signal edges. */
KT_TEST(causal_graph_exit_and_kill)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };
	const struct kt_gedge *e;
	const struct kt_gnode *n;
	struct kt_event *ev;
	struct kt_graph *g;
	__u32 p3, p4;
	size_t nn;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "parent");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_fork(&s, 100, 0, 1, 3, 3);
	cs_fork(&s, 110, 0, 1, 4, 4);
	cs_switch(&s, 120, 1, 0, 0, 3);
	cs_exit(&s, 200, 1, 3, 3 << 8, 1);
	ev = cs_add(&s, 205, 1, KT_SIGNAL_GEN, 3);  /* the kernel's SIGCHLD */
	ev->sig.target_tid = ev->sig.target_pid = 1;
	ev->sig.signo = SIGCHLD;
	ev->sig.code = 1;                           /* CLD_EXITED */
	cs_switch(&s, 210, 1, 3, KT_STATE_DEAD, 4);
	ev = cs_add(&s, 300, 0, KT_SIGNAL_GEN, 1);
	ev->sig.target_tid = 4;
	ev->sig.target_pid = 4;
	ev->sig.signo = SIGKILL;
	ev = cs_add(&s, 305, 1, KT_SIGNAL_DELIVER, 4);
	ev->sig.signo = SIGKILL;
	cs_exit(&s, 306, 1, 4, SIGKILL, 1);
	cs_switch(&s, 310, 1, 4, KT_STATE_DEAD, 0);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	p3 = gu_proc(g, 3);
	p4 = gu_proc(g, 4);
	KT_ASSERT(p3 != KT_G_NONE && p4 != KT_G_NONE, "process nodes");
	n = kt_graph_nodes(g, &nn);
	KT_ASSERT(n[p3].exited && n[p3].exit_code == 3 << 8, "child exited 3");
	KT_ASSERT(n[p4].exited && n[p4].exit_code == SIGKILL, "child killed");
	KT_ASSERT(gu_edge(g, KT_GE_FORKED, gu_thr(g, 1), p3) &&
		  gu_edge(g, KT_GE_FORKED, gu_thr(g, 1), p4), "forked edges");
	e = gu_edge(g, KT_GE_SIGNALED, gu_thr(g, 1), gu_thr(g, 4));
	KT_ASSERT(e && e->value == SIGKILL && e->total_ns == 5 && e->via == KT_G_NONE &&
		  e->confidence == KT_G_EXACT, "signaled SIGKILL");
	/* si_code > 0: the kernel sent it, in the exiting child's context */
	e = gu_edge(g, KT_GE_SIGNALED, gu_node(g, KT_GN_KERNEL, 0, 0), gu_thr(g, 1));
	KT_ASSERT(e && e->value == SIGCHLD && e->via == gu_thr(g, 3) &&
		  strstr(e->reason, "kernel"), "the kernel's SIGCHLD via the child");
	KT_ASSERT(!gu_edge(g, KT_GE_SIGNALED, gu_thr(g, 3), gu_thr(g, 1)),
		  "the child did not send it");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

static struct kt_event *tcp(struct cs *s, __u64 ts, __u32 tid, unsigned ctx,
			    __u64 cookie, __u32 sport, __u32 dport,
			    __u32 netns, __u32 old, __u32 new)
{
	struct kt_event *e = cs_add(s, ts, 0, KT_TCP_STATE, tid);

	e->tcp.sock = cookie;
	e->tcp.family = 2;
	e->tcp.saddr[0] = 0x0100007f;
	e->tcp.daddr[0] = 0x0100007f;
	e->tcp.sport = sport;
	e->tcp.dport = dport;
	e->tcp.netns = netns;
	e->tcp.oldstate = old;
	e->tcp.newstate = new;
	e->tcp.context = ctx;
	return e;
}

static struct kt_event *tcp_reset(struct cs *s, __u64 ts, __u64 cookie,
				  __u32 state, __u32 flags)
{
	struct kt_event *e = tcp(s, ts, 0, KT_CTX_SOFTIRQ, cookie, 40000, 9, 1,
				 state, state);

	e->kind = KT_TCP_RESET;
	e->tcp.flags = flags;
	return e;
}

static const char *detail(const struct kt_graph *g, __u32 id, char *b,
			  size_t sz)
{
	size_t nn;

	return kt_gnode_detail(b, sz, &kt_graph_nodes(g, &nn)[id]);
}

/* Refused means a reset answered the SYN, nothing else: a connect that
 * got no answer, a listener, a connection whose ESTABLISHED came before
 * the capture are not refused.  An established connection whose two ends
 * sit in different network namespaces. */
KT_TEST(causal_graph_tcp)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };
	const struct kt_gedge *e;
	struct kt_graph *g;
	__u32 f1, f2, fl, fo, fa, fb;
	char b[128];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "server");
	cs_switch(&s, 0, 0, 0, 0, 1);
	tcp(&s, 10, 2, KT_CTX_TASK, 0xdd, 9000, 0, 1, 7, 10);    /* CLOSE->LISTEN */
	tcp(&s, 100, 1, KT_CTX_TASK, 0xaa, 40000, 9, 1, 7, 2);   /* CLOSE->SYN_SENT */
	tcp_reset(&s, 149, 0xaa, 2, KT_TCP_RESET_RECEIVED);      /* RST in SYN_SENT */
	tcp(&s, 150, 0, KT_CTX_SOFTIRQ, 0xaa, 40000, 9, 1, 2, 7);
	tcp(&s, 160, 1, KT_CTX_TASK, 0xa2, 40002, 9, 1, 7, 2);
	tcp(&s, 170, 1, KT_CTX_TASK, 0xa2, 40002, 9, 1, 2, 7);   /* no answer */
	tcp(&s, 180, 0, KT_CTX_SOFTIRQ, 0xee, 40003, 22, 1, 4, 5); /* FIN_WAIT1 -> 2 */
	tcp(&s, 200, 1, KT_CTX_TASK, 0xbb, 40001, 80, 1, 7, 2);
	tcp(&s, 250, 0, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 2, 7, 3); /* server side */
	tcp(&s, 260, 0, KT_CTX_SOFTIRQ, 0xbb, 40001, 80, 1, 2, 1);
	tcp_reset(&s, 890, 0xbb, 1, KT_TCP_RESET_RECEIVED);      /* in ESTABLISHED */
	tcp(&s, 900, 1, KT_CTX_TASK, 0xbb, 40001, 80, 1, 1, 7);
	tcp(&s, 950, 0, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 2, 3, 7);
	tcp(&s, 990, 2, KT_CTX_TASK, 0xdd, 9000, 0, 1, 10, 7);   /* LISTEN->CLOSE */
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	f1 = gu_node(g, KT_GN_FLOW, 0xaa, 0);
	KT_ASSERT(f1 != KT_G_NONE && !strcmp(detail(g, f1, b, sizeof(b)),
		  "netns 1, refused: a reset answered the SYN"), "refused: %s", b);
	e = gu_edge(g, KT_GE_CONNECT, gu_thr(g, 1), f1);
	KT_ASSERT(e && e->value == 1 && e->total_ns == 50, "refused connect");
	f2 = gu_node(g, KT_GN_FLOW, 0xa2, 0);
	KT_ASSERT(f2 != KT_G_NONE && !strstr(detail(g, f2, b, sizeof(b)), "refused") &&
		  strstr(b, "without a reset"), "no answer is not refused: %s", b);
	e = gu_edge(g, KT_GE_CONNECT, gu_thr(g, 1), f2);
	KT_ASSERT(e && e->value == 0, "a connect with no answer");
	fl = gu_node(g, KT_GN_FLOW, 0xdd, 0);
	KT_ASSERT(fl != KT_G_NONE && !strcmp(detail(g, fl, b, sizeof(b)),
		  "netns 1, listening, closed"), "listener: %s", b);
	KT_ASSERT(gu_edge(g, KT_GE_LISTEN, gu_thr(g, 2), fl), "listen edge");
	fo = gu_node(g, KT_GN_FLOW, 0xee, 0);
	KT_ASSERT(fo != KT_G_NONE && !strcmp(detail(g, fo, b, sizeof(b)),
		  "netns 1, opened before the capture, open in FIN_WAIT2"),
		  "opened before: %s", b);
	fa = gu_node(g, KT_GN_FLOW, 0xbb, 0);
	fb = gu_node(g, KT_GN_FLOW, 0xcc, 0);
	e = gu_edge(g, KT_GE_PEER, fa, fb);
	if (!e)
		e = gu_edge(g, KT_GE_PEER, fb, fa);
	KT_ASSERT(e && e->confidence == KT_G_NEAR && strstr(e->reason, "namespaces"),
		  "mirrored tuples across namespaces");
	e = gu_edge(g, KT_GE_CONNECT, gu_thr(g, 1), fa);
	KT_ASSERT(e && e->value == 0, "established connect");
	KT_ASSERT(!strcmp(detail(g, fa, b, sizeof(b)), "netns 1, established, closed"),
		  "established: %s", b);
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A TCP socket belongs to its owner (format 1.1 owner_tid), not to the
 * task a softirq ran over: the server's child socket changes state only in
 * softirq on top of the client, yet it is the server's. */
KT_TEST(causal_graph_tcp_owner)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };
	const struct kt_gedge *e;
	struct kt_event *ev;
	struct kt_graph *g;
	__u32 child;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "server");
	cs_switch(&s, 0, 0, 0, 0, 1);
	ev = tcp(&s, 100, 1, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 1, 10, 3);
	ev->tcp.owner_tid = ev->tcp.owner_pid = 2;
	ev = tcp(&s, 110, 1, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 1, 3, 1);
	ev->tcp.owner_tid = ev->tcp.owner_pid = 2;
	/* the client closes it: a task-context change of another thread */
	ev = tcp(&s, 500, 1, KT_CTX_TASK, 0xcc, 80, 40001, 1, 1, 7);
	ev->tcp.owner_tid = ev->tcp.owner_pid = 1;
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	child = gu_node(g, KT_GN_FLOW, 0xcc, 0);
	e = gu_edge(g, KT_GE_ACCEPT, gu_thr(g, 2), child);
	KT_ASSERT(e && e->total_ns == 400 && e->confidence == KT_G_EXACT,
		  "the server owns the connection it answered");
	KT_ASSERT(gu_count(g, KT_GE_CONNECT) == 0 && gu_count(g, KT_GE_ACCEPT) == 1 &&
		  !gu_edge(g, KT_GE_ACCEPT, gu_thr(g, 1), child), "one owner, the server");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* Interrupt sources: timer and network edges carry their inference. */
KT_TEST(causal_graph_timer_net_futex)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 5000, .syscalls = true } };
	const struct kt_gedge *e;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 9, "sleeper");
	cs_task(&s, 2, 9, "holder");
	cs_task(&s, 3, 3, "netwait");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 10, 0, 1, KT_STATE_SLEEPING, 3);
	cs_switch(&s, 20, 0, 3, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 1010, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 1020, 0, 0, 0, 1);
	cs_sys(&s, 1030, 0, 1, SYS_nanosleep, 1025, 0, 1000, 0, KT_SYSCALL_BLOCKED);
	cs_wake(&s, 1500, 0, 0, 3, KT_CTX_SOFTIRQ);
	cs_switch(&s, 1510, 0, 1, KT_STATE_SLEEPING, 3);
	cs_sys(&s, 1520, 0, 3, SYS_recvfrom, 1510, 4, 5, SOCK(40), KT_SYSCALL_BLOCKED);
	cs_wake(&s, 2000, 1, 2, 1, KT_CTX_TASK);
	cs_sys(&s, 2005, 1, 2, SYS_futex, 10, 1, 0x5000, 0, KT_SYSCALL_WOKE);
	cs_switch(&s, 2010, 0, 3, KT_STATE_SLEEPING, 1);
	cs_sys(&s, 2020, 0, 1, SYS_futex, 520, 0, 0x5000, 0, KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_TIMER, gu_node(g, KT_GN_TIMER, 0, 0), gu_thr(g, 1));
	KT_ASSERT(e && e->total_ns == 1000 && e->confidence < KT_G_EXACT, "timer edge");
	e = gu_edge(g, KT_GE_NET_RX, gu_node(g, KT_GN_NET, 0, 0), gu_thr(g, 3));
	KT_ASSERT(e && e->total_ns == 1480 && e->confidence < KT_G_EXACT &&
		  e->via == gu_node(g, KT_GN_FILE, SOCK(40), 0), "net edge via the socket");
	e = gu_edge(g, KT_GE_FUTEX_WAIT, gu_thr(g, 1), gu_node(g, KT_GN_FUTEX, 9, 0x5000));
	KT_ASSERT(e && e->total_ns == 490, "futex wait");
	e = gu_edge(g, KT_GE_FUTEX_WAKE, gu_thr(g, 2), gu_node(g, KT_GN_FUTEX, 9, 0x5000));
	KT_ASSERT(e && e->count == 1, "futex wake");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* [from, to] keeps only the evidence inside; a sliding window over a
 * long stream stays bounded. */
KT_TEST(causal_graph_window)
{
	struct kt_graph_opts o = { .from = 1000, .to = 2000,
				   .tl = { .end_ts = 100000, .syscalls = true } };
	struct kt_graph_stats gst;
	struct kt_graph *g;
	struct cs s;
	__u64 t = 0;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_task(&s, 2, 2, "b");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	/* a ping-pong between a and b through a pipe, a fresh pipe id per
	 * round so that old rounds leave nodes behind to expire */
	for (int i = 0; i < 2000; i++) {
		t += 50;
		cs_switch(&s, t, 0, 1, KT_STATE_SLEEPING, 0);
		cs_wake(&s, t + 10, 1, 2, 1, KT_CTX_TASK);
		cs_sys(&s, t + 12, 1, 2, SYS_write, 5, 1, 4, PIPE(i), KT_SYSCALL_WOKE);
		cs_switch(&s, t + 20, 0, 0, 0, 1);
		cs_sys(&s, t + 25, 0, 1, SYS_read, 30, 1, 3, PIPE(i), KT_SYSCALL_BLOCKED);
		t += 25;
	}
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	{
		const struct kt_gedge *e = gu_edge(g, KT_GE_WOKE, gu_thr(g, 2), gu_thr(g, 1));

		/* wakes at 60 + 75 k in [1000, 2000]: k = 13 .. 25 */
		KT_ASSERT(e && e->count == 13 && e->first == 1035 && e->last == 1935,
			  "13 wakeups in the window, got %llu",
			  e ? (unsigned long long)e->count : 0);
	}
	kt_graph_free(g);

	memset(&o, 0, sizeof(o));
	o.window = 1000;
	o.tl.end_ts = t + 100;
	o.tl.syscalls = true;
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build sliding");
	kt_graph_stats(g, &gst);
	/* a 1000 ns window holds at most ~14 rounds' pipes (plus the 1/4
	 * window between expiries): bounded, not 2000 */
	KT_ASSERT(gst.nodes_max < 40 && gst.edges_max < 100,
		  "nodes_max %llu edges_max %llu", (unsigned long long)gst.nodes_max,
		  (unsigned long long)gst.edges_max);
	KT_ASSERT(gu_count(g, 0) < 100, "%zu live edges", gu_count(g, 0));
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* exec and the OOM killer: exact edges from the process and the killer */
KT_TEST(causal_graph_exec_oom)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 1000, .syscalls = true } };
	const struct kt_gnode *n;
	const struct kt_gedge *e;
	struct kt_event *ev;
	struct kt_graph *g;
	__u32 exe, victim, k;
	size_t nn;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "shell");
	cs_task(&s, 2, 2, "hog");
	cs_task(&s, 3, 3, "allocator");
	cs_switch(&s, 0, 0, 0, 0, 1);
	ev = cs_add(&s, 100, 0, KT_PROC_EXEC, 1);
	ev->exec.old_tid = 1;
	ev->exec.filename_str = cs_str(&s, "/usr/bin/make");
	/* the OOM killer sends SIGKILL, then marks the victim */
	ev = cs_add(&s, 198, 1, KT_SIGNAL_GEN, 3);
	ev->sig.target_tid = ev->sig.target_pid = 2;
	ev->sig.signo = SIGKILL;
	ev->sig.code = 0x80;                        /* SI_KERNEL */
	ev = cs_add(&s, 200, 1, KT_OOM_VICTIM, 3);
	ev->oom.victim_tid = 2;
	ev->oom.victim_pid = 2;
	ev = cs_add(&s, 300, 0, KT_SIGNAL_DELIVER, 2);
	ev->sig.signo = SIGKILL;
	/* a kernel signal from interrupt context: no task sent it */
	ev = cs_add(&s, 400, 0, KT_SIGNAL_GEN, 1);
	ev->sig.target_tid = ev->sig.target_pid = 1;
	ev->sig.signo = SIGALRM;
	ev->sig.code = 0x80;
	ev->sig.context = KT_CTX_HARDIRQ;
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	n = kt_graph_nodes(g, &nn);
	exe = KT_G_NONE;
	for (size_t i = 0; i < nn; i++)
		if (n[i].kind == KT_GN_EXE && n[i].name && !strcmp(n[i].name, "/usr/bin/make"))
			exe = i;
	KT_ASSERT(exe != KT_G_NONE, "exe node named by its path");
	e = gu_edge(g, KT_GE_EXECED, gu_proc(g, 1), exe);
	KT_ASSERT(e && e->count == 1 && e->confidence == KT_G_EXACT, "execed edge");
	victim = gu_proc(g, 2);
	k = gu_node(g, KT_GN_KERNEL, 0, 0);
	e = gu_edge(g, KT_GE_OOM_KILLED, k, victim);
	KT_ASSERT(e && e->first == 200 && e->via == gu_thr(g, 3) &&
		  e->confidence == KT_G_EXACT, "oom-killed edge from the kernel");
	e = gu_edge(g, KT_GE_SIGNALED, k, gu_thr(g, 2));
	KT_ASSERT(e && e->value == SIGKILL && e->via == gu_thr(g, 3) &&
		  strstr(e->reason, "OOM killer") && e->total_ns == 102,
		  "the OOM killer's SIGKILL");
	KT_ASSERT(!gu_edge(g, KT_GE_SIGNALED, gu_thr(g, 3), gu_thr(g, 2)),
		  "not from the task that ran the OOM killer");
	e = gu_edge(g, KT_GE_SIGNALED, k, gu_thr(g, 1));
	KT_ASSERT(e && e->value == SIGALRM && e->via == KT_G_NONE &&
		  !strstr(e->reason, "OOM"), "a kernel signal from an interrupt");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}
