/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * replay.h - the event stream as text (one line per event, in the spirit
 * of `perf script`) or NDJSON (one object per event, generic from the kind
 * schema plus decoded names).
 *
 * Text line:
 *	COMM TID [CPU] SECONDS.NANOSECONDS: KIND: FIELDS
 *	     cat  1234 [001] 12.000341578: syscall: openat(AT_FDCWD,
 *	       "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 <0.000004100>
 * Every record is stamped at its start (kt_event_start: a syscall's
 * enter, a block request's issue), its duration beside it; JSON adds
 * end_ts.  Records come in completion order (the order they are stored
 * and read), as perf trace and strace -T print them (docs/replay.md
 * "Times").
 *
 * Memory: formatting keeps no state; kt_replay_run holds one event at a
 * time; the source holds its open frames and its task table; the fd
 * names (fds.h) the open fds of the capture's processes.
 */
#ifndef KT_REPLAY_H
#define KT_REPLAY_H

#include <stdbool.h>
#include "format/format.h"
#include "analyze/fmt.h"

struct kt_disks;
struct kt_fdnames;

/* What replay names numbers with besides the task table; NULL members
 * (or no struct): numbers only. */
struct kt_replay_names {
	const struct kt_disks *disks;   /* block devices (names.h) */
	struct kt_fdnames *fds;         /* fds, followed on a reader of
					 * their own (fds.h); they also say
					 * whether the records carry the
					 * format 1.2 fd arguments */
	bool more_args;                 /* the capture's records carry
					 * mmap's, lseek's, ioctl's ... args
					 * (metadata record.more_args) */
};

struct kt_replay_opts {
	__u64 from, to;         /* records that start in [from, to) on the
				 * capture clock; 0 = open */
	__u64 kinds;            /* kind mask, 0 = all */
	__u32 pid, tid;         /* subject filters, 0 = any */
	const char *comm;       /* subject comm, exact; NULL = any */
	bool json;
	const struct kt_replay_names *names;    /* may be NULL */
	bool columns;           /* with json: kt_replay_json_columns */
	bool proc_comm;         /* text: print proc_comm records too (the
				 * recorder's naming of a task it meets, and
				 * renames, which the COMM column shows);
				 * JSON has them always */
};

/* kt_replay_text - append the text line of @ev (with its newline) to @o;
 * names come from @tasks and @nm (both may be NULL). */
void kt_replay_text(struct kt_out *o, const struct kt_event *ev,
		    const struct kt_tasks *tasks,
		    const struct kt_replay_names *nm);

/* kt_replay_json - append the NDJSON object of @ev (with its newline). */
void kt_replay_json(struct kt_out *o, const struct kt_event *ev,
		    const struct kt_tasks *tasks,
		    const struct kt_replay_names *nm);

/*
 * kt_replay_json_columns - the same object for loading into a table
 * (`export --json`, docs/sql.md "NDJSON"): every member has one JSON type
 * whatever the event, so that one column per member holds them all.
 * It differs from kt_replay_json in four ways: 64-bit unsigned values
 * print as they are (never as their two's complement); rename's str is
 * its old path, the new one in newpath (not an array); the decoded
 * sockaddr of connect/bind/accept is sockaddr (page_fault's addr is a
 * number); the kernel's cause of a signal is kernel_cause (lost's cause
 * is a number); an unknown kind is "kind_N".
 */
void kt_replay_json_columns(struct kt_out *o, const struct kt_event *ev,
			    const struct kt_tasks *tasks);

/* kt_replay_field_key - the member name of schema field @f of kind
 * @kind in both JSON forms: its schema name, except the three that
 * would repeat a common member (comm of proc_comm and proc_exec is
 * new_comm, family of the tcp kinds addr_family, of lost lost_family). */
const char *kt_replay_field_key(unsigned kind, const struct kt_field *f);

/*
 * kt_replay_run - read @src to its end (or 1 s past opts->to, for the
 * records that start before it and end after), print the events that
 * pass @opts to @o as they come, flushing as the buffer fills.  Events
 * that start before opts->from are skipped (callers seek to it first
 * when they can: a record that starts there ends there or later).  Stores the
 * number printed in @count (may be NULL).  Returns 0, a source error
 * (negative errno with @err filled), or o->err (write failure).
 */
int kt_replay_run(struct kt_source *src, const struct kt_replay_opts *opts,
		  struct kt_out *o, __u64 *count, struct kt_err *err);

/* kt_replay_cstr - string handle @h of @ev as a C string: the bytes up to
 * the first NUL (paths, names, cgroups never hold one; a recorder or
 * generator may pad them).  Length in @len. */
const char *kt_replay_cstr(const struct kt_event *ev, __u32 h, size_t *len);

/* kt_replay_task_comm - the comm to print for @tid: the task's, "swapper"
 * for tid 0, or NULL when unknown.  Shared by text and JSON. */
const char *kt_replay_task_comm(const struct kt_tasks *tasks, __u32 tid,
				__u32 utid);

#endif /* KT_REPLAY_H */
