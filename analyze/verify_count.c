// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * verify_count.c - the `accounting` check: a capture whose metadata has
 * attempts.per_cpu_family (what the BPF programs tried to emit, counted
 * in the kernel before a ring can refuse a record) must hold, for every
 * CPU and family, as many events from those programs as were attempted
 * minus those it reports lost because a ring was full (KT_LOST records of
 * cause ring_full).
 *
 * From the programs are every event but those the recorder writes
 * itself: clock anchors, markers, packets (libpcap), its own KT_LOST
 * records (ring_full, recursion, pcap), the syscalls still running and
 * the block requests still in flight at stop.  KT_LOST records of cause
 * switch_gap or filtered are put in the rings by the programs: they count
 * as events of the family they report on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/verify_int.h"

struct vcount {
	__u64 *att, *ev, *lost; /* [cpu * KT_FAM_MAX + family] */
	__u64 last_ts;
};

void kt_v_count_free(struct vcount *c)
{
	if (!c)
		return;
	free(c->att);
	free(c->ev);
	free(c->lost);
	free(c);
}

int kt_v_count_new(struct kt_verify *v, const json_t *per_cpu)
{
	struct vcount *c;
	const json_t *row;
	size_t n = KT_VERIFY_MAX_CPUS * KT_FAM_MAX, i;

	if (!json_is_array(per_cpu))
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->att = calloc(n, sizeof(__u64));
	c->ev = calloc(n, sizeof(__u64));
	c->lost = calloc(n, sizeof(__u64));
	if (!c->att || !c->ev || !c->lost) {
		kt_v_count_free(c);
		return -ENOMEM;
	}
	json_array_foreach(per_cpu, i, row) {
		if (i >= KT_VERIFY_MAX_CPUS)
			break;
		for (unsigned f = 0; f < KT_FAM_MAX; f++) {
			const json_t *x = json_object_get(row,
							  kt_family_name(f));

			if (json_is_integer(x) && json_integer_value(x) > 0)
				c->att[i * KT_FAM_MAX + f] =
					json_integer_value(x);
		}
	}
	v->count = c;
	return 0;
}

/* from_bpf - whether @ev was emitted by a BPF program, and its family. */
static bool from_bpf(const struct kt_event *ev, __u32 *fam)
{
	const struct kt_kind_info *k = kt_kind_info(ev->kind);

	switch (ev->kind) {
	case KT_CLOCK_SYNC:
	case KT_MARKER:
	case KT_NET_PACKET:
		return false;
	case KT_LOST:
		*fam = ev->lost.family;
		return ev->lost.cause == KT_LOST_SWITCH_GAP ||
		       ev->lost.cause == KT_LOST_FILTERED;
	case KT_SYSCALL:
		if (ev->sys.flags & KT_SYSCALL_UNFINISHED)
			return false;
		break;
	case KT_BLOCK_RQ:
		if (ev->blk.flags & KT_BLOCK_INCOMPLETE)
			return false;
		break;
	}
	if (!k)
		return false;
	*fam = k->family;
	return true;
}

void kt_v_count_event(struct kt_verify *v, const struct kt_event *ev)
{
	struct vcount *c = v->count;
	__u32 fam = KT_FAM_MAX;

	if (!c)
		return;
	if (ev->ts > c->last_ts)
		c->last_ts = ev->ts;
	if (ev->cpu >= KT_VERIFY_MAX_CPUS)
		return;
	if (ev->kind == KT_LOST && ev->lost.cause == KT_LOST_RING &&
	    ev->lost.family < KT_FAM_MAX)
		c->lost[ev->cpu * KT_FAM_MAX + ev->lost.family] +=
			ev->lost.count;
	else if (from_bpf(ev, &fam) && fam < KT_FAM_MAX)
		c->ev[ev->cpu * KT_FAM_MAX + fam]++;
}

static int mismatch(struct kt_verify *v, __u32 cpu, __u32 fam)
{
	struct vcount *c = v->count;
	size_t i = (size_t)cpu * KT_FAM_MAX + fam;
	__u64 have = c->ev[i] + c->lost[i];
	struct kt_violation x;

	kt_v_begin(&x, KT_V_ACCOUNTING, c->last_ts, 0, cpu);
	x.lost_family = fam;
	snprintf(x.detail, sizeof(x.detail),
		 "%s: the programs attempted %llu events, the capture holds "
		 "%llu and reports %llu lost (ring full): %llu %s",
		 kt_family_name(fam), (unsigned long long)c->att[i],
		 (unsigned long long)c->ev[i], (unsigned long long)c->lost[i],
		 (unsigned long long)(have > c->att[i] ? have - c->att[i] :
				      c->att[i] - have),
		 have > c->att[i] ? "more than attempted" :
				    "missing without a count");
	return kt_v_report(v, &x);
}

int kt_v_count_end(struct kt_verify *v)
{
	struct vcount *c = v->count;
	int rc = 0;

	if (!c)
		return 0;
	v->st.accounting = true;
	for (__u32 cpu = 0; cpu < KT_VERIFY_MAX_CPUS && !rc; cpu++)
		for (__u32 f = 0; f < KT_FAM_MAX && !rc; f++) {
			size_t i = (size_t)cpu * KT_FAM_MAX + f;

			v->st.accounted += c->ev[i] + c->lost[i];
			if (c->ev[i] + c->lost[i] != c->att[i])
				rc = mismatch(v, cpu, f);
		}
	return rc;
}

void kt_verify_accounting(const struct kt_verify *v,
			  void (*fn)(void *arg, __u32 cpu, __u32 fam,
				     __u64 attempts, __u64 events,
				     __u64 lost),
			  void *arg)
{
	const struct vcount *c = v->count;

	if (!c)
		return;
	for (__u32 cpu = 0; cpu < KT_VERIFY_MAX_CPUS; cpu++)
		for (__u32 f = 0; f < KT_FAM_MAX; f++) {
			size_t i = (size_t)cpu * KT_FAM_MAX + f;

			if (c->att[i] || c->ev[i] || c->lost[i])
				fn(arg, cpu, f, c->att[i], c->ev[i],
				   c->lost[i]);
		}
}
