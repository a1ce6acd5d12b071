// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Critical-path scenarios after the ones Trace Compass validates its
 * bounded algorithm with (GraphFactory: basic, wakeup_self, missing,
 * unknown, new, mutual, embedded, interleave, nested, net1), translated to
 * our interval model (a wait ends at the waking; the delay to the cpu is
 * runnable time), plus a disk interrupt, a timer, cpu contention and a
 * lock holder.  Each gives the exact path and the exact nanoseconds per
 * kind, and every path tiles its span.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "analyze/critpath.h"

#define SOCK(n) KT_FILE_ID(S_IFSOCK, n)
#define PIPE(n) KT_FILE_ID(S_IFIFO, n)
#define US 1000ULL

struct want {
	__u64 start, end;
	__u32 tid;
	unsigned kind;
};

struct cp_run {
	struct kt_cp_store *st;
	struct kt_cp_path p;
};

static int cp_build(struct cs *s, __u64 end_ts, __u32 tid, __u64 a, __u64 b,
		    struct cp_run *r)
{
	struct kt_tl_opts o = { .end_ts = end_ts, .syscalls = true };
	struct kt_source *src;
	struct kt_tl *tl;
	struct kt_err err;
	int rc = -ENOMEM;

	memset(r, 0, sizeof(*r));
	r->st = kt_cp_store_new(0, 0);
	src = kt_source_mem(s->ev, s->n, &s->strtab, s->tasks, s->ntasks);
	tl = kt_tl_new(&o, &kt_cp_store_ops, r->st);
	if (r->st && src && tl)
		rc = kt_tl_run(tl, src, &err);
	kt_tl_free(tl);
	kt_source_free(src);
	if (!rc)
		rc = kt_cp_store_seal(r->st);
	if (!rc)
		rc = kt_cp_compute(r->st, tid, tid, a, b, &r->p);
	return rc;
}

static void cp_release(struct cp_run *r)
{
	kt_cp_path_release(&r->p);
	kt_cp_store_free(r->st);
}

/* Compare the path with @want (n entries); 0 or -1 with @why. */
static int cp_match(const struct kt_cp_path *p, const struct want *want,
		    size_t n, char *why, size_t whysz)
{
	__u64 sum = 0;

	for (size_t i = 0; i < p->nsegs; i++)
		sum += p->segs[i].end - p->segs[i].start;
	if (sum != p->end - p->start) {
		snprintf(why, whysz, "segments sum to %llu, span is %llu",
			 (unsigned long long)sum,
			 (unsigned long long)(p->end - p->start));
		return -1;
	}
	for (size_t i = 0; i < n || i < p->nsegs; i++) {
		const struct kt_cp_seg *g = i < p->nsegs ? &p->segs[i] : NULL;
		const struct want *w = i < n ? &want[i] : NULL;

		if (g && w && g->start == w->start && g->end == w->end &&
		    g->tid == w->tid && g->kind == w->kind)
			continue;
		snprintf(why, whysz, "segment %zu: got %s%llu..%llu tid %u %s, want %s%llu..%llu tid %u %s",
			 i, g ? "" : "none ", g ? (unsigned long long)g->start : 0,
			 g ? (unsigned long long)g->end : 0, g ? g->tid : 0,
			 g ? kt_cp_kind_name(g->kind) : "",
			 w ? "" : "none ", w ? (unsigned long long)w->start : 0,
			 w ? (unsigned long long)w->end : 0, w ? w->tid : 0,
			 w ? kt_cp_kind_name(w->kind) : "");
		return -1;
	}
	return 0;
}

#define CHECK_PATH(r, w)                                                    \
	do {                                                                \
		char why_[300];                                             \
		KT_ASSERT(!cp_match(&(r)->p, w, sizeof(w) / sizeof(w[0]),   \
				    why_, sizeof(why_)), "%s", why_);       \
	} while (0)

#define KIND_NS(r, k, ns)                                                   \
	KT_ASSERT((r)->p.kind_ns[k] == (ns), "%s: %llu ns, want %llu",      \
		  kt_cp_kind_name(k), (unsigned long long)(r)->p.kind_ns[k], \
		  (unsigned long long)(ns))

/* A thread that only runs: the path is itself. */
KT_TEST(causal_cp_basic)
{
	static const struct want w[] = { { 0, 100, 1, KT_CP_RUN } };
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	KT_ASSERT(!cp_build(&s, 100, 1, 0, 100, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_RUN, 100);
	KT_ASSERT(r.p.nhops == 1 && r.p.nattr == 1 && r.p.attr[0].tid == 1,
		  "one hop, one bucket");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_self: the thread armed a timer and slept; the timer woke it. */
KT_TEST(causal_cp_wakeup_self_timer)
{
	static const struct want w[] = {
		{ 10, 20, 1, KT_CP_RUN }, { 20, 80, 1, KT_CP_TIMER },
		{ 80, 85, 1, KT_CP_RUNNABLE }, { 85, 90, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "sleeper");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 20, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 80, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 85, 0, 0, 0, 1);
	cs_sys(&s, 90, 0, 1, SYS_clock_nanosleep, 80, 0, 0, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 100, 1, 10, 90, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_TIMER, 60);
	KIND_NS(&r, KT_CP_RUN, 15);
	KIND_NS(&r, KT_CP_RUNNABLE, 5);
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_TIMER, "root is the timer");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_missing: the wait ended with no waking seen. */
KT_TEST(causal_cp_wakeup_missing)
{
	static const struct want w[] = {
		{ 0, 20, 1, KT_CP_RUN }, { 20, 60, 1, KT_CP_UNKNOWN },
		{ 60, 100, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 20, 0, 1, KT_STATE_DISK, 0);
	cs_switch(&s, 60, 0, 0, 0, 1);
	KT_ASSERT(!cp_build(&s, 100, 1, 0, 100, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.segs[1].cause == KT_CAUSE_MISSING, "cause %s",
		  kt_tl_cause_name(r.p.segs[1].cause));
	KIND_NS(&r, KT_CP_UNKNOWN, 40);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_unknown: a receive from outside (softirq, nothing local sent):
 * the path stops at the network. */
KT_TEST(causal_cp_wakeup_unknown_net)
{
	static const struct want w[] = {
		{ 0, 20, 1, KT_CP_RUN }, { 20, 60, 1, KT_CP_NET },
		{ 60, 65, 1, KT_CP_RUNNABLE }, { 65, 100, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 20, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 60, 0, 0, 1, KT_CTX_SOFTIRQ);
	cs_switch(&s, 65, 0, 0, 0, 1);
	cs_sys(&s, 70, 0, 1, SYS_recvfrom, 60, 100, 3, SOCK(9), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 100, 1, 0, 100, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_NET, 40);
	KT_ASSERT(r.p.nhops == 1, "no hop beyond the network");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_new: the parent waits for a child it created; the child's whole
 * life in the wait is the path, from runnable to its exit. */
KT_TEST(causal_cp_new_thread)
{
	static const struct want w[] = {
		{ 15, 25, 1, KT_CP_RUN }, { 25, 30, 2, KT_CP_RUNNABLE },
		{ 30, 80, 2, KT_CP_RUN }, { 80, 85, 1, KT_CP_RUNNABLE },
		{ 85, 90, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "parent");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_fork(&s, 20, 0, 1, 2, 2);
	cs_wakenew(&s, 21, 0, 1, 2);
	cs_switch(&s, 25, 0, 1, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 30, 1, 0, 0, 2);
	cs_exit(&s, 79, 1, 2, 0, 1);
	cs_wake(&s, 80, 1, 2, 1, KT_CTX_TASK);
	cs_switch(&s, 81, 1, 2, KT_STATE_DEAD, 0);
	cs_switch(&s, 85, 0, 0, 0, 1);
	cs_sys(&s, 90, 0, 1, SYS_wait4, 70, 2, 2, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 100, 1, 15, 90, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.nhops == 2 && r.p.hops[1].tid == 2 &&
		  r.p.hops[1].via == KT_CP_VIA_WAKE &&
		  r.p.hops[1].wait_sys.nr == SYS_wait4 &&
		  r.p.hops[1].weight == KT_CP_W_EXACT, "hop to the child");
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_RUN && kt_cp_root(&r.p)->tid == 2,
		  "root: the child's work");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_mutual: two threads wake each other; only the wakeup that ended
 * the wait inside the span counts. */
KT_TEST(causal_cp_mutual)
{
	static const struct want w[] = {
		{ 0, 300, 1, KT_CP_RUN }, { 300, 400, 2, KT_CP_RUN },
		{ 400, 500, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_task(&s, 2, 2, "b");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 100, 1, 2, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 200, 0, 1, 2, KT_CTX_TASK);
	cs_switch(&s, 200, 1, 0, 0, 2);
	cs_switch(&s, 300, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 400, 1, 2, 1, KT_CTX_TASK);
	cs_switch(&s, 400, 0, 0, 0, 1);
	KT_ASSERT(!cp_build(&s, 500, 1, 0, 500, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_RUN, 500);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* Two helpers forked at 200 and 400 on their own cpus; the parent waits
 * for one, runs, waits for the other.  @first_ends_first: interleave
 * (the first forked ends first) or embedded (the last forked does). */
static void two_helpers(struct cs *s, int interleave)
{
	__u32 early = interleave ? 2 : 3, late = interleave ? 3 : 2;

	cs_task(s, 1, 1, "main");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_fork(s, 200, 0, 1, 2, 2);
	cs_switch(s, 200, 1, 0, 0, 2);
	cs_fork(s, 400, 0, 1, 3, 3);
	cs_switch(s, 400, 2, 0, 0, 3);
	cs_switch(s, 600, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(s, 800, early == 2 ? 1 : 2, early, 1, KT_CTX_TASK);
	cs_switch(s, 800, 0, 0, 0, 1);
	cs_switch(s, 820, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(s, 1000, late == 2 ? 1 : 2, late, 1, KT_CTX_TASK);
	cs_switch(s, 1000, 0, 0, 0, 1);
}

KT_TEST(causal_cp_interleave)
{
	static const struct want w[] = {
		{ 0, 600, 1, KT_CP_RUN }, { 600, 800, 2, KT_CP_RUN },
		{ 800, 820, 1, KT_CP_RUN }, { 820, 1000, 3, KT_CP_RUN },
		{ 1000, 1100, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	two_helpers(&s, 1);
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1100, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.nhops == 3, "%zu hops", r.p.nhops);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

KT_TEST(causal_cp_embedded)
{
	static const struct want w[] = {
		{ 0, 600, 1, KT_CP_RUN }, { 600, 800, 3, KT_CP_RUN },
		{ 800, 820, 1, KT_CP_RUN }, { 820, 1000, 2, KT_CP_RUN },
		{ 1000, 1100, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	two_helpers(&s, 0);
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1100, &r), "build");
	CHECK_PATH(&r, w);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_nested: each actor forks the next and waits for it; the path
 * descends the chain and climbs back. */
KT_TEST(causal_cp_nested)
{
	static const struct want w[] = {
		{ 100, 120, 1, KT_CP_RUN }, { 120, 220, 2, KT_CP_RUN },
		{ 220, 320, 3, KT_CP_RUN }, { 320, 420, 4, KT_CP_RUN },
		{ 420, 520, 3, KT_CP_RUN }, { 520, 620, 2, KT_CP_RUN },
		{ 620, 700, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a0");
	cs_switch(&s, 0, 0, 0, 0, 1);
	for (__u32 i = 1; i <= 3; i++) {
		__u64 t = 100 * i;

		cs_fork(&s, t, i - 1, i, i + 1, i + 1);
		cs_switch(&s, t + 10, i, 0, 0, i + 1);
		cs_switch(&s, t + 20, i - 1, i, KT_STATE_SLEEPING, 0);
	}
	for (__u32 i = 4; i >= 2; i--) {
		__u64 t = 420 + 100 * (4 - i);

		cs_wake(&s, t, i - 1, i, i - 1, KT_CTX_TASK);
		cs_switch(&s, t, i - 2, 0, 0, i - 1);
		cs_switch(&s, t + 10, i - 1, i, KT_STATE_DEAD, 0);
	}
	KT_ASSERT(!cp_build(&s, 700, 1, 100, 700, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.nhops == 4 && r.p.hops[3].depth == 3 && r.p.hops[3].tid == 4,
		  "four hops, three deep");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* wakeup_net1: a client waits while a request crosses two loopback hops
 * (softirq receives in the senders' context) to a server that answers
 * through a pipe.  Following the network hops is inferred: 0.8 each, and
 * the unknown time counts against the root. */
KT_TEST(causal_cp_net_flow)
{
	static const struct want w[] = {
		{ 50, 100, 1, KT_CP_RUN }, { 100, 300, 2, KT_CP_UNKNOWN },
		{ 300, 390, 2, KT_CP_RUN }, { 390, 400, 3, KT_CP_RUNNABLE },
		{ 400, 790, 3, KT_CP_RUN }, { 790, 800, 4, KT_CP_RUNNABLE },
		{ 800, 1100, 4, KT_CP_RUN }, { 1100, 1200, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "sender");
	cs_task(&s, 3, 3, "relay");
	cs_task(&s, 4, 4, "server");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 3, 0);
	cs_switch(&s, 0, 2, 0, 4, 0);
	cs_switch(&s, 1, 1, 3, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 1, 2, 4, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 300, 1, 0, 0, 2);
	cs_wake(&s, 390, 1, 2, 3, KT_CTX_SOFTIRQ);
	cs_sys(&s, 400, 1, 2, SYS_sendto, 50, 64, 5, SOCK(20), KT_SYSCALL_WOKE);
	cs_switch(&s, 400, 1, 2, KT_STATE_SLEEPING, 3);
	cs_sys(&s, 410, 1, 3, SYS_recvfrom, 409, 64, 5, SOCK(21), KT_SYSCALL_BLOCKED);
	cs_wake(&s, 790, 1, 3, 4, KT_CTX_SOFTIRQ);
	cs_sys(&s, 800, 1, 3, SYS_sendto, 50, 64, 6, SOCK(22), KT_SYSCALL_WOKE);
	cs_switch(&s, 800, 1, 3, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 800, 2, 0, 0, 4);
	cs_sys(&s, 810, 2, 4, SYS_recvfrom, 809, 64, 5, SOCK(23), KT_SYSCALL_BLOCKED);
	cs_wake(&s, 1100, 2, 4, 1, KT_CTX_TASK);
	cs_switch(&s, 1100, 0, 0, 0, 1);
	cs_sys(&s, 1150, 2, 4, SYS_write, 100, 1, 7, PIPE(30), KT_SYSCALL_WOKE);
	cs_sys(&s, 1200, 0, 1, SYS_read, 1150, 1, 3, PIPE(30), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 1300, 1, 50, 1200, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.nhops == 4, "%zu hops", r.p.nhops);
	KT_ASSERT(r.p.hops[1].tid == 4 && r.p.hops[1].via == KT_CP_VIA_WAKE &&
		  r.p.hops[1].waker_sys.nr == SYS_write &&
		  r.p.hops[1].wait_sys.arg[2] == PIPE(30), "server answered via the pipe");
	KT_ASSERT(r.p.hops[2].tid == 3 && r.p.hops[2].via == KT_CP_VIA_NET &&
		  r.p.hops[2].weight == KT_CP_W_LOOPBACK &&
		  r.p.hops[2].waker_sys.nr == SYS_sendto,
		  "relay reached over the network");
	KT_ASSERT(r.p.hops[3].tid == 2 && r.p.hops[3].via == KT_CP_VIA_NET, "sender");
	/* the relay ran 390 ns, reached through one inferred hop (0.8), and
	 * 200 ns of the span are unknown: 0.8 x 390 / (390 + 200) */
	KT_ASSERT(kt_cp_root(&r.p)->tid == 3 && r.p.confidence == 529 &&
		  r.p.root_evidence_ns == 312 && r.p.unknown_ns == 200,
		  "root: the relay's work, confidence %u permille", r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* fsync: the caller waits for the journal thread, which waits for its
 * journal write: the root is the disk request. */
KT_TEST(causal_cp_disk_interrupt)
{
	static const struct want w[] = {
		{ 50, 100, 1, KT_CP_RUN }, { 100, 200, 9, KT_CP_RUN },
		{ 200, 800, 9, KT_CP_DISK }, { 800, 810, 9, KT_CP_RUNNABLE },
		{ 810, 900, 9, KT_CP_RUN }, { 900, 950, 1, KT_CP_RUNNABLE },
		{ 950, 1000, 1, KT_CP_RUN },
	};
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "db");
	cs_task(&s, 9, 9, "jbd2/vda-8");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 9, 0);
	cs_switch(&s, 1, 1, 9, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 90, 0, 1, 9, KT_CTX_TASK);
	cs_switch(&s, 95, 1, 0, 0, 9);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_switch(&s, 200, 1, 9, KT_STATE_DISK, 0);
	cs_blk(&s, 795, 1, 9, 254 << 20, 123456, 12288, 590);
	cs_wake(&s, 800, 1, 0, 9, KT_CTX_HARDIRQ);
	cs_switch(&s, 810, 1, 0, 0, 9);
	cs_wake(&s, 900, 1, 9, 1, KT_CTX_TASK);
	cs_switch(&s, 950, 0, 0, 0, 1);
	cs_sys(&s, 1000, 0, 1, SYS_fsync, 950, 0, 5, KT_FILE_ID(S_IFREG, 77),
	       KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 1100, 1, 50, 1000, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_DISK, 600);
	KIND_NS(&r, KT_CP_RUN, 290);
	KIND_NS(&r, KT_CP_RUNNABLE, 60);
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_DISK && root->dev == 254u << 20 &&
		  root->ns == 600, "root: disk 254:0");
	KT_ASSERT(r.p.segs[2].blk.sector == 123456 && r.p.segs[2].blk.issuer_tid == 9 &&
		  r.p.segs[2].blk.bytes == 12288, "the journal write");
	KT_ASSERT(r.p.hops[1].tid == 9 && r.p.hops[1].wait_sys.nr == SYS_fsync,
		  "fsync waited for jbd2");
	/* jbd2 waited for its own request: every ns of the root is exact */
	KT_ASSERT(r.p.segs[2].weight == KT_CP_W_EXACT &&
		  r.p.confidence == KT_CP_W_EXACT, "confidence %u permille",
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A worker first seen when a disk interrupt wakes it (it slept since
 * before the capture, or out of scope): the time before its first event
 * is its wait, ended by that completion, so it is the disk's, with the
 * request that woke it. */
KT_TEST(causal_cp_disk_unseen_worker)
{
	static const struct want w[] = {
		{ 50, 100, 1, KT_CP_RUN }, { 100, 600, 9, KT_CP_DISK },
		{ 600, 610, 9, KT_CP_RUNNABLE }, { 610, 700, 9, KT_CP_RUN },
		{ 700, 750, 1, KT_CP_RUNNABLE }, { 750, 800, 1, KT_CP_RUN },
	};
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "db");
	cs_task(&s, 9, 9, "kworker/u8:0");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_blk(&s, 595, 1, 1, 254 << 20, 4242, 4096, 400);
	cs_wake(&s, 600, 1, 0, 9, KT_CTX_HARDIRQ);
	cs_switch(&s, 610, 1, 0, 0, 9);
	cs_wake(&s, 700, 1, 9, 1, KT_CTX_TASK);
	cs_switch(&s, 710, 1, 9, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 750, 0, 0, 0, 1);
	cs_sys(&s, 800, 0, 1, SYS_fsync, 750, 0, 5, KT_FILE_ID(S_IFREG, 77),
	       KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 900, 1, 50, 800, &r), "build");
	CHECK_PATH(&r, w);
	KIND_NS(&r, KT_CP_DISK, 500);
	KIND_NS(&r, KT_CP_UNKNOWN, 0);
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_DISK && root->ns == 500, "root: disk");
	KT_ASSERT(r.p.segs[1].blk.sector == 4242 && r.p.segs[1].blk.bytes == 4096,
		  "the request that woke the worker: sector %llu",
		  (unsigned long long)r.p.segs[1].blk.sector);
	/* inferred twice: a request of another task completed just before
	 * the interrupt (0.9), and the wait before the worker's first event
	 * is known only from that wakeup (0.9) */
	KT_ASSERT(r.p.segs[1].weight == 810 && r.p.confidence == 810,
		  "weight %u, confidence %u permille", r.p.segs[1].weight,
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A lock convoy: the waiter's futex wait is the holder's work. */
KT_TEST(causal_cp_lock_holder)
{
	static const struct want w[] = {
		{ 90, 100, 1, KT_CP_RUN }, { 100, 500, 2, KT_CP_RUN },
		{ 500, 520, 1, KT_CP_RUNNABLE }, { 520, 530, 1, KT_CP_RUN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 7, "waiter");
	cs_task(&s, 2, 7, "holder");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 500, 1, 2, 1, KT_CTX_TASK);
	cs_sys(&s, 505, 1, 2, SYS_futex, 10, 1, 0x7000, 0, KT_SYSCALL_WOKE);
	cs_switch(&s, 520, 0, 0, 0, 1);
	cs_sys(&s, 530, 0, 1, SYS_futex, 440, 0, 0x7000, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 600, 1, 90, 530, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_RUN && kt_cp_root(&r.p)->tid == 2 &&
		  kt_cp_root(&r.p)->ns == 400, "root: the holder's 400 ns");
	KT_ASSERT(r.p.hops[1].wait_sys.nr == SYS_futex &&
		  r.p.hops[1].waker_sys.nr == SYS_futex, "futex to futex");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* CPU contention: woken early, the thread waits for two hogs on its cpu. */
KT_TEST(causal_cp_cpu_contention)
{
	static const struct want w[] = {
		{ 0, 10, 1, KT_CP_RUN }, { 10, 60, 1, KT_CP_TIMER },
		{ 60, 1000, 1, KT_CP_RUNNABLE }, { 1000, 1010, 1, KT_CP_RUN },
	};
	struct kt_cp_attr c[4];
	struct cp_run r;
	struct cs s;
	size_t n;

	cs_init(&s);
	cs_task(&s, 1, 1, "latency");
	cs_task(&s, 2, 2, "hog1");
	cs_task(&s, 3, 3, "hog2");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 10, 0, 1, KT_STATE_SLEEPING, 2);
	cs_wake(&s, 60, 0, 2, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 400, 0, 2, KT_STATE_RUNNABLE, 3);
	cs_switch(&s, 1000, 0, 3, KT_STATE_RUNNABLE, 1);
	cs_sys(&s, 1010, 0, 1, SYS_nanosleep, 1010, 0, 50, 0, KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1010, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_RUNNABLE &&
		  kt_cp_root(&r.p)->cpu == 0 && kt_cp_root(&r.p)->ns == 940,
		  "root: cpu contention on cpu0");
	n = kt_cp_contenders(r.st, &r.p, 0, c, 4);
	KT_ASSERT(n == 2 && c[0].tid == 3 && c[0].ns == 600 && c[1].tid == 2 &&
		  c[1].ns == 340, "hog2 600 ns, hog1 340 ns: got %zu", n);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* Unknown time is never the answer while something is known, and it
 * weighs against the answer: a thread that ran 200 ns of a 1000 ns span
 * and was woken unseen for the rest has its own work as root cause, with
 * confidence 200 / (200 + 800). */
KT_TEST(causal_cp_unknown_largest)
{
	static const struct want w[] = {
		{ 0, 100, 1, KT_CP_RUN }, { 100, 900, 1, KT_CP_UNKNOWN },
		{ 900, 1000, 1, KT_CP_RUN },
	};
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 900, 0, 0, 0, 1);         /* its wakeup was lost */
	KT_ASSERT(!cp_build(&s, 1000, 1, 0, 1000, &r), "build");
	CHECK_PATH(&r, w);
	root = kt_cp_root(&r.p);
	KT_ASSERT(r.p.attr[0].kind == KT_CP_UNKNOWN && root->kind == KT_CP_RUN &&
		  root->ns == 200, "root: its own work, not the unknown");
	KT_ASSERT(r.p.confidence == 200 && r.p.unknown_ns == 800,
		  "confidence %u permille", r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* An interrupt of unknown origin is a weak answer: 0.5 of its time. */
KT_TEST(causal_cp_irq_weight)
{
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 900, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 900, 0, 0, 0, 1);
	KT_ASSERT(!cp_build(&s, 1000, 1, 0, 1000, &r), "build");
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_IRQ && root->ns == 800, "root: irq");
	KT_ASSERT(r.p.confidence == KT_CP_W_IRQ, "confidence %u permille",
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A softirq receive over a thread that was not sending (here, reading a
 * pipe) is not its delivery: the path stops at the network, no hop. */
KT_TEST(causal_cp_net_hop_needs_send)
{
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "bystander");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 20, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 90, 1, 2, 1, KT_CTX_SOFTIRQ);
	cs_sys(&s, 91, 1, 2, SYS_read, 80, 1, 4, PIPE(5), KT_SYSCALL_BLOCKED);
	cs_switch(&s, 92, 0, 0, 0, 1);
	cs_sys(&s, 95, 0, 1, SYS_recvfrom, 85, 100, 3, SOCK(9), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 100, 1, 0, 95, &r), "build");
	KIND_NS(&r, KT_CP_NET, 70);
	KT_ASSERT(r.p.nhops == 1, "%zu hops: no hop to the bystander", r.p.nhops);
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_NET &&
		  r.p.confidence == KT_CP_W_NET, "root: the network, confidence %u",
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A wait whose wakeup and switch-in were both lost: the thread's next
 * switch-out shows it ran, so the wait ended unseen (cause missing) and
 * is unknown, not the network or a peer. */
KT_TEST(causal_cp_wait_ended_unseen)
{
	static const struct want w[] = {
		{ 0, 20, 1, KT_CP_RUN }, { 20, 60, 1, KT_CP_UNKNOWN },
	};
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "a");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 20, 0, 1, KT_STATE_SLEEPING, 0);
	cs_switch(&s, 60, 0, 1, KT_STATE_SLEEPING, 0);
	KT_ASSERT(!cp_build(&s, 100, 1, 0, 60, &r), "build");
	CHECK_PATH(&r, w);
	KT_ASSERT(r.p.segs[1].cause == KT_CAUSE_MISSING, "cause %s",
		  kt_tl_cause_name(r.p.segs[1].cause));
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* Runnable time is contention on one cpu: waiting for cpu 0, then
 * migrated and waiting for cpu 1, are two buckets, each naming its cpu
 * and what ran there. */
KT_TEST(causal_cp_runnable_per_cpu)
{
	struct kt_cp_attr c[4];
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "latency");
	cs_task(&s, 2, 2, "hog0");
	cs_task(&s, 3, 3, "hog1");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 3);
	cs_switch(&s, 10, 0, 1, KT_STATE_RUNNABLE, 2);  /* 10 .. 400 on cpu 0 */
	cs_add(&s, 400, 1, KT_SCHED_MIGRATE, 3)->mig = (struct kt_sched_migrate){
		.target_tid = 1, .target_pid = 1, .orig_cpu = 0, .dest_cpu = 1 };
	cs_switch(&s, 1000, 1, 3, KT_STATE_RUNNABLE, 1); /* 400 .. 1000 on cpu 1 */
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1010, &r), "build");
	KT_ASSERT(r.p.nattr == 3, "%zu buckets", r.p.nattr);
	KT_ASSERT(r.p.attr[0].kind == KT_CP_RUNNABLE && r.p.attr[0].cpu == 1 &&
		  r.p.attr[0].ns == 600 && r.p.attr[1].kind == KT_CP_RUNNABLE &&
		  r.p.attr[1].cpu == 0 && r.p.attr[1].ns == 390,
		  "cpu 1 600 ns, cpu 0 390 ns: got cpu %u %llu ns, cpu %u %llu ns",
		  r.p.attr[0].cpu, (unsigned long long)r.p.attr[0].ns,
		  r.p.attr[1].cpu, (unsigned long long)r.p.attr[1].ns);
	KT_ASSERT(kt_cp_contenders(r.st, &r.p, 1, c, 4) == 1 && c[0].tid == 3 &&
		  c[0].ns == 600, "hog1 held cpu 1");
	/* one cause, whichever cpus it was waited for on */
	KT_ASSERT(kt_cp_root(&r.p)->cpu == KT_CP_ALL_CPUS &&
		  kt_cp_root(&r.p)->ns == 990 && r.p.confidence == KT_CP_W_EXACT,
		  "root: contention on all cpus, 990 ns");
	KT_ASSERT(kt_cp_contenders(r.st, &r.p, KT_CP_ALL_CPUS, c, 4) == 2 &&
		  c[0].tid == 3 && c[0].cpu == 1 && c[1].tid == 2 && c[1].cpu == 0 &&
		  c[1].ns == 390, "hog1 on cpu 1, hog0 on cpu 0");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A connect whose SYN got no answer: until the kernel sent it again, the
 * wait is the retransmission timeout of that very socket (exact), then
 * the network brought the SYN-ACK. */
KT_TEST(causal_cp_syn_retransmit)
{
	static const struct want w[] = {
		{ 0, 10, 1, KT_CP_RUN }, { 10, 1010, 1, KT_CP_RETRANS },
		{ 1010, 1050, 1, KT_CP_NET }, { 1050, 1060, 1, KT_CP_RUN },
	};
	const struct kt_cp_attr *root;
	struct kt_event *e;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 10, 0, 1, KT_STATE_SLEEPING, 0);
	e = cs_add(&s, 10, 0, KT_TCP_STATE, 1);
	e->tcp.sock = 77;
	e->tcp.family = 2;
	e->tcp.sport = 4000;
	e->tcp.dport = 7001;
	e->tcp.oldstate = 7;            /* CLOSE -> SYN_SENT */
	e->tcp.newstate = 2;
	e->tcp.owner_tid = e->tcp.owner_pid = 1;
	e = cs_add(&s, 1010, 1, KT_TCP_RETRANS, 0);
	e->tcp = s.ev[s.n - 2].tcp;
	e->tcp.newstate = 2;
	e->tcp.context = KT_CTX_SOFTIRQ;
	e->tcp.flags = KT_TCP_ACCEPTQ;
	e->tcp.acceptq = 2;
	e->tcp.acceptq_max = 1;
	cs_wake(&s, 1050, 0, 0, 1, KT_CTX_SOFTIRQ);
	cs_switch(&s, 1050, 0, 0, 0, 1);
	cs_sys(&s, 1060, 0, 1, SYS_connect, 1055, 0, 3, SOCK(9),
	       KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1060, &r), "build");
	CHECK_PATH(&r, w);
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_RETRANS && root->ns == 1000 &&
		  r.p.confidence == KT_CP_W_EXACT, "root: the SYN's timeout");
	KT_ASSERT(r.p.segs[1].tcp_ts == 1010 && r.p.segs[1].tcp.dport == 7001 &&
		  r.p.segs[1].tcp.acceptq_known && r.p.segs[1].tcp.acceptq == 2,
		  "the retransmit, with the listener's queue");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A connect whose SYNs got no answer until the kernel gave up (ETIMEDOUT,
 * the wakeup from the retransmit timer's soft irq): the whole wait is the
 * retransmission timeout, past the last SYN too; no packet ended it, so
 * it is neither the network nor an interrupt. */
KT_TEST(causal_cp_syn_timed_out)
{
	static const struct want w[] = {
		{ 0, 10, 1, KT_CP_RUN }, { 10, 3050, 1, KT_CP_RETRANS },
		{ 3050, 3060, 1, KT_CP_RUN },
	};
	const struct kt_cp_attr *root;
	struct kt_event *e;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 10, 0, 1, KT_STATE_SLEEPING, 0);
	e = cs_add(&s, 10, 0, KT_TCP_STATE, 1);
	e->tcp.sock = 77;
	e->tcp.family = 2;
	e->tcp.sport = 4000;
	e->tcp.dport = 7002;
	e->tcp.oldstate = 7;            /* CLOSE -> SYN_SENT */
	e->tcp.newstate = 2;
	e->tcp.owner_tid = e->tcp.owner_pid = 1;
	for (__u64 t = 1010; t <= 2010; t += 1000) {
		e = cs_add(&s, t, 1, KT_TCP_RETRANS, 0);
		e->tcp = s.ev[2].tcp;
		e->tcp.context = KT_CTX_SOFTIRQ;
	}
	cs_wake(&s, 3050, 0, 0, 1, KT_CTX_SOFTIRQ);
	cs_switch(&s, 3050, 0, 0, 0, 1);
	cs_sys(&s, 3060, 0, 1, SYS_connect, 3055, -ETIMEDOUT, 3, SOCK(9),
	       KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 3100, 1, 0, 3060, &r), "build");
	CHECK_PATH(&r, w);
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_RETRANS && root->ns == 3040 &&
		  r.p.confidence == KT_CP_W_EXACT, "root: the SYNs' timeouts");
	KT_ASSERT(r.p.segs[1].tcp_ts == 2010 && r.p.segs[1].tcp.dport == 7002,
		  "the last retransmit: %llu",
		  (unsigned long long)r.p.segs[1].tcp_ts);
	KT_ASSERT(r.p.segs[1].cause == KT_CAUSE_TIMER, "woken by %s",
		  kt_tl_cause_name(r.p.segs[1].cause));
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* The connections a thread owns are kept, so that a network wait can name
 * its 4-tuple (and tell a peer on this host from one outside). */
KT_TEST(causal_cp_store_tcp_owner)
{
	struct kt_event *e;
	const struct kt_tl_span *c;
	struct cp_run r;
	struct cs s;
	size_t n;

	cs_init(&s);
	cs_task(&s, 1, 1, "client");
	cs_task(&s, 2, 2, "other");
	cs_switch(&s, 0, 0, 0, 0, 1);
	e = cs_add(&s, 5, 0, KT_TCP_STATE, 1);
	e->tcp.sock = 5;
	e->tcp.family = 2;
	e->tcp.sport = 4000;
	e->tcp.dport = 80;
	e->tcp.oldstate = 7;
	e->tcp.newstate = 2;
	e->tcp.owner_tid = e->tcp.owner_pid = 1;
	e = cs_add(&s, 8, 1, KT_TCP_STATE, 2);  /* softirq, over another task */
	e->tcp = s.ev[s.n - 2].tcp;
	e->tcp.oldstate = 2;
	e->tcp.newstate = 1;
	e->tcp.context = KT_CTX_SOFTIRQ;
	cs_switch(&s, 10, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 90, 0, 0, 1, KT_CTX_SOFTIRQ);
	cs_switch(&s, 90, 0, 0, 0, 1);
	cs_sys(&s, 100, 0, 1, SYS_recvfrom, 95, 10, 3, SOCK(9), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 200, 1, 0, 100, &r), "build");
	c = kt_cp_store_tcp_at(r.st, 1, 1, 50, &n);
	KT_ASSERT(c && n == 1 && c->tcp.dport == 80 && c->tid == 1,
		  "the client's connection: %zu", n);
	KT_ASSERT(!kt_cp_store_tcp_at(r.st, 2, 2, 50, &n) && !n,
		  "the task the softirq ran over owns none");
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* An fsync whose wakeup no completion explains (an interrupt long after
 * the last one): while its own request, or one of a kernel thread
 * (writeback), was in flight, the disk gets the wait, by overlap (0.8);
 * another process's request does not count. */
KT_TEST(causal_cp_sync_overlap)
{
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "db");
	cs_task(&s, 2, 2, "other");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 10 * US, 0, 1, KT_STATE_DISK, 0);
	cs_blk(&s, 500 * US, 1, 2, 254 << 20, 1, 4096, 480 * US); /* not its own */
	cs_wake(&s, 9900 * US, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 9900 * US, 0, 0, 0, 1);
	cs_sys(&s, 10000 * US, 0, 1, SYS_fsync, 9995 * US, 0, 3,
	       KT_FILE_ID(S_IFREG, 5), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 11000 * US, 1, 0, 10000 * US, &r), "build");
	KT_ASSERT(kt_cp_root(&r.p)->kind == KT_CP_IRQ,
		  "another process's request explains nothing: %s",
		  kt_cp_kind_name(kt_cp_root(&r.p)->kind));
	cp_release(&r);
	s.n = 3;        /* again, with its own request in flight */
	cs_blk(&s, 7000 * US, 1, 1, 254 << 20, 2, 8192, 6500 * US);
	cs_wake(&s, 9900 * US, 0, 0, 1, KT_CTX_HARDIRQ);
	cs_switch(&s, 9900 * US, 0, 0, 0, 1);
	cs_sys(&s, 10000 * US, 0, 1, SYS_fsync, 9995 * US, 0, 3,
	       KT_FILE_ID(S_IFREG, 5), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 11000 * US, 1, 0, 10000 * US, &r), "build");
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_DISK && root->ns == 9890 * US &&
		  r.p.confidence == KT_CP_W_SYNC_OVERLAP,
		  "root: the disk by overlap, %s %llu conf %u",
		  kt_cp_kind_name(root->kind), (unsigned long long)root->ns,
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A cpu that holds nearly all the runnable time is named alone: woken on
 * cpu 0 and moved at once to cpu 1 (sched_setaffinity), the thread
 * waited 10 ns for cpu 0 and 990 ns for cpu 1: contention on cpu 1, not
 * on all cpus (KT_CP_CONTENTION_ONE_CPU). */
KT_TEST(causal_cp_runnable_one_cpu_dominates)
{
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "worker");
	cs_task(&s, 3, 3, "spinner");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 3);
	cs_switch(&s, 10, 0, 1, KT_STATE_RUNNABLE, 0);  /* 10 .. 20 on cpu 0 */
	cs_add(&s, 20, 1, KT_SCHED_MIGRATE, 3)->mig = (struct kt_sched_migrate){
		.target_tid = 1, .target_pid = 1, .orig_cpu = 0, .dest_cpu = 1 };
	cs_switch(&s, 1010, 1, 3, KT_STATE_RUNNABLE, 1); /* 20 .. 1010 on cpu 1 */
	KT_ASSERT(!cp_build(&s, 1100, 1, 0, 1020, &r), "build");
	root = kt_cp_root(&r.p);
	KT_ASSERT(root && root->kind == KT_CP_RUNNABLE && root->cpu == 1 &&
		  root->ns == 990, "root: cpu %u, %llu ns", root ? root->cpu : 0,
		  root ? (unsigned long long)root->ns : 0);
	KT_ASSERT(r.p.confidence == KT_CP_W_EXACT, "confidence %u",
		  r.p.confidence);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* A writeback kworker blocked (no syscall) while its own request is in
 * flight, woken by an interrupt that no completion explains: the disk,
 * by overlap, through the kworker that woke the fsync. */
KT_TEST(causal_cp_kthread_wait_overlap)
{
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "db");
	cs_task(&s, 9, 9, "kworker/u8:1");
	s.tasks[s.ntasks - 1].flags |= KT_TASK_KTHREAD;
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 9);
	cs_switch(&s, 10 * US, 0, 1, KT_STATE_DISK, 0);          /* fsync */
	cs_switch(&s, 20 * US, 1, 9, KT_STATE_DISK, 0);          /* its I/O */
	cs_blk(&s, 5000 * US, 0, 9, 254 << 20, 3, 65536, 4900 * US);
	cs_wake(&s, 9000 * US, 1, 0, 9, KT_CTX_HARDIRQ);          /* 4 ms later */
	cs_switch(&s, 9000 * US, 1, 0, 0, 9);
	cs_wake(&s, 9010 * US, 1, 9, 1, KT_CTX_TASK);
	cs_switch(&s, 9020 * US, 0, 0, 0, 1);
	cs_sys(&s, 9030 * US, 0, 1, SYS_fsync, 9025 * US, 0, 3,
	       KT_FILE_ID(S_IFREG, 5), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 10000 * US, 1, 0, 9030 * US, &r), "build");
	root = kt_cp_root(&r.p);
	KT_ASSERT(root->kind == KT_CP_DISK && r.p.hops[1].tid == 9,
		  "root: the disk through the kworker, got %s",
		  kt_cp_kind_name(root->kind));
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}

/* An idle writeback kworker (asleep outside any syscall, woken once by a
 * softirq for nothing) whose later wakeup ends an fsync: until then the
 * fsync waited for its own request in flight, not for an interrupt of an
 * unknown device: the disk gets the kworker's idle time too. */
KT_TEST(causal_cp_idle_kthread_serves_fsync)
{
	const struct kt_cp_attr *root;
	struct cp_run r;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "db");
	cs_task(&s, 9, 9, "kworker/u8:1");
	s.tasks[s.ntasks - 1].flags |= KT_TASK_KTHREAD;
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 9);
	cs_switch(&s, 10 * US, 1, 9, KT_STATE_SLEEPING, 0);      /* idle */
	cs_switch(&s, 200 * US, 0, 1, KT_STATE_DISK, 0);         /* fsync */
	cs_wake(&s, 3000 * US, 1, 0, 9, KT_CTX_SOFTIRQ);          /* nothing */
	cs_switch(&s, 3000 * US, 1, 0, 0, 9);
	cs_switch(&s, 3010 * US, 1, 9, KT_STATE_SLEEPING, 0);
	/* db's own request, issued at 100 us, completes on cpu 1 */
	cs_blk(&s, 5000 * US, 1, 1, 254 << 20, 3, 65536, 4900 * US);
	cs_wake(&s, 5000 * US, 1, 0, 9, KT_CTX_HARDIRQ);
	cs_switch(&s, 5000 * US, 1, 0, 0, 9);
	cs_wake(&s, 5010 * US, 1, 9, 1, KT_CTX_TASK);
	cs_switch(&s, 5020 * US, 0, 0, 0, 1);
	cs_sys(&s, 5030 * US, 0, 1, SYS_fsync, 4900 * US, 0, 3,
	       KT_FILE_ID(S_IFREG, 5), KT_SYSCALL_BLOCKED);
	KT_ASSERT(!cp_build(&s, 6000 * US, 1, 130 * US, 5030 * US, &r), "build");
	root = kt_cp_root(&r.p);
	KT_ASSERT(root && root->kind == KT_CP_DISK && root->ns >= 4700 * US,
		  "root: the disk for the whole wait, got %s %llu ns",
		  root ? kt_cp_kind_name(root->kind) : "none",
		  root ? (unsigned long long)root->ns : 0);
	cp_release(&r);
	cs_release(&s);
	return KT_PASS;
}
