// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_map.c - the per-key containers of the stats tools: a linear-probing
 * hash map (backward-shift deletion, so no tombstones pile up when threads
 * come and go) and the two histograms.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/stats_int.h"

/* ------------------------------------------------------------- hash map */

static size_t hash64(__u64 k, size_t mask)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k & mask;
}

void kt_map_init(struct kt_map *m, size_t vsize)
{
	memset(m, 0, sizeof(*m));
	m->vsize = vsize;
}

void kt_map_release(struct kt_map *m)
{
	free(m->keys);
	free(m->used);
	free(m->vals);
	m->keys = NULL;
	m->used = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static size_t find_slot(const struct kt_map *m, __u64 key)
{
	size_t mask = m->cap - 1, i = hash64(key, mask);

	while (m->used[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

void *kt_map_get(const struct kt_map *m, __u64 key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = find_slot(m, key);
	return m->used[i] ? m->vals + i * m->vsize : NULL;
}

static int rehash(struct kt_map *m, size_t cap)
{
	struct kt_map nm = { .vsize = m->vsize, .cap = cap };
	size_t i, j;

	nm.keys = malloc(cap * sizeof(*nm.keys));
	nm.used = calloc(cap, 1);
	nm.vals = malloc(m->vsize ? cap * m->vsize : 1);
	if (!nm.keys || !nm.used || !nm.vals) {
		kt_map_release(&nm);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->used[i])
			continue;
		j = find_slot(&nm, m->keys[i]);
		nm.used[j] = 1;
		nm.keys[j] = m->keys[i];
		memcpy(nm.vals + j * m->vsize, m->vals + i * m->vsize, m->vsize);
	}
	nm.n = m->n;
	kt_map_release(m);
	*m = nm;
	return 0;
}

void *kt_map_put(struct kt_map *m, __u64 key, bool *created)
{
	size_t i;

	if (created)
		*created = false;
	if ((m->n + 1) * 4 > m->cap * 3 &&
	    rehash(m, m->cap ? m->cap * 2 : 64))
		return NULL;
	i = find_slot(m, key);
	if (!m->used[i]) {
		m->used[i] = 1;
		m->keys[i] = key;
		memset(m->vals + i * m->vsize, 0, m->vsize);
		m->n++;
		if (created)
			*created = true;
	}
	return m->vals + i * m->vsize;
}

void kt_map_del(struct kt_map *m, __u64 key)
{
	size_t mask, i, j, home;

	if (!m->cap)
		return;
	mask = m->cap - 1;
	i = find_slot(m, key);
	if (!m->used[i])
		return;
	/* Backward shift: move later members of the probe run into the hole
	 * when their home slot is not between the hole and them. */
	for (j = (i + 1) & mask; m->used[j]; j = (j + 1) & mask) {
		home = hash64(m->keys[j], mask);
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		m->keys[i] = m->keys[j];
		memcpy(m->vals + i * m->vsize, m->vals + j * m->vsize,
		       m->vsize);
		i = j;
	}
	m->used[i] = 0;
	m->n--;
}

void *kt_map_slot(const struct kt_map *m, size_t i, __u64 *key)
{
	if (i >= m->cap || !m->used[i])
		return NULL;
	if (key)
		*key = m->keys[i];
	return m->vals + i * m->vsize;
}

void **kt_map_sorted(const struct kt_map *m, size_t *n,
		     int (*cmp)(const void *, const void *))
{
	void **v;
	size_t i, k = 0;

	*n = 0;
	if (!m->n)
		return NULL;
	v = malloc(m->n * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < m->cap; i++)
		if (m->used[i])
			v[k++] = m->vals + i * m->vsize;
	qsort(v, k, sizeof(*v), cmp);
	*n = k;
	return v;
}

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
