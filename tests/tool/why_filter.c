// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_filter.c - kt-test-tool scenario_filter IN OUT PID...: copy a
 * whole-host capture keeping only what a checked-in scenario needs: the
 * processes PID... and their descendants, the kernel threads (jbd2,
 * kworkers, kblockd: the chain to the disk runs through them), and the
 * events that name no task (block records of cache flushes).  Other
 * processes lose their events and their place in the task table; where a
 * kept event names one (a switch to it), only its tid remains.
 *
 * A recorder scope (-p --follow) cannot do this: it has no "and every
 * kernel thread", and it drops block records without an issuer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/format.h"
#include "tool.h"

struct keep {
	__u32 *pids;
	int npids;
	const struct kt_tasks *tasks;   /* the final table: every task */
};

static bool root_pid(const struct keep *k, __u32 pid)
{
	for (int i = 0; i < k->npids; i++)
		if (k->pids[i] == pid)
			return true;
	return false;
}

/* a kernel thread, or a process PID... or one of their descendants */
static bool kept_task(const struct keep *k, const struct kt_task *t)
{
	for (int depth = 0; t && depth < 64; depth++) {
		if ((t->flags & KT_TASK_KTHREAD) || t->ppid == 2 || t->tid == 2 ||
		    root_pid(k, t->pid))
			return true;
		if (!t->ppid || t->ppid == t->pid)
			return false;
		t = kt_tasks_find(k->tasks, t->ppid);
	}
	return false;
}

static bool kept_tid(const struct keep *k, __u32 tid)
{
	const struct kt_task *t = kt_tasks_find(k->tasks, tid);

	if (!tid)
		return true;
	return t ? kept_task(k, t) : false;
}

static bool kept_event(const struct keep *k, const struct kt_event *ev)
{
	if (!ev->tid || kept_tid(k, ev->tid))
		return true;
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		return ev->sw.next_tid && kept_tid(k, ev->sw.next_tid);
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		return kept_tid(k, ev->wake.target_tid);
	case KT_PROC_FORK:
		return kept_tid(k, ev->fork.child_tid);
	case KT_SIGNAL_GEN:
		return kept_tid(k, ev->sig.target_tid);
	case KT_PROC_COMM:      /* names (a scoped recording names only
				 * the tasks its events refer to) */
	case KT_CLOCK_SYNC:
	case KT_LOST:
		return true;
	}
	return false;
}

/* re-intern the event's strings in the writer */
static int copy_event(struct kt_writer *w, const struct kt_event *ev)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	struct kt_event c = *ev;

	for (unsigned i = 0; ki && i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];
		__u32 h;
		size_t n;
		const char *s;

		if (f->type != KT_F_STR)
			continue;
		memcpy(&h, (const char *)ev + f->off, 4);
		s = kt_event_str(ev, h, &n);
		h = kt_writer_str(w, s, n);
		if (h == UINT32_MAX)
			return -ENOMEM;
		memcpy((char *)&c + f->off, &h, 4);
	}
	c.strs = NULL;
	return kt_writer_add(w, &c);
}

static int snapshot_task(const struct kt_task *t, void *arg)
{
	void **a = arg;
	struct keep *k = a[0];
	struct kt_writer *w = a[1];

	if (!(t->flags & KT_TASK_SNAPSHOT) || !kept_task(k, t))
		return 0;
	return kt_writer_task(w, t);
}

KT_TOOL(scenario_filter, "IN OUT PID...: keep PIDs, their descendants and kernel threads")
{
	struct kt_reader *r = NULL, *r2 = NULL;
	struct kt_writer *w = NULL;
	const struct kt_event *ev;
	struct kt_err err = { 0 };
	struct keep k = { 0 };
	__u64 in = 0, out = 0;
	void *arg[2];
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: kt-test-tool scenario_filter IN OUT PID...\n");
		return 2;
	}
	k.npids = argc - 3;
	k.pids = calloc(k.npids, sizeof(*k.pids));
	for (int i = 0; k.pids && i < k.npids; i++)
		k.pids[i] = strtoul(argv[3 + i], NULL, 10);
	/* pass 1: the whole task table, to know every descendant */
	rc = kt_reader_open(&r, argv[1], 0, &err);
	while (!rc && (rc = kt_reader_next(r, &ev, &err)) > 0)
		rc = 0;
	if (rc < 0)
		goto err;
	k.tasks = kt_reader_tasks(r);
	/* pass 2: copy */
	rc = kt_reader_open(&r2, argv[1], 0, &err);
	if (!rc)
		rc = kt_writer_open(&w, argv[2], NULL, kt_reader_meta(r2));
	arg[0] = &k;
	arg[1] = w;
	if (!rc)
		rc = kt_tasks_foreach(kt_reader_tasks(r2), snapshot_task, arg);
	while (!rc && (rc = kt_reader_next(r2, &ev, &err)) > 0) {
		rc = 0;
		in++;
		if (!kept_event(&k, ev))
			continue;
		out++;
		rc = copy_event(w, ev);
	}
	if (rc < 0)
		goto err;
	rc = kt_writer_close(w, NULL);
	w = NULL;
	if (rc)
		goto err;
	fprintf(stderr, "kept %llu of %llu events\n", (unsigned long long)out,
		(unsigned long long)in);
	kt_reader_close(r);
	kt_reader_close(r2);
	free(k.pids);
	return 0;
err:
	if (err.msg[0])
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
	else
		fprintf(stderr, "kt-test-tool scenario_filter: %s\n", strerror(-rc));
	kt_writer_abort(w);
	kt_reader_close(r);
	kt_reader_close(r2);
	free(k.pids);
	return 1;
}
