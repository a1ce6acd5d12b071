/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * timeline_hash.h - private to analyze/: an open-addressing hash map from a
 * non-zero 64-bit key to a 64-bit value (an index or a pointer), used for
 * the per-thread, per-socket and per-node tables of the timeline, graph
 * and critical path.  Linear probing with backward-shift deletion, so no
 * tombstones accumulate in long streaming runs.
 */
#ifndef KT_TIMELINE_HASH_H
#define KT_TIMELINE_HASH_H

#include <stdint.h>
#include <stddef.h>

struct kt_hash {
	uint64_t *keys;         /* 0 = empty slot */
	uint64_t *vals;
	size_t cap;             /* power of two, or 0 */
	size_t n;
};

/* kt_hash_get - stores the value of @key in @val; returns 1, or 0 when
 * absent.  @key must be non-zero. */
int kt_hash_get(const struct kt_hash *h, uint64_t key, uint64_t *val);

/* kt_hash_put - insert or replace.  Returns 0, -ENOMEM, or -EINVAL for
 * key 0. */
int kt_hash_put(struct kt_hash *h, uint64_t key, uint64_t val);

/* kt_hash_del - remove @key if present; returns 1 if it was. */
int kt_hash_del(struct kt_hash *h, uint64_t key);

/* kt_hash_release - free the arrays; the map is empty afterwards. */
void kt_hash_release(struct kt_hash *h);

/* kt_hash_mix - a 64-bit finalizer, also used to build composite keys. */
static inline uint64_t kt_hash_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif /* KT_TIMELINE_HASH_H */
