/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* replay_int.h - shared between the text and JSON forms of replay. */
#ifndef KT_REPLAY_INT_H
#define KT_REPLAY_INT_H

#include "analyze/replay.h"

/* the comm of @tid (escaped), or ":tid" when unknown */
void kt_replay_comm(struct kt_out *o, const struct kt_tasks *tasks,
		    __u32 tid);

/* @n bytes escaped for text, in double quotes */
void kt_replay_quoted(struct kt_out *o, const char *s, size_t n);

/* NUL-terminated arguments separated by spaces, quoted when needed */
void kt_replay_argv(struct kt_out *o, const char *s, size_t n);

/* CLOCK_REALTIME ns as ISO-8601 UTC with nanoseconds */
void kt_replay_wallclock(struct kt_out *o, __u64 ns);

/* strace-style "name(args) = ret <dur>" of a syscall record */
void kt_replay_syscall(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_tasks *tasks);

/* x86-64 returns errors as -4095..-1 */
static inline bool kt_replay_failed(__s64 ret)
{
	return ret < 0 && ret >= -4095;
}

#endif /* KT_REPLAY_INT_H */
