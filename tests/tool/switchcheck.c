// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * switchcheck.c - kt-test-tool switchcheck FILE [-v]: per-CPU continuity
 * of the context switches of a capture, as far as its scope promises it.
 *
 * On each CPU the task a switch puts on (next) must be the one the
 * following switch on that CPU takes off (prev).  A host-wide capture
 * records every switch but those between two threads of ktrail itself
 * (record.self_pid), so any other break is a hole.  A scoped capture
 * records the switches where either side is in scope (a thread group in
 * scope, or, with record.kthreads, a kernel thread), so a break is a hole
 * when the task it expected, or the task it found, is in scope: that task
 * came on or went off the CPU by a switch the capture lacks.
 *
 * Which thread groups are in scope: those of the /proc snapshot (a scoped
 * snapshot holds only them and kernel threads), and those forked by one in
 * scope when the recording followed forks (record.follow).
 *
 * A hole the capture itself reports (a KT_LOST of cause switch_gap or
 * filtered on that CPU, just before the switch) is a known gap, not a
 * hole: the capture said what it lacks.
 *
 * Prints one line per hole, "hole cpu=C ts=T want_prev=TID got_prev=TID
 * since=T0", then "switches N holes H gaps G scope S"; exits 1 when there
 * is a hole, 2 when the capture cannot be read.
 */
#include <stdlib.h>
#include <string.h>
#include "format/format.h"
#include "tool.h"

#define SC_MAX_CPUS 1024

struct sc_cpu {
	__u64 ts;               /* last switch, 0 = none yet */
	__u32 cur;              /* its next task */
};

struct sc_state {
	const struct kt_tasks *tasks;
	bool host, follow, kthreads;
	__u32 self_pid;
	__u32 *tgids;           /* in scope, unsorted (a few hundred) */
	size_t ntgids, cap;
	struct sc_cpu cpu[SC_MAX_CPUS];
	__u64 switches, holes, gaps;
	bool verbose;
};

static int add_tgid(struct sc_state *s, __u32 tgid)
{
	for (size_t i = 0; i < s->ntgids; i++)
		if (s->tgids[i] == tgid)
			return 0;
	if (s->ntgids == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 64;
		__u32 *p = realloc(s->tgids, n * sizeof(*p));

		if (!p)
			return -1;
		s->tgids = p;
		s->cap = n;
	}
	s->tgids[s->ntgids++] = tgid;
	return 0;
}

static bool is_kthread(const struct sc_state *s, __u32 tid)
{
	const struct kt_task *t = kt_tasks_find(s->tasks, tid);

	return tid == 2 || (t && ((t->flags & KT_TASK_KTHREAD) || t->ppid == 2));
}

static bool in_scope(const struct sc_state *s, __u32 tid)
{
	const struct kt_task *t;

	if (!tid)
		return s->host; /* the idle tasks */
	t = kt_tasks_find(s->tasks, tid);
	if (s->host)
		return !t || t->pid != s->self_pid;
	if (s->kthreads && is_kthread(s, tid))
		return true;
	if (!t)
		return false;
	for (size_t i = 0; i < s->ntgids; i++)
		if (s->tgids[i] == t->pid)
			return true;
	return false;
}

static int snap_tgid(const struct kt_task *t, void *arg)
{
	struct sc_state *s = arg;

	if ((t->flags & KT_TASK_SNAPSHOT) && !(t->flags & KT_TASK_KTHREAD) &&
	    t->ppid != 2 && t->tid != 2)
		return add_tgid(s, t->pid);
	return 0;
}

static void on_switch(struct sc_state *s, const struct kt_event *ev)
{
	struct sc_cpu *c;

	s->switches++;
	if (ev->cpu >= SC_MAX_CPUS)
		return;
	c = &s->cpu[ev->cpu];
	if (c->ts && c->cur != ev->tid &&
	    (in_scope(s, c->cur) || in_scope(s, ev->tid))) {
		s->holes++;
		if (s->verbose || s->holes <= 20)
			printf("hole cpu=%u ts=%llu want_prev=%u got_prev=%u since=%llu\n",
			       ev->cpu, (unsigned long long)ev->ts, c->cur,
			       ev->tid, (unsigned long long)c->ts);
	}
	c->ts = ev->ts;
	c->cur = ev->sw.next_tid;
}

static void read_meta(struct sc_state *s, const json_t *m)
{
	const json_t *rec = json_object_get(m, "record");
	const char *scope = json_string_value(json_object_get(rec, "scope"));

	s->host = !scope || !strcmp(scope, "host");
	s->follow = json_is_true(json_object_get(rec, "follow"));
	s->kthreads = json_is_true(json_object_get(rec, "kthreads"));
	s->self_pid = json_integer_value(json_object_get(rec, "self_pid"));
}

KT_TOOL(switchcheck, "FILE [-v]: per-CPU switch continuity; exit 1 on a hole")
{
	struct sc_state *s;
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_err err;
	bool first = true;
	int ret;

	if (argc < 2 || argc > 3)
		return 2;
	if (kt_reader_open(&r, argv[1], 0, &err)) {
		kt_err_print(stderr, "kt-test-tool switchcheck", argv[1], &err);
		return 2;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		kt_reader_close(r);
		return 2;
	}
	s->verbose = argc == 3 && !strcmp(argv[2], "-v");
	s->tasks = kt_reader_tasks(r);
	read_meta(s, kt_reader_meta(r));
	while ((ret = kt_reader_next(r, &ev, &err)) == 1) {
		if (first) {
			/* the snapshot is in the table once the first
			 * frame's keyframe has been read */
			kt_tasks_foreach(s->tasks, snap_tgid, s);
			first = false;
		}
		if (ev->kind == KT_SCHED_SWITCH)
			on_switch(s, ev);
		else if (ev->kind == KT_LOST && ev->cpu < SC_MAX_CPUS &&
			 (ev->lost.cause == KT_LOST_SWITCH_GAP ||
			  ev->lost.cause == KT_LOST_FILTERED)) {
			s->cpu[ev->cpu].ts = 0;
			s->gaps++;
		}
		else if (ev->kind == KT_PROC_FORK && !s->host &&
			 in_scope(s, ev->tid) && !is_kthread(s, ev->tid) &&
			 (s->follow || ev->fork.child_pid == ev->pid))
			add_tgid(s, ev->fork.child_pid);
	}
	if (ret < 0)
		kt_err_print(stderr, "kt-test-tool switchcheck", argv[1], &err);
	else
		printf("switches %llu holes %llu gaps %llu scope %s%s\n",
		       (unsigned long long)s->switches,
		       (unsigned long long)s->holes,
		       (unsigned long long)s->gaps, s->host ? "host" : "scoped",
		       s->kthreads ? "+kthreads" : "");
	kt_reader_close(r);
	ret = ret < 0 ? 2 : s->holes ? 1 : 0;
	free(s->tgids);
	free(s);
	return ret;
}

/*
 * switch_capture OUT ok|hole|gap|scoped: a small capture of two CPUs,
 * each alternating between two tasks, to test switchcheck itself.  hole:
 * one switch on cpu 1 is missing; gap: missing too, but a KT_LOST of cause
 * switch_gap reports it; scoped: a "-- CMD" capture (tasks 100 and 200 in
 * scope, 300 and 400 not) whose switches from 300 to 400 are absent by
 * design, and where one switch on cpu 0 between tasks in scope is
 * missing.
 */
static int put_switch(struct kt_writer *w, __u64 ts, __u16 cpu, __u32 prev,
		      __u32 next)
{
	struct kt_event ev = { .kind = KT_SCHED_SWITCH, .ts = ts, .cpu = cpu,
			       .tid = prev, .pid = prev };

	ev.sw.next_tid = next;
	ev.sw.next_pid = next;
	ev.sw.prev_prio = ev.sw.next_prio = 120;
	return kt_writer_add(w, &ev);
}

static int put_task(struct kt_writer *w, __u32 tid, const char *comm)
{
	struct kt_task t = { .tid = tid, .pid = tid, .ppid = 1,
			     .flags = KT_TASK_SNAPSHOT, .comm = comm,
			     .exe = "", .cmdline = "", .cgroup = "" };

	return kt_writer_task(w, &t);
}

KT_TOOL(switch_capture, "OUT ok|hole|gap|scoped: a capture to test switchcheck")
{
	struct kt_writer *w;
	const char *mode = argc == 3 ? argv[2] : "";
	bool scoped = !strcmp(mode, "scoped");
	json_t *meta;
	__u32 a[2] = { 100, 300 }, b[2] = { 200, 400 }, prev[2], next;
	__u64 ts = 1000000;
	int err = 0;

	if (argc != 3 || (strcmp(mode, "ok") && strcmp(mode, "hole") &&
			  strcmp(mode, "gap") && !scoped))
		return 2;
	meta = json_pack("{s:{s:s,s:b,s:b,s:i}}", "record", "scope",
			 scoped ? "command" : "host", "follow", 1,
			 "kthreads", 1, "self_pid", 999);
	err = kt_writer_open(&w, argv[1], NULL, meta);
	json_decref(meta);
	if (err)
		return 2;
	/* a scoped snapshot holds the tasks in scope only */
	put_task(w, 100, "a");
	put_task(w, 200, "b");
	if (!scoped) {
		put_task(w, 300, "c");
		put_task(w, 400, "d");
	}
	prev[0] = a[0];
	prev[1] = a[1];
	for (int i = 0; i < 20 && !err; i++) {
		for (__u16 cpu = 0; cpu < 2 && !err; cpu++) {
			ts += 1000;
			next = prev[cpu] == a[cpu] ? b[cpu] : a[cpu];
			if (i == 10 && cpu == 1 && !scoped &&
			    strcmp(mode, "ok")) {
				if (!strcmp(mode, "gap")) {
					struct kt_event l = { .kind = KT_LOST,
						.ts = ts, .cpu = 1,
						.tid = prev[cpu],
						.pid = prev[cpu] };

					l.lost.family = KT_FAM_SCHED;
					l.lost.cause = KT_LOST_SWITCH_GAP;
					l.lost.count = 1;
					l.lost.since = ts - 2000;
					err = kt_writer_add(w, &l);
				}
				prev[cpu] = next;       /* this switch is lost */
				continue;
			}
			/* scoped: cpu 1 cycles 300 -> 400 -> 200 -> 300,
			 * and 300 -> 400 is not recorded (neither is in
			 * scope); on cpu 0 one switch is missing */
			if (scoped && cpu == 1)
				next = prev[1] == 300 ? 400 :
				       prev[1] == 400 ? 200 : 300;
			if (!(scoped && cpu == 1 && next == 400) &&
			    !(scoped && cpu == 0 && i == 10))
				err = put_switch(w, ts, cpu, prev[cpu], next);
			prev[cpu] = next;
		}
	}
	if (!err)
		err = kt_writer_close(w, NULL);
	else
		kt_writer_abort(w);
	return err ? 2 : 0;
}
