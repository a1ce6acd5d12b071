/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * lanes.h - the timeline of a window as lanes, one per thread: what
 * `ktrail timeline` prints and the renderer draws.  A lane holds its
 * thread's intervals that overlap the window, clipped to it and in time
 * order, then its spans that touch the window (not clipped: a span shows
 * its real start and end), in time order.
 *
 * Memory: the items of the window's selected threads; the timeline
 * underneath is bounded (timeline.h).
 */
#ifndef KT_LANES_H
#define KT_LANES_H

#include <stdbool.h>
#include "window.h"

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
	size_t first;           /* index of its first item in kt_lanes.items */
	size_t niv, nsp;        /* its intervals, then its spans */
	__u64 lo, hi;           /* start of its first interval, end of its
				 * last; both 0 when it has none */
};

struct kt_lanes {
	struct kt_window w;
	struct kt_lane_item *items;     /* owned; lane by lane */
	size_t nitems;
	struct kt_lane *lanes;          /* owned; by tid, then utid */
	size_t nlanes;
};

/*
 * kt_lanes_build - the lanes of @w (placed: from and to set) for the
 * threads of process @pid (0: any) and thread @tid (0: any) into @l
 * (release with kt_lanes_release, also after an error).  Returns 0,
 * -ENOMEM, or a negative errno with @err filled when the reader failed.
 */
int kt_lanes_build(struct kt_reader *r, const struct kt_window *w,
		   __u32 pid, __u32 tid, struct kt_lanes *l,
		   struct kt_err *err);

/* kt_lanes_release - free the arrays; @l is empty afterwards. */
void kt_lanes_release(struct kt_lanes *l);

#endif /* KT_LANES_H */
