// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_segs.c - where each nanosecond of `ktrail why`'s answer went, in
 * words: the segments of the critical path grouped into stretches, the
 * attribution buckets, the hops that reached the root (why_print.c
 * prints the rest).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "why_int.h"
#include "names.h"
#include "timeline_fmt.h"
#include "fmt.h"

#define SEG_LINES 15            /* text: stretches shown without --segments */

#define thr kt_why_thr

/* "issued by X, served in Y", or what the record lacks */
char *kt_why_blk_origin(char *buf, size_t sz, const struct kt_why *w,
			const struct kt_tl_blk *b)
{
	char t[KT_TLF_MAX], d[32];

	kt_tlf_dur(d, sizeof(d), b->complete_ts - b->issue_ts);
	if (b->flags & KT_BLOCK_FROM_ALLOC)
		snprintf(buf, sz, "never issued (a cache flush), done %s after it was allocated%s",
			 d, b->issuer_tid ? "" : ", submitter not recorded");
	else if (!b->issuer_tid && b->issue_ts == b->complete_ts)
		snprintf(buf, sz, "issuer and service time not recorded");
	else if (!b->issuer_tid)
		snprintf(buf, sz, "issued by a task out of scope, served in %s", d);
	else
		snprintf(buf, sz, "issued by %s, served in %s",
			 thr(t, w, b->issuer_utid, b->issuer_tid),
			 kt_tlf_dur(d, sizeof(d), b->complete_ts - b->issue_ts));
	return buf;
}

/* "10.0.0.1:4242 -> 10.0.0.2:80" */
char *kt_why_tcp_tuple(char *buf, size_t sz, const struct kt_tl_tcp *t)
{
	char a[64], b[64];

	kt_fmt_ipport(a, sizeof(a), t->family, t->saddr, t->sport);
	kt_fmt_ipport(b, sizeof(b), t->family, t->daddr, t->dport);
	snprintf(buf, sz, "%s -> %s", a, b);
	return buf;
}

static void seg_words(char *buf, size_t sz, const struct kt_why *w,
		      const struct kt_cp_seg *s)
{
	char x[KT_TLF_MAX], y[2 * KT_TLF_MAX];

	switch (s->kind) {
	case KT_CP_RUN:
		snprintf(buf, sz, "running on cpu %u", s->cpu);
		break;
	case KT_CP_RUNNABLE:
		snprintf(buf, sz, "runnable, waiting for cpu %u", s->cpu);
		break;
	case KT_CP_DISK:
		snprintf(buf, sz, "disk: %s (%s)",
			 kt_tlf_blk(x, sizeof(x), &s->blk, &w->names),
			 kt_why_blk_origin(y, sizeof(y), w, &s->blk));
		break;
	case KT_CP_TIMER:
		snprintf(buf, sz, "timer: %s in %s", kt_tl_state_name(s->state),
			 kt_tlf_sys(x, sizeof(x), &s->sys, s->pid, &w->names));
		break;
	case KT_CP_NET:
		snprintf(buf, sz, "network: %s in %s", kt_tl_state_name(s->state),
			 kt_tlf_sys(x, sizeof(x), &s->sys, s->pid, &w->names));
		break;
	case KT_CP_RETRANS:
		snprintf(buf, sz, "retransmission timeout: %s in %s",
			 kt_why_tcp_tuple(y, sizeof(y), &s->tcp),
			 kt_tlf_sys(x, sizeof(x), &s->sys, s->pid, &w->names));
		break;
	case KT_CP_IRQ:
		snprintf(buf, sz, "interrupt (device unknown): %s in %s",
			 kt_tl_state_name(s->state),
			 kt_tlf_sys(x, sizeof(x), &s->sys, s->pid, &w->names));
		break;
	default:
		if (!s->state && s->cause == KT_CAUSE_NONE)
			snprintf(buf, sz, "unknown: not observed");
		else
			snprintf(buf, sz, "unknown: %s, %s", kt_tl_state_name(s->state),
				 s->cause == KT_CAUSE_MISSING ? "woken unseen" :
				 s->cause == KT_CAUSE_NONE ? "not woken in the capture" :
				 "woken by itself");
	}
}

/* Segments of one class read as one stretch: a thread on or waiting for
 * a cpu, or one device or cause. */
static unsigned seg_class(const struct kt_cp_seg *s)
{
	return s->kind == KT_CP_RUNNABLE ? KT_CP_RUN : s->kind;
}

static bool same_stretch(const struct kt_cp_seg *a, const struct kt_cp_seg *b)
{
	return a->hop == b->hop && a->tid == b->tid && a->utid == b->utid &&
	       seg_class(a) == seg_class(b) && a->end == b->start &&
	       (a->kind != KT_CP_DISK || a->blk.dev == b->blk.dev);
}

struct stretch {
	size_t first, last;     /* segment indexes, inclusive */
	__u64 ns, kind_ns[KT_CP_NKINDS];
};

static void stretch_words(char *buf, size_t sz, const struct kt_why *w,
			  const struct stretch *st)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_seg *s = &p->segs[st->first];
	char r[32], q[32];

	if (st->first == st->last || seg_class(s) != KT_CP_RUN) {
		seg_words(buf, sz, w, s);
		if (st->first != st->last)
			snprintf(buf + strlen(buf), sz - strlen(buf),
				 " (%zu segments)", st->last - st->first + 1);
		return;
	}
	snprintf(buf, sz, "running %s, runnable %s (%zu segments)",
		 kt_tlf_dur(r, sizeof(r), st->kind_ns[KT_CP_RUN]),
		 kt_tlf_dur(q, sizeof(q), st->kind_ns[KT_CP_RUNNABLE]),
		 st->last - st->first + 1);
}

static int cmp_stretch_ns(const void *a, const void *b)
{
	const struct stretch *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

static int cmp_stretch_time(const void *a, const void *b)
{
	const struct stretch *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/* Consecutive segments of one thread and class, merged into stretches;
 * NULL on ENOMEM. */
static struct stretch *stretches(const struct kt_cp_path *p, size_t *n)
{
	struct stretch *v = calloc(p->nsegs ? p->nsegs : 1, sizeof(*v));
	size_t i = 0;

	*n = 0;
	while (v && i < p->nsegs) {
		struct stretch *st = &v[(*n)++];

		st->first = st->last = i;
		do {
			const struct kt_cp_seg *s = &p->segs[i];

			st->last = i;
			st->ns += s->end - s->start;
			st->kind_ns[s->kind] += s->end - s->start;
			i++;
		} while (i < p->nsegs && same_stretch(&p->segs[i - 1], &p->segs[i]));
	}
	return v;
}

int kt_why_print_segments(struct kt_out *o, const struct kt_why *w, bool all)
{
	const struct kt_cp_path *p = &w->path;
	char a[32], d[32], t[KT_TLF_MAX], words[2 * KT_TLF_MAX + 64];
	size_t n, shown;
	struct stretch *v = stretches(p, &n);

	if (!v)
		return -ENOMEM;
	shown = all || n <= SEG_LINES ? n : SEG_LINES;
	if (shown < n) {
		qsort(v, n, sizeof(*v), cmp_stretch_ns);
		qsort(v, shown, sizeof(*v), cmp_stretch_time);
		kt_out_printf(o, "\nwhere the time went (the longest %zu of %zu stretches, in order; --segments lists all):\n",
			shown, n);
	} else {
		kt_out_printf(o, "\nwhere the time went (each nanosecond once, in order):\n");
	}
	for (size_t i = 0; i < shown; i++) {
		const struct kt_cp_seg *s = &p->segs[v[i].first];

		stretch_words(words, sizeof(words), w, &v[i]);
		kt_out_printf(o, "  %s %10s  #%-3u %-24s %s\n",
			kt_out_tstr(o, a, sizeof(a), s->start),
			kt_tlf_dur(d, sizeof(d), v[i].ns), s->hop,
			thr(t, w, s->utid, s->tid), words);
	}
	free(v);
	return 0;
}

char *kt_why_attr_words(char *buf, size_t sz, const struct kt_why *w,
			const struct kt_cp_attr *a)
{
	char t[KT_TLF_MAX], dev[32];

	switch (a->kind) {
	case KT_CP_RUN:
		snprintf(buf, sz, "running %s", thr(t, w, a->utid, a->tid));
		break;
	case KT_CP_RUNNABLE:
		if (a->cpu == KT_CP_ALL_CPUS)
			snprintf(buf, sz, "runnable (contention)");
		else
			snprintf(buf, sz, "runnable on cpu %u (contention)", a->cpu);
		break;
	case KT_CP_DISK:
		kt_tlf_dev(dev, sizeof(dev), a->dev, &w->names);
		snprintf(buf, sz, "disk %s", dev);
		break;
	case KT_CP_UNKNOWN:
		snprintf(buf, sz, "unknown (%s)", thr(t, w, a->utid, a->tid));
		break;
	case KT_CP_RETRANS:
		snprintf(buf, sz, "retransmission timeout (%s)",
			 thr(t, w, a->utid, a->tid));
		break;
	default:
		snprintf(buf, sz, "%s", kt_cp_kind_name(a->kind));
	}
	return buf;
}

void kt_why_print_attr(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	__u64 span = p->end - p->start;
	char words[KT_TLF_MAX + 40];

	kt_out_printf(o, "\nattribution (sums to the span exactly: %llu ns):\n",
		(unsigned long long)span);
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];
		unsigned pc = kt_why_pct10(a->ns, span);

		kt_why_attr_words(words, sizeof(words), w, a);
		kt_out_printf(o, "  %-40s %14llu ns %4u.%u%%\n", words,
			(unsigned long long)a->ns, pc / 10, pc % 10);
	}
}

/* The hops from the root's first appearance up to the span. */
void kt_why_print_through(struct kt_out *o, const struct kt_why *w, __u32 hop)
{
	const struct kt_cp_path *p = &w->path;
	__u32 chain[KT_CP_MAX_DEPTH + 1];
	char t[KT_TLF_MAX];
	int n = 0;

	for (__u32 h = hop; h != KT_CP_NONE && n <= KT_CP_MAX_DEPTH;
	     h = p->hops[h].parent)
		chain[n++] = h;
	if (n < 2)
		return;
	kt_out_printf(o, "  reached through");
	for (int i = n - 1; i >= 0; i--)
		kt_out_printf(o, "%s %s", i == n - 1 ? "" : " ->",
			thr(t, w, p->hops[chain[i]].utid, p->hops[chain[i]].tid));
	kt_out_printf(o, "\n");
}

