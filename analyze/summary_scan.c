// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * summary_scan.c - what the summary reads beside the stats tools, in the
 * same pass (summary.h): each process's slowest syscall that is not an
 * idle wait, each disk's slowest requests and median, and the latency
 * distribution of syscalls; then the SLOW and DISK anomalies from them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/summary_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"
#include "analyze/why.h"

static int scan_init(struct kt_st *st)
{
	struct kt_sum_scan *sc = st->priv;

	kt_map_init(&sc->slow, sizeof(struct kt_sum_slow));
	kt_map_init(&sc->disks, sizeof(struct kt_sum_disk));
	return 0;
}

/* Why's --slowest rule (why.h): a syscall ranks by its duration, ties go
 * to the earliest; one that began before the capture is left out, as it
 * is only partly observed. */
static int scan_syscall(struct kt_st *st, const struct kt_event *ev)
{
	struct kt_sum_scan *sc = st->priv;
	const struct kt_syscall *s = &ev->sys;
	__u64 start = s->dur <= ev->ts ? ev->ts - s->dur : 0;
	struct kt_sum_slow *w;
	bool created;

	if (kt_why_idle_syscall(s->nr))
		return 0;
	if (!(s->flags & KT_SYSCALL_UNFINISHED))
		kt_log2_add(&sc->syslat, s->dur / 1000);
	if (start < sc->first_ts || !s->dur)
		return 0;
	w = kt_map_put(&sc->slow, ev->pid, &created);
	if (!w)
		return -ENOMEM;
	if (!created && (s->dur < w->ns || (s->dur == w->ns && start >= w->start)))
		return 0;
	w->ns = s->dur;
	w->start = start;
	w->pid = ev->pid;
	w->tid = ev->tid;
	w->nr = s->nr;
	w->ret = s->ret;
	w->open = s->flags & KT_SYSCALL_UNFINISHED;
	kt_st_copy_comm(st, ev->tid, w->comm, sizeof(w->comm));
	if (!w->comm[0])
		memcpy(w->comm, "?", 2);
	return 0;
}

/* The slowest requests, slowest first (ties: the earliest). */
static void disk_keep(struct kt_sum_disk *d, const struct kt_sum_req *q)
{
	size_t i = d->ntop;

	while (i > 0 && d->top[i - 1].ns < q->ns)
		i--;
	if (i >= KT_SUM_DISK_TOP)
		return;
	if (d->ntop < KT_SUM_DISK_TOP)
		d->ntop++;
	memmove(&d->top[i + 1], &d->top[i], (d->ntop - 1 - i) * sizeof(*q));
	d->top[i] = *q;
}

/* biolatency's measure: the service time; a flush's own request (never
 * issued) only has its time from allocation, and is left out. */
static int scan_block(struct kt_st *st, const struct kt_event *ev)
{
	struct kt_sum_scan *sc = st->priv;
	const struct kt_block_rq *b = &ev->blk;
	struct kt_sum_disk *d;
	struct kt_sum_req q;

	if (b->flags & KT_BLOCK_FROM_ALLOC)
		return 0;
	d = kt_map_put(&sc->disks, b->dev, NULL);
	if (!d)
		return -ENOMEM;
	d->dev = b->dev;
	if (kt_lhist_add(&d->lat, b->service_ns))
		return -ENOMEM;
	memset(&q, 0, sizeof(q));
	q.ns = b->service_ns;
	q.ts = ev->ts;
	q.pid = ev->pid;
	q.tid = ev->tid;
	q.op = b->op;
	q.bytes = b->bytes;
	q.sector = b->sector;
	kt_st_copy_comm(st, ev->tid, q.comm, sizeof(q.comm));
	if (!q.comm[0])
		memcpy(q.comm, "?", 2);
	disk_keep(d, &q);
	return 0;
}

static int scan_event(struct kt_st *st, const struct kt_event *ev)
{
	if (ev->kind == KT_SYSCALL)
		return scan_syscall(st, ev);
	return scan_block(st, ev);
}

const struct kt_stats_tool kt_sum_scan_tool = {
	.name = "summary",
	.options = "",
	.summary = "slowest syscalls, slowest block requests",
	.kinds = KT_KIND_BIT(KT_SYSCALL) | KT_KIND_BIT(KT_BLOCK_RQ),
	.priv_size = sizeof(struct kt_sum_scan),
	.init = scan_init,
	.event = scan_event,
};

void kt_sum_scan_release(struct kt_sum_scan *sc)
{
	struct kt_sum_disk *d;

	for (size_t i = 0; i < sc->disks.cap; i++)
		if ((d = kt_map_slot(&sc->disks, i, NULL)))
			kt_lhist_release(&d->lat);
	kt_map_release(&sc->disks);
	kt_map_release(&sc->slow);
}

/* ------------------------------------------------------------ anomalies */

/* An instant of a sentence, as the list's output prints them. */
static char *sum_ts(const struct kt_sum_list *l, char *buf, size_t sz,
		    __u64 ns)
{
	return l->times ? kt_out_tstr(l->times, buf, sz, ns) :
			  kt_tlf_ts(buf, sz, ns);
}

static int add_slow(struct kt_sum_list *l, const struct kt_sum_slow *w)
{
	const char *name = kt_syscall_name(w->nr);
	struct kt_anom *a = kt_sum_add(l, KT_AN_SLOW);
	char d[32], t[48], nr[24], ret[32] = "", thread[32] = "";

	if (!a)
		return -ENOMEM;
	if (!name) {
		snprintf(nr, sizeof(nr), "%u", w->nr);
		name = nr;
	}
	if (w->open)
		snprintf(ret, sizeof(ret), ", still running at the end");
	else if (w->ret < 0 && w->ret >= -4095 && kt_errno_name(-w->ret))
		snprintf(ret, sizeof(ret), ", failed with %s",
			 kt_errno_name(-w->ret));
	a->pid = w->pid;
	a->tid = w->tid;
	a->nr = (__s32)w->nr;
	a->ts = w->start;
	a->ns = w->ns;
	memcpy(a->comm, w->comm, sizeof(a->comm));
	if (w->tid != w->pid)
		snprintf(thread, sizeof(thread), " in thread %u", w->tid);
	snprintf(a->what, sizeof(a->what), "%s[%u] %s took %s at %s%s%s",
		 w->comm, w->pid, name, kt_tlf_dur(d, sizeof(d), w->ns),
		 sum_ts(l, t, sizeof(t), w->start), thread, ret);
	snprintf(a->verb, sizeof(a->verb), "why");
	snprintf(a->args, sizeof(a->args), "--pid %u --slowest --syscall %s",
		 w->pid, name);
	return 0;
}

/* A request slow for its disk: over 1 ms and 8 times the disk's median.
 * Its command lists the requests that completed while it was served. */
static int add_req(struct kt_sum_list *l, const struct kt_sum_disk *d,
		   const struct kt_sum_req *q, __u64 p50,
		   const struct kt_disks *disks)
{
	struct kt_tlf_names names = { .disks = (struct kt_disks *)disks };
	struct kt_tl_blk blk = { .dev = d->dev, .op = q->op,
				 .bytes = q->bytes, .sector = q->sector };
	struct kt_anom *a = kt_sum_add(l, KT_AN_DISK);
	char req[KT_TLF_MAX], dur[32], med[32], from[32], to[32], who[64];
	char at[48];

	if (!a)
		return -ENOMEM;
	if (q->tid)
		snprintf(who, sizeof(who), "%s[%u]", q->comm, q->pid);
	else
		snprintf(who, sizeof(who), "a task not recorded");
	a->pid = q->pid;
	a->tid = q->tid;
	a->ts = q->ts - q->ns;
	a->ns = q->ns;
	memcpy(a->comm, q->comm, sizeof(a->comm));
	snprintf(a->what, sizeof(a->what),
		 "%s took %s (the disk's median %s), issued by %s at %s",
		 kt_tlf_blk(req, sizeof(req), &blk, &names),
		 kt_tlf_dur(dur, sizeof(dur), q->ns),
		 kt_tlf_dur(med, sizeof(med), p50), who,
		 sum_ts(l, at, sizeof(at), q->ts - q->ns));
	snprintf(a->verb, sizeof(a->verb), "stats");
	snprintf(a->args, sizeof(a->args), "biosnoop --from %s --to %s",
		 kt_tlf_ts(from, sizeof(from), q->ts - q->ns),
		 kt_tlf_ts(to, sizeof(to), q->ts + 1));
	return 0;
}

int kt_sum_from_scan(struct kt_sum_list *l, const struct kt_sum_scan *sc,
		     const struct kt_disks *disks)
{
	const struct kt_sum_slow *w;
	const struct kt_sum_disk *d;
	int rc = 0;

	for (size_t i = 0; !rc && i < sc->slow.cap; i++)
		if ((w = kt_map_slot(&sc->slow, i, NULL)) &&
		    w->ns >= KT_SUM_SLOW_MIN_NS)
			rc = add_slow(l, w);
	for (size_t i = 0; !rc && i < sc->disks.cap; i++) {
		__u64 p50;

		if (!(d = kt_map_slot(&sc->disks, i, NULL)))
			continue;
		p50 = kt_lhist_pct(&d->lat, 50);
		for (size_t k = 0; !rc && k < d->ntop; k++)
			if (d->top[k].ns >= KT_SUM_DISK_MIN_NS &&
			    d->top[k].ns >= KT_SUM_DISK_FACTOR * p50)
				rc = add_req(l, d, &d->top[k], p50, disks);
	}
	return rc;
}
