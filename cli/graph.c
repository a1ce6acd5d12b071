// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph.c - `ktrail graph`: the causal graph of one time window as
 * text or JSON, or drawn (-o OUT.svg|png|dot) with the critical path of
 * the window's slowest span highlighted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "analyze/graph.h"
#include "cli/capture.h"
#include "analyze/timeline_fmt.h"
#include "analyze/why.h"
#include "render/render.h"

#define DEFAULT_WINDOW_NS 100000000ULL

static const char usage[] =
	"ktrail graph FILE [--window W] [--from T] [--to T] [--pid P] "
	"[--json | -o OUT.svg|OUT.png|OUT.dot]";

static const char help[] =
"NAME\n"
"    ktrail graph - the causal graph of a time window\n"
"\n"
"SYNOPSIS\n"
"    ktrail graph FILE [--window W] [--from T] [--to T] [--pid P]\n"
"                 [--json | -o OUT.svg|OUT.png|OUT.dot]\n"
"\n"
"DESCRIPTION\n"
"    Nodes are threads, processes (with their exit status) and the\n"
"    resources between them: pipes and sockets (by file id), TCP\n"
"    connections (4-tuple, network namespace, how they went), block\n"
"    devices, futex words, executed files, the timer, network and\n"
"    interrupt sources of wakeups, and the kernel.  Edges carry evidence\n"
"    seen in the window: kind, count, first and last time, total latency,\n"
"    bytes where there are bytes, and a confidence with its reason.\n"
"\n"
"    Exact kernel evidence has confidence 1.00: a wakeup from task\n"
"    context (woke), fork, exec, a signal (from the kernel, via the\n"
"    thread in whose context it sent it, when its si_code says so: an\n"
"    OOM kill, a child's exit), the reads and writes of a pipe or socket\n"
"    (read, wrote), messages (wrote->read: a write and a read that shared\n"
"    bytes of the same pipe or of the peer socket, one per pair, never a\n"
"    wakeup), a read that freed space and woke a task blocked on the\n"
"    same pipe or the peer socket (freed-space), a block request issued,\n"
"    a TCP socket's owner (connect, listen, accept, owns; a connection\n"
"    is refused only when a reset answered its SYN).  Correlations by\n"
"    time say so and carry less: an interrupt wakeup right after a disk\n"
"    completion on that cpu (0.90), a timed wait that timed out (0.90),\n"
"    messages of threads that wrote or read one object at once (0.90), a\n"
"    softirq wakeup of a socket wait (0.80), TCP tuples mirrored across\n"
"    network namespaces (0.90).  A wakeup from interrupt context is an\n"
"    edge from its device, never from the task the interrupt ran over.\n"
"\n"
"    Latency by kind: woke, freed-space, completed, timer, net-rx, irq,\n"
"    futex-*: the wait that was ended; read, wrote: the syscalls;\n"
"    wrote->read: write start to read end; issued: the device's service\n"
"    time; signaled: generation to delivery; connect, listen, accept,\n"
"    owns: the socket's life.\n"
"\n"
"    The window is W long (100 ms by default, \"all\" for the whole\n"
"    capture): starting at --from, ending at --to, [--from, --to] when\n"
"    both are given, or the last W of the capture.  Reading starts 1 s\n"
"    before it so that waits that end in it are known.\n"
"\n"
"    -o draws the graph (Graphviz's dot; .dot writes the DOT text, sorted\n"
"    so that the same capture gives the same bytes).  Node shapes by kind\n"
"    (ellipse thread, 3-D box process, folder pipe or socket,\n"
"    parallelogram TCP connection, cylinder disk, octagon lock, double\n"
"    circle timer, inverted house network, diamond interrupt, note\n"
"    executed file, hexagon kernel); edge labels give the kind, count,\n"
"    bytes and total latency; an edge whose confidence is below 1.00\n"
"    (inferred) is dashed.  In red, bold: the critical path of the\n"
"    window's slowest span (as `ktrail why --slowest` ranks spans, among\n"
"    those inside the window; idle waits are skipped unless --pid is\n"
"    given: epoll_wait, poll, select, wait4, waitid, pause, sleeps, a\n"
"    kernel thread waiting for work), and its root cause in the title.\n"
"    Past 60 nodes the path and then the edges with the most latency are\n"
"    kept, and a note says what was folded.  An empty selection draws a\n"
"    picture that says so.\n"
"\n"
"OPTIONS\n"
"    --window W   100ms, 2s, 500us, ... or all\n"
"    --from T     window start; --to T window end.  T is +1.5s from the\n"
"                 first event, seconds or ns on the capture clock, or\n"
"                 ISO-8601 wall clock\n"
"    --pid P      only the threads and process of P and their neighbours\n"
"                 (and what the kernel did in their context)\n"
"    --json       one JSON object: window, nodes, edges (ns exact)\n"
"    -o OUT       draw it: OUT.svg, OUT.png or OUT.dot (by extension)\n"
"    -h, --help   this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches nothing: a note on stderr says so); 2 usage error,\n"
"    a bad time or window, an unknown -o extension, or FILE missing,\n"
"    unreadable or not a valid capture; 3 out of memory, stdout or OUT\n"
"    could not be written, or Graphviz could not draw (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail graph x.ktr\n"
"    ktrail graph x.ktr --window all --pid 4242\n"
"    ktrail graph x.ktr --from +2s --window 500ms --json\n"
"    ktrail graph x.ktr --window all -o graph.svg\n";

struct graph_cmd {
	const char *file, *from_s, *to_s, *win_s, *out;
	enum kt_rfmt fmt;
	__u32 pid;
	bool json;
	__u64 len;              /* --window; 0: all */
	struct kt_window w;
};

static int parse(int argc, char **argv, struct graph_cmd *c)
{
	static const struct option lo[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
		switch (ch) {
		case 'o': c->out = optarg; break;
		case 'w': c->win_s = optarg; break;
		case 'F': c->from_s = optarg; break;
		case 'T': c->to_s = optarg; break;
		case 'j': c->json = true; break;
		case 'p':
			if ((rc = kt_cli_id("graph", "--pid", optarg, &c->pid)))
				return rc;
			break;
		case 'h': return -1;
		default:
			return kt_opt_error("graph", usage, argv, ch);
		}
	}
	if (optind >= argc)
		return kt_usage_error("graph", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("graph", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	c->file = argv[optind];
	c->fmt = c->out ? kt_rfmt_of(c->out) : KT_RF_NONE;
	if (c->out && c->fmt != KT_RF_SVG && c->fmt != KT_RF_PNG &&
	    c->fmt != KT_RF_DOT)
		return kt_usage_error("graph", usage, "-o '%s': draws .svg, .png "
				      "or .dot", c->out);
	if (c->out && c->json)
		return kt_usage_error("graph", usage, "--json: cannot be combined "
				      "with -o");
	c->len = DEFAULT_WINDOW_NS;
	if (c->win_s && !strcmp(c->win_s, "all"))
		c->len = 0;
	else if (c->win_s && (kt_duration_parse(c->win_s, &c->len) ||
			      !c->len))
		return kt_usage_error("graph", usage, "--window '%s': not a "
				      "duration (100ms, 2s) or all", c->win_s);
	return 0;
}

static void print_text(struct kt_out *o, const struct kt_window *w,
		       const struct kt_graph *g, const struct kt_graph_sel *sel,
		       const struct kt_tasks *tasks)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	char a[32], b[32], d[32], x[KT_TLF_MAX], y[KT_TLF_MAX], z[KT_TLF_MAX];

	kt_out_printf(o, "causal graph %s .. %s (%s): %zu nodes, %zu edges\n",
		kt_tlf_ts(a, sizeof(a), w->from), kt_tlf_ts(b, sizeof(b), w->to),
		kt_tlf_dur(d, sizeof(d), w->to - w->from), sel->nodes,
		sel->edges);
	kt_out_printf(o, "nodes:\n");
	for (size_t i = 0; i < nn; i++) {
		if (!sel->node[i])
			continue;
		kt_gnode_detail(y, sizeof(y), &n[i]);
		kt_out_printf(o, "  %-9s %s%s%s\n", kt_gnode_kind_name(n[i].kind),
			kt_gnode_label(x, sizeof(x), &n[i], tasks),
			y[0] ? ": " : "", y);
	}
	kt_out_printf(o, "edges:\n");
	for (size_t i = 0; i < ne; i++) {
		if (!sel->edge[i])
			continue;
		kt_out_printf(o, "  %s -%s-> %s",
			kt_gnode_label(x, sizeof(x), &n[e[i].src], tasks),
			kt_gedge_label(z, sizeof(z), &e[i]),
			kt_gnode_label(y, sizeof(y), &n[e[i].dst], tasks));
		if (e[i].via != KT_G_NONE)
			kt_out_printf(o, " via %s",
				kt_gnode_label(x, sizeof(x), &n[e[i].via], tasks));
		kt_out_printf(o, "  x%llu", (unsigned long long)e[i].count);
		if (e[i].total_ns)
			kt_out_printf(o, " %s", kt_tlf_dur(d, sizeof(d), e[i].total_ns));
		kt_out_printf(o, "  conf %u.%02u", e[i].confidence / 1000,
			      e[i].confidence % 1000 / 10);
		if (e[i].confidence < KT_G_EXACT)
			kt_out_printf(o, " (%s)", e[i].reason);
		kt_out_printf(o, "\n");
	}
}

/* the edges whose evidence has bytes: writes, reads, messages, requests */
static bool has_bytes(unsigned kind)
{
	return kind == KT_GE_WROTE || kind == KT_GE_READ ||
	       kind == KT_GE_WROTE_READ || kind == KT_GE_ISSUED;
}

static int print_json(struct kt_out *o, const struct kt_window *w,
		      const struct kt_graph *g, const struct kt_graph_sel *sel,
		      const struct kt_tasks *tasks)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	json_t *root, *jn = json_array(), *je = json_array();
	char x[KT_TLF_MAX], y[KT_TLF_MAX];

	for (size_t i = 0; jn && i < nn; i++) {
		json_t *j;

		if (!sel->node[i])
			continue;
		j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)i,
			      "kind", kt_gnode_kind_name(n[i].kind),
			      "label", kt_gnode_label(x, sizeof(x), &n[i], tasks),
			      "detail", kt_gnode_detail(y, sizeof(y), &n[i]),
			      "pid", (json_int_t)n[i].pid,
			      "first", (json_int_t)n[i].first,
			      "last", (json_int_t)n[i].last);
		if (j && n[i].kind == KT_GN_PROCESS && n[i].exited)
			json_object_set_new(j, "exit_code",
					    json_integer(n[i].exit_code));
		json_array_append_new(jn, j);
	}
	for (size_t i = 0; je && i < ne; i++) {
		json_t *j;

		if (!sel->edge[i])
			continue;
		j = json_pack(
			"{s:I, s:s, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I}",
			"id", (json_int_t)i, "kind", kt_gedge_kind_name(e[i].kind),
			"src", (json_int_t)e[i].src, "dst", (json_int_t)e[i].dst,
			"via", e[i].via == KT_G_NONE ? json_null() :
			       json_integer(e[i].via),
			"count", (json_int_t)e[i].count,
			"first", (json_int_t)e[i].first, "last", (json_int_t)e[i].last,
			"total_ns", (json_int_t)e[i].total_ns,
			"value", (json_int_t)e[i].value);
		if (j && has_bytes(e[i].kind))
			json_object_set_new(j, "bytes", json_integer(e[i].bytes));
		/* permille, printed as the decimal it means (0.9, not
		 * 0.8999999761581421): JSON_REAL_PRECISION(3) below */
		if (j)
			json_object_set_new(j, "confidence",
					    json_real(e[i].confidence / 1000.0));
		if (j)
			json_object_set_new(j, "reason", json_string(e[i].reason));
		json_array_append_new(je, j);
	}
	root = json_pack("{s:{s:I, s:I}, s:o, s:o}", "window",
			 "from", (json_int_t)w->from, "to", (json_int_t)w->to,
			 "nodes", jn, "edges", je);
	if (!root)
		return -ENOMEM;
	kt_out_jansson(o, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(3));
	kt_out_ch(o, '\n');
	json_decref(root);
	return 0;
}

/* The window's slowest span (with --pid, that process's, idle waits
 * included) and its critical path: OUT @have set when there is one. */
static int slowest(const struct graph_cmd *c, struct kt_reader *r,
		   struct kt_why *w, bool *have)
{
	struct kt_why_span sp;
	struct kt_err err = { 0 };
	int rc;

	*have = false;
	rc = kt_why_pick_window(r, &c->w, c->pid, 0, &sp, &err);
	if (rc == -ENOENT)
		return 0;
	if (!rc)
		rc = kt_why_explain(r, &sp, w, &err);
	if (rc)
		return kt_fail("graph", c->file, rc, KT_ERR_INPUT, &err);
	*have = true;
	return 0;
}

/* -o: the DOT text, laid out by Graphviz unless .dot was asked; @w the
 * slowest span's path, or NULL */
static int draw(const struct graph_cmd *c, struct kt_reader *r,
		const struct kt_graph *g, const struct kt_graph_sel *sel,
		struct kt_why *w)
{
	struct kt_graph_pic pic = {
		.g = g, .sel = sel, .tasks = kt_reader_tasks(r),
		.from = c->w.from, .to = c->w.to, .pid = c->pid,
	};
	struct kt_graph_sel path = { 0 };
	char *dot = NULL, *pix = NULL, msg[256];
	size_t len = 0, plen = 0;
	int rc = 0;

	if (w && sel->nodes) {
		/* the graph's reading replaced the task table the path
		 * was named from: name both from the one in force */
		w->tasks = pic.tasks;
		pic.why = w;
		pic.path = &path;
		rc = kt_graph_path(g, &w->path, &path);
	}
	if (!rc)
		rc = kt_graph_dot(&pic, &dot, &len);
	if (rc) {
		rc = kt_fail("graph", NULL, rc, KT_ERR_SYSTEM, NULL);
	} else if (c->fmt == KT_RF_DOT) {
		rc = kt_cli_write("graph", c->out, dot, len);
	} else if ((rc = kt_dot_render(dot, c->fmt, &pix, &plen, msg,
				       sizeof(msg)))) {
		kt_msg("graph", c->out, "graphviz: %s", msg[0] ? msg :
		       rc == -ENOTSUP ? "the dot layout or its renderer is not "
		       "installed (graphviz plugins, `dot -c`)" : strerror(-rc));
		rc = KT_EXIT_REFUSED;
	} else {
		rc = kt_cli_write("graph", c->out, pix, plen);
	}
	free(dot);
	free(pix);
	kt_graph_sel_release(&path);
	return rc;
}

int cmd_graph(int argc, char **argv)
{
	struct graph_cmd c = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_graph *g = NULL;
	struct kt_graph_sel sel = { 0 };
	struct kt_out o = { 0 };
	struct kt_info info;
	struct kt_why w;
	bool have = false;
	int rc;

	rc = parse(argc, argv, &c);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("graph", c.file, &r)))
		return rc;
	if ((rc = kt_cli_window("graph", c.file, r, c.from_s, c.to_s, &c.w.from,
				&c.w.to)))
		goto out;
	kt_reader_info(r, &info);
	kt_window_place(&c.w, &info, c.len);
	/* the path first: the graph's reading leaves the task table its
	 * labels are named from, as without -o */
	if (c.out && (rc = slowest(&c, r, &w, &have)))
		goto out;
	rc = kt_graph_build(r, &c.w, &g, &err);
	if (!rc)
		rc = kt_graph_select(g, c.pid, &sel);
	if (rc) {
		rc = kt_fail("graph", c.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	/* the window is always a selection: 100 ms by default */
	if (!sel.nodes) {
		struct kt_cli_sel ns = {
			.from = c.w.from, .to = c.w.to, .pid = c.pid,
			.given = true,
		};

		kt_cli_nothing("graph", c.file, r, &ns);
	}
	if (c.out) {
		rc = draw(&c, r, g, &sel, have ? &w : NULL);
		goto out;
	}
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("graph", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	if (c.json)
		rc = print_json(&o, &c.w, g, &sel, kt_reader_tasks(r));
	else
		print_text(&o, &c.w, g, &sel, kt_reader_tasks(r));
	rc = kt_cli_finish("graph", c.file, rc, &err, &o);
out:
	if (have)
		kt_why_release(&w);
	kt_out_release(&o);
	kt_graph_sel_release(&sel);
	kt_graph_free(g);
	kt_reader_close(r);
	return rc;
}
