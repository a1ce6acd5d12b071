// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `ktrail verify` on synthetic streams: each check finds what it must in
 * a stream built to break it, and nothing in the same stream unbroken;
 * each rule that excuses a break (scope, kernel threads, followed forks,
 * lost events, hidden tasks, the recorder's own threads) is exercised by
 * a stream that gives a violation without it.
 */
#include <errno.h>
#include "stream_util.h"
#include "verify_util.h"


/* vrun - verify @evs (losses from the same stream) with @o; the findings
 * in @f, the stats in @st (may be NULL). */
static int vrun(const struct kt_event *evs, size_t n, const struct kt_task *tasks,
		size_t ntasks, const struct kt_verify_opts *o, struct found *f,
		struct kt_verify_stats *st)
{
	struct kt_source *s1 = kt_source_mem(evs, n, NULL, tasks, ntasks);
	struct kt_source *s2 = kt_source_mem(evs, n, NULL, tasks, ntasks);
	struct kt_verify *v = kt_verify_new(o, collect, f);
	struct kt_err err = { 0 };
	int rc = -ENOMEM;

	memset(f, 0, sizeof(*f));
	if (s1 && s2 && v)
		rc = kt_verify_losses(v, s1, &err) ?: kt_verify_run(v, s2, &err);
	if (st && v)
		kt_verify_stats(v, st);
	kt_verify_free(v);
	kt_source_free(s1);
	kt_source_free(s2);
	return rc;
}

static size_t count(const struct found *f, unsigned check, unsigned expl)
{
	size_t c = 0;

	for (size_t i = 0; i < f->n && i < MAXF; i++)
		c += f->v[i].check == check && f->v[i].explained == expl;
	return c;
}

/* say - every finding on stderr and the first as the reason */
static void say(const struct found *f)
{
	for (size_t i = 0; i < f->n && i < MAXF; i++)
		fprintf(stderr, "  %s %s at %llu cpu %d: %s\n",
			f->v[i].explained ? "explained" : "violation",
			kt_vcheck_name(f->v[i].check),
			(unsigned long long)f->v[i].ts, (int)f->v[i].cpu,
			f->v[i].detail);
	if (f->n)
		kt_test_reason("first finding: %s: %s; ",
			       kt_vcheck_name(f->v[0].check), f->v[0].detail);
}

#define EXPECT(f, cond, ...)                                            \
	do {                                                            \
		if (!(cond)) {                                          \
			say(f);                                         \
			KT_ASSERT(cond, __VA_ARGS__);                   \
		}                                                       \
	} while (0)

/* ------------------------------------------------------------ streams */

/*
 * A consistent whole-host stream on two CPUs: bash (100) and cat (200)
 * take turns on cpu 0 with the idle task, server (300) on cpu 1, each
 * making syscalls while on its CPU, waking each other.  @drop: the index
 * of an event to leave out (-1 none).  Returns the count (at most 32).
 */
static size_t host_stream(struct kt_event *out, int drop)
{
	struct kt_event e[32];
	size_t n = 0, m = 0;
	__u64 t = 1 * SEC;

	e[n++] = ev_switch(t, 0, 0, 0, 0, 100, 100);
	e[n++] = ev_switch(t + 1, 1, 0, 0, 0, 300, 300);
	e[n++] = ev_sys(t + 10 * US, 0, 100, 100, 0, 5 * US, 1);
	e[n++] = ev_sys(t + 20 * US, 1, 300, 300, 1, 8 * US, 1);
	e[n++] = ev_wake(t + 30 * US, 0, 100, 100, 200, 200);
	e[n++] = ev_switch(t + 40 * US, 0, 100, 100, KT_STATE_SLEEPING, 200, 200);
	e[n++] = ev_sys(t + 60 * US, 0, 200, 200, 0, 15 * US, 1);
	e[n++] = ev_sys(t + 70 * US, 1, 300, 300, 1, 9 * US, 1);
	e[n++] = ev_wake(t + 80 * US, 0, 200, 200, 100, 100);
	e[n++] = ev_switch(t + 90 * US, 0, 200, 200, KT_STATE_SLEEPING, 100, 100);
	e[n++] = ev_sys(t + 100 * US, 0, 100, 100, 0, 9 * US, 1);
	e[n++] = ev_switch(t + 110 * US, 1, 300, 300, KT_STATE_SLEEPING, 0, 0);
	e[n++] = ev_switch(t + 120 * US, 0, 100, 100, KT_STATE_SLEEPING, 0, 0);
	e[n++] = ev_wake(t + 130 * US, 1, 0, 0, 300, 300);
	e[n++] = ev_switch(t + 140 * US, 1, 0, 0, 0, 300, 300);
	e[n++] = ev_sys(t + 150 * US, 1, 300, 300, 1, 5 * US, 1);
	e[n++] = ev_switch(t + 160 * US, 0, 0, 0, 0, 100, 100);
	e[n++] = ev_switch(t + 170 * US, 1, 300, 300, KT_STATE_SLEEPING, 0, 0);
	for (size_t i = 0; i < n; i++)
		if ((int)i != drop)
			out[m++] = e[i];
	return m;
}

/* insert - @x into the time-ordered @e of *@n events. */
static void insert(struct kt_event *e, size_t *n, struct kt_event x)
{
	size_t i = *n;

	while (i && e[i - 1].ts > x.ts) {
		e[i] = e[i - 1];
		i--;
	}
	e[i] = x;
	(*n)++;
}

static const struct kt_verify_opts host = { .start_ns = 1 * SEC - MS };

KT_TEST(verify_clean_host)
{
	struct kt_event e[64];
	struct found f;
	struct kt_verify_stats st;
	size_t n = host_stream(e, -1), sw = 0;

	for (size_t i = 0; i < n; i++)
		sw += e[i].kind == KT_SCHED_SWITCH;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, &st) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "%zu findings in a consistent stream", f.n);
	KT_ASSERT(st.events == n && st.switches == sw && st.syscalls == 6 &&
		  st.wakeups == 3, "stats %llu %llu", (unsigned long long)st.events,
		  (unsigned long long)st.switches);
	return KT_PASS;
}

/* Continuity: every switch of the stream left out in turn is found, on its
 * CPU, at the next switch there, naming both tasks (a CPU's first and
 * last switches have no neighbour to disagree with). */
KT_TEST(verify_continuity)
{
	struct kt_event all[64], e[64];
	struct found f;
	size_t n0 = host_stream(all, -1), checked = 0;

	for (size_t d = 0; d < n0; d++) {
		bool before = false, after = false;
		size_t n;

		if (all[d].kind != KT_SCHED_SWITCH)
			continue;
		for (size_t i = 0; i < n0; i++)
			if (all[i].kind == KT_SCHED_SWITCH &&
			    all[i].cpu == all[d].cpu) {
				before |= i < d;
				after |= i > d;
			}
		n = host_stream(e, (int)d);
		KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f,
			       NULL) == 0, "run");
		EXPECT(&f, f.n == (before && after),
		       "switch %zu left out: %zu findings", d, f.n);
		if (!f.n)
			continue;
		KT_ASSERT(f.v[0].check == KT_V_CONTINUITY && !f.v[0].explained &&
			  f.v[0].cpu == all[d].cpu && f.v[0].ts > all[d].ts &&
			  f.v[0].since < all[d].ts && f.v[0].ntasks == 2 &&
			  f.v[0].task[0].tid == all[d].tid &&
			  f.v[0].task[1].tid == all[d].sw.next_tid,
			  "switch %zu: cpu %u ts %llu tasks %u %u", d, f.v[0].cpu,
			  (unsigned long long)f.v[0].ts, f.v[0].task[0].tid,
			  f.v[0].task[1].tid);
		checked++;
	}
	KT_ASSERT(checked == 5, "%zu switches checked", checked);
	return KT_PASS;
}

/* A thread put on cpu 1 while the last switch on cpu 0 put it there. */
KT_TEST(verify_two_cpus)
{
	struct kt_event e[8];
	struct found f;
	size_t n = 0;

	e[n++] = ev_switch(1 * SEC, 0, 0, 0, 0, 200, 200);
	e[n++] = ev_sys(1 * SEC + 5 * US, 0, 200, 200, 0, 1 * US, 1);
	e[n++] = ev_switch(1 * SEC + 10 * US, 1, 0, 0, 0, 200, 200);
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_TWO_CPUS, 0) == 1 &&
	       f.v[0].cpu == 1 && f.v[0].since == 1 * SEC &&
	       f.v[0].task[0].tid == 200, "two cpus: %zu findings", f.n);
	/* off cpu 0 first: fine */
	e[2] = ev_switch(1 * SEC + 8 * US, 0, 200, 200, 0, 0, 0);
	e[3] = ev_switch(1 * SEC + 10 * US, 1, 0, 0, 0, 200, 200);
	KT_ASSERT(vrun(e, 4, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "migration flagged");
	return KT_PASS;
}

/* A recovered capture (recovered.flushed_ns): a break after the last
 * flush of the recorder that died is explained as cut, one before it is
 * still a violation. */
KT_TEST(verify_cut_after_last_flush)
{
	struct kt_verify_opts o = host;
	struct kt_event e[4];
	struct found f;
	json_t *meta;
	size_t n = 0;

	e[n++] = ev_switch(1 * SEC, 0, 0, 0, 0, 200, 200);
	e[n++] = ev_sys(1 * SEC + 5 * US, 0, 200, 200, 0, 1 * US, 1);
	e[n++] = ev_switch(1 * SEC + 10 * US, 1, 0, 0, 0, 200, 200);
	o.cut_ns = 1 * SEC + 7 * US;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &o, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_TWO_CPUS, KT_VEXPL_CUT) == 1,
	       "after the cut: %zu findings", f.n);
	o.cut_ns = 1 * SEC + 20 * US;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &o, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_TWO_CPUS, 0) == 1,
	       "before the cut: %zu findings", f.n);
	meta = json_pack("{s:{s:I}}", "recovered", "flushed_ns", (json_int_t)77);
	kt_verify_opts_meta(meta, &o);
	json_decref(meta);
	KT_ASSERT(o.cut_ns == 77, "cut from the metadata: %llu",
		  (unsigned long long)o.cut_ns);
	return KT_PASS;
}

KT_TEST(verify_unknown_task)
{
	struct kt_event e[64];
	struct found f;
	size_t n = host_stream(e, -1);

	e[n++] = ev_wake(2 * SEC, 1, 0, 0, 999, 999);
	e[n++] = ev_wake(2 * SEC + 1, 1, 0, 0, 999, 999);
	e[n++] = ev_switch(2 * SEC + 2, 1, 0, 0, 0, 998, 998);
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	/* once per tid: 999 (the wakeup target), 998 (the next) */
	EXPECT(&f, f.n == 2 && count(&f, KT_V_UNKNOWN_TASK, 0) == 2 &&
	       f.v[0].task[0].tid == 999 && !strcmp(f.v[0].task[0].role,
						    "target") &&
	       f.v[1].task[0].tid == 998, "%zu findings", f.n);
	return KT_PASS;
}

KT_TEST(verify_syscall_overlap)
{
	struct kt_event e[64], ex;
	struct found f;
	size_t n = host_stream(e, -1);

	/* server's syscall at +70us began at +61us; one that ends at +72us
	 * after 12us began at +60us: before the other ended */
	insert(e, &n, ev_sys(1 * SEC + 72 * US, 1, 300, 300, 2, 12 * US, 1));
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_SYSCALL, 0) == 1 &&
	       f.v[0].since == 1 * SEC + 70 * US && f.v[0].task[0].tid == 300,
	       "%zu findings", f.n);
	/* back to back (start == previous end) is fine */
	n = host_stream(e, -1);
	insert(e, &n, ev_sys(1 * SEC + 72 * US, 1, 300, 300, 2, 2 * US, 1));
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "back to back flagged");
	/* a thread that exec'd took over the leader's tid (300): its execve
	 * began before the leader's last syscall ended, which is fine */
	ex = ev_base(KT_PROC_EXEC, 1 * SEC + 160 * US, 1, 300, 300);
	ex.exec.old_tid = 301;
	insert(e, &n, ex);
	insert(e, &n, ev_sys(1 * SEC + 165 * US, 1, 300, 300, 59, 40 * US, 0));
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "a non-leader's exec flagged");
	return KT_PASS;
}

static struct kt_event blk(__u64 ts, __u32 dev, __u64 sector, __u32 bytes,
			   __u32 op, __u64 service, __u64 queue, __u32 flags)
{
	struct kt_event e = ev_base(KT_BLOCK_RQ, ts, 0, 100, 100);

	e.blk.dev = dev;
	e.blk.sector = sector;
	e.blk.bytes = bytes;
	e.blk.op = op;
	e.blk.service_ns = service;
	e.blk.queue_ns = queue;
	e.blk.flags = flags;
	return e;
}

KT_TEST(verify_block)
{
	struct kt_event e[16];
	struct found f;
	size_t n = 0;
	__u64 late = 40 * SEC;

	/* fine: issued after the start; a flush's own request; from
	 * allocation; in flight at the end; the rest of a partial one */
	e[n++] = blk(2 * SEC, 8 << 20, 100, 4096, 1, MS, US, 0);
	e[n++] = blk(late, 8 << 20, 0, 0, 2, 0, 0, 0);
	e[n++] = blk(late + 1, 8 << 20, 5, 4096, 1, 2 * SEC, 0, KT_BLOCK_FROM_ALLOC);
	e[n++] = blk(late + 2, 8 << 20, 800, 4096, 1, MS, 0, 0);
	e[n++] = blk(late + 3, 8 << 20, 808, 4096, 1, 0, 0, 0);
	e[n++] = blk(late + 4, 8 << 20, 900, 4096, 1, 0, 0, KT_BLOCK_INCOMPLETE);
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "%zu findings in consistent block records", f.n);
	/* issued before the recording started, yet seen */
	e[n++] = blk(late + 5, 8 << 20, 1000, 4096, 1, late, 0, 0);
	/* no issue, nothing says why, long after the start */
	e[n++] = blk(late + 6, 8 << 20, 2000, 4096, 1, 0, 0, 0);
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 2 && count(&f, KT_V_BLOCK, 0) == 2 &&
	       f.v[0].since == 5 && f.v[1].ts == late + 6, "%zu findings", f.n);
	return KT_PASS;
}

KT_TEST(verify_time_order)
{
	struct kt_event e[64];
	struct found f;
	size_t n = host_stream(e, -1);

	e[n++] = ev_sys(1 * SEC + 5 * US, 0, 201, 200, 0, 1, 1);
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_TIME_ORDER, 0) == 1 &&
	       f.v[0].cpu == 0 && f.v[0].since == 1 * SEC + 160 * US,
	       "%zu findings", f.n);
	return KT_PASS;
}

/* An exec whose identity is not the one the tid's other events get (what
 * a capture written with the bug of issue 10 §3 holds). */
KT_TEST(verify_identity)
{
	struct kt_tasks *t = kt_tasks_new();
	struct kt_task a = { .utid = 5, .tid = 42, .pid = 42, .comm = "cnt" };
	struct kt_task b = { .utid = 6, .tid = 42, .pid = 42, .comm = "bash" };
	struct kt_event e = ev_base(KT_PROC_EXEC, 2 * SEC, 0, 42, 42);
	struct found f = { .n = 0 };
	struct kt_verify *v = kt_verify_new(&host, collect, &f);

	KT_ASSERT(t && v && !kt_tasks_add(t, &a) && !kt_tasks_add(t, &b), "set up");
	e.utid = 6;
	KT_ASSERT(kt_verify_event(v, &e, t) == 0 && f.n == 0, "same identity");
	e.utid = 5;
	KT_ASSERT(kt_verify_event(v, &e, t) == 0, "event");
	EXPECT(&f, f.n == 1 && f.v[0].check == KT_V_IDENTITY &&
	       strstr(f.v[0].detail, "identity 5 (cnt)") &&
	       strstr(f.v[0].detail, "identity 6 (bash)"), "%zu findings", f.n);
	kt_verify_free(v);
	kt_tasks_free(t);
	return KT_PASS;
}

/* ------------------------------------------------------------- scope */

/* Tasks of a scoped recording: bash (100) and its children in scope (from
 * the snapshot), other (400) and more (401) out of scope, a kernel thread
 * (2000) met by name only. */
static const struct kt_task scoped_tasks[] = {
	{ .tid = 100, .pid = 100, .ppid = 1, .comm = "bash",
	  .flags = KT_TASK_SNAPSHOT },
	{ .tid = 400, .pid = 400, .comm = "other" },
	{ .tid = 401, .pid = 401, .comm = "more" },
	{ .tid = 2000, .pid = 2000, .ppid = 2, .comm = "kworker/0:1" },
};
#define NSCOPED (sizeof(scoped_tasks) / sizeof(scoped_tasks[0]))

static const struct kt_verify_opts scoped = { .scoped = true, .follow = true };

KT_TEST(verify_scope)
{
	struct kt_event e[8];
	struct found f;
	size_t n = 0;

	/* bash -> other (recorded: bash in scope); other -> more not
	 * recorded (both out); more -> bash recorded: no finding */
	e[n++] = ev_switch(1 * SEC, 0, 100, 100, 0, 400, 400);
	e[n++] = ev_wake(1 * SEC + 10 * US, 0, 400, 400, 100, 100);
	e[n++] = ev_switch(1 * SEC + 20 * US, 0, 401, 401, 0, 100, 100);
	e[n++] = ev_sys(1 * SEC + 30 * US, 0, 100, 100, 0, 1 * US, 0);
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &scoped, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 0, "gap between tasks out of scope flagged");
	/* the same stream from a whole-host recording is broken */
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &host, &f, NULL) == 0, "run");
	EXPECT(&f, count(&f, KT_V_CONTINUITY, 0) == 1, "host: %zu", f.n);
	/* a task in scope must leave by a recorded switch: bash put on,
	 * then other taken off */
	n = 0;
	e[n++] = ev_switch(1 * SEC, 0, 400, 400, 0, 100, 100);
	e[n++] = ev_sys(1 * SEC + 5 * US, 0, 100, 100, 0, 1 * US, 0);
	e[n++] = ev_switch(1 * SEC + 20 * US, 0, 400, 400, 0, 401, 401);
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &scoped, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_CONTINUITY, 0) == 1 &&
	       f.v[0].task[0].tid == 100, "in scope: %zu findings", f.n);
	return KT_PASS;
}

/* Kernel threads are in scope: a recorded switch put one on a CPU, so
 * one must take it off. */
KT_TEST(verify_scope_kthread)
{
	struct kt_event e[8];
	struct found f;
	size_t n = 0;

	e[n++] = ev_switch(1 * SEC, 0, 100, 100, 0, 2000, 2000);
	e[n++] = ev_switch(1 * SEC + 5 * US, 0, 2000, 2000, KT_STATE_IDLE, 400, 400);
	e[n++] = ev_switch(1 * SEC + 20 * US, 0, 400, 400, 0, 2000, 2000);
	e[n++] = ev_switch(1 * SEC + 30 * US, 0, 401, 401, 0, 100, 100);
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &scoped, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 1 && count(&f, KT_V_CONTINUITY, 0) == 1 &&
	       f.v[0].task[0].tid == 2000 && f.v[0].task[1].tid == 401,
	       "kthread: %zu findings", f.n);
	return KT_PASS;
}

/* A child forked by a task in scope is in scope when the scope follows
 * forks (and a thread always); not a child process under plain -p. */
KT_TEST(verify_scope_fork)
{
	static const struct kt_verify_opts nofollow = { .scoped = true };
	struct kt_event e[8];
	struct found f;
	size_t n = 0;

	e[n] = ev_base(KT_PROC_FORK, 1 * SEC, 0, 100, 100);
	e[n].fork.child_tid = e[n].fork.child_pid = 500;
	n++;
	e[n++] = ev_switch(1 * SEC + 10 * US, 1, 400, 400, 0, 500, 500);
	e[n++] = ev_switch(1 * SEC + 30 * US, 1, 401, 401, 0, 400, 400);
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &scoped, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 1 && f.v[0].task[0].tid == 500, "follow: %zu", f.n);
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &nofollow, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 0, "not followed: %zu", f.n);
	e[0].fork.flags = KT_FORK_THREAD;
	e[0].fork.child_pid = 100;
	KT_ASSERT(vrun(e, n, scoped_tasks, NSCOPED, &nofollow, &f, NULL) == 0,
		  "run");
	EXPECT(&f, f.n == 1, "a thread: %zu", f.n);
	return KT_PASS;
}

/* The recorder leaves out the switches between its own threads. */
KT_TEST(verify_recorder_threads)
{
	static const struct kt_task tasks[] = {
		{ .tid = 700, .pid = 700, .comm = "recorder" },
		{ .tid = 701, .pid = 700, .comm = "pcap" },
		{ .tid = 100, .pid = 100, .comm = "bash" },
	};
	struct kt_verify_opts o = host;
	struct kt_event e[8];
	struct found f;
	size_t n = 0;

	e[n++] = ev_switch(1 * SEC, 0, 100, 100, 0, 700, 700);
	e[n++] = ev_wake(1 * SEC + 10 * US, 0, 700, 700, 100, 100);
	e[n++] = ev_switch(1 * SEC + 20 * US, 0, 701, 700, 0, 100, 100);
	KT_ASSERT(vrun(e, n, tasks, 3, &o, &f, NULL) == 0, "run");
	EXPECT(&f, count(&f, KT_V_CONTINUITY, 0) == 1, "unknown recorder");
	o.recorder_pid = 700;
	KT_ASSERT(vrun(e, n, tasks, 3, &o, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 0, "recorder's threads flagged");
	return KT_PASS;
}

/* ------------------------------------------------------------ explained */

static struct kt_event lost(__u64 ts, __u16 cpu, __u32 fam, __u64 count)
{
	struct kt_event e = ev_base(KT_LOST, ts, cpu, 0, 0);

	e.lost.family = fam;
	e.lost.count = count;
	return e;
}

/* A break after sched events were lost on its CPU is explained; lost on
 * another CPU, of another family, or reported too late, it is not. */
KT_TEST(verify_lost_explains)
{
	struct kt_event e[64], base[64];
	struct found f;
	size_t n0 = host_stream(base, 9);      /* cat -> bash on cpu 0 */
	struct {
		__u64 at;
		__u16 cpu;
		__u32 fam;
		int explained;
	} cases[] = {
		{ 1 * SEC + 95 * US, 0, KT_FAM_SCHED, 1 },
		{ 1 * SEC + 900 * MS, 0, KT_FAM_SCHED, 1 },     /* lag */
		{ 1 * SEC + 900 * MS, 0xffff, KT_FAM_SCHED, 1 },/* cpu unknown */
		{ 1 * SEC + 900 * MS, 0, KT_FAM_MAX, 1 },       /* family unknown */
		{ 1 * SEC + 900 * MS, 1, KT_FAM_SCHED, 0 },
		{ 1 * SEC + 900 * MS, 0, KT_FAM_SYSCALL, 0 },
		{ 4 * SEC, 0, KT_FAM_SCHED, 0 },                /* too late */
		{ 1 * SEC + 30 * US, 0, KT_FAM_SCHED, 0 },      /* before */
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n = 0;
		bool put = false;

		for (size_t i = 0; i < n0; i++) {
			if (!put && base[i].ts > cases[c].at) {
				e[n++] = lost(cases[c].at, cases[c].cpu,
					      cases[c].fam, 7);
				put = true;
			}
			e[n++] = base[i];
		}
		if (!put)
			e[n++] = lost(cases[c].at, cases[c].cpu, cases[c].fam, 7);
		KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f,
			       NULL) == 0, "run");
		EXPECT(&f, f.n == 1 && f.v[0].check == KT_V_CONTINUITY &&
		       (f.v[0].explained == KT_VEXPL_LOST) == cases[c].explained,
		       "case %zu: %zu findings, explained %u", c, f.n,
		       f.n ? f.v[0].explained : 0);
		if (cases[c].explained)
			KT_ASSERT(f.v[0].lost_count == 7 &&
				  f.v[0].lost_ts == cases[c].at, "case %zu", c);
	}
	return KT_PASS;
}

/* Without KT_LOST records, the metadata's per-CPU counts explain. */
KT_TEST(verify_lost_meta)
{
	struct kt_verify_opts *o = calloc(1, sizeof(*o));
	struct kt_event e[64];
	struct found f;
	size_t n = host_stream(e, 9);

	KT_ASSERT(o, "oom");
	*o = host;
	o->meta_lost_cpu[1] = 3;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, o, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 1 && !f.v[0].explained, "cpu 1's loss explained cpu 0");
	o->meta_lost_cpu[0] = 3;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, o, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 1 && f.v[0].explained == KT_VEXPL_LOST &&
	       f.v[0].lost_count == 3 && !f.v[0].lost_ts, "meta");
	/* an unknown task after lost proc events */
	e[n++] = ev_wake(3 * SEC, 1, 300, 300, 999, 999);
	o->meta_lost_family[KT_FAM_PROC] = 1;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, o, &f, NULL) == 0, "run");
	EXPECT(&f, count(&f, KT_V_UNKNOWN_TASK, KT_VEXPL_LOST) == 1, "proc");
	free(o);
	return KT_PASS;
}

/* Losses the metadata counts beyond what the KT_LOST records hold
 * happened outside the file's span (a flight dump's window): they explain
 * as the metadata does without records; as many as the records hold, they
 * do not. */
KT_TEST(verify_lost_beyond_records)
{
	struct kt_verify_opts *o = calloc(1, sizeof(*o));
	struct kt_event e[64];
	struct found f;
	size_t n = host_stream(e, 9);

	KT_ASSERT(o, "oom");
	*o = host;
	/* a record far from the break: it explains nothing itself */
	e[n++] = lost(9 * SEC, 0, KT_FAM_SCHED, 2);
	o->meta_lost_cpu[0] = 2;
	e[n++] = ev_wake(9 * SEC + 1, 1, 300, 300, 999, 999);
	o->meta_lost_family[KT_FAM_SCHED] = 2;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, o, &f, NULL) == 0, "run");
	EXPECT(&f, count(&f, KT_V_CONTINUITY, 0) == 1 &&
	       count(&f, KT_V_UNKNOWN_TASK, 0) == 1, "counted = recorded");
	o->meta_lost_cpu[0] = 5;
	o->meta_lost_family[KT_FAM_PROC] = 1;
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, o, &f, NULL) == 0, "run");
	EXPECT(&f, count(&f, KT_V_CONTINUITY, KT_VEXPL_LOST) == 1 &&
	       count(&f, KT_V_UNKNOWN_TASK, KT_VEXPL_LOST) == 1 &&
	       f.v[0].lost_count == 3, "beyond the records: %zu findings", f.n);
	free(o);
	return KT_PASS;
}

/*
 * Hidden tasks: 900 is put on cpu 0 by recorded switches and is never the
 * subject of an event (the kernel shows nothing while it runs), so the
 * switches that take it off are missing: explained at the end.  Had it
 * been seen running once, they are violations.
 */
KT_TEST(verify_hidden)
{
	static const struct kt_task tasks[] = {
		{ .tid = 100, .pid = 100, .comm = "bash", .flags = KT_TASK_SNAPSHOT },
		{ .tid = 900, .pid = 1, .comm = "agent" },
	};
	struct kt_event e[16];
	struct found f;
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		__u64 t = 1 * SEC + i * MS;

		e[n++] = ev_switch(t, 0, 100, 100, 0, 900, 1);
		e[n++] = ev_sys(t + 500 * US, 0, 100, 100, 0, 10 * US, 0);
	}
	e[n++] = ev_switch(1 * SEC + 10 * MS, 0, 100, 100, 0, 0, 0);
	KT_ASSERT(vrun(e, n, tasks, 2, &host, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 3 && count(&f, KT_V_CONTINUITY, KT_VEXPL_HIDDEN) == 3 &&
	       f.v[0].hidden_count == 3 && f.v[0].task[0].tid == 900,
	       "%zu findings", f.n);
	e[n++] = ev_sys(2 * SEC, 0, 900, 1, 0, 10 * US, 0);
	KT_ASSERT(vrun(e, n, tasks, 2, &host, &f, NULL) == 0, "run");
	EXPECT(&f, f.n == 3 && count(&f, KT_V_CONTINUITY, 0) == 3,
	       "seen running: %zu findings", f.n);
	return KT_PASS;
}

/* ------------------------------------------------------------ metadata */

KT_TEST(verify_opts_meta)
{
	json_t *now = json_loads("{\"host\":{\"cpus\":2},\"record\":{\"scope\":"
		"\"pid 42\",\"follow\":false,\"start_ns\":5,\"pid\":77},"
		"\"lost\":{\"per_cpu\":[0,4],\"per_family\":{\"sched\":4},"
		"\"recursion_misses\":2}}", 0, NULL);
	json_t *old = json_loads("{\"cpus\":2,\"scope\":{\"mode\":\"command\"},"
		"\"start_ns\":9,\"lost\":{\"cpus\":[{\"sched\":1,\"proc\":2},{}],"
		"\"families\":{\"proc\":2}}}", 0, NULL);
	json_t *none = json_loads("{}", 0, NULL);
	struct kt_verify_opts *o = calloc(1, sizeof(*o));

	KT_ASSERT(now && old && none && o, "json");
	kt_verify_opts_meta(now, o);
	KT_ASSERT(o->scoped && !o->follow && !o->cgroup && o->start_ns == 5 &&
		  o->recorder_pid == 77 && o->ncpus == 2 &&
		  o->meta_lost_cpu[1] == 4 && !o->meta_lost_cpu[0] &&
		  o->meta_lost_family[KT_FAM_SCHED] == 4 &&
		  o->meta_lost_family[KT_FAM_MAX] == 2, "current keys");
	kt_verify_opts_meta(old, o);
	KT_ASSERT(o->scoped && o->follow && o->start_ns == 9 && o->ncpus == 2 &&
		  o->meta_lost_cpu[0] == 3 && !o->meta_lost_cpu[1] &&
		  o->meta_lost_family[KT_FAM_PROC] == 2, "first captures' keys");
	kt_verify_opts_meta(none, o);
	KT_ASSERT(!o->scoped && !o->start_ns, "no scope: whole host");
	json_decref(now);
	json_decref(old);
	json_decref(none);
	free(o);
	return KT_PASS;
}

/* Memory: state per thread and CPU only, whatever the length. */
KT_TEST(verify_bounded)
{
	size_t n = 200000;
	struct kt_event *e = calloc(n, sizeof(*e));
	struct kt_verify_stats st;
	struct found f;

	KT_ASSERT(e, "oom");
	for (size_t i = 0; i < n; i++) {
		__u32 a = 100 + (i % 3) * 100, b = 100 + ((i + 1) % 3) * 100;

		e[i] = ev_switch(1 * SEC + i * US, 0, a, a, 0, b, b);
	}
	KT_ASSERT(vrun(e, n, stream_tasks, NSTREAM_TASKS, &host, &f, &st) == 0,
		  "run");
	EXPECT(&f, f.n == 0 && st.switches == n && st.threads == 3,
	       "%zu findings, %llu threads", f.n,
	       (unsigned long long)st.threads);
	free(e);
	return KT_PASS;
}

/* Thousands of threads: the per-thread table grows while pointers into it
 * are live during an event (under ASan, a stale one is an error). */
KT_TEST(verify_many_threads)
{
	size_t nt = 5000, n = 0;
	struct kt_task *tasks = calloc(nt, sizeof(*tasks));
	struct kt_event *e = calloc(4 * nt, sizeof(*e));
	struct kt_verify_stats st;
	struct found f;

	KT_ASSERT(tasks && e, "oom");
	for (size_t i = 0; i < nt; i++) {
		tasks[i].tid = tasks[i].pid = 1000 + i;
		tasks[i].comm = "t";
		tasks[i].flags = KT_TASK_SNAPSHOT;
	}
	for (size_t i = 0; i + 1 < nt; i++) {
		__u32 a = 1000 + i, b = 1001 + i;

		for (int k = 0; k < 2; k++, n++) {
			e[n] = ev_base(KT_PROC_FORK, 1 * SEC + n * US, 1, a, a);
			e[n].fork.child_tid = 100000 + 2 * i + k;
			e[n].fork.child_pid = e[n].fork.child_tid;
		}
		e[n] = ev_switch(1 * SEC + n * US, 0, a, a, 0, b, b);
		n++;
	}
	KT_ASSERT(vrun(e, n, tasks, nt, &host, &f, &st) == 0, "run");
	EXPECT(&f, f.n == 0 && st.threads == nt, "%zu findings, %llu "
	       "threads", f.n, (unsigned long long)st.threads);
	/* scoped: each fork makes its child's state while its parent's is
	 * in use */
	KT_ASSERT(vrun(e, n, tasks, nt, &scoped, &f, &st) == 0, "run");
	EXPECT(&f, f.n == 0 && st.threads == 3 * nt - 2, "scoped: %zu "
	       "findings, %llu threads", f.n, (unsigned long long)st.threads);
	free(tasks);
	free(e);
	return KT_PASS;
}
