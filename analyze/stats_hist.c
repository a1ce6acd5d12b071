// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_hist.c - the histograms of the stats tools: bcc's log2 one and a
 * log-linear one for percentiles (stats_int.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/stats_int.h"

/* ----------------------------------------------------------- histograms */

static void stars(struct kt_out *o, __u64 val, __u64 max, int width)
{
	int n = max ? (int)((val < max ? val : max) * width / max) : 0;
	char *p = kt_out_need(o, width);

	if (!p)
		return;
	memset(p, '*', n);
	memset(p + n, ' ', width - n);
	o->len += width;
}

void kt_log2_print(struct kt_out *o, const struct kt_log2 *h,
		   const char *unit)
{
	int last = -1, i, width, label;
	__u64 max = 0, low, high;

	for (i = 0; i < 64; i++) {
		if (h->slot[i])
			last = i;
		if (h->slot[i] > max)
			max = h->slot[i];
	}
	if (last < 0)
		return;
	/* bcc widens the columns when values need more than 32 bits */
	width = last <= 32 ? 10 : 20;
	label = last <= 32 ? 19 : 29;
	kt_out_spaces(o, last <= 32 ? 5 : 15);
	kt_out_strw(o, unit, -label);
	kt_out_str(o, " : count    distribution\n");
	for (i = 0; i <= last; i++) {
		low = i ? 1ULL << i : 0;
		high = i < 63 ? (2ULL << i) - 1 : ~0ULL;
		kt_out_u64w(o, low, width);
		kt_out_str(o, " -> ");
		kt_out_u64w(o, high, -width);
		kt_out_str(o, " : ");
		kt_out_u64w(o, h->slot[i], -8);
		kt_out_str(o, " |");
		stars(o, h->slot[i], max, last <= 32 ? 40 : 20);
		kt_out_str(o, "|\n");
	}
}

void kt_log2_json(struct kt_out *o, const struct kt_log2 *h)
{
	int last = -1, i;

	for (i = 0; i < 64; i++)
		if (h->slot[i])
			last = i;
	kt_out_jkey(o, "buckets");
	kt_out_jopen(o, '[');
	for (i = 0; i <= last; i++) {
		kt_out_jsep(o);
		kt_out_jopen(o, '{');
		kt_out_jkv_u64(o, "low", i ? 1ULL << i : 0);
		kt_out_jkv_u64(o, "high", i < 63 ? (2ULL << i) - 1 : ~0ULL);
		kt_out_jkv_u64(o, "count", h->slot[i]);
		kt_out_jclose(o, '}');
	}
	kt_out_jclose(o, ']');
}

/* Bucket of @v: octave 0 holds 0..31 one per bucket; octave k >= 1 holds
 * [2^(k+4), 2^(k+5)) in 32 equal parts. */
static void lhist_pos(__u64 v, unsigned *oct, unsigned *sub)
{
	unsigned e;

	if (v < KT_LHIST_SUB) {
		*oct = 0;
		*sub = v;
		return;
	}
	e = 63 - __builtin_clzll(v);
	*oct = e - 4;
	*sub = (v >> (e - 5)) & (KT_LHIST_SUB - 1);
}

int kt_lhist_add(struct kt_lhist *h, __u64 v)
{
	unsigned oct, sub;

	lhist_pos(v, &oct, &sub);
	if (!h->oct[oct]) {
		h->oct[oct] = calloc(1, sizeof(*h->oct[oct]));
		if (!h->oct[oct])
			return -ENOMEM;
	}
	h->oct[oct]->cnt[sub]++;
	h->oct[oct]->sum[sub] += v;
	if (!h->n || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	return 0;
}

__u64 kt_lhist_pct(const struct kt_lhist *h, unsigned pct)
{
	__u64 rank, seen = 0, v;
	unsigned oct, sub;

	if (!h->n)
		return 0;
	rank = (h->n * pct + 99) / 100;
	if (!rank)
		rank = 1;
	for (oct = 0; oct < KT_LHIST_OCT; oct++) {
		if (!h->oct[oct])
			continue;
		for (sub = 0; sub < KT_LHIST_SUB; sub++) {
			seen += h->oct[oct]->cnt[sub];
			if (seen < rank)
				continue;
			v = h->oct[oct]->sum[sub] / h->oct[oct]->cnt[sub];
			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
	}
	return h->max;
}

void kt_lhist_release(struct kt_lhist *h)
{
	for (unsigned i = 0; i < KT_LHIST_OCT; i++) {
		free(h->oct[i]);
		h->oct[i] = NULL;
	}
}
