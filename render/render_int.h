/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * render_int.h - private to render/: the colours the pictures share
 * (../shared/RENDER-NOTES.md §1: the recommended palette, Trace
 * Compass's critical-path colours where it has none); the timeline's
 * pixel columns, time axis and lane order (exposed here for the unit
 * tests), and what its pass (tl_build.c) hands to its layout (tl_draw.c).
 */
#ifndef KT_RENDER_INT_H
#define KT_RENDER_INT_H

#include "render.h"
#include "analyze/why.h"

/* ------------------------------------------------------ pixel columns */

/*
 * A window [from, to] cut into @ncols pixel columns.  Times are scaled by
 * ncols, so that column c covers exactly [c * span, (c + 1) * span) of
 * (t - from) * ncols: integer arithmetic, nothing lost at any zoom (a
 * nanosecond wider than a column covers several).
 */
struct kt_rgeom {
	__u64 from, to, span;   /* span = to - from > 0 */
	__u32 ncols;
	bool small;             /* span * ncols fits 64 bits: no 128-bit
				 * division */
};

void kt_rgeom_init(struct kt_rgeom *g, __u64 from, __u64 to, __u32 ncols);
/* kt_rgeom_col - the column of instant @t (clamped to the window) */
__u32 kt_rgeom_col(const struct kt_rgeom *g, __u64 t);
/* kt_rgeom_last - the last column [.., @b) reaches (b > from) */
__u32 kt_rgeom_last(const struct kt_rgeom *g, __u64 b);
/* kt_rgeom_x - @t's offset from the window's start in columns (float) */
double kt_rgeom_x(const struct kt_rgeom *g, __u64 t);
/* kt_rgeom_part - how much of column @c [a, b) covers, 0..@scale
 * (rounded up: a nanosecond still shows) */
unsigned kt_rgeom_part(const struct kt_rgeom *g, __u64 a, __u64 b, __u32 c,
		       unsigned scale);

/* A column is drawn "mixed" (hatched) when its dominant state holds less
 * than this percentage of the thread's time in it. */
#define KT_RCOL_PURE_PCT 90
#define KT_RCPU_NONE 0xffff
#define KT_RCOL_CPUS 4          /* cpus summed per column (the rest: the
				 * column's cpu is that of the most running
				 * time among the first four seen) */

/* A run of consecutive columns drawn alike. */
struct kt_rrun {
	__u32 c0, n;            /* first column, how many */
	__u8 st;                /* enum kt_rstate: the dominant one */
	__u8 mixed;             /* other states held >= 10 % of a column */
	__u16 cpu;              /* running: the cpu of most of its running
				 * time; else KT_RCPU_NONE */
};

/*
 * One thread's state row, merged while its intervals stream by (in time
 * order): the column being summed, and the runs emitted so far.  Memory
 * is the runs: at most one a column, whatever the number of intervals.
 */
struct kt_rcols {
	__s64 col;              /* the column being summed; -1: none */
	__u64 ns[KT_RS_N];      /* its time per state, in 1/ncols ns */
	__u16 cpu[KT_RCOL_CPUS];
	__u64 cpu_ns[KT_RCOL_CPUS];
	struct kt_rrun *runs;   /* owned */
	size_t n, cap;
};

void kt_rcols_init(struct kt_rcols *c);
void kt_rcols_release(struct kt_rcols *c);
/* kt_rcols_add - [a, b) in state @st (on @cpu, or KT_RCPU_NONE), cut to
 * the window.  Returns 0 or -ENOMEM. */
int kt_rcols_add(struct kt_rcols *c, const struct kt_rgeom *g, __u64 a,
		 __u64 b, unsigned st, unsigned cpu);
/* kt_rcols_flush - emit the column being summed (at the end).  Returns 0
 * or -ENOMEM. */
int kt_rcols_flush(struct kt_rcols *c);

/*
 * One thread's syscall row, merged the same way (its syscalls come in
 * time order and never overlap): the coverage of the column being summed,
 * then runs of columns covered less than half (level 1) or at least half
 * (level 2).
 */
struct kt_rcrun {
	__u32 c0, n;
	__u8 lvl;
};

struct kt_rcov {
	__s64 col;              /* the column being summed; -1: none */
	__u64 acc;              /* its coverage in 1/ncols ns (span: whole) */
	__u64 span;             /* the geometry's */
	__u64 t0, t1;           /* the instants [t0, t1] of the window that
				 * fall in column col */
	struct kt_rcrun *runs;  /* owned */
	size_t n, cap;
};

void kt_rcov_init(struct kt_rcov *c);
void kt_rcov_release(struct kt_rcov *c);
/* kt_rcov_add - [a, b) covered (cut to the window; one that starts in a
 * column already emitted counts in the current one).  0 or -ENOMEM. */
int kt_rcov_add(struct kt_rcov *c, const struct kt_rgeom *g, __u64 a,
		__u64 b);
/* kt_rcov_flush - emit the column being summed.  0 or -ENOMEM. */
int kt_rcov_flush(struct kt_rcov *c);

/*
 * A picture draws at most KT_RTL_RUNS_MAX state runs, and as many syscall
 * runs, over all its lanes: past that (threads whose state changes at
 * about the pixel), the lane with the most has its columns grouped in
 * blocks of 2, 4, 8 ... until it has half as many, and again, until they
 * fit; a lane's block I/O row at most KT_RTL_RUNS_MAX / 40.  So a
 * picture's size is bounded whatever it shows (<= 2 MB).
 */
#define KT_RTL_RUNS_MAX 4800

/* kt_rruns_coarsen - merge @r (n runs, in column order, disjoint) in place
 * into blocks of columns until at most @max remain: a block shows the
 * state that covers most of it (ties: the one first in tie order), mixed
 * when another state or a mixed run is in it; running keeps the cpu of
 * its first column in the block.  Returns the new count (n when it
 * already fits, or on ENOMEM). */
size_t kt_rruns_coarsen(struct kt_rrun *r, size_t n, size_t max);

/* kt_rcruns_coarsen - the same for coverage runs: a block is level 2 when
 * level-2 runs cover half of it or more, else 1. */
size_t kt_rcruns_coarsen(struct kt_rcrun *r, size_t n, size_t max);

/* ---------------------------------------------------------- time axis */

struct kt_rtick {
	__u64 ns;               /* from the window's start */
	char label[24];
};

#define KT_RTICKS_MAX 64

/*
 * kt_rticks - the ticks of an axis @span ns long drawn @px wide, labels at
 * font size @size: the smallest step of 1, 2 or 5 x 10^k ns whose widest
 * label fits between two ticks with room to spare, every multiple of it
 * from 0 to span.  Fills @t (up to @max) and OUT @step; returns the count.
 */
size_t kt_rticks(__u64 span, float px, float size, struct kt_rtick *t,
		 size_t max, __u64 *step);

/*
 * kt_rtick_label - @v ns as a tick label of an axis @span long with ticks
 * every @step: in the largest unit (s, ms, µs, ns) not above the span,
 * with exactly the decimals @step needs, so every label is exact: "0",
 * "0.5 s", "1.250 ms", "20 ns".
 */
char *kt_rtick_label(char *buf, size_t sz, __u64 v, __u64 step, __u64 span);

/* ---------------------------------------------------------- lane order */

struct kt_rlane {
	__u32 utid, tid, pid;
	__u64 busy;             /* running, runnable and blocked-on-resource
				 * ns: idle waits do not count */
	__s32 hop;              /* its first hop on the critical path; -1 */
	bool culprit;
	__u32 idx;              /* the caller's */
};

/*
 * kt_rlane_order - put @l (n lanes) in drawing order and return how many
 * are drawn: at most @max, chosen culprit first, then the critical
 * path's threads in hop order, then the busiest (ties: lower tid, then
 * utid); the drawn ones grouped by process, processes in the order of
 * their first chosen lane.  The rest follow, in choice order: they fold.
 */
size_t kt_rlane_order(struct kt_rlane *l, size_t n, size_t max);

/* kt_rstate_busy - whether time in @st makes a thread busy. */
bool kt_rstate_busy(unsigned st);
/* kt_rstate_hfrac - the part of a lane's bar height @st fills: activity
 * full, waits on a resource half, the rest less (docs/render.md). */
float kt_rstate_hfrac(unsigned st);
/* kt_rstate_role - "state:running", ...: a scene role (static). */
const char *kt_rstate_role(unsigned st);

/* ------------------------------------------------ the pass -> the layout */

#define KT_RTL_TOPSYS 3         /* longest syscalls kept per thread */

struct kt_rsys {                /* a syscall span, cut to the window */
	__u64 a, b;
	__u64 len;              /* its whole length */
	__u32 nr;
};

struct kt_rthr {
	__u64 key;              /* utid, or 1 << 32 | tid */
	__u32 utid, tid, pid;
	bool sel;               /* in the pid/tid selection */
	bool kthread;
	struct kt_rcols cols;
	struct kt_rcov sys;     /* the syscall row */
	__u8 *blk;              /* the block I/O row: coverage of each
				 * column, 0..255 (owned, NULL: none; block
				 * requests complete out of order, and few
				 * threads issue them) */
	__u64 tot[KT_RS_N];     /* ns in the window per state */
	__u64 open_runnable;    /* of tot[RUNNABLE]: cut by the end of the
				 * observation (the switch that ended it was
				 * not seen): not counted as busy */
	struct kt_rsys top[KT_RTL_TOPSYS]; /* longest first */
};

struct kt_rwake {               /* an arrow: one a column and pair */
	__u32 col;
	__u32 from, to;         /* thread indexes: waker, wakee */
	__u64 ts;
};

struct kt_rtl {
	const struct kt_rtl_opts *o;
	struct kt_rgeom g;
	const struct kt_tasks *tasks;
	struct kt_rthr *t;      /* owned */
	size_t nt, capt;
	__u32 *idx;             /* hash: key -> index + 1 (0: empty) */
	size_t idxcap;
	__u32 last;             /* the index + 1 found last */
	struct kt_rwake *wk;    /* an open-addressed set (col 0xffffffff:
				 * empty), wkcap slots */
	size_t nwk, wkcap;
	__u64 wk_dropped;       /* distinct arrows past the set's cap */
	struct kt_why_slow *slow;
	/* The window's intervals and spans for the critical path, kept
	 * during the pass while they are at most KT_RTL_PATH_ITEMS (then it
	 * is freed: the span's own reading may still fit) */
	struct kt_cp_store *store;
	size_t stored;
	__u32 *starts;          /* KT_RTL_BUCKETS buckets of 1 << shift ns
				 * from the window's start: how many
				 * intervals and spans begin in each (what a
				 * span holds, estimated) */
	unsigned shift;
	/* after the pass */
	struct kt_why why;      /* explained here (o->why NULL); or a
				 * shallow copy of o->why naming threads
				 * from this reading's task table (not
				 * released here) */
	const struct kt_why *path;   /* o->why, &why, or NULL */
	bool have_span;         /* span is set (path may still be NULL) */
	__u64 span_items;       /* path NULL: about how many the span holds */
	bool have_culprit;
	__u32 culprit;          /* thread index */
	struct kt_why_span span; /* the slowest span */
};

/* The most intervals and spans a picture keeps to explain its slowest
 * span (about 150 bytes each): past it the critical path is not drawn,
 * and the picture says which `ktrail why` explains it. */
#define KT_RTL_PATH_ITEMS 50000
#define KT_RTL_BUCKETS 4096

/* ------------------------------------------------------------ layout */

/* Where things go (tl_draw.c computes it, tl_lanes.c draws the lanes). */
struct kt_rlayout {
	float width, margin;
	float plot_x, plot_w;   /* the time axis: ncols columns from plot_x */
	float label_w;          /* the lane label column */
	float lane_h, bar_h, span_h;    /* a lane's pitch, its state bar, its
					 * span row */
	float group_h;          /* a process's header row */
};

/* kt_rlayout_init - the layout of a picture @width px wide (at least
 * 400), and its number of columns in OUT @ncols. */
void kt_rlayout_init(struct kt_rlayout *l, unsigned width, __u32 *ncols);

/* A lane to draw: a thread (or the fold lane: th NULL). */
struct kt_rdlane {
	struct kt_rthr *th;
	__s32 hop;              /* on the critical path: its first hop */
	bool culprit;
	float y;                /* top of the lane */
};

/* kt_rtl_lanes - draw the drawn lanes @dl (n of them, the fold lane
 * last when @folded threads fold into it: @fold their indexes) of pass
 * @t with layout @l into @s, from @y (group headers included); returns
 * the y below them.  Fills in dl[].y. */
float kt_rtl_lanes(struct kt_rtl *t, const struct kt_rlayout *l,
		   struct kt_scene *s, struct kt_rdlane *dl, size_t n,
		   const __u32 *fold, size_t folded, float y);

/* kt_rtl_arrows - the wakeup arrows between drawn lanes (the critical
 * path's first, then the earliest, at most KT_RTL_ARROWS); OUT how many
 * there were and were drawn. */
void kt_rtl_arrows(struct kt_rtl *t, const struct kt_rlayout *l,
		   struct kt_scene *s, const struct kt_rdlane *dl, size_t n,
		   __u64 *total, __u64 *drawn);

/* kt_rtl_fit - @text cut to @maxw px at font @size (with "…"), into @buf */
char *kt_rtl_fit(char *buf, size_t sz, const char *text, float maxw,
		 float size);

/* kt_rtl_comm_ok - whether thread (utid, tid) has the name asked
 * (--comm; the task table's at the end of the reading), or none was. */
bool kt_rtl_comm_ok(const struct kt_rtl *t, __u32 utid, __u32 tid);

/* kt_rtl_draw - lay out the scene of a finished pass (tl_draw.c). */
int kt_rtl_draw(struct kt_rtl *t, struct kt_reader *r, struct kt_scene *s,
		struct kt_rtl_result *res);

/* ------------------------------------------------------------ colours */

#define KT_COL_TEXT 0x202020
#define KT_COL_MUTED 0x555555
#define KT_COL_PATH 0xdc143c    /* the critical path, the culprit */
#define KT_COL_CULPRIT_BG 0xfff1b8
#define KT_COL_HANDOFF 0x404040 /* wakeup arrows, hand-offs */

/* kt_col_cp - the fill of a critical-path kind (critpath.h) */
static inline __u32 kt_col_cp(unsigned kind)
{
	static const __u32 col[KT_CP_NKINDS] = {
		[KT_CP_RUN] = 0x317d31, [KT_CP_RUNNABLE] = 0x99ba36,
		[KT_CP_DISK] = 0xff7300, [KT_CP_TIMER] = 0x336699,
		[KT_CP_NET] = 0xff9bff, [KT_CP_IRQ] = 0xffdc00,
		[KT_CP_UNKNOWN] = 0xf7efda, [KT_CP_RETRANS] = 0xc71585,
	};

	return kind < KT_CP_NKINDS ? col[kind] : 0x9e9e9e;
}

#endif /* KT_RENDER_INT_H */
