/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * check.h - `ktrail check`: rules asserted on one capture (CI gates), each
 * with the events that break it.
 *
 * The rules file is JSON (docs/ci.md "Rules"):
 *   { "rules": [ { "rule": "no-oom" },
 *                { "rule": "max-syscall", "ms": 50, "syscall": "fsync",
 *                  "comm": "dd", "idle": false },
 *                { "rule": "no-retransmits" },
 *                { "rule": "no-refused-connects" },
 *                { "rule": "exit-codes", "comm": "worker", "allow": [0, 3],
 *                  "signals": ["SIGTERM"] },
 *                { "rule": "max-dropped", "events": 0 } ] }
 *
 * The events come from the stats tools, run together in one pass
 * (kt_stats_run_jobs) and read back as they print them: oomkill,
 * tcpretrans, tcpconnect, exitsnoop; slow syscalls from the check's own
 * tool in the same pass (kt_why_idle_syscall says which are idle waits);
 * lost events from the metadata, as `ktrail info` counts them.
 *
 * Memory: the rules, and at most KT_CHECK_HITS events kept per rule (the
 * others are counted).
 */
#ifndef KT_CHECK_H
#define KT_CHECK_H

#include <stdbool.h>
#include <jansson.h>
#include "format/format.h"

struct kt_out;

enum kt_check_kind {
	KT_CK_NO_OOM = 0,       /* no OOM kill */
	KT_CK_MAX_SYSCALL,      /* no syscall longer than max_ns (of comm,
				 * of syscall nr; idle waits only with idle) */
	KT_CK_NO_RETRANS,       /* no TCP retransmission */
	KT_CK_NO_REFUSED,       /* no refused or failed connect */
	KT_CK_EXIT_CODES,       /* processes (of comm) exit with a status in
				 * allow, or die of a signal in signals */
	KT_CK_MAX_DROPPED,      /* at most max events lost */
	KT_CK_N
};

#define KT_CHECK_HITS 20
#define KT_CHECK_ALLOW 32

/* One event that breaks a rule. */
struct kt_check_hit {
	__u64 ts;               /* capture clock; 0: none (lost events) */
	__u32 pid, tid;
	char comm[32];
	char what[192];         /* "fsync took 52.301 ms (over 20 ms)" */
};

struct kt_check_rule {
	__u8 kind;              /* enum kt_check_kind */
	char comm[32];          /* "": every command */
	int nr;                 /* MAX_SYSCALL: the syscall, -1 every one */
	bool idle;              /* MAX_SYSCALL: idle waits count too */
	__u64 max;              /* MAX_SYSCALL: ns; MAX_DROPPED: events */
	int allow[KT_CHECK_ALLOW];      /* EXIT_CODES: exit codes */
	size_t nallow;
	int signals[KT_CHECK_ALLOW];    /* EXIT_CODES: fatal signals allowed */
	size_t nsignals;
	char title[160];        /* the rule in words: "max-syscall 20 ms,
				 * syscall fsync, comm dd" */
	/* results */
	__u64 violations;
	struct kt_check_hit hits[KT_CHECK_HITS];        /* the first ones */
	size_t nhits;
};

struct kt_check {
	struct kt_check_rule *v;        /* owned */
	size_t n;
	__u64 violations;
	__u64 matched_exits;    /* exits the exit-codes rules looked at */
};

/*
 * kt_check_parse - the rules of the parsed rules file @root into @c
 * (release with kt_check_release, also after an error).  Returns 0, or
 * -EINVAL with @why (of @sz bytes) saying which rule is wrong and how
 * ("rules[2]: 'ms': not a number of milliseconds above 0"), or -ENOMEM.
 */
int kt_check_parse(const json_t *root, struct kt_check *c, char *why,
		   size_t sz);

/*
 * kt_check_missing - whether @c has a rule the capture @meta describes
 * cannot answer (recorded without its family: -e proc,sched has no
 * syscalls); the first such rule's words and the family into @why.
 */
bool kt_check_missing(const struct kt_check *c, const json_t *meta,
		      char *why, size_t sz);

/*
 * kt_check_run - assert the rules of @c on @r's capture: each rule's
 * violations and first events.  Reads the capture once; leaves @r's
 * filter cleared.  Returns 0, -ENOMEM, or the reader's negative errno
 * with @err filled.
 */
int kt_check_run(struct kt_reader *r, struct kt_check *c, struct kt_err *err);
void kt_check_release(struct kt_check *c);

/* kt_check_print - per rule: passed, or its violations and the events
 * (time, pid/comm, what); then the count.  Returns 0 or @o's sticky
 * error. */
int kt_check_print(struct kt_out *o, const struct kt_check *c);

/* kt_check_print_json - one object: every rule with its result and
 * events. */
int kt_check_print_json(struct kt_out *o, const struct kt_check *c);

#endif /* KT_CHECK_H */
