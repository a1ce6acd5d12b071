// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph_view.c - what is shown of a causal graph (see graph.h): a
 * process's part of it, and the words for its nodes and edges, shared by
 * `ktrail graph` and the renderer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "graph.h"
#include "names.h"
#include "timeline_fmt.h"

int kt_graph_select(const struct kt_graph *g, __u32 pid,
		    struct kt_graph_sel *sel)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	bool *own;

	memset(sel, 0, sizeof(*sel));
	sel->node = calloc(nn + 1, sizeof(bool));
	sel->edge = calloc(ne + 1, sizeof(bool));
	own = calloc(nn + 1, sizeof(bool));
	if (!sel->node || !sel->edge || !own) {
		free(own);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nn; i++)
		own[i] = sel->node[i] = n[i].kind &&
			(!pid || ((n[i].kind == KT_GN_THREAD ||
				   n[i].kind == KT_GN_PROCESS) &&
				  n[i].pid == pid));
	/* a thread as via: the kernel acted in its context (a SIGCHLD of
	 * its exit, its OOM kill), so the edge is about it too */
	for (size_t i = 0; i < ne; i++) {
		if (!e[i].kind || (pid && !own[e[i].src] && !own[e[i].dst] &&
				   (e[i].via == KT_G_NONE || !own[e[i].via])))
			continue;
		sel->edge[i] = true;
		sel->node[e[i].src] = sel->node[e[i].dst] = true;
		if (e[i].via != KT_G_NONE)
			sel->node[e[i].via] = true;
	}
	free(own);
	for (size_t i = 0; i < nn; i++)
		sel->nodes += sel->node[i];
	for (size_t i = 0; i < ne; i++)
		sel->edges += sel->edge[i];
	return 0;
}

void kt_graph_sel_release(struct kt_graph_sel *sel)
{
	free(sel->node);
	free(sel->edge);
	memset(sel, 0, sizeof(*sel));
}

char *kt_gnode_label(char *b, size_t sz, const struct kt_gnode *n,
		     const struct kt_tasks *tasks)
{
	char x[64], y[64];
	const struct kt_task *t;

	switch (n->kind) {
	case KT_GN_THREAD:
		return kt_tlf_thread(b, sz, tasks, n->a, n->b);
	case KT_GN_PROCESS:
		t = n->b ? kt_tasks_get(tasks, n->b) : NULL;
		snprintf(b, sz, "%s[%u]", t ? t->comm : "pid", n->pid);
		return b;
	case KT_GN_FILE:
		kt_fmt_file_id(b, sz, n->a);
		return b;
	case KT_GN_FLOW:
		kt_fmt_ipport(x, sizeof(x), n->tcp.family, n->tcp.saddr,
			      n->tcp.sport);
		kt_fmt_ipport(y, sizeof(y), n->tcp.family, n->tcp.daddr,
			      n->tcp.dport);
		snprintf(b, sz, "tcp %s->%s", x, y);
		return b;
	case KT_GN_BLOCKDEV:
		kt_fmt_dev(x, sizeof(x), n->a);
		snprintf(b, sz, "disk %s", x);
		return b;
	case KT_GN_FUTEX:
		snprintf(b, sz, "futex 0x%llx[%u]", (unsigned long long)n->b,
			 n->pid);
		return b;
	case KT_GN_EXE:
		snprintf(b, sz, "%s", n->name ? n->name : "?");
		return b;
	}
	snprintf(b, sz, "%s", kt_gnode_kind_name(n->kind));
	return b;
}

/* a connection: its namespace and what is known of how it went; refused
 * only when a reset answered its SYN */
static void flow_detail(char *b, size_t sz, const struct kt_gnode *n)
{
	const char *s = kt_tcp_state_name(n->tcp.last_state);
	size_t l;

	l = (size_t)snprintf(b, sz, "netns %u, ", n->tcp.netns);
	if (l >= sz)
		return;
	if (n->tcp_refused)
		snprintf(b + l, sz - l, "refused: a reset answered the SYN");
	else if (n->tcp.established)
		snprintf(b + l, sz - l, "established%s",
			 n->tcp_closed ? ", closed" : "");
	else if (n->tcp_listener)
		snprintf(b + l, sz - l, "listening%s",
			 n->tcp_closed ? ", closed" : "");
	else if (!n->tcp_opened)
		snprintf(b + l, sz - l, "opened before the capture, %s %s",
			 n->tcp_closed ? "closed from" : "open in", s ? s : "?");
	else if (n->tcp_closed && n->tcp.last_state == 2 /* SYN_SENT */)
		snprintf(b + l, sz - l, "SYN_SENT -> CLOSE without a reset "
			 "(no answer, or aborted)");
	else if (n->tcp_closed)
		snprintf(b + l, sz - l, "closed from %s, never established",
			 s ? s : "?");
	else
		snprintf(b + l, sz - l, "open at the end, in %s", s ? s : "?");
	l = strlen(b);
	if (n->tcp.retrans)
		snprintf(b + l, sz - l, ", %u retransmits", n->tcp.retrans);
}

char *kt_gnode_detail(char *b, size_t sz, const struct kt_gnode *n)
{
	b[0] = 0;
	if (n->kind == KT_GN_PROCESS && n->exited)
		kt_fmt_exit(b, sz, n->exit_code);
	else if (n->kind == KT_GN_FLOW)
		flow_detail(b, sz, n);
	else if (n->kind == KT_GN_THREAD || n->kind == KT_GN_FUTEX)
		snprintf(b, sz, "pid %u", n->pid);
	return b;
}

char *kt_gedge_label(char *b, size_t sz, const struct kt_gedge *e)
{
	const char *s = e->kind == KT_GE_SIGNALED ? kt_signal_name(e->value) :
			NULL;

	if (s)
		snprintf(b, sz, "signaled %s", s);
	else if (e->kind == KT_GE_CONNECT)
		snprintf(b, sz, "connect%s", e->value ? " (refused)" : "");
	else if (e->kind == KT_GE_ISSUED || e->kind == KT_GE_WROTE ||
		 e->kind == KT_GE_READ || e->kind == KT_GE_WROTE_READ)
		snprintf(b, sz, "%s %llu B", kt_gedge_kind_name(e->kind),
			 (unsigned long long)e->bytes);
	else
		snprintf(b, sz, "%s", kt_gedge_kind_name(e->kind));
	return b;
}
