// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * critpath_attr.c - a critical path's attribution (see critpath.h): the
 * segments summed per cause, CPU contention with the tasks that held
 * the cpus, the confidence of the root.
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

/* ---------------------------------------------------------- attribution */

static __u64 attr_key(const struct kt_cp_seg *s)
{
	__u64 id = 0;

	switch (s->kind) {
	case KT_CP_RUN:
	case KT_CP_UNKNOWN:
	case KT_CP_RETRANS:
		id = kt_cp_thread_key(s->utid, s->tid);
		break;
	case KT_CP_RUNNABLE:
		id = s->cpu;
		break;
	case KT_CP_DISK:
		id = s->blk.dev;
		break;
	}
	return (id << 4 | s->kind) + 1;
}

/* the bucket key of an attribution entry (as attr_key of its segments) */
static __u64 attr_key_of(const struct kt_cp_attr *a)
{
	struct kt_cp_seg s = { .kind = a->kind, .utid = a->utid, .tid = a->tid,
			       .cpu = a->cpu };

	s.blk.dev = a->dev;
	return attr_key(&s);
}

static int cmp_attr(const void *a, const void *b)
{
	const struct kt_cp_attr *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->dev > y->dev) - (x->dev < y->dev);
}

/* For each bucket, the hop that holds most of its time (ties: the first
 * hop), so that the root is explained where it weighs most. */
static int main_hops(struct kt_cp_path *p)
{
	struct kt_map idx, sums;
	__u64 *best;
	int err = 0;

	kt_map_init(&idx, sizeof(__u64));
	kt_map_init(&sums, sizeof(__u64));
	best = calloc(p->nattr + 1, sizeof(*best));
	if (!best)
		return -ENOMEM;
	for (size_t i = 0; i < p->nattr && !err; i++) {
		p->attr[i].main_hop = p->attr[i].first_hop;
		err = kt_map_put_u64(&idx, attr_key_of(&p->attr[i]), i);
	}
	for (size_t i = 0; i < p->nsegs && !err; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 a, ns = 0;
		__u64 key;

		if (!kt_map_get_u64(&idx, attr_key(s), &a))
			continue;
		key = (a << 32 | s->hop) + 1;
		kt_map_get_u64(&sums, key, &ns);
		ns += s->end - s->start;
		err = kt_map_put_u64(&sums, key, ns);
		if (!err && (ns > best[a] ||
			     (ns == best[a] && s->hop < p->attr[a].main_hop))) {
			best[a] = ns;
			p->attr[a].main_hop = s->hop;
		}
	}
	kt_map_release(&idx);
	kt_map_release(&sums);
	free(best);
	return err;
}

int kt_cp_attribute(struct kt_cp_path *p)
{
	struct kt_map idx;
	size_t cap = 0;
	int err = 0;

	kt_map_init(&idx, sizeof(__u64));
	for (size_t i = 0; i < p->nsegs && !err; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 len = s->end - s->start, key = attr_key(s);
		struct kt_cp_attr *a;
		__u64 v;

		p->kind_ns[s->kind] += len;
		for (__u32 h = s->hop; h != KT_CP_NONE; h = p->hops[h].parent)
			p->hops[h].ns += len;
		if (!kt_map_get_u64(&idx, key, &v)) {
			if (!KT_GROW(p->attr, p->nattr, cap) ||
			    kt_map_put_u64(&idx, key, p->nattr)) {
				err = -ENOMEM;
				break;
			}
			v = p->nattr++;
			a = &p->attr[v];
			memset(a, 0, sizeof(*a));
			a->kind = s->kind;
			a->first_hop = s->hop;
			if (s->kind == KT_CP_RUN || s->kind == KT_CP_UNKNOWN ||
			    s->kind == KT_CP_RETRANS) {
				a->utid = s->utid;
				a->tid = s->tid;
				a->pid = s->pid;
			}
			if (s->kind == KT_CP_RUNNABLE)
				a->cpu = s->cpu;
			if (s->kind == KT_CP_DISK)
				a->dev = s->blk.dev;
		}
		a = &p->attr[v];
		a->ns += len;
		a->segs++;
	}
	kt_map_release(&idx);
	if (!err)
		err = main_hops(p);
	if (!err)
		qsort(p->attr, p->nattr, sizeof(*p->attr), cmp_attr);
	return err;
}

/* The walk must tile the span: contiguous, and summing to its length. */
int kt_cp_check_tiling(const struct kt_cp_path *p)
{
	__u64 cur = p->start, sum = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		if (p->segs[i].start != cur || p->segs[i].end <= cur)
			return -EPROTO;
		sum += p->segs[i].end - p->segs[i].start;
		cur = p->segs[i].end;
	}
	return cur == p->end && sum == p->end - p->start ? 0 : -EPROTO;
}

/*
 * The confidence in @root (docs/causal.md): its time weighted by the
 * evidence each segment rests on, over its time plus the unknown time of
 * the span outside it (which could have been the root's, or not).
 */
void kt_cp_confidence(struct kt_cp_path *p, const struct kt_cp_attr *root)
{
	__u64 key = attr_key_of(root), den;
	bool all = root->kind == KT_CP_RUNNABLE && root->cpu == KT_CP_ALL_CPUS;

	p->root_evidence_ns = p->unknown_ns = 0;
	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 len = s->end - s->start;
		unsigned wt = s->weight;

		/* inference on a capture blind to what would check it */
		if (p->blind && wt < KT_CP_W_EXACT)
			wt /= 2;
		if (attr_key(s) == key || (all && s->kind == KT_CP_RUNNABLE))
			p->root_evidence_ns += len * wt / KT_CP_W_EXACT;
		else if (s->kind == KT_CP_UNKNOWN)
			p->unknown_ns += len;
	}
	den = root->ns + p->unknown_ns;
	p->confidence = den ? (__u16)((p->root_evidence_ns * KT_CP_W_EXACT +
				       den / 2) / den) : 0;
}

const struct kt_cp_attr *kt_cp_root(const struct kt_cp_path *p)
{
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];

		if (a->kind == KT_CP_UNKNOWN)
			continue;
		if (a->kind == KT_CP_RUNNABLE || a->ns < p->contention.ns)
			return p->contention.ns > a->ns ? &p->contention : a;
		return a;
	}
	return p->nattr ? &p->attr[0] : NULL;
}

/* The runnable buckets summed, when there are several. */
void kt_cp_contention(struct kt_cp_path *p)
{
	const struct kt_cp_attr *most = NULL;
	struct kt_cp_attr *c = &p->contention;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < p->nattr; i++) {
		const struct kt_cp_attr *a = &p->attr[i];

		if (a->kind != KT_CP_RUNNABLE)
			continue;
		if (!most)
			most = a;
		c->ns += a->ns;
		c->segs += a->segs;
		n++;
	}
	/* one cpu that holds nearly all of it is named alone: a thread
	 * woken on one cpu and moved at once to the cpu it then waits for
	 * (sched_setaffinity) waited for that cpu */
	if (n < 2 || most->ns * 100 >= c->ns * KT_CP_CONTENTION_ONE_CPU) {
		c->ns = 0;
		return;
	}
	c->kind = KT_CP_RUNNABLE;
	c->cpu = KT_CP_ALL_CPUS;
	c->first_hop = most->first_hop;
	c->main_hop = most->main_hop;
}

/* Who ran on the cpu of runnable segment @s while it waited: added to
 * @all (one entry per thread).  Returns 0 or -ENOMEM. */
static int contenders_of(const struct kt_cp_store *st,
			 const struct kt_cp_seg *s, struct kt_cp_attr **all,
			 size_t *n, size_t *cap)
{
	size_t lo = 0, hi = st->nruns;

	/* first run on this cpu ending after the segment starts */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct cp_run *r = &st->runs[mid];

		if (r->cpu < s->cpu || (r->cpu == s->cpu && r->end <= s->start))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nruns && st->runs[lo].cpu == s->cpu &&
	       st->runs[lo].start < s->end; lo++) {
		const struct cp_run *r = &st->runs[lo];
		__u64 a = r->start > s->start ? r->start : s->start;
		__u64 b = r->end < s->end ? r->end : s->end;
		size_t j;

		if (b <= a || kt_cp_thread_key(r->utid, r->tid) ==
			      kt_cp_thread_key(s->utid, s->tid))
			continue;
		for (j = 0; j < *n; j++)
			if ((*all)[j].tid == r->tid && (*all)[j].utid == r->utid)
				break;
		if (j == *n) {
			if (!KT_GROW(*all, *n, *cap))
				return -ENOMEM;
			memset(&(*all)[j], 0, sizeof((*all)[j]));
			(*all)[j].kind = KT_CP_RUN;
			(*all)[j].utid = r->utid;
			(*all)[j].tid = r->tid;
			(*all)[j].pid = r->pid;
			(*all)[j].cpu = s->cpu;
			(*n)++;
		}
		(*all)[j].ns += b - a;
		(*all)[j].segs++;
	}
	return 0;
}

size_t kt_cp_contenders(const struct kt_cp_store *st,
			const struct kt_cp_path *p, __u16 cpu,
			struct kt_cp_attr *out, size_t max)
{
	struct kt_cp_attr *all = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];

		if (s->kind != KT_CP_RUNNABLE ||
		    (cpu != KT_CP_ALL_CPUS && s->cpu != cpu))
			continue;
		if (contenders_of(st, s, &all, &n, &cap))
			break;  /* out of memory: what was found so far */
	}
	if (n)
		qsort(all, n, sizeof(*all), cmp_attr);
	if (n > max)
		n = max;
	if (n)
		memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

const char *kt_cp_kind_name(unsigned kind)
{
	static const char *const names[KT_CP_NKINDS] = {
		[KT_CP_RUN] = "running", [KT_CP_RUNNABLE] = "runnable",
		[KT_CP_DISK] = "disk", [KT_CP_TIMER] = "timer",
		[KT_CP_NET] = "network", [KT_CP_IRQ] = "irq",
		[KT_CP_UNKNOWN] = "unknown", [KT_CP_RETRANS] = "retransmit",
	};

	return kind < KT_CP_NKINDS ? names[kind] : "?";
}
