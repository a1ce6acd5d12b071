// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph_proc.c - processes, signals and TCP sockets in the causal graph
 * (see graph.h): fork, exec and exit status; who sent a signal, a task or
 * the kernel (the OOM killer, a child's exit, a fault); each TCP socket's
 * owner and how its connection went.
 *
 * A TCP socket belongs to its owner as the recorder knew it (format 1.1
 * owner_tid: the task that acted on it in task context, or its listener's
 * owner for a connection the listener answered), never to the task a
 * softirq happened to interrupt.  Its connection was refused only when a
 * reset answered its SYN (a reset received in SYN_SENT); a socket whose
 * ESTABLISHED is not in the capture is not refused, it says what is known.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/graph_int.h"
#include "analyze/names.h"

/* TCP states, the kernel's numbering (format/event.h) */
#define GT_SYN_SENT 2
#define GT_SYN_RECV 3
#define GT_LISTEN 10

#define SI_KERNEL_CODE 0x80

/* The OOM killer sends its SIGKILL and marks the victim (oom_victim) in
 * the same call: a kernel SIGKILL this close to an oom_victim event that
 * names its target's process is the OOM killer's. */
#define OOM_NEAR_NS 10000000ULL

struct gsock {                  /* what a TCP span does not keep */
	__u32 owner_utid, owner_tid, owner_pid;
	bool refused;
};

void kt_g_proc_init(struct kt_graph *g)
{
	kt_map_init(&g->flows, sizeof(__u64));
	kt_map_init(&g->socks, sizeof(struct gsock));
	kt_map_init(&g->ooms, sizeof(__u64));
}

void kt_g_proc_release(struct kt_graph *g)
{
	kt_map_release(&g->flows);
	kt_map_release(&g->socks);
	kt_map_release(&g->ooms);
}

/* ----------------------------------------------------------------- tcp */

void kt_g_proc_pre(struct kt_graph *g, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	struct gsock *s;

	if ((ev->kind != KT_TCP_STATE && ev->kind != KT_TCP_RETRANS &&
	     ev->kind != KT_TCP_RESET) || !t->sock)
		return;
	/* a socket's span starts at a state change, as the timeline's */
	if (ev->kind == KT_TCP_STATE) {
		s = kt_map_put(&g->socks, t->sock, NULL);
		if (!s) {
			g->err = -ENOMEM;
			return;
		}
	} else if (!(s = kt_map_get(&g->socks, t->sock))) {
		return;
	}
	/* the first owner named: the one that opened it */
	if (!s->owner_tid && t->owner_tid) {
		s->owner_tid = t->owner_tid;
		s->owner_pid = t->owner_pid;
		s->owner_utid = kt_tl_utid_of(g->tasks, t->owner_tid);
	}
	if (ev->kind == KT_TCP_RESET && (t->flags & KT_TCP_RESET_RECEIVED) &&
	    t->newstate == GT_SYN_SENT)
		s->refused = true;
}

/* the lookup key of a tcp tuple, and of its mirror */
static __u64 tuple_key(const __u64 *sa, __u32 sp, const __u64 *da, __u32 dp)
{
	return kt_map_mix(kt_map_mix(sa[0] ^ kt_map_mix(sa[1])) ^
			   kt_map_mix(da[0] ^ kt_map_mix(da[1]) ^ dp) ^
			   ((__u64)sp << 32)) | 1;
}

/* the two ends of one connection: mirrored tuples */
static void flow_peer(struct kt_graph *g, __u32 f, const struct kt_tl_span *sp)
{
	const struct kt_tl_tcp *t = &sp->tcp;
	__u64 mine, mirror, v;

	if (!t->sport || !t->dport)
		return;
	mine = tuple_key(t->saddr, t->sport, t->daddr, t->dport);
	mirror = tuple_key(t->daddr, t->dport, t->saddr, t->sport);
	if (kt_map_get_u64(&g->flows, mirror, &v) && v - 1 != f &&
	    g->nodes[v - 1].kind == KT_GN_FLOW) {
		bool same = g->nodes[v - 1].tcp.netns == t->netns;

		kt_g_edge(g, KT_GE_PEER, v - 1, f, KT_G_NONE, sp->start, 0, 0,
			  same ? KT_G_EXACT : KT_G_NEAR, same ?
			  "mirrored 4-tuple in the same network namespace" :
			  "mirrored 4-tuple across network namespaces");
	}
	if (kt_map_put_u64(&g->flows, mine, f + 1))
		g->err = -ENOMEM;
}

/* The owner's edge: what the owner did with the socket. */
static void flow_owner(struct kt_graph *g, __u32 f, const struct kt_tl_span *sp,
		       const struct gsock *s)
{
	const struct kt_gnode *n = &g->nodes[f];  /* until a node is added */
	const char *why;
	unsigned kind;
	__u32 owner;

	if (n->tcp_listener) {
		kind = KT_GE_LISTEN;
		why = "the socket's owner: a listener";
	} else if (n->tcp_opened && n->tcp.first_state == GT_SYN_SENT) {
		kind = KT_GE_CONNECT;
		why = "the socket's owner opened it (CLOSE -> SYN_SENT)";
	} else if (n->tcp_opened && n->tcp.first_state == GT_SYN_RECV) {
		kind = KT_GE_ACCEPT;
		why = "the owner of the listener that answered it (LISTEN -> SYN_RECV)";
	} else {
		kind = KT_GE_OWNS;
		why = "the socket's owner; its opening is not in the capture";
	}
	if (s->owner_tid)
		owner = kt_g_thread(g, s->owner_utid, s->owner_tid,
				    s->owner_pid, sp->start);
	else if (sp->tid)       /* format 1.0: its first task-context change */
		owner = kt_g_thread(g, sp->utid, sp->tid, sp->pid, sp->start);
	else
		return;
	if (!s->owner_tid)
		why = "changed the socket's state from task context";
	kt_g_edge(g, kind, owner, f, KT_G_NONE, sp->start, sp->end - sp->start,
		  kind == KT_GE_CONNECT && s->refused, KT_G_EXACT, why);
}

void kt_g_proc_tcp(struct kt_graph *g, const struct kt_tl_span *sp)
{
	const struct kt_tl_tcp *t = &sp->tcp;
	struct gsock s = { 0 }, *p = kt_map_get(&g->socks, t->sock);
	struct kt_gnode *n;
	__u32 f;

	if (p) {
		s = *p;
		kt_map_del(&g->socks, t->sock);
	}
	if (!kt_g_in_range(g, sp->start) && !kt_g_in_range(g, sp->end))
		return;
	f = kt_g_node(g, KT_GN_FLOW, t->sock, 0, sp->start);
	if (f == KT_G_NONE)
		return;
	n = &g->nodes[f];
	n->tcp = *t;
	n->tcp_closed = !(sp->flags & KT_SPAN_F_OPEN_END);
	/* a connection a listener answered starts at LISTEN -> SYN_RECV */
	n->tcp_opened = !(sp->flags & KT_SPAN_F_OPEN_START) ||
			t->first_state == GT_SYN_RECV;
	n->tcp_listener = t->first_state == GT_LISTEN ||
			  t->last_state == GT_LISTEN;
	n->tcp_refused = s.refused;
	if (sp->end > n->last)
		n->last = sp->end;
	flow_owner(g, f, sp, &s);
	flow_peer(g, f, sp);
}

/* ------------------------------------------------------------- signals */

/* whether the kernel's SIGKILL of span @sp is the OOM killer's */
static bool oom_kill(const struct kt_graph *g, const struct kt_tl_span *sp)
{
	const __u64 *ts = kt_map_get(&g->ooms, sp->pid);

	return sp->sig.signo == SIGKILL && sp->sig.code == SI_KERNEL_CODE &&
	       ts && (*ts > sp->start ? *ts - sp->start : sp->start - *ts) <=
	       OOM_NEAR_NS;
}

void kt_g_proc_signal(struct kt_graph *g, const struct kt_tl_span *sp)
{
	const struct kt_tl_signal *s = &sp->sig;
	__u32 src, via = KT_G_NONE, dst;
	const char *why;

	if (!kt_g_in_range(g, sp->start))
		return;
	if (kt_signal_by_kernel(s->code)) {
		src = kt_g_node(g, KT_GN_KERNEL, 0, 0, sp->start);
		/* none from interrupt context (the timeline names no one) */
		if (s->sender_tid)
			via = kt_g_thread(g, s->sender_utid, s->sender_tid,
					  s->sender_pid, sp->start);
		why = oom_kill(g, sp) ?
		      "the OOM killer sent it (oom_victim names the process)" :
		      "si_code > 0: the kernel sent it, in the context of the via thread";
	} else if (s->sender_tid) {
		src = kt_g_thread(g, s->sender_utid, s->sender_tid,
				  s->sender_pid, sp->start);
		why = "signal_generate from the sender's context";
	} else {
		return;
	}
	dst = kt_g_thread(g, sp->utid, sp->tid, sp->pid, sp->start);
	kt_g_edge(g, KT_GE_SIGNALED, src, dst, via, sp->start,
		  sp->end - sp->start, s->signo, KT_G_EXACT, why);
}

void kt_g_proc_expire(struct kt_graph *g, __u64 before)
{
	for (size_t i = 0; i < g->ooms.cap; i++) {
		__u64 key, *ts = kt_map_slot(&g->ooms, i, &key);

		if (ts && *ts < before) {
			kt_map_del(&g->ooms, key);
			i--;    /* backward shift may have moved one into slot i */
		}
	}
}

/* ----------------------------------------------------------- processes */

void kt_g_proc_exit(struct kt_graph *g, const struct kt_tl_span *sp)
{
	__u32 p;

	if (!sp->proc.exited || !kt_g_in_range(g, sp->end))
		return;
	p = kt_g_process(g, sp->pid, sp->end);
	if (p != KT_G_NONE) {
		g->nodes[p].exited = true;
		g->nodes[p].exit_code = sp->proc.exit_code;
	}
}

/* FNV-1a: exe nodes are keyed by their path */
static __u64 path_hash(const char *p, size_t len)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

static void on_fork(struct kt_graph *g, const struct kt_event *ev)
{
	__u32 a = kt_g_thread(g, ev->utid, ev->tid, ev->pid, ev->ts), b;

	if (ev->fork.flags & KT_FORK_THREAD)
		b = kt_g_thread(g, kt_tl_utid_of(g->tasks, ev->fork.child_tid),
				ev->fork.child_tid, ev->fork.child_pid, ev->ts);
	else
		b = kt_g_process(g, ev->fork.child_pid, ev->ts);
	kt_g_edge(g, KT_GE_FORKED, a, b, KT_G_NONE, ev->ts, 0, 0, KT_G_EXACT,
		  "sched_process_fork");
}

static void on_exec(struct kt_graph *g, const struct kt_event *ev)
{
	size_t len;
	const char *path = kt_event_str(ev, ev->exec.filename_str, &len);
	__u32 a = kt_g_process(g, ev->pid, ev->ts);
	__u32 b = kt_g_node(g, KT_GN_EXE, path_hash(path, len), len, ev->ts);

	if (b != KT_G_NONE && !g->nodes[b].name)
		g->nodes[b].name = strndup(path, len);
	kt_g_edge(g, KT_GE_EXECED, a, b, KT_G_NONE, ev->ts, 0, 0, KT_G_EXACT,
		  "sched_process_exec");
}

static void on_oom(struct kt_graph *g, const struct kt_event *ev)
{
	__u32 k, via, victim;

	k = kt_g_node(g, KT_GN_KERNEL, 0, 0, ev->ts);
	via = kt_g_thread(g, ev->utid, ev->tid, ev->pid, ev->ts);
	victim = kt_g_process(g, ev->oom.victim_pid, ev->ts);
	kt_g_edge(g, KT_GE_OOM_KILLED, k, victim, via, ev->ts, 0, 0, KT_G_EXACT,
		  "oom/mark_victim: the OOM killer chose it, in the context of the via thread");
}

void kt_g_proc_raw(struct kt_graph *g, const struct kt_event *ev)
{
	if (ev->kind == KT_OOM_VICTIM &&
	    kt_map_put_u64(&g->ooms, ev->oom.victim_pid, ev->ts))
		g->err = -ENOMEM;
	if (!kt_g_in_range(g, ev->ts))
		return;
	switch (ev->kind) {
	case KT_PROC_FORK:
		on_fork(g, ev);
		break;
	case KT_PROC_EXEC:
		on_exec(g, ev);
		break;
	case KT_OOM_VICTIM:
		on_oom(g, ev);
		break;
	}
}
