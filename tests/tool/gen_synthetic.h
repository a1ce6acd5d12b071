/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* gen_synthetic.h - the synthetic capture generator (gen_synthetic.c). */
#ifndef KT_GEN_SYNTHETIC_H
#define KT_GEN_SYNTHETIC_H

#include "format/format.h"

#define GEN_MONO0 1000000000000ULL              /* capture clock at start */
#define GEN_REALTIME0 1795428000000000000ULL    /* 2026-11-23T10:00:00Z */

struct gen_opts {
	const char *out;        /* file to write */
	const char *name;       /* the name recorded in record.argv */
	__u64 events, seed;
	unsigned cpus;
	int zstd;
	__u32 frame_events;
};

/* gen_synthetic - write the stream of @o; writer stats, the seconds spent
 * generating and writing, and of those the seconds spent in the writer.
 * Returns 0 or a negative errno. */
int gen_synthetic(const struct gen_opts *o, struct kt_writer_stats *st,
		  double *secs, double *wsecs);

#endif
