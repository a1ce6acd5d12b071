// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Causal graph unit tests of reads and writes on pipes and sockets
 * (analyze/graph_io.c): messages are matched write/read pairs with their
 * bytes, never wakeups; a read that frees space and wakes the other side
 * is an edge of its own; syscalls without a file id get their object from
 * another record of the same fd.
 */
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "graph_util.h"

#define OPTS { .tl = { .end_ts = 100000, .syscalls = true } }

/*
 * The request/response shape of live/truth_msgs over a socket pair:
 * the client's request wakes the server; the server's read frees the
 * client's send space and wakes the client, blocked in its read for the
 * reply, before the reply is written; the reply's write wakes no one, so
 * it has no file id (its fd's object comes from the server's reads).
 */
static void req_resp(struct cs *s, int rounds)
{
	cs_task(s, 1, 1, "client");
	cs_task(s, 2, 2, "server");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 0, 2);
	cs_switch(s, 34, 1, 2, KT_STATE_SLEEPING, 0);   /* in read since 33 */
	for (int i = 0; i < rounds; i++) {
		__u64 t = 100 + 100 * (__u64)i;

		cs_wake(s, t + 10, 0, 1, 2, KT_CTX_TASK);
		cs_sys(s, t + 12, 0, 1, SYS_write, 5, 64, 3, SOCK(11),
		       KT_SYSCALL_WOKE);
		cs_switch(s, t + 15, 0, 1, KT_STATE_SLEEPING, 0);
		cs_switch(s, t + 20, 1, 0, 0, 2);
		cs_wake(s, t + 22, 1, 2, 1, KT_CTX_TASK);   /* freed space */
		cs_sys(s, t + 25, 1, 2, SYS_read, 92, 64, 4, SOCK(12),
		       KT_SYSCALL_BLOCKED | KT_SYSCALL_WOKE);
		cs_sys(s, t + 30, 1, 2, SYS_write, 3, 64, 4, 0, 0);
		cs_switch(s, t + 34, 1, 2, KT_STATE_SLEEPING, 0);
		cs_switch(s, t + 36, 0, 0, 0, 1);
		cs_sys(s, t + 38, 0, 1, SYS_read, 25, 64, 3, SOCK(11),
		       KT_SYSCALL_BLOCKED);
	}
}

KT_TEST(causal_graph_msgs_not_wakeups)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph_stats st;
	struct kt_graph *g;
	__u32 c, sv, a, b;
	struct cs s;

	cs_init(&s);
	req_resp(&s, 5);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	c = gu_thr(g, 1);
	sv = gu_thr(g, 2);
	a = gu_node(g, KT_GN_FILE, SOCK(11), 0);
	b = gu_node(g, KT_GN_FILE, SOCK(12), 0);
	e = gu_edge(g, KT_GE_WROTE_READ, c, sv);
	KT_ASSERT(e && e->count == 5 && e->bytes == 320 && e->via == b &&
		  e->confidence == KT_G_EXACT, "5 requests of 64 bytes, got %llu/%llu",
		  e ? (unsigned long long)e->count : 0,
		  e ? (unsigned long long)e->bytes : 0);
	e = gu_edge(g, KT_GE_WROTE_READ, sv, c);
	KT_ASSERT(e && e->count == 5 && e->bytes == 320 && e->via == a,
		  "5 replies of 64 bytes, got %llu/%llu",
		  e ? (unsigned long long)e->count : 0,
		  e ? (unsigned long long)e->bytes : 0);
	/* the reply's latency: its write's start to the client's read end */
	KT_ASSERT(e->total_ns == 5 * 11, "reply transit %llu",
		  (unsigned long long)e->total_ns);
	/* ten wakeups from the server: its reads, not its writes */
	e = gu_edge(g, KT_GE_WOKE, sv, c);
	KT_ASSERT(e && e->count == 5, "the server woke the client 5 times");
	e = gu_edge(g, KT_GE_FREED_SPACE, sv, c);
	KT_ASSERT(e && e->count == 5 && e->via == a &&
		  strstr(e->reason, "no data"), "freed space woke the client");
	KT_ASSERT(!gu_edge(g, KT_GE_FREED_SPACE, c, sv), "the requests' wakeups are data");
	/* the server's writes had no file id: told by its reads' fd */
	e = gu_edge(g, KT_GE_WROTE, sv, b);
	KT_ASSERT(e && e->count == 5 && e->bytes == 320, "the server's writes");
	e = gu_edge(g, KT_GE_READ, a, c);
	KT_ASSERT(e && e->count == 5 && e->bytes == 320, "the client's reads");
	KT_ASSERT(gu_edge(g, KT_GE_PEER, a, b), "the two ends are peers");
	kt_graph_stats(g, &st);
	KT_ASSERT(st.msgs == 10 && st.bytes_unmatched == 0 && st.io_unresolved == 0,
		  "msgs %llu unmatched %llu unresolved %llu",
		  (unsigned long long)st.msgs, (unsigned long long)st.bytes_unmatched,
		  (unsigned long long)st.io_unresolved);
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A pipe is a byte stream: one write read by two reads, two writes read
 * by one, each pair that shared bytes one message. */
KT_TEST(causal_graph_msgs_split)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "writer");
	cs_task(&s, 3, 2, "writer2");   /* a thread of the writer */
	/* ids from the first pair (a read woken by a write) */
	cs_sys(&s, 100, 1, 2, SYS_write, 5, 10, 4, PIPE(7), KT_SYSCALL_WOKE);
	cs_sys(&s, 110, 0, 1, SYS_read, 80, 10, 3, PIPE(7), KT_SYSCALL_BLOCKED);
	/* the rest has no id: the fds tell it */
	cs_sys(&s, 200, 1, 2, SYS_write, 5, 100, 4, 0, 0);
	cs_sys(&s, 220, 1, 3, SYS_write, 5, 28, 4, 0, 0);
	cs_sys(&s, 300, 0, 1, SYS_read, 5, 64, 3, 0, 0);
	cs_sys(&s, 310, 0, 1, SYS_read, 5, 64, 3, 0, 0);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 2), gu_thr(g, 1));
	/* 10; 64 of the 100; the other 36 */
	KT_ASSERT(e && e->count == 3 && e->bytes == 110, "writer: %llu msgs %llu B",
		  e ? (unsigned long long)e->count : 0,
		  e ? (unsigned long long)e->bytes : 0);
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 3), gu_thr(g, 1));
	KT_ASSERT(e && e->count == 1 && e->bytes == 28 && e->confidence == KT_G_EXACT,
		  "writer2: the last 28 bytes");
	KT_ASSERT(e->total_ns == 310 - 215, "write start to read end");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* Reads and writes whose object is not known yet wait for a record of
 * their fd; close forgets what an fd named; what nothing tells is
 * counted, never guessed. */
KT_TEST(causal_graph_msgs_held)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph_stats st;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "writer");
	cs_sys(&s, 100, 1, 2, SYS_write, 5, 10, 4, 0, 0);   /* held */
	cs_sys(&s, 110, 0, 1, SYS_read, 5, 10, 3, 0, 0);    /* held */
	cs_sys(&s, 150, 1, 2, SYS_write, 5, 7, 9, 0, 0);    /* never told */
	cs_sys(&s, 200, 1, 2, SYS_write, 5, 5, 4, PIPE(7), KT_SYSCALL_WOKE);
	cs_sys(&s, 210, 0, 1, SYS_read, 80, 5, 3, PIPE(7), KT_SYSCALL_BLOCKED);
	cs_sys(&s, 300, 1, 2, SYS_close, 1, 0, 4, 0, 0);
	cs_sys(&s, 400, 1, 2, SYS_write, 5, 3, 4, 0, 0);    /* fd 4 is another */
	/* a regular file carries no messages */
	cs_sys(&s, 500, 1, 2, SYS_write, 5, 9, 6, KT_FILE_ID(S_IFREG, 5),
	       KT_SYSCALL_BLOCKED);
	cs_sys(&s, 510, 0, 1, SYS_read, 5, 9, 6, KT_FILE_ID(S_IFREG, 5),
	       KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 2), gu_thr(g, 1));
	KT_ASSERT(e && e->count == 2 && e->bytes == 15, "held pair and the pair that told: %llu/%llu",
		  e ? (unsigned long long)e->count : 0,
		  e ? (unsigned long long)e->bytes : 0);
	e = gu_edge(g, KT_GE_WROTE, gu_thr(g, 2), gu_node(g, KT_GN_FILE, PIPE(7), 0));
	KT_ASSERT(e && e->count == 2 && e->bytes == 15, "not the write after close");
	KT_ASSERT(gu_node(g, KT_GN_FILE, KT_FILE_ID(S_IFREG, 5), 0) == KT_G_NONE,
		  "no edges to a regular file");
	kt_graph_stats(g, &st);
	KT_ASSERT(st.io_unresolved == 2 && st.io_ops == 4,
		  "unresolved %llu ops %llu", (unsigned long long)st.io_unresolved,
		  (unsigned long long)st.io_ops);
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A read takes bytes only of writes that began before it returned: the
 * rest of what it read came from writes not recorded. */
KT_TEST(causal_graph_msgs_no_future)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph_stats st;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "writer");
	cs_sys(&s, 50, 1, 2, SYS_write, 5, 5, 4, PIPE(7), KT_SYSCALL_WOKE);
	cs_sys(&s, 100, 0, 1, SYS_read, 5, 10, 3, PIPE(7), 0);
	cs_sys(&s, 210, 1, 2, SYS_write, 5, 10, 4, PIPE(7), 0);
	cs_sys(&s, 300, 0, 1, SYS_read, 5, 10, 3, PIPE(7), 0);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 2), gu_thr(g, 1));
	KT_ASSERT(e && e->count == 2 && e->bytes == 15, "5 bytes, then 10: %llu/%llu",
		  e ? (unsigned long long)e->count : 0,
		  e ? (unsigned long long)e->bytes : 0);
	kt_graph_stats(g, &st);
	KT_ASSERT(st.bytes_unmatched == 5, "5 bytes of an unseen write, got %llu",
		  (unsigned long long)st.bytes_unmatched);
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A read that blocked found the pipe empty: the bytes of a write that
 * ended before it started went to a read not recorded, not to it. */
KT_TEST(causal_graph_msgs_blocked_read)
{
	struct kt_graph_opts o = OPTS;
	struct kt_graph *g;
	const struct kt_gedge *e;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "early");
	cs_task(&s, 3, 3, "late");
	cs_sys(&s, 100, 1, 2, SYS_write, 5, 10, 4, PIPE(7), KT_SYSCALL_WOKE);
	/* (a read of those 10 bytes is not in the capture) */
	cs_sys(&s, 300, 1, 3, SYS_write, 5, 5, 5, PIPE(7), KT_SYSCALL_WOKE);
	cs_sys(&s, 310, 0, 1, SYS_read, 110, 5, 3, PIPE(7), KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	KT_ASSERT(!gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 2), gu_thr(g, 1)),
		  "the early write's bytes were not this read's");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 3), gu_thr(g, 1));
	KT_ASSERT(e && e->count == 1 && e->bytes == 5, "the write that woke it");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* A reader that frees space wakes a writer blocked on a full pipe: a
 * freed-space edge, not a message. */
KT_TEST(causal_graph_freed_space)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "writer");
	cs_switch(&s, 0, 0, 0, 0, 1);
	cs_switch(&s, 0, 1, 0, 0, 2);
	cs_switch(&s, 50, 1, 2, KT_STATE_SLEEPING, 0);      /* pipe full */
	cs_wake(&s, 100, 0, 1, 2, KT_CTX_TASK);
	cs_sys(&s, 105, 0, 1, SYS_read, 10, 64, 3, PIPE(8), KT_SYSCALL_WOKE);
	cs_switch(&s, 110, 1, 0, 0, 2);
	cs_sys(&s, 120, 1, 2, SYS_write, 80, 64, 4, PIPE(8), KT_SYSCALL_BLOCKED);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_FREED_SPACE, gu_thr(g, 1), gu_thr(g, 2));
	KT_ASSERT(e && e->count == 1 && e->total_ns == 50 &&
		  e->via == gu_node(g, KT_GN_FILE, PIPE(8), 0) &&
		  e->confidence == KT_G_EXACT && strstr(e->reason, "writer"),
		  "freed space woke the writer");
	KT_ASSERT(!gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 1), gu_thr(g, 2)),
		  "a read is not a message");
	KT_ASSERT(gu_edge(g, KT_GE_WOKE, gu_thr(g, 1), gu_thr(g, 2)),
		  "the wakeup itself");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* Two threads writing the same pipe at once: which bytes each put in
 * first is not recorded, so their messages say so. */
KT_TEST(causal_graph_msgs_shared)
{
	struct kt_graph_opts o = OPTS;
	const struct kt_gedge *e;
	struct kt_graph *g;
	struct cs s;

	cs_init(&s);
	cs_task(&s, 1, 1, "reader");
	cs_task(&s, 2, 2, "a");
	cs_task(&s, 3, 3, "b");
	cs_sys(&s, 130, 1, 3, SYS_write, 10, 10, 4, PIPE(9), KT_SYSCALL_WOKE);
	cs_sys(&s, 150, 0, 2, SYS_write, 50, 10, 4, PIPE(9), KT_SYSCALL_WOKE);
	cs_sys(&s, 200, 2, 1, SYS_read, 10, 20, 3, PIPE(9), 0);
	g = gu_build(&s, &o);
	KT_ASSERT(g, "build");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 2), gu_thr(g, 1));
	KT_ASSERT(e && e->bytes == 10 && e->confidence == KT_G_NEAR &&
		  strstr(e->reason, "at once"), "a's 10 bytes, order a guess");
	e = gu_edge(g, KT_GE_WROTE_READ, gu_thr(g, 3), gu_thr(g, 1));
	KT_ASSERT(e && e->bytes == 10 && e->confidence == KT_G_NEAR, "b's 10 bytes");
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}
