/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * timeline_fmt.h - words for what the causal commands (timeline, graph,
 * why) print: threads as "comm/tid", durations with units, a syscall
 * with its object, a block request.  Each composes into @buf of size @sz
 * like snprintf (always terminated) and returns @buf.
 */
#ifndef KT_TIMELINE_FMT_H
#define KT_TIMELINE_FMT_H

#include "format/format.h"
#include "timeline.h"

#define KT_TLF_MAX 160

/* "comm/tid" from the task table (utid first, then tid); "?/tid" when
 * the table does not know it, "-" for tid 0. */
char *kt_tlf_thread(char *buf, size_t sz, const struct kt_tasks *tasks,
		    __u32 utid, __u32 tid);

/* "0.000123456" seconds with nanoseconds: capture-clock time. */
char *kt_tlf_ts(char *buf, size_t sz, __u64 ns);

/* "850 ns", "12.345 us", "52.301 ms", "1.204 s" (truncated, exact
 * nanoseconds are in --json). */
char *kt_tlf_dur(char *buf, size_t sz, __u64 ns);

/* "read(fd 3 socket:[123])", "futex(0x7f00, FUTEX_WAIT_PRIVATE)",
 * "nanosleep(1.000 ms)", "fsync(fd 5 file:[77])"; "(no syscall)" for
 * KT_TL_NOSYS. */
char *kt_tlf_sys(char *buf, size_t sz, const struct kt_tl_sys *s);

/* "254:0 WS 12288 B at sector 123456" (blktrace RWBS), or
 * "254:0 FWFS (cache flush)" for a request without data. */
char *kt_tlf_blk(char *buf, size_t sz, const struct kt_tl_blk *b);

#endif /* KT_TIMELINE_FMT_H */
