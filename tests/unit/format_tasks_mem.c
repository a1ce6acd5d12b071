// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the task table costs per thread (issue 14, "Scale"): a fork/exec
 * storm names tens of thousands of threads with a few names, images,
 * command lines and cgroups; each distinct string is stored once, and a
 * thread costs its task, its index slot and its tid map slot.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "stream_util.h"
#include "format/format_int.h"

/* The programs the storm runs: handles 3i+1 (image), 3i+2 (argv), 3i+3
 * (comm). */
static const char *const S[] = {
	"/usr/bin/cc", "cc\0-c\0-O2\0-Wall\0-o\0x.o\0x.c\0", "cc",
	"/bin/sh", "sh\0-c\0true\0", "sh",
	"/usr/bin/ld.bfd", "ld\0-o\0a.out\0x.o\0y.o\0", "ld",
	"renamed",
};
static const __u32 SL[] = { 11, 27, 2, 7, 11, 2, 15, 20, 2, 7 };
static const struct kt_strtab STRS = { S, SL, 10 };

#define STORM 20000

/* The bound asserted per thread: a task is 104 bytes (struct kt_task and
 * the three times the table keeps), its slot in the utid index 8, its
 * tid map slot 16 to 32 (at most half full, doubling): 128 to 144 bytes;
 * the rest covers partly filled slabs, pages and string chunks.  A heap
 * block per task and a copy of every string, as before, cost 450 bytes
 * and more. */
#define MAX_BYTES_PER_TASK 200

static struct kt_event mk(unsigned kind, __u64 ts, __u32 tid, __u32 pid)
{
	struct kt_event e = ev_base(kind, ts, 0, tid, pid);

	e.strs = &STRS;
	return e;
}

/* heap_used - bytes the allocator has handed out, or 0 when it does not
 * say (a sanitizer's allocator). */
static void *volatile probe;    /* volatile: the probe is not elided */

static size_t heap_used(void)
{
	struct mallinfo2 a = mallinfo2(), b;

	probe = malloc(4096);
	b = mallinfo2();
	free(probe);
	if (b.uordblks == a.uordblks && b.hblkhd == a.hblkhd)
		return 0;
	return a.uordblks + a.hblkhd;
}

/* storm - a make running STORM short processes: fork, exec of one of
 * three programs, exit; then STORM kernel threads added by kt_tasks_add
 * as a keyframe or snapshot does. */
static int storm(struct kt_tasks *t)
{
	static const char cmd[] = "make\0-j2\0CFLAGS=-O2 -g -Wall -Wextra "
		"-Werror -fno-omit-frame-pointer\0LDFLAGS=-Wl,--as-needed\0all\0";
	struct kt_task k = { .tid = 100, .pid = 100, .ppid = 1,
			     .comm = "make", .exe = "/usr/bin/make",
			     .cmdline = cmd, .cmdline_len = sizeof(cmd) - 1,
			     .cgroup = "/user.slice/user-0.slice/session-4.scope",
			     .flags = KT_TASK_SNAPSHOT };
	struct kt_event e;
	__u32 u;

	if (kt_tasks_add(t, &k))
		return -1;
	for (__u32 i = 0; i < STORM; i++) {
		__u64 ts = 10 * (__u64)i + 1;
		__u32 c = 1000 + i, prog = i % 3;

		e = mk(KT_PROC_FORK, ts, 100, 100);
		e.fork.child_tid = c;
		e.fork.child_pid = c;
		if (kt_tasks_apply(t, &e, &u))
			return -1;
		e = mk(KT_PROC_EXEC, ts + 2, c, c);
		e.exec.old_tid = c;
		e.exec.filename_str = 3 * prog + 1;
		e.exec.argv_str = 3 * prog + 2;
		e.exec.comm_str = 3 * prog + 3;
		if (kt_tasks_apply(t, &e, &u))
			return -1;
		e = mk(KT_PROC_EXIT, ts + 5, c, c);
		if (kt_tasks_apply(t, &e, &u))
			return -1;
	}
	memset(&k, 0, sizeof(k));
	k.ppid = 2;
	k.comm = "kworker/u4:2";
	k.cgroup = "/";
	k.flags = KT_TASK_KTHREAD | KT_TASK_SNAPSHOT;
	for (__u32 i = 0; i < STORM; i++) {
		k.tid = k.pid = 100000 + i;
		if (kt_tasks_add(t, &k))
			return -1;
	}
	return 0;
}

KT_TEST(format_tasks_mem_storm)
{
	struct kt_tasks *t, *d = NULL;
	struct kt_tasks_stats st, ds;
	struct kt_buf b = { 0 };
	const struct kt_task *k;
	size_t h0 = heap_used(), h1;

	t = kt_tasks_new();
	KT_ASSERT(t && storm(t) == 0, "storm");
	h1 = heap_used();
	kt_tasks_stats(t, &st);
	KT_ASSERT(st.tasks == 2 * STORM + 1 && st.tasks == kt_tasks_count(t),
		  "tasks %u", st.tasks);
	/* make's four strings, three programs' three, the kworker's two */
	KT_ASSERT(st.strings == 4 + 9 + 2, "strings %u", st.strings);
	KT_ASSERT(st.bytes / st.tasks < MAX_BYTES_PER_TASK,
		  "%zu bytes for %u tasks: %zu a task", st.bytes, st.tasks,
		  st.bytes / st.tasks);
	/* the heap agrees with the table's accounting (allocator headers,
	 * a few per cent, aside) */
	if (h0 && h1) {
		KT_ASSERT((h1 - h0) / st.tasks < MAX_BYTES_PER_TASK + 8,
			  "heap grew %zu bytes for %u tasks", h1 - h0, st.tasks);
		KT_ASSERT(h1 - h0 >= st.bytes - st.bytes / 20 &&
			  h1 - h0 <= st.bytes + st.bytes / 10 + 65536,
			  "heap grew %zu bytes, the table says %zu", h1 - h0,
			  st.bytes);
	}
	k = kt_tasks_find(t, 1000 + 7);
	KT_ASSERT(k && !strcmp(k->comm, "sh") && !strcmp(k->exe, "/bin/sh") &&
		  k->cmdline_len == 11 && !memcmp(k->cmdline, S[4], 12) &&
		  k->end_ns == 10 * 7 + 6 && !strcmp(k->cgroup,
		  "/user.slice/user-0.slice/session-4.scope"), "task 1007");
	KT_ASSERT(k->exe == kt_tasks_find(t, 1000 + 4)->exe &&
		  k->cgroup == kt_tasks_find(t, 100)->cgroup, "shared");
	/* a keyframe of it decodes to as few strings */
	KT_ASSERT(kt_tasks_encode(t, 0, &b) == 0 &&
		  kt_tasks_decode(b.p, b.len, &d) == 0, "keyframe");
	kt_tasks_stats(d, &ds);
	KT_ASSERT(ds.tasks == st.tasks && ds.strings == st.strings &&
		  ds.bytes / ds.tasks < MAX_BYTES_PER_TASK, "decoded: %u tasks, "
		  "%u strings, %zu bytes", ds.tasks, ds.strings, ds.bytes);
	free(b.p);
	kt_tasks_free(d);
	kt_tasks_free(t);
	return KT_PASS;
}

struct cmp_ctx {
	const struct kt_tasks *other;
	__u32 n;
};

static int same_task(const struct kt_task *a, void *arg)
{
	struct cmp_ctx *c = arg;
	const struct kt_task *b = kt_tasks_get(c->other, a->utid);

	c->n++;
	return !b || strcmp(a->comm, b->comm) || strcmp(a->exe, b->exe) ||
	       strcmp(a->cgroup, b->cgroup) || a->cmdline_len != b->cmdline_len ||
	       memcmp(a->cmdline, b->cmdline, a->cmdline_len + 1);
}

/* Distinct strings are each stored once and read back as given, NULs
 * inside a command line included; replaced strings stay valid. */
KT_TEST(format_tasks_mem_distinct)
{
	struct kt_tasks *t = kt_tasks_new(), *dup;
	struct kt_tasks_stats st;
	struct kt_task k = { .ppid = 1, .exe = "/bin/job" };
	struct cmp_ctx cc = { NULL, 0 };
	char cmd[64], comm[16], *big;
	const struct kt_task *g;
	const char *old;
	struct kt_event e;
	__u32 u;
	int n;

	KT_ASSERT(t, "new");
	for (__u32 i = 0; i < 1000; i++) {
		n = snprintf(cmd, sizeof(cmd), "job%c%u%c", 0, i, 0);
		snprintf(comm, sizeof(comm), "w%u", i % 10);
		k.tid = k.pid = 10 + i;
		k.comm = comm;
		k.cmdline = cmd;
		k.cmdline_len = n;
		k.cgroup = i % 2 ? "/a" : "/b";
		KT_ASSERT(kt_tasks_add(t, &k) == 0, "add %u", i);
	}
	kt_tasks_stats(t, &st);
	KT_ASSERT(st.strings == 1000 + 10 + 1 + 2, "strings %u", st.strings);
	for (__u32 i = 0; i < 1000; i++) {
		n = snprintf(cmd, sizeof(cmd), "job%c%u%c", 0, i, 0);
		snprintf(comm, sizeof(comm), "w%u", i % 10);
		g = kt_tasks_get(t, i + 1);
		KT_ASSERT(g && g->tid == 10 + i && !strcmp(g->comm, comm) &&
			  g->cmdline_len == (__u32)n &&
			  !memcmp(g->cmdline, cmd, n) && !g->cmdline[n] &&
			  !strcmp(g->cgroup, i % 2 ? "/a" : "/b") &&
			  !strcmp(g->exe, "/bin/job"), "task %u", i);
	}
	/* the same bytes with a NUL more or less are other strings */
	k.comm = "x";
	k.cgroup = "";
	k.exe = NULL;
	k.cmdline = "x\0\0";
	for (__u32 len = 1; len <= 3; len++) {
		k.tid = 5000 + len;
		k.utid = 0;
		k.cmdline_len = len;
		KT_ASSERT(kt_tasks_add(t, &k) == 0, "add x");
	}
	for (__u32 len = 1; len <= 3; len++) {
		g = kt_tasks_find(t, 5000 + len);
		KT_ASSERT(g->cmdline_len == len && !memcmp(g->cmdline, "x\0\0\0",
			  len + 1) && !*g->exe, "x len %u", len);
	}
	kt_tasks_stats(t, &st);
	KT_ASSERT(st.strings == 1013 + 3, "strings %u", st.strings);
	/* a rename: the task shows the new name, the old one stays valid */
	g = kt_tasks_find(t, 13);
	old = g->comm;
	e = (struct kt_event){ .kind = KT_PROC_COMM, .ts = 5, .tid = 13,
			       .pid = 13, .strs = &STRS };
	e.comm.comm_str = 10;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 4, "rename");
	KT_ASSERT(!strcmp(g->comm, "renamed") && !strcmp(old, "w3"), "names");
	/* a string larger than the pool's chunks */
	big = malloc(20000);
	KT_ASSERT(big, "malloc");
	memset(big, 'a', 20000);
	k.cmdline = big;
	k.cmdline_len = 20000;
	for (__u32 i = 0; i < 2; i++) {
		k.tid = 6000 + i;
		KT_ASSERT(kt_tasks_add(t, &k) == 0, "add big");
	}
	memset(big, 'b', 20000);
	g = kt_tasks_find(t, 6000);
	KT_ASSERT(g->cmdline_len == 20000 && g->cmdline[19999] == 'a' &&
		  !g->cmdline[20000] &&
		  g->cmdline == kt_tasks_find(t, 6001)->cmdline, "big");
	free(big);
	/* a copy holds the same strings */
	dup = kt_tasks_dup(t);
	KT_ASSERT(dup, "dup");
	cc.other = dup;
	KT_ASSERT(kt_tasks_foreach(t, same_task, &cc) == 0 &&
		  cc.n == kt_tasks_count(dup), "dup differs");
	kt_tasks_free(dup);
	kt_tasks_free(t);
	return KT_PASS;
}
