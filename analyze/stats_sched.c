// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_sched.c - runqlat, offcputime and top: the tools that need to know
 * what each thread is doing.  They track it with a minimal per-thread
 * state machine driven by switch and waking events (Perfetto's
 * thread_state rules: runnable starts at waking, or at a switch-out whose
 * prev_state is R; running at switch-in; anything else is off-CPU with
 * prev_state as the reason).  analyze/timeline.h, when it lands, is the
 * full version of this; these tools only need the transitions.
 *
 * Memory: one entry per live thread (removed at exit) and per CPU, plus
 * one aggregate per output row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/names.h"
#include "analyze/stats_int.h"

enum { TS_UNKNOWN, TS_RUNNING, TS_RUNNABLE, TS_OFF };

struct thr {
	__u64 since;            /* start of the current state */
	__u32 pid;
	__u8 state;
	__u8 reason;            /* enum kt_task_state at switch-out */
	__u16 npend;            /* offcputime: pending intervals */
	struct offpend *pend;   /* offcputime: owned */
};

/* Look up @tid (created in TS_UNKNOWN when absent); NULL on ENOMEM. */
static struct thr *thr_get(struct kt_map *m, __u32 tid, __u32 pid)
{
	struct thr *t = kt_map_put(m, tid, NULL);

	if (t && pid)
		t->pid = pid;
	return t;
}

/* A row of a per-key aggregate: latency histograms (runqlat) or sums
 * (offcputime, top).  The first two members are the sort key. */
struct agg {
	__u64 total;            /* sort key: ns */
	__u64 key;              /* tie-break and identity */
	__u64 count, max;
	__u32 pid, tid;
	__u32 reason, nr;       /* offcputime */
	char comm[32];
	struct kt_log2 h;       /* runqlat only */
};

static struct agg *agg_get(struct kt_st *st, struct kt_map *m, __u64 key,
			   __u32 tid, __u32 pid)
{
	struct agg *a = kt_map_put(m, key, NULL);

	if (!a)
		return NULL;
	a->key = key;
	a->tid = tid;
	a->pid = pid;
	kt_st_copy_comm(st, tid, a->comm, sizeof(a->comm));
	return a;
}

/* -------------------------------------------------------------- runqlat */

struct runq_st {
	struct kt_map thr;
	struct kt_map hist;
};

static int runq_init(struct kt_st *st)
{
	struct runq_st *r = st->priv;

	kt_map_init(&r->thr, sizeof(struct thr));
	kt_map_init(&r->hist, sizeof(struct agg));
	return 0;
}

static int runq_wake(struct runq_st *r, const struct kt_event *ev)
{
	struct thr *t;

	if (!ev->wake.target_tid)
		return 0;
	t = thr_get(&r->thr, ev->wake.target_tid, ev->wake.target_pid);
	if (!t)
		return -ENOMEM;
	/* waking a running or already runnable thread changes nothing */
	if (t->state != TS_RUNNING && t->state != TS_RUNNABLE) {
		t->state = TS_RUNNABLE;
		t->since = ev->ts;
	}
	return 0;
}

static int runq_switch(struct kt_st *st, const struct kt_event *ev)
{
	struct runq_st *r = st->priv;
	__u32 tid = ev->sw.next_tid;
	__u64 key, lat;
	struct thr *t;
	struct agg *a;

	if (ev->tid) {
		t = thr_get(&r->thr, ev->tid, ev->pid);
		if (!t)
			return -ENOMEM;
		t->state = (ev->sw.prev_state & KT_STATE_MASK) ==
			   KT_STATE_RUNNABLE ? TS_RUNNABLE : TS_OFF;
		t->since = ev->ts;
	}
	if (!tid)
		return 0;
	t = thr_get(&r->thr, tid, ev->sw.next_pid);
	if (!t)
		return -ENOMEM;
	if (t->state == TS_RUNNABLE && kt_st_match(st, tid, t->pid)) {
		lat = ev->ts - t->since;
		key = st->opts->per_thread ? tid :
		      st->opts->per_process ? t->pid : 0;
		a = agg_get(st, &r->hist, key,
			    st->opts->per_process ? t->pid : tid, t->pid);
		if (!a)
			return -ENOMEM;
		a->count++;
		a->total += lat;
		kt_log2_add(&a->h, lat / (st->opts->ms ? 1000000 : 1000));
	}
	t->state = TS_RUNNING;
	t->since = ev->ts;
	return 0;
}

static int runq_event(struct kt_st *st, const struct kt_event *ev)
{
	struct runq_st *r = st->priv;

	switch (ev->kind) {
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		return runq_wake(r, ev);
	case KT_SCHED_SWITCH:
		return runq_switch(st, ev);
	case KT_PROC_EXIT:
		kt_map_del(&r->thr, ev->tid);
		return 0;
	}
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct agg *x = *(const struct agg *const *)a;
	const struct agg *y = *(const struct agg *const *)b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int runq_finish(struct kt_st *st)
{
	struct runq_st *r = st->priv;
	const char *unit = st->opts->ms ? "msecs" : "usecs";
	bool split = st->opts->per_thread || st->opts->per_process;
	struct kt_out *o = st->o;
	struct agg **v, empty = { 0 };
	size_t n, i;

	v = (struct agg **)kt_map_sorted(&r->hist, &n, cmp_key);
	if (!v && n)
		return -ENOMEM;
	for (i = 0; i < (n ? n : !split); i++) {
		const struct agg *a = n ? v[i] : &empty;

		if (st->opts->json) {
			kt_out_jopen(o, '{');
			if (st->opts->per_thread)
				kt_out_jkv_u64(o, "tid", a->tid);
			if (split)
				kt_out_jkv_u64(o, "pid", a->pid);
			if (split)
				kt_out_jkv_cstr(o, "comm", a->comm);
			kt_out_jkv_cstr(o, "unit", unit);
			kt_out_jkv_u64(o, "count", a->count);
			kt_out_jkv_u64(o, "total_ns", a->total);
			kt_log2_json(o, &a->h);
			kt_out_jclose(o, '}');
			kt_out_ch(o, '\n');
			continue;
		}
		if (split) {
			kt_out_str(o, i ? "\n" : "");
			kt_out_str(o, st->opts->per_thread ? "tid = " : "pid = ");
			kt_out_u64(o, a->key);
			kt_out_ch(o, ' ');
			kt_out_esc(o, a->comm, strlen(a->comm));
			kt_out_ch(o, '\n');
		}
		kt_log2_print(o, &a->h, unit);
	}
	free(v);
	return 0;
}

static void runq_release(struct kt_st *st)
{
	struct runq_st *r = st->priv;

	kt_map_release(&r->thr);
	kt_map_release(&r->hist);
}

const struct kt_stats_tool kt_st_runqlat = {
	.name = "runqlat",
	.options = "ms,per-process,per-thread",
	.summary = "run queue latency (waking or preemption to running), "
		   "log2 histogram",
	.kinds = KT_KIND_BIT(KT_SCHED_SWITCH) | KT_KIND_BIT(KT_SCHED_WAKING) |
		 KT_KIND_BIT(KT_SCHED_WAKEUP_NEW) | KT_KIND_BIT(KT_PROC_EXIT),
	.priv_size = sizeof(struct runq_st),
	.init = runq_init,
	.event = runq_event,
	.finish = runq_finish,
	.release = runq_release,
};

/* ----------------------------------------------------------- offcputime */

/*
 * An off-CPU interval is known at switch-in, but the syscall it happened
 * in only when that syscall's record arrives (stamped at its end).  So
 * intervals wait per thread until the thread's next syscall record: those
 * that started after the syscall entered belong to it, earlier ones to no
 * syscall.
 */
struct offint {
	__u64 out, in;
	__u32 reason;
};

/* Intervals older than the KT_OFFCPU_PENDING newest, summed by reason:
 * the next syscall record takes them all when it started before the
 * first of them, none when it started after the last (a thread that
 * spins without syscalls, preempted again and again); only a start in
 * between leaves them "(unknown)". */
struct spill {
	__u64 min_out, max_out, total, max;
	__u32 count, reason;
};

#define KT_OFFCPU_SPILL 4       /* reasons summed; more are "(unknown)" */

struct offpend {
	struct offint iv[KT_OFFCPU_PENDING];
	struct spill sp[KT_OFFCPU_SPILL];
	unsigned nsp;
};

/* offcputime's reason for the wait for a cpu after a wakeup: a wait
 * ends at its wakeup (sched_waking), and what follows until the switch-in
 * is run-queue time, not more of the wait (a thread woken from D inside
 * sched_setaffinity that waits 4 ms for its new cpu did not wait 4 ms for
 * anything uninterruptible).  Not a kernel state: above KT_STATE_MASK's
 * values. */
#define OFF_WOKEN 0x7f

#define NR_NONE 0xffffffffu     /* not in a syscall */
#define NR_UNKNOWN 0xfffffffeu  /* pending list overflowed */

struct offcpu_st {
	struct kt_map thr;
	struct kt_map rows;
	bool have_sys;
};

static int offcpu_init(struct kt_st *st)
{
	struct offcpu_st *s = st->priv;
	__u64 have = st->opts->have_kinds;

	kt_map_init(&s->thr, sizeof(struct thr));
	kt_map_init(&s->rows, sizeof(struct agg));
	s->have_sys = !have || (have & KT_KIND_BIT(KT_SYSCALL));
	return 0;
}

/* Add @count intervals of @reason, @total ns in all, the longest @max,
 * to the row of (@tid or @pid, reason, @nr). */
static int offcpu_add_n(struct kt_st *st, __u32 tid, __u32 pid,
			__u32 reason, __u32 nr, __u32 count, __u64 total,
			__u64 max)
{
	struct offcpu_st *s = st->priv;
	__u64 who = st->opts->per_process ? pid : tid;
	__u32 nr16 = nr == NR_NONE ? 0xffff : nr == NR_UNKNOWN ? 0xfffe :
		     nr < 0xfffd ? nr : 0xfffd;
	__u64 key = who << 32 | (__u64)(reason & 0xff) << 16 | nr16;
	struct agg *a;

	if (!kt_st_match(st, tid, pid))
		return 0;
	a = kt_map_put(&s->rows, key, NULL);
	if (!a)
		return -ENOMEM;
	if (!a->count) {
		a->key = key;
		a->pid = pid;
		a->tid = st->opts->per_process ? 0 : tid;
		a->reason = reason;
		a->nr = nr;
	}
	kt_st_copy_comm(st, st->opts->per_process ? pid : tid, a->comm,
			sizeof(a->comm));
	a->count += count;
	a->total += total;
	if (max > a->max)
		a->max = max;
	return 0;
}

static int offcpu_add(struct kt_st *st, __u32 tid, __u32 pid,
		      const struct offint *iv, __u32 nr)
{
	return offcpu_add_n(st, tid, pid, iv->reason, nr, 1, iv->in - iv->out,
			    iv->in - iv->out);
}

/* Sum @iv into the spill of @p; false when its buckets are full. */
static bool spill_put(struct offpend *p, const struct offint *iv)
{
	__u64 d = iv->in - iv->out;
	struct spill *b = NULL;

	for (unsigned i = 0; i < p->nsp && !b; i++)
		if (p->sp[i].reason == iv->reason)
			b = &p->sp[i];
	if (!b && p->nsp == KT_OFFCPU_SPILL)
		return false;
	if (!b) {
		b = &p->sp[p->nsp++];
		memset(b, 0, sizeof(*b));
		b->reason = iv->reason;
		b->min_out = iv->out;
	}
	b->count++;
	b->total += d;
	b->max = d > b->max ? d : b->max;
	b->min_out = iv->out < b->min_out ? iv->out : b->min_out;
	b->max_out = iv->out > b->max_out ? iv->out : b->max_out;
	return true;
}

/* The spill's rows, for a syscall that started at @start (~0: none). */
static int spill_flush(struct kt_st *st, __u32 tid, struct thr *t,
		       __u64 start, __u32 nr)
{
	struct offpend *p = t->pend;
	int rc = 0;

	for (unsigned i = 0; p && i < p->nsp && !rc; i++) {
		const struct spill *b = &p->sp[i];
		__u32 to = b->min_out >= start ? nr :
			   b->max_out < start ? NR_NONE : NR_UNKNOWN;

		rc = offcpu_add_n(st, tid, t->pid, b->reason, to, b->count,
				  b->total, b->max);
	}
	if (p)
		p->nsp = 0;
	return rc;
}

/* Attribute the pending intervals of @t: to @nr when they started at or
 * after @start, to no syscall before. */
static int offcpu_flush(struct kt_st *st, __u32 tid, struct thr *t,
			__u64 start, __u32 nr)
{
	int rc = spill_flush(st, tid, t, start, nr);

	for (unsigned i = 0; i < t->npend && !rc; i++)
		rc = offcpu_add(st, tid, t->pid, &t->pend->iv[i],
				t->pend->iv[i].out >= start ? nr : NR_NONE);
	t->npend = 0;
	return rc;
}

static bool kthread(struct kt_st *st, __u32 tid)
{
	const struct kt_task *k = kt_st_task(st, tid);

	return k && (k->flags & KT_TASK_KTHREAD);
}

static int offcpu_in(struct kt_st *st, struct thr *t, __u32 tid, __u64 ts)
{
	struct offcpu_st *s = st->priv;
	struct offint iv = { t->since, ts, t->reason };
	int rc;

	/* a kernel thread makes no syscall: nothing to wait for (waiting
	 * split its rows in "-" and, past KT_OFFCPU_PENDING, "?") */
	if (!s->have_sys || kthread(st, tid))
		return offcpu_add(st, tid, t->pid, &iv, NR_NONE);
	if (!t->pend) {
		t->pend = malloc(sizeof(*t->pend));
		if (!t->pend)
			return -ENOMEM;
		t->pend->nsp = 0;
	}
	if (t->npend == KT_OFFCPU_PENDING) {
		/* no syscall ended in a long time: sum the oldest */
		if (!spill_put(t->pend, &t->pend->iv[0]) &&
		    (rc = offcpu_add(st, tid, t->pid, &t->pend->iv[0],
				     NR_UNKNOWN)))
			return rc;
		memmove(t->pend->iv, t->pend->iv + 1,
			(t->npend - 1) * sizeof(iv));
		t->npend--;
	}
	t->pend->iv[t->npend++] = iv;
	return 0;
}

static int offcpu_event(struct kt_st *st, const struct kt_event *ev)
{
	struct offcpu_st *s = st->priv;
	struct thr *t;
	int rc = 0;

	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		if (ev->tid) {
			t = thr_get(&s->thr, ev->tid, ev->pid);
			if (!t)
				return -ENOMEM;
			t->state = TS_OFF;
			t->since = ev->ts;
			t->reason = ev->sw.prev_state & KT_STATE_MASK;
		}
		if (!ev->sw.next_tid)
			return 0;
		t = thr_get(&s->thr, ev->sw.next_tid, ev->sw.next_pid);
		if (!t)
			return -ENOMEM;
		if (t->state == TS_OFF)
			rc = offcpu_in(st, t, ev->sw.next_tid, ev->ts);
		t->state = TS_RUNNING;
		return rc;
	case KT_SCHED_WAKING:
		/* a wait ends at its wakeup; a preempted thread (R) was
		 * waiting for a cpu all along */
		t = kt_map_get(&s->thr, ev->wake.target_tid);
		if (!t || t->state != TS_OFF || t->reason == KT_STATE_RUNNABLE ||
		    t->reason == OFF_WOKEN)
			return 0;
		rc = offcpu_in(st, t, ev->wake.target_tid, ev->ts);
		t->since = ev->ts;
		t->reason = OFF_WOKEN;
		return rc;
	case KT_SYSCALL:
		t = kt_map_get(&s->thr, ev->tid);
		if (t && (t->npend || (t->pend && t->pend->nsp)))
			rc = offcpu_flush(st, ev->tid, t, ev->ts - ev->sys.dur,
					  ev->sys.nr);
		return rc;
	case KT_PROC_EXIT:
		t = kt_map_get(&s->thr, ev->tid);
		if (t) {
			rc = offcpu_flush(st, ev->tid, t, ~0ULL, NR_NONE);
			free(t->pend);
			kt_map_del(&s->thr, ev->tid);
		}
		return rc;
	}
	return 0;
}

/* "blocked" for D, as the timeline says: uninterruptible is not always
 * the disk (a mutex, a completion such as a migration's) */
static const char *reason_name(__u32 reason)
{
	return reason == KT_STATE_RUNNABLE ? "preempted" :
	       reason == OFF_WOKEN ? "runnable" :
	       reason == KT_STATE_DISK ? "blocked" :
	       kt_task_state_name(reason) ?: "?";
}

static void nr_name(char *buf, size_t sz, __u32 nr)
{
	const char *n = nr == NR_NONE ? "(no syscall)" :
			nr == NR_UNKNOWN ? "(unknown)" : kt_syscall_name(nr);

	if (n)
		snprintf(buf, sz, "%s", n);
	else
		snprintf(buf, sz, "sys_%u", nr);
}

static int offcpu_finish(struct kt_st *st)
{
	struct offcpu_st *s = st->priv;
	struct kt_out *o = st->o;
	struct agg **v;
	struct thr *t;
	char name[32];
	__u64 tid;
	size_t n, i;
	int rc;

	for (i = 0; i < s->thr.cap; i++)
		if ((t = kt_map_slot(&s->thr, i, &tid)) &&
		    (t->npend || (t->pend && t->pend->nsp)) &&
		    (rc = offcpu_flush(st, (__u32)tid, t, ~0ULL, NR_NONE)))
			return rc;
	v = (struct agg **)kt_map_sorted(&s->rows, &n, kt_st_cmp_desc);
	if (!v && n)
		return -ENOMEM;
	if (st->opts->top && n > st->opts->top)
		n = st->opts->top;
	if (!st->opts->json)
		kt_out_str(o, "PID     TID     COMM             REASON     "
			   "SYSCALL                  COUNT      TOTAL(us)"
			   "        MAX(us)\n");
	for (i = 0; i < n; i++) {
		const struct agg *a = v[i];

		nr_name(name, sizeof(name), a->nr);
		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_u64(o, "pid", a->pid);
			if (!st->opts->per_process)
				kt_out_jkv_u64(o, "tid", a->tid);
			kt_out_jkv_cstr(o, "comm", a->comm);
			kt_out_jkv_cstr(o, "reason", reason_name(a->reason));
			kt_out_jkv_cstr(o, "syscall", name);
			kt_out_jkv_u64(o, "count", a->count);
			kt_out_jkv_u64(o, "total_ns", a->total);
			kt_out_jkv_u64(o, "max_ns", a->max);
			kt_out_jclose(o, '}');
		} else {
			kt_out_u64w(o, a->pid, -7);
			kt_out_ch(o, ' ');
			if (st->opts->per_process)
				kt_out_strw(o, "-", -7);
			else
				kt_out_u64w(o, a->tid, -7);
			kt_out_ch(o, ' ');
			kt_out_escw(o, a->comm, -16);
			kt_out_ch(o, ' ');
			kt_out_strw(o, reason_name(a->reason), -10);
			kt_out_ch(o, ' ');
			kt_out_strw(o, name, -20);
			kt_out_u64w(o, a->count, 10);
			kt_out_decw(o, a->total, 3, 3, 15);
			kt_out_decw(o, a->max, 3, 3, 15);
		}
		kt_out_ch(o, '\n');
	}
	free(v);
	return 0;
}

static void offcpu_release(struct kt_st *st)
{
	struct offcpu_st *s = st->priv;
	struct thr *t;

	for (size_t i = 0; i < s->thr.cap; i++)
		if ((t = kt_map_slot(&s->thr, i, NULL)))
			free(t->pend);
	kt_map_release(&s->thr);
	kt_map_release(&s->rows);
}

const struct kt_stats_tool kt_st_offcputime = {
	.name = "offcputime",
	.options = "top,per-process",
	.summary = "off-CPU time by thread, reason (sleeping, blocked, "
		   "preempted, runnable) and syscall",
	.kinds = KT_KIND_BIT(KT_SCHED_SWITCH) | KT_KIND_BIT(KT_SCHED_WAKING) |
		 KT_KIND_BIT(KT_SYSCALL) | KT_KIND_BIT(KT_PROC_EXIT),
	.priv_size = sizeof(struct offcpu_st),
	.init = offcpu_init,
	.event = offcpu_event,
	.finish = offcpu_finish,
	.release = offcpu_release,
};

/* ------------------------------------------------------------------ top */

struct cpu_cur {
	__u64 since;
	__u32 tid, pid;
};

struct top_st {
	struct kt_map cpus;     /* cpu -> struct cpu_cur */
	struct kt_map rows;
};

static int top_init(struct kt_st *st)
{
	struct top_st *s = st->priv;

	kt_map_init(&s->cpus, sizeof(struct cpu_cur));
	kt_map_init(&s->rows, sizeof(struct agg));
	return 0;
}

static int top_add(struct kt_st *st, __u32 tid, __u32 pid, __u64 ns,
		   bool switched)
{
	struct top_st *s = st->priv;
	__u64 key = st->opts->per_process ? pid : tid;
	struct agg *a;

	if (!tid || !kt_st_match(st, tid, pid))
		return 0;
	a = agg_get(st, &s->rows, key, st->opts->per_process ? pid : tid, pid);
	if (!a)
		return -ENOMEM;
	if (st->opts->per_process)
		a->tid = 0;
	a->total += ns;
	a->count += switched;
	return 0;
}

static int top_event(struct kt_st *st, const struct kt_event *ev)
{
	struct top_st *s = st->priv;
	struct cpu_cur *c;
	bool created;
	int rc = 0;

	c = kt_map_put(&s->cpus, ev->cpu, &created);
	if (!c)
		return -ENOMEM;
	/* a task already running when the window opened ran since then */
	if (created)
		rc = top_add(st, ev->tid, ev->pid, ev->ts - st->first_ts, true);
	else if (c->tid == ev->tid)
		rc = top_add(st, ev->tid, ev->pid, ev->ts - c->since, true);
	c->tid = ev->sw.next_tid;
	c->pid = ev->sw.next_pid;
	c->since = ev->ts;
	return rc;
}

static int top_finish(struct kt_st *st)
{
	struct top_st *s = st->priv;
	__u64 win = st->last_ts - st->first_ts;
	struct kt_out *o = st->o;
	struct cpu_cur *c;
	struct agg **v;
	size_t n, i;
	int rc;

	for (i = 0; i < s->cpus.cap; i++)
		if ((c = kt_map_slot(&s->cpus, i, NULL)) &&
		    (rc = top_add(st, c->tid, c->pid, st->last_ts - c->since,
				  false)))
			return rc;
	v = (struct agg **)kt_map_sorted(&s->rows, &n, kt_st_cmp_desc);
	if (!v && n)
		return -ENOMEM;
	if (st->opts->top && n > st->opts->top)
		n = st->opts->top;
	if (!st->opts->json)
		kt_out_str(o, "PID     TID     COMM                 CPU(ms)"
			   "   %CPU   SWITCHES\n");
	for (i = 0; i < n; i++) {
		const struct agg *a = v[i];
		__u64 permille = win ? a->total * 1000 / win : 0;

		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_u64(o, "pid", a->pid);
			if (!st->opts->per_process)
				kt_out_jkv_u64(o, "tid", a->tid);
			kt_out_jkv_cstr(o, "comm", a->comm);
			kt_out_jkv_u64(o, "cpu_ns", a->total);
			kt_out_jkv_u64(o, "window_ns", win);
			kt_out_jkv_u64(o, "switches", a->count);
			kt_out_jclose(o, '}');
		} else {
			kt_out_u64w(o, a->pid, -7);
			kt_out_ch(o, ' ');
			if (st->opts->per_process)
				kt_out_strw(o, "-", -7);
			else
				kt_out_u64w(o, a->tid, -7);
			kt_out_ch(o, ' ');
			kt_out_escw(o, a->comm, -16);
			kt_out_decw(o, a->total, 6, 3, 12);
			kt_out_decw(o, permille, 1, 1, 7);
			kt_out_u64w(o, a->count, 11);
		}
		kt_out_ch(o, '\n');
	}
	free(v);
	return 0;
}

static void top_release(struct kt_st *st)
{
	struct top_st *s = st->priv;

	kt_map_release(&s->cpus);
	kt_map_release(&s->rows);
}

const struct kt_stats_tool kt_st_top = {
	.name = "top",
	.options = "top,per-process",
	.summary = "CPU time by thread (or process) from context switches",
	.kinds = KT_KIND_BIT(KT_SCHED_SWITCH),
	.priv_size = sizeof(struct top_st),
	.init = top_init,
	.event = top_event,
	.finish = top_finish,
	.release = top_release,
};
