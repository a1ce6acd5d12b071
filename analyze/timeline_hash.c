// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "timeline_hash.h"

int kt_hash_get(const struct kt_hash *h, uint64_t key, uint64_t *val)
{
	size_t mask, i;

	if (!h->cap)
		return 0;
	mask = h->cap - 1;
	for (i = kt_hash_mix(key) & mask; h->keys[i]; i = (i + 1) & mask) {
		if (h->keys[i] == key) {
			*val = h->vals[i];
			return 1;
		}
	}
	return 0;
}

static int grow(struct kt_hash *h)
{
	size_t cap = h->cap ? h->cap * 2 : 64, mask = cap - 1;
	uint64_t *keys, *vals;

	keys = calloc(cap, sizeof(*keys));
	vals = malloc(cap * sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (size_t j = 0; j < h->cap; j++) {
		size_t i;

		if (!h->keys[j])
			continue;
		for (i = kt_hash_mix(h->keys[j]) & mask; keys[i]; i = (i + 1) & mask)
			;
		keys[i] = h->keys[j];
		vals[i] = h->vals[j];
	}
	free(h->keys);
	free(h->vals);
	h->keys = keys;
	h->vals = vals;
	h->cap = cap;
	return 0;
}

int kt_hash_put(struct kt_hash *h, uint64_t key, uint64_t val)
{
	size_t mask, i;

	if (!key)       /* 0 marks an empty slot */
		return -EINVAL;
	/* keep the load under 1/2 so probe runs stay short */
	if ((h->n + 1) * 2 > h->cap && grow(h))
		return -ENOMEM;
	mask = h->cap - 1;
	for (i = kt_hash_mix(key) & mask; h->keys[i]; i = (i + 1) & mask) {
		if (h->keys[i] == key) {
			h->vals[i] = val;
			return 0;
		}
	}
	h->keys[i] = key;
	h->vals[i] = val;
	h->n++;
	return 0;
}

int kt_hash_del(struct kt_hash *h, uint64_t key)
{
	size_t mask, i, j;

	if (!h->cap)
		return 0;
	mask = h->cap - 1;
	for (i = kt_hash_mix(key) & mask; h->keys[i] != key; i = (i + 1) & mask)
		if (!h->keys[i])
			return 0;
	/* backward-shift: move later members of the run into the hole when
	 * their home slot is not between the hole and them */
	for (j = (i + 1) & mask; h->keys[j]; j = (j + 1) & mask) {
		size_t home = kt_hash_mix(h->keys[j]) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			h->keys[i] = h->keys[j];
			h->vals[i] = h->vals[j];
			i = j;
		}
	}
	h->keys[i] = 0;
	h->n--;
	return 1;
}

void kt_hash_release(struct kt_hash *h)
{
	free(h->keys);
	free(h->vals);
	h->keys = h->vals = NULL;
	h->cap = h->n = 0;
}
