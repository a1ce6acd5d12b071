/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * why_int.h - private to why*.c: the rank of candidate spans and the
 * picks that read a timeline (why_cand.c), the words of the answer's
 * time (why_segs.c).
 */
#ifndef KT_WHY_INT_H
#define KT_WHY_INT_H

#include "why.h"
#include "timeline_fmt.h"
#include "fmt.h"

/* "comm/tid" of a thread of the answer, into @b of KT_TLF_MAX bytes */
static inline char *kt_why_thr(char *b, const struct kt_why *w, __u32 utid,
			       __u32 tid)
{
	return kt_tlf_thread(b, KT_TLF_MAX, w->tasks, utid, tid);
}

/* @part of @whole in tenths of a percent, rounded */
static inline unsigned kt_why_pct10(__u64 part, __u64 whole)
{
	return whole ? (unsigned)((part * 1000 + whole / 2) / whole) : 0;
}

/* why_segs.c: the answer's time in words */

/* "issued by X, served in Y" of block request @b, or what the record
 * lacks */
char *kt_why_blk_origin(char *buf, size_t sz, const struct kt_why *w,
			const struct kt_tl_blk *b);

/* "10.0.0.1:4242 -> 10.0.0.2:80" */
char *kt_why_tcp_tuple(char *buf, size_t sz, const struct kt_tl_tcp *t);

/* "where the time went": the attribution, each bucket's share */
void kt_why_print_attr(struct kt_out *o, const struct kt_why *w);

/* the hops from the root's first appearance (@hop) up to the span */
void kt_why_print_through(struct kt_out *o, const struct kt_why *w,
			  __u32 hop);

/* the segments grouped into stretches, the largest SEG_LINES unless
 * @all; returns 0 or -ENOMEM */
int kt_why_print_segments(struct kt_out *o, const struct kt_why *w,
			  bool all);

/* kt_why_better - whether candidate @c beats @best (@have: there is
 * one): the higher --slowest rank (why.h), then the longer, then the
 * earlier. */
bool kt_why_better(const struct kt_why_span *c, const struct kt_why_span *best,
		   bool have);

/* kt_why_wanted - whether [start, end) is a candidate for @o's --at */
bool kt_why_wanted(const struct kt_why_opts *o, __u64 start, __u64 end);

/*
 * kt_why_pick_timeline - the candidates only a timeline shows: wait
 * intervals (@all_waits: every one; else only those in no recorded
 * syscall) and, unless @o asks for a syscall, CPU stretches; the best
 * into @sp, *@found set, compared with what @sp already holds when
 * *@found is set.  Returns 0 or a negative errno (@err filled).
 */
int kt_why_pick_timeline(struct kt_reader *r, const struct kt_why_opts *o,
			 bool all_waits, struct kt_why_span *sp, bool *found,
			 struct kt_err *err);

/* kt_why_pick_range - --from/--to: the thread and its time in the range.
 * Returns 0, -ENOENT (no thread of the process in the range), or a
 * negative errno (@err filled). */
int kt_why_pick_range(struct kt_reader *r, const struct kt_why_opts *o,
		      struct kt_why_span *sp, struct kt_err *err);

#endif /* KT_WHY_INT_H */
