/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * diff.h - `ktrail diff`: what changed between two captures of the same
 * workload, and whether a change crosses a threshold (CI regression).
 *
 * Each capture is reduced to a profile (kt_profile_build): the rows of
 * the stats tools, run together in one pass (kt_stats_run_jobs) and read
 * back as they print them - syscount --per-comm (per command and
 * syscall: count, errors, samples, p50, p99; per command, syscall and
 * errno: count), exitsnoop (exit statuses and fatal signals), oomkill
 * (victims), tcpconnect (outcomes), tcpretrans (retransmits and resets)
 * and biosnoop (requests by issuer and operation) - then the causal
 * graph of the whole capture (graph.h), its edges named by the commands
 * and resources they join, and the processes started per command (the
 * task table).
 *
 * Items are keyed by command, never by pid: two runs of one workload
 * have other pids.  A kernel thread's name has its numbered part
 * normalized (kt_diff_name): kworker/u8:9 and kworker/u8:3 are one
 * command, kworker/u8:*.
 *
 * Memory: one item per (family, command, key): bounded by the distinct
 * commands, syscalls, errnos, outcomes and edge kinds, never by events
 * (the graph of the whole capture is its nodes and edges, graph.h).
 */
#ifndef KT_DIFF_H
#define KT_DIFF_H

#include <stdbool.h>
#include "format/format.h"

struct kt_out;

/* The families of items a profile holds. */
enum kt_diff_fam {
	KT_DF_SYSCALL = 0,      /* key: the syscall */
	KT_DF_ERRNO,            /* key "connect ECONNREFUSED" */
	KT_DF_EXIT,             /* key "exit 3", "signal SIGKILL", "exit 0" */
	KT_DF_OOM,              /* key "oom kill": the victim's command */
	KT_DF_TCP,              /* key "connect refused", "connect failed",
				 * "connect established", "retransmit",
				 * "reset sent", "reset received" */
	KT_DF_BLOCK,            /* key: the operation, "WRITE"; comm
				 * KT_DIFF_KERNEL: requests no task issued */
	KT_DF_EDGE,             /* key "woke -> cat": the kind and the
				 * destination's name; comm: the source's */
	KT_DF_PROC,             /* key "started": processes started */
	KT_DF_N
};

#define KT_DIFF_COMM 32
#define KT_DIFF_KEY 96
#define KT_DIFF_KERNEL "(kernel)"   /* the command of block requests no
				     * task issued */

/* One item of a profile: what one command did of one kind. */
struct kt_prof_item {
	__u8 fam;               /* enum kt_diff_fam */
	char comm[KT_DIFF_COMM];        /* the command, normalized */
	char key[KT_DIFF_KEY];
	__u64 count;            /* calls, exits, connects, requests, edge
				 * evidence */
	__u64 errors;           /* SYSCALL: failed calls */
	__u64 samples;          /* SYSCALL: finished calls (latencies) */
	__u64 p50, p99;         /* SYSCALL: latency percentiles, ns */
	__u64 bytes;            /* BLOCK: bytes requested */
};

struct kt_map;

struct kt_profile {
	struct kt_prof_item *v; /* owned; sorted by (fam, comm, key) */
	size_t n, cap;
	struct kt_map *index;   /* owned: a hash of (fam, comm, key) -> the
				 * item's index + 1, while it is built */
	__u64 events, lost;
	__u64 first_ts, last_ts;
	unsigned fams;          /* the families recorded (1 << KT_FAM_*;
				 * every one when the metadata does not
				 * say) */
};

/*
 * kt_profile_build - the profile of @r's capture into @p (release it with
 * kt_profile_release, also after an error).  Reads the capture twice (the
 * tools, then the graph); leaves @r's filter cleared.  Returns 0,
 * -ENOMEM, or the reader's negative errno with @err filled.
 */
int kt_profile_build(struct kt_reader *r, struct kt_profile *p,
		     struct kt_err *err);
void kt_profile_release(struct kt_profile *p);

/* kt_profile_add - the item (@fam, @comm, @key) of @p, created zeroed
 * when new; NULL on ENOMEM.  kt_profile_sort puts the items in order
 * for kt_diff_compare and ends the adding. */
struct kt_prof_item *kt_profile_add(struct kt_profile *p, unsigned fam,
				    const char *comm, const char *key);
void kt_profile_sort(struct kt_profile *p);

/*
 * kt_diff_name - @comm as a command name into @buf of @sz bytes: as is
 * for a user task; for a kernel thread (@kthread) its numbered part
 * normalized to '*': the digits after the last ':' (kworker/u8:9 is
 * kworker/u8:STAR, kworker/3:1H kworker/3:STARH), else a number that
 * ends the name after a '/' (ksoftirqd/0 is ksoftirqd/STAR); and a
 * kworker's workqueue, which /proc adds after a '-' and changes with
 * its work (kworker/u8:3-writeback is kworker/u8:STAR).  Returns @buf.
 */
char *kt_diff_name(char *buf, size_t sz, const char *comm, bool kthread);

/* ------------------------------------------------ thresholds (diff_cmp.c) */

/* The metrics a threshold watches; each watches increases from base to
 * candidate. */
enum kt_diff_metric {
	KT_DM_SYSCALLS = 0,     /* calls of a syscall by a command */
	KT_DM_NEW,              /* a syscall a command never made in base */
	KT_DM_ERRORS,           /* failed calls by (command, syscall, errno) */
	KT_DM_P50,              /* median latency of (command, syscall) */
	KT_DM_P99,              /* 99th percentile, the same */
	KT_DM_EXITS,            /* non-zero exits and fatal signals by
				 * (command, status) */
	KT_DM_OOM,              /* OOM kills by victim command */
	KT_DM_TCP,              /* refused and failed connects,
				 * retransmits, resets by command */
	KT_DM_CONNECTS,         /* established connects by command */
	KT_DM_IO,               /* block requests by (issuer, operation);
				 * those no task issued never cross */
	KT_DM_EDGES,            /* causal edges between commands and
				 * resources: evidence of a (source, kind,
				 * destination) */
	KT_DM_PROCS,            /* processes started by command */
	KT_DM_N
};

/*
 * One metric's threshold: an increase crosses it when it reaches both the
 * relative limit (a percentage of the base value; an item absent from
 * the base reaches any) and the absolute one (a count, or ns for the
 * latencies).  Either may be unset; a rule with both unset is off.
 */
struct kt_diff_rule {
	bool has_pct, has_abs;
	double pct;
	__u64 abs;
};

#define KT_DIFF_MIN_SAMPLES 20  /* latencies compared from this many
				 * samples on both sides */

/* kt_diff_rules_default - the defaults (docs/ci.md says how they were
 * tuned). */
void kt_diff_rules_default(struct kt_diff_rule rules[KT_DM_N]);

/*
 * kt_diff_rule_parse - one rule "METRIC:LIMIT[,LIMIT]" into @rules: a
 * LIMIT is +N% (relative), +N (a count), +DURATION (the latencies:
 * +2ms) or off.  A rule replaces the metric's default.  Returns 0, or
 * -EINVAL with @why (of @sz bytes) saying what is wrong.
 */
int kt_diff_rule_parse(const char *s, struct kt_diff_rule rules[KT_DM_N],
		       char *why, size_t sz);

/* kt_diff_metric_name - "syscalls", "new", "errors", "p50", "p99",
 * "exits", "oom", "tcp", "connects", "io", "edges", "processes"; NULL past
 * the end. */
const char *kt_diff_metric_name(unsigned m);

/* kt_diff_rule_words - @rule as the command line gives it: "+50%,+2ms",
 * "off"; into @buf, returned. */
char *kt_diff_rule_words(char *buf, size_t sz, unsigned metric,
			 const struct kt_diff_rule *rule);

/* One change: an item whose value differs between base and candidate. */
struct kt_diff_row {
	__u8 fam;               /* enum kt_diff_fam */
	__u8 metric;            /* enum kt_diff_metric */
	char comm[KT_DIFF_COMM];
	char key[KT_DIFF_KEY];
	__u64 base, cand;       /* the metric's values (ns for latencies) */
	bool crossed;           /* the metric's threshold */
};

struct kt_diff {
	struct kt_diff_row *v;  /* owned; crossed first, then by family,
				 * the largest relative change first,
				 * command and key */
	size_t n, cap;
	size_t crossed;
	size_t counts_only;     /* (command, syscall) pairs made on both
				 * sides whose latencies were not compared:
				 * fewer than KT_DIFF_MIN_SAMPLES on a side */
	__u64 base_lost, cand_lost;
	unsigned base_fams, cand_fams;  /* as the profiles' fams */
	unsigned not_compared;  /* 1 << KT_DF_*: the item families left out
				 * because a recording family they come
				 * from was recorded on one side only (the
				 * edges: unless both recorded the same) */
};

/*
 * kt_diff_compare - the changes from @base to @cand under @rules into @d
 * (release with kt_diff_release, also after an error).  Both profiles
 * sorted.  Items of a recording family only one side recorded (syscalls
 * and errors without `syscall`, ...) are not compared: their absence
 * there is no change (d->not_compared says which).  Returns 0 or
 * -ENOMEM.
 */
int kt_diff_compare(const struct kt_profile *base,
		    const struct kt_profile *cand,
		    const struct kt_diff_rule rules[KT_DM_N], struct kt_diff *d);
void kt_diff_release(struct kt_diff *d);

/* ---------------------------------------------------- output (diff_print.c) */

/* Text: the crossed changes (what, by how much, the threshold), then the
 * other changes, then the notes.  JSON: one object.  @rules are those the
 * comparison used.  Both return 0 or @o's sticky error. */
int kt_diff_print(struct kt_out *o, const struct kt_diff *d,
		  const struct kt_diff_rule rules[KT_DM_N], bool all);
int kt_diff_print_json(struct kt_out *o, const struct kt_diff *d,
		       const struct kt_diff_rule rules[KT_DM_N]);

/* kt_diff_change_words - "+300% (5.08ms -> 20.3ms)", "+1 (0 -> 1)": how
 * much @row changed, into @buf, returned. */
char *kt_diff_change_words(char *buf, size_t sz, const struct kt_diff_row *row);

#endif /* KT_DIFF_H */
