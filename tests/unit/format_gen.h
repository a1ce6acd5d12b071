/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* format_gen.h - seeded random event streams for the format tests. */
#ifndef KT_FORMAT_GEN_H
#define KT_FORMAT_GEN_H

#include "format/format_int.h"

#define GEN_MAXF 16
#define GEN_NPOOL 8

struct gen_ev {
	struct kt_event ev;     /* *_str fields hold 0 */
	int sidx[GEN_MAXF];     /* pool string of each field, -1 none */
};

struct gen_pool {
	const char *p[GEN_NPOOL];
	size_t n[GEN_NPOOL];
};

static inline __u64 gen_rand(__u64 *s)
{
	/* splitmix64 */
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void gen_pool_init(struct gen_pool *p, __u64 seed);
void gen_pool_release(struct gen_pool *p);
/* gen_stream - @n events with strictly increasing ts starting at @t0,
 * every kind, edge values; then displaced by up to @late positions
 * (arrival order, what the writer gets). */
struct gen_ev *gen_stream(__u64 seed, size_t n, __u64 t0, unsigned late);
/* gen_write - write @n events in array order; returns 0 or -errno. */
int gen_write(const char *path, const struct gen_ev *evs, size_t n,
	      const struct gen_pool *pool, const struct kt_writer_opts *o,
	      size_t flush_every);
/* gen_sorted - a copy sorted by ts (stable). */
struct gen_ev *gen_sorted(const struct gen_ev *evs, size_t n);
/* gen_same - whether @got is @want (strings by content); reason in @why. */
int gen_same(const struct gen_ev *want, const struct kt_event *got,
	     const struct gen_pool *pool, char *why, size_t whysz);

#endif
