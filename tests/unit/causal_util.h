/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * causal_util.h - hand-built event streams for the causal-analysis tests
 * (timeline, graph, critical path): builders for the events, a runner that
 * feeds them through kt_source_mem, and the tiling invariant.
 * In these streams utid == tid, so expectations read naturally.
 */
#ifndef KT_CAUSAL_UTIL_H
#define KT_CAUSAL_UTIL_H

#include <stddef.h>
#include "format/format.h"
#include "analyze/timeline.h"

struct cs {
	struct kt_event *ev;
	size_t n, cap;
	struct kt_task tasks[64];
	size_t ntasks;
	const char *strs[64];
	__u32 lens[64];
	struct kt_strtab strtab;
};

void cs_init(struct cs *s);
void cs_release(struct cs *s);
/* a task known from the snapshot: utid = tid */
void cs_task(struct cs *s, __u32 tid, __u32 pid, const char *comm);
__u32 cs_str(struct cs *s, const char *str);
struct kt_event *cs_add(struct cs *s, __u64 ts, unsigned cpu,
			unsigned kind, __u32 tid);

void cs_switch(struct cs *s, __u64 ts, unsigned cpu, __u32 prev,
	       __u32 prev_state, __u32 next);
void cs_wake(struct cs *s, __u64 ts, unsigned cpu, __u32 waker,
	     __u32 target, unsigned ctx);
void cs_wakenew(struct cs *s, __u64 ts, unsigned cpu, __u32 parent,
		__u32 child);
void cs_sys(struct cs *s, __u64 end, unsigned cpu, __u32 tid, __u32 nr,
	    __u64 dur, __s64 ret, __u64 fd, __u64 file_id, __u32 flags);
void cs_blk(struct cs *s, __u64 ts, unsigned cpu, __u32 issuer, __u32 dev,
	    __u64 sector, __u32 bytes, __u64 service_ns);
void cs_fork(struct cs *s, __u64 ts, unsigned cpu, __u32 parent,
	     __u32 child, __u32 child_pid);
void cs_exit(struct cs *s, __u64 ts, unsigned cpu, __u32 tid, int code,
	     int group);
/* cs_write - the tasks and events as a capture at @path, @frame_events a
 * frame (events with strings are refused: -EINVAL).  0 or -errno. */
int cs_write(struct cs *s, const char *path, __u32 frame_events);
/* cs_write_meta - as cs_write, with @meta as the capture's metadata. */
int cs_write_meta(struct cs *s, const char *path, __u32 frame_events,
		  const json_t *meta);

struct tl_out {
	struct kt_tl_interval *iv;
	size_t niv, ivcap;
	struct kt_tl_span *sp;
	size_t nsp, spcap;
	struct kt_tl_wakeup *wu;
	size_t nwu, wucap;
	size_t nends;
};

/* callbacks that collect into a struct tl_out (the arg) */
extern const struct kt_tl_ops tl_out_ops;
/* Run the timeline over the stream; 0 or an error. */
int cs_timeline(struct cs *s, const struct kt_tl_opts *o, struct tl_out *out);
void tl_out_release(struct tl_out *out);
/* The interval of @tid that contains @ts, or NULL. */
const struct kt_tl_interval *tl_at(const struct tl_out *out, __u32 tid,
				   __u64 ts);
size_t tl_count(const struct tl_out *out, __u32 tid);

/*
 * The invariant on every stream: per thread, intervals are non-empty,
 * delivered in time order, tile [first start, last end] with no gap or
 * overlap; only the first of a thread's life (a reused tid unknown to
 * the task table starts another) carries KT_TL_F_FIRST.  Returns 0, or -1 with
 * the reason in @why.
 */
int tl_check_tiling(const struct tl_out *out, char *why, size_t whysz);

#endif
