// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph.c - the causal graph as DOT text (render.h): what is drawn of a
 * selection (folding past a node budget) and the text itself, sorted so
 * that the same graph always gives the same bytes: nodes by kind, label
 * and id, edges by their ends' order, kind and via, attributes by name.
 * Graphviz's layout depends on input order (RENDER-NOTES.md §6), so a
 * stable order is also a stable picture on one build.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "analyze/timeline_fmt.h"

/* ------------------------------------------------------------- folding */

/* the strongest edge first: the most latency, evidence, bytes */
static int cmp_strength(const void *a, const void *b, void *arg)
{
	const struct kt_gedge *e = arg;
	const struct kt_gedge *x = &e[*(const __u32 *)a];
	const struct kt_gedge *y = &e[*(const __u32 *)b];

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* how many of the edge's ends (and via) are not kept yet */
static size_t new_ends(const struct kt_gedge *e, const bool *node)
{
	size_t n = !node[e->src];

	n += e->dst != e->src && !node[e->dst];
	if (e->via != KT_G_NONE && e->via != e->src && e->via != e->dst)
		n += !node[e->via];
	return n;
}

static void keep_edge(struct kt_graph_fold *f, const struct kt_gedge *e)
{
	f->edge[e->id] = true;
	f->node[e->src] = f->node[e->dst] = true;
	if (e->via != KT_G_NONE)
		f->node[e->via] = true;
}

/* past the budget: path first, then the strongest edges that fit */
static int fold_edges(const struct kt_graph *g, const struct kt_graph_sel *sel,
		      const struct kt_graph_sel *path, size_t max,
		      struct kt_graph_fold *f)
{
	size_t nn, ne, n = 0, kept = 0;
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	__u32 *order = malloc((ne + 1) * sizeof(*order));

	kt_graph_nodes(g, &nn);
	if (!order)
		return -ENOMEM;
	/* the path's nodes first: then its edges cost nothing */
	for (size_t i = 0; path && i < nn && kept < max; i++)
		if (sel->node[i] && path->node[i] && !f->node[i]) {
			f->node[i] = true;
			kept++;
		}
	for (size_t i = 0; i < ne; i++)
		if (sel->edge[i])
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), cmp_strength, (void *)e);
	for (size_t i = 0; i < n; i++) {
		size_t add = new_ends(&e[order[i]], f->node);

		if (kept + add > max)
			continue;
		keep_edge(f, &e[order[i]]);
		kept += add;
	}
	free(order);
	return 0;
}

int kt_graph_fold(const struct kt_graph *g, const struct kt_graph_sel *sel,
		  const struct kt_graph_sel *path, size_t max,
		  struct kt_graph_fold *f)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	int err = 0;

	kt_graph_edges(g, &ne);
	memset(f, 0, sizeof(*f));
	f->node = calloc(nn + 1, sizeof(bool));
	f->edge = calloc(ne + 1, sizeof(bool));
	if (!f->node || !f->edge)
		return -ENOMEM;
	if (sel->nodes <= max) {
		memcpy(f->node, sel->node, nn * sizeof(bool));
		memcpy(f->edge, sel->edge, ne * sizeof(bool));
	} else {
		err = fold_edges(g, sel, path, max, f);
	}
	for (size_t i = 0; i < nn; i++) {
		f->nodes += f->node[i];
		if (sel->node[i] && !f->node[i]) {
			f->fnodes++;
			f->fkind[n[i].kind < KT_GN_NKINDS ? n[i].kind : 0]++;
		}
	}
	for (size_t i = 0; i < ne; i++) {
		f->edges += f->edge[i];
		f->fedges += sel->edge[i] && !f->edge[i];
	}
	return err;
}

void kt_graph_fold_release(struct kt_graph_fold *f)
{
	free(f->node);
	free(f->edge);
	memset(f, 0, sizeof(*f));
}

/* ------------------------------------------------------------- the text */

/* How each kind of node is drawn, and its name in the legend. */
static const struct {
	const char *shape;
	__u32 fill;
	const char *words;      /* the title's legend */
	const char *one, *many; /* the fold note's count */
} kinds[KT_GN_NKINDS] = {
	[KT_GN_THREAD] = { "ellipse", 0xe6f0e6, "ellipse: thread",
			   "thread", "threads" },
	[KT_GN_PROCESS] = { "box3d", 0xd8e4f0, "3-D box: process",
			    "process", "processes" },
	[KT_GN_FILE] = { "folder", 0xf0f0f0, "folder: pipe or socket",
			 "pipe or socket", "pipes or sockets" },
	[KT_GN_FLOW] = { "parallelogram", 0xfce4fc,
			 "parallelogram: TCP connection", "TCP connection",
			 "TCP connections" },
	[KT_GN_BLOCKDEV] = { "cylinder", 0xffe0c8, "cylinder: disk", "disk",
			     "disks" },
	[KT_GN_FUTEX] = { "octagon", 0xebd5e4, "octagon: lock (futex)",
			  "lock", "locks" },
	[KT_GN_TIMER] = { "doublecircle", 0xd0ddeb, "double circle: timer",
			  "timer", "timers" },
	[KT_GN_NET] = { "invhouse", 0xfce4fc, "inverted house: network",
			"network", "networks" },
	[KT_GN_IRQ] = { "diamond", 0xfff5c0, "diamond: interrupt",
			"interrupt source", "interrupt sources" },
	[KT_GN_EXE] = { "note", 0xffffff, "note: executed file",
			"executed file", "executed files" },
	[KT_GN_KERNEL] = { "hexagon", 0xe0e0e0, "hexagon: kernel", "kernel",
			   "kernels" },
};

#define ATTR_MAX 16
#define VAL_MAX 1024

struct attr {
	const char *key;
	char val[VAL_MAX];
};

struct stmt {
	struct attr a[ATTR_MAX];
	size_t n;
};

static void set(struct stmt *s, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct stmt *s, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (s->n == ATTR_MAX)
		return;
	s->a[s->n].key = key;
	va_start(ap, fmt);
	vsnprintf(s->a[s->n].val, VAL_MAX, fmt, ap);
	va_end(ap);
	s->n++;
}

static int cmp_attr(const void *a, const void *b)
{
	return strcmp(((const struct attr *)a)->key, ((const struct attr *)b)->key);
}

/* A DOT string's body: quotes and backslashes escaped, a newline as
 * @nl (\n centred, \l left-justified), any other byte outside printable
 * ASCII as '?' (command names and paths are the kernel's bytes). */
static void esc(FILE *f, const char *s, const char *nl)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs(nl, f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fputc(c < 0x20 || c > 0x7e ? '?' : c, f);
	}
}

/* " [a=\"x\", b=\"y\"];": sorted by name; the label's lines end with
 * @nl */
static void put_attrs_nl(FILE *f, struct stmt *s, const char *nl)
{
	qsort(s->a, s->n, sizeof(s->a[0]), cmp_attr);
	fputs(" [", f);
	for (size_t i = 0; i < s->n; i++) {
		fprintf(f, "%s%s=\"", i ? ", " : "", s->a[i].key);
		esc(f, s->a[i].val, strcmp(s->a[i].key, "label") ? "" : nl);
		fputc('"', f);
	}
	fputs("];\n", f);
}

static void put_attrs(FILE *f, struct stmt *s)
{
	put_attrs_nl(f, s, "\\n");
}

struct dnode {
	__u32 id;
	__u8 kind;
	char label[KT_TLF_MAX];
};

static int cmp_dnode(const void *a, const void *b)
{
	const struct dnode *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->label, y->label)))
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

struct dedge {
	__u32 id, src, dst, via;        /* src, dst, via: drawing order */
	__u8 kind;
	bool back;              /* closes a cycle: written reversed */
};

static int cmp_dedge(const void *a, const void *b)
{
	const struct dedge *x = a, *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

struct dot {
	const struct kt_graph_pic *pic;
	const struct kt_gnode *n;
	const struct kt_gedge *e;
	size_t nn, ne;
	struct kt_graph_fold fold;
	struct dnode *nodes;    /* drawn, sorted */
	size_t nnodes;
	__u32 *order;           /* node id -> 1-based drawing order, 0 none */
	struct dedge *edges;
	size_t nedges;
	FILE *f;
};

static bool on_path_node(const struct dot *d, __u32 id)
{
	return d->pic->path && d->pic->path->node[id];
}

static bool on_path_edge(const struct dot *d, __u32 id)
{
	return d->pic->path && d->pic->path->edge[id];
}

/* the nodes drawn, sorted; OUT their order by id */
static int sort_nodes(struct dot *d)
{
	const struct kt_graph_pic *pic = d->pic;
	char det[KT_TLF_MAX];

	d->nodes = calloc(d->fold.nodes + 1, sizeof(*d->nodes));
	d->order = calloc(d->nn + 1, sizeof(*d->order));
	if (!d->nodes || !d->order)
		return -ENOMEM;
	/* a node that is only the via of edges stays out of the drawing:
	 * nothing would connect it, and the edges' labels name it */
	for (size_t i = 0; i < d->ne; i++)
		if (d->fold.edge[i] && d->e[i].via != KT_G_NONE)
			d->order[d->e[i].via] = 1;
	for (size_t i = 0; i < d->ne; i++)
		if (d->fold.edge[i])
			d->order[d->e[i].src] = d->order[d->e[i].dst] = 0;
	for (size_t i = 0; i < d->nn; i++) {
		struct dnode *v;

		if (!d->fold.node[i] || d->order[i])
			continue;
		v = &d->nodes[d->nnodes++];
		v->id = i;
		v->kind = d->n[i].kind;
		kt_gnode_label(v->label, sizeof(v->label), &d->n[i], pic->tasks);
		/* a process's end and a connection's outcome say something;
		 * a thread's or a futex's pid is in its label already */
		if ((v->kind == KT_GN_PROCESS || v->kind == KT_GN_FLOW) &&
		    kt_gnode_detail(det, sizeof(det), &d->n[i])[0]) {
			size_t l = strlen(v->label);

			snprintf(v->label + l, sizeof(v->label) - l, "\n%s", det);
		}
	}
	qsort(d->nodes, d->nnodes, sizeof(*d->nodes), cmp_dnode);
	memset(d->order, 0, (d->nn + 1) * sizeof(*d->order));
	for (size_t i = 0; i < d->nnodes; i++)
		d->order[d->nodes[i].id] = i + 1;
	return 0;
}

static int sort_edges(struct dot *d)
{
	d->edges = calloc(d->fold.edges + 1, sizeof(*d->edges));
	if (!d->edges)
		return -ENOMEM;
	for (size_t i = 0; i < d->ne; i++) {
		const struct kt_gedge *e = &d->e[i];

		if (!d->fold.edge[i])
			continue;
		d->edges[d->nedges++] = (struct dedge){
			.id = i, .src = d->order[e->src], .dst = d->order[e->dst],
			.via = e->via == KT_G_NONE ? 0 : d->order[e->via],
			.kind = e->kind,
		};
	}
	qsort(d->edges, d->nedges, sizeof(*d->edges), cmp_dedge);
	return 0;
}

/*
 * The edges that close a cycle, found by a depth-first walk in drawing
 * order: each is written from its head to its tail with dir=back, so
 * that the text dot ranks is acyclic.  Left to dot, its acyclic pass
 * reverses such edges itself, through virtual edges that Debian 12's
 * graphviz (2.42.2) never frees (LeakSanitizer: new_virtual_edge under
 * acyclic, libgvplugin_dot_layout); and the order chosen here is stable.
 */
static int find_back_edges(struct dot *d)
{
	size_t n = d->nnodes, top = 0;
	size_t *first = calloc(n + 2, sizeof(*first));
	__u8 *state = calloc(n + 1, 1);         /* 0 new, 1 open, 2 done */
	struct { __u32 node; size_t next; } *stack = calloc(n + 1, sizeof(*stack));
	int err = first && state && stack ? 0 : -ENOMEM;

	/* edges are sorted by source: first[v] .. first[v + 1] leave v */
	for (size_t i = 0; !err && i < d->nedges; i++)
		first[d->edges[i].src + 1]++;
	for (size_t v = 1; !err && v <= n + 1; v++)
		first[v] += first[v - 1];
	for (__u32 root = 1; !err && root <= n; root++) {
		if (state[root])
			continue;
		state[root] = 1;
		stack[top++] = (typeof(*stack)){ root, first[root] };
		while (top) {
			__u32 v = stack[top - 1].node;
			size_t i = stack[top - 1].next++;
			struct dedge *e;

			if (i >= first[v + 1]) {
				state[v] = 2;
				top--;
				continue;
			}
			e = &d->edges[i];
			if (e->dst == e->src)
				continue;       /* a loop ranks nothing */
			if (state[e->dst] == 1) {
				e->back = true;
			} else if (!state[e->dst]) {
				state[e->dst] = 1;
				stack[top++] = (typeof(*stack)){ e->dst, first[e->dst] };
			}
		}
	}
	free(first);
	free(state);
	free(stack);
	return err;
}

static void put_node(struct dot *d, const struct dnode *v)
{
	struct stmt s = { .n = 0 };
	bool path = on_path_node(d, v->id);
	unsigned k = v->kind < KT_GN_NKINDS && kinds[v->kind].shape ? v->kind : 0;

	set(&s, "shape", "%s", k ? kinds[k].shape : "box");
	set(&s, "fillcolor", "#%06x", k ? kinds[k].fill : 0xffffff);
	set(&s, "style", path ? "filled,bold" : "filled");
	set(&s, "color", "#%06x", path ? KT_COL_PATH : KT_COL_MUTED);
	set(&s, "penwidth", path ? "3" : "1");
	set(&s, "label", "%s", v->label);
	fprintf(d->f, "\tn%u", d->order[v->id]);
	put_attrs(d->f, &s);
}

/* "woke x11", the latency, the via, the confidence: one per line */
static void edge_label(const struct dot *d, const struct kt_gedge *e,
		       char *b, size_t sz)
{
	char l[KT_TLF_MAX], t[32];
	size_t n;

	kt_gedge_label(l, sizeof(l), e);
	n = (size_t)snprintf(b, sz, "%s x%llu", l, (unsigned long long)e->count);
	if (e->total_ns && n < sz)
		n += snprintf(b + n, sz - n, "\n%s", kt_tlf_dur(t, sizeof(t),
								  e->total_ns));
	if (e->via != KT_G_NONE && n < sz)
		n += snprintf(b + n, sz - n, "\nvia %s",
			      kt_gnode_label(l, sizeof(l), &d->n[e->via],
					     d->pic->tasks));
	if (e->confidence < KT_G_EXACT && n < sz)
		snprintf(b + n, sz - n, "\nconfidence %u.%02u",
			 e->confidence / 1000, e->confidence % 1000 / 10);
}

static void put_edge(struct dot *d, const struct dedge *de)
{
	const struct kt_gedge *e = &d->e[de->id];
	struct stmt s = { .n = 0 };
	bool path = on_path_edge(d, de->id);
	char label[VAL_MAX];
	__u32 col = path ? KT_COL_PATH : KT_COL_MUTED;

	edge_label(d, e, label, sizeof(label));
	set(&s, "label", "%s", label);
	set(&s, "color", "#%06x", col);
	set(&s, "fontcolor", "#%06x", path ? KT_COL_PATH : KT_COL_TEXT);
	set(&s, "penwidth", path ? "2.5" : "1");
	set(&s, "style", e->confidence < KT_G_EXACT ? "dashed" : "solid");
	/* the path's edges pull harder: its chain reads straight */
	set(&s, "weight", path ? "4" : "1");
	if (de->back)
		set(&s, "dir", "back");
	fprintf(d->f, "\tn%u -> n%u", de->back ? de->dst : de->src,
		de->back ? de->src : de->dst);
	put_attrs(d->f, &s);
}

/* "+12 nodes, 30 edges folded: 10 threads, 2 files (...)" */
static void put_fold_note(struct dot *d)
{
	const struct kt_graph_fold *f = &d->fold;
	struct stmt s = { .n = 0 };
	char b[VAL_MAX];
	size_t n;
	bool first = true;

	if (!f->fnodes && !f->fedges)
		return;
	n = (size_t)snprintf(b, sizeof(b), "+%zu nodes, %zu edges folded",
			     f->fnodes, f->fedges);
	for (unsigned k = 1; k < KT_GN_NKINDS && n < sizeof(b); k++) {
		if (!f->fkind[k])
			continue;
		n += snprintf(b + n, sizeof(b) - n, "%s%zu %s", first ? ":\n" : ", ",
			      f->fkind[k], f->fkind[k] == 1 ? kinds[k].one :
			      kinds[k].many);
		first = false;
	}
	if (n < sizeof(b))
		snprintf(b + n, sizeof(b) - n, "\n(kept: the critical path, then "
			 "the edges with the most latency, at most %zu nodes)",
			 d->pic->max_nodes ? d->pic->max_nodes : KT_GRAPH_PIC_NODES);
	set(&s, "shape", "note");
	set(&s, "style", "dashed");
	set(&s, "color", "#%06x", KT_COL_MUTED);
	set(&s, "label", "%s", b);
	fprintf(d->f, "\tfolded");
	put_attrs(d->f, &s);
}

/* The empty picture: what matched nothing, and where. */
static void put_nothing(struct dot *d)
{
	const struct kt_graph_pic *pic = d->pic;
	struct stmt s = { .n = 0 };
	char a[32], b[32], who[48] = "";

	if (pic->pid)
		snprintf(who, sizeof(who), " for pid %u", pic->pid);
	set(&s, "shape", "note");
	set(&s, "label", "no events%s in [%s, %s]", who,
	    kt_tlf_ts(a, sizeof(a), pic->from), kt_tlf_ts(b, sizeof(b), pic->to));
	fprintf(d->f, "\tnothing");
	put_attrs(d->f, &s);
}

/* The title: the window, the path followed and its root cause, how to
 * read the shapes and lines (left-justified lines). */
static int title(struct dot *d, struct stmt *s)
{
	const struct kt_graph_pic *pic = d->pic;
	char a[32], b[32], l[32], *span = NULL, *root = NULL;
	char t[VAL_MAX];
	size_t n;
	bool used[KT_GN_NKINDS] = { false };

	n = (size_t)snprintf(t, sizeof(t), "causal graph %s .. %s (%s)",
			     kt_tlf_ts(a, sizeof(a), pic->from),
			     kt_tlf_ts(b, sizeof(b), pic->to),
			     kt_tlf_dur(l, sizeof(l), pic->to - pic->from));
	if (pic->pid && n < sizeof(t))
		n += snprintf(t + n, sizeof(t) - n, ", pid %u", pic->pid);
	if (n < sizeof(t))
		n += snprintf(t + n, sizeof(t) - n, ": %zu nodes, %zu edges\n",
			      pic->sel->nodes, pic->sel->edges);
	if (pic->why) {
		span = kt_why_span_sentence(pic->why);
		root = kt_why_root_sentence(pic->why);
		if (!span || !root) {
			free(span);
			free(root);
			return -ENOMEM;
		}
		if (n < sizeof(t))
			n += snprintf(t + n, sizeof(t) - n, "red: the critical path of "
				      "the slowest span, %s, %s\n%s\n", span,
				      kt_tlf_dur(l, sizeof(l), pic->why->span.end -
						 pic->why->span.start), root);
		free(span);
		free(root);
	} else if (pic->sel->nodes && n < sizeof(t)) {
		n += snprintf(t + n, sizeof(t) - n,
			      "no span in the window to follow: no critical path\n");
	}
	for (size_t i = 0; i < d->nnodes; i++)
		used[d->nodes[i].kind < KT_GN_NKINDS ? d->nodes[i].kind : 0] = true;
	for (unsigned k = 1; k < KT_GN_NKINDS && n < sizeof(t); k++)
		if (used[k] && kinds[k].words)
			n += snprintf(t + n, sizeof(t) - n, "%s; ", kinds[k].words);
	if (d->nnodes && n < sizeof(t))
		snprintf(t + n, sizeof(t) - n, "dashed: inferred (confidence "
			 "below 1.00)\n");
	set(s, "label", "%s", t);
	return 0;
}

static int put_graph(struct dot *d)
{
	struct stmt s = { .n = 0 };
	int err;

	fprintf(d->f, "digraph ktrail {\n");
	if ((err = title(d, &s)))
		return err;
	set(&s, "fontname", KT_RENDER_FONT);
	set(&s, "fontsize", "12");
	set(&s, "labelloc", "t");
	set(&s, "labeljust", "l");
	set(&s, "rankdir", "LR");
	set(&s, "nodesep", "0.25");
	set(&s, "ranksep", "0.5");
	set(&s, "pad", "0.2");
	set(&s, "bgcolor", "white");
	set(&s, "outputorder", "edgesfirst");
	/* layout effort bounded (RENDER-NOTES.md §6): crossing minimisation
	 * and network simplex stop early on large graphs */
	set(&s, "mclimit", "0.5");
	set(&s, "nslimit", "4");
	set(&s, "nslimit1", "4");
	set(&s, "searchsize", "40");
	/* at most 30 x 30 inches (2880 px at 96 dpi): a drawing larger than
	 * that is scaled down, so that the PNG stays under 2 MB whatever
	 * the graph (60 nodes with long labels would make more) */
	set(&s, "size", "30,30");
	fprintf(d->f, "\tgraph");
	/* the title's lines are left-justified: \l, not \n */
	put_attrs_nl(d->f, &s, "\\l");
	s.n = 0;
	set(&s, "fontname", KT_RENDER_FONT);
	set(&s, "fontsize", "10");
	set(&s, "margin", "0.08,0.04");
	fprintf(d->f, "\tnode");
	put_attrs(d->f, &s);
	s.n = 0;
	set(&s, "fontname", KT_RENDER_FONT);
	set(&s, "fontsize", "9");
	set(&s, "arrowsize", "0.7");
	fprintf(d->f, "\tedge");
	put_attrs(d->f, &s);
	return 0;
}

int kt_graph_dot(const struct kt_graph_pic *pic, char **buf, size_t *len)
{
	struct dot d = { .pic = pic };
	size_t max = pic->max_nodes ? pic->max_nodes : KT_GRAPH_PIC_NODES;
	int err;

	*buf = NULL;
	*len = 0;
	d.n = kt_graph_nodes(pic->g, &d.nn);
	d.e = kt_graph_edges(pic->g, &d.ne);
	err = kt_graph_fold(pic->g, pic->sel, pic->path, max, &d.fold);
	if (!err)
		err = sort_nodes(&d);
	if (!err)
		err = sort_edges(&d);
	if (!err)
		err = find_back_edges(&d);
	if (!err && !(d.f = open_memstream(buf, len)))
		err = -ENOMEM;
	if (!err)
		err = put_graph(&d);
	for (size_t i = 0; !err && i < d.nnodes; i++)
		put_node(&d, &d.nodes[i]);
	for (size_t i = 0; !err && i < d.nedges; i++)
		put_edge(&d, &d.edges[i]);
	if (!err && !d.nnodes)
		put_nothing(&d);
	else if (!err)
		put_fold_note(&d);
	if (d.f) {
		fputs("}\n", d.f);
		if (fclose(d.f) && !err)
			err = -ENOMEM;
	}
	if (err) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	free(d.nodes);
	free(d.order);
	free(d.edges);
	kt_graph_fold_release(&d.fold);
	return err;
}
