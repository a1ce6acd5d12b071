/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * summary_int.h - private to summary*.c: what the summary's own pass
 * keeps beside the stats tools (summary_scan.c), and the anomaly list
 * being built.
 */
#ifndef KT_SUMMARY_INT_H
#define KT_SUMMARY_INT_H

#include "analyze/summary.h"
#include <jansson.h>
#include "analyze/fmt.h"
#include "analyze/stats_int.h"

#define KT_SUM_DISK_TOP 4       /* slowest requests kept per disk */
#define KT_SUM_SLOW_MIN_NS 1000000ULL   /* a syscall under 1 ms is not slow */
#define KT_SUM_DISK_MIN_NS 1000000ULL   /* nor is a request under 1 ms */
#define KT_SUM_DISK_FACTOR 8    /* ... or under 8 times its disk's median */

/* A process's slowest syscall that is not an idle wait. */
struct kt_sum_slow {
	__u64 ns;               /* duration: the rank */
	__u64 start;            /* ties: the earliest */
	__u32 pid, tid, nr;
	__s64 ret;
	bool open;              /* still running when the capture ended */
	char comm[32];
};

struct kt_sum_req {             /* a block request */
	__u64 ns;               /* service time: the rank */
	__u64 ts;               /* completion */
	__u32 pid, tid, op, bytes;
	__u64 sector;
	char comm[32];
};

struct kt_sum_disk {
	__u32 dev;
	struct kt_lhist lat;    /* service times, for the median */
	struct kt_sum_req top[KT_SUM_DISK_TOP];  /* slowest first */
	size_t ntop;
};

/* The state of the summary's own tool (summary_scan.c), kept by the
 * caller across kt_stats_run_jobs: results are read from it after. */
struct kt_sum_scan {
	__u64 first_ts;         /* the capture's: syscalls that began
				 * before it were partly observed */
	struct kt_map slow;     /* pid -> struct kt_sum_slow */
	struct kt_map disks;    /* dev -> struct kt_sum_disk */
	struct kt_log2 syslat;  /* finished syscalls but idle waits, us */
};

/* kt_sum_scan_tool - the tool: give it a job whose state is a zeroed
 * struct kt_sum_scan with first_ts set; release it with
 * kt_sum_scan_release. */
extern const struct kt_stats_tool kt_sum_scan_tool;
void kt_sum_scan_release(struct kt_sum_scan *sc);

/* The list being built. */
struct kt_sum_list {
	struct kt_summary *s;
	size_t cap;
	const struct kt_out *times;     /* kt_summary_opts.times */
};

/* kt_sum_add - a new anomaly of @kind (zeroed but kind), or NULL on
 * ENOMEM. */
struct kt_anom *kt_sum_add(struct kt_sum_list *l, unsigned kind);

/* kt_sum_from_scan - the SLOW and DISK anomalies of @sc. */
int kt_sum_from_scan(struct kt_sum_list *l, const struct kt_sum_scan *sc,
		     const struct kt_disks *disks);

/* ------------------------------------------------ the rows (summary_rows.c) */

#define KT_SUM_JOBS 9           /* eight stats tools and the scan */

struct kt_sum_sig {             /* a signal that may end a process */
	__u64 ts;
	__u32 target, signo;
	char from[96];          /* "kt-test-tool[20863]", "the kernel (OOM
				 * killer)" */
};

/* Rows of one process with one peer and one outcome: one anomaly. */
struct kt_sum_tcp {
	__u32 pid;
	unsigned sev;           /* refused or failed connections first, then
				 * resets, then retransmits */
	__u64 ts, count;
	const char *tool;
	char comm[32];
	char key[160];          /* "connect to 127.0.0.1:9 refused" */
};

/* The summary being built: the pass, and what its rows left. */
struct kt_sum_build {
	struct kt_reader *r;
	struct kt_sum_list list;
	struct kt_stats_opts opts[KT_SUM_JOBS];
	struct kt_out out[KT_SUM_JOBS];
	struct kt_stats_job jobs[KT_SUM_JOBS];
	struct kt_sum_scan scan;
	struct kt_sum_sig *sigs;        /* killsnoop --all but the signals
					 * that end nothing, in time order */
	size_t nsigs, capsigs;
	struct kt_map ended;            /* pids whose end is in the capture */
	struct kt_sum_tcp *tcp;
	size_t ntcp, captcp;
	struct kt_map tcp_index;        /* hash of (pid, key) -> index */
	struct kt_disks *disks;
};

/* One row of each tool (exitsnoop, killsnoop --all, oomkill, syscount
 * --failed --per-process, tcpconnect, tcpretrans, biolatency, runqlat),
 * as it is printed; each returns 0 or -ENOMEM. */
int kt_sum_on_exit(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_kill(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_oom(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_errno(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_connect(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_retrans(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_biolat(struct kt_sum_build *b, const json_t *row);
int kt_sum_on_runq(struct kt_sum_build *b, const json_t *row);

/* kt_sum_join - after the pass: the exits' and fatal signals' words (the
 * sender of each), the OOM kills' commands (why --exit when the victim's
 * end is in the capture). */
void kt_sum_join(struct kt_sum_build *b);

/* kt_sum_tcp_anoms - the TCP groups as anomalies; 0 or -ENOMEM. */
int kt_sum_tcp_anoms(struct kt_sum_build *b);

#endif /* KT_SUMMARY_INT_H */
