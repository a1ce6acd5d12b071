/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* reader_int.h - the reader's state, shared by reader.c and cursor.c. */
#ifndef KT_READER_INT_H
#define KT_READER_INT_H

#include "format_int.h"

#define KT_MAXKC 24             /* hidden + payload columns of one kind */

/* An open frame: its decompressed columns and a read position. */
struct kt_fcur {
	__u32 seq;              /* position in the merge order: tie-break */
	__u32 rows_left;
	__u64 ts;
	const unsigned char *g[KT_GCOL_STRLEN];
	const unsigned char *kc[KT_KIND_MAX][KT_MAXKC];
	bool kpresent[KT_KIND_MAX];
	__u64 prev[KT_KIND_MAX][KT_MAXKC];
	__u32 hint_subj, hint_child;
	__u32 lastt[KT_TIDCTX_CPUS];    /* previous tid per cpu */
	unsigned char *arena;
	size_t arenacap;
	const char **sptr;
	__u32 *slen;
	char *sbuf;
	size_t bytes;            /* what it holds decoded (open_bytes) */
	struct kt_strtab strtab;
	struct kt_event ev;
};

struct kt_reader {
	int fd;
	bool own_fd;
	char *name;
	__u64 size;
	__u16 major, minor;
	bool indexed;
	unsigned flags;                 /* KT_READ_PARTIAL: kept by reopen */
	__u64 intact_end;               /* end of the blocks read */
	struct kt_err damage;           /* KT_READ_PARTIAL: the damaged or
					 * incomplete block that ended the
					 * scan (code 0: none) */
	__u32 index_crc;                /* crc32 of the INDEX payload */
	json_t *meta;
	struct kt_anchors anchors;      /* from meta */
	__u64 start_meta_off, end_meta_off;
	struct kt_fent *frames;         /* file order */
	size_t nframes, fcap;
	struct kt_kent *kfs;
	size_t nkfs, kcap;
	__u64 totals[KT_KIND_MAX];
	__u32 *order;                   /* frames by (min_ts, file order) */
	__u64 *pmax;                    /* running max of max_ts over order */
	void *dctx;
	/* iteration */
	bool started;
	size_t next_open;
	__u64 seek_ts;
	struct kt_fcur **heap;
	size_t nheap;
	__u64 open_bytes;               /* the heap's cursors' bytes */
	__u64 max_open_bytes;           /* KT_MAX_OPEN_RAW (tests lower it) */
	struct kt_fcur *last;           /* returned last; advanced next call */
	struct kt_tasks *tasks;
	__u64 kind_mask;
	__u32 fpid, ftid;
	struct kt_read_stats st;
	/* tid -> utid cache, valid while gen matches (bumped whenever the
	 * task table changes) */
	__u32 gen;
	struct { __u32 tid, utid, gen; } cache[256];
	/* buffers kept between frames: large mallocs are mmaps, and paging
	 * them in again for every frame costs more than decoding */
	struct kt_buf blkbuf;
	unsigned char *spare;
	size_t sparecap;
};

/* A decoding plan per kind: the schema boiled down to what the loop
 * needs, built once. */
struct kt_plan_op {
	__u16 off;
	__u8 enc;
	__u8 wide;              /* 8-byte field */
};

struct kt_plan {
	unsigned nf, h;
	struct kt_plan_op op[KT_MAXKC];
};

static inline void decode_fields(const struct kt_plan *pl,
				 const unsigned char **kp, __u64 *prev,
				 struct kt_event *ev)
{
	unsigned char *base = (unsigned char *)ev;
	__u64 last = 0, v;

	for (unsigned f = 0; f < pl->nf; f++) {
		const struct kt_plan_op *op = &pl->op[f];
		const unsigned char *p = kp[f];

		v = 0;
		if (p) {
			if (*p < 0x80) {
				v = *p;
				kp[f] = p + 1;
			} else {
				v = kt_get_uv(&kp[f]);
			}
			if (op->enc == KT_ENC_SV)
				v = (__u64)kt_unzz(v);
			else if (op->enc == KT_ENC_DELTA)
				v = prev[f] += (__u64)kt_unzz(v);
			else if (op->enc == KT_ENC_REL)
				v = last + (__u64)kt_unzz(v);
		}
		last = v;
		if (op->wide) {
			memcpy(base + op->off, &v, 8);
		} else {
			__u32 v32 = (__u32)v;

			memcpy(base + op->off, &v32, 4);
		}
	}
}

extern struct kt_plan kt_plans[KT_KIND_MAX];
void kt_plans_init(void);

/* cursor.c */
void kt_fcur_free(struct kt_reader *r, struct kt_fcur *c);
unsigned kt_want_cols(const struct kt_kgroup *g, __u64 mask);
int kt_load_cols(struct kt_reader *r, struct kt_fcur *c,
		 const struct kt_fhdr *fh, bool global, __u64 mask,
		 struct kt_err *err);
int kt_check_frame(const struct kt_fent *fe, __u32 len,
		   const struct kt_fhdr *fh, struct kt_err *err);
/* seek.c: kt_skim - apply the proc events of frame @fi to the task table,
 * reading only its header, string and proc columns. */
int kt_skim(struct kt_reader *r, __u32 fi, struct kt_err *err);

/* reader.c */
int kt_rd(struct kt_reader *r, void *buf, size_t n, __u64 off,
	  struct kt_err *err);
int kt_read_block(struct kt_reader *r, __u64 off, __u32 want,
		  unsigned char **out, __u32 *len, __u32 *covered,
		  struct kt_err *err);
int kt_read_block_buf(struct kt_reader *r, __u64 off, __u32 want,
		      struct kt_buf *b, __u32 *len, __u32 *covered,
		      struct kt_err *err);
void kt_cursors_reset(struct kt_reader *r);

#endif /* KT_READER_INT_H */
