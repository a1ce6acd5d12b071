/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * xsort.h - an external merge sort of variable-length records, as
 * sort(1) does it: records are held in memory up to a budget; a full
 * buffer is sorted and written to a temporary file as a run; at the end
 * the runs are merged (at most KT_XSORT_FANIN at once, merging the
 * oldest into a longer run while there are more).  Records that compare
 * equal come out in the order they were added.
 *
 * Memory: the budget (records and their index), plus, while merging,
 * KT_XSORT_BUF per run merged at once and one write buffer; nothing
 * grows with the number of records.  Disk: the records spilled, about
 * twice that when the runs need more than one merge level.  The
 * temporary file is unlinked as soon as it is made.
 */
#ifndef KT_XSORT_H
#define KT_XSORT_H

#include <stddef.h>
#include <linux/types.h>

#define KT_XSORT_FANIN 64               /* runs merged at once */
#define KT_XSORT_BUF (64u << 10)        /* read buffer of a run */
#define KT_XSORT_MIN_MEM (64u << 10)    /* the smallest budget */
#define KT_XSORT_MAX_REC (16u << 10)    /* the largest record */

struct kt_xsort_opts {
	size_t mem;             /* budget in bytes (>= KT_XSORT_MIN_MEM) */
	unsigned fanin;         /* 0: KT_XSORT_FANIN (tests set 2 ..) */
	const char *dir;        /* NULL: $TMPDIR, else /tmp */
	/* the order: <0, 0, >0 as for qsort, of two records' bytes */
	int (*cmp)(const void *a, const void *b);
};

struct kt_xsort_stats {
	__u64 records;          /* added */
	__u64 runs;             /* written, merges' runs included */
	__u64 spilled;          /* bytes written to the temporary file */
	__u64 peak;             /* bytes of memory held at most */
};

struct kt_xsort;

/* kt_xsort_new - an empty sort.  NULL with errno ENOMEM or EINVAL (a
 * budget under KT_XSORT_MIN_MEM, no comparator). */
struct kt_xsort *kt_xsort_new(const struct kt_xsort_opts *o);

/* kt_xsort_add - add @len bytes at @rec (a copy is taken; @len at most
 * KT_XSORT_MAX_REC).  May write a run.  Returns 0, -EINVAL for a record
 * too large, -ENOMEM, or a temporary file's error (negative errno:
 * kt_xsort_dir says where). */
int kt_xsort_add(struct kt_xsort *x, const void *rec, size_t len);

/* kt_xsort_finish - no more records: sort what is held, merge the runs
 * down to KT_XSORT_FANIN.  Returns 0 or a negative errno as above. */
int kt_xsort_finish(struct kt_xsort *x);

/* kt_xsort_next - after kt_xsort_finish: the next record in order in
 * @rec (valid until the next call) and @len.  Returns 1, 0 at the end,
 * or a negative errno. */
int kt_xsort_next(struct kt_xsort *x, const void **rec, size_t *len);

/* kt_xsort_dir - the directory of the temporary file. */
const char *kt_xsort_dir(const struct kt_xsort *x);

void kt_xsort_stats(const struct kt_xsort *x, struct kt_xsort_stats *st);
void kt_xsort_free(struct kt_xsort *x);

#endif /* KT_XSORT_H */
