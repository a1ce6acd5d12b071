/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * graph.h - the causal graph of a time window: who woke, forked, signaled,
 * fed or killed whom, and through which resources.
 *
 * Nodes are threads, processes and resources: files, pipes and sockets
 * (by file id), TCP connections (one node per socket, with its 4-tuple and
 * network namespace; mirrored tuples are joined by a peer edge), block
 * devices, futex words, the timer, network and other-interrupt sources
 * of wakeups, and the kernel (the sender of the signals it sends itself).
 * Edges aggregate evidence: kind, first and last time, count, bytes,
 * total latency, and a confidence in permille with its reason (exact
 * kernel evidence is 1000; anything matched by time proximity is less and
 * says why).  An interrupt-context wakeup is an edge from its device,
 * never from the task it interrupted.
 *
 * Messages are matched from the syscall records, not from wakeups (a
 * reader that frees buffer space wakes the writer too): the bytes a read
 * returned are the oldest unread bytes written into the same pipe, or
 * into the peer socket (graph_io.c).
 *
 * The builder runs its own timeline (timeline.h) and takes events one by
 * one.  Evidence is kept when its time is inside [from, to]; with a
 * window set, kt_graph_expire() drops what is older than the window, so
 * a sliding graph over a long capture stays bounded: memory is the nodes
 * and edges of one window plus the timeline's bound.
 */
#ifndef KT_GRAPH_H
#define KT_GRAPH_H

#include <stdbool.h>
#include "window.h"

enum kt_gnode_kind {
	KT_GN_THREAD = 1,       /* a: utid (0 unknown), b: tid */
	KT_GN_PROCESS = 2,      /* a: pid, b: the leader's utid */
	KT_GN_FILE = 3,         /* a: file id of a pipe or socket */
	KT_GN_FLOW = 4,         /* a: socket cookie; tcp: the tuple */
	KT_GN_BLOCKDEV = 5,     /* a: dev (major << 20 | minor) */
	KT_GN_FUTEX = 6,        /* a: pid, b: user address */
	KT_GN_TIMER = 7,        /* the timers (one node) */
	KT_GN_NET = 8,          /* receives from the network (one node) */
	KT_GN_IRQ = 9,          /* other interrupt wakeups (one node) */
	KT_GN_EXE = 10,         /* an executed file; name: its path */
	KT_GN_KERNEL = 11,      /* the kernel (one node) */
	KT_GN_NKINDS
};

struct kt_gnode {
	__u32 id;               /* index; stable while the node lives */
	__u8 kind;              /* enum kt_gnode_kind, 0 = free slot */
	__u64 a, b;             /* identity, per kind (above) */
	__u64 first, last;      /* evidence times */
	__u32 pid;              /* THREAD, PROCESS: pid; FUTEX: pid */
	/* PROCESS */
	bool exited;
	__s32 exit_code;        /* status << 8 | termsig, valid with exited */
	/* FLOW */
	struct kt_tl_tcp tcp;
	bool tcp_closed;        /* its CLOSE is in the capture */
	bool tcp_opened;        /* its opening (from CLOSE) is in the capture */
	bool tcp_refused;       /* a reset answered its SYN: RST received
				 * in SYN_SENT */
	bool tcp_listener;      /* a listening socket */
	char *name;             /* EXE: the path (owned); else NULL */
};

enum kt_gedge_kind {
	KT_GE_WOKE = 1,         /* thread -> thread: sched_waking in task
				 * context; latency: the wait it ended */
	KT_GE_FORKED = 2,       /* thread -> thread (clone) or process */
	KT_GE_EXECED = 3,       /* process -> exe */
	KT_GE_SIGNALED = 4,     /* thread -> thread, or kernel -> thread via
				 * the thread in whose context the kernel
				 * sent it (si_code > 0); value: signo;
				 * latency: generate -> deliver */
	KT_GE_WROTE = 5,        /* thread -> pipe/socket: its writes; bytes:
				 * what they returned; latency: the writes */
	KT_GE_READ = 6,         /* pipe/socket -> thread: its reads; bytes:
				 * what they returned; latency: the reads */
	KT_GE_WROTE_READ = 7,   /* thread -> thread via the reader's pipe or
				 * socket: messages, one per write/read pair
				 * that shared bytes; bytes: those shared;
				 * latency: the write's start to the read's
				 * end */
	KT_GE_ISSUED = 8,       /* thread -> blockdev; value, bytes: bytes;
				 * latency: service time */
	KT_GE_COMPLETED = 9,    /* blockdev -> thread: its completion woke
				 * the thread; latency: the wait */
	KT_GE_TIMER = 10,       /* timer -> thread */
	KT_GE_NET_RX = 11,      /* net -> thread */
	KT_GE_IRQ = 12,         /* irq -> thread */
	KT_GE_OOM_KILLED = 13,  /* kernel -> process via the thread that ran
				 * the OOM killer */
	KT_GE_CONNECT = 14,     /* thread -> tcp: its owner opened it
				 * (CLOSE -> SYN_SENT); value: 1 when
				 * refused; latency: the connection's life */
	KT_GE_PEER = 15,        /* flow <-> flow, socket <-> socket: the
				 * two ends of one connection */
	KT_GE_FUTEX_WAIT = 16,  /* thread -> futex: waited, woken; latency:
				 * the wait */
	KT_GE_FUTEX_WAKE = 17,  /* thread -> futex: its futex call woke a
				 * waiter; latency: the waiter's wait */
	KT_GE_FREED_SPACE = 18, /* thread -> thread via the waiter's pipe or
				 * socket: a read freed buffer space and
				 * woke a task blocked on the same pipe or
				 * the peer socket; latency: its wait */
	KT_GE_LISTEN = 19,      /* thread -> tcp: the owner of a listener */
	KT_GE_ACCEPT = 20,      /* thread -> tcp: the owner of a connection
				 * a listener of its answered (LISTEN ->
				 * SYN_RECV) */
	KT_GE_OWNS = 21,        /* thread -> tcp: the owner of a socket
				 * whose opening is not in the capture */
	KT_GE_NKINDS
};

#define KT_G_NONE 0xffffffffu

/* Confidences, permille (docs/causal.md "The causal graph"). */
#define KT_G_EXACT 1000         /* the kernel recorded this very relation */
#define KT_G_NEAR 900           /* matched by time proximity on one cpu,
				 * a timed wait that timed out, a tuple
				 * mirrored across namespaces, or bytes of
				 * several threads at once on one object */
#define KT_G_SOFTIRQ 800        /* a softirq wakeup of a socket wait */

struct kt_gedge {
	__u32 id;
	__u8 kind;              /* enum kt_gedge_kind, 0 = free slot */
	__u32 src, dst;         /* node ids */
	__u32 via;              /* resource node id, or KT_G_NONE */
	__u64 first, last;      /* evidence times */
	__u64 count;
	__u64 total_ns;         /* summed latency (per kind, above) */
	__s64 value;            /* per kind (above), summed for ISSUED */
	__u64 bytes;            /* WROTE, READ, WROTE_READ, ISSUED (summed) */
	__u16 confidence;       /* permille: the lowest of its evidence */
	const char *reason;     /* static string for that evidence */
};

struct kt_graph_opts {
	__u64 from, to;         /* keep evidence in [from, to]; to 0 = no end */
	__u64 window;           /* for kt_graph_expire; 0 = keep everything */
	struct kt_tl_opts tl;   /* the timeline's options */
};

struct kt_graph;

/* kt_graph_new - NULL with errno ENOMEM. */
struct kt_graph *kt_graph_new(const struct kt_graph_opts *opts);
void kt_graph_free(struct kt_graph *g);

/* kt_graph_peers - a merged capture's TCP sockets paired across hosts
 * (metadata merge.peers, `ktrail merge`): a read on one end takes its
 * bytes from the writes on the other (a WROTE_READ edge from the other
 * host's writer).  Call before the first event; nothing for other
 * captures.  Returns 0 or -ENOMEM. */
int kt_graph_peers(struct kt_graph *g, const json_t *meta);

/* kt_graph_event - feed the next event (time order) with the source's
 * task table.  Returns 0 or -ENOMEM. */
int kt_graph_event(struct kt_graph *g, const struct kt_event *ev,
		   const struct kt_tasks *tasks);

/* kt_graph_finish - end the observation (flushes the timeline).  Call
 * once after the last event. */
int kt_graph_finish(struct kt_graph *g);

/* kt_graph_expire - forget edges whose last evidence is older than
 * @now - window, and nodes left without edges. */
void kt_graph_expire(struct kt_graph *g, __u64 now);

/* kt_graph_run - feed every event of @src, then finish.  Expires every
 * window/4 when a window is set.  Returns 0 or a negative errno (@err
 * filled when the source failed). */
int kt_graph_run(struct kt_graph *g, struct kt_source *src,
		 struct kt_err *err);

/*
 * kt_graph_build - OUT @g, the graph of the evidence in @w (placed: from
 * and to set), read from @r as window.h says (lookback, slack).  Free it
 * with kt_graph_free.  Returns 0 or a negative errno (@err filled when
 * the reader failed).
 */
int kt_graph_build(struct kt_reader *r, const struct kt_window *w,
		   struct kt_graph **g, struct kt_err *err);

/* Nodes and edges: ids run from 0 to *n - 1; a free slot has kind 0. */
const struct kt_gnode *kt_graph_nodes(const struct kt_graph *g, size_t *n);
const struct kt_gedge *kt_graph_edges(const struct kt_graph *g, size_t *n);

struct kt_graph_stats {
	__u64 events;
	__u64 nodes, edges;         /* alive now */
	__u64 nodes_max, edges_max; /* at most at once */
	__u64 pending_max;          /* wakeup joins waiting */
	/* reads and writes on pipes and sockets (graph_io.c) */
	__u64 io_ops;               /* with bytes, whose object was told */
	__u64 io_unresolved;        /* whose fd's object was never told */
	__u64 msgs;                 /* write/read pairs matched */
	__u64 bytes_unmatched;      /* read bytes no recorded write held */
	__u64 io_held_max;          /* reads and writes held at most */
	struct kt_tl_stats tl;
};
void kt_graph_stats(const struct kt_graph *g, struct kt_graph_stats *st);

/* kt_graph_find - the node of @kind with identity (@a, @b) (above), or
 * KT_G_NONE. */
__u32 kt_graph_find(const struct kt_graph *g, unsigned kind, __u64 a,
		    __u64 b);

const char *kt_gnode_kind_name(unsigned kind);
const char *kt_gedge_kind_name(unsigned kind);

/* ------------------------------------------- views (graph_view.c) */

/* What is shown of a graph: kept nodes and edges by id. */
struct kt_graph_sel {
	bool *node, *edge;      /* owned; [id]: shown */
	size_t nodes, edges;    /* how many are shown */
};

/*
 * kt_graph_select - with @pid 0, every node and edge; else the threads
 * and process node of @pid, the edges that touch them (as an end, or as
 * the via of an edge from the kernel that acted in its context), and the
 * nodes at the other end and in between (via) of those edges.  Release @sel with
 * kt_graph_sel_release (also after an error).  Returns 0 or -ENOMEM.
 */
int kt_graph_select(const struct kt_graph *g, __u32 pid,
		    struct kt_graph_sel *sel);
void kt_graph_sel_release(struct kt_graph_sel *sel);

/*
 * kt_graph_path - the nodes and edges of @g that the critical path @p
 * (critpath.h) went through, into @sel (release it with
 * kt_graph_sel_release, also after an error), for pictures to
 * highlight (graph_path.c):
 *   - the thread of every hop;
 *   - from each hop to its parent, the edges that tell how the hop ended
 *     the parent's wait: from the hop's thread to the parent's, woke,
 *     wrote->read, freed-space or signaled; a futex wait: the futex
 *     word, the hop's futex-wake and the parent's futex-wait edges on
 *     it; a wait on a pipe or socket: the object waited on and the
 *     parent's read edge from it, the object the hop wrote to and its
 *     wrote edge;
 *   - for each segment spent on a device: its node (the disk by dev,
 *     the timer, the network, other interrupts) and its edge to the
 *     segment's thread (completed, timer, net-rx, irq), and a disk
 *     request's issued edge from its issuer when that thread is a hop;
 *     a retransmission timeout: the connection and the waiting thread's
 *     connect, accept or owns edge to it.
 * Nothing is inferred here: a relation the graph has no edge for (out of
 * its window, or not kept) is simply not marked.  Returns 0 or -ENOMEM.
 */
struct kt_cp_path;
int kt_graph_path(const struct kt_graph *g, const struct kt_cp_path *p,
		  struct kt_graph_sel *sel);

/* Words for a node and an edge, composed into @b of size @sz like
 * snprintf (always terminated); each returns @b.
 *   kt_gnode_label:  "comm/tid", "comm[pid]", "pipe:[12]",
 *                    "tcp 10.0.0.1:5000->10.0.0.2:80", "disk 8:0",
 *                    "futex 0x7f00[42]", an exe's path, or the kind
 *   kt_gnode_detail: what else it says, "" when nothing: the exit status
 *                    of a process, the outcome of a connection, a
 *                    thread's or futex's pid
 *   kt_gedge_label:  the kind, with the signal, the bytes written, read
 *                    or issued, or a refused connection */
char *kt_gnode_label(char *b, size_t sz, const struct kt_gnode *n,
		     const struct kt_tasks *tasks);
char *kt_gnode_detail(char *b, size_t sz, const struct kt_gnode *n);
char *kt_gedge_label(char *b, size_t sz, const struct kt_gedge *e);

#endif /* KT_GRAPH_H */
