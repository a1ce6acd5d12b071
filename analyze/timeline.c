// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeline.c - the per-thread state machine (see timeline.h).
 *
 * Each thread has one open interval; an event that changes its state
 * closes it and opens the next.  Closed intervals go to the consumer at
 * once, except from a thread's first wait on: syscall records are stamped
 * at their exit, so whether a wait happened inside a syscall is only known
 * when the thread's next record arrives.  Until then the thread's
 * intervals are held (in order), and the record labels and releases them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "timeline_int.h"

static const char *const state_names[KT_TL_NSTATES] = {
	[KT_TL_UNKNOWN] = "unknown",   [KT_TL_RUNNING] = "running",
	[KT_TL_RUNNABLE] = "runnable", [KT_TL_BLOCKED] = "blocked",
	[KT_TL_SLEEPING] = "sleeping", [KT_TL_STOPPED] = "stopped",
	[KT_TL_DEAD] = "dead",
};

static const char *const cause_names[KT_NCAUSES] = {
	[KT_CAUSE_NONE] = "none",     [KT_CAUSE_PREEMPT] = "preempted",
	[KT_CAUSE_TASK] = "woken",    [KT_CAUSE_FORK] = "new",
	[KT_CAUSE_DISK] = "disk",     [KT_CAUSE_TIMER] = "timer",
	[KT_CAUSE_NET] = "net",       [KT_CAUSE_IRQ] = "irq",
	[KT_CAUSE_MISSING] = "missing", [KT_CAUSE_SELF] = "self",
};

const char *kt_tl_state_name(unsigned state)
{
	return state < KT_TL_NSTATES ? state_names[state] : "?";
}

const char *kt_tl_cause_name(unsigned cause)
{
	return cause < KT_NCAUSES ? cause_names[cause] : "?";
}

const char *kt_tl_span_name(unsigned kind)
{
	switch (kind) {
	case KT_SPAN_SYSCALL: return "syscall";
	case KT_SPAN_BLOCK: return "block";
	case KT_SPAN_TCP: return "tcp";
	case KT_SPAN_SIGNAL: return "signal";
	case KT_SPAN_PROCESS: return "process";
	case KT_SPAN_TCP_RETRANS: return "tcp_retrans";
	}
	return "?";
}

__u32 kt_tl_utid_of(const struct kt_tasks *tasks, __u32 tid)
{
	const struct kt_task *t = tasks ? kt_tasks_find(tasks, tid) : NULL;

	return t ? t->utid : 0;
}

/* ------------------------------------------------------------- threads */

static void interval_init(struct kt_tl_interval *iv, struct tl_thread *th,
			  __u64 ts, unsigned state, unsigned cpu)
{
	memset(iv, 0, sizeof(*iv));
	iv->start = ts;
	iv->utid = th->utid;
	iv->tid = th->tid;
	iv->pid = th->pid;
	iv->state = state;
	iv->cpu = cpu;
	iv->sys.nr = KT_TL_NOSYS;
	if (th->exiting)
		iv->flags |= KT_TL_F_EXITING;
	if (th->kthread)
		iv->flags |= KT_TL_F_KTHREAD;
}

/*
 * Close the open interval at @ts and open @state.  A zero-length open
 * interval is replaced, not delivered, and passes its FIRST mark on.
 */
static int set_state(struct kt_tl *tl, struct tl_thread *th, __u64 ts,
		     unsigned state, unsigned cpu, const struct kt_tl_wake *w)
{
	__u8 first = 0;
	int err = 0;

	/* a thread out of scope: events show where it was at an instant,
	 * never what it did between them */
	if (th->untracked && state != KT_TL_DEAD) {
		if (th->cur.state == KT_TL_UNKNOWN)
			return 0;
		state = KT_TL_UNKNOWN;
		w = NULL;
	}

	if (ts > th->cur.start) {
		struct kt_tl_interval iv = th->cur;

		iv.end = ts;
		err = kt_tl_deliver(tl, th, &iv);
	} else {
		first = th->cur.flags & KT_TL_F_FIRST;
	}
	interval_init(&th->cur, th, ts > th->cur.start ? ts : th->cur.start,
		      state, cpu);
	th->cur.flags |= first;
	if (th->untracked && state == KT_TL_UNKNOWN)
		th->cur.flags |= KT_TL_F_UNTRACKED;
	if (w)
		th->cur.wake = *w;
	return err;
}

/* Kernel threads: flagged in the snapshot, or children of kthreadd. */
static bool is_kthread(const struct kt_tasks *tasks, __u32 utid)
{
	const struct kt_task *t = tasks && utid ? kt_tasks_get(tasks, utid) : NULL;

	return t && ((t->flags & KT_TASK_KTHREAD) || t->ppid == 2);
}

/* Out of a scoped recording's scope: its switches are not recorded. */
static bool is_untracked(const struct kt_tl *tl, __u32 utid, bool kthread)
{
	const struct kt_task *t;

	if (!tl->opts.scoped || (kthread && tl->opts.kthreads))
		return false;
	t = tl->tasks && utid ? kt_tasks_get(tl->tasks, utid) : NULL;
	return !t || !(t->flags & KT_TASK_INSCOPE);
}

static struct tl_thread *thread_new(struct kt_tl *tl, __u32 tid, __u32 utid,
				    __u32 pid, __u64 ts, int *err)
{
	struct tl_thread *th = calloc(1, sizeof(*th));
	__u64 v;

	/* a utid names one live thread: another tid claiming it (a table
	 * entry gone stale) gets no identity */
	if (utid && kt_map_get_u64(&tl->by_utid, utid, &v) && v != tid)
		utid = 0;
	if (!th || kt_map_put_u64(&tl->threads, tid, (uintptr_t)th) ||
	    (utid && kt_map_put_u64(&tl->by_utid, utid, tid))) {
		if (th)
			kt_map_del(&tl->threads, tid);
		free(th);
		*err = -ENOMEM;
		return NULL;
	}
	th->tid = tid;
	th->utid = utid;
	th->pid = pid;
	th->first_ts = th->last_ts = ts;
	th->kthread = is_kthread(tl->tasks, utid);
	th->untracked = is_untracked(tl, utid, th->kthread);
	interval_init(&th->cur, th, ts, KT_TL_UNKNOWN, 0);
	th->cur.flags |= KT_TL_F_FIRST;
	if (th->untracked)
		th->cur.flags |= KT_TL_F_UNTRACKED;
	tl->st.threads_live++;
	if (tl->st.threads_live > tl->st.threads_max)
		tl->st.threads_max = tl->st.threads_live;
	return th;
}

/* Take @th out of the tables (it is about to be freed or re-keyed). */
static void forget(struct kt_tl *tl, struct tl_thread *th)
{
	__u64 v;

	kt_map_del(&tl->threads, th->tid);
	if (th->utid && kt_map_get_u64(&tl->by_utid, th->utid, &v) && v == th->tid)
		kt_map_del(&tl->by_utid, th->utid);
	tl->st.threads_live--;
}

static void thread_free(struct tl_thread *th)
{
	if (!th)
		return;
	free(th->held);
	free(th->wakes);
	free(th);
}

static bool has_exited(const struct kt_tasks *tasks, __u32 utid)
{
	const struct kt_task *t = tasks && utid ? kt_tasks_get(tasks, utid) : NULL;

	return t && t->end_ns;
}

/*
 * The thread's life ends at @ts: deliver what is held, then, when it died
 * and the end of the observation is known, its DEAD interval.
 */
static int thread_end(struct kt_tl *tl, struct tl_thread *th, __u64 ts,
		      bool died)
{
	struct kt_tl_interval last;
	__u64 end = tl->opts.end_ts;
	int err;

	if (ts > th->cur.start) {
		last = th->cur;
		last.end = ts;
		if (!died)
			last.flags |= KT_TL_F_OPEN;
		err = kt_tl_deliver(tl, th, &last);
		if (err)
			return err;
	} else {
		last = th->cur;
		last.end = last.start;
	}
	err = kt_tl_release_all(tl, th);
	if (!err)
		err = kt_tl_flush_wakes(tl, th);
	/* only a task the table knows has exited is surely dead for good:
	 * one it does not know (utid 0), or one that died without an exit
	 * event, cannot be told from a later thread reusing its tid */
	if (!err && died && end > ts && has_exited(tl->tasks, th->utid)) {
		interval_init(&last, th, ts, KT_TL_DEAD, th->cur.cpu);
		last.end = end;
		last.flags |= KT_TL_F_OPEN;
		err = kt_tl_emit_interval(tl, &last);
	}
	if (!err && tl->ops.thread_end)
		err = tl->ops.thread_end(&last, tl->arg);
	forget(tl, th);
	thread_free(th);
	return err;
}

/*
 * The thread for @tid, created at @ts in state UNKNOWN on its first
 * appearance.  A known tid with a different utid was reused: the old
 * thread ended unseen at its last event.  NULL for the idle task (tid 0)
 * or on error (*err set).
 */
struct tl_thread *kt_tl_thread_get(struct kt_tl *tl, __u32 tid, __u32 utid,
				   __u32 pid, __u64 ts, int *err)
{
	struct tl_thread *th;
	__u64 v;

	if (!tid)
		return NULL;
	if (kt_map_get_u64(&tl->threads, tid, &v)) {
		th = (struct tl_thread *)(uintptr_t)v;
		/* a thread keeps the identity it had when it first appeared
		 * (utid 0 when the table did not know it then), so that all
		 * its intervals carry one */
		if (!utid || !th->utid || th->utid == utid) {
			if (!th->pid && pid)
				th->pid = th->cur.pid = pid;
			th->last_ts = ts;
			return th;
		}
		*err = thread_end(tl, th, th->last_ts, false);
		if (*err)
			return NULL;
	}
	/* a late event about a task that has exited does not bring it back */
	if (utid && tl->tasks) {
		const struct kt_task *t = kt_tasks_get(tl->tasks, utid);

		if (t && t->end_ns && t->end_ns <= ts)
			return NULL;
	}
	return thread_new(tl, tid, utid, pid, ts, err);
}

__u32 kt_tl_ident(struct kt_tl *tl, __u32 tid, __u32 utid)
{
	__u64 v;

	if (tid && kt_map_get_u64(&tl->threads, tid, &v))
		return ((struct tl_thread *)(uintptr_t)v)->utid;
	return utid;
}

/* The live thread with @tid and @utid (0 matches any), never created. */
static struct tl_thread *thread_peek(struct kt_tl *tl, __u32 tid, __u32 utid)
{
	struct tl_thread *th;
	__u64 v;

	if (!tid || !kt_map_get_u64(&tl->threads, tid, &v))
		return NULL;
	th = (struct tl_thread *)(uintptr_t)v;
	return !utid || !th->utid || th->utid == utid ? th : NULL;
}

static struct tl_thread *subject(struct kt_tl *tl, const struct kt_event *ev,
				 const struct kt_tasks *tasks, int *err)
{
	__u32 utid = ev->utid ? ev->utid : kt_tl_utid_of(tasks, ev->tid);

	return kt_tl_thread_get(tl, ev->tid, utid, ev->pid, ev->ts, err);
}

static struct tl_cpu *cpu_get(struct kt_tl *tl, unsigned cpu)
{
	if (cpu >= tl->ncpus) {
		__u32 n = cpu + 1 > 2 * tl->ncpus ? cpu + 1 : 2 * tl->ncpus;
		struct tl_cpu *c = realloc(tl->cpus, n * sizeof(*c));

		if (!c)
			return NULL;
		memset(c + tl->ncpus, 0, (n - tl->ncpus) * sizeof(*c));
		tl->cpus = c;
		tl->ncpus = n;
	}
	return &tl->cpus[cpu];
}

/*
 * Never invent a state.  The open interval of @th, from its last evidence
 * on, did not happen as the timeline had it: a switch that put it on or
 * took it off a cpu was not recorded (a thread out of a scoped recording's
 * scope, or lost events).  From @since (>= the open interval's start) to
 * the next evidence the thread's state is unknown.
 */
static int lose_track(struct kt_tl *tl, struct tl_thread *th, __u64 since)
{
	unsigned cpu = th->cur.cpu;
	int err;

	if (since < th->cur.start)
		since = th->cur.start;
	if (since == th->cur.start) {
		/* the whole open interval was a guess: rewrite it */
		__u8 keep = th->cur.flags & (KT_TL_F_FIRST | KT_TL_F_EXITING |
					     KT_TL_F_KTHREAD);

		memset(&th->cur.wake, 0, sizeof(th->cur.wake));
		memset(&th->cur.blk, 0, sizeof(th->cur.blk));
		memset(&th->cur.sys, 0, sizeof(th->cur.sys));
		th->cur.sys.nr = KT_TL_NOSYS;
		th->cur.state = KT_TL_UNKNOWN;
		th->cur.flags = keep | KT_TL_F_MISSED;
		return 0;
	}
	err = set_state(tl, th, since, KT_TL_UNKNOWN, cpu, NULL);
	th->cur.flags |= KT_TL_F_MISSED;
	return err;
}

/*
 * @th is on @cpu from @ts: whoever the timeline had running there is not
 * (its switch-out was not recorded), from its own last evidence on.
 */
static int claim_cpu(struct kt_tl *tl, struct tl_thread *th, unsigned cpu,
		     __u64 ts)
{
	struct tl_cpu *c = cpu_get(tl, cpu);
	struct tl_thread *y;
	int err = 0;

	if (!c)
		return -ENOMEM;
	if (c->run_tid && (!th || c->run_tid != th->tid)) {
		y = thread_peek(tl, c->run_tid, c->run_utid);
		if (y && y->cur.state == KT_TL_RUNNING && y->cur.cpu == cpu)
			err = lose_track(tl, y, y->run_seen);
	}
	c->run_tid = th ? th->tid : 0;
	c->run_utid = th ? th->utid : 0;
	if (th)
		th->run_seen = ts;
	return err;
}

/*
 * @th is shown on @cpu at @ts by an event of its own, not by a recorded
 * switch-in.  If the timeline had it elsewhere, the switches in between
 * were not recorded: runnable or running on another cpu since the last
 * evidence becomes unknown.  A wait not ended by a waking was ended by one
 * the capture does not hold (cause MISSING).
 */
static int ensure_running(struct kt_tl *tl, struct tl_thread *th, __u64 ts,
			  unsigned cpu)
{
	int err = 0;

	if (th->cur.state == KT_TL_RUNNING && th->cur.cpu == cpu) {
		th->run_seen = ts;
		return claim_cpu(tl, th, cpu, ts);
	}
	if (th->cur.state == KT_TL_RUNNING)
		err = lose_track(tl, th, th->run_seen);
	else if (th->cur.state == KT_TL_RUNNABLE)
		err = lose_track(tl, th, th->cur.start);
	else if (kt_tl_is_wait(th->cur.state))
		th->cur.wake.cause = KT_CAUSE_MISSING;
	if (!err)
		err = set_state(tl, th, ts, KT_TL_RUNNING, cpu, NULL);
	if (!err)
		err = claim_cpu(tl, th, cpu, ts);
	return err;
}

/* ----------------------------------------------------------- scheduler */

static unsigned state_of(__u32 prev_state, bool *dead)
{
	*dead = false;
	switch (prev_state & KT_STATE_MASK) {
	case KT_STATE_RUNNABLE: return KT_TL_RUNNABLE;
	case KT_STATE_DISK: return KT_TL_BLOCKED;
	case KT_STATE_STOPPED:
	case KT_STATE_TRACED: return KT_TL_STOPPED;
	case KT_STATE_DEAD:
	case KT_STATE_ZOMBIE:
		*dead = true;
		return KT_TL_DEAD;
	default: return KT_TL_SLEEPING; /* S, I, P */
	}
}

static int on_switch(struct kt_tl *tl, const struct kt_event *ev,
		     const struct kt_tasks *tasks)
{
	struct tl_thread *prev, *next;
	int err = 0;

	prev = subject(tl, ev, tasks, &err);
	if (err)
		return err;
	/* prev was on this cpu until now, whatever the timeline had */
	if (prev && !(prev->cur.state == KT_TL_RUNNING &&
		      prev->cur.cpu == ev->cpu))
		err = ensure_running(tl, prev, ev->ts, ev->cpu);
	else
		err = claim_cpu(tl, prev, ev->cpu, ev->ts);
	if (err)
		return err;
	if (prev) {
		bool dead;
		unsigned st = state_of(ev->sw.prev_state, &dead);

		if (dead) {
			err = thread_end(tl, prev, ev->ts, true);
		} else if (kt_tl_is_wait(st) && prev->raced) {
			/* sched_waking fires only for a task in a sleep
			 * state: one that came while it ran found it about
			 * to sleep, and its wakeup takes effect once the
			 * switch-out is done (the switch reports the state
			 * read before): runnable from here */
			err = set_state(tl, prev, ev->ts, KT_TL_RUNNABLE,
					ev->cpu, &prev->race_wake);
			prev->cur.blk = prev->race_blk;
		} else if (st == KT_TL_RUNNABLE) {
			struct kt_tl_wake w = { .ts = ev->ts, .cpu = ev->cpu,
						.cause = KT_CAUSE_PREEMPT };

			err = set_state(tl, prev, ev->ts, st, ev->cpu, &w);
		} else {
			err = set_state(tl, prev, ev->ts, st, ev->cpu, NULL);
		}
		/* a dead thread was freed by thread_end */
		if (!dead)
			prev->raced = false;
		if (err)
			return err;
	}
	next = kt_tl_thread_get(tl, ev->sw.next_tid,
				kt_tl_utid_of(tasks, ev->sw.next_tid),
				ev->sw.next_pid, ev->ts, &err);
	if (err)
		return err;
	if (!next)
		return claim_cpu(tl, NULL, ev->cpu, ev->ts);
	if (next->cur.state == KT_TL_RUNNING)   /* left another cpu unseen */
		err = lose_track(tl, next, next->run_seen);
	else if (kt_tl_is_wait(next->cur.state))
		next->cur.wake.cause = KT_CAUSE_MISSING;
	if (next->cur.state == KT_TL_RUNNABLE)
		next->cur.cpu = ev->cpu;
	next->raced = false;
	if (!err)
		err = set_state(tl, next, ev->ts, KT_TL_RUNNING, ev->cpu, NULL);
	if (!err)
		err = claim_cpu(tl, next, ev->cpu, ev->ts);
	return err;
}

/*
 * A request the wakee itself issued that completed on another cpu just
 * before this interrupt-context wakeup (a completion handled on one cpu
 * and its waiter woken from another): its completion woke it.
 */
static bool own_completion(const struct kt_tl *tl, const struct kt_event *ev,
			   struct kt_tl_blk *blk)
{
	for (__u32 i = 1; i <= TL_RECENT_BLK; i++) {
		const struct kt_tl_blk *b = &tl->recent_blk[(tl->recent_head +
						TL_RECENT_BLK - i) % TL_RECENT_BLK];

		if (!b->complete_ts || ev->ts - b->complete_ts > KT_TL_DISK_WAKE_NS)
			break;
		if (b->issuer_tid && b->issuer_tid == ev->wake.target_tid) {
			*blk = *b;
			return true;
		}
	}
	return false;
}

/* The waking side: who or what woke, from which context. */
static int waker_of(struct kt_tl *tl, const struct kt_event *ev,
		    const struct kt_tasks *tasks, struct kt_tl_wake *w,
		    struct kt_tl_blk *blk, struct tl_thread **wth)
{
	struct tl_cpu *c;
	int err = 0;

	memset(w, 0, sizeof(*w));
	w->ts = ev->ts;
	w->tid = ev->tid;
	w->utid = ev->utid ? ev->utid : kt_tl_utid_of(tasks, ev->tid);
	w->cpu = ev->cpu;
	w->ctx = ev->wake.context;
	*wth = NULL;
	if (ev->kind == KT_SCHED_WAKEUP_NEW) {
		w->cause = KT_CAUSE_FORK;
	} else if (w->ctx == KT_CTX_TASK && ev->tid) {
		w->cause = ev->tid == ev->wake.target_tid ? KT_CAUSE_SELF :
							   KT_CAUSE_TASK;
	} else {
		w->utid = kt_tl_ident(tl, ev->tid, w->utid);
		w->cause = KT_CAUSE_IRQ;
		c = cpu_get(tl, ev->cpu);
		if (!c)
			return -ENOMEM;
		if (c->blk_ts && ev->ts - c->blk_ts <= KT_TL_DISK_WAKE_NS) {
			w->cause = KT_CAUSE_DISK;
			*blk = c->blk;
		} else if (own_completion(tl, ev, blk)) {
			w->cause = KT_CAUSE_DISK;
		}
		return 0;
	}
	*wth = subject(tl, ev, tasks, &err);
	if (*wth && !err) {
		w->utid = (*wth)->utid;
		err = ensure_running(tl, *wth, ev->ts, ev->cpu);
	}
	return err;
}

/*
 * A thread runnable since a wakeup cannot be woken again before it has
 * run and gone back to sleep (the wakeup set it TASK_RUNNING, and
 * sched_waking fires only for a task in a sleep state, which only the
 * task itself enters).  A second wakeup means that run and that sleep were
 * not recorded.  A thread preempted on its way to sleep can be: not that.
 */
static bool missed_run(const struct tl_thread *th, const struct kt_tl_wake *w)
{
	return th->cur.state == KT_TL_RUNNABLE &&
	       th->cur.wake.cause != KT_CAUSE_PREEMPT &&
	       th->cur.wake.cause != KT_CAUSE_NONE &&
	       w->cause != KT_CAUSE_FORK;
}

static int on_waking(struct kt_tl *tl, const struct kt_event *ev,
		     const struct kt_tasks *tasks)
{
	struct tl_thread *wth, *th;
	struct kt_tl_wakeup wu;
	struct kt_tl_blk blk;
	int err;

	memset(&wu, 0, sizeof(wu));
	memset(&blk, 0, sizeof(blk));
	err = waker_of(tl, ev, tasks, &wu.wake, &blk, &wth);
	if (err)
		return err;
	th = kt_tl_thread_get(tl, ev->wake.target_tid,
			      kt_tl_utid_of(tasks, ev->wake.target_tid),
			      ev->wake.target_pid, ev->ts, &err);
	if (!th)
		return err;
	wu.wakee_utid = th->utid;
	wu.wakee_tid = th->tid;
	wu.wakee_state = th->cur.state;
	wu.waker_sys.nr = KT_TL_NOSYS;
	if (kt_tl_is_wait(th->cur.state)) {
		wu.wait_start = th->cur.start;
		th->cur.wake = wu.wake;
		if (wu.wake.cause == KT_CAUSE_DISK)
			th->cur.blk = blk;
		err = set_state(tl, th, ev->ts, KT_TL_RUNNABLE,
				ev->wake.target_cpu, &wu.wake);
		th->cur.blk = blk;
	} else if (th->cur.state == KT_TL_RUNNABLE &&
		   th->cur.wake.cause == KT_CAUSE_FORK &&
		   wu.wake.cause == KT_CAUSE_FORK) {
		/* the wakeup_new of a child runnable since its fork */
		th->cur.cpu = ev->wake.target_cpu;
	} else if (missed_run(th, &wu.wake)) {
		th->cur.state = KT_TL_UNKNOWN;
		th->cur.flags |= KT_TL_F_MISSED;
		memset(&th->cur.wake, 0, sizeof(th->cur.wake));
		memset(&th->cur.blk, 0, sizeof(th->cur.blk));
		err = set_state(tl, th, ev->ts, KT_TL_RUNNABLE,
				ev->wake.target_cpu, &wu.wake);
		th->cur.blk = blk;
	} else if (th->cur.state == KT_TL_RUNNING) {
		/* about to sleep (see on_switch) */
		th->raced = true;
		th->race_wake = wu.wake;
		th->race_blk = blk;
	} else if (th->cur.state == KT_TL_UNKNOWN) {
		/* first appearance: runnable from here */
		err = set_state(tl, th, ev->ts, KT_TL_RUNNABLE,
				ev->wake.target_cpu, &wu.wake);
		th->cur.blk = blk;
	}
	if (err)
		return err;
	/* getting the target may have ended the waker (a reused tid) */
	if (wth)
		wth = thread_peek(tl, ev->tid, wu.wake.utid);
	if (wth && tl->opts.syscalls && tl->ops.wakeup)
		return kt_tl_add_wake(wth, &wu);
	return kt_tl_emit_wakeup(tl, &wu);
}

static int on_migrate(struct kt_tl *tl, const struct kt_event *ev,
		      const struct kt_tasks *tasks)
{
	struct tl_thread *th;
	int err = 0;

	th = kt_tl_thread_get(tl, ev->mig.target_tid,
			      kt_tl_utid_of(tasks, ev->mig.target_tid),
			      ev->mig.target_pid, ev->ts, &err);
	/* waiting for another cpu from here: contention is per cpu */
	if (th && th->cur.state == KT_TL_RUNNABLE &&
	    th->cur.cpu != ev->mig.dest_cpu) {
		struct kt_tl_wake w = th->cur.wake;
		struct kt_tl_blk blk = th->cur.blk;

		err = set_state(tl, th, ev->ts, KT_TL_RUNNABLE,
				ev->mig.dest_cpu, &w);
		th->cur.blk = blk;
	}
	return err;
}

/*
 * Scheduler events of @ev's cpu were lost before @ev's time: whoever the
 * timeline has running there, or runnable waiting for it, may have left
 * or got it unseen.  Their state since their last evidence is unknown.
 */
static int on_lost(struct kt_tl *tl, const struct kt_event *ev)
{
	struct tl_cpu *c;
	int err = 0;

	if (ev->lost.family != KT_FAM_SCHED && ev->lost.family != KT_FAM_MAX)
		return 0;
	c = cpu_get(tl, ev->cpu);
	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < tl->threads.cap && !err; i++) {
		const __u64 *v = kt_map_slot(&tl->threads, i, NULL);
		struct tl_thread *th;

		if (!v)
			continue;
		th = (struct tl_thread *)(uintptr_t)*v;
		if (th->cur.cpu != ev->cpu)
			continue;
		if (th->cur.state == KT_TL_RUNNING)
			err = lose_track(tl, th, th->run_seen);
		else if (th->cur.state == KT_TL_RUNNABLE)
			err = lose_track(tl, th, th->cur.start);
	}
	c->run_tid = c->run_utid = 0;
	return err;
}

/* ---------------------------------------------------------------- proc */

static int on_proc_fork(struct kt_tl *tl, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	struct tl_thread *parent, *child;
	struct kt_tl_wake w;
	int err = 0;

	parent = subject(tl, ev, tasks, &err);
	if (err)
		return err;
	if (parent) {
		err = ensure_running(tl, parent, ev->ts, ev->cpu);
		if (err)
			return err;
	}
	/* getting the child may end the parent (same tid, reused): take
	 * what is needed from it first */
	memset(&w, 0, sizeof(w));
	w.utid = parent ? parent->utid : 0;
	child = kt_tl_thread_get(tl, ev->fork.child_tid,
				 kt_tl_utid_of(tasks, ev->fork.child_tid),
				 ev->fork.child_pid, ev->ts, &err);
	if (!child)
		return err;
	w.ts = ev->ts;
	w.tid = ev->tid;
	w.cpu = ev->cpu;
	w.cause = KT_CAUSE_FORK;
	return set_state(tl, child, ev->ts, KT_TL_RUNNABLE, ev->cpu, &w);
}

/* @th continues under @tid (a non-leader that execs becomes the leader) */
static int rename_thread(struct kt_tl *tl, struct tl_thread *th, __u32 tid)
{
	forget(tl, th);
	th->tid = th->cur.tid = tid;
	for (__u32 i = 0; i < th->nheld; i++)
		kt_tl_held_at(th, i)->tid = tid;
	tl->st.threads_live++;
	if (kt_map_put_u64(&tl->threads, th->tid, (uintptr_t)th) ||
	    (th->utid && kt_map_put_u64(&tl->by_utid, th->utid, th->tid))) {
		forget(tl, th);
		thread_free(th);
		return -ENOMEM;
	}
	return 0;
}

static int on_exec(struct kt_tl *tl, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	struct tl_thread *th, *leader;
	__u64 v;
	int err = 0;

	/* A non-leader thread that execs takes over the leader's tid: the
	 * old leader is gone, the thread continues under the new tid. */
	if (ev->tid && ev->exec.old_tid && ev->exec.old_tid != ev->tid &&
	    kt_map_get_u64(&tl->threads, ev->exec.old_tid, &v)) {
		th = (struct tl_thread *)(uintptr_t)v;
		if (kt_map_get_u64(&tl->threads, ev->tid, &v)) {
			leader = (struct tl_thread *)(uintptr_t)v;
			err = thread_end(tl, leader, ev->ts, true);
			if (err)
				return err;
		}
		/* without a utid the tid is the thread's identity: the old
		 * one's life ends, the new tid starts one */
		if (!th->utid) {
			err = thread_end(tl, th, ev->ts, false);
			if (err)
				return err;
		} else {
			err = rename_thread(tl, th, ev->tid);
			if (err)
				return err;
		}
	}
	th = subject(tl, ev, tasks, &err);
	if (th && !err)
		err = ensure_running(tl, th, ev->ts, ev->cpu);
	return err;
}

static int on_proc_exit(struct kt_tl *tl, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	struct tl_thread *th;
	int err = 0;

	th = subject(tl, ev, tasks, &err);
	if (!th)
		return err;
	err = ensure_running(tl, th, ev->ts, ev->cpu);
	if (err)
		return err;
	th->exiting = true;
	th->cur.flags |= KT_TL_F_EXITING;
	return 0;
}

static int on_syscall(struct kt_tl *tl, const struct kt_event *ev,
		      const struct kt_tasks *tasks)
{
	struct tl_thread *th;
	struct kt_tl_span sp;
	int err = 0;

	th = subject(tl, ev, tasks, &err);
	if (!th)
		return err;
	memset(&sp, 0, sizeof(sp));
	sp.kind = KT_SPAN_SYSCALL;
	sp.utid = th->utid;
	sp.tid = th->tid;
	sp.pid = th->pid;
	kt_tl_sys_from_event(&sp.sys, ev);
	sp.start = sp.sys.start;
	sp.end = sp.sys.end;
	sp.ev = ev;
	if (sp.start < tl->first_ts)
		sp.flags |= KT_SPAN_F_OPEN_START;
	if (ev->sys.flags & KT_SYSCALL_UNFINISHED) {
		/* emitted at the end for a syscall still in progress: the
		 * thread may still be waiting in it */
		sp.flags |= KT_SPAN_F_OPEN_END;
		if (kt_tl_is_wait(th->cur.state) &&
		    th->cur.start >= sp.start) {
			th->cur.sys = sp.sys;
			th->cur.flags |= TL_F_LABELED;
		}
	} else {
		err = ensure_running(tl, th, ev->ts, ev->cpu);
	}
	th->sys_seen = true;
	th->unrecorded = false;
	if (!err)
		err = kt_tl_label_held(tl, th, &sp.sys);
	if (!err)
		err = kt_tl_label_wakes(tl, th, &sp.sys);
	if (!err)
		err = kt_tl_emit_span(tl, &sp);
	return err;
}

/* --------------------------------------------------------------- block */

static int on_block(struct kt_tl *tl, const struct kt_event *ev,
		    const struct kt_tasks *tasks)
{
	struct kt_tl_span sp;
	struct tl_cpu *c;

	memset(&sp, 0, sizeof(sp));
	sp.kind = KT_SPAN_BLOCK;
	sp.tid = ev->tid;
	sp.pid = ev->pid;
	sp.utid = kt_tl_ident(tl, ev->tid, ev->utid ? ev->utid :
			      kt_tl_utid_of(tasks, ev->tid));
	sp.blk.complete_ts = ev->ts;
	sp.blk.issue_ts = ev->blk.service_ns <= ev->ts ?
			  ev->ts - ev->blk.service_ns : 0;
	sp.blk.sector = ev->blk.sector;
	sp.blk.dev = ev->blk.dev;
	sp.blk.op = ev->blk.op;
	sp.blk.bytes = ev->blk.bytes;
	sp.blk.error = ev->blk.error;
	sp.blk.issuer_utid = sp.utid;
	sp.blk.issuer_tid = ev->tid;
	sp.blk.issue_cpu = ev->blk.issue_cpu;
	sp.blk.complete_cpu = ev->cpu;
	sp.blk.flags = ev->blk.flags;
	sp.start = sp.blk.issue_ts;
	sp.end = ev->ts;
	sp.ev = ev;
	if (sp.start < tl->first_ts)
		sp.flags |= KT_SPAN_F_OPEN_START;
	if (ev->blk.flags & KT_BLOCK_INCOMPLETE) {
		sp.flags |= KT_SPAN_F_OPEN_END;
	} else {
		c = cpu_get(tl, ev->cpu);
		if (!c)
			return -ENOMEM;
		c->blk_ts = ev->ts;
		c->blk = sp.blk;
		tl->recent_blk[tl->recent_head] = sp.blk;
		tl->recent_head = (tl->recent_head + 1) % TL_RECENT_BLK;
	}
	return kt_tl_emit_span(tl, &sp);
}

/* ------------------------------------------------------------- driving */

struct kt_tl *kt_tl_new(const struct kt_tl_opts *opts,
			const struct kt_tl_ops *ops, void *arg)
{
	struct kt_tl *tl = calloc(1, sizeof(*tl));

	if (!tl) {
		errno = ENOMEM;
		return NULL;
	}
	if (opts)
		tl->opts = *opts;
	if (ops)
		tl->ops = *ops;
	tl->arg = arg;
	kt_map_init(&tl->threads, sizeof(__u64));
	kt_map_init(&tl->by_utid, sizeof(__u64));
	kt_map_init(&tl->procs, sizeof(__u64));
	kt_map_init(&tl->sigs, sizeof(__u64));
	kt_map_init(&tl->tcps, sizeof(__u64));
	return tl;
}

/* Task-context events that prove their subject is on a cpu. */
static int on_running_subject(struct kt_tl *tl, const struct kt_event *ev,
			      const struct kt_tasks *tasks)
{
	struct tl_thread *th;
	int err = 0;

	th = subject(tl, ev, tasks, &err);
	if (th && !err)
		err = ensure_running(tl, th, ev->ts, ev->cpu);
	return err;
}

int kt_tl_event(struct kt_tl *tl, const struct kt_event *ev,
		const struct kt_tasks *tasks)
{
	int err = 0;

	tl->tasks = tasks;
	if (!tl->any) {
		tl->first_ts = ev->ts;
		tl->any = true;
	}
	tl->last_ts = ev->ts;
	tl->st.events++;
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		err = on_switch(tl, ev, tasks);
		break;
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		err = on_waking(tl, ev, tasks);
		break;
	case KT_SCHED_MIGRATE:
		err = on_migrate(tl, ev, tasks);
		break;
	case KT_PROC_FORK:
		err = on_proc_fork(tl, ev, tasks);
		break;
	case KT_PROC_EXEC:
		err = on_exec(tl, ev, tasks);
		break;
	case KT_PROC_EXIT:
		err = on_proc_exit(tl, ev, tasks);
		break;
	case KT_SYSCALL:
		err = on_syscall(tl, ev, tasks);
		break;
	case KT_BLOCK_RQ:
		err = on_block(tl, ev, tasks);
		break;
	case KT_PAGE_FAULT:
		err = on_running_subject(tl, ev, tasks);
		break;
	case KT_LOST:
		err = on_lost(tl, ev);
		break;
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER:
		if ((ev->kind == KT_SIGNAL_DELIVER ||
		     ev->sig.context == KT_CTX_TASK) && ev->tid)
			err = on_running_subject(tl, ev, tasks);
		break;
	}
	if (!err)
		err = kt_tl_spans_event(tl, ev, tasks);
	return err;
}

static int cmp_tid(const void *a, const void *b)
{
	const struct tl_thread *x = *(struct tl_thread *const *)a;
	const struct tl_thread *y = *(struct tl_thread *const *)b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

int kt_tl_finish(struct kt_tl *tl)
{
	__u64 end = tl->opts.end_ts ? tl->opts.end_ts : tl->last_ts;
	struct tl_thread **all;
	const __u64 *v;
	size_t n;
	int err = 0;

	if (tl->finished)
		return 0;
	tl->finished = true;
	if (end < tl->last_ts)
		end = tl->last_ts;
	/* thread_end removes from the table: take the list first, in tid
	 * order so that the output does not depend on the hash layout */
	n = tl->threads.n;
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (size_t i = 0, j = 0; i < tl->threads.cap; i++)
		if ((v = kt_map_slot(&tl->threads, i, NULL)))
			all[j++] = (struct tl_thread *)(uintptr_t)*v;
	qsort(all, n, sizeof(*all), cmp_tid);
	for (size_t i = 0; i < n && !err; i++)
		err = thread_end(tl, all[i], end, false);
	free(all);
	if (!err)
		err = kt_tl_spans_finish(tl, end);
	return err;
}

void kt_tl_free(struct kt_tl *tl)
{
	const __u64 *v;

	if (!tl)
		return;
	for (size_t i = 0; i < tl->threads.cap; i++)
		if ((v = kt_map_slot(&tl->threads, i, NULL)))
			thread_free((struct tl_thread *)(uintptr_t)*v);
	kt_map_release(&tl->threads);
	kt_map_release(&tl->by_utid);
	kt_tl_spans_free(tl);
	free(tl->cpus);
	free(tl);
}

int kt_tl_run(struct kt_tl *tl, struct kt_source *src, struct kt_err *err)
{
	const struct kt_event *ev;
	int rc;

	while ((rc = src->next(src, &ev, err)) > 0) {
		rc = kt_tl_event(tl, ev, src->tasks(src));
		if (rc)
			return rc;
	}
	if (rc < 0)
		return rc;
	return kt_tl_finish(tl);
}

void kt_tl_stats(const struct kt_tl *tl, struct kt_tl_stats *st)
{
	*st = tl->st;
}
