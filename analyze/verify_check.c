// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * verify_check.c - the checks of `ktrail verify`, one event at a time
 * (verify.h says what each one means; verify.c keeps the state).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/names.h"
#include "analyze/verify_int.h"

/* ------------------------------------------------------------- checks */

static int check_time(struct kt_verify *v, const struct kt_event *ev,
		      struct vcpu *c)
{
	struct kt_violation x;
	char a[32];

	if (ev->ts >= c->last_ts) {
		c->last_ts = ev->ts;
		return 0;
	}
	kt_v_begin(&x, KT_V_TIME_ORDER, ev->ts, c->last_ts, ev->cpu);
	kt_v_secs(a, sizeof(a), c->last_ts);
	snprintf(x.detail, sizeof(x.detail), "a %s event comes after one at "
		 "%s on the same cpu", kt_kind_info(ev->kind) ?
		 kt_kind_info(ev->kind)->name : "?", a);
	return kt_v_report(v, &x);
}

static int check_known(struct kt_verify *v, const struct kt_event *ev,
		       __u32 tid, __u32 pid, const struct kt_tasks *tasks,
		       const char *role)
{
	struct kt_violation x;
	int rc;

	if (!tid || kt_tasks_find(tasks, tid))
		return 0;
	rc = kt_v_unknown_once(v, tid);
	if (rc <= 0)
		return rc;
	kt_v_begin(&x, KT_V_UNKNOWN_TASK, ev->ts, 0, ev->cpu);
	x.ntasks = 1;
	kt_v_task(&x.task[0], tid, pid, tasks, role);
	snprintf(x.detail, sizeof(x.detail), "the %s of a %s is tid %u, which "
		 "no task of the capture has (first reference)", role,
		 kt_kind_info(ev->kind)->name, tid);
	kt_v_explain_fam(v, &x, KT_FAM_PROC, ev->ts);
	return kt_v_report(v, &x);
}

/* two_cpus - @next is put on @cpu at @ts: it must not be on another. */
static int put_on(struct kt_verify *v, const struct kt_event *ev,
		  const struct kt_tasks *tasks)
{
	struct vthr *t = kt_v_thread_of_tid(v, ev->sw.next_tid, tasks);
	struct kt_violation x;
	char a[32], b[48];
	int rc = 0;

	if (!t || !t->in_scope)
		return 0;
	if (t->on_cpu && t->cpu != ev->cpu) {
		kt_v_begin(&x, KT_V_TWO_CPUS, ev->ts, t->on_since, ev->cpu);
		x.ntasks = 1;
		kt_v_task(&x.task[0], ev->sw.next_tid, ev->sw.next_pid, tasks,
			"put on");
		kt_v_secs(a, sizeof(a), t->on_since);
		snprintf(x.detail, sizeof(x.detail), "%s is put on cpu %u "
			 "while on cpu %u since %s: no recorded switch took "
			 "it off there", kt_v_name(b, sizeof(b), ev->sw.next_tid,
			 tasks), ev->cpu, t->cpu, a);
		if (!kt_v_explain_cpu(v, &x, t->cpu, t->on_since, ev->ts) &&
		    !t->ran)
			rc = kt_v_hold(v, t, &x);
		else
			rc = kt_v_report(v, &x);
	}
	t->on_cpu = true;
	t->cpu = ev->cpu;
	t->on_since = ev->ts;
	return rc;
}

static void take_off(struct kt_verify *v, __u32 tid, __u32 cpu,
		     const struct kt_tasks *tasks)
{
	struct vthr *t = kt_v_thread_of_tid(v, tid, tasks);

	if (t && t->on_cpu && t->cpu == cpu)
		t->on_cpu = false;
}

/* excused - a break between @b and @c that the recording leaves out by
 * design: two tasks out of scope, or two threads of the recorder. */
static bool excused(struct kt_verify *v, __u32 b, __u32 bpid, __u32 c,
		    __u32 cpid, const struct kt_tasks *tasks)
{
	const struct kt_task *k;

	if (v->o.scoped)
		return !kt_v_in_scope(v, b, tasks) && !kt_v_in_scope(v, c, tasks);
	if (!b || bpid != cpid)
		return false;
	k = kt_tasks_find(tasks, b);
	return k && kt_v_recorder(v, k);
}

/* brk - the last switch on @c put a task on it that is not the one @ev
 * takes off it.  Held on that task when it was never seen running (a
 * hidden task; in a scoped recording only one out of scope), else
 * reported. */
static int brk(struct kt_verify *v, const struct kt_event *ev,
	       struct vcpu *c, const struct kt_tasks *tasks)
{
	struct vthr *tb = kt_v_thread_of_tid(v, c->cur_tid, tasks);
	struct kt_violation x;
	char a[32], nb[48], nc[48];

	kt_v_begin(&x, KT_V_CONTINUITY, ev->ts, c->sw_ts, ev->cpu);
	x.ntasks = 2;
	kt_v_task(&x.task[0], c->cur_tid, c->cur_pid, tasks, "put on");
	kt_v_task(&x.task[1], ev->tid, ev->pid, tasks, "taken off");
	kt_v_secs(a, sizeof(a), c->sw_ts);
	snprintf(x.detail, sizeof(x.detail), "the switch at %s put %s on cpu "
		 "%u; this one takes %s off it: a switch between them is "
		 "missing", a, kt_v_name(nb, sizeof(nb), c->cur_tid, tasks),
		 ev->cpu, kt_v_name(nc, sizeof(nc), ev->tid, tasks));
	if (kt_v_explain_cpu(v, &x, ev->cpu, c->sw_ts, ev->ts))
		return kt_v_report(v, &x);
	if (tb && !tb->ran && (!v->o.scoped || !tb->in_scope))
		return kt_v_hold(v, tb, &x);
	return kt_v_report(v, &x);
}

static int check_switch(struct kt_verify *v, const struct kt_event *ev,
			struct vcpu *c, const struct kt_tasks *tasks)
{
	int rc;

	v->st.switches++;
	if ((rc = check_known(v, ev, ev->tid, ev->pid, tasks, "prev")) ||
	    (rc = check_known(v, ev, ev->sw.next_tid, ev->sw.next_pid, tasks,
			      "next")))
		return rc;
	if (c->have_sw && c->cur_tid != ev->tid) {
		take_off(v, c->cur_tid, ev->cpu, tasks);
		if (!excused(v, c->cur_tid, c->cur_pid, ev->tid, ev->pid,
			     tasks) && (rc = brk(v, ev, c, tasks)))
			return rc;
	}
	take_off(v, ev->tid, ev->cpu, tasks);
	if (ev->sw.next_tid && (rc = put_on(v, ev, tasks)))
		return rc;
	c->have_sw = true;
	c->sw_ts = ev->ts;
	c->cur_tid = ev->sw.next_tid;
	c->cur_pid = ev->sw.next_pid;
	return 0;
}

/* sysname - "openat", or "syscall 999" for a number without a name. */
static const char *sysname(char *buf, size_t n, __u32 nr)
{
	const char *s = kt_syscall_name(nr);

	if (s)
		return s;
	snprintf(buf, n, "syscall %u", nr);
	return buf;
}

static int check_syscall(struct kt_verify *v, const struct kt_event *ev,
			 struct vthr *t, const struct kt_tasks *tasks)
{
	__u64 start = ev->sys.dur < ev->ts ? ev->ts - ev->sys.dur : 0;
	struct kt_violation x;
	char a[32], b[32], e[32], nt[48], s1[24], s2[24];
	int rc = 0;

	v->st.syscalls++;
	if (!t)
		return 0;
	if (t->sys_end > start) {
		kt_v_begin(&x, KT_V_SYSCALL, ev->ts, t->sys_end, ev->cpu);
		x.ntasks = 1;
		kt_v_task(&x.task[0], ev->tid, ev->pid, tasks, "thread");
		kt_v_secs(a, sizeof(a), start);
		kt_v_secs(b, sizeof(b), t->sys_end);
		kt_v_secs(e, sizeof(e), ev->ts);
		snprintf(x.detail, sizeof(x.detail), "%s's %s from %s to %s "
			 "begins before its %s ended at %s",
			 kt_v_name(nt, sizeof(nt), ev->tid, tasks),
			 sysname(s1, sizeof(s1), ev->sys.nr), a, e,
			 sysname(s2, sizeof(s2), t->sys_nr), b);
		rc = kt_v_report(v, &x);
	}
	if (ev->ts > t->sys_end) {
		t->sys_end = ev->ts;
		t->sys_nr = ev->sys.nr;
	}
	return rc;
}

/* The longest a request may have been in flight when recording began:
 * the kernel's default block I/O timeout. */
#define BLOCK_INFLIGHT_MAX 30000000000ULL
#define REQ_OP_FLUSH 2

/* continuation - whether a completion without an issue continues the
 * device's previous completion (a partial completion: the request's
 * issue went with its first part), and remember this one. */
static int continuation(struct kt_verify *v, const struct kt_block_rq *b,
			bool *cont)
{
	struct vdev *d = NULL;

	for (__u32 i = 0; i < v->ndevs; i++)
		if (v->devs[i].dev == b->dev)
			d = &v->devs[i];
	if (!d) {
		struct vdev *n = realloc(v->devs, (v->ndevs + 1) * sizeof(*n));

		if (!n)
			return -ENOMEM;
		v->devs = n;
		d = &v->devs[v->ndevs++];
		memset(d, 0, sizeof(*d));
		d->dev = b->dev;
	}
	*cont = d->valid && b->sector == d->next_sector;
	d->valid = true;
	d->next_sector = b->sector + b->bytes / 512;
	return 0;
}

static int check_block(struct kt_verify *v, const struct kt_event *ev,
		       const struct kt_tasks *tasks)
{
	const struct kt_block_rq *b = &ev->blk;
	__u64 issue = b->service_ns < ev->ts ? ev->ts - b->service_ns : 0;
	__u64 insert = b->queue_ns < issue ? issue - b->queue_ns : 0;
	struct kt_violation x;
	char dev[32], a[32], s[32];
	bool cont;
	int rc;

	v->st.blocks++;
	if ((rc = continuation(v, b, &cont)))
		return rc;
	kt_fmt_dev(dev, sizeof(dev), b->dev);
	kt_v_begin(&x, KT_V_BLOCK, ev->ts, 0, ev->cpu);
	x.ntasks = ev->tid ? 1 : 0;
	kt_v_task(&x.task[0], ev->tid, ev->pid, tasks, "issuer");
	if (b->flags & (KT_BLOCK_FROM_ALLOC | KT_BLOCK_INCOMPLETE))
		return 0;
	if (!b->service_ns) {
		/* no issue to match: a cache flush's own request, the rest
		 * of a partial completion, or one in flight at the start */
		if ((b->op & 0xff) == REQ_OP_FLUSH || cont ||
		    ev->ts < v->o.start_ns + BLOCK_INFLIGHT_MAX)
			return 0;
		snprintf(x.detail, sizeof(x.detail), "the completion of %s "
			 "sector %llu (%u bytes) carries no issue and is not "
			 "marked as issued before the recorder saw it", dev,
			 (unsigned long long)b->sector, b->bytes);
		kt_v_explain_fam(v, &x, KT_FAM_BLOCK, ev->ts);
		return kt_v_report(v, &x);
	}
	if (!v->o.start_ns || (insert >= v->o.start_ns && issue >= v->o.start_ns))
		return 0;
	x.since = issue;
	kt_v_secs(a, sizeof(a), issue < v->o.start_ns ? issue : insert);
	kt_v_secs(s, sizeof(s), v->o.start_ns);
	snprintf(x.detail, sizeof(x.detail), "the request on %s sector %llu "
		 "was %s at %s, before the recording started at %s, yet its "
		 "record says the recorder saw it", dev,
		 (unsigned long long)b->sector,
		 issue < v->o.start_ns ? "issued" : "inserted", a, s);
	return kt_v_report(v, &x);
}

static int check_identity(struct kt_verify *v, const struct kt_event *ev,
			  const struct kt_tasks *tasks)
{
	const struct kt_task *k = ev->tid ? kt_tasks_find(tasks, ev->tid) : NULL;
	const struct kt_task *mine;
	struct kt_violation x;

	if (!k || !ev->utid || k->utid == ev->utid)
		return 0;
	mine = kt_tasks_get(tasks, ev->utid);
	kt_v_begin(&x, KT_V_IDENTITY, ev->ts, 0, ev->cpu);
	x.ntasks = 1;
	kt_v_task(&x.task[0], ev->tid, ev->pid, tasks, "thread");
	snprintf(x.detail, sizeof(x.detail), "the %s of tid %u is identity %u "
		 "(%s), but the tid's events go to identity %u (%s): the "
		 "thread has two", kt_kind_info(ev->kind)->name, ev->tid,
		 ev->utid, mine ? mine->comm : "?", k->utid, k->comm);
	return kt_v_report(v, &x);
}

/* ------------------------------------------------------------- scope */

/* learn - what @ev says about the scope: its subject is in scope when
 * only tasks in scope produce it, and so is a followed fork's child. */
static void learn(struct kt_verify *v, const struct kt_event *ev,
		  struct vthr *t, const struct kt_tasks *tasks)
{
	struct vthr *child;

	if (!v->o.scoped || !t)
		return;
	switch (ev->kind) {
	case KT_PROC_FORK:
		t->in_scope |= !v->o.cgroup;
		child = kt_v_thread_of_tid(v, ev->fork.child_tid, tasks);
		if (child && t->in_scope &&
		    (v->o.follow || (ev->fork.flags & KT_FORK_THREAD)))
			child->in_scope = true;
		break;
	case KT_SYSCALL:
	case KT_PROC_EXEC:
	case KT_PROC_EXIT:
	case KT_SIGNAL_DELIVER:
	case KT_PAGE_FAULT:
		t->in_scope |= !v->o.cgroup;
		break;
	}
}

/* ran_event - whether @ev was made while its subject ran (not a name
 * the recorder gave it from elsewhere, nor a block completion). */
static bool ran_event(const struct kt_event *ev)
{
	switch (ev->kind) {
	case KT_PROC_COMM:
	case KT_BLOCK_RQ:
	case KT_NET_PACKET:
	case KT_MARKER:
	case KT_LOST:
	case KT_CLOCK_SYNC:
		return false;
	}
	return true;
}

int kt_verify_event(struct kt_verify *v, const struct kt_event *ev,
		    const struct kt_tasks *tasks)
{
	struct vcpu *c = ev->cpu == KT_V_CPU_ANY ? NULL : kt_v_cpu(v, ev->cpu);
	struct vthr *t = NULL;
	int rc = 0;

	v->st.events++;
	kt_v_count_event(v, ev);
	if (ev->cpu != KT_V_CPU_ANY && !c)
		return -ENOMEM;
	/* an event makes at most 3 threads' state: its subject, and a
	 * switch's next and the task the CPU's last switch put on it */
	if (kt_v_reserve(v, 3))
		return -ENOMEM;
	if (c && (rc = check_time(v, ev, c)))
		return rc;
	if (ev->utid && !(t = kt_v_thread(v, ev->utid, tasks)))
		return -ENOMEM;
	if (t && !t->ran && ran_event(ev) && (rc = kt_v_ran(v, t)))
		return rc;
	learn(v, ev, t, tasks);
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		return c ? check_switch(v, ev, c, tasks) : 0;
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		v->st.wakeups++;
		return check_known(v, ev, ev->tid, ev->pid, tasks, "waker") ?:
		       check_known(v, ev, ev->wake.target_tid,
				   ev->wake.target_pid, tasks, "target");
	case KT_SYSCALL:
		return check_syscall(v, ev, t, tasks);
	case KT_BLOCK_RQ:
		return check_block(v, ev, tasks);
	case KT_PROC_EXEC:
		/* a thread that exec'd took over the leader's tid: the
		 * leader's last syscall was cut short by its death */
		if (t && ev->exec.old_tid && ev->exec.old_tid != ev->tid)
			t->sys_end = 0;
		return check_identity(v, ev, tasks);
	case KT_PROC_COMM:
		return check_identity(v, ev, tasks);
	}
	return 0;
}

int kt_verify_run(struct kt_verify *v, struct kt_source *src,
		  struct kt_err *err)
{
	const struct kt_event *ev;
	int rc;

	while ((rc = src->next(src, &ev, err)) == 1)
		if ((rc = kt_verify_event(v, ev, src->tasks(src))))
			return rc;
	return rc ?: kt_verify_end(v);
}

