// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The causal graph drawn (render.h): which nodes and edges a critical
 * path highlights (kt_graph_path), what is folded past the node budget
 * (kt_graph_fold), the DOT text (sorted, escaped, dashed when inferred,
 * red on the path, a note when nothing matched), and libgvc's rendering
 * of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "graph_util.h"
#include "analyze/critpath.h"
#include "render/render.h"

#define DISK (254u << 20)

/* fsync: db (1) waits for jbd2 (9), which waits for its journal write
 * (causal_cp_disk_interrupt's stream); db woke jbd2 first. */
static void fsync_stream(struct cs *s, const char *comm)
{
	cs_init(s);
	cs_task(s, 1, 1, comm);
	cs_task(s, 9, 9, "jbd2/vda-8");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 9, 0);
	cs_switch(s, 1, 1, 9, KT_STATE_SLEEPING, 0);
	cs_wake(s, 90, 0, 1, 9, KT_CTX_TASK);
	cs_switch(s, 95, 1, 0, 0, 9);
	cs_switch(s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_switch(s, 200, 1, 9, KT_STATE_DISK, 0);
	cs_blk(s, 795, 1, 9, DISK, 123456, 12288, 590);
	cs_wake(s, 800, 1, 0, 9, KT_CTX_HARDIRQ);
	cs_switch(s, 810, 1, 0, 0, 9);
	cs_wake(s, 900, 1, 9, 1, KT_CTX_TASK);
	cs_switch(s, 950, 0, 0, 0, 1);
	cs_sys(s, 1000, 0, 1, SYS_fsync, 950, 0, 5, KT_FILE_ID(S_IFREG, 77),
	       KT_SYSCALL_BLOCKED);
}

/* A lock holder (2) wakes the waiter (1) through a futex word; it also
 * wakes 3, which is no part of the waiter's path. */
static void futex_stream(struct cs *s)
{
	cs_init(s);
	cs_task(s, 1, 7, "waiter");
	cs_task(s, 2, 7, "holder");
	cs_task(s, 3, 7, "other");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 0, 2);
	cs_switch(s, 0, 2, 0, 0, 3);
	cs_switch(s, 10, 2, 3, KT_STATE_SLEEPING, 0);
	cs_switch(s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(s, 200, 1, 2, 3, KT_CTX_TASK);
	cs_switch(s, 210, 2, 0, 0, 3);
	cs_wake(s, 500, 1, 2, 1, KT_CTX_TASK);
	cs_sys(s, 505, 1, 2, SYS_futex, 10, 1, 0x7000, 0, KT_SYSCALL_WOKE);
	cs_switch(s, 520, 0, 0, 0, 1);
	cs_sys(s, 530, 0, 1, SYS_futex, 440, 0, 0x7000, 0, KT_SYSCALL_BLOCKED);
}

struct pic {
	struct cs s;
	struct kt_graph *g;
	struct kt_cp_store *st;
	struct kt_cp_path p;
	struct kt_graph_sel path;
};

/* the graph of the stream, and the critical path of @tid over [a, b) */
static int build(struct pic *x, __u32 tid, __u64 a, __u64 b)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 1100, .syscalls = true } };
	struct kt_tl_opts to = { .end_ts = 1100, .syscalls = true };
	struct kt_source *src;
	struct kt_tl *tl;
	struct kt_err err;
	int rc = -ENOMEM;

	x->g = gu_build(&x->s, &o);
	x->st = kt_cp_store_new(0, 0);
	src = kt_source_mem(x->s.ev, x->s.n, &x->s.strtab, x->s.tasks,
			    x->s.ntasks);
	tl = kt_tl_new(&to, &kt_cp_store_ops, x->st);
	if (x->g && x->st && src && tl)
		rc = kt_tl_run(tl, src, &err);
	kt_tl_free(tl);
	kt_source_free(src);
	if (!rc)
		rc = kt_cp_store_seal(x->st);
	if (!rc)
		rc = kt_cp_compute(x->st, tid, tid, a, b, &x->p);
	if (!rc)
		rc = kt_graph_path(x->g, &x->p, &x->path);
	return rc;
}

static void pic_release(struct pic *x)
{
	kt_graph_sel_release(&x->path);
	kt_cp_path_release(&x->p);
	kt_cp_store_free(x->st);
	kt_graph_free(x->g);
	cs_release(&x->s);
}

static bool marked(const struct pic *x, const struct kt_gedge *e)
{
	return e && x->path.edge[e->id];
}

/* The fsync path: db's wait went to jbd2, jbd2's to the disk.  Marked:
 * both threads, the disk, the completion that woke jbd2, jbd2's request,
 * jbd2's wakeup of db; not db's earlier wakeup of jbd2 (the other way). */
KT_TEST(render_graph_path_disk)
{
	struct pic x = { 0 };
	__u32 db, jbd, disk;

	fsync_stream(&x.s, "db");
	KT_ASSERT(!build(&x, 1, 50, 1000), "build");
	db = gu_thr(x.g, 1);
	jbd = gu_thr(x.g, 9);
	disk = gu_node(x.g, KT_GN_BLOCKDEV, DISK, 0);
	KT_ASSERT(db != KT_G_NONE && jbd != KT_G_NONE && disk != KT_G_NONE,
		  "nodes");
	KT_ASSERT(x.path.node[db] && x.path.node[jbd] && x.path.node[disk],
		  "db, jbd2 and the disk are on the path");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_WOKE, jbd, db)),
		  "jbd2 ended db's wait");
	KT_ASSERT(!marked(&x, gu_edge(x.g, KT_GE_WOKE, db, jbd)),
		  "db's wakeup of jbd2 is another relation");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_COMPLETED, disk, jbd)),
		  "the completion that woke jbd2");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_ISSUED, jbd, disk)),
		  "jbd2's own request");
	KT_ASSERT(x.path.edges == 3 && x.path.nodes == 3, "%zu edges %zu nodes",
		  x.path.edges, x.path.nodes);
	pic_release(&x);
	return KT_PASS;
}

/* The lock: the holder's wakeup and both futex edges on the word; the
 * holder's wakeup of another thread is not the waiter's path. */
KT_TEST(render_graph_path_futex)
{
	struct pic x = { 0 };
	__u32 w, h, o, f;

	futex_stream(&x.s);
	KT_ASSERT(!build(&x, 1, 90, 530), "build");
	w = gu_thr(x.g, 1);
	h = gu_thr(x.g, 2);
	o = gu_thr(x.g, 3);
	f = gu_node(x.g, KT_GN_FUTEX, 7, 0x7000);
	KT_ASSERT(w != KT_G_NONE && h != KT_G_NONE && o != KT_G_NONE &&
		  f != KT_G_NONE, "nodes");
	KT_ASSERT(x.path.node[w] && x.path.node[h] && x.path.node[f] &&
		  !x.path.node[o], "waiter, holder, the word; not the other");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_WOKE, h, w)), "woke");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_FUTEX_WAKE, h, f)), "futex-wake");
	KT_ASSERT(marked(&x, gu_edge(x.g, KT_GE_FUTEX_WAIT, w, f)), "futex-wait");
	KT_ASSERT(gu_edge(x.g, KT_GE_WOKE, h, o) &&
		  !marked(&x, gu_edge(x.g, KT_GE_WOKE, h, o)),
		  "the holder's wakeup of the other thread is not marked");
	pic_release(&x);
	return KT_PASS;
}

/* A star: 1 wakes 2..11, thread k after a wait of 100k - 1 ns. */
static struct kt_graph *star(struct cs *s)
{
	struct kt_graph_opts o = { .tl = { .end_ts = 2000, .syscalls = true } };

	cs_init(s);
	cs_task(s, 1, 1, "waker");
	cs_switch(s, 0, 0, 0, 0, 1);
	for (__u32 k = 2; k <= 11; k++) {
		cs_task(s, k, k, "sleeper");
		cs_switch(s, 0, k, 0, 0, k);
		cs_switch(s, 1, k, k, KT_STATE_SLEEPING, 0);
	}
	for (__u32 k = 2; k <= 11; k++) {
		cs_wake(s, 100 * k, 0, 1, k, KT_CTX_TASK);
		cs_switch(s, 100 * k + 5, k, 0, 0, k);
	}
	return gu_build(s, &o);
}

/* Past the budget: the path first, then the edges with the most
 * latency; what is left is counted by kind. */
KT_TEST(render_graph_fold)
{
	struct kt_graph_sel sel, path = { 0 };
	struct kt_graph_fold f;
	const struct kt_gedge *weak;
	struct kt_graph *g;
	size_t nn, ne;
	struct cs s;

	g = star(&s);
	KT_ASSERT(g, "build");
	KT_ASSERT(!kt_graph_select(g, 0, &sel) && sel.nodes == 11 &&
		  sel.edges == 10, "selected %zu nodes %zu edges", sel.nodes,
		  sel.edges);
	/* within the budget: everything */
	KT_ASSERT(!kt_graph_fold(g, &sel, NULL, 11, &f), "fold 11");
	KT_ASSERT(f.nodes == 11 && f.edges == 10 && !f.fnodes && !f.fedges,
		  "nothing folded");
	kt_graph_fold_release(&f);
	/* 5 nodes: the waker and the four longest waits */
	KT_ASSERT(!kt_graph_fold(g, &sel, NULL, 5, &f), "fold 5");
	KT_ASSERT(f.nodes == 5 && f.edges == 4 && f.fnodes == 6 &&
		  f.fedges == 6 && f.fkind[KT_GN_THREAD] == 6,
		  "%zu nodes %zu edges kept, %zu %zu folded", f.nodes, f.edges,
		  f.fnodes, f.fedges);
	for (__u32 k = 8; k <= 11; k++)
		KT_ASSERT(f.node[gu_thr(g, k)] &&
			  f.edge[gu_edge(g, KT_GE_WOKE, gu_thr(g, 1),
					 gu_thr(g, k))->id], "thread %u kept", k);
	KT_ASSERT(!f.node[gu_thr(g, 7)], "thread 7 folded");
	kt_graph_fold_release(&f);
	/* the path's weakest edge comes first, then the strongest */
	kt_graph_nodes(g, &nn);
	kt_graph_edges(g, &ne);
	path.node = calloc(nn, sizeof(bool));
	path.edge = calloc(ne, sizeof(bool));
	KT_ASSERT(path.node && path.edge, "alloc");
	weak = gu_edge(g, KT_GE_WOKE, gu_thr(g, 1), gu_thr(g, 2));
	path.edge[weak->id] = path.node[weak->src] = path.node[weak->dst] = true;
	KT_ASSERT(!kt_graph_fold(g, &sel, &path, 5, &f), "fold with a path");
	KT_ASSERT(f.node[gu_thr(g, 2)] && f.edge[weak->id] &&
		  f.node[gu_thr(g, 11)] && f.node[gu_thr(g, 9)] &&
		  !f.node[gu_thr(g, 8)] && f.nodes == 5,
		  "the path's edge, then 11, 10, 9");
	kt_graph_fold_release(&f);
	kt_graph_sel_release(&path);
	kt_graph_sel_release(&sel);
	kt_graph_free(g);
	cs_release(&s);
	return KT_PASS;
}

/* the line of the DOT text that holds both strings, or NULL */
static const char *line_with(const char *dot, const char *a, const char *b,
			     char *out, size_t sz)
{
	for (const char *p = dot; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n < sz) {
			memcpy(out, p, n);
			out[n] = 0;
			if (strstr(out, a) && strstr(out, b))
				return out;
		}
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

/* every statement's attributes are in name order */
static bool attrs_sorted(const char *dot)
{
	char line[4096];

	for (const char *p = dot; *p;) {
		const char *e = strchr(p, '\n'), *q;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char prev[64] = "";

		if (n >= sizeof(line))
			return false;
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (e ? 1 : 0);
		if (!(q = strchr(line, '[')))
			continue;
		/* keys follow "[" or ", " and end at '=' (values have no
		 * unescaped quote, so skip from quote to quote) */
		for (q++; *q;) {
			char key[64];
			size_t k = strcspn(q, "=");

			if (k >= sizeof(key))
				return false;
			memcpy(key, q, k);
			key[k] = 0;
			if (strcmp(prev, key) >= 0)
				return false;
			strcpy(prev, key);
			q += k + 2;
			while (*q && !(*q == '"' && q[-1] != '\\'))
				q++;
			q += *q ? 1 : 0;
			q += strspn(q, ", ");
			if (*q == ']')
				break;
		}
	}
	return true;
}

/* The DOT text: shapes by kind, the path red, inferred edges dashed with
 * their confidence, the kernel's bytes escaped, attributes sorted, the
 * same text twice; and an empty selection says what matched nothing. */
KT_TEST(render_graph_dot)
{
	struct pic x = { 0 };
	struct kt_graph_sel sel;
	struct kt_graph_pic pic = { .from = 0, .to = 1100 };
	struct kt_tasks *tasks = kt_tasks_new();
	char *a, *b, line[4096];
	size_t na, nb;

	fsync_stream(&x.s, "d\"b\\");
	KT_ASSERT(!build(&x, 1, 50, 1000), "build");
	for (size_t i = 0; tasks && i < x.s.ntasks; i++)
		KT_ASSERT(!kt_tasks_add(tasks, &x.s.tasks[i]), "task");
	KT_ASSERT(tasks, "tasks");
	pic.tasks = tasks;
	KT_ASSERT(!kt_graph_select(x.g, 0, &sel), "select");
	pic.g = x.g;
	pic.sel = &sel;
	pic.path = &x.path;
	KT_ASSERT(!kt_graph_dot(&pic, &a, &na) && na == strlen(a), "dot");
	KT_ASSERT(!strncmp(a, "digraph ktrail {\n", 17) &&
		  !strcmp(a + na - 2, "}\n"), "a digraph:\n%s", a);
	KT_ASSERT(line_with(a, "shape=\"cylinder\"", "label=\"disk 254:0\"",
			    line, sizeof(line)) &&
		  strstr(line, "color=\"#dc143c\""), "the disk, on the path:\n%s", a);
	KT_ASSERT(line_with(a, "label=\"d\\\"b\\\\/1\"", "shape=\"ellipse\"",
			    line, sizeof(line)), "the comm escaped:\n%s", a);
	KT_ASSERT(line_with(a, "completed x1", "style=\"dashed\"", line,
			    sizeof(line)) && strstr(line, "confidence 0.90") &&
		  strstr(line, "color=\"#dc143c\""),
		  "an inferred completion on the path: dashed, red:\n%s", a);
	KT_ASSERT(line_with(a, "issued 12288 B x1", "style=\"solid\"", line,
			    sizeof(line)), "an exact request: solid:\n%s", a);
	KT_ASSERT(attrs_sorted(a), "attributes sorted:\n%s", a);
	KT_ASSERT(!kt_graph_dot(&pic, &b, &nb) && na == nb && !memcmp(a, b, na),
		  "the same text twice");
	free(b);
	free(a);
	kt_graph_sel_release(&sel);
	/* a process that is not there */
	KT_ASSERT(!kt_graph_select(x.g, 99, &sel) && !sel.nodes, "select 99");
	pic.pid = 99;
	pic.path = NULL;
	KT_ASSERT(!kt_graph_dot(&pic, &a, &na), "dot");
	KT_ASSERT(line_with(a, "nothing [", "no events for pid 99 in [0.000000000, "
			    "0.000001100]", line, sizeof(line)),
		  "the empty picture says so:\n%s", a);
	free(a);
	kt_graph_sel_release(&sel);
	kt_tasks_free(tasks);
	pic_release(&x);
	return KT_PASS;
}

/* libgvc lays the text out: SVG and PNG; a format it does not draw and
 * a text that does not parse are errors, with graphviz's words kept. */
KT_TEST(render_graph_gvc)
{
	static const char dot[] =
		"digraph g { a [label=\"a\"]; b; a -> b [label=\"x1\"]; }\n";
	char *buf, msg[256];
	size_t len;

	KT_ASSERT(!kt_dot_render(dot, KT_RF_SVG, &buf, &len, msg, sizeof(msg)),
		  "svg: %s", msg);
	KT_ASSERT(len > 100 && strstr(buf, "<svg") && strstr(buf, "</svg>"),
		  "an svg document");
	free(buf);
	KT_ASSERT(!kt_dot_render(dot, KT_RF_PNG, &buf, &len, msg, sizeof(msg)),
		  "png: %s", msg);
	KT_ASSERT(len > 8 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8), "png magic");
	free(buf);
	KT_ASSERT(kt_dot_render(dot, KT_RF_DOT, &buf, &len, msg, sizeof(msg)) ==
		  -EINVAL && !buf, "dot is not libgvc's to write");
	KT_ASSERT(kt_dot_render("digraph { a -> ; }", KT_RF_SVG, &buf, &len, msg,
				sizeof(msg)) == -EINVAL && msg[0] && !strchr(msg, '\n'),
		  "a syntax error, in one line: '%s'", msg);
	return KT_PASS;
}
