// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * map.c - the analyzers' hash map (see map.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/map.h"

static size_t home_of(__u64 key, size_t mask)
{
	return (size_t)kt_map_mix(key) & mask;
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
	size_t mask = m->cap - 1, i = home_of(key, mask);

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

bool kt_map_del(struct kt_map *m, __u64 key)
{
	size_t mask, i, j, home;

	if (!m->cap)
		return false;
	mask = m->cap - 1;
	i = find_slot(m, key);
	if (!m->used[i])
		return false;
	/* Backward shift: move later members of the probe run into the hole
	 * when their home slot is not between the hole and them. */
	for (j = (i + 1) & mask; m->used[j]; j = (j + 1) & mask) {
		home = home_of(m->keys[j], mask);
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		m->keys[i] = m->keys[j];
		memcpy(m->vals + i * m->vsize, m->vals + j * m->vsize,
		       m->vsize);
		i = j;
	}
	m->used[i] = 0;
	m->n--;
	return true;
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
	if (!v) {
		*n = m->n;      /* NULL with *n > 0: out of memory */
		return NULL;
	}
	for (i = 0; i < m->cap; i++)
		if (m->used[i])
			v[k++] = m->vals + i * m->vsize;
	qsort(v, k, sizeof(*v), cmp);
	*n = k;
	return v;
}

