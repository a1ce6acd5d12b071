/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * stats.h - the classic bcc questions answered offline from one capture:
 * execsnoop, opensnoop, exitsnoop, killsnoop, oomkill, biosnoop,
 * tcpconnect, tcplife, tcpretrans, biolatency, syscount, runqlat,
 * offcputime, top, faults.  Each tool streams events from a struct
 * kt_source and prints a table modeled on the bcc tool of the same name,
 * or NDJSON (one object per row or histogram).
 *
 * Memory: snoop tools keep nothing per event; aggregating tools keep one
 * entry per key (syscall, process, thread, socket, disk) and never per
 * event.  tcpconnect/tcplife keep one entry per socket until it resolves
 * or closes; offcputime keeps at most KT_OFFCPU_PENDING off-CPU intervals
 * per thread while it waits for the syscall that contains them, and sums
 * the older ones by reason.
 */
#ifndef KT_STATS_H
#define KT_STATS_H

#include <stdbool.h>
#include "format/format.h"
#include "analyze/fmt.h"

#define KT_OFFCPU_PENDING 64

struct kt_disks;

struct kt_stats_opts {
	__u64 from, to;         /* window [from, to) on the capture clock;
				 * 0 = unbounded */
	__u32 pid, tid;         /* 0 = any: the process/thread a row is
				 * about (see each tool's --help) */
	const char *comm;       /* exact comm match, NULL = any */
	bool json;
	unsigned top;           /* rows of top-N tables, 0 = all */
	bool ms;                /* histograms in ms instead of us */
	bool per_process;       /* runqlat, offcputime, top: by process */
	bool per_thread;        /* runqlat: by thread */
	bool per_comm;          /* syscount: by command (the task's name at
				 * the call) and syscall, and the errno
				 * table by command too */
	bool per_disk;          /* biolatency: one histogram per disk */
	bool queued;            /* biolatency/biosnoop: include queue time */
	bool failed;            /* opensnoop, syscount: failed calls only */
	bool all;               /* killsnoop: kernel-sent signals too;
				 * exitsnoop: thread exits too */
	int syscall;            /* syscount, opensnoop: only this nr; -1 any */
	__u64 have_kinds;       /* kinds present in the capture (from the
				 * index), 0 = unknown: assume all */
	__u64 first_ts, last_ts; /* the capture's span when known: the
				 * window of top's %CPU when from/to are
				 * open; 0 = the first/last event read */
	const struct kt_disks *disks; /* disk names (names.h), NULL: numbers */
};

/* kt_stats_opts_init - defaults: no filters, top 20, syscall -1. */
void kt_stats_opts_init(struct kt_stats_opts *opts);

struct kt_stats_tool;

/* kt_stats_tool_at - the @i-th tool in listing order, NULL past the end. */
const struct kt_stats_tool *kt_stats_tool_at(size_t i);

/* kt_stats_find - the tool named @name, or NULL. */
const struct kt_stats_tool *kt_stats_find(const char *name);

const char *kt_stats_tool_name(const struct kt_stats_tool *t);
const char *kt_stats_tool_summary(const struct kt_stats_tool *t);

/* kt_stats_tool_options - the tool-specific options it accepts, as
 * comma-separated long option names without dashes ("ms,per-disk"); the
 * filters (from, to, pid, tid, comm, json) apply to every tool. */
const char *kt_stats_tool_options(const struct kt_stats_tool *t);

/* kt_stats_tool_kinds - the event kinds the tool reads (a reader filter
 * may skip the rest). */
__u64 kt_stats_tool_kinds(const struct kt_stats_tool *t);

/* kt_stats_tool_subject - true when every event the tool reads is about
 * its subject task, so that --pid/--tid can be pushed to the reader;
 * false when rows are about another task (the woken thread, the socket's
 * owner, the task switched in). */
bool kt_stats_tool_subject(const struct kt_stats_tool *t);

/*
 * kt_stats_run - run @t over @src with @opts and print its output to @o
 * (not flushed).  Stops reading when a write to @o failed (o->err: the
 * reader went away, the disk is full).  Stores in @matched (may be NULL)
 * the number of events in the window that the tool took and the filters
 * (pid, tid, comm) passed: 0 when the selection matched nothing.
 * Returns 0, or a negative errno (-ENOMEM, or the source's error with
 * @err filled).
 */
int kt_stats_run(const struct kt_stats_tool *t, struct kt_source *src,
		 const struct kt_stats_opts *opts, struct kt_out *o,
		 __u64 *matched, struct kt_err *err);

/* One tool's run within kt_stats_run_jobs: its options and output. */
struct kt_stats_job {
	const struct kt_stats_tool *tool;
	const struct kt_stats_opts *opts;
	struct kt_out *o;
	void *state;            /* the tool's state: NULL, allocated and
				 * freed by the run; else the caller's,
				 * which outlives the run (tools of the
				 * analyzers that read their results
				 * after) */
	__u64 matched;          /* OUT: as kt_stats_run's @matched */
};

/*
 * kt_stats_run_jobs - run the @n tools of @jobs over @src in one pass,
 * each as kt_stats_run would run it alone (its window, its kinds, its
 * output; a job whose output failed or whose window has passed gets no
 * more events), so that several tables of one capture cost one reading.
 * The source's filter must let through the kinds of every tool.
 * Returns 0, or the first negative errno (-ENOMEM, or the source's error
 * with @err filled).
 */
int kt_stats_run_jobs(struct kt_stats_job *jobs, size_t n,
		      struct kt_source *src, struct kt_err *err);

#endif /* KT_STATS_H */
