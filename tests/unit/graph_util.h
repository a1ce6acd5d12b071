/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * graph_util.h - the causal graph tests' helpers: build a graph from a
 * hand-built stream (causal_util.h) and find its nodes and edges.
 */
#ifndef KT_GRAPH_UTIL_H
#define KT_GRAPH_UTIL_H

#include <errno.h>
#include <sys/stat.h>
#include "causal_util.h"
#include "analyze/graph.h"

#define PIPE(n) KT_FILE_ID(S_IFIFO, n)
#define SOCK(n) KT_FILE_ID(S_IFSOCK, n)

static inline struct kt_graph *gu_build(struct cs *s,
					const struct kt_graph_opts *o)
{
	struct kt_graph *g = kt_graph_new(o);
	struct kt_source *src = kt_source_mem(s->ev, s->n, &s->strtab,
					      s->tasks, s->ntasks);
	struct kt_err err;
	int rc = -ENOMEM;

	if (g && src)
		rc = kt_graph_run(g, src, &err);
	kt_source_free(src);
	if (rc) {
		kt_graph_free(g);
		return NULL;
	}
	return g;
}

static inline __u32 gu_node(const struct kt_graph *g, unsigned kind, __u64 a,
			    __u64 b)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == kind && v[i].a == a && v[i].b == b)
			return i;
	return KT_G_NONE;
}

static inline __u32 gu_proc(const struct kt_graph *g, __u32 pid)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == KT_GN_PROCESS && v[i].a == pid)
			return i;
	return KT_G_NONE;
}

/* a thread node by tid (forked children get utids from the table) */
static inline __u32 gu_thr(const struct kt_graph *g, __u32 tid)
{
	size_t n;
	const struct kt_gnode *v = kt_graph_nodes(g, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == KT_GN_THREAD && v[i].b == tid)
			return i;
	return KT_G_NONE;
}

static inline const struct kt_gedge *gu_edge(const struct kt_graph *g,
					     unsigned kind, __u32 src,
					     __u32 dst)
{
	size_t n;
	const struct kt_gedge *e = kt_graph_edges(g, &n);

	for (size_t i = 0; i < n; i++)
		if (e[i].kind == kind && e[i].src == src && e[i].dst == dst)
			return &e[i];
	return NULL;
}

/* how many live edges of @kind (0: any) */
static inline size_t gu_count(const struct kt_graph *g, unsigned kind)
{
	size_t n, c = 0;
	const struct kt_gedge *e = kt_graph_edges(g, &n);

	for (size_t i = 0; i < n; i++)
		c += e[i].kind && (!kind || e[i].kind == kind);
	return c;
}

#endif /* KT_GRAPH_UTIL_H */
