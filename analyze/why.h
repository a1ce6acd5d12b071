/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * why.h - `ktrail why`: pick a slow span of a process in a capture and
 * explain it with its critical path (critpath.h).
 *
 * Two passes over the capture: the first finds the span (the syscall, or
 * without syscall records the wait interval, at a time or the slowest);
 * the second builds every thread's timeline over the span as a window
 * (window.h: a lookback for the threads' states and a slack for the
 * syscall records that end later), and walks the path.  Memory is what
 * happened during the span, not the capture.
 */
#ifndef KT_WHY_H
#define KT_WHY_H

#include <stdbool.h>
#include "critpath.h"
#include "timeline_fmt.h"

struct kt_why_opts {
	__u32 pid;              /* required */
	__u32 tid;              /* 0 = any thread of pid */
	bool at_set;
	__u64 at;               /* --at: the span containing this time */
	int sys_nr;             /* --syscall: only this one; -1 = any */
};

struct kt_why_span {
	__u64 start, end;
	__u32 utid, tid, pid;
	bool is_syscall;        /* else a wait interval */
	struct kt_tl_sys sys;   /* the syscall, or the wait's syscall */
	__u8 state;             /* wait interval: its state */
	bool open;              /* cut by the end of the capture */
};

/*
 * kt_why_pick - find the span.  Returns 0, -ENOENT when the process has
 * no matching span, or a negative errno with @err filled (reader).
 * Leaves the reader's filter cleared.
 */
int kt_why_pick(struct kt_reader *r, const struct kt_why_opts *o,
		struct kt_why_span *sp, struct kt_err *err);

struct kt_why {
	struct kt_why_span span;
	struct kt_cp_store *store;
	struct kt_cp_path path;
	const struct kt_tasks *tasks;   /* the reader's, for names */
	struct kt_tlf_names names;      /* disks, and the fds of the
					 * syscalls it prints (owned) */
};

/*
 * kt_why_explain - the second pass: the critical path of @sp into @w
 * (release with kt_why_release).  Returns 0 or a negative errno (@err
 * filled when the reader failed).
 */
int kt_why_explain(struct kt_reader *r, const struct kt_why_span *sp,
		   struct kt_why *w, struct kt_err *err);
void kt_why_release(struct kt_why *w);

/* kt_why_names - the names @w prints (why_names.c): the capture's disks,
 * and what the fds of the span's, the waits' and the wakers' syscalls
 * named, in one pass over the capture's syscall records (on a reader of
 * its own: @r and w->tasks are not disturbed).  Returns 0, -ENOMEM, or
 * the reader's error with @err filled. */
int kt_why_names(struct kt_why *w, const struct kt_reader *r,
		 struct kt_err *err);

/* kt_why_print flags */
#define KT_WHY_ALL_SEGMENTS 0x1 /* every stretch, not the longest 15 */

/* Print for people (the root cause first), or as one JSON object (every
 * segment), into @o.  Return 0 or @o's sticky error (a negative errno). */
struct kt_out;
int kt_why_print(struct kt_out *o, const struct kt_why *w, unsigned flags);
int kt_why_print_json(struct kt_out *o, const struct kt_why *w);

#endif /* KT_WHY_H */
