/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * verify.h - a capture's self-consistency (`ktrail verify`): what the
 * events say must agree with itself.  One streaming pass over a source in
 * time order, after a pass over its lost-event records:
 *
 *   time_order   a CPU's timestamps never go back
 *   continuity   the task a switch puts on a CPU is the one the next
 *                switch on that CPU takes off it
 *   two_cpus     no thread is put on a CPU while it is on another
 *   unknown_task switches and wakeups name tasks the task table knows
 *   syscall      a thread's syscalls do not overlap (start = ts - dur)
 *   block        a block completion carries its issue (or is marked as
 *                issued before the recorder saw it), and an issue the
 *                recorder saw is not before the recording started
 *   identity     an exec or rename is of the tid's current identity (a
 *                thread keeps one utid across exec)
 *   accounting   when the metadata has attempts.per_cpu_family (what the
 *                BPF programs tried to emit): for every CPU and family,
 *                the events from the programs plus those reported lost
 *                (ring full) equal the attempts (verify_count.c)
 *
 * Scoped recordings (`-- CMD`, `-p`, `--cgroup`) skip by design the
 * switches between two tasks out of scope, so continuity and two_cpus
 * apply to the tasks in scope: a task in scope that a recorded switch put
 * on a CPU must leave it by a recorded switch, and one that a recorded
 * switch takes off a CPU must have come onto it by one.  In scope are the
 * tasks of the /proc snapshot (a scoped snapshot holds only those), kernel
 * threads (the recorder keeps every kernel thread's switches in scoped
 * recordings), the children of forks the scope follows, and every task
 * that is the subject of an event only tasks in scope produce (a syscall,
 * fork, exec, exit, signal delivery, page fault; not under --cgroup, whose
 * tasks can migrate in).  In whole-host recordings every task is in scope
 * but the recorder's own (whose switches between its own threads it does
 * not record).
 *
 * Loss: a break that lost events can explain is reported as explained,
 * not as a violation: a continuity break or a thread on two CPUs when the
 * capture reports sched events lost on that CPU (or on an unknown CPU:
 * BPF recursion misses) by a KT_LOST record between the earlier event the
 * break contradicts and KT_VERIFY_LOSS_LAG after the event that shows it
 * (the recorder reports losses about once a second); an unknown task
 * after proc events were lost (its name may be among them); a block
 * completion without its issue after block events were lost.  A capture
 * whose metadata counts losses on a CPU but holds no KT_LOST record
 * explains every break on that CPU.
 *
 * Hidden tasks: some kernels emit no tracepoint while certain tasks run
 * (on the VM this was built on, the threads of pid 1, its agent: perf
 * sees none of their switches either).  Their switches off a CPU are
 * missing from every capture.  A break whose task left the CPU unseen is
 * held on that task; when the whole capture shows no event made while it
 * ran (no switch off a CPU, syscall, wakeup, ...), the breaks are
 * reported at the end as explained (hidden); as soon as it is seen
 * running, they are violations.
 *
 * Memory: per CPU (the switch state) and per thread seen (on which CPU,
 * the end of its last syscall, whether it is in scope), plus one entry
 * per KT_LOST record; nothing grows with the number of events.
 */
#ifndef KT_VERIFY_H
#define KT_VERIFY_H

#include <stdbool.h>
#include "format/format.h"

enum kt_vcheck {
	KT_V_TIME_ORDER,
	KT_V_CONTINUITY,
	KT_V_TWO_CPUS,
	KT_V_UNKNOWN_TASK,
	KT_V_SYSCALL,
	KT_V_BLOCK,
	KT_V_IDENTITY,
	KT_V_ACCOUNTING,
	KT_V_NCHECKS
};

/* kt_vcheck_name - "continuity", "two_cpus", ... or NULL. */
const char *kt_vcheck_name(unsigned check);

/* The recorder reports lost events at least once a second: a loss is in a
 * KT_LOST record at most this long after it happened. */
#define KT_VERIFY_LOSS_LAG 2000000000ULL

#define KT_VCPU_NONE 0xffffffffu
#define KT_VERIFY_MAX_CPUS 1024

struct kt_verify_opts {
	bool scoped;            /* a scoped recording (not whole host) */
	bool follow;            /* the scope follows forks into children */
	bool cgroup;            /* the scope is a cgroup */
	__u32 recorder_pid;     /* the recorder's process, 0 = unknown */
	__u64 start_ns;         /* when recording started, 0 = unknown */
	__u32 ncpus;            /* 0 = unknown */
	/* losses the metadata counts per CPU (index < ncpus) and in total
	 * per family, for captures without KT_LOST records; NULL/0 none */
	__u64 meta_lost_cpu[KT_VERIFY_MAX_CPUS];
	__u64 meta_lost_family[KT_FAM_MAX + 1];
	/* attempts.per_cpu_family of the metadata (borrowed: it must live
	 * as long as the checker), NULL: no accounting check */
	const json_t *attempts;
	/* a recovered capture: its last flush (recovered.flushed_ns); what
	 * breaks after it is explained as cut.  0: none */
	__u64 cut_ns;
};

/*
 * kt_verify_opts_meta - fill @o from a capture's metadata (the scope, the
 * recorder's pid when recorded, the start time, the CPU count and the loss
 * counters; both the current keys and those of the first captures, see
 * docs/format.md "Metadata").  A capture that names no scope counts as a
 * whole-host one (the strictest reading).
 */
void kt_verify_opts_meta(const json_t *meta, struct kt_verify_opts *o);

struct kt_vtask {
	__u32 tid, pid, utid;   /* utid 0: not in the task table */
	char comm[64];          /* "" when unknown */
	const char *role;       /* what it is to the violation: "put on",
				 * "taken off", "waker", ... */
};

enum kt_vexpl {
	KT_VEXPL_NONE = 0,
	KT_VEXPL_LOST,          /* lost events explain it */
	KT_VEXPL_HIDDEN,        /* the task's own events are never shown */
	KT_VEXPL_CUT,           /* after the last flush of a recorder that
				 * died (recovered.flushed_ns): the other
				 * CPUs' rings were not all drained */
};

struct kt_violation {
	unsigned check;         /* enum kt_vcheck */
	__u64 ts;               /* the event that shows it */
	__u64 since;            /* the earlier event it contradicts, or 0 */
	__u32 cpu;              /* KT_VCPU_NONE when no CPU is involved */
	__u32 ntasks;
	struct kt_vtask task[2];
	char detail[256];       /* one line, what disagrees with what */
	unsigned explained;     /* enum kt_vexpl, 0 = a violation */
	__u32 hidden_count;     /* HIDDEN: the task's findings in all */
	/* LOST: what the capture says was lost */
	__u32 lost_family;      /* enum kt_family, KT_FAM_MAX = unknown */
	__u32 lost_cpu;         /* KT_VCPU_NONE: any/unknown CPU */
	__u64 lost_count;       /* 0: only the metadata counts it */
	__u64 lost_ts;          /* the KT_LOST record's time, or 0 */
};

/* Called for each violation and each explained break, in the order the
 * pass meets them: at the event that shows it, but a break held on a task
 * not yet seen running (see "Hidden tasks") when the task is first seen
 * running or at the end.  Non-zero stops the pass with that value. */
typedef int (*kt_verify_fn)(const struct kt_violation *v, void *arg);

struct kt_verify_stats {
	__u64 events, switches, wakeups, syscalls, blocks;
	__u64 threads;          /* threads the pass kept state for */
	__u64 lost_records;     /* KT_LOST records seen by the loss pass */
	bool accounting;        /* the accounting check ran */
	__u64 accounted;        /* ... on this many events and losses */
	__u64 violations[KT_V_NCHECKS];
	__u64 explained[KT_V_NCHECKS];
};

struct kt_verify;

/* kt_verify_new - a checker; @fn/@arg receive the findings.  Returns NULL
 * with errno ENOMEM.  (The accounting check needs every event: a checker
 * fed a window of the capture would report what lies outside it.) */
struct kt_verify *kt_verify_new(const struct kt_verify_opts *o,
				kt_verify_fn fn, void *arg);
void kt_verify_free(struct kt_verify *v);

/* kt_verify_losses - the loss pass: read @src (its KT_LOST records; other
 * kinds are ignored, so a source filtered to KT_LOST is enough) before the
 * main pass.  Returns 0 or a negative errno (@err filled on a read error). */
int kt_verify_losses(struct kt_verify *v, struct kt_source *src,
		     struct kt_err *err);

/* kt_verify_event - check one event of the main pass, with @tasks the
 * task table as of that event.  Returns 0, -ENOMEM, or what the callback
 * returned. */
int kt_verify_event(struct kt_verify *v, const struct kt_event *ev,
		    const struct kt_tasks *tasks);

/* kt_verify_end - the end of the main pass: the breaks held on tasks never
 * seen running are reported (explained: hidden).  Returns 0 or what the
 * callback returned. */
int kt_verify_end(struct kt_verify *v);

/* kt_verify_run - the main pass: kt_verify_event on every event of @src,
 * then kt_verify_end.  Returns 0 or a negative errno (@err filled on a
 * read error), or what the callback returned. */
int kt_verify_run(struct kt_verify *v, struct kt_source *src,
		  struct kt_err *err);

void kt_verify_stats(const struct kt_verify *v, struct kt_verify_stats *st);

/* kt_verify_accounting - after the main pass, when the accounting check
 * ran: call @fn for every CPU and family with attempts, events from the
 * programs or ring losses, in CPU then family order. */
void kt_verify_accounting(const struct kt_verify *v,
			  void (*fn)(void *arg, __u32 cpu, __u32 fam,
				     __u64 attempts, __u64 events,
				     __u64 lost),
			  void *arg);

#endif /* KT_VERIFY_H */
