// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * critpath_store.c - the window store of the critical path (see
 * critpath.h): every thread's intervals, syscalls, retransmits and TCP
 * connections of the window, block requests, running intervals by cpu.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <jansson.h>
#include "critpath_int.h"
#include "analyze/map.h"
#include "analyze/vec.h"

struct kt_cp_store *kt_cp_store_new(__u64 from, __u64 to)
{
	struct kt_cp_store *st = calloc(1, sizeof(*st));

	if (!st) {
		errno = ENOMEM;
		return NULL;
	}
	st->from = from;
	st->to = to;
	kt_map_init(&st->idx, sizeof(__u64));
	kt_map_init(&st->peers, sizeof(__u64));
	return st;
}

void kt_cp_store_free(struct kt_cp_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nth; i++) {
		free(st->th[i].iv);
		free(st->th[i].sys);
		free(st->th[i].rtx);
		free(st->th[i].tcp);
	}
	free(st->th);
	free(st->runs);
	free(st->blk);
	kt_map_release(&st->idx);
	kt_map_release(&st->peers);
	free(st);
}

static bool in_window(const struct kt_cp_store *st, __u64 s, __u64 e)
{
	if (!st->from && !st->to)
		return true;
	return e >= st->from && s <= st->to;
}

static struct cp_thread *thread_of(struct kt_cp_store *st, __u32 utid,
				   __u32 tid, __u32 pid)
{
	__u64 key = kt_cp_thread_key(utid, tid);
	struct cp_thread *t;
	__u64 v;

	if (kt_map_get_u64(&st->idx, key, &v))
		return &st->th[v - 1];
	if (!KT_GROW(st->th, st->nth, st->thcap))
		return NULL;
	if (kt_map_put_u64(&st->idx, key, st->nth + 1))
		return NULL;
	t = &st->th[st->nth++];
	memset(t, 0, sizeof(*t));
	t->utid = utid;
	t->tid = tid;
	t->pid = pid;
	return t;
}

static int store_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_cp_store *st = arg;
	struct cp_thread *t;

	if (!in_window(st, iv->start, iv->end))
		return 0;
	t = thread_of(st, iv->utid, iv->tid, iv->pid);
	if (!t || !KT_GROW(t->iv, t->niv, t->ivcap))
		return -ENOMEM;
	t->iv[t->niv++] = *iv;
	t->kthread |= iv->flags & KT_TL_F_KTHREAD;
	if (iv->state == KT_TL_RUNNING) {
		if (!KT_GROW(st->runs, st->nruns, st->runcap))
			return -ENOMEM;
		st->runs[st->nruns++] = (struct cp_run){
			iv->start, iv->end, iv->utid, iv->tid, iv->pid, iv->cpu
		};
	}
	return 0;
}

static int store_span(const struct kt_tl_span *sp, void *arg)
{
	struct kt_cp_store *st = arg;
	struct cp_thread *t;

	if (sp->kind == KT_SPAN_TCP_RETRANS && sp->tid &&
	    in_window(st, sp->start, sp->end)) {
		t = thread_of(st, sp->utid, sp->tid, sp->pid);
		if (!t || !KT_GROW(t->rtx, t->nrtx, t->rtxcap))
			return -ENOMEM;
		t->rtx[t->nrtx] = *sp;
		t->rtx[t->nrtx++].ev = NULL;
		return 0;
	}
	if (sp->kind == KT_SPAN_BLOCK && in_window(st, sp->start, sp->end)) {
		if (!KT_GROW(st->blk, st->nblk, st->blkcap))
			return -ENOMEM;
		st->blk[st->nblk++] = sp->blk;
		return 0;
	}
	if (sp->kind == KT_SPAN_TCP && sp->tid &&
	    in_window(st, sp->start, sp->end)) {
		t = thread_of(st, sp->utid, sp->tid, sp->pid);
		if (!t || !KT_GROW(t->tcp, t->ntcp, t->tcpcap))
			return -ENOMEM;
		t->tcp[t->ntcp] = *sp;
		t->tcp[t->ntcp++].ev = NULL;
		return 0;
	}
	if (sp->kind != KT_SPAN_SYSCALL || !in_window(st, sp->start, sp->end))
		return 0;
	t = thread_of(st, sp->utid, sp->tid, sp->pid);
	if (!t || !KT_GROW(t->sys, t->nsys, t->syscap))
		return -ENOMEM;
	t->sys[t->nsys] = *sp;
	t->sys[t->nsys++].ev = NULL;
	return 0;
}

const struct kt_tl_ops kt_cp_store_ops = {
	.interval = store_interval,
	.span = store_span,
};

static int cmp_run(const void *a, const void *b)
{
	const struct cp_run *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

int kt_cp_store_seal(struct kt_cp_store *st)
{
	/* runs on one cpu never overlap: the timeline ends a run where the
	 * capture shows another task on its cpu (timeline.h, "never invent
	 * a state"; the simulator checks it) */
	if (st->nruns)          /* runs is NULL without one */
		qsort(st->runs, st->nruns, sizeof(*st->runs), cmp_run);
	st->sealed = true;
	return 0;
}

int kt_cp_store_peers(struct kt_cp_store *st, const json_t *meta)
{
	const json_t *m = json_object_get(meta, "merge"), *pr, *h;
	size_t i;

	json_array_foreach(json_object_get(m, "peers"), i, pr) {
		json_int_t a = json_integer_value(json_array_get(pr, 0));
		json_int_t b = json_integer_value(json_array_get(pr, 1));

		if (a <= 0 || b <= 0)
			continue;
		if (kt_map_put_u64(&st->peers, (__u64)a, (__u64)b) ||
		    kt_map_put_u64(&st->peers, (__u64)b, (__u64)a))
			return -ENOMEM;
	}
	json_array_foreach(json_object_get(m, "hosts"), i, h) {
		json_int_t u = json_integer_value(json_object_get(h,
							"uncertainty_ns"));

		if (u > 0 && (__u64)u > st->peer_slack)
			st->peer_slack = (__u64)u;
	}
	return 0;
}

const struct kt_tl_interval *kt_cp_store_thread(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						size_t *n)
{
	__u64 v;

	*n = 0;
	if (!kt_map_get_u64(&st->idx, kt_cp_thread_key(utid, tid), &v))
		return NULL;
	*n = st->th[v - 1].niv;
	return st->th[v - 1].iv;
}

const struct kt_tl_span *kt_cp_store_syscall_at(const struct kt_cp_store *st,
						__u32 utid, __u32 tid,
						__u64 ts)
{
	const struct cp_thread *t;
	size_t lo = 0, hi;
	__u64 v;

	if (!kt_map_get_u64(&st->idx, kt_cp_thread_key(utid, tid), &v))
		return NULL;
	t = &st->th[v - 1];
	/* syscalls of a thread do not overlap: the first ending at or
	 * after ts is the only candidate */
	hi = t->nsys;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->sys[mid].end < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nsys && t->sys[lo].start <= ts)
		return &t->sys[lo];
	return NULL;
}

const struct kt_tl_span *kt_cp_store_tcp_at(const struct kt_cp_store *st,
					     __u32 utid, __u32 tid, __u64 ts,
					     size_t *n)
{
	const struct kt_tl_span *one = NULL;
	const struct cp_thread *t;
	__u64 v;

	*n = 0;
	if (!kt_map_get_u64(&st->idx, kt_cp_thread_key(utid, tid), &v))
		return NULL;
	t = &st->th[v - 1];
	for (size_t i = 0; i < t->ntcp; i++)
		if (t->tcp[i].start <= ts && ts <= t->tcp[i].end &&
		    t->tcp[i].tcp.established) {
			one = &t->tcp[i];
			(*n)++;
		}
	return one;
}
