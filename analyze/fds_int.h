/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fds_int.h - inside the fd resolver (fds.h): tables, entries, strings;
 * shared by fds.c (tables), fds_sys.c (what each syscall does to them)
 * and fds_names.c (printing, follow and batch).
 */
#ifndef KT_FDS_INT_H
#define KT_FDS_INT_H

#include "analyze/fds.h"
#include "analyze/map.h"

/* An immutable string shared by entries (a fork copies a table). */
struct kt_fdstr {
	unsigned ref;
	unsigned len;
	char s[];
};

/* One entry: what an fd named from its creation to its close. */
struct kt_fdb {
	struct kt_fd fd;        /* fd.name points into str, or "" */
	struct kt_fdstr *str;   /* owned reference, may be NULL */
};

/* An fd number of a table: its open entry and the last closed ones. */
struct kt_fdslot {
	struct kt_fdb *cur;     /* open, or NULL */
	struct kt_fdb *old[KT_FDS_HIST]; /* closed, newest first */
	__u8 nold;
};

/* An fd table; processes sharing one (CLONE_FILES) hold a reference. */
struct kt_fdt {
	unsigned ref;
	struct kt_map fds;      /* fd -> struct kt_fdslot */
};

struct kt_fdproc {
	struct kt_fdt *t;       /* owned reference */
	struct kt_fdstr *cwd;   /* working directory, NULL unknown */
	__u64 born;             /* the fork that made it; 0 before it */
	__u64 dead;             /* its exit, 0 alive */
	bool execd;             /* exec'd since its fork */
};

struct kt_fdsnap {              /* one process of proc.fds */
	__u32 pid;
	__u64 ns;
	const json_t *o;        /* {"cwd", "fds"}, in f->snap_meta */
};

struct kt_fds {
	struct kt_fds_opts o;
	struct kt_map procs;    /* pid -> struct kt_fdproc */
	struct kt_map tcp;      /* kt_fds_tcp_key -> struct kt_fdtcp */
	__u64 pos;              /* newest time applied */
	__u64 ver;              /* the last kt_fd.ver given */
	/* processes dead, in exit order, freed KT_FDS_LINGER_NS later */
	struct { __u32 pid; __u64 dead; } *dead;
	size_t ndead, dead_head, dead_cap;
	/* the snapshot, sorted by time */
	json_t *snap_meta;      /* a reference to proc.fds */
	struct kt_fdsnap *snap;
	size_t nsnap, snap_next;
	struct kt_fds_stats st;
};

/* A TCP socket seen in a state event, by its owner and its peer. */
struct kt_fdtcp {
	__u64 laddr[2];
	__u16 lport;
	__u16 family;
	__u64 ts;
};

/* ------------------------------------------------------------ fds.c */

/* kt_fds_changed - @b says something new (its words change). */
static inline void kt_fds_changed(struct kt_fds *f, struct kt_fdb *b)
{
	b->fd.ver = ++f->ver;
}

struct kt_fdstr *kt_fdstr_new(struct kt_fds *f, const char *s, size_t n);
void kt_fdstr_put(struct kt_fds *f, struct kt_fdstr *s);

/* kt_fds_proc - the process @pid (alive or lingering), or NULL; with
 * @create, a new empty one when absent or dead (NULL on ENOMEM). */
struct kt_fdproc *kt_fds_proc(struct kt_fds *f, __u32 pid, bool create);

/* kt_fds_slot - fd @fd of @p's table; with @create made when absent
 * (NULL on ENOMEM).  Valid until the next slot is created. */
struct kt_fdslot *kt_fds_slot(struct kt_fdproc *p, __s32 fd, bool create);

/* kt_fds_revise - @b, the open entry of fd @fd of @p, says more from @ts
 * (connect, bind): a new entry copying it replaces it, so that a question
 * about an earlier time gets what was known then.  Returns the new entry
 * or NULL on ENOMEM. */
struct kt_fdb *kt_fds_revise(struct kt_fds *f, struct kt_fdproc *p,
			     __s32 fd, __u64 ts, struct kt_fdb *b);

/* kt_fds_open - a new entry for fd @fd of @p from @ts: copies @tmpl
 * (its name from @name, @n bytes, or none), after closing the open one
 * at @ts.  Returns the entry (valid until the slot changes), or NULL on
 * ENOMEM. */
struct kt_fdb *kt_fds_open(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
			   __u64 ts, const struct kt_fd *tmpl,
			   const char *name, size_t n);

/* kt_fds_create - kt_fds_open for a new fd, whose number the kernel
 * gave because it was free: an entry still open there is counted stale. */
struct kt_fdb *kt_fds_create(struct kt_fds *f, struct kt_fdproc *p,
			     __s32 fd, __u64 ts, const struct kt_fd *tmpl,
			     const char *name, size_t n);

/* kt_fds_dup - fd @nfd of @p from @ts names what @ofd names now (none:
 * unknown); @cloexec its O_CLOEXEC.  0 or -ENOMEM. */
int kt_fds_dup(struct kt_fds *f, struct kt_fdproc *p, __s32 ofd, __s32 nfd,
	       __u64 ts, bool cloexec);

/* kt_fds_close - end fd @fd of @p's open entry at @ts, if it was open
 * at @since (a newer one is another thread's). */
void kt_fds_close(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
		  __u64 since, __u64 ts);

/* kt_fds_close_all - end every open entry of @p (@cloexec: those with
 * O_CLOEXEC or unknown) at @ts; counted as dropped when @unsure. */
void kt_fds_close_all(struct kt_fds *f, struct kt_fdproc *p, __u64 ts,
		      bool cloexec, bool unsure);

/* kt_fds_unshare - give @p a table of its own (a copy) when shared. */
int kt_fds_unshare(struct kt_fds *f, struct kt_fdproc *p);

/* kt_fds_fork - process @child starts at @ts with a copy of @parent's
 * table (@share: the same table, CLONE_FILES) and directory.  0 or
 * -ENOMEM. */
int kt_fds_fork(struct kt_fds *f, __u32 parent, __u32 child, __u64 ts,
		bool share);

/* kt_fds_exec - @p exec'd at @ts: its O_CLOEXEC fds close. */
int kt_fds_exec(struct kt_fds *f, struct kt_fdproc *p, __u64 ts);

/* kt_fds_learn - a syscall from @enter to @end said that fd @fd of @p
 * named the object of file id @id: adopt it, or replace an entry it
 * contradicts (from @end: the record itself names its object, and a
 * question about an earlier time gets what was known then).  0 or
 * -ENOMEM. */
int kt_fds_learn(struct kt_fds *f, struct kt_fdproc *p, __s32 fd,
		 __u64 enter, __u64 end, __u64 id);

/* kt_fd_fits - whether an entry of @kind can name the object of file id
 * @id (a pipe's is a FIFO, a socket's a socket, ...). */
bool kt_fd_fits(unsigned kind, __u64 id);

/* kt_fds_join - @path against @base (NULL: none), lexically: "./"
 * dropped, "//" collapsed.  Into @buf; returns the length. */
size_t kt_fds_join(char *buf, size_t sz, const struct kt_fdstr *base,
		   const char *path, size_t n);

/* kt_fds_find - kt_fds_lookup without the copy: the entry's view, valid
 * until the next feed or advance; NULL when not known. */
const struct kt_fd *kt_fds_find(const struct kt_fds *f, __u32 pid, __s32 fd,
				__u64 ts);

/* -------------------------------------------------------- fds_snap.c */

/* kt_fds_snap_apply - process @sn's fds of the snapshot, at its time.
 * 0 or -ENOMEM. */
int kt_fds_snap_apply(struct kt_fds *f, const struct kt_fdsnap *sn);

/* --------------------------------------------------------- fds_sys.c */

/* kt_fds_syscall - what a completed syscall record does to the tables.
 * 0 or -ENOMEM. */
int kt_fds_syscall(struct kt_fds *f, const struct kt_event *ev);

/* kt_fds_tcp - remember a TCP state change's socket by its owner and
 * peer.  0 or -ENOMEM. */
int kt_fds_tcp(struct kt_fds *f, const struct kt_event *ev);

#endif /* KT_FDS_INT_H */
