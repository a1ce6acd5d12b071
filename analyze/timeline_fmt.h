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

#define KT_TLF_MAX 320

struct kt_disks;
struct kt_fdnames;

/* What the numbers are named with: a capture's disks and the answers to
 * the fd questions of the syscalls printed (fds.h, batch).  Either may be
 * NULL (numbers then); a NULL struct is allowed wherever one is taken. */
struct kt_tlf_names {
	struct kt_disks *disks;         /* owned */
	struct kt_fdnames *fds;         /* owned */
};

/* kt_tlf_names_init - @n for @r's capture: its disks, and an empty batch
 * of fd questions (ask with kt_tlf_names_ask, then answer with
 * kt_fdnames_answer).  Returns 0 or -ENOMEM. */
int kt_tlf_names_init(struct kt_tlf_names *n, const struct kt_reader *r);

/* kt_tlf_names_ask - ask what kt_tlf_sys and kt_tlf_ret will print of
 * syscall @s of process @pid: its fd argument, the fds it made.
 * Returns 0 or -ENOMEM. */
int kt_tlf_names_ask(struct kt_tlf_names *n, __u32 pid,
		     const struct kt_tl_sys *s);

/* kt_tlf_names_each - call @fn with @arg for every fd question
 * kt_tlf_names_ask asks of syscall @s of @pid (the fd, the time); stops
 * at and returns @fn's first non-zero value. */
int kt_tlf_names_each(__u32 pid, const struct kt_tl_sys *s,
		      int (*fn)(void *arg, __u32 pid, __s32 fd, __u64 ts),
		      void *arg);

/* kt_tlf_names_release - free what @n holds (it may be reused). */
void kt_tlf_names_release(struct kt_tlf_names *n);

/* "comm/tid" from the task table (utid first, then tid); "?/tid" when
 * the table does not know it, "-" for tid 0. */
char *kt_tlf_thread(char *buf, size_t sz, const struct kt_tasks *tasks,
		    __u32 utid, __u32 tid);

/* "0.000123456" seconds with nanoseconds: capture-clock time. */
char *kt_tlf_ts(char *buf, size_t sz, __u64 ns);

/* "850 ns", "12.345 us", "52.301 ms", "1.204 s" (truncated, exact
 * nanoseconds are in --json). */
char *kt_tlf_dur(char *buf, size_t sz, __u64 ns);

/* Syscall @s of process @pid, its fds as strace -y shows them:
 * "read(3</etc/passwd>)", "write(4<UNIX:[23665]>)", "fsync(5</data/x>)"
 * (the file id when the fd is not known: "read(3<pipe:[4711]>)", or the
 * bare number), "openat("/etc/passwd")" (the path of the fd it made),
 * "pipe2([3<pipe:[9]>, 4<pipe:[9]>])", "futex(0x7f00,
 * FUTEX_WAIT_PRIVATE)", "nanosleep(1.000 ms)"; "(no syscall)" for
 * KT_TL_NOSYS. */
char *kt_tlf_sys(char *buf, size_t sz, const struct kt_tl_sys *s, __u32 pid,
		 const struct kt_tlf_names *n);

/* What syscall @s of @pid returned: "-ENOENT", "64", an fd it made with
 * its object "3</etc/passwd>", "?" when it had not returned. */
char *kt_tlf_ret(char *buf, size_t sz, const struct kt_tl_sys *s, __u32 pid,
		 const struct kt_tlf_names *n);

/* "vda (254:0) WS 12288 B at sector 123456" (blktrace RWBS; "254:0"
 * when the capture does not name the disk), or "vda (254:0) FWFS (cache
 * flush)" for a request without data. */
char *kt_tlf_blk(char *buf, size_t sz, const struct kt_tl_blk *b,
		 const struct kt_tlf_names *n);

/* kt_tlf_json_files - add to @j, a syscall's JSON object, "file": what
 * its fd argument named, and "ret_file": the fd it made, when known. */
void kt_tlf_json_files(json_t *j, const struct kt_tl_sys *s, __u32 pid,
		       const struct kt_tlf_names *n);

/* "vda (254:0)", or "254:0" unnamed. */
char *kt_tlf_dev(char *buf, size_t sz, __u32 dev,
		 const struct kt_tlf_names *n);

#endif /* KT_TIMELINE_FMT_H */
