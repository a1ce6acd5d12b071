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
#include "causal_util.h"
#include "analyze/graph.h"

#define PIPE(n) KT_FILE_ID(S_IFIFO, n)
#define SOCK(n) KT_FILE_ID(S_IFSOCK, n)

static struct kt_graph *build(struct cs *s, const struct kt_graph_opts *o)
{
	struct kt_graph *g = kt_graph_new(o);
	struct kt_source *src = kt_source_mem(s->ev, s->n, &s->strtab,
					      s->tasks, s->ntasks);
	struct kt_err err;
	int rc = -ENOMEM;

	if (g && src)
		rc = kt_graph_run(g, src, &err);
	kt_source_free(src);
	if (rc) {
		kt_graph_free(g);
		return NULL;
	}
	return g;
}

static __u32 node_of(const struct kt_graph *g, unsigned kind, __u64 a, __u64 b)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == kind && v[i].a == a && v[i].b == b)
			return i;
	return KT_G_NONE;
}

static __u32 proc_of(const struct kt_graph *g, __u32 pid)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == KT_GN_PROCESS && v[i].a == pid)
			return i;
	return KT_G_NONE;
}

/* a thread node by tid (forked children get utids from the table) */
static __u32 thr(const struct kt_graph *g, __u32 tid)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == KT_GN_THREAD && v[i].b == tid)
			return i;
	return KT_G_NONE;
}

static const struct kt_gedge *edge_of(const struct kt_graph *g, unsigned kind,
				      __u32 src, __u32 dst)
{
	size_t n;
	const struct kt_gedge *e = kt_graph_edges(g, &n);

	for (size_t i = 0; i < n; i++)
		if (e[i].kind == kind && e[i].src == src && e[i].dst == dst)
			return &e[i];
	return NULL;
}

static size_t live_edges(const struct kt_graph *g)
{
	size_t n, c = 0;
	const struct kt_gedge *e = kt_graph_edges(g, &n);

	for (size_t i = 0; i < n; i++)
		c += e[i].kind != 0;
	return c;
}

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
		g = build(&s, &o);
		KT_ASSERT(g, "build");
		r = thr(g, 1);
		w = thr(g, 2);
		p = node_of(g, KT_GN_FILE, PIPE(7), 0);
		KT_ASSERT(r != KT_G_NONE && w != KT_G_NONE && p != KT_G_NONE,
			  "nodes reader, writer, pipe");
		e = edge_of(g, KT_GE_WOKE, w, r);
		KT_ASSERT(e && e->count == 1 && e->total_ns == 200 &&
			  e->first == 300 && e->confidence == 1.0f, "woke edge");
		e = edge_of(g, KT_GE_READ, p, r);
		KT_ASSERT(e && e->total_ns == 200, "read edge");
		e = edge_of(g, KT_GE_WROTE, w, p);
		KT_ASSERT(e && e->count == 1, "wrote edge (late %d)", late);
		e = edge_of(g, KT_GE_WROTE_READ, w, r);
		KT_ASSERT(e && e->via == p && e->total_ns == 200 &&
			  e->confidence == 1.0f, "wrote->read via the pipe");
		KT_ASSERT(live_edges(g) == 4, "%zu edges", live_edges(g));
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
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	a = node_of(g, KT_GN_FILE, SOCK(11), 0);
	b = node_of(g, KT_GN_FILE, SOCK(12), 0);
	e = edge_of(g, KT_GE_PEER, a, b);
	KT_ASSERT(e && e->confidence == 1.0f, "peer sockets");
	e = edge_of(g, KT_GE_WROTE_READ, thr(g, 1), thr(g, 2));
	KT_ASSERT(e && e->via == b && e->total_ns == 50, "wrote->read");
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
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	dev = node_of(g, KT_GN_BLOCKDEV, 8 << 20, 0);
	e = edge_of(g, KT_GE_ISSUED, thr(g, 1), dev);
	KT_ASSERT(e && e->value == 8192 && e->total_ns == 700 && e->count == 1,
		  "issued 8192 bytes in 700 ns");
	e = edge_of(g, KT_GE_COMPLETED, dev, thr(g, 1));
	KT_ASSERT(e && e->total_ns == 810 && e->confidence < 1.0f &&
		  strstr(e->reason, "block completion"), "completion woke it");
	KT_ASSERT(!edge_of(g, KT_GE_WOKE, thr(g, 5), thr(g, 1)),
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
	cs_switch(&s, 210, 1, 3, KT_STATE_DEAD, 4);
	ev = cs_add(&s, 300, 0, KT_SIGNAL_GEN, 1);
	ev->sig.target_tid = 4;
	ev->sig.target_pid = 4;
	ev->sig.signo = SIGKILL;
	ev = cs_add(&s, 305, 1, KT_SIGNAL_DELIVER, 4);
	ev->sig.signo = SIGKILL;
	cs_exit(&s, 306, 1, 4, SIGKILL, 1);
	cs_switch(&s, 310, 1, 4, KT_STATE_DEAD, 0);
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	p3 = proc_of(g, 3);
	p4 = proc_of(g, 4);
	KT_ASSERT(p3 != KT_G_NONE && p4 != KT_G_NONE, "process nodes");
	n = kt_graph_nodes(g, &nn);
	KT_ASSERT(n[p3].exited && n[p3].exit_code == 3 << 8, "child exited 3");
	KT_ASSERT(n[p4].exited && n[p4].exit_code == SIGKILL, "child killed");
	KT_ASSERT(edge_of(g, KT_GE_FORKED, thr(g, 1), p3) &&
		  edge_of(g, KT_GE_FORKED, thr(g, 1), p4), "forked edges");
	e = edge_of(g, KT_GE_SIGNALED, thr(g, 1), thr(g, 4));
	KT_ASSERT(e && e->value == SIGKILL && e->total_ns == 5 &&
		  e->confidence == 1.0f, "signaled SIGKILL");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

static void tcp(struct cs *s, __u64 ts, __u32 tid, unsigned ctx, __u64 cookie,
		__u32 sport, __u32 dport, __u32 netns, __u32 old, __u32 new)
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
}

/* A refused connect and an established connection whose two ends sit in
 * different network namespaces. */
KT_TEST(causal_graph_tcp)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };
	const struct kt_gnode *n;
	const struct kt_gedge *e;
	struct kt_graph *g;
	__u32 f1, fa, fb;
	size_t nn;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_switch(&s, 0, 0, 0, 0, 1);
	tcp(&s, 100, 1, KT_CTX_TASK, 0xaa, 40000, 9, 1, 7, 2);   /* CLOSE->SYN_SENT */
	tcp(&s, 150, 0, KT_CTX_SOFTIRQ, 0xaa, 40000, 9, 1, 2, 7); /* refused */
	tcp(&s, 200, 1, KT_CTX_TASK, 0xbb, 40001, 80, 1, 7, 2);
	tcp(&s, 250, 0, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 2, 7, 3); /* server side */
	tcp(&s, 260, 0, KT_CTX_SOFTIRQ, 0xbb, 40001, 80, 1, 2, 1);
	tcp(&s, 900, 1, KT_CTX_TASK, 0xbb, 40001, 80, 1, 1, 7);
	tcp(&s, 950, 0, KT_CTX_SOFTIRQ, 0xcc, 80, 40001, 2, 3, 7);
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	n = kt_graph_nodes(g, &nn);
	f1 = node_of(g, KT_GN_FLOW, 0xaa, 0);
	KT_ASSERT(f1 != KT_G_NONE && !n[f1].tcp.established && n[f1].tcp_closed &&
		  n[f1].tcp.last_state == 2 && n[f1].tcp.dport == 9, "refused flow");
	e = edge_of(g, KT_GE_CONNECT, thr(g, 1), f1);
	KT_ASSERT(e && e->value == 1 && e->total_ns == 50, "refused connect");
	fa = node_of(g, KT_GN_FLOW, 0xbb, 0);
	fb = node_of(g, KT_GN_FLOW, 0xcc, 0);
	e = edge_of(g, KT_GE_PEER, fa, fb);
	if (!e)
		e = edge_of(g, KT_GE_PEER, fb, fa);
	KT_ASSERT(e && e->confidence < 1.0f && strstr(e->reason, "namespaces"),
		  "mirrored tuples across namespaces");
	e = edge_of(g, KT_GE_CONNECT, thr(g, 1), fa);
	KT_ASSERT(e && e->value == 0, "established connect");
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
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	e = edge_of(g, KT_GE_TIMER, node_of(g, KT_GN_TIMER, 0, 0), thr(g, 1));
	KT_ASSERT(e && e->total_ns == 1000 && e->confidence < 1.0f, "timer edge");
	e = edge_of(g, KT_GE_NET_RX, node_of(g, KT_GN_NET, 0, 0), thr(g, 3));
	KT_ASSERT(e && e->total_ns == 1480 && e->confidence < 1.0f &&
		  e->via == node_of(g, KT_GN_FILE, SOCK(40), 0), "net edge via the socket");
	e = edge_of(g, KT_GE_FUTEX_WAIT, thr(g, 1), node_of(g, KT_GN_FUTEX, 9, 0x5000));
	KT_ASSERT(e && e->total_ns == 490, "futex wait");
	e = edge_of(g, KT_GE_FUTEX_WAKE, thr(g, 2), node_of(g, KT_GN_FUTEX, 9, 0x5000));
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
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	{
		const struct kt_gedge *e = edge_of(g, KT_GE_WOKE, thr(g, 2), thr(g, 1));

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
	g = build(&s, &o);
	KT_ASSERT(g, "build sliding");
	kt_graph_stats(g, &gst);
	/* a 1000 ns window holds at most ~14 rounds' pipes (plus the 1/4
	 * window between expiries): bounded, not 2000 */
	KT_ASSERT(gst.nodes_max < 40 && gst.edges_max < 100,
		  "nodes_max %llu edges_max %llu", (unsigned long long)gst.nodes_max,
		  (unsigned long long)gst.edges_max);
	KT_ASSERT(live_edges(g) < 100, "%zu live edges", live_edges(g));
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
	__u32 exe, victim;
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
	ev = cs_add(&s, 200, 1, KT_OOM_VICTIM, 3);
	ev->oom.victim_tid = 2;
	ev->oom.victim_pid = 2;
	g = build(&s, &o);
	KT_ASSERT(g, "build");
	n = kt_graph_nodes(g, &nn);
	exe = KT_G_NONE;
	for (size_t i = 0; i < nn; i++)
		if (n[i].kind == KT_GN_EXE && n[i].name && !strcmp(n[i].name, "/usr/bin/make"))
			exe = i;
	KT_ASSERT(exe != KT_G_NONE, "exe node named by its path");
	e = edge_of(g, KT_GE_EXECED, proc_of(g, 1), exe);
	KT_ASSERT(e && e->count == 1 && e->confidence == 1.0f, "execed edge");
	victim = proc_of(g, 2);
	e = edge_of(g, KT_GE_OOM_KILLED, thr(g, 3), victim);
	KT_ASSERT(e && e->first == 200 && e->confidence == 1.0f, "oom-killed edge");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}
