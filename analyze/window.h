/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * window.h - reading one time window of a capture for the analyses that
 * look at [from, to]: timeline, graph, why, and the renderer.
 *
 * A thread's state at @from is only known from events before it, and a
 * wait inside the window only gets its syscall from the record that ends
 * the syscall, which comes later (records are stamped at their end).  So
 * the reading of a window reaches further than the window: it starts
 * KT_WINDOW_LOOKBACK_NS before @from (not before the capture's first
 * event) and stops at the first event after @to + KT_WINDOW_SLACK_NS (not
 * after the capture's last), and the timeline's observation ends at that
 * stop.  Intervals and spans therefore reach outside the window: keeping
 * and clipping what overlaps it is the consumer's (lanes.h does it for
 * the per-thread view, graph.h for evidence).
 */
#ifndef KT_WINDOW_H
#define KT_WINDOW_H

#include "format/format.h"
#include "timeline.h"

/* before the window: how far back thread states are established */
#define KT_WINDOW_LOOKBACK_NS 1000000000ULL
/* after it: how long to wait for the records that close its waits */
#define KT_WINDOW_SLACK_NS 1000000000ULL

struct kt_window {
	__u64 from, to;         /* [from, to], ns on the capture clock */
};

/*
 * kt_window_place - complete @w on the capture @info describes.  With
 * @len 0, an open end (0) becomes the capture's first or last event.
 * With @len > 0 the window is @len long: [from, from + len] when only
 * from is set, [to - len, to] (not before the first event) when only to
 * is, the last @len of the capture when neither is; both set: kept.
 */
void kt_window_place(struct kt_window *w, const struct kt_info *info,
		     __u64 len);

/* kt_window_reach - what reading @w covers: OUT @start, the lookback
 * before from (not before the first event), and OUT @stop, the slack
 * after to (not after the last event). */
void kt_window_reach(const struct kt_window *w, const struct kt_info *info,
		     __u64 *start, __u64 *stop);

/* kt_window_tl_opts - the timeline options for @w in @r's capture: the
 * observation ends at the reach's stop; waits are held for their syscall
 * records when the capture has any; a scoped recording that marks its
 * scope sets opts.scoped (and opts.kthreads when it records them). */
void kt_window_tl_opts(struct kt_reader *r, const struct kt_window *w,
		       struct kt_tl_opts *o);

/*
 * kt_window_source - OUT @src, the events of @w's reach: clears @r's
 * filter (a timeline needs every event), seeks @r to the reach's start;
 * the source ends before the first event after its stop.  @r is not
 * owned: free the source (kt_source_free) before closing @r.  Returns 0,
 * -ENOMEM, or the seek's negative errno with @err filled.
 */
int kt_window_source(struct kt_reader *r, const struct kt_window *w,
		     struct kt_source **src, struct kt_err *err);

/*
 * kt_window_timeline - build the timeline of @w's reach: @ops get @arg
 * and every interval, span and wakeup of the threads seen (including the
 * parts outside [from, to]).  Returns 0, a callback's non-zero value, or
 * a negative errno (@err filled when the reader failed).
 */
int kt_window_timeline(struct kt_reader *r, const struct kt_window *w,
		       const struct kt_tl_ops *ops, void *arg,
		       struct kt_err *err);

#endif /* KT_WINDOW_H */
