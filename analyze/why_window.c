// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_window.c - the slowest span of a window, for the pictures that
 * draw its critical path (timeline, graph, report), the idle waits that
 * it never picks, and the thread where a root cause sits (see why.h).
 *
 * Candidates come from one streaming timeline pass, as in --slowest
 * (why.c, why_cand.c), but of every thread at once and cut to the
 * window; the best is kept per thread so that a caller can choose the
 * threads when the pass is over (a name known only at the end).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "why_int.h"
#include "window.h"
#include "analyze/map.h"

bool kt_why_idle_syscall(unsigned nr)
{
	switch (nr) {
	case SYS_epoll_wait: case SYS_epoll_pwait:
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2:
#endif
	case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6:
	case SYS_pause: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait:
	case SYS_wait4: case SYS_waitid:
	case SYS_nanosleep: case SYS_clock_nanosleep:
		return true;
	}
	return false;
}

/* per thread: its best candidate, and the CPU stretch being built */
struct slow_thr {
	struct kt_why_span best;
	bool have, best_partial;
	bool kthread;           /* an interval said so */
	bool active;            /* a stretch is open */
	bool st_open;           /* ... cut by the end of the observation */
	__u64 st_start, st_end, st_run, st_runnable;
};

struct kt_why_slow {
	__u64 from, to;
	bool asked;
	struct kt_map thr;      /* thread key -> struct slow_thr */
	__u64 last_key;         /* the entry found last (consecutive items */
	struct slow_thr *last;  /* are often of one thread); NULL: none */
};

struct kt_why_slow *kt_why_slow_new(__u64 from, __u64 to, bool asked)
{
	struct kt_why_slow *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->from = from;
	s->to = to;
	s->asked = asked;
	kt_map_init(&s->thr, sizeof(struct slow_thr));
	return s;
}

void kt_why_slow_free(struct kt_why_slow *s)
{
	if (!s)
		return;
	kt_map_release(&s->thr);
	free(s);
}

static __u64 thread_key(__u32 utid, __u32 tid)
{
	return utid ? utid : (1ULL << 32) | tid;
}

/* the entry of a thread, created when new; NULL on ENOMEM */
static struct slow_thr *thr(struct kt_why_slow *s, __u32 utid, __u32 tid)
{
	__u64 key = thread_key(utid, tid);

	if (s->last && s->last_key == key)
		return s->last;
	/* a put that creates may move every value: the cache goes too */
	s->last = kt_map_put(&s->thr, key, NULL);
	s->last_key = key;
	return s->last;
}

/* [a, b) cut to the window; false when nothing is left */
static bool cut(const struct kt_why_slow *s, __u64 *a, __u64 *b)
{
	if (*a < s->from)
		*a = s->from;
	if (*b > s->to)
		*b = s->to;
	return *a < *b;
}

/* a partial candidate (began before the capture) only beats another
 * partial one */
static void offer(struct slow_thr *t, const struct kt_why_span *c,
		  bool partial)
{
	if (t->have && partial && !t->best_partial)
		return;
	if (t->have && (partial == t->best_partial) &&
	    !kt_why_better(c, &t->best, true))
		return;
	t->best = *c;
	t->have = true;
	t->best_partial = partial;
}

static void close_stretch(struct slow_thr *t, __u32 utid, __u32 tid,
			  __u32 pid)
{
	struct kt_why_span c;

	if (!t->active)
		return;
	t->active = false;
	if (!t->st_runnable && !t->st_run)
		return;
	memset(&c, 0, sizeof(c));
	c.kind = KT_WHY_CPU;
	c.start = t->st_start;
	c.end = t->st_end;
	c.utid = utid;
	c.tid = tid;
	c.pid = pid;
	c.sys.nr = KT_TL_NOSYS;
	c.open = t->st_open;
	c.run_ns = t->st_run;
	c.runnable_ns = t->st_runnable;
	offer(t, &c, c.open);
}

static void extend_stretch(const struct kt_why_slow *s, struct slow_thr *t,
			   const struct kt_tl_interval *iv)
{
	__u64 a = iv->start, b = iv->end;

	if (!cut(s, &a, &b))
		return;
	if (!t->active) {
		t->active = true;
		t->st_start = a;
		t->st_run = t->st_runnable = 0;
	}
	t->st_end = b;
	t->st_open = iv->flags & KT_TL_F_OPEN;
	if (iv->state == KT_TL_RUNNING)
		t->st_run += b - a;
	else
		t->st_runnable += b - a;
}

static void add_wait(const struct kt_why_slow *s, struct slow_thr *t,
		     const struct kt_tl_interval *iv)
{
	struct kt_why_span w;
	__u64 a = iv->start, b = iv->end;

	/* a wait in a recorded syscall is that syscall's candidate */
	if (iv->sys.nr != KT_TL_NOSYS || !cut(s, &a, &b))
		return;
	if (!s->asked && iv->state != KT_TL_BLOCKED)
		return;
	memset(&w, 0, sizeof(w));
	w.kind = KT_WHY_WAIT;
	w.start = a;
	w.end = b;
	w.utid = iv->utid;
	w.tid = iv->tid;
	w.pid = iv->pid;
	w.sys = iv->sys;
	w.state = iv->state;
	w.open = iv->flags & KT_TL_F_OPEN;
	/* how long a wait cut by either end of the capture lasted is not known */
	offer(t, &w, w.open || (iv->flags & KT_TL_F_FIRST));
}

int kt_why_slow_interval(struct kt_why_slow *s, const struct kt_tl_interval *iv)
{
	struct slow_thr *t = thr(s, iv->utid, iv->tid);

	if (!t)
		return -ENOMEM;
	if (iv->flags & KT_TL_F_KTHREAD)
		t->kthread = true;
	if (iv->state == KT_TL_RUNNING || iv->state == KT_TL_RUNNABLE) {
		extend_stretch(s, t, iv);
	} else if (iv->state == KT_TL_UNKNOWN) {
		/* a short unknown stretch (a lost switch) does not end a CPU
		 * stretch; one longer than what the stretch observed may hold
		 * anything, waits included: it ends it (a thread whose
		 * switches are never recorded would otherwise make one
		 * stretch of the whole capture) */
		if (t->active && iv->end - iv->start > t->st_run + t->st_runnable)
			close_stretch(t, iv->utid, iv->tid, iv->pid);
	} else {
		close_stretch(t, iv->utid, iv->tid, iv->pid);
		if (kt_tl_is_wait(iv->state))
			add_wait(s, t, iv);
	}
	return 0;
}

int kt_why_slow_span(struct kt_why_slow *s, const struct kt_tl_span *sp)
{
	struct kt_why_span c;
	struct slow_thr *t;
	__u64 a = sp->start, b = sp->end;

	if (sp->kind != KT_SPAN_SYSCALL || !sp->tid || !cut(s, &a, &b) ||
	    (!s->asked && kt_why_idle_syscall(sp->sys.nr)))
		return 0;
	t = thr(s, sp->utid, sp->tid);
	if (!t)
		return -ENOMEM;
	/* most syscalls are shorter than the thread's best: no candidate */
	if (t->have && !t->best_partial && t->best.kind != KT_WHY_CPU &&
	    b - a < t->best.end - t->best.start)
		return 0;
	memset(&c, 0, sizeof(c));
	c.kind = KT_WHY_SYSCALL;
	c.start = a;
	c.end = b;
	c.utid = sp->utid;
	c.tid = sp->tid;
	c.pid = sp->pid;
	c.sys = sp->sys;
	c.open = sp->flags & KT_SPAN_F_OPEN_END;
	offer(t, &c, sp->flags & (KT_SPAN_F_OPEN_START | KT_SPAN_F_OPEN_END));
	return 0;
}

int kt_why_slow_thread_end(struct kt_why_slow *s, const struct kt_tl_interval *iv)
{
	struct slow_thr *t = kt_map_get(&s->thr, thread_key(iv->utid, iv->tid));

	if (t)
		close_stretch(t, iv->utid, iv->tid, iv->pid);
	return 0;
}

static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	return kt_why_slow_interval(arg, iv);
}

static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	return kt_why_slow_span(arg, sp);
}

static int on_end(const struct kt_tl_interval *iv, void *arg)
{
	return kt_why_slow_thread_end(arg, iv);
}

const struct kt_tl_ops kt_why_slow_ops = {
	.interval = on_iv,
	.span = on_sp,
	.thread_end = on_end,
};

bool kt_why_slow_best(const struct kt_why_slow *s,
		      bool (*want)(__u32 utid, __u32 tid, __u32 pid, void *arg),
		      void *arg, struct kt_why_span *sp)
{
	const struct slow_thr *t, *best = NULL;

	for (size_t i = 0; i < s->thr.cap; i++) {
		if (!(t = kt_map_slot(&s->thr, i, NULL)) || !t->have ||
		    ((t->kthread || !t->best.utid) && !s->asked))
			continue;
		if (want && !want(t->best.utid, t->best.tid, t->best.pid, arg))
			continue;
		if (best && t->best_partial != best->best_partial) {
			if (t->best_partial)
				continue;
		} else if (best && !kt_why_better(&t->best, &best->best, true)) {
			continue;
		}
		best = t;
	}
	if (best)
		*sp = best->best;
	return best;
}

/* ------------------------------------------------------------ one pass */

struct pick {
	struct kt_why_slow *s;
	__u32 pid, tid;
};

static bool mine(const struct pick *p, __u32 pid, __u32 tid)
{
	return (!p->pid || pid == p->pid) && (!p->tid || tid == p->tid);
}

static int pick_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct pick *p = arg;

	return mine(p, iv->pid, iv->tid) ? kt_why_slow_interval(p->s, iv) : 0;
}

static int pick_sp(const struct kt_tl_span *sp, void *arg)
{
	struct pick *p = arg;

	return mine(p, sp->pid, sp->tid) ? kt_why_slow_span(p->s, sp) : 0;
}

static int pick_end(const struct kt_tl_interval *iv, void *arg)
{
	struct pick *p = arg;

	return kt_why_slow_thread_end(p->s, iv);
}

int kt_why_pick_window(struct kt_reader *r, const struct kt_window *w,
		       __u32 pid, __u32 tid, struct kt_why_span *sp,
		       struct kt_err *err)
{
	static const struct kt_tl_ops ops = {
		.interval = pick_iv, .span = pick_sp, .thread_end = pick_end,
	};
	struct pick p = { .pid = pid, .tid = tid };
	int rc;

	memset(sp, 0, sizeof(*sp));
	p.s = kt_why_slow_new(w->from, w->to, pid || tid);
	if (!p.s)
		return -ENOMEM;
	rc = kt_window_timeline(r, w, &ops, &p, err);
	if (!rc && !kt_why_slow_best(p.s, NULL, NULL, sp))
		rc = -ENOENT;
	kt_why_slow_free(p.s);
	return rc;
}

/* ------------------------------------------------------------- culprit */

bool kt_why_culprit(const struct kt_why *w, __u32 *utid, __u32 *tid,
		    __u32 *pid)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_attr *root = kt_cp_root(p);
	const struct kt_cp_hop *h;

	if (!root || root->main_hop >= p->nhops)
		return false;
	h = &p->hops[root->main_hop];
	*utid = h->utid;
	*tid = h->tid;
	*pid = h->pid;
	return true;
}
