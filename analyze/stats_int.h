/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * stats_int.h - inside the stats tools: the per-run context, the tool
 * table entry and the histograms (per-key aggregates live in a kt_map,
 * map.h).
 */
#ifndef KT_STATS_INT_H
#define KT_STATS_INT_H

#include "analyze/map.h"
#include "analyze/stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ----------------------------------------------------------- histograms */

/* bcc's log2 histogram: slot 0 holds 0 and 1, slot i >= 1 holds
 * [2^i, 2^(i+1)). */
struct kt_log2 {
	__u64 slot[64];
};

static inline unsigned kt_log2_slot(__u64 v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

static inline void kt_log2_add(struct kt_log2 *h, __u64 v)
{
	h->slot[kt_log2_slot(v)]++;
}

/* kt_log2_print - bcc's print_log2_hist layout, @unit "usecs"/"msecs". */
void kt_log2_print(struct kt_out *o, const struct kt_log2 *h,
		   const char *unit);

/* kt_log2_json - "buckets":[{"low":0,"high":1,"count":3},...] up to the
 * last non-empty slot. */
void kt_log2_json(struct kt_out *o, const struct kt_log2 *h);

/*
 * A log-linear histogram for percentiles in bounded memory: values below
 * 32 exactly, above that 32 buckets per power of two (relative width
 * 1/32).  Each bucket keeps its count and sum; a percentile reports the
 * mean of the bucket it falls in, clamped to [min, max] - exact when the
 * bucket's values are equal, within the bucket's 3 % width otherwise.
 * Buckets are allocated per power of two as values arrive.
 */
#define KT_LHIST_SUB 32
#define KT_LHIST_OCT 60

struct kt_lhist_oct {
	__u64 cnt[KT_LHIST_SUB];
	__u64 sum[KT_LHIST_SUB];
};

struct kt_lhist {
	__u64 n, sum, min, max;
	struct kt_lhist_oct *oct[KT_LHIST_OCT];
};

/* kt_lhist_add - returns 0 or -ENOMEM. */
int kt_lhist_add(struct kt_lhist *h, __u64 v);
/* kt_lhist_pct - the @pct-th percentile (nearest rank), 0 when empty. */
__u64 kt_lhist_pct(const struct kt_lhist *h, unsigned pct);
void kt_lhist_release(struct kt_lhist *h);

/* ------------------------------------------------------------- the tools */

struct kt_st {
	const struct kt_stats_opts *opts;
	struct kt_out *o;
	struct kt_source *src;
	__u64 first_ts, last_ts;  /* of the events seen in the window */
	__u64 matched;            /* kt_st_match() calls that matched */
	void *priv;               /* the tool's state, priv_size bytes */
};

struct kt_stats_tool {
	const char *name;
	const char *options;    /* tool options it accepts, comma-separated */
	const char *summary;
	__u64 kinds;
	bool subject;
	size_t priv_size;
	int (*init)(struct kt_st *st);          /* may be NULL */
	int (*event)(struct kt_st *st, const struct kt_event *ev);
	int (*finish)(struct kt_st *st);        /* may be NULL */
	void (*release)(struct kt_st *st);      /* may be NULL */
};

extern const struct kt_stats_tool kt_st_execsnoop, kt_st_opensnoop,
	kt_st_exitsnoop, kt_st_killsnoop, kt_st_oomkill, kt_st_biosnoop,
	kt_st_tcpconnect, kt_st_tcplife, kt_st_tcpretrans, kt_st_biolatency,
	kt_st_syscount, kt_st_runqlat, kt_st_offcputime, kt_st_top,
	kt_st_faults;

/* kt_st_task - the task @tid as of now, or NULL. */
const struct kt_task *kt_st_task(struct kt_st *st, __u32 tid);

/* kt_st_time_head - the header of the time column (TIME(s), or TIME for
 * --wall) padded to the column's width, and the space after it. */
void kt_st_time_head(struct kt_st *st);

/* kt_st_time - the instant @ns in the time column (padded as its header)
 * and the space after it. */
void kt_st_time(struct kt_st *st, __u64 ns);

/* kt_st_comm - the comm of @tid, or "?" when unknown. */
const char *kt_st_comm(struct kt_st *st, __u32 tid);

/* kt_st_copy_comm - copy the comm of @tid into @buf (truncated). */
void kt_st_copy_comm(struct kt_st *st, __u32 tid, char *buf, size_t sz);

/* kt_st_match - whether a row about task @tid of process @pid passes the
 * --pid/--tid/--comm filters (counted in st->matched). */
bool kt_st_match(struct kt_st *st, __u32 tid, __u32 pid);

/* kt_st_sortu64 - qsort comparator helpers: descending by the __u64 at
 * offset 0 of the pointed-to values, ties by the second __u64. */
int kt_st_cmp_desc(const void *a, const void *b);

/* ------------------------------------------- rows read back (stats_rows.c) */

#include <jansson.h>

/* A tool's NDJSON output cut into rows as it is printed (a line may
 * straddle two chunks: its start waits in @part): give kt_st_rows_sink
 * with this as its argument to kt_out_init_sink, and each row, parsed,
 * goes to @row(@arg, row), whose non-zero return stops the output. */
struct kt_st_rows {
	int (*row)(void *arg, const json_t *row);
	void *arg;
	char *part;             /* owned: release with kt_st_rows_release */
	size_t npart, cappart;
};
int kt_st_rows_sink(void *arg, const char *buf, size_t len);
void kt_st_rows_release(struct kt_st_rows *w);

/* Tools run in one pass over a whole capture, each one's JSON rows to a
 * callback (what diff and check read).  Zero it, add the tools, run,
 * release. */
#define KT_ST_ROWJOBS_MAX 8
struct kt_st_rowjobs {
	struct kt_stats_opts opts[KT_ST_ROWJOBS_MAX];
	struct kt_out out[KT_ST_ROWJOBS_MAX];
	struct kt_stats_job job[KT_ST_ROWJOBS_MAX];
	struct kt_st_rows rows[KT_ST_ROWJOBS_MAX];
	size_t n;
};

/* kt_st_rowjobs_add - tool @tool (with @state, NULL: its own) over
 * @info's whole time range, JSON, every row; its rows to @row(@arg, row).
 * Returns its options (to adjust before the run), NULL when out of
 * memory or slots. */
struct kt_stats_opts *kt_st_rowjobs_add(struct kt_st_rowjobs *t,
					const struct kt_stats_tool *tool,
					void *state,
					int (*row)(void *arg, const json_t *row),
					void *arg, const struct kt_info *info);

/* kt_st_rowjobs_run - run them in one pass over @r from its start (its
 * filter set to their kinds, and cleared after).  Returns 0, -ENOMEM, or
 * the reader's error with @err filled. */
int kt_st_rowjobs_run(struct kt_st_rowjobs *t, struct kt_reader *r,
		      const struct kt_info *info, struct kt_err *err);

void kt_st_rowjobs_release(struct kt_st_rowjobs *t);

/* kt_st_ju, kt_st_js - the integer (0 when absent) and the string ("" when
 * absent) of key @k in the row @o. */
__u64 kt_st_ju(const json_t *o, const char *k);
const char *kt_st_js(const json_t *o, const char *k);

#endif /* KT_STATS_INT_H */
