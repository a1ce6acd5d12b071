/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* why_work.h - workloads of why_work.c that the demo incident reuses. */
#ifndef KT_WHY_WORK_H
#define KT_WHY_WORK_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/* The unix-socket pipeline whose middle stage fsyncs KB kilobytes in
 * DIR before forwarding request SLOW; pids[] = front, middle, back.
 * Prints "front=", "middle=", "back=" lines; returns 0 or -1. */
int kt_why_pipeline(const char *dir, __u32 requests, __u32 slow, size_t kb,
		    pid_t pids[3]);

/* Fork a child that exits 3 and one killed with SIGKILL; reap both. */
int kt_why_exit_kill(pid_t *exited, pid_t *killed);

#endif
