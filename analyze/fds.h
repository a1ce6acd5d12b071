/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fds.h - what a file descriptor names: the one fd resolver of the
 * analyses (replay, timeline, why, stats; the renderer and exporters).
 *
 * A syscall record carries an fd number; what the number names was said
 * by an earlier record of the same process: the openat that returned it
 * (its path), socket/accept/connect/bind (the family, the addresses),
 * pipe/socketpair (the pipe's inode), dup/dup2/dup3/fcntl(F_DUPFD) (a
 * copy), or by the /proc snapshot of the fds open when recording started
 * (metadata proc.fds).  The resolver keeps one fd table per process
 * (thread group: threads share it; a fork copies it, a clone with
 * CLONE_FILES shares it, an exec closes the O_CLOEXEC fds, close,
 * close_range and dup2 onto an open fd end an entry), fed with the
 * capture's syscall, proc, tcp and lost records in time order from the
 * capture's start, and answers "what did fd N of process P name at time
 * T" for a T shortly behind the stream (each fd keeps its last
 * KT_FDS_HIST closed entries).
 *
 * Never a guess: an fd whose creation the capture does not show (opened
 * before recording without a snapshot, received over a unix socket,
 * created by a syscall the recorder did not decode) is unknown, and a
 * syscall that blocked or woke names its fd's object by its file id
 * (event.h KT_FILE_ID) anyway; when that id contradicts the table, the
 * table's entry is dropped.  Entries the capture cannot vouch for are
 * dropped too: at a lost syscall record (a close may be among them), at
 * an exec that may have closed an fd whose O_CLOEXEC is not known.  A
 * capture recorded with --syscalls that leaves out close, dup2, dup3 or
 * close_range gets no table at all.
 *
 * Memory: the live processes' open fds plus KT_FDS_HIST closed entries
 * per fd number ever used, a strings' worth each (paths are shared
 * between a table and its forks), plus one entry per TCP socket whose
 * close is not yet seen; a process's table goes KT_FDS_LINGER_NS after
 * its exit.  docs/fds.md has the figures.
 */
#ifndef KT_FDS_H
#define KT_FDS_H

#include <stdbool.h>
#include <jansson.h>
#include "format/format.h"

#define KT_FDS_HIST 4                   /* closed entries kept per fd */
#define KT_FDS_LINGER_NS 1000000000ULL  /* a dead process's table */

enum kt_fd_kind {
	KT_FDK_UNKNOWN = 0,     /* open, object unknown (file_id may say) */
	KT_FDK_FILE,            /* opened by path: file, dir, device, fifo */
	KT_FDK_PIPE,            /* pipe(2) */
	KT_FDK_SOCKET,
	KT_FDK_ANON,            /* anon_inode:[eventfd], /memfd:x, ... */
};

enum kt_fd_origin {
	KT_FDO_SYSCALL = 1,     /* the syscall that created it is recorded */
	KT_FDO_SNAPSHOT = 2,    /* open when recording started (proc.fds) */
	KT_FDO_FILE_ID = 3,     /* only seen used: a syscall's file id */
};

#define KT_FD_CLOEXEC 0x1       /* closed by an exec */
#define KT_FD_CLOEXEC_UNKNOWN 0x2
#define KT_FD_LOCAL 0x4         /* laddr/lport: the socket's own address */
#define KT_FD_REMOTE 0x8        /* raddr/rport: its peer's */

/* What an fd named while it was open. */
struct kt_fd {
	__u8 kind;              /* enum kt_fd_kind */
	__u8 origin;            /* enum kt_fd_origin */
	__u16 family;           /* sockets: AF_*, 0 unknown */
	__u16 sotype;           /* sockets: SOCK_STREAM, ..., 0 unknown */
	__u16 lport, rport;     /* host order */
	__u32 flags;            /* KT_FD_* */
	__u32 oflags;           /* files: the open flags (O_*) */
	__u64 file_id;          /* KT_FILE_ID, 0 unknown */
	__u64 start;            /* created (the end of its syscall, or the
				 * snapshot's time); 0: before the capture */
	__u64 end;              /* closed; 0: open */
	__u64 laddr[2], raddr[2]; /* as struct kt_tcp's addresses */
	__u64 ver;              /* changes whenever what it says changes
				 * (a key for caching its words) */
	const char *name;       /* files: the path (absolute when the
				 * process's directory was known), anon:
				 * "anon_inode:[eventfd]", unix sockets: the
				 * bound or connected path; "" when none */
};

/* kt_fd_fmt - @fd as strace -y prints it: "/etc/passwd", "pipe:[4711]",
 * "TCP:[10.0.0.1:40000->10.0.0.2:80]", "UNIX:[/run/x.sock]",
 * "anon_inode:[eventfd]", "socket:[99]" (the file id of an unknown
 * one), "?" with nothing known.  snprintf-like, returns the length. */
size_t kt_fd_fmt(char *buf, size_t sz, const struct kt_fd *fd);

/* Which syscall arguments and results are fds (the one rule for every
 * printer): @fd_args as kt_fdnames_fd_args() says of the capture. */

/* kt_fds_arg_fd - whether syscall @nr's arg0 is an fd (read, close,
 * connect, accept, ...; with @fd_args dup*, fcntl, fchdir too). */
bool kt_fds_arg_fd(unsigned nr, bool fd_args);

/* kt_fds_ret_fd - whether a syscall @nr that returned @ret >= 0 made a
 * new fd of it (open, socket, accept, dup*, an anonymous inode; fcntl
 * F_DUPFD with @fd_args). */
bool kt_fds_ret_fd(unsigned nr, const __u64 arg[3], __s64 ret,
		   bool fd_args);

/* kt_fds_pair - pipe, pipe2, socketpair (with @fd_args, returning 0):
 * OUT @fd the two fds made; false for anything else. */
bool kt_fds_pair(unsigned nr, const __u64 arg[3], __s64 ret, bool fd_args,
		 __s32 fd[2]);

/* ------------------------------------------------------------ resolver */

struct kt_fds_opts {
	bool fd_args;           /* records carry the fd-table arguments of
				 * format 1.2 (pipe and socketpair fds, dup,
				 * fcntl, socket, ...): metadata
				 * record.fd_args */
	bool no_table;          /* closes are not all recorded (--syscalls):
				 * learn nothing, answer nothing */
	bool no_proc;           /* no proc records: forks are copied at the
				 * parent's clone/fork record instead */
};

/* kt_fds_opts_meta - the options a capture's metadata and kinds (@info)
 * call for. */
void kt_fds_opts_meta(struct kt_fds_opts *o, const json_t *meta,
		      const struct kt_info *info);

struct kt_fds;

/* kt_fds_new - an empty resolver.  NULL with errno ENOMEM. */
struct kt_fds *kt_fds_new(const struct kt_fds_opts *o);
void kt_fds_free(struct kt_fds *f);

/*
 * kt_fds_snapshot - take the fds open at start from @meta (proc.fds),
 * each process's applied when the stream passes its time; ignored when
 * the capture lost its beginning (a flight dump that dropped frames).
 * OUT @done: the time of the last one (0 none): answers for an earlier
 * time may change once the stream passes it.  Returns 0 (also without
 * a snapshot), -EINVAL for a malformed one, -ENOMEM.
 */
int kt_fds_snapshot(struct kt_fds *f, const json_t *meta, __u64 *done);

/* kt_fds_kinds - the kinds the resolver reads (a reader filter). */
__u64 kt_fds_kinds(void);

/* kt_fds_feed - apply @ev (events in time order; other kinds are
 * ignored).  Returns 0 or -ENOMEM. */
int kt_fds_feed(struct kt_fds *f, const struct kt_event *ev);

/* kt_fds_advance - apply what is due up to @ts without an event (the
 * snapshot, dead processes).  Returns 0 or -ENOMEM. */
int kt_fds_advance(struct kt_fds *f, __u64 ts);

/*
 * kt_fds_lookup - what fd @fd of process @pid named at @ts (at or
 * behind the events fed): OUT @out, whose name stays valid until the
 * next feed, advance or free.  Returns 0, or -ENOENT when not known.
 */
int kt_fds_lookup(const struct kt_fds *f, __u32 pid, __s32 fd, __u64 ts,
		  struct kt_fd *out);

struct kt_fds_stats {
	__u64 events;           /* records fed */
	__u64 procs, peak_procs;        /* tables of processes */
	__u64 binds, peak_binds;        /* entries, open and closed */
	__u64 bytes, peak_bytes;        /* memory held, about */
	__u64 dropped;          /* entries dropped as unsure (lost records,
				 * exec, a contradicting file id) */
	__u64 stale;            /* entries still open where the kernel gave
				 * the number to a new fd: a close the
				 * capture does not show */
};
void kt_fds_stats(const struct kt_fds *f, struct kt_fds_stats *st);

/* -------------------------------------------------------- fd names */

/*
 * Names for printers, in two ways over the same resolver:
 *  - follow (replay, streams): the names read ahead on a reader of their
 *    own, up to each question's time; questions come roughly in time
 *    order (a syscall's start may be up to its duration behind).
 *  - batch (why, timeline, anything that holds its answers in memory):
 *    ask every question first, then one pass over the capture answers
 *    them all.
 */
struct kt_fdnames;

/* kt_fdnames_follow - names that follow @r's capture on a reader of
 * their own (kt_reader_reopen: free them before @r).  Returns 0, or a
 * negative errno with @err filled. */
int kt_fdnames_follow(struct kt_fdnames **out, const struct kt_reader *r,
		      struct kt_err *err);

/*
 * kt_fdnames_limit - names for a seek far into a large capture at the
 * cost of the seek: read at most @max_bytes of frames (the commands
 * give KT_FDS_HISTORY_BYTES) before
 * the first time asked about (follow mode: @from, call it before the
 * first question; batch mode: the earliest question, when answered)
 * instead of the whole capture before it.  An fd made before that
 * horizon (and every fd of the snapshot) is then unknown, as in a
 * capture that lost its beginning: kt_fdnames_since says from when the
 * names know.  A no-op when everything before fits, in inline mode and
 * for @from 0 (follow) or @max_bytes 0.  Returns 0 or the reader's error
 * with @err filled.
 */
#define KT_FDS_HISTORY_BYTES (64ULL << 20)
int kt_fdnames_limit(struct kt_fdnames *n, __u64 from, __u64 max_bytes,
		     struct kt_err *err);

/* kt_fdnames_since - where the names started reading: 0 the capture's
 * start, else the horizon kt_fdnames_limit chose. */
__u64 kt_fdnames_since(const struct kt_fdnames *n);

/* kt_fdnames_inline - follow mode, where the caller reads the whole
 * capture from its start in time order anyway (no filter, no seek): it
 * gives every event to kt_fdnames_see, and the names stop reading on
 * their own once past the snapshot, instead of decoding the syscall
 * records a second time.  The answers are the same. */
void kt_fdnames_inline(struct kt_fdnames *n);

/* kt_fdnames_see - inline mode: @ev, the caller's next event (any kind);
 * call it before asking about @ev.  Returns 0 or -ENOMEM (the names then
 * stop); a no-op in the other modes. */
int kt_fdnames_see(struct kt_fdnames *n, const struct kt_event *ev);

/* kt_fdnames_batch - an empty set of questions.  NULL with errno
 * ENOMEM. */
struct kt_fdnames *kt_fdnames_batch(void);

/* kt_fdnames_ask - batch: what fd @fd of @pid named at @ts (fds < 0 are
 * ignored).  Returns 0 or -ENOMEM. */
int kt_fdnames_ask(struct kt_fdnames *n, __u32 pid, __s32 fd, __u64 ts);

/* kt_fdnames_answer - batch: answer every question in one pass over the
 * syscall, proc, tcp and lost records of @r's capture from its start to
 * the last question, on a reader of its own (@r is not disturbed).
 * Returns 0, -ENOMEM, or the reader's error with @err filled. */
int kt_fdnames_answer(struct kt_fdnames *n, const struct kt_reader *r,
		      struct kt_err *err);

/* An answer found by one resolver, given to another (kt_fdnames_preset):
 * what.name is not owned. */
struct kt_fdanswer {
	__u32 pid;
	__s32 fd;
	__u64 ts;
	struct kt_fd what;
};

/*
 * kt_fdnames_preset - batch: forget the questions and answers held and
 * take @na answers found elsewhere instead (what: as kt_fdnames_get gave
 * it on another set of names; the questions asked there and not answered
 * are left out), with @fd_args as that capture says (kt_fdnames_fd_args).
 * Their names must stay valid while @n is used.  For printers that find
 * names in one pass and print later.  Returns 0 or -ENOMEM.
 */
int kt_fdnames_preset(struct kt_fdnames *n, bool fd_args,
		      const struct kt_fdanswer *a, size_t na);

/* kt_fdnames_get - what fd @fd of @pid named at @ts: follow mode reads
 * ahead to @ts; batch mode gives an answer found by kt_fdnames_answer
 * (-ENOENT for a question not asked).  The name stays valid until the
 * next call (follow) or kt_fdnames_free (batch).  Returns 0, -ENOENT
 * when not known, or (follow) a reader's error: names then stop. */
int kt_fdnames_get(struct kt_fdnames *n, __u32 pid, __s32 fd, __u64 ts,
		   struct kt_fd *out);

/* kt_fdnames_words - what fd @fd of @pid named at @ts in words
 * (kt_fd_fmt), the file id @fid's (kt_fmt_file_id) when the resolver
 * does not know the fd, "" when neither; its length in @len.  Valid
 * until the next call.  The words of the fds asked last are kept, so
 * that a stream of calls on one fd formats it once.  @n may be NULL. */
const char *kt_fdnames_words(struct kt_fdnames *n, __u32 pid, __s32 fd,
			     __u64 ts, __u64 fid, size_t *len);

/* kt_fdnames_fd_args - whether the capture's records carry the format
 * 1.2 fd-table arguments (so that a dup's 0 is an fd, not a blank). */
bool kt_fdnames_fd_args(const struct kt_fdnames *n);

/* kt_fdnames_fds - the resolver, for its figures (NULL: none yet). */
const struct kt_fds *kt_fdnames_fds(const struct kt_fdnames *n);

void kt_fdnames_free(struct kt_fdnames *n);

#endif /* KT_FDS_H */
