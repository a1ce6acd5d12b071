/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * merge.h - captures of several hosts joined into one (`ktrail merge`,
 * docs/merge.md): a host per source, each source's clock moved onto the
 * first one's, its identities (tids, pids, cpus, file ids) moved apart
 * from the others', and the TCP connections whose two ends were recorded
 * on two hosts paired by their 4-tuples (metadata merge.peers), so that
 * the causal graph and `why` cross machines.
 *
 * The merged file is a normal capture written through format/'s writer:
 * every command reads it.  Its metadata is the first source's (the
 * reference) plus merge.hosts, one object per source.
 */
#ifndef KT_MERGE_H
#define KT_MERGE_H

#include <stdbool.h>
#include <jansson.h>
#include "format/format.h"

#define KT_MERGE_TID_BITS KT_HOST_TID_BITS /* Linux pids are below 2^22
					   * (pid_max) */
#define KT_MERGE_MAX_HOSTS (1u << (32 - KT_MERGE_TID_BITS))
#define KT_MERGE_FILE_SHIFT 50  /* a host's file ids: ino | index << 50 */
#define KT_MERGE_WARN_NS 1000000ULL     /* uncertainty worth a warning */
#define KT_MERGE_ANCHOR_NS 1000ULL      /* an anchor's own uncertainty: the
					 * writer keeps anchors to within
					 * 1 us of interpolation
					 * (docs/format.md "Clock anchors") */

/* What the merge does to one source (metadata merge.hosts[i]). */
struct kt_merge_host {
	char id[KT_HOST_ID_MAX + 1];
	const char *hostname;   /* from the source's metadata ("" none) */
	const char *boot_id;
	const char *source;     /* the file name given */
	__u32 tid_base;         /* tid' = tid_base | tid (0 stays 0) */
	__u32 cpu_base;         /* cpu' = cpu_base + cpu */
	__u32 cpus;
	__u64 file_base;        /* ino' = ino | file_base: 0 for the sources
				 * of the reference's boot (one kernel, one
				 * inode space) */
	__s64 offset_ns;        /* added to every capture-clock time */
	__u64 uncertainty_ns;
	bool same_boot;         /* shares the reference's monotonic clock */
	bool mark_scope;        /* a host-wide source in a merge of scoped
				 * ones: its tasks are all in scope */
	__u64 events;           /* written */
	__u64 clock_sync_dropped;
	__u64 file_ids_filled;  /* reads and writes on TCP sockets whose
				 * file id the merge filled in */
	__u64 lost;             /* its lost.total */
};

/*
 * kt_merge_clock - the offset that moves capture-clock times of a
 * source with anchors @src onto the reference's (anchors @ref), through
 * the wall clock: for each anchor of either side, the difference of the
 * two captures' (wall - mono) at that anchor's wall time (the other
 * side interpolated as kt_anchors_to_mono does); OUT @off the middle of
 * the smallest and largest, @unc half their spread plus
 * KT_MERGE_ANCHOR_NS for each side.  Returns 0, -ENOENT when a side has
 * no anchor, -ERANGE when the offset does not fit.
 */
int kt_merge_clock(const struct kt_anchors *ref, const struct kt_anchors *src,
		   __s64 *off, __u64 *unc);

/*
 * kt_merge_plan - check the sources and fill @h[i] for each: host ids
 * (@ids[i] when @ids and it are not NULL, else metadata host.id, or
 * hostname plus boot id), bases, clock offsets.
 * @r[0] is the reference.  Refuses (-EINVAL, @err's message the reason,
 * OUT @bad the index of the source) a source without clock anchors, two
 * sources with the same host id, more than KT_MERGE_MAX_HOSTS sources.
 * Returns 0, or a negative errno (-ERANGE: a clock offset does not
 * fit).  The strings of @h point into the readers' metadata.
 */
int kt_merge_plan(struct kt_merge_host *h, struct kt_reader *const *r,
		  const char *const *names, const char *const *ids,
		  size_t n, size_t *bad,
		  struct kt_err *err);

/*
 * kt_merge_event - rewrite @ev (a copy of one of source @h's events) in
 * the merged capture's terms: every tid and pid field (the table in
 * merge.c), every cpu, file id and capture-clock time.  String handles
 * are left alone.  Returns 0; 1 when the event is not kept (a
 * non-reference source's KT_CLOCK_SYNC: the merged file's anchors are
 * the reference's); -ERANGE when a tid does not fit in
 * KT_MERGE_TID_BITS or a time leaves the clock's range.
 */
int kt_merge_event(struct kt_event *ev, const struct kt_merge_host *h);

/* kt_merge_tid - a tid or pid of source @h in the merged capture (0
 * stays 0: the idle task). */
static inline __u32 kt_merge_tid(const struct kt_merge_host *h, __u32 tid)
{
	return tid ? h->tid_base | tid : 0;
}

/* kt_merge_task - rewrite a task of @h's task table as kt_merge_event
 * rewrites events; utid is cleared (the writer assigns them); a start
 * before the reference's clock 0 becomes 0 ("before the recording").
 * Returns 0 or -ERANGE (a tid past KT_MERGE_TID_BITS). */
int kt_merge_task(struct kt_task *t, const struct kt_merge_host *h);

/*
 * kt_merge_meta - the merged capture's metadata: the reference's (@m[0])
 * with host.cpus the sum, lost counts summed (lost.per_cpu laid end to
 * end at the cpu bases), the fd snapshots of every source (proc.fds,
 * pids and file ids rewritten), the record keys that all sources must
 * share for the analyses to read them (fd_args, more_args, kthreads,
 * scope_marks) kept only where all have them, and merge.hosts.  NULL
 * with errno ENOMEM.
 */
json_t *kt_merge_meta(const json_t *const *m, const struct kt_merge_host *h,
		      size_t n);

/* The 4-tuple of a TCP socket as one host saw it (addresses as struct
 * kt_tcp's, ports in host order). */
struct kt_merge_tuple {
	__u64 laddr[2], raddr[2];
	__u16 lport, rport;
	__u16 family;
	__u32 host;             /* source index */
	__u64 file_id;          /* KT_FILE_ID of the socket, merged terms */
};

/*
 * kt_merge_peers - pair the sockets of @t (@n tuples, any order) whose
 * tuples mirror each other on two different hosts: a's local is b's
 * remote and the reverse.  A tuple that mirrors more than one socket of
 * another host (a port reused) pairs with none.  Appends each pair to
 * @out, a JSON array, as [ino_a, ino_b] (socket inode numbers).  Returns
 * the number of pairs, or -ENOMEM.
 */
int kt_merge_peers(struct kt_merge_tuple *t, size_t n, json_t *out);

struct kt_merge_stats {
	__u64 events;           /* written */
	__u64 sockets;          /* TCP sockets whose 4-tuple was known */
	__u64 peers;            /* pairs across hosts (merge.peers) */
};

/*
 * kt_merge_write - write the merged capture of @n sources (@r, planned
 * by kt_merge_plan into @h) to @out: the tasks of every source's
 * snapshot, then every event in time order through the writer, with
 * merge.peers added to the end metadata.  A read or write on a TCP socket
 * whose record has no file id (the recorder fills it only when the call
 * blocked or woke a task) gets the one its fd names in the capture (a
 * fd resolver per source, analyze/fds.h), so that the send a receive on
 * another host waited for is found.  Updates @h[i].events and
 * clock_sync_dropped.  Returns 0 or a negative errno with @err filled
 * (KT_ERR_OUTPUT for the file written).
 */
int kt_merge_write(const char *out, struct kt_reader *const *r,
		   struct kt_merge_host *h, size_t n,
		   struct kt_merge_stats *st, struct kt_err *err);

/*
 * kt_merge_hosts - merge.hosts of @meta: the number of hosts (0: not a
 * merged capture); fills @id/@tid_base of at most @max of them.
 */
size_t kt_merge_hosts(const json_t *meta, const char **id, __u32 *tid_base,
		      size_t max);

#endif /* KT_MERGE_H */
