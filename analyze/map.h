/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * map.h - private to analyze/: the one hash map of the analyzers, from a
 * 64-bit key (any value, 0 included) to a fixed-size value stored inline
 * and zeroed when created.  The stats tools keep their per-key
 * aggregates in it; the timeline, graph and critical path an index or a
 * pointer (kt_map_get_u64 / kt_map_put_u64 on a map of __u64 values).
 *
 * Linear probing with backward-shift deletion, so no tombstones pile up
 * when threads come and go in long streaming runs.  Value pointers are
 * valid until the next kt_map_put or kt_map_del.  Iterate with
 * kt_map_slot over 0 .. m->cap - 1; a kt_map_del while iterating may move
 * a later entry into the slot just freed: look at that slot again.
 */
#ifndef KT_MAP_H
#define KT_MAP_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct kt_map {
	__u64 *keys;
	unsigned char *used;    /* [slot]: 1 when it holds an entry */
	unsigned char *vals;    /* vsize bytes a slot */
	size_t cap;             /* slots: a power of two, or 0 */
	size_t n;               /* entries */
	size_t vsize;
};

/* kt_map_init - an empty map of @vsize-byte values. */
void kt_map_init(struct kt_map *m, size_t vsize);

/* kt_map_release - free the arrays; the map is empty afterwards (and can
 * be used again with the same value size). */
void kt_map_release(struct kt_map *m);

/* kt_map_get - the value of @key, or NULL when absent. */
void *kt_map_get(const struct kt_map *m, __u64 key);

/* kt_map_put - the value of @key, created (zeroed) if absent; NULL on
 * ENOMEM.  OUT @created says which (may be NULL). */
void *kt_map_put(struct kt_map *m, __u64 key, bool *created);

/* kt_map_del - remove @key; returns whether it was there. */
bool kt_map_del(struct kt_map *m, __u64 key);

/* kt_map_slot - the value in slot @i (OUT @key its key, may be NULL), or
 * NULL when the slot is empty. */
void *kt_map_slot(const struct kt_map *m, size_t i, __u64 *key);

/* kt_map_sorted - the values of @m in an array sorted with @cmp (which
 * gets pointers to value pointers).  Caller frees.  NULL with *n = 0 for
 * an empty map, NULL with *n > 0 (the map's size) on ENOMEM. */
void **kt_map_sorted(const struct kt_map *m, size_t *n,
		     int (*cmp)(const void *, const void *));

/* A map of __u64 values (kt_map_init(m, sizeof(__u64))): an index or a
 * pointer per key. */
static inline bool kt_map_get_u64(const struct kt_map *m, __u64 key,
				  __u64 *v)
{
	const __u64 *p = kt_map_get(m, key);

	if (p)
		*v = *p;
	return p;
}

/* kt_map_put_u64 - insert or replace; 0 or -ENOMEM. */
static inline int kt_map_put_u64(struct kt_map *m, __u64 key, __u64 v)
{
	__u64 *p = kt_map_put(m, key, NULL);

	if (!p)
		return -ENOMEM;
	*p = v;
	return 0;
}

/* kt_map_mix - the map's 64-bit finalizer (MurmurHash3 fmix64), also for
 * building composite keys. */
static inline __u64 kt_map_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif /* KT_MAP_H */
