// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_cand.c - the spans only a timeline shows (see why.h): wait
 * intervals in no recorded syscall, CPU stretches, and the thread of a
 * --from/--to range.
 *
 * A CPU stretch is built per thread from its intervals, which come in
 * time order: running and runnable intervals extend it; a wait, death or
 * the thread's end ends it.  Unknown time between two running or
 * runnable intervals (a switch the capture lost) does not end it: the
 * stretch is between two waits, and that time stays unknown in the
 * attribution, where it lowers the confidence; unknown time before a
 * wait or the end is not part of it.
 */
#include <errno.h>
#include <string.h>
#include "why_int.h"
#include "window.h"
#include "analyze/map.h"

/* a thread's stretch being built */
struct stretch {
	bool active;
	bool first;             /* began at the thread's first interval */
	struct kt_why_span sp;
};

struct cand {
	const struct kt_why_opts *o;
	bool all_waits;
	struct kt_map thr;      /* thread key -> struct stretch */
	struct kt_why_span wait, cpu;
	bool have_wait, have_cpu;
	bool cpu_first;         /* the best stretch began at its thread's
				 * first interval (maybe cut by the window) */
	bool passed;            /* --at with a thread: its timeline passed
				 * the time asked */
};

#define CAND_DONE 1             /* stop the build: the answer is known */

static __u64 thread_key(__u32 utid, __u32 tid)
{
	return utid ? utid : (1ULL << 32) | tid;
}

static bool mine(const struct kt_why_opts *o, const struct kt_tl_interval *iv)
{
	return (!o->pid || iv->pid == o->pid) && (!o->tid || iv->tid == o->tid);
}

static void close_stretch(struct cand *c, struct stretch *s)
{
	if (!s->active)
		return;
	s->active = false;
	if (c->o->sys_nr >= 0 ||
	    !kt_why_wanted(c->o, s->sp.start, s->sp.end, s->sp.open))
		return;
	if (kt_why_better(&s->sp, &c->cpu, c->have_cpu)) {
		c->cpu = s->sp;
		c->have_cpu = true;
		c->cpu_first = s->first;
	}
}

static void extend_stretch(struct stretch *s, const struct kt_tl_interval *iv)
{
	__u64 len = iv->end - iv->start;

	if (!s->active) {
		memset(&s->sp, 0, sizeof(s->sp));
		s->active = true;
		s->first = iv->flags & KT_TL_F_FIRST;
		s->sp.kind = KT_WHY_CPU;
		s->sp.start = iv->start;
		s->sp.utid = iv->utid;
		s->sp.tid = iv->tid;
		s->sp.pid = iv->pid;
		s->sp.sys.nr = KT_TL_NOSYS;
	}
	s->sp.end = iv->end;
	s->sp.open = iv->flags & KT_TL_F_OPEN;
	if (iv->state == KT_TL_RUNNING)
		s->sp.run_ns += len;
	else
		s->sp.runnable_ns += len;
}

static void add_wait(struct cand *c, const struct kt_tl_interval *iv)
{
	const struct kt_why_opts *o = c->o;
	struct kt_why_span w;

	if ((o->sys_nr >= 0 && iv->sys.nr != (__u32)o->sys_nr) ||
	    (!c->all_waits && iv->sys.nr != KT_TL_NOSYS) ||
	    (o->skip_idle && kt_why_idle_wait(iv, !c->all_waits)) ||
	    !kt_why_wanted(o, iv->start, iv->end, iv->flags & KT_TL_F_OPEN))
		return;
	memset(&w, 0, sizeof(w));
	w.kind = KT_WHY_WAIT;
	w.start = iv->start;
	w.end = iv->end;
	w.utid = iv->utid;
	w.tid = iv->tid;
	w.pid = iv->pid;
	w.sys = iv->sys;
	w.state = iv->state;
	w.open = iv->flags & KT_TL_F_OPEN;
	if (kt_why_better(&w, &c->wait, c->have_wait)) {
		c->wait = w;
		c->have_wait = true;
	}
}

static int on_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct cand *c = arg;
	struct stretch *s;

	if (!mine(c->o, iv))
		return 0;
	s = kt_map_put(&c->thr, thread_key(iv->utid, iv->tid), NULL);
	if (!s)
		return -ENOMEM;
	if (iv->state == KT_TL_RUNNING || iv->state == KT_TL_RUNNABLE) {
		extend_stretch(s, iv);
	} else if (iv->state == KT_TL_UNKNOWN) {
		/* a lost switch: the stretch goes on if the thread is
		 * seen on or waiting for a cpu next */
	} else {
		close_stretch(c, s);
		if (kt_tl_is_wait(iv->state))
			add_wait(c, iv);
	}
	/* --at in one thread: once its timeline is past the time asked and
	 * the stretch around it (if any) is closed, nothing can change */
	if (c->o->at_set && c->o->tid && iv->end > c->o->at)
		c->passed = true;
	if (c->passed && (!s->active || s->sp.start > c->o->at))
		return CAND_DONE;
	return 0;
}

static int on_thread_end(const struct kt_tl_interval *iv, void *arg)
{
	struct cand *c = arg;
	struct stretch *s;

	if (!mine(c->o, iv))
		return 0;
	s = kt_map_get(&c->thr, thread_key(iv->utid, iv->tid));
	if (s)
		close_stretch(c, s);
	return 0;
}

static const struct kt_tl_ops cand_ops = {
	.interval = on_interval,
	.thread_end = on_thread_end,
};

/* One timeline over [from, end of the capture or of the window]. */
static int run(struct kt_reader *r, struct cand *c, __u64 from,
	       struct kt_err *err)
{
	struct kt_window w;
	struct kt_info info;
	struct stretch *s;
	int rc;

	kt_reader_info(r, &info);
	w.from = from;
	w.to = c->o->win_to ? c->o->win_to : info.last_ts;
	kt_map_init(&c->thr, sizeof(struct stretch));
	c->have_wait = c->have_cpu = c->passed = false;
	rc = kt_window_timeline(r, &w, &cand_ops, c, err);
	if (rc == CAND_DONE)
		rc = 0;
	for (size_t i = 0; !rc && i < c->thr.cap; i++)
		if ((s = kt_map_slot(&c->thr, i, NULL)))
			close_stretch(c, s);
	kt_map_release(&c->thr);
	return rc;
}

int kt_why_pick_timeline(struct kt_reader *r, const struct kt_why_opts *o,
			 bool all_waits, struct kt_why_span *sp, bool *found,
			 struct kt_err *err)
{
	struct cand c = { .o = o, .all_waits = all_waits };
	struct kt_info info;
	__u64 start, stop;
	struct kt_window w;
	int rc;

	kt_reader_info(r, &info);
	rc = run(r, &c, o->at_set ? o->at : o->win_to ? o->win_from :
		 info.first_ts, err);
	/* --at: a stretch that began where the reading began may have
	 * begun earlier: read it from the capture's start */
	w.from = o->at_set ? o->at : info.first_ts;
	w.to = info.last_ts;
	kt_window_reach(&w, &info, &start, &stop);
	if (!rc && o->at_set && !c.have_wait && c.have_cpu && c.cpu_first &&
	    start > info.first_ts)
		rc = run(r, &c, info.first_ts, err);
	if (rc)
		return rc;
	/* --at: the wait at that time before the stretch (they cannot
	 * overlap in one thread); --slowest: the best of both */
	if (c.have_wait && (o->at_set || kt_why_better(&c.wait, sp, *found))) {
		*sp = c.wait;
		*found = true;
	}
	if (c.have_cpu && !(o->at_set && c.have_wait) &&
	    kt_why_better(&c.cpu, sp, *found)) {
		*sp = c.cpu;
		*found = true;
	}
	return 0;
}

/* ---------------------------------------------------------------- range */

struct range {
	const struct kt_why_opts *o;
	struct kt_map thr;      /* thread key -> struct kt_why_span */
};

static int on_range(const struct kt_tl_interval *iv, void *arg)
{
	struct range *g = arg;
	__u64 a = iv->start > g->o->from ? iv->start : g->o->from;
	__u64 b = iv->end < g->o->to ? iv->end : g->o->to;
	struct kt_why_span *t;

	if (!mine(g->o, iv) || a >= b || iv->state == KT_TL_DEAD)
		return 0;
	t = kt_map_put(&g->thr, thread_key(iv->utid, iv->tid), NULL);
	if (!t)
		return -ENOMEM;
	t->utid = iv->utid;
	t->tid = iv->tid;
	t->pid = iv->pid;
	if (iv->state == KT_TL_RUNNING)
		t->run_ns += b - a;
	else if (iv->state == KT_TL_RUNNABLE)
		t->runnable_ns += b - a;
	else if (kt_tl_is_wait(iv->state))
		t->wait_ns += b - a;
	return 0;
}

/* the thread to explain: the most time runnable or waiting, then the
 * most running, then the lowest tid */
static bool range_better(const struct kt_why_span *c, const struct kt_why_span *b)
{
	__u64 cn = c->runnable_ns + c->wait_ns, bn = b->runnable_ns + b->wait_ns;

	if (cn != bn)
		return cn > bn;
	if (c->run_ns != b->run_ns)
		return c->run_ns > b->run_ns;
	return c->tid < b->tid;
}

int kt_why_pick_range(struct kt_reader *r, const struct kt_why_opts *o,
		      struct kt_why_span *sp, struct kt_err *err)
{
	static const struct kt_tl_ops ops = { .interval = on_range };
	struct range g = { .o = o };
	struct kt_window w = { .from = o->from, .to = o->to };
	const struct kt_why_span *t, *best = NULL;
	__u32 n = 0;
	int rc;

	if (o->from >= o->to)
		return -EINVAL;
	kt_map_init(&g.thr, sizeof(struct kt_why_span));
	rc = kt_window_timeline(r, &w, &ops, &g, err);
	for (size_t i = 0; !rc && i < g.thr.cap; i++) {
		if (!(t = kt_map_slot(&g.thr, i, NULL)))
			continue;
		n++;
		if (!best || range_better(t, best))
			best = t;
	}
	if (!rc && !best)
		rc = -ENOENT;
	if (!rc) {
		*sp = *best;
		sp->kind = KT_WHY_RANGE;
		sp->start = o->from;
		sp->end = o->to;
		sp->sys.nr = KT_TL_NOSYS;
		sp->chosen = !o->tid;
		sp->nthreads = n;
	}
	kt_map_release(&g.thr);
	return rc;
}
