/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * graph_int.h - inside the causal graph builder: the builder's state and
 * what its parts share.  graph.c holds the nodes, edges, the wakeup
 * evidence and the driving; graph_io.c the reads and writes on pipes and
 * sockets (messages); graph_proc.c processes, signals and TCP sockets.
 */
#ifndef KT_GRAPH_INT_H
#define KT_GRAPH_INT_H

#include "analyze/graph.h"
#include "analyze/map.h"

struct kt_graph {
	struct kt_graph_opts o;
	struct kt_tl *tl;
	struct kt_gnode *nodes;
	__u32 *deg;             /* edges touching each node */
	size_t nn, ncap;
	__u32 *nfree;
	size_t nnfree, nfreecap;
	struct kt_gedge *edges;
	size_t ne, ecap;
	__u32 *efree;
	size_t nefree, efreecap;
	struct kt_map nidx, eidx;
	struct kt_map joins;    /* key -> struct gjoin * (graph.c) */
	struct kt_map flows;    /* tuple key -> flow node id + 1 */
	struct kt_map socks;    /* tcp socket cookie -> struct gsock */
	struct kt_map ooms;     /* victim pid -> time of its oom_victim */
	struct kt_map fds;      /* (pid << 32 | fd) -> struct gfd */
	struct kt_map streams;  /* file id -> struct gstream * */
	__u64 io_next_flush;    /* when graph_io.c matches what is due */
	__u64 io_held;          /* reads and writes held now */
	const struct kt_tasks *tasks;
	__u64 last_expire;
	int err;
	struct kt_graph_stats st;
};

/* graph.c */
bool kt_g_in_range(const struct kt_graph *g, __u64 t);
/* in range, and not older than what kt_graph_expire already dropped (for
 * evidence that comes late) */
bool kt_g_current(const struct kt_graph *g, __u64 t);
/* Find or create a node; KT_G_NONE after an error (g->err set). */
__u32 kt_g_node(struct kt_graph *g, unsigned kind, __u64 a, __u64 b,
		__u64 ts);
__u32 kt_g_thread(struct kt_graph *g, __u32 utid, __u32 tid, __u32 pid,
		  __u64 ts);
__u32 kt_g_process(struct kt_graph *g, __u32 pid, __u64 ts);
/* Add evidence to the edge (kind, src, dst, via), created if new; the
 * edge, or NULL when an end is KT_G_NONE or after an error. */
struct kt_gedge *kt_g_edge(struct kt_graph *g, unsigned kind, __u32 src,
			   __u32 dst, __u32 via, __u64 ts, __u64 lat,
			   __s64 value, __u16 conf, const char *reason);

/* graph_io.c */
/* what syscall @nr does on the fd of its first argument */
enum { KT_G_IO_NONE, KT_G_IO_READ, KT_G_IO_WRITE };
int kt_g_io_dir(__u32 nr);
void kt_g_io_init(struct kt_graph *g);
void kt_g_io_release(struct kt_graph *g);
/* a syscall span: learn its fd's object, hold its read or write */
void kt_g_io_sys(struct kt_graph *g, const struct kt_tl_span *sp);
/* a wakeup from task context whose waker's syscall @ws and waiter's
 * syscall @rs are known (nodes @waker, @wakee; the wait @wait ns) */
void kt_g_io_woke(struct kt_graph *g, __u32 waker, __u32 wakee,
		  const struct kt_tl_sys *ws, const struct kt_tl_sys *rs,
		  __u64 ts, __u64 wait);
/* exec and exit: the fds of the process are no longer known */
void kt_g_io_raw(struct kt_graph *g, const struct kt_event *ev);
/* match the reads that ended before @horizon with the writes they
 * returned bytes of; forget what can no longer be told */
void kt_g_io_flush(struct kt_graph *g, __u64 horizon);

/* graph_proc.c */
void kt_g_proc_init(struct kt_graph *g);
void kt_g_proc_release(struct kt_graph *g);
/* before the timeline sees @ev: a TCP socket's owner and reset */
void kt_g_proc_pre(struct kt_graph *g, const struct kt_event *ev);
/* after: fork, exec, OOM */
void kt_g_proc_raw(struct kt_graph *g, const struct kt_event *ev);
void kt_g_proc_tcp(struct kt_graph *g, const struct kt_tl_span *sp);
void kt_g_proc_signal(struct kt_graph *g, const struct kt_tl_span *sp);
void kt_g_proc_exit(struct kt_graph *g, const struct kt_tl_span *sp);
/* forget OOM victims marked before @before */
void kt_g_proc_expire(struct kt_graph *g, __u64 before);

#endif /* KT_GRAPH_INT_H */
