/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * lanes.h - the timeline of a window as lanes, one per thread: what
 * `ktrail timeline` prints.  A lane holds its thread's intervals that
 * overlap the window, clipped to it and in time order, then its spans
 * that touch the window (not clipped: a span shows its real start and
 * end), in time order.  Lanes come by tid, then utid.
 *
 * The items are gathered in one pass over the window's reach and handed
 * out lane by lane.  With names asked for, what the fds of each item's
 * syscall named is found during that pass (fds.h, follow mode, on a
 * reader of its own) and handed out with the item.
 *
 * Memory: the lanes (one per thread of the window), and at most the
 * budget (kt_lanes_opts.mem) of items: past it, items are sorted into
 * runs in a temporary file and merged when handed out (xsort.h), as
 * sort(1) does; the timeline underneath is bounded (timeline.h).
 */
#ifndef KT_LANES_H
#define KT_LANES_H

#include <stdbool.h>
#include "window.h"
#include "timeline_fmt.h"

#define KT_LANES_MEM (64u << 20)        /* the default budget of items */

struct kt_lane_item {
	__u32 utid, tid;
	bool is_span;
	union {
		struct kt_tl_interval iv;       /* clipped to the window */
		struct kt_tl_span sp;           /* sp.ev is NULL */
	};
};

struct kt_lane {
	__u32 utid, tid;
	__u32 pid;              /* of its first item */
	size_t niv, nsp;        /* its intervals, then its spans */
	__u64 lo, hi;           /* start of its first interval, end of its
				 * last; both 0 when it has none */
};

struct kt_lanes_opts {
	__u32 pid, tid;         /* the threads of process @pid (0: any) and
				 * thread @tid (0: any) */
	size_t mem;             /* the items' budget (0: KT_LANES_MEM) */
	bool names;             /* find what the syscalls' fds named */
	bool fd_history;        /* names: read the capture from its start,
				 * not KT_FDS_HISTORY_BYTES before the reach */
};

struct kt_lanes_int;

struct kt_lanes {
	struct kt_window w;
	struct kt_lane *lanes;          /* owned; by tid, then utid */
	size_t nlanes;
	size_t nitems;                  /* items in all lanes */
	struct kt_lanes_int *in;        /* owned; the items */
};

/*
 * kt_lanes_build - the lanes of @w (placed: from and to set) into @l
 * (release with kt_lanes_release, also after an error).  Returns 0,
 * -ENOMEM, a temporary file's negative errno (kt_lanes_tmpdir says
 * where), or a negative errno with @err filled when the reader failed.
 */
int kt_lanes_build(struct kt_reader *r, const struct kt_window *w,
		   const struct kt_lanes_opts *o, struct kt_lanes *l,
		   struct kt_err *err);

/*
 * kt_lanes_next - the next item, lane by lane (each lane's intervals,
 * then its spans).  OUT @it the item, @lane the index of its lane in
 * l->lanes, @nm the names of its syscall's fds and the disks (valid
 * until the next call).  Returns 1, 0 after the last, or a temporary
 * file's negative errno.
 */
int kt_lanes_next(struct kt_lanes *l, const struct kt_lane_item **it,
		  size_t *lane, const struct kt_tlf_names **nm);

/* kt_lanes_fd_since - where the names started reading (kt_fdnames_since):
 * 0 the capture's start. */
__u64 kt_lanes_fd_since(const struct kt_lanes *l);

/* kt_lanes_tmpdir - the directory of the items' temporary file. */
const char *kt_lanes_tmpdir(const struct kt_lanes *l);

/* kt_lanes_spilled - bytes of items written to the temporary file. */
__u64 kt_lanes_spilled(const struct kt_lanes *l);

/* kt_lanes_release - free everything; @l is empty afterwards. */
void kt_lanes_release(struct kt_lanes *l);

#endif /* KT_LANES_H */
