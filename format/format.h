/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * format.h - the ktrail capture file: writer, reader, task table, event
 * sources and recovery.  This header is the whole interface of format/;
 * the byte layout is in docs/format.md.
 *
 * Errors: functions return a negative errno value (or NULL with errno set).
 * Functions that read files also fill a struct kt_err that says where and
 * why, so that callers can print one line: "FILE: at byte OFF: REASON".
 * Corrupt or truncated input is -EBADMSG, an unknown major version is
 * -EPROTONOSUPPORT, anything else is the errno of the failing call.
 */
#ifndef KT_FORMAT_H
#define KT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "event.h"

/* The ktrail release: `ktrail --version`, and "ktrail_version" in the
 * metadata of every capture it writes. */
#define KT_VERSION "0.1.0"

#define KT_FORMAT_MAJOR 1
#define KT_FORMAT_MINOR 3

/* What a failure was doing, which decides the exit status (cli/cli.h,
 * docs/cli.md): the same EACCES is bad input on a capture being read and
 * a refusal on an output being created. */
enum kt_err_what {
	KT_ERR_INPUT = 0,       /* reading a file or an argument given */
	KT_ERR_OUTPUT,          /* creating or writing an output */
	KT_ERR_SYSTEM,          /* the system refused: permission, load, attach */
};

/* Why a call failed: the error record of format/ and record/. */
struct kt_err {
	int code;               /* negative errno */
	enum kt_err_what what;
	__u64 off;              /* byte offset where detected, or ~0ULL */
	char msg[512];          /* reason, lowercase, one line; no "ktrail"
				 * prefix, and no file name for the reader's
				 * errors (the caller names the file) */
};

/* kt_err_set - fill @e (may be NULL) with @code, @what, @off and the
 * printf-style reason.  Returns @code. */
int kt_err_set(struct kt_err *e, int code, enum kt_err_what what, __u64 off,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* kt_err_print - print "PREFIX: SUBJECT: at byte OFF: MSG" as one line on
 * @f.  SUBJECT is left out when NULL, the offset when off is ~0ULL, and
 * MSG is strerror(-code) when empty. */
void kt_err_print(FILE *f, const char *prefix, const char *subject,
		  const struct kt_err *e);

/* ---------------------------------------------------------------- tasks */

/*
 * A task table: every thread the capture knows, keyed by tid, with a stable
 * id (utid) that survives tid reuse.  utids are assigned deterministically
 * (snapshot order, then in event order by fork/comm/exec of unknown tids),
 * so a reader that seeks gets the same utids as one reading from the start.
 */
struct kt_task {
	__u32 utid;             /* unique within a capture, never 0 */
	__u32 tid;
	__u32 pid;              /* thread group id */
	__u32 ppid;
	__u64 start_ns;         /* capture clock, 0 = before recording/unknown */
	__u64 end_ns;           /* exit time, 0 = alive */
	__s32 exit_code;        /* valid when end_ns != 0 */
	__u32 flags;            /* KT_TASK_* */
	const char *comm;       /* never NULL; owned by the table */
	const char *exe;        /* "" when unknown */
	const char *cmdline;    /* arguments separated by NUL, cmdline_len */
	__u32 cmdline_len;
	const char *cgroup;
};

#define KT_TASK_KTHREAD 0x1
#define KT_TASK_SNAPSHOT 0x2    /* known from the /proc snapshot */
#define KT_TASK_INSCOPE 0x4     /* in a scoped recording's scope: its
				 * scheduling is recorded whole (set from the
				 * snapshot, and passed to children that a
				 * fork flagged KT_FORK_INSCOPE) */

struct kt_tasks;

struct kt_tasks *kt_tasks_new(void);
void kt_tasks_free(struct kt_tasks *t);

/* kt_tasks_add - insert or replace a task from a /proc snapshot or keyframe;
 * strings are copied (one copy per distinct string, shared by the tasks
 * that name it).  utid 0 assigns the next free one.  Returns 0 or
 * -ENOMEM. */
int kt_tasks_add(struct kt_tasks *t, const struct kt_task *task);

/*
 * kt_tasks_apply - update the table with @ev when it is a proc event (fork
 * creates the child, exec and comm rename, exit ends the task; a tid the
 * table does not know gets a new utid on exec, comm and exit); other kinds
 * change nothing.  Stores the utid of ev's subject after the update in
 * @utid (0 when unknown).  Exited tasks stay findable by utid; by tid until
 * the tid is reused.  Events may come out of time order (a recorder's
 * per-CPU rings): a rename or exec older than the task's current name or
 * image changes nothing, and a fork whose child's events came first (the
 * task they made appeared at or after the fork) adopts that task, so a
 * thread keeps one utid across exec whatever the order.  Returns 0 or
 * -ENOMEM.
 */
int kt_tasks_apply(struct kt_tasks *t, const struct kt_event *ev,
		   __u32 *utid);

/* kt_tasks_find - the newest task with this tid (the highest utid), or
 * NULL.  Tasks returned by the kt_tasks_* functions, and their strings,
 * stay valid until kt_tasks_free(): updates change a task in place (a
 * pointer to it shows its newest state) and keep the old strings. */
const struct kt_task *kt_tasks_find(const struct kt_tasks *t, __u32 tid);

/* kt_tasks_get - the task with this utid, or NULL. */
const struct kt_task *kt_tasks_get(const struct kt_tasks *t, __u32 utid);

/* kt_tasks_foreach - call @fn on every task in utid order; stops when @fn
 * returns non-zero and returns that value. */
int kt_tasks_foreach(const struct kt_tasks *t,
		     int (*fn)(const struct kt_task *task, void *arg), void *arg);

__u32 kt_tasks_count(const struct kt_tasks *t);

/* What a task table holds, by its own accounting: every block it
 * allocated, at the size it asked for (the allocator's headers and
 * rounding are not counted). */
struct kt_tasks_stats {
	size_t bytes;           /* everything: tasks, indexes, strings */
	size_t string_bytes;    /* the distinct strings, a NUL each */
	__u32 strings;          /* distinct strings (each stored once) */
	__u32 tasks;            /* = kt_tasks_count() */
};

/* kt_tasks_stats - fill @st with @t's accounting. */
void kt_tasks_stats(const struct kt_tasks *t, struct kt_tasks_stats *st);

/* A merged capture (`ktrail merge`, metadata merge.hosts) holds the tids
 * of host i as i << KT_HOST_TID_BITS | tid. */
#define KT_HOST_TID_BITS 22

/* kt_tasks_set_hosts - name the hosts of @t's tids from @meta's
 * merge.hosts (borrowed: @meta must outlive @t); nothing when @meta has
 * none.  kt_reader_tasks() does it for a reader's table. */
void kt_tasks_set_hosts(struct kt_tasks *t, const json_t *meta);

/* kt_tasks_host - in a merged capture, the host id of @tid, with the tid
 * that host knew in @host_tid; NULL (and @host_tid untouched) for a
 * capture of one host or tid 0. */
const char *kt_tasks_host(const struct kt_tasks *t, __u32 tid,
			  __u32 *host_tid);

/* --------------------------------------------------------------- writer */

struct kt_writer;

struct kt_writer_opts {
	int zstd_level;         /* 0 = default (KT_ZSTD_DEFAULT) */
	__u32 frame_events;     /* max events per frame, 0 = default */
	__u64 keyframe_ns;      /* task keyframe interval, 0 = default (10 s) */
	__u64 flight_ns;        /* >0: keep only the newest flight_ns in
				 * memory, write with kt_writer_dump() */
	__u64 flight_bytes;     /* flight mode, >0: and at most this many
				 * bytes of frames and their keyframes (the
				 * newest frame is always kept) */
	bool sync;              /* fdatasync after every frame */
};

/*
 * kt_writer_open - create @path (mode 0600, truncated if it exists) and write
 * the header and @meta (a JSON object: host, kernel, command line, ...; see
 * docs/format.md "Metadata").  In flight mode @path is the default dump
 * target and nothing is written until kt_writer_dump().
 * Returns 0 and stores the writer in @out, or a negative errno (-EINVAL
 * for a @path that is a device or a FIFO: kt_out_special).
 */
int kt_writer_open(struct kt_writer **out, const char *path,
		   const struct kt_writer_opts *opts, const json_t *meta);

/*
 * kt_writer_open_fd - as kt_writer_open on @fd, an empty file opened for
 * writing by the caller (the recorder creates its capture with O_EXCL and
 * O_NOFOLLOW before it loads anything); @path names it in flight mode's
 * dumps and messages.  In flight mode @fd must be -1.  The writer owns
 * @fd from the call on, also when it fails.  Returns 0 or a negative
 * errno (-EINVAL: @fd given in flight mode, or missing otherwise).
 */
int kt_writer_open_fd(struct kt_writer **out, int fd, const char *path,
		      const struct kt_writer_opts *opts, const json_t *meta);

/* kt_writer_task - add a task of the /proc snapshot taken at start; call
 * before the first kt_writer_add().  Returns 0 or a negative errno. */
int kt_writer_task(struct kt_writer *w, const struct kt_task *task);

/*
 * kt_writer_str - intern @len bytes at @s and return a string handle for the
 * *_str fields of the next events.  Handles stay valid until the next
 * kt_writer_flush().  Returns 0 for len 0, or UINT32_MAX on ENOMEM.
 */
__u32 kt_writer_str(struct kt_writer *w, const void *s, size_t len);

/*
 * kt_writer_add - append one event (copied).  Events may arrive out of time
 * order (per-CPU buffers); frames are sorted before they are written, and
 * readers merge frames that overlap in time.  Writes a frame when the frame
 * is full.  Returns 0 or a negative errno.  A failed write (disk full) is
 * sticky: every later call returns the same error, and the file keeps the
 * frames written before it (`ktrail recover` finalizes it).
 */
int kt_writer_add(struct kt_writer *w, const struct kt_event *ev);

/* kt_writer_flush - write all pending events as a frame (no-op when none);
 * call at least once a second.  Returns 0 or a negative errno. */
int kt_writer_flush(struct kt_writer *w);

/*
 * kt_writer_dump - flight mode: write a self-contained capture of the
 * retained window to @path (NULL = the path given at open; written to a
 * temporary file beside it, renamed over it when complete), with @end_meta
 * merged into the metadata.  Flushes first (string handles end there, as
 * with kt_writer_flush()); may be called any number of times.  Returns 0
 * or a negative errno (-EINVAL when not in flight mode).
 */
int kt_writer_dump(struct kt_writer *w, const char *path,
		   const json_t *end_meta);

/*
 * kt_writer_close - flush, write the end metadata (@end_meta merged into the
 * start metadata, objects key by key: stop time, lost counters, ...; and
 * the anchors of the KT_CLOCK_SYNC events added to clock.anchors), the
 * index and trailer, and free the writer.  In flight mode it writes
 * nothing (call kt_writer_dump() first).  After a failed write (a full
 * disk) it cuts the file back to its last whole block and tries to write
 * the end there, with "write_error" (error, events_not_written) in the
 * metadata; failing that the file ends at that block, for `ktrail
 * recover`.  Returns 0 or a negative errno (the failed write's); the
 * writer is freed either way.
 */
int kt_writer_close(struct kt_writer *w, const json_t *end_meta);

/* kt_writer_abort - free without finalizing (the file keeps what was
 * flushed, like a killed recorder leaves it).  Accepts NULL. */
void kt_writer_abort(struct kt_writer *w);

struct kt_writer_stats {
	__u64 events;           /* accepted by kt_writer_add */
	__u64 frames;
	__u64 bytes;            /* written to the file so far */
	__u64 raw_bytes;        /* column bytes before compression */
};
void kt_writer_stats(const struct kt_writer *w, struct kt_writer_stats *st);

/* --------------------------------------------------------------- reader */

struct kt_reader;

#define KT_READ_SCAN 0x1        /* ignore the index, scan sequentially */
#define KT_READ_PARTIAL 0x2     /* a capture without index whose scan meets
				 * a damaged or incomplete block (a copy cut
				 * short, a recorder killed mid-write) ends
				 * there instead of failing: the blocks before
				 * it are read, kt_reader_damage() says where
				 * and why.  Needs the start metadata intact. */

/*
 * kt_reader_open - open a capture.  Validates the header and loads the
 * index (or, when the file has none, scans block headers and says so in
 * kt_reader_info().indexed).  Returns 0 and the reader in @out, or a
 * negative errno with @err filled.
 */
int kt_reader_open(struct kt_reader **out, const char *path, unsigned flags,
		   struct kt_err *err);

/* kt_reader_open_fd - as kt_reader_open on an open file descriptor (not
 * closed by the reader); @name is used in messages. */
int kt_reader_open_fd(struct kt_reader **out, int fd, const char *name,
		      unsigned flags, struct kt_err *err);

void kt_reader_close(struct kt_reader *r);

/* kt_reader_reopen - a second reader of @r's capture, with a position,
 * filter and task table of its own (a pass that must not disturb @r's:
 * the fd names of analyze/fds.h).  It reads through @r's file
 * descriptor: close it before @r.  Returns 0 or a negative errno with
 * @err filled. */
int kt_reader_reopen(const struct kt_reader *r, struct kt_reader **out,
		     struct kt_err *err);

/* kt_reader_filter - only return events whose kind is in @kind_mask (0 =
 * all), and, when non-zero, whose pid is @pid and whose tid is @tid.
 * Frames and columns that cannot match are not decompressed.  Call it
 * before reading or before a kt_reader_seek(): frames already open keep
 * the kinds they were opened with. */
void kt_reader_filter(struct kt_reader *r, __u64 kind_mask, __u32 pid,
		      __u32 tid);

/* kt_reader_seek - position before the first event with ts >= @ts, reading
 * only the index and the frames needed.  Returns 0 or a negative errno. */
int kt_reader_seek(struct kt_reader *r, __u64 ts, struct kt_err *err);

/* kt_reader_horizon - how far back from @ts a reader can go reading at
 * most about @max_bytes of frames: 0 when every frame that starts before
 * @ts fits (the whole capture up to @ts), else the earliest start of the
 * latest frames before @ts that fit (a seek there reads from it on).
 * From the index alone. */
__u64 kt_reader_horizon(const struct kt_reader *r, __u64 ts,
			__u64 max_bytes);

/*
 * kt_reader_next - the next event in time order (ties: file order).  The
 * event, and the strings it references, stay valid until the next call.
 * Returns 1 with *@ev set, 0 at the end, or a negative errno with @err
 * filled (a corrupt frame is reported, never skipped silently).
 */
int kt_reader_next(struct kt_reader *r, const struct kt_event **ev,
		   struct kt_err *err);

/* kt_reader_tasks - the task table as of the last event returned (after a
 * seek: as of the seek point).  Owned by the reader; tasks and their
 * strings stay valid until the next kt_reader_seek() or kt_reader_close(),
 * which replace or free the table. */
const struct kt_tasks *kt_reader_tasks(struct kt_reader *r);

/* kt_reader_meta - the metadata object (start block merged with the end
 * block when present).  Owned by the reader. */
const json_t *kt_reader_meta(const struct kt_reader *r);

struct kt_info {
	__u16 major, minor;
	bool indexed;           /* false: no valid index, read by scanning */
	bool finalized;         /* end metadata present */
	__u64 file_bytes;
	bool partial;           /* KT_READ_PARTIAL met a damaged block: only
				 * the blocks before it are read */
	__u64 intact_bytes;     /* where the blocks read end: file_bytes
				 * unless partial */
	__u64 frames;
	__u64 events;
	__u64 kind_events[KT_KIND_MAX];
	__u64 lost;             /* sum of per-frame lost counts */
	__u64 first_ts, last_ts;
	__u64 frame_bytes;      /* compressed bytes of all frames */
	__u32 index_crc;        /* CRC32 of the index block, 0 without an
				 * index: with size and mtime, tells a
				 * capture rewritten in place (sql cache) */
};

/* kt_reader_info - summary from the header, index and metadata only. */
void kt_reader_info(const struct kt_reader *r, struct kt_info *info);

/* kt_reader_damage - 0 when every block of @r was read, or the negative
 * errno (-EBADMSG) of the damaged or incomplete block that ended a
 * KT_READ_PARTIAL scan, with @err (may be NULL) holding its offset and
 * reason. */
int kt_reader_damage(const struct kt_reader *r, struct kt_err *err);

struct kt_read_stats {
	__u64 frames_decoded;   /* frames whose columns were decompressed */
	__u64 bytes_read;       /* bytes read from the file so far */
	__u64 frames_skimmed;   /* frames of which only the proc columns were
				 * read, to bring the task table forward */
	__u64 columns_decoded;  /* columns decompressed, all frames */
};
void kt_reader_stats(const struct kt_reader *r, struct kt_read_stats *st);

/* -------------------------------------------------------------- sources */

/*
 * An event source: what analyzers consume.  The file reader is one; an
 * in-memory array is another, so tests feed hand-built streams through the
 * same interface.  Sources keep a task table up to date with the events
 * they return.
 */
struct kt_source {
	/* 1 with *ev set, 0 at end, negative errno on error (@err filled) */
	int (*next)(struct kt_source *s, const struct kt_event **ev,
		    struct kt_err *err);
	const struct kt_tasks *(*tasks)(struct kt_source *s);
	void (*free)(struct kt_source *s);
};

/* kt_source_reader - wrap @r (not owned: free it after the source). */
struct kt_source *kt_source_reader(struct kt_reader *r);

/*
 * kt_source_mem - iterate @n events of @evs in array order (the caller
 * provides them in time order) with @tasks as the initial task table
 * (copied; may be NULL).  Events whose strs is NULL get @strs.
 * Nothing is copied from @evs: it must outlive the source.
 */
struct kt_source *kt_source_mem(const struct kt_event *evs, size_t n,
				const struct kt_strtab *strs,
				const struct kt_task *tasks, size_t ntasks);

static inline void kt_source_free(struct kt_source *s)
{
	if (s)
		s->free(s);
}

/* ------------------------------------------------------------- recovery */

struct kt_recover_report {
	__u64 frames_kept;
	__u64 events_kept;
	__u64 bytes_kept;
	__u64 bytes_discarded;  /* damaged or incomplete tail */
	__u64 last_ts;          /* newest event kept */
	bool complete;          /* the capture was finalized and intact:
				 * nothing was written */
};

/*
 * kt_recover - rebuild a capture whose end (metadata, index, trailer) is
 * missing or damaged: keep every intact block up to the first damaged one
 * and write end metadata (with a "recovered" object: frames, events,
 * bytes_discarded), index and trailer.  Writes to @out (a temporary file
 * in its directory renamed over it: a link at @out is replaced, not
 * followed), or in place when @out is NULL.  A capture that is finalized
 * with every block intact is left alone, @out not written: @rep->complete.
 * Returns 0; -ENODATA when no frame is intact (nothing is written); or
 * another negative errno; @err filled.
 */
int kt_recover(const char *in, const char *out,
	       struct kt_recover_report *rep, struct kt_err *err);

/* ----------------------------------------------------------- wall clock */

/* A clock anchor: the capture clock and the wall clock read together. */
struct kt_anchor {
	__u64 mono_ns;          /* capture clock (CLOCK_MONOTONIC) */
	__s64 real_ns;          /* CLOCK_REALTIME, ns since the epoch */
	__u64 boot_ns;          /* CLOCK_BOOTTIME, 0 when unknown */
};

/*
 * The anchors of a capture, sorted by mono_ns, from its metadata's
 * clock.anchors.  The writer puts there the anchors of the stream's
 * KT_CLOCK_SYNC events (one a second), keeping those that interpolation
 * needs, so readers have them all without reading the frames
 * (docs/format.md "Clock anchors").  A capture whose end is missing has
 * only its start anchor until `ktrail recover` adds the stream's.
 */
struct kt_anchors {
	struct kt_anchor *a;    /* owned */
	size_t n;
};

/*
 * kt_anchors_init - the anchors of @meta (malformed entries skipped).
 * Returns 0; -ENOENT when there are none (captures of an older layout,
 * hand-made metadata), @an then empty; or -ENOMEM.  Release with
 * kt_anchors_release() in every case.
 */
int kt_anchors_init(struct kt_anchors *an, const json_t *meta);
void kt_anchors_release(struct kt_anchors *an);

/*
 * kt_anchors_to_wall - the wall-clock time of capture-clock instant
 * @mono_ns: interpolated linearly between the two anchors around it, so
 * it is continuous and never decreases while the system clock was not
 * stepped back; before the first anchor and after the last, that
 * anchor's offset (the clocks run at the same rate).  Returns 0, -ENOENT
 * without anchors, -ERANGE when the result does not fit.
 */
int kt_anchors_to_wall(const struct kt_anchors *an, __u64 mono_ns,
		       __s64 *wall_ns);

/*
 * kt_anchors_to_mono - the inverse: the first capture-clock instant whose
 * wall-clock time is at or after @wall_ns (where the system clock was
 * stepped back and a wall time came twice, its first occurrence).
 * Returns 0, -ENOENT without anchors, -ERANGE before capture-clock 0.
 */
int kt_anchors_to_mono(const struct kt_anchors *an, __s64 wall_ns,
		       __u64 *mono_ns);

/* kt_wall_fmt - @wall_ns as ISO-8601 UTC with nanoseconds
 * ("2026-11-23T10:15:00.123456789Z") in @buf; returns the length, or 0
 * (and "") when @n is too small or the year is out of range. */
size_t kt_wall_fmt(char *buf, size_t n, __s64 wall_ns);

/* kt_reader_anchors - the anchors of @r's metadata (empty when it has
 * none).  Owned by the reader. */
const struct kt_anchors *kt_reader_anchors(const struct kt_reader *r);

/* -------------------------------------------------------------- host id */

/* The name of a capture's host: metadata host.id (`record --host-id`),
 * 1 to KT_HOST_ID_MAX characters of [A-Za-z0-9._-]. */
#define KT_HOST_ID_MAX 63

/* kt_host_id_valid - whether @id may be a host id. */
bool kt_host_id_valid(const char *id);

/* kt_host_id_default - the host id of a host that was given none:
 * @hostname's valid characters (or "host"), '-' and the first 8 hex
 * digits of @boot_id (left out when NULL or empty), "web1-3f2a9c01".
 * Returns 0, or -ENOSPC when @n is too small. */
int kt_host_id_default(char *buf, size_t n, const char *hostname,
		       const char *boot_id);

/* kt_host_id_of - the host id of a capture's metadata @meta: host.id when
 * valid, else kt_host_id_default() of host.hostname and host.boot_id.
 * Returns 0, or -ENOSPC when @n is too small. */
int kt_host_id_of(const json_t *meta, char *buf, size_t n);

/* ----------------------------------------------------------------- time */

/*
 * kt_time_parse - parse a time argument against a capture: "+1.5s" or
 * "+200ms" from the first event, "12.25" seconds or "12345ns" on the
 * capture clock, or ISO-8601 wall clock ("2026-11-23T10:15:00.5Z", local
 * time without a zone) converted with kt_anchors_to_mono() through the
 * clock anchors in @meta.  Returns 0 and the capture-clock ns in @ts;
 * -EINVAL for a malformed or out-of-range time; -ENOENT for a wall-clock
 * time when @meta has no clock anchors; -ENOMEM.
 */
int kt_time_parse(const char *s, const json_t *meta, __u64 first_ts,
		  __u64 *ts);

/* kt_duration_parse - "100ms", "2s", "1.5m", "500us", "42ns", bare number
 * = seconds.  Returns 0 or -EINVAL. */
int kt_duration_parse(const char *s, __u64 *ns);

/*
 * kt_out_special - whether @path, followed through symbolic links, is an
 * existing file that is not a regular file: a device, a FIFO, a socket
 * (/dev/null, /dev/stdout).  Outputs write into such a file as it is,
 * never a temporary file renamed over it (which would replace
 * /dev/null with a regular file).  1 yes, 0 no (nothing there, or a
 * regular file), -EISDIR for a directory.
 */
int kt_out_special(const char *path);

/* kt_out_open_special - open @path, a kt_out_special file, for writing
 * (a FIFO blocks until a reader comes).  The fd or a negative errno. */
int kt_out_open_special(const char *path);

/* kt_write_all - write(2) all @n bytes of @p to @fd (EINTR retried).
 * Returns 0 or a negative errno (-EIO when nothing could be written). */
int kt_write_all(int fd, const void *p, size_t n);

/* kt_tmp_open - create a temporary file beside @path (".NAME.XXXXXX" in
 * its directory, mode 0600), its name in @tmp (size @n): an output
 * written whole there and renamed over @path, so that @path is never
 * half-written and a symbolic link at @path is replaced, not followed.
 * When @path is a device or a FIFO (kt_out_special): @path itself,
 * opened for writing, and @tmp "" (nothing to rename).  Returns the fd,
 * or a negative errno. */
int kt_tmp_open(const char *path, char *tmp, size_t n);

/* kt_fsync - fsync(2) @fd; a file that cannot be synced (EINVAL: a
 * pipe, a device) is not an error.  Returns 0 or a negative errno. */
int kt_fsync(int fd);

/* kt_size_parse - a size in bytes: "65536", "64K", "16M", "1G", with an
 * optional "B" or "iB" (binary units either way), 1 .. 2^50.  Returns 0
 * or -EINVAL. */
int kt_size_parse(const char *s, __u64 *bytes);

/* kt_id_parse - a pid or tid as the filters take it (--pid, --tid):
 * decimal digits only, 1..4294967295.  Returns 0 or -EINVAL. */
int kt_id_parse(const char *s, __u32 *v);

#endif /* KT_FORMAT_H */
