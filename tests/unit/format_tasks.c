// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The task table and the in-memory event source. */
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "stream_util.h"
#include "format/format_int.h"

static const char *const S[] = { "worker", "/bin/true", "true\0-x\0", "sh" };
static const __u32 SL[] = { 6, 9, 8, 2 };
static const struct kt_strtab STRS = { S, SL, 4 };

static struct kt_event mk(unsigned kind, __u64 ts, __u32 tid, __u32 pid)
{
	struct kt_event e = ev_base(kind, ts, 0, tid, pid);

	e.strs = &STRS;
	return e;
}

KT_TEST(format_tasks_lifecycle)
{
	struct kt_tasks *t = kt_tasks_new();
	struct kt_task snap = { .tid = 100, .pid = 100, .ppid = 1,
				.comm = "bash", .exe = "/bin/bash",
				.cmdline = "bash\0", .cmdline_len = 5,
				.cgroup = "/user", .flags = KT_TASK_SNAPSHOT };
	const struct kt_task *k;
	struct kt_event e;
	__u32 u;

	KT_ASSERT(t && kt_tasks_add(t, &snap) == 0, "add");
	k = kt_tasks_find(t, 100);
	KT_ASSERT(k && k->utid == 1 && !strcmp(k->comm, "bash") &&
		  k->cmdline_len == 5 && !strcmp(k->cgroup, "/user"), "snapshot");
	/* fork a process: child inherits names, gets utid 2 */
	e = mk(KT_PROC_FORK, 10, 100, 100);
	e.fork.child_tid = 200;
	e.fork.child_pid = 200;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 1, "fork subj %u", u);
	k = kt_tasks_find(t, 200);
	KT_ASSERT(k && k->utid == 2 && k->ppid == 100 && k->start_ns == 10 &&
		  !strcmp(k->comm, "bash") && !strcmp(k->exe, "/bin/bash"),
		  "child");
	/* a thread of it, named */
	e = mk(KT_PROC_FORK, 11, 200, 200);
	e.fork.child_tid = 201;
	e.fork.child_pid = 200;
	e.fork.flags = KT_FORK_THREAD;
	e.fork.child_comm_str = 1;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 2, "thread");
	k = kt_tasks_find(t, 201);
	KT_ASSERT(k && k->utid == 3 && k->ppid == 100 && k->pid == 200 &&
		  !strcmp(k->comm, "worker"), "thread task");
	/* exec renames, keeps the utid */
	e = mk(KT_PROC_EXEC, 12, 200, 200);
	e.exec.old_tid = 200;
	e.exec.filename_str = 2;
	e.exec.argv_str = 3;
	e.exec.comm_str = 4;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 2, "exec");
	k = kt_tasks_get(t, 2);
	KT_ASSERT(!strcmp(k->exe, "/bin/true") && !strcmp(k->comm, "sh") &&
		  k->cmdline_len == 8 && !memcmp(k->cmdline, "true\0-x\0", 8),
		  "exec names");
	/* exit, then the tid is reused: new utid, old stays by utid */
	e = mk(KT_PROC_EXIT, 13, 200, 200);
	e.exit.exit_code = 7 << 8;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 2, "exit");
	KT_ASSERT(kt_tasks_find(t, 200)->end_ns == 13 &&
		  kt_tasks_find(t, 200)->exit_code == 7 << 8, "exit fields");
	e = mk(KT_PROC_COMM, 14, 200, 200);
	e.comm.comm_str = 1;
	/* comm of a known (exited) tid renames it */
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 2, "comm");
	e = mk(KT_PROC_FORK, 15, 100, 100);
	e.fork.child_tid = 200;
	e.fork.child_pid = 200;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0, "refork");
	KT_ASSERT(kt_tasks_find(t, 200)->utid == 4 &&
		  kt_tasks_get(t, 2)->end_ns == 13, "tid reuse");
	/* unknown tid: comm creates, other kinds report 0 */
	e = mk(KT_SYSCALL, 16, 999, 999);
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 0, "unknown");
	e = mk(KT_PROC_COMM, 17, 999, 998);
	e.comm.comm_str = 4;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0 && u == 5, "comm new");
	KT_ASSERT(kt_tasks_count(t) == 5, "count %u", kt_tasks_count(t));
	kt_tasks_free(t);
	return KT_PASS;
}

static int collect(const struct kt_task *k, void *arg)
{
	__u32 *prev = arg;

	if (k->utid <= *prev)
		return 1;
	*prev = k->utid;
	return 0;
}

/* Keyframes: encode, decode, compare; hints override utid assignment. */
KT_TEST(format_tasks_keyframe)
{
	struct kt_tasks *t = kt_tasks_new(), *d = NULL, *dup;
	struct kt_buf b = { 0 };
	struct kt_task k = { .ppid = 1, .comm = "c", .exe = "", .cgroup = "" };
	struct kt_event e;
	__u32 u, prev = 0;

	for (__u32 i = 0; i < 3000; i++) {
		k.tid = k.pid = 1000 + i;
		k.end_ns = i % 3 == 0 ? 5 + i : 0;
		KT_ASSERT(kt_tasks_add(t, &k) == 0, "add");
	}
	KT_ASSERT(kt_tasks_encode(t, 1000, &b) == 0, "encode");
	KT_ASSERT(kt_tasks_decode(b.p, b.len, &d) == 0, "decode");
	/* ended before 1000 (i%3==0 && i < 995: 332 tasks) are left out */
	KT_ASSERT(kt_tasks_count(d) == 3000 - 332, "count %u", kt_tasks_count(d));
	KT_ASSERT(kt_tasks_next_utid(d) == 3001, "next");
	KT_ASSERT(kt_tasks_find(d, 1001)->utid == 2, "find");
	KT_ASSERT(!kt_tasks_find(d, 1000), "dead gone");
	KT_ASSERT(kt_tasks_foreach(d, collect, &prev) == 0, "utid order");
	/* a truncated body is rejected at any length */
	for (size_t n = 0; n < b.len; n += 97) {
		struct kt_tasks *x = NULL;

		KT_ASSERT(kt_tasks_decode(b.p, n, &x) == -EBADMSG, "cut %zu", n);
	}
	/* hints: a fork whose child the writer named utid 7000 */
	e = mk(KT_PROC_FORK, 2000, 1001, 1001);
	e.fork.child_tid = 5;
	e.fork.child_pid = 5;
	KT_ASSERT(kt_tasks_apply_hint(d, &e, 2, 7000, &u) == 0 && u == 2,
		  "hint subj");
	KT_ASSERT(kt_tasks_find(d, 5)->utid == 7000 &&
		  kt_tasks_next_utid(d) == 7001, "hint child");
	dup = kt_tasks_dup(d);
	KT_ASSERT(dup && kt_tasks_count(dup) == kt_tasks_count(d) &&
		  kt_tasks_find(dup, 5)->utid == 7000 &&
		  kt_tasks_next_utid(dup) == 7001, "dup");
	kt_tasks_free(dup);
	kt_tasks_free(d);
	kt_tasks_free(t);
	kt_buf_release(&b);
	return KT_PASS;
}

KT_TEST(format_source_mem)
{
	struct kt_event evs[3];
	struct kt_task snap = { .tid = 100, .pid = 100, .comm = "bash" };
	struct kt_source *s;
	const struct kt_event *ev;
	struct kt_err err;

	evs[0] = mk(KT_SYSCALL, 1, 100, 100);
	evs[0].strs = NULL;
	evs[1] = mk(KT_PROC_FORK, 2, 100, 100);
	evs[1].fork.child_tid = 101;
	evs[1].fork.child_pid = 101;
	evs[1].fork.child_comm_str = 1;
	evs[2] = mk(KT_SCHED_SWITCH, 3, 101, 101);
	s = kt_source_mem(evs, 3, &STRS, &snap, 1);
	KT_ASSERT(s, "new");
	KT_ASSERT(s->next(s, &ev, &err) == 1 && ev->utid == 1 &&
		  ev->strs == &STRS && ev->ts == 1, "first");
	KT_ASSERT(s->next(s, &ev, &err) == 1 && ev->utid == 1, "fork");
	KT_ASSERT(!strcmp(kt_tasks_find(s->tasks(s), 101)->comm, "worker"),
		  "child named");
	KT_ASSERT(s->next(s, &ev, &err) == 1 && ev->utid == 2, "child ev");
	KT_ASSERT(s->next(s, &ev, &err) == 0, "end");
	kt_source_free(s);
	kt_source_free(NULL);
	return KT_PASS;
}

/* The scope marks: a fork flagged KT_FORK_INSCOPE puts its child in the
 * scope, one without leaves it out, whatever the parent is. */
KT_TEST(format_tasks_scope_marks)
{
	struct kt_tasks *t = kt_tasks_new();
	struct kt_task snap = { .tid = 100, .pid = 100, .ppid = 1,
				.comm = "sh", .exe = "", .cmdline = "",
				.cgroup = "",
				.flags = KT_TASK_SNAPSHOT | KT_TASK_INSCOPE };
	const struct kt_task *k;
	struct kt_event e;
	__u32 u;

	KT_ASSERT(t && kt_tasks_add(t, &snap) == 0, "add");
	e = mk(KT_PROC_FORK, 10, 100, 100);
	e.fork.child_tid = 200;
	e.fork.child_pid = 200;
	e.fork.flags = KT_FORK_INSCOPE;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0, "fork in");
	e = mk(KT_PROC_FORK, 11, 100, 100);
	e.fork.child_tid = 300;
	e.fork.child_pid = 300;
	KT_ASSERT(kt_tasks_apply(t, &e, &u) == 0, "fork out");
	k = kt_tasks_find(t, 200);
	KT_ASSERT(k && (k->flags & KT_TASK_INSCOPE), "followed child in scope");
	k = kt_tasks_find(t, 300);
	KT_ASSERT(k && !(k->flags & KT_TASK_INSCOPE), "unfollowed child out");
	kt_tasks_free(t);
	return KT_PASS;
}
