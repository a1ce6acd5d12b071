// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tl_build.c - the timeline picture's pass (render.h
 * kt_render_timeline): one timeline of the window streams into per-thread
 * pixel columns (render_int.h), syscall and block I/O coverage, the
 * wakeups between threads, and the window's slowest span; then the
 * span's critical path is explained and the scene laid out (tl_draw.c).
 *
 * Every thread seen is summed, selected or not: a thread outside the
 * selection is drawn when it is on the critical path of a selected
 * thread's slow span (the culprit is often in another process).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "analyze/window.h"

#define WAKE_SET_MAX 65536      /* distinct arrows kept (column, pair) */

static __u64 thread_key(__u32 utid, __u32 tid)
{
	return utid ? utid : (1ULL << 32) | tid;
}

static size_t hash(__u64 k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static int grow_index(struct kt_rtl *t)
{
	size_t cap = t->idxcap ? 2 * t->idxcap : 256;
	__u32 *idx = calloc(cap, sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < t->nt; i++) {
		size_t h = hash(t->t[i].key, cap);

		while (idx[h])
			h = (h + 1) & (cap - 1);
		idx[h] = (__u32)i + 1;
	}
	free(t->idx);
	t->idx = idx;
	t->idxcap = cap;
	return 0;
}

static struct kt_rthr *thread_find(struct kt_rtl *t, __u32 utid, __u32 tid,
				   __u32 pid);

/* the thread of (utid, tid), created when new; NULL on ENOMEM */
static inline struct kt_rthr *thread(struct kt_rtl *t, __u32 utid,
				     __u32 tid, __u32 pid)
{
	/* consecutive items are often of one thread */
	if (t->last && t->t[t->last - 1].key == thread_key(utid, tid))
		return &t->t[t->last - 1];
	return thread_find(t, utid, tid, pid);
}

static struct kt_rthr *thread_find(struct kt_rtl *t, __u32 utid, __u32 tid,
				   __u32 pid)
{
	__u64 key = thread_key(utid, tid);
	struct kt_rthr *th;
	size_t h;

	if (t->idxcap) {
		for (h = hash(key, t->idxcap); t->idx[h]; h = (h + 1) & (t->idxcap - 1))
			if (t->t[t->idx[h] - 1].key == key) {
				t->last = t->idx[h];
				return &t->t[t->idx[h] - 1];
			}
	}
	if (2 * (t->nt + 1) > t->idxcap && grow_index(t))
		return NULL;
	if (t->nt == t->capt) {
		size_t cap = t->capt ? 2 * t->capt : 64;
		struct kt_rthr *p = realloc(t->t, cap * sizeof(*p));

		if (!p)
			return NULL;
		t->t = p;
		t->capt = cap;
	}
	th = &t->t[t->nt];
	memset(th, 0, sizeof(*th));
	th->key = key;
	th->utid = utid;
	th->tid = tid;
	th->pid = pid;
	th->sel = (!t->o->pid || pid == t->o->pid) &&
		  (!t->o->tid || tid == t->o->tid);
	kt_rcols_init(&th->cols);
	kt_rcov_init(&th->sys);
	for (h = hash(key, t->idxcap); t->idx[h]; h = (h + 1) & (t->idxcap - 1))
		;
	t->idx[h] = (__u32)++t->nt;
	t->last = (__u32)t->nt;
	return th;
}

/* keep @iv or @sp (one of them) for the critical path while the budget
 * lasts; count where it begins */
static inline int keep_for_path(struct kt_rtl *t,
				const struct kt_tl_interval *iv,
				const struct kt_tl_span *sp)
{
	__u64 a = iv ? iv->start : sp->start, b = iv ? iv->end : sp->end;
	int err;

	if (b < t->g.from || a > t->g.to)
		return 0;
	t->starts[a <= t->g.from ? 0 : (a - t->g.from) >> t->shift]++;
	if (!t->store)
		return 0;
	if (++t->stored > KT_RTL_PATH_ITEMS) {
		kt_cp_store_free(t->store);
		t->store = NULL;
		return 0;
	}
	err = iv ? kt_cp_store_ops.interval(iv, t->store) :
		   kt_cp_store_ops.span(sp, t->store);
	return err;
}

/* a thread first met as a waker or wakee has no pid yet */
static void set_pid(const struct kt_rtl *t, struct kt_rthr *th, __u32 pid)
{
	if (!pid || th->pid == pid)
		return;
	th->pid = pid;
	th->sel = (!t->o->pid || pid == t->o->pid) &&
		  (!t->o->tid || th->tid == t->o->tid);
}

static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_rtl *t = arg;
	struct kt_rthr *th;
	unsigned st = kt_rstate_of(iv);
	__u64 a = iv->start > t->g.from ? iv->start : t->g.from;
	__u64 b = iv->end < t->g.to ? iv->end : t->g.to;
	int err;

	if (t->slow && (!t->o->pid || iv->pid == t->o->pid) &&
	    (!t->o->tid || iv->tid == t->o->tid) &&
	    (err = kt_why_slow_interval(t->slow, iv)))
		return err;
	if ((err = keep_for_path(t, iv, NULL)))
		return err;
	if (a >= b || st == KT_RS_NONE)
		return 0;
	if (!(th = thread(t, iv->utid, iv->tid, iv->pid)))
		return -ENOMEM;
	set_pid(t, th, iv->pid);
	if (iv->flags & KT_TL_F_KTHREAD)
		th->kthread = true;
	th->tot[st] += b - a;
	if (st == KT_RS_RUNNABLE && (iv->flags & KT_TL_F_OPEN))
		th->open_runnable += b - a;
	return kt_rcols_add(&th->cols, &t->g, a, b, st,
			    st == KT_RS_RUNNING ? iv->cpu : KT_RCPU_NONE);
}

/* add [a, b) to @th's block I/O row: 255 is a whole column */
static int cover_blk(struct kt_rtl *t, struct kt_rthr *th, __u64 a, __u64 b)
{
	const struct kt_rgeom *g = &t->g;
	__u32 c0 = kt_rgeom_col(g, a), c1 = kt_rgeom_last(g, b);

	if (!th->blk && !(th->blk = calloc(1, g->ncols)))
		return -ENOMEM;
	for (__u32 c = c0; c <= c1; c++) {
		unsigned v = th->blk[c];

		if (v == 255)
			continue;
		/* a column between the first and the last is whole */
		v += c > c0 && c < c1 ? 255 : kt_rgeom_part(g, a, b, c, 255);
		th->blk[c] = v > 255 ? 255 : (__u8)v;
	}
	return 0;
}

static void keep_top(struct kt_rthr *th, __u64 a, __u64 b, __u64 len,
		     __u32 nr)
{
	struct kt_rsys n = { .a = a, .b = b, .len = len, .nr = nr };
	int i = KT_RTL_TOPSYS - 1;

	if (th->top[i].b - th->top[i].a >= b - a)
		return;
	while (i > 0 && th->top[i - 1].b - th->top[i - 1].a < b - a) {
		th->top[i] = th->top[i - 1];
		i--;
	}
	th->top[i] = n;
}

static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	struct kt_rtl *t = arg;
	struct kt_rthr *th;
	__u64 a = sp->start > t->g.from ? sp->start : t->g.from;
	__u64 b = sp->end < t->g.to ? sp->end : t->g.to;
	int err;

	if (t->slow && (!t->o->pid || sp->pid == t->o->pid) &&
	    (!t->o->tid || sp->tid == t->o->tid) &&
	    (err = kt_why_slow_span(t->slow, sp)))
		return err;
	if ((err = keep_for_path(t, NULL, sp)))
		return err;
	if ((sp->kind != KT_SPAN_SYSCALL && sp->kind != KT_SPAN_BLOCK) ||
	    !sp->tid || a >= b)
		return 0;
	if (!(th = thread(t, sp->utid, sp->tid, sp->pid)))
		return -ENOMEM;
	set_pid(t, th, sp->pid);
	if (sp->kind == KT_SPAN_SYSCALL)
		keep_top(th, a, b, sp->end - sp->start, sp->sys.nr);
	if (sp->kind == KT_SPAN_BLOCK)
		return cover_blk(t, th, a, b);
	return kt_rcov_add(&th->sys, &t->g, a, b);
}

/* a wakeup from a task that ended a wait of another thread, in the
 * window: one arrow a column and (waker, wakee) */
static int on_wake(const struct kt_tl_wakeup *wu, void *arg)
{
	struct kt_rtl *t = arg;
	const struct kt_tl_wake *w = &wu->wake;
	struct kt_rthr *a, *b;
	struct kt_rwake k;
	size_t h;

	if ((w->cause != KT_CAUSE_TASK && w->cause != KT_CAUSE_FORK) ||
	    !w->tid || w->tid == wu->wakee_tid || w->ts < t->g.from ||
	    w->ts > t->g.to ||
	    (w->cause == KT_CAUSE_TASK && !kt_tl_is_wait(wu->wakee_state)))
		return 0;
	if (!(a = thread(t, w->utid, w->tid, 0)))
		return -ENOMEM;
	k.from = (__u32)(a - t->t);
	if (!(b = thread(t, wu->wakee_utid, wu->wakee_tid, 0)))
		return -ENOMEM;
	k.to = (__u32)(b - t->t);
	k.col = kt_rgeom_col(&t->g, w->ts);
	k.ts = w->ts;
	if (2 * (t->nwk + 1) > t->wkcap) {
		size_t cap = t->wkcap ? 2 * t->wkcap : 1024;
		struct kt_rwake *n;

		if (t->nwk >= WAKE_SET_MAX)
			goto full;
		if (!(n = malloc(cap * sizeof(*n))))
			return -ENOMEM;
		for (size_t i = 0; i < cap; i++)
			n[i].col = ~0u;
		for (size_t i = 0; i < t->wkcap; i++) {
			if (t->wk[i].col == ~0u)
				continue;
			h = hash(((__u64)t->wk[i].col << 40) ^
				 ((__u64)t->wk[i].from << 20) ^ t->wk[i].to, cap);
			while (n[h].col != ~0u)
				h = (h + 1) & (cap - 1);
			n[h] = t->wk[i];
		}
		free(t->wk);
		t->wk = n;
		t->wkcap = cap;
	}
	h = hash(((__u64)k.col << 40) ^ ((__u64)k.from << 20) ^ k.to, t->wkcap);
	for (; t->wk[h].col != ~0u; h = (h + 1) & (t->wkcap - 1))
		if (t->wk[h].col == k.col && t->wk[h].from == k.from &&
		    t->wk[h].to == k.to)
			return 0;
	t->wk[h] = k;
	t->nwk++;
	return 0;
full:
	t->wk_dropped++;
	return 0;
}

static int on_end(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_rtl *t = arg;

	return t->slow ? kt_why_slow_thread_end(t->slow, iv) : 0;
}

static const struct kt_tl_ops tl_ops = {
	.interval = on_iv, .span = on_sp, .wakeup = on_wake,
	.thread_end = on_end,
};

/* ------------------------------------------------------- critical path */

bool kt_rtl_comm_ok(const struct kt_rtl *t, __u32 utid, __u32 tid)
{
	const struct kt_task *k = utid ? kt_tasks_get(t->tasks, utid) : NULL;

	if (!t->o->comm)
		return true;
	if (!k && t->tasks)
		k = kt_tasks_find(t->tasks, tid);
	return k && !strcmp(k->comm, t->o->comm);
}

static bool want(__u32 utid, __u32 tid, __u32 pid, void *arg)
{
	(void)pid;
	return kt_rtl_comm_ok(arg, utid, tid);
}

/* about how many intervals and spans overlap [a, b): those that begin
 * in its columns, and one or two a thread alive across its start */
static __u64 items_in(const struct kt_rtl *t, __u64 a, __u64 b)
{
	__u64 n = 2 * (__u64)t->nt;
	__u64 lo = a > t->g.from ? (a - t->g.from) >> t->shift : 0;
	__u64 hi = b > t->g.from ? (b - t->g.from) >> t->shift : 0;

	for (__u64 k = lo; k <= hi && k < KT_RTL_BUCKETS; k++)
		n += t->starts[k];
	return n;
}

/* the slowest span's critical path: from what the pass kept, or from a
 * reading of the span when that fits the budget; else none (the picture
 * says so) */
static int explain(struct kt_rtl *t, struct kt_reader *r, struct kt_err *err)
{
	struct kt_why_span sp;
	int rc;

	if (t->o->why) {
		/* the caller's names its threads from a task table that a
		 * seek of this reading replaced */
		t->why = *t->o->why;
		t->why.tasks = kt_reader_tasks(r);
		t->path = &t->why;
		t->span = t->why.span;
		t->have_span = true;
		return 0;
	}
	if (!kt_why_slow_best(t->slow, want, t, &sp) || sp.end <= sp.start)
		return 0;
	t->span = sp;
	t->have_span = true;
	if (t->store) {
		struct kt_cp_store *store = t->store;

		t->store = NULL;
		rc = kt_why_explain_store(r, &sp, store, &t->why, err);
		if (rc)
			return rc;
	} else if ((t->span_items = items_in(t, sp.start, sp.end)) <=
		   KT_RTL_PATH_ITEMS) {
		t->span_items = 0;
		rc = kt_why_explain(r, &sp, &t->why, err);
		if (rc)
			return rc;
	} else {
		return 0;
	}
	t->path = &t->why;
	return 0;
}

/* ---------------------------------------------------------------- entry */

static void release(struct kt_rtl *t)
{
	for (size_t i = 0; i < t->nt; i++) {
		kt_rcols_release(&t->t[i].cols);
		kt_rcov_release(&t->t[i].sys);
		free(t->t[i].blk);
	}
	free(t->t);
	free(t->idx);
	free(t->wk);
	free(t->starts);
	kt_cp_store_free(t->store);
	kt_why_slow_free(t->slow);
	if (t->path == &t->why && !t->o->why)
		kt_why_release(&t->why);
}

int kt_render_timeline(struct kt_reader *r, const struct kt_rtl_opts *o,
		       struct kt_scene *s, struct kt_rtl_result *res,
		       struct kt_err *err)
{
	struct kt_rtl_result dummy;
	struct kt_rlayout l;
	struct kt_rtl t;
	__u32 ncols;
	int rc;

	memset(&t, 0, sizeof(t));
	t.o = o;
	kt_scene_init(s, 0, 0);
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (o->w.to <= o->w.from)
		return -EINVAL;
	kt_rlayout_init(&l, o->width, &ncols);
	kt_rgeom_init(&t.g, o->w.from, o->w.to, ncols);
	while ((t.g.span >> t.shift) >= KT_RTL_BUCKETS)
		t.shift++;
	rc = 0;
	if (!o->why &&
	    (!(t.slow = kt_why_slow_new(o->w.from, o->w.to,
					o->pid || o->tid || o->comm)) ||
	     !(t.store = kt_cp_store_new(o->w.from, o->w.to))))
		rc = -ENOMEM;
	if (!rc && !(t.starts = calloc(KT_RTL_BUCKETS, sizeof(*t.starts))))
		rc = -ENOMEM;
	if (!rc)
		rc = kt_window_timeline(r, &o->w, &tl_ops, &t, err);
	for (size_t i = 0; !rc && i < t.nt; i++)
		if (!(rc = kt_rcols_flush(&t.t[i].cols)))
			rc = kt_rcov_flush(&t.t[i].sys);
	/* a seek replaces the reader's task table: take it after each */
	t.tasks = kt_reader_tasks(r);
	if (!rc)
		rc = explain(&t, r, err);
	t.tasks = kt_reader_tasks(r);
	if (!rc)
		rc = kt_rtl_draw(&t, r, s, res);
	release(&t);
	return rc;
}

void kt_render_span_window(const struct kt_why_span *sp,
			   const struct kt_info *info, struct kt_window *w)
{
	__u64 len = sp->end > sp->start ? sp->end - sp->start : 0;
	__u64 m = len / 4 > 1000000 ? len / 4 : 1000000;

	w->from = sp->start > info->first_ts + m ? sp->start - m : info->first_ts;
	w->to = sp->end + m < info->last_ts ? sp->end + m : info->last_ts;
	if (w->to <= w->from)
		w->to = w->from + 1;
}
