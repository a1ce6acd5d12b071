/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export_int.h - what the exporters of render/ share (render.h has their
 * interface): the selection of events, the SQLite writer's state and its
 * row helpers, the syscalls the analysis counts as idle waits.
 */
#ifndef KT_EXPORT_INT_H
#define KT_EXPORT_INT_H

#include <stdbool.h>
#include <string.h>
#include <sqlite3.h>
#include "render.h"
#include "analyze/fmt.h"
#include "analyze/graph.h"
#include "analyze/timeline.h"
#include "analyze/window.h"

/* ------------------------------------------------------------ selection */

/* What an export reads and keeps: opts resolved against the capture. */
struct kt_xsel {
	struct kt_export_opts o;
	struct kt_window w;     /* [from, to] placed on the capture */
	__u64 first_ts, last_ts; /* the capture's */
	bool open_to;           /* no --to: every event to the end */
};

/* kt_xsel_init - place @o on @r's capture. */
void kt_xsel_init(struct kt_xsel *s, struct kt_reader *r,
		  const struct kt_export_opts *o);

/* kt_xsel_event - whether event @ev is exported: it starts in the
 * window, its kind is selected, its subject is in the process asked. */
bool kt_xsel_event(const struct kt_xsel *s, const struct kt_event *ev);

/* kt_xsel_overlaps - whether [@start, @end] meets the window. */
static inline bool kt_xsel_overlaps(const struct kt_xsel *s, __u64 start,
				    __u64 end)
{
	return end >= s->w.from && (s->open_to || start < s->w.to);
}

/* kt_xsel_pid - whether process @pid is selected (always without --pid) */
static inline bool kt_xsel_pid(const struct kt_xsel *s, __u32 pid)
{
	return !s->o.pid || pid == s->o.pid;
}

/* kt_xsel_family - whether a kind of family @fam is selected (derived
 * tables are built from the families they read). */
bool kt_xsel_family(const struct kt_xsel *s, unsigned fam);

/* kt_export_idle_wait - a syscall whose waiting is a thread's idle state
 * rather than latency (epoll_wait, poll, select, wait4, pause, sleeps,
 * accept, futex waits with no deadline are not: they wait for work):
 * `slowest` never picks these (docs/sql.md, as in render). */
bool kt_export_idle_wait(unsigned nr);

/* A u32 -> u32 hash map (open addressing); zeroed = empty. */
struct kt_map32 {
	__u32 *keys, *vals;
	__u8 *used;
	size_t n, cap;
};

/* kt_map32_put - set @key to @val.  Returns 0 or -ENOMEM. */
int kt_map32_put(struct kt_map32 *m, __u32 key, __u32 val);
/* kt_map32_get - true with *@val set when @key is there. */
bool kt_map32_get(const struct kt_map32 *m, __u32 key, __u32 *val);
void kt_map32_release(struct kt_map32 *m);

/* ------------------------------------------------------------- sqlite */

/* The schema's version, in meta and in the names of cached exports
 * (docs/sql.md): a new column or table is a new version. */
#define KT_SQL_SCHEMA_VERSION 2

/* Rows are inserted KT_SQ_BATCH at a time through one multi-row INSERT
 * (RENDER-NOTES §5: fewer statement runs per row); the values of the
 * rows not yet inserted wait in the struct. */
#define KT_SQ_BATCH 16

/* A value waiting: an integer, NULL, or text/blob bytes in ins->bytes. */
struct kt_sqv {
	__u8 type;              /* SQLITE_INTEGER, _NULL, _TEXT, _BLOB */
	__s64 i;                /* integer, or offset in bytes */
	size_t n;               /* text/blob length */
};

/* One prepared INSERT: set the columns in order with the kt_sq_*
 * helpers, then kt_sq_row(). */
struct kt_sq_ins {
	sqlite3_stmt *one;      /* one row */
	sqlite3_stmt *many;     /* KT_SQ_BATCH rows; NULL: rows go one by
				 * one */
	int ncols;
	int col;                /* columns set in the current row */
	int rows;               /* complete rows waiting */
	struct kt_sqv *v;       /* KT_SQ_BATCH * ncols */
	struct kt_out bytes;    /* text and blobs of the waiting rows */
};

/* The tables written as the capture is read (sql_schema.c has their
 * CREATE statements, in this order). */
enum kt_sq_table {
	KT_SQ_THREAD_STATE = 0,
	KT_SQ_SCHED_SLICE,
	KT_SQ_THREAD_NAMES,
	KT_SQ_TCP,
	KT_SQ_SIGNALS,
	KT_SQ_PROCESS,
	KT_SQ_THREAD,
	KT_SQ_LOST,
	KT_SQ_NODES,
	KT_SQ_EDGES,
	KT_SQ_PATHS,
	KT_SQ_SEGMENTS,
	KT_SQ_META,
	KT_SQ_NTABLES
};

/* A slow span: a critical path candidate (sql_paths.c). */
struct kt_sq_span {
	__u64 start, end;
	__u32 utid, tid, pid;
	__u32 nr;               /* syscall */
	__u32 flags;
	__s64 ret;
	__u64 arg[3];
	__u64 event_id;         /* its ev_syscall row */
};

#define KT_SQ_TOP_SPANS 20

struct kt_sq_paths {
	struct kt_sq_span top[KT_SQ_TOP_SPANS]; /* slowest first */
	size_t ntop;
	struct kt_sq_span *proc;        /* the slowest of each process */
	size_t nproc, cproc;
	struct kt_map32 by_pid;         /* pid -> index in proc */
};

/* Lost events of one (cpu, family, cause), from the lost records. */
struct kt_sq_lost {
	__u32 cpu, family, cause;
	__u64 count, records, first, last;
};

/* Per-CPU state for sched_slice: who was switched in, when. */
struct kt_sq_cpu {
	__u64 since;            /* 0: nothing known yet */
	__u32 utid, tid, pid, prio;
	bool known;
};

struct kt_sq {
	sqlite3 *db;
	struct kt_xsel sel;
	struct kt_err *err;
	struct kt_sq_ins ev[KT_KIND_MAX];       /* ev_<kind> */
	struct kt_sq_ins tab[KT_SQ_NTABLES];
	__u64 next_id;          /* event ids: 1, 2, ... in reading order */
	__u64 span_id;          /* derived spans: from past the last event */
	__u64 rows;
	__u64 events;
	/* sched_slice */
	struct kt_sq_cpu *cpus;
	size_t ncpus;
	struct kt_sq_lost *lost;
	size_t nlost, clost;
	struct kt_out js;       /* composing JSON lists (memory only) */
	struct kt_graph *graph;         /* NULL when sched is not exported */
	struct kt_tl *tl;
	struct kt_sq_paths paths;
	const struct kt_tasks *tasks;   /* the reader's, current */
	bool derive;            /* the timeline tables are built */
	char buf[1024];         /* scratch for composed strings */
};

/* Row helpers: set the next column of the current row.  Text and
 * blobs are copied (the event they come from goes away). */
static inline struct kt_sqv *kt_sq_next(struct kt_sq_ins *i)
{
	return &i->v[i->rows * i->ncols + i->col++];
}

static inline void kt_sq_int(struct kt_sq_ins *i, __s64 v)
{
	struct kt_sqv *x = kt_sq_next(i);

	x->type = SQLITE_INTEGER;
	x->i = v;
}

static inline void kt_sq_null(struct kt_sq_ins *i)
{
	kt_sq_next(i)->type = SQLITE_NULL;
}

/* a u64 as SQLite's INTEGER: its two's complement above INT64_MAX */
static inline void kt_sq_u64(struct kt_sq_ins *i, __u64 v)
{
	kt_sq_int(i, (__s64)v);
}

static inline void kt_sq_bytes(struct kt_sq_ins *i, int type, const void *s,
			       size_t n)
{
	struct kt_sqv *x = kt_sq_next(i);

	x->type = (__u8)type;
	x->i = (__s64)i->bytes.len;
	x->n = n;
	kt_out_mem(&i->bytes, s, n);
}

static inline void kt_sq_text(struct kt_sq_ins *i, const char *s, size_t n)
{
	kt_sq_bytes(i, SQLITE_TEXT, s, n);
}

static inline void kt_sq_cstr(struct kt_sq_ins *i, const char *s)
{
	if (s)
		kt_sq_bytes(i, SQLITE_TEXT, s, strlen(s));
	else
		kt_sq_null(i);
}

static inline void kt_sq_blob(struct kt_sq_ins *i, const void *p, size_t n)
{
	kt_sq_bytes(i, SQLITE_BLOB, p, n);
}

/* a utid column: NULL for a thread the task table does not know (utid 0
 * with a tid), 0 for the idle task (tid 0) */
static inline void kt_sq_utid(struct kt_sq_ins *i, __u32 utid, __u32 tid)
{
	if (utid || !tid)
		kt_sq_int(i, utid);
	else
		kt_sq_null(i);
}

/* kt_sq_ins_prepare - prepare @i for @insert ("INSERT INTO t VALUES(?,
 * ...)"), batched when @batch.  Returns 0 or a negative errno with
 * sq->err filled. */
int kt_sq_ins_prepare(struct kt_sq *sq, struct kt_sq_ins *i,
		      const char *insert, bool batch);

/* kt_sq_flush - insert the rows waiting; kt_sq_ins_release finalizes. */
int kt_sq_flush(struct kt_sq *sq, struct kt_sq_ins *i);
void kt_sq_ins_release(struct kt_sq_ins *i);

/* kt_sq_row - end the current row (inserted with its batch).  Returns 0
 * or a negative errno with sq->err filled. */
int kt_sq_row(struct kt_sq *sq, struct kt_sq_ins *i);

/* kt_sq_fail - fill sq->err from SQLite's error @rc, doing @what; returns
 * the negative errno (-ENOSPC for a full disk, -ENOMEM, else -EIO). */
int kt_sq_fail(struct kt_sq *sq, int rc, const char *what);

/* kt_sq_exec - run @sql (several statements).  Returns 0 or a negative
 * errno with sq->err filled. */
int kt_sq_exec(struct kt_sq *sq, const char *sql);

/* sql_schema.c: tables, prepared statements, lookup tables, views and
 * indexes. */
int kt_sq_schema(struct kt_sq *sq);
int kt_sq_prepare(struct kt_sq *sq);
int kt_sq_flush_all(struct kt_sq *sq);
void kt_sq_finalize(struct kt_sq *sq);
int kt_sq_lookups(struct kt_sq *sq);
int kt_sq_views(struct kt_sq *sq);
int kt_sq_indexes(struct kt_sq *sq);

/* sql_events.c: one row of ev_<kind> for @ev. */
int kt_sq_event(struct kt_sq *sq, const struct kt_event *ev, __u64 id);

/* sql_derived.c: the timeline's callbacks, sched_slice, names, the
 * process and thread tables, lost, meta. */
extern const struct kt_tl_ops kt_sq_tl_ops;
int kt_sq_sched(struct kt_sq *sq, const struct kt_event *ev);
int kt_sq_sched_finish(struct kt_sq *sq, __u64 end);
int kt_sq_names(struct kt_sq *sq, const struct kt_event *ev);
int kt_sq_names_start(struct kt_sq *sq, __u64 ts);
int kt_sq_tasks(struct kt_sq *sq);
int kt_sq_meta(struct kt_sq *sq, struct kt_reader *r);
int kt_sq_lost_note(struct kt_sq *sq, const struct kt_event *ev);
int kt_sq_lost(struct kt_sq *sq);

/* sql_paths.c: causal graph and critical paths. */
int kt_sq_span_note(struct kt_sq *sq, const struct kt_event *ev, __u64 id);
int kt_sq_graph(struct kt_sq *sq);
int kt_sq_paths(struct kt_sq *sq, struct kt_reader *r);
void kt_sq_paths_release(struct kt_sq_paths *p);

#endif /* KT_EXPORT_INT_H */
