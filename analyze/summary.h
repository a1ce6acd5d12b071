/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * summary.h - `ktrail summary`: the anomalies of a capture, each with the
 * ktrail command that explains it.
 *
 * The anomalies come from the stats tools, run together in one pass over
 * the capture (kt_stats_run_jobs) and read back from their NDJSON rows,
 * so that every number the summary gives is the one its command prints:
 * exitsnoop (non-zero exits, fatal signals) with killsnoop --all (who
 * sent them), oomkill, syscount --failed --per-process (failed syscalls
 * by process, syscall and errno), tcpconnect (refused and failed
 * connections) and tcpretrans (retransmits, resets).  The same pass
 * keeps, per process, its slowest syscall that is not an idle wait
 * (kt_why_idle_syscall), chosen as `why --slowest --syscall NAME` chooses
 * it; per disk, its slowest requests and the median of its request
 * latency (biolatency's measure: service time, a flush's own request
 * left out); and three latency distributions for the report: block I/O
 * (biolatency), run queue (runqlat) and syscalls (no idle waits).  Lost
 * events come from the metadata, by cause (as `ktrail info` prints
 * them).
 *
 * Memory: the tools' bounds (stats.h), one row per process for the
 * slowest syscalls, a few requests per disk, and the rows read back: one
 * per process exit, kernel signal, connection attempt, retransmission
 * and (process, syscall, errno).
 */
#ifndef KT_SUMMARY_H
#define KT_SUMMARY_H

#include <stdbool.h>
#include "format/format.h"

struct kt_out;

enum kt_anom_kind {
	KT_AN_SIGNAL = 0,       /* a process killed by a signal */
	KT_AN_OOM,              /* an OOM kill */
	KT_AN_EXIT,             /* a process exited with a non-zero status */
	KT_AN_ERRNO,            /* failed calls of one syscall with one errno
				 * in one process */
	KT_AN_SLOW,             /* the slowest syscall of a process */
	KT_AN_TCP,              /* connections of a process to one peer that
				 * were refused or failed, reset or
				 * retransmitted */
	KT_AN_DISK,             /* a block request slow for its disk */
	KT_AN_LOST,             /* events the capture lost */
	KT_AN_NKINDS
};

#define KT_ANOM_TEXT 320

/* One anomaly: a line of the summary. */
struct kt_anom {
	__u8 kind;              /* enum kt_anom_kind */
	__u32 pid, tid;         /* who (0: none, the kernel or unknown) */
	char comm[32];
	__u64 ts;               /* when (capture clock; the first of many) */
	__u64 ns;               /* SLOW, DISK: how long */
	__u64 count;            /* ERRNO, TCP: how many; LOST: events */
	__s32 nr;               /* SLOW: the syscall; else -1 */
	bool failed;            /* the process itself exited non-zero or
				 * was killed: its other anomalies rank
				 * first */
	__u64 rank;             /* the order within its kind, lowest first
				 * (after failed) */
	char what[KT_ANOM_TEXT];        /* "worker[4242] exited with status 3" */
	char verb[16];                  /* the command: "ktrail VERB FILE ARGS" */
	char args[160];
};

/* A latency distribution: bcc's log2 slots of microseconds (slot 0: 0
 * and 1, slot i: [2^i, 2^(i+1))). */
struct kt_summary_hist {
	const char *name;       /* "block I/O", "run queue", "syscalls" */
	const char *tool;       /* the command that prints it: "stats FILE
				 * biolatency" */
	__u64 count;
	__u64 slot[64];
};

enum { KT_SH_BLOCK = 0, KT_SH_RUNQ, KT_SH_SYSCALL, KT_SH_N };

struct kt_summary {
	struct kt_anom *v;      /* owned; by kind, then rank */
	size_t n;
	size_t nkind[KT_AN_NKINDS];
	struct kt_summary_hist hist[KT_SH_N];
	/* the capture */
	__u64 events, first_ts, last_ts, lost;
	bool syscalls;          /* it has syscall records */
	char notes[4][320];     /* what it cannot tell: families not
				 * recorded */
	size_t nnotes;
};

struct kt_summary_opts {
	const __u32 *pids;      /* only the anomalies of these processes
				 * (lost events stay); NULL: every one */
	size_t npids;
	const struct kt_out *times; /* the instants of the sentences ("took
				 * 3 ms at T") as this output prints them
				 * (kt_out_tstr: --rel, --wall); NULL: on the
				 * capture clock.  The commands' --from and
				 * --to stay on the capture clock. */
};

/*
 * kt_summary_build - the anomalies of @r's capture into @s (release with
 * kt_summary_release, also after an error).  Reads the capture once;
 * leaves @r's filter cleared.  Returns 0, -ENOMEM, or the reader's
 * negative errno with @err filled.
 */
int kt_summary_build(struct kt_reader *r, const struct kt_summary_opts *o,
		     struct kt_summary *s, struct kt_err *err);
void kt_summary_release(struct kt_summary *s);

/* kt_anom_kind_name - "signal", "oom", "exit", "errno", "slow", "tcp",
 * "disk", "lost". */
const char *kt_anom_kind_name(unsigned kind);

/* kt_anom_title - the heading of a kind in the text and the report:
 * "fatal signals", "failed syscalls (by process, syscall and errno)". */
const char *kt_anom_title(unsigned kind);

/* kt_anom_command - the command of @a on capture @file, shell-quoted:
 * "ktrail why x.ktr --pid 42 --exit", into @buf of @sz bytes (always
 * terminated).  Returns @buf. */
char *kt_anom_command(char *buf, size_t sz, const struct kt_anom *a,
		      const char *file);

/* Text: at most @top lines of each kind (0: all), then how many more and
 * the command that lists them.  JSON: one object, every anomaly.  Both
 * return 0 or @o's sticky error. */
int kt_summary_print(struct kt_out *o, const struct kt_summary *s,
		     const char *file, unsigned top);
int kt_summary_print_json(struct kt_out *o, const struct kt_summary *s,
			  const char *file);

/* kt_anom_more - the command that lists every anomaly of @kind ("ktrail
 * stats x.ktr exitsnoop"), into @buf; "" when there is none. */
char *kt_anom_more(char *buf, size_t sz, unsigned kind, const char *file);

#endif /* KT_SUMMARY_H */
