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

/* strace-style "name(args) = ret <dur>" of a syscall record, fds with
 * their objects as strace -y shows them */
void kt_replay_syscall(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_tasks *tasks,
		       const struct kt_replay_names *nm);

/* the fds of a syscall record, for JSON: what its fd argument (arg0, at
 * its start) and the fd it made (at its end) named; buffers of
 * KT_REPLAY_FD_MAX, "" when unknown */
#define KT_REPLAY_FD_MAX 320
struct kt_replay_fds {
	char arg[KT_REPLAY_FD_MAX];
	char ret[KT_REPLAY_FD_MAX];
	__s32 pair[2];          /* pipe, socketpair: the fds made, or -1 */
	char pair_name[2][KT_REPLAY_FD_MAX];
};
void kt_replay_sys_fds(const struct kt_event *ev,
		       const struct kt_replay_names *nm,
		       struct kt_replay_fds *out);

/* x86-64 returns errors as -4095..-1 */
static inline bool kt_replay_failed(__s64 ret)
{
	return ret < 0 && ret >= -4095;
}

#endif /* KT_REPLAY_INT_H */
