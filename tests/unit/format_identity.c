// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One identity per thread across exec, whatever order the proc events
 * reach the writer in (issue 10 §3).  A recorder drains its per-CPU rings
 * in turns, so a child's comm and exec (on one CPU) can reach the writer a
 * frame before the fork that made it (on another); the writer then met
 * the child's tid before its fork.  The child must keep one utid, named
 * after its parent until the exec and after the new image from then on.
 */
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "stream_util.h"
#include "format/format_int.h"

static char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, 256, "%s/%s", kt_test_tmpdir(), name);
	return p;
}

static const char *const S[] = { "cnt", "/tmp/cnt", "taskset", "bash" };
static const __u32 SL[] = { 3, 8, 7, 4 };
static const struct kt_strtab STRS = { S, SL, 4 };

static struct kt_event mk(unsigned kind, __u64 ts, __u32 tid, __u32 pid)
{
	struct kt_event e = ev_base(kind, ts, 0, tid, pid);

	e.strs = &STRS;
	return e;
}

static int apply(struct kt_tasks *t, struct kt_event e, __u32 *u)
{
	return kt_tasks_apply(t, &e, u);
}

/* The table on its own: proc events applied out of time order. */
KT_TEST(format_tasks_late_fork)
{
	struct kt_tasks *t = kt_tasks_new();
	struct kt_task snap = { .tid = 100, .pid = 100, .ppid = 1,
				.comm = "bash", .exe = "/bin/bash",
				.cgroup = "/user", .flags = KT_TASK_SNAPSHOT,
				.start_ns = 1 };
	struct kt_task born = { .tid = 500, .pid = 500, .ppid = 100,
				.comm = "bash", .exe = "/bin/bash",
				.flags = KT_TASK_SNAPSHOT,
				.start_ns = 1000000000 };
	const struct kt_task *k;
	struct kt_event e;
	__u32 u, cu;

	KT_ASSERT(t && kt_tasks_add(t, &snap) == 0 &&
		  kt_tasks_add(t, &born) == 0, "snapshot");
	/* the child's rename and exec (cpu 0) come first... */
	e = mk(KT_PROC_COMM, 50, 200, 200);
	e.comm.comm_str = 1;
	KT_ASSERT(apply(t, e, &cu) == 0 && cu == 3, "comm makes %u", cu);
	e = mk(KT_PROC_EXEC, 51, 200, 200);
	e.exec.old_tid = 200;
	e.exec.comm_str = 1;
	e.exec.filename_str = 2;
	KT_ASSERT(apply(t, e, &u) == 0 && u == cu, "exec %u", u);
	/* ...then the fork (cpu 1): it adopts the task, keeps its name */
	e = mk(KT_PROC_FORK, 10, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 200;
	e.fork.child_comm_str = 4;
	KT_ASSERT(apply(t, e, &u) == 0 && u == 1, "fork");
	k = kt_tasks_find(t, 200);
	KT_ASSERT(k && k->utid == cu && kt_tasks_count(t) == 3,
		  "the child has two identities: %u and %u", k ? k->utid : 0, cu);
	KT_ASSERT(!strcmp(k->comm, "cnt") && !strcmp(k->exe, "/tmp/cnt") &&
		  k->ppid == 100 && k->start_ns == 10 &&
		  !strcmp(k->cgroup, "/user"), "child %s %s %u %llu", k->comm,
		  k->exe, k->ppid, (unsigned long long)k->start_ns);
	/* a rename and an exec older than the last ones change nothing */
	e = mk(KT_PROC_COMM, 20, 200, 200);
	e.comm.comm_str = 3;
	KT_ASSERT(apply(t, e, &u) == 0 && u == cu, "old comm");
	e = mk(KT_PROC_EXEC, 21, 200, 200);
	e.exec.comm_str = 3;
	e.exec.filename_str = 3;
	KT_ASSERT(apply(t, e, &u) == 0 && u == cu, "old exec");
	k = kt_tasks_get(t, cu);
	KT_ASSERT(!strcmp(k->comm, "cnt") && !strcmp(k->exe, "/tmp/cnt"),
		  "an older rename won: %s %s", k->comm, k->exe);
	/* exit, then the tid is reused by a later fork: a new identity */
	e = mk(KT_PROC_EXIT, 60, 200, 200);
	KT_ASSERT(apply(t, e, &u) == 0 && u == cu, "exit");
	e = mk(KT_PROC_FORK, 70, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 200;
	KT_ASSERT(apply(t, e, &u) == 0 &&
		  kt_tasks_find(t, 200)->utid == cu + 1 &&
		  !strcmp(kt_tasks_find(t, 200)->comm, "bash"), "reuse");
	/* an exit before its fork: the fork adopts the ended task */
	e = mk(KT_PROC_EXIT, 80, 300, 300);
	KT_ASSERT(apply(t, e, &cu) == 0 && cu == 5, "exit makes %u", cu);
	e = mk(KT_PROC_FORK, 75, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 300;
	KT_ASSERT(apply(t, e, &u) == 0 && kt_tasks_find(t, 300)->utid == cu &&
		  kt_tasks_find(t, 300)->end_ns == 80, "exit first");
	/* a task met before the fork is another incarnation of the tid */
	e = mk(KT_PROC_COMM, 5, 400, 400);
	e.comm.comm_str = 3;
	KT_ASSERT(apply(t, e, &cu) == 0, "comm 400");
	e = mk(KT_PROC_FORK, 90, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 400;
	KT_ASSERT(apply(t, e, &u) == 0 && kt_tasks_find(t, 400)->utid != cu,
		  "an older task was adopted");
	/* forked while the snapshot was taken: in both, one identity */
	e = mk(KT_PROC_FORK, 1004000000, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 500;
	KT_ASSERT(apply(t, e, &u) == 0 && kt_tasks_find(t, 500)->utid == 2,
		  "snapshot child %u", kt_tasks_find(t, 500)->utid);
	e = mk(KT_PROC_FORK, 1100000000, 100, 100);
	e.fork.child_tid = e.fork.child_pid = 500;
	KT_ASSERT(apply(t, e, &u) == 0 && kt_tasks_find(t, 500)->utid != 2,
		  "a fork 100 ms after the snapshot's start time adopted it");
	kt_tasks_free(t);
	return KT_PASS;
}

/* ------------------------------------------------ through the file */

#define MS 1000000ULL
#define T0 (1000 * MS)
#define WRAP 1000               /* the wrapper's parent, on cpu 1 */
#define CHILD 1001              /* bash, then exec'd into cnt on cpu 0 */
#define NOISE 2000
#define FORK_AT (T0 + 12300 * MS)
#define EXEC_AT (T0 + 12350 * MS)  /* the same 100 ms drain */
#define EXIT_AT (T0 + 25000 * MS)
#define END_AT (T0 + 30000 * MS)
#define OPENAT 257
#define PRE_EXEC 3              /* the shell's own openat before exec */

/* gen - the events of the capture in time order, with the strings'
 * text in @txt (interned when written); returns the count. */
static size_t gen(struct kt_event *evs, const char **txt, size_t cap)
{
	size_t n = 0;
	__u64 ts;

#define ADD(e, s) do { if (n < cap) { txt[n] = (s); evs[n++] = (e); } } while (0)
	for (ts = T0; ts < END_AT; ts += MS / 2) {
		struct kt_event e = mk(KT_SYSCALL, ts, NOISE, NOISE);

		e.cpu = (ts / MS) & 1;
		e.sys.nr = 39;
		if (ts == FORK_AT) {
			e = mk(KT_PROC_FORK, ts, WRAP, WRAP);
			e.cpu = 1;
			e.fork.child_tid = e.fork.child_pid = CHILD;
			ADD(e, "bash");
			continue;
		}
		if (ts > FORK_AT && ts < FORK_AT + 10 * MS &&
		    ts - FORK_AT <= PRE_EXEC * MS && (ts - FORK_AT) % MS == 0) {
			e = mk(KT_SYSCALL, ts, CHILD, CHILD);
			e.cpu = 1;
			e.sys.nr = OPENAT;
			ADD(e, NULL);
			continue;
		}
		if (ts == EXEC_AT) {
			e = mk(KT_PROC_COMM, ts, CHILD, CHILD);
			ADD(e, "cnt");
			e = mk(KT_PROC_EXEC, ts + 1, CHILD, CHILD);
			e.exec.old_tid = CHILD;
			ADD(e, "cnt");
			continue;
		}
		if (ts > EXEC_AT && ts < EXIT_AT && (ts / (MS / 2)) % 5 == 0) {
			e = mk(KT_SYSCALL, ts, CHILD, CHILD);
			e.sys.nr = OPENAT;
			ADD(e, NULL);
			continue;
		}
		if (ts == EXIT_AT) {
			e = mk(KT_PROC_EXIT, ts, CHILD, CHILD);
			e.exit.exit_code = 3 << 8;
			ADD(e, NULL);
			continue;
		}
		ADD(e, NULL);
	}
#undef ADD
	return n;
}

static int add(struct kt_writer *w, struct kt_event e, const char *s)
{
	__u32 h = s ? kt_writer_str(w, s, strlen(s)) : 0;

	e.strs = NULL;
	switch (e.kind) {
	case KT_PROC_FORK:
		e.fork.child_comm_str = h;
		break;
	case KT_PROC_EXEC:
		e.exec.comm_str = h;
		e.exec.filename_str = kt_writer_str(w, "/tmp/cnt", 8);
		break;
	case KT_PROC_COMM:
		e.comm.comm_str = h;
		break;
	}
	return kt_writer_add(w, &e);
}

/*
 * write_capture - write @evs as a recorder would: in 100 ms drains, cpu 0's
 * ring before cpu 1's, a frame at least every second; the drain that holds
 * the exec also ends a frame between the two rings (a full frame), so that
 * the exec is written a frame before the fork.  @in_order: plain time order.
 */
static int write_capture(const char *path, const struct kt_event *evs,
			 const char **txt, size_t n, bool in_order)
{
	struct kt_writer_opts o = { .frame_events = 4096 };
	struct kt_task wrap = { .tid = WRAP, .pid = WRAP, .ppid = 1,
				.comm = "bash", .exe = "/bin/bash",
				.flags = KT_TASK_SNAPSHOT };
	struct kt_task noise = { .tid = NOISE, .pid = NOISE, .ppid = 1,
				 .comm = "noise", .flags = KT_TASK_SNAPSHOT };
	struct kt_writer *w;
	size_t i = 0;
	int err;

	err = kt_writer_open(&w, path, &o, NULL);
	if (err)
		return err;
	err = kt_writer_task(w, &wrap) ?: kt_writer_task(w, &noise);
	for (__u64 d = T0; !err && i < n; d += 100 * MS) {
		size_t j = i;

		while (j < n && evs[j].ts < d + 100 * MS)
			j++;
		for (int cpu = 0; cpu < 2 && !err; cpu++) {
			for (size_t k = i; k < j && !err; k++)
				if (in_order ? cpu == 0 : evs[k].cpu == cpu)
					err = add(w, evs[k], txt[k]);
			if (!in_order && cpu == 0 && d == FORK_AT)
				err = err ?: kt_writer_flush(w);
		}
		i = j;
		if (!err && (d - T0) % (1000 * MS) == 900 * MS)
			err = kt_writer_flush(w);
	}
	if (err) {
		kt_writer_abort(w);
		return err;
	}
	return kt_writer_close(w, NULL);
}

struct seen {
	__u32 utid;
	char comm[16];
};

/* read_all - utid and name at its time of every event of the file. */
static int read_all(const char *path, struct seen *out, size_t n)
{
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	size_t i = 0;
	int rc;

	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open %s", err.msg);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		const struct kt_task *k = kt_tasks_get(kt_reader_tasks(r),
						       ev->utid);

		KT_ASSERT(i < n, "more events than written");
		out[i].utid = ev->utid;
		snprintf(out[i].comm, sizeof(out[i].comm), "%s", k ? k->comm : "?");
		i++;
	}
	KT_ASSERT(rc == 0 && i == n, "read %zu of %zu: %s", i, n, err.msg);
	kt_reader_close(r);
	return KT_PASS;
}

/* check_child - the child's events: one utid, "bash" until the exec and
 * "cnt" after it; the counts a syscount by name and by pid would give. */
static int check_child(const struct kt_event *evs, const struct seen *s,
		       size_t n)
{
	__u32 u = 0, by_name = 0, by_pid = 0;

	for (size_t i = 0; i < n; i++) {
		const struct kt_event *e = &evs[i];
		bool child = e->tid == CHILD ||
			     (e->kind == KT_PROC_FORK && e->fork.child_tid == CHILD);

		if (!child || e->kind == KT_PROC_FORK)
			continue;
		if (!u)
			u = s[i].utid;
		KT_ASSERT(s[i].utid == u, "event %zu (kind %u at %llu): utid %u,"
			  " the child's is %u", i, e->kind,
			  (unsigned long long)e->ts, s[i].utid, u);
		KT_ASSERT(!strcmp(s[i].comm, e->ts < EXEC_AT ? "bash" : "cnt"),
			  "event %zu at %llu named %s", i,
			  (unsigned long long)e->ts, s[i].comm);
		if (e->kind == KT_SYSCALL && e->sys.nr == OPENAT) {
			by_pid++;
			by_name += !strcmp(s[i].comm, "cnt");
		}
	}
	KT_ASSERT(by_pid == by_name + PRE_EXEC && by_name > 1000,
		  "openat: %u by pid, %u named cnt", by_pid, by_name);
	return KT_PASS;
}

/* seek_child - after a seek to @ts the child's next event has @utid and
 * @comm (the table is the keyframe's, brought forward). */
static int seek_child(const char *path, __u64 ts, __u32 utid,
		      const char *comm)
{
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	int rc;

	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open");
	KT_ASSERT(kt_reader_seek(r, ts, &err) == 0, "seek %s", err.msg);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1 && ev->tid != CHILD)
		;
	KT_ASSERT(rc == 1, "no child event after %llu", (unsigned long long)ts);
	KT_ASSERT(ev->utid == utid &&
		  !strcmp(kt_tasks_get(kt_reader_tasks(r), utid)->comm, comm),
		  "seek to %llu: utid %u (want %u) named %s (want %s)",
		  (unsigned long long)ts, ev->utid, utid,
		  kt_tasks_get(kt_reader_tasks(r), ev->utid) ?
		  kt_tasks_get(kt_reader_tasks(r), ev->utid)->comm : "?", comm);
	kt_reader_close(r);
	return KT_PASS;
}

KT_TEST(format_exec_identity_frames)
{
	size_t cap = 70000, n;
	struct kt_event *evs = calloc(cap, sizeof(*evs));
	const char **txt = calloc(cap, sizeof(*txt));
	struct seen *late = calloc(cap, sizeof(*late));
	struct seen *timed = calloc(cap, sizeof(*timed));
	char *p_late = tmp_path("late.ktr"), *p_timed = tmp_path("timed.ktr");
	__u32 u = 0;
	int rc;

	KT_ASSERT(evs && txt && late && timed, "out of memory");
	n = gen(evs, txt, cap);
	KT_ASSERT(n < cap, "cap");
	KT_ASSERT(write_capture(p_late, evs, txt, n, false) == 0, "write");
	KT_ASSERT(write_capture(p_timed, evs, txt, n, true) == 0, "write");
	/* the events come back in time order: index i is evs[i] */
	if ((rc = read_all(p_late, late, n)) || (rc = read_all(p_timed, timed, n)))
		return rc;
	if ((rc = check_child(evs, timed, n)) || (rc = check_child(evs, late, n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		KT_ASSERT(late[i].utid == timed[i].utid &&
			  !strcmp(late[i].comm, timed[i].comm),
			  "event %zu: %u %s written late, %u %s in order", i,
			  late[i].utid, late[i].comm, timed[i].utid,
			  timed[i].comm);
		if (evs[i].tid == CHILD)
			u = late[i].utid;
	}
	/* seeks land after keyframes (every 10 s): before and after exec */
	if ((rc = seek_child(p_late, FORK_AT + 1, u, "bash")) ||
	    (rc = seek_child(p_late, EXEC_AT + MS, u, "cnt")) ||
	    (rc = seek_child(p_late, T0 + 21000 * MS, u, "cnt")))
		return rc;
	free(evs);
	free(txt);
	free(late);
	free(timed);
	return KT_PASS;
}
