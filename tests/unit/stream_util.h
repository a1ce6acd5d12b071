/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * stream_util.h - building synthetic event streams for the replay and
 * stats tests, and running a tool over one into a string.
 */
#ifndef KT_STREAM_UTIL_H
#define KT_STREAM_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "format/format.h"
#include "analyze/fmt.h"
#include "analyze/replay.h"
#include "analyze/stats.h"

#define MS 1000000ULL
#define US 1000ULL
#define SEC 1000000000ULL

/* A string table that tests append to; handles start at 1. */
struct tstrs {
	const char *ptr[64];
	__u32 len[64];
	struct kt_strtab tab;
};

static inline __u32 tstr_n(struct tstrs *t, const void *s, size_t n)
{
	t->ptr[t->tab.n] = s;
	t->len[t->tab.n] = (__u32)n;
	t->tab.ptr = t->ptr;
	t->tab.len = t->len;
	return ++t->tab.n;
}

static inline __u32 tstr(struct tstrs *t, const char *s)
{
	return tstr_n(t, s, strlen(s));
}

static inline struct kt_event ev_base(unsigned kind, __u64 ts, __u16 cpu,
				      __u32 tid, __u32 pid)
{
	struct kt_event e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.ts = ts;
	e.cpu = cpu;
	e.tid = tid;
	e.pid = pid;
	return e;
}

static inline struct kt_event ev_switch(__u64 ts, __u16 cpu, __u32 tid,
					__u32 pid, __u32 state, __u32 ntid,
					__u32 npid)
{
	struct kt_event e = ev_base(KT_SCHED_SWITCH, ts, cpu, tid, pid);

	e.sw.prev_state = state;
	e.sw.next_tid = ntid;
	e.sw.next_pid = npid;
	e.sw.prev_prio = 120;
	e.sw.next_prio = 120;
	return e;
}

static inline struct kt_event ev_wake(__u64 ts, __u16 cpu, __u32 tid,
				      __u32 pid, __u32 ttid, __u32 tpid)
{
	struct kt_event e = ev_base(KT_SCHED_WAKING, ts, cpu, tid, pid);

	e.wake.target_tid = ttid;
	e.wake.target_pid = tpid;
	e.wake.target_cpu = cpu;
	e.wake.target_prio = 120;
	return e;
}

static inline struct kt_event ev_sys(__u64 ts, __u16 cpu, __u32 tid,
				     __u32 pid, unsigned nr, __u64 dur,
				     __s64 ret)
{
	struct kt_event e = ev_base(KT_SYSCALL, ts, cpu, tid, pid);

	e.sys.nr = nr;
	e.sys.dur = dur;
	e.sys.ret = ret;
	return e;
}

/* The processes most tests use. */
static const struct kt_task stream_tasks[] = {
	{ .tid = 1, .pid = 1, .comm = "init", .flags = KT_TASK_SNAPSHOT },
	{ .tid = 100, .pid = 100, .ppid = 1, .comm = "bash",
	  .flags = KT_TASK_SNAPSHOT },
	{ .tid = 200, .pid = 200, .ppid = 100, .comm = "cat",
	  .start_ns = 1 * SEC, .flags = KT_TASK_SNAPSHOT },
	{ .tid = 201, .pid = 200, .ppid = 100, .comm = "cat-worker",
	  .flags = KT_TASK_SNAPSHOT },
	{ .tid = 300, .pid = 300, .ppid = 1, .comm = "server",
	  .flags = KT_TASK_SNAPSHOT },
};
#define NSTREAM_TASKS (sizeof(stream_tasks) / sizeof(stream_tasks[0]))

/* run_stats - run tool @name over @evs; the output as a malloc'd string,
 * or NULL (with the reason recorded) on failure. */
static inline char *run_stats(const char *name, const struct kt_event *evs,
			      size_t n, const struct kt_strtab *strs,
			      const struct kt_stats_opts *opts)
{
	const struct kt_stats_tool *t = kt_stats_find(name);
	struct kt_source *src;
	struct kt_err err = { 0 };
	struct kt_out o;
	int rc;

	if (!t) {
		kt_test_reason("no tool %s", name);
		return NULL;
	}
	src = kt_source_mem(evs, n, strs, stream_tasks, NSTREAM_TASKS);
	if (!src || kt_out_init(&o, -1, 64)) {
		kt_source_free(src);
		return NULL;
	}
	rc = kt_stats_run(t, src, opts, &o, NULL, &err);
	kt_source_free(src);
	if (rc) {
		kt_test_reason("%s failed: %d %s", name, rc, err.msg);
		kt_out_release(&o);
		return NULL;
	}
	kt_out_ch(&o, 0);
	return o.buf;
}

/* run_replay - the replay output of @evs as a malloc'd string. */
static inline char *run_replay(const struct kt_event *evs, size_t n,
			       const struct kt_strtab *strs,
			       const struct kt_replay_opts *opts)
{
	struct kt_source *src;
	struct kt_err err = { 0 };
	struct kt_out o;
	int rc;

	src = kt_source_mem(evs, n, strs, stream_tasks, NSTREAM_TASKS);
	if (!src || kt_out_init(&o, -1, 64)) {
		kt_source_free(src);
		return NULL;
	}
	rc = kt_replay_run(src, opts, &o, NULL, &err);
	kt_source_free(src);
	if (rc) {
		kt_test_reason("replay failed: %d %s", rc, err.msg);
		kt_out_release(&o);
		return NULL;
	}
	kt_out_ch(&o, 0);
	return o.buf;
}

/* expect_str - compare; on mismatch print both to stderr and record the
 * first differing line as the reason. */
static inline int expect_str(const char *what, const char *got,
			     const char *want)
{
	size_t i = 0, ls = 0, line = 1;

	if (!got)
		return KT_FAIL;
	if (!strcmp(got, want))
		return KT_PASS;
	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n') {
			ls = i + 1;
			line++;
		}
		i++;
	}
	fprintf(stderr, "%s:\n--- want\n%s--- got\n%s---\n", what, want, got);
	kt_test_reason("%s: line %zu: want '%.*s' got '%.*s'", what, line,
		       (int)strcspn(want + ls, "\n"), want + ls,
		       (int)strcspn(got + ls, "\n"), got + ls);
	return KT_FAIL;
}

#define EXPECT_STR(what, got, want)                                     \
	do {                                                            \
		char *got_ = (got);                                     \
		int rc_ = expect_str(what, got_, want);                 \
		free(got_);                                             \
		if (rc_ != KT_PASS)                                     \
			return rc_;                                     \
	} while (0)

#endif /* KT_STREAM_UTIL_H */
