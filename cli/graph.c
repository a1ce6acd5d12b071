// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * graph.c - `ktrail graph`: the causal graph of one time window as
 * text or JSON.  (SVG/PNG/DOT output is the render issue's: -o.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli/cli.h"
#include "analyze/graph.h"
#include "analyze/names.h"
#include "cli/capture.h"
#include "analyze/timeline_fmt.h"

#define LOOKBACK_NS 1000000000ULL
#define DEFAULT_WINDOW_NS 100000000ULL

static const char usage[] =
	"ktrail graph FILE [--window W] [--from T] [--to T] [--pid P] [--json]";

static const char help[] =
"NAME\n"
"    ktrail graph - the causal graph of a time window\n"
"\n"
"SYNOPSIS\n"
"    ktrail graph FILE [--window W] [--from T] [--to T] [--pid P] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Nodes are threads, processes (with their exit status) and the\n"
"    resources between them: pipes, sockets and files (by file id), TCP\n"
"    connections (4-tuple and network namespace), block devices, futex\n"
"    words, executed files, and the timer, network and interrupt sources\n"
"    of wakeups.  Edges carry evidence seen in the window: kind, count,\n"
"    first and last time, total latency, and a confidence with its\n"
"    reason.  Exact kernel evidence has confidence 1.00: a wakeup from\n"
"    task context (woke), fork, exec, a signal, a write that woke a read\n"
"    on the same pipe or the peer socket (wrote->read), a block request\n"
"    issued, a refused or established connection.  Correlations by time\n"
"    say so and carry less: an interrupt wakeup right after a disk\n"
"    completion on that cpu (0.90), a timed wait that timed out (0.90), a\n"
"    softirq wakeup of a socket wait (0.80), TCP tuples mirrored across\n"
"    network namespaces (0.90).  A wakeup from interrupt context is an\n"
"    edge from its device, never from the task the interrupt ran over.\n"
"\n"
"    Latency by kind: woke, read, wrote->read, completed, timer, net-rx,\n"
"    irq, futex-*: the wait that was ended; issued: the device's service\n"
"    time; signaled: generation to delivery; connect: the connection's\n"
"    life; wrote: the write.\n"
"\n"
"    The window is W long (100 ms by default, \"all\" for the whole\n"
"    capture): starting at --from, ending at --to, [--from, --to] when\n"
"    both are given, or the last W of the capture.  Reading starts 1 s\n"
"    before it so that waits that end in it are known.\n"
"\n"
"OPTIONS\n"
"    --window W   100ms, 2s, 500us, ... or all\n"
"    --from T     window start; --to T window end.  T is +1.5s from the\n"
"                 first event, seconds or ns on the capture clock, or\n"
"                 ISO-8601 wall clock\n"
"    --pid P      only the threads and process of P and their neighbours\n"
"    --json       one JSON object: window, nodes, edges (ns exact)\n"
"    -h, --help   this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches nothing: a note on stderr says so); 2 usage error,\n"
"    a bad time or window, or FILE missing, unreadable or not a valid\n"
"    capture; 3 out of memory, or stdout could not be written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail graph x.ktr\n"
"    ktrail graph x.ktr --window all --pid 4242\n"
"    ktrail graph x.ktr --from +2s --window 500ms --json\n";

struct graph_cmd {
	const char *file, *from_s, *to_s, *win_s;
	__u32 pid;
	bool json, all;
	__u64 from, to, window;
	bool *keep_node, *keep_edge;
};

static int parse(int argc, char **argv, struct graph_cmd *c)
{
	static const struct option lo[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (ch) {
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
	c->window = DEFAULT_WINDOW_NS;
	if (c->win_s && !strcmp(c->win_s, "all"))
		c->all = true;
	else if (c->win_s && (kt_duration_parse(c->win_s, &c->window) ||
			      !c->window))
		return kt_usage_error("graph", usage, "--window '%s': not a "
				      "duration (100ms, 2s) or all", c->win_s);
	return 0;
}

/* Place the window from --from/--to/--window on the capture. */
static void place(struct graph_cmd *c, const struct kt_info *info)
{
	if (c->all) {
		c->from = c->from ? c->from : info->first_ts;
		c->to = c->to ? c->to : info->last_ts;
		return;
	}
	if (c->from && c->to)
		return;
	if (c->from) {
		c->to = c->from + c->window;
	} else {
		if (!c->to)
			c->to = info->last_ts;
		c->from = c->to > info->first_ts + c->window ?
			  c->to - c->window : info->first_ts;
	}
}

static int build(struct kt_reader *r, struct graph_cmd *c,
		 struct kt_graph **out, struct kt_err *err)
{
	struct kt_graph_opts go = { 0 };
	struct kt_source *src = NULL;
	struct kt_graph *g = NULL;
	struct kt_info info;
	int rc;

	kt_reader_info(r, &info);
	place(c, &info);
	go.from = c->from;
	go.to = c->to;
	go.tl.end_ts = c->to + KT_GRAPH_SLACK_NS < info.last_ts ?
		       c->to + KT_GRAPH_SLACK_NS : info.last_ts;
	go.tl.syscalls = info.kind_events[KT_SYSCALL] > 0;
	rc = kt_reader_seek(r, c->from > info.first_ts + LOOKBACK_NS ?
			    c->from - LOOKBACK_NS : info.first_ts, err);
	if (rc)
		return rc;
	g = kt_graph_new(&go);
	src = kt_source_reader(r);
	if (!g || !src)
		rc = -ENOMEM;
	else
		rc = kt_graph_run(g, src, err);
	kt_source_free(src);
	if (rc)
		kt_graph_free(g);
	else
		*out = g;
	return rc;
}

/* --pid: the process's threads and process node, and their neighbours */
static int select_pid(struct graph_cmd *c, const struct kt_graph *g)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	bool *own;

	c->keep_node = calloc(nn + 1, sizeof(bool));
	c->keep_edge = calloc(ne + 1, sizeof(bool));
	own = calloc(nn + 1, sizeof(bool));
	if (!c->keep_node || !c->keep_edge || !own) {
		free(own);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nn; i++)
		own[i] = c->keep_node[i] = n[i].kind &&
			(!c->pid || ((n[i].kind == KT_GN_THREAD ||
				      n[i].kind == KT_GN_PROCESS) &&
				     n[i].pid == c->pid));
	for (size_t i = 0; i < ne; i++) {
		if (!e[i].kind || (c->pid && !own[e[i].src] && !own[e[i].dst]))
			continue;
		c->keep_edge[i] = true;
		c->keep_node[e[i].src] = c->keep_node[e[i].dst] = true;
		if (e[i].via != KT_G_NONE)
			c->keep_node[e[i].via] = true;
	}
	free(own);
	return 0;
}

static size_t kept_nodes(const struct graph_cmd *c, const struct kt_graph *g)
{
	size_t nn, kn = 0;

	kt_graph_nodes(g, &nn);
	for (size_t i = 0; i < nn; i++)
		kn += c->keep_node[i];
	return kn;
}

static char *node_label(char *b, size_t sz, const struct kt_gnode *n,
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
		kt_fmt_ipport(x, sizeof(x), n->tcp.family, n->tcp.saddr, n->tcp.sport);
		kt_fmt_ipport(y, sizeof(y), n->tcp.family, n->tcp.daddr, n->tcp.dport);
		snprintf(b, sz, "tcp %s->%s", x, y);
		return b;
	case KT_GN_BLOCKDEV:
		kt_fmt_dev(x, sizeof(x), n->a);
		snprintf(b, sz, "disk %s", x);
		return b;
	case KT_GN_FUTEX:
		snprintf(b, sz, "futex 0x%llx[%u]", (unsigned long long)n->b, n->pid);
		return b;
	case KT_GN_EXE:
		snprintf(b, sz, "%s", n->name ? n->name : "?");
		return b;
	}
	snprintf(b, sz, "%s", kt_gnode_kind_name(n->kind));
	return b;
}

/* what a node says beyond its label: exit status, connection outcome */
static char *node_detail(char *b, size_t sz, const struct kt_gnode *n)
{
	char x[64];
	const char *s;

	b[0] = 0;
	if (n->kind == KT_GN_PROCESS && n->exited) {
		kt_fmt_exit(x, sizeof(x), n->exit_code);
		snprintf(b, sz, "%s", x);
	} else if (n->kind == KT_GN_FLOW) {
		s = kt_tcp_state_name(n->tcp.last_state);
		if (n->tcp.established)
			snprintf(b, sz, "netns %u, established%s", n->tcp.netns,
				 n->tcp_closed ? ", closed" : "");
		else if (n->tcp_closed)
			snprintf(b, sz, "netns %u, refused (%s -> CLOSE%s)",
				 n->tcp.netns, s ? s : "?",
				 n->tcp.resets & KT_TCP_RESET_RECEIVED ?
				 ", reset received" : "");
		else
			snprintf(b, sz, "netns %u, %s", n->tcp.netns, s ? s : "?");
		if (n->tcp.retrans) {
			size_t l = strlen(b);

			snprintf(b + l, sz - l, ", %u retransmits", n->tcp.retrans);
		}
	} else if (n->kind == KT_GN_THREAD || n->kind == KT_GN_FUTEX) {
		snprintf(b, sz, "pid %u", n->pid);
	}
	return b;
}

static char *edge_label(char *b, size_t sz, const struct kt_gedge *e)
{
	const char *s = e->kind == KT_GE_SIGNALED ? kt_signal_name(e->value) : NULL;

	if (s)
		snprintf(b, sz, "signaled %s", s);
	else if (e->kind == KT_GE_CONNECT)
		snprintf(b, sz, "connect%s", e->value ? " (refused)" : "");
	else if (e->kind == KT_GE_ISSUED)
		snprintf(b, sz, "issued %lld B", (long long)e->value);
	else
		snprintf(b, sz, "%s", kt_gedge_kind_name(e->kind));
	return b;
}

static void print_text(FILE *f, const struct graph_cmd *c,
		       const struct kt_graph *g, const struct kt_tasks *tasks)
{
	size_t nn, ne, kn = 0, ke = 0;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	char a[32], b[32], d[32], x[KT_TLF_MAX], y[KT_TLF_MAX], z[KT_TLF_MAX];

	for (size_t i = 0; i < nn; i++)
		kn += c->keep_node[i];
	for (size_t i = 0; i < ne; i++)
		ke += c->keep_edge[i];
	fprintf(f, "causal graph %s .. %s (%s): %zu nodes, %zu edges\n",
		kt_tlf_ts(a, sizeof(a), c->from), kt_tlf_ts(b, sizeof(b), c->to),
		kt_tlf_dur(d, sizeof(d), c->to - c->from), kn, ke);
	fprintf(f, "nodes:\n");
	for (size_t i = 0; i < nn; i++) {
		if (!c->keep_node[i])
			continue;
		node_detail(y, sizeof(y), &n[i]);
		fprintf(f, "  %-9s %s%s%s\n", kt_gnode_kind_name(n[i].kind),
			node_label(x, sizeof(x), &n[i], tasks), y[0] ? ": " : "", y);
	}
	fprintf(f, "edges:\n");
	for (size_t i = 0; i < ne; i++) {
		if (!c->keep_edge[i])
			continue;
		fprintf(f, "  %s -%s-> %s", node_label(x, sizeof(x), &n[e[i].src], tasks),
			edge_label(z, sizeof(z), &e[i]),
			node_label(y, sizeof(y), &n[e[i].dst], tasks));
		if (e[i].via != KT_G_NONE)
			fprintf(f, " via %s", node_label(x, sizeof(x), &n[e[i].via], tasks));
		fprintf(f, "  x%llu", (unsigned long long)e[i].count);
		if (e[i].total_ns)
			fprintf(f, " %s", kt_tlf_dur(d, sizeof(d), e[i].total_ns));
		fprintf(f, "  conf %.2f", e[i].confidence);
		if (e[i].confidence < 1.0f)
			fprintf(f, " (%s)", e[i].reason);
		fprintf(f, "\n");
	}
}

static int print_json(FILE *f, const struct graph_cmd *c,
		      const struct kt_graph *g, const struct kt_tasks *tasks)
{
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	json_t *root, *jn = json_array(), *je = json_array();
	char x[KT_TLF_MAX], y[KT_TLF_MAX];
	int rc;

	for (size_t i = 0; jn && i < nn; i++) {
		json_t *o;

		if (!c->keep_node[i])
			continue;
		o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)i,
			      "kind", kt_gnode_kind_name(n[i].kind),
			      "label", node_label(x, sizeof(x), &n[i], tasks),
			      "detail", node_detail(y, sizeof(y), &n[i]),
			      "pid", (json_int_t)n[i].pid,
			      "first", (json_int_t)n[i].first,
			      "last", (json_int_t)n[i].last);
		if (o && n[i].kind == KT_GN_PROCESS && n[i].exited)
			json_object_set_new(o, "exit_code",
					    json_integer(n[i].exit_code));
		json_array_append_new(jn, o);
	}
	for (size_t i = 0; je && i < ne; i++) {
		if (!c->keep_edge[i])
			continue;
		json_array_append_new(je, json_pack(
			"{s:I, s:s, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:f, s:s}",
			"id", (json_int_t)i, "kind", kt_gedge_kind_name(e[i].kind),
			"src", (json_int_t)e[i].src, "dst", (json_int_t)e[i].dst,
			"via", e[i].via == KT_G_NONE ? json_null() :
			       json_integer(e[i].via),
			"count", (json_int_t)e[i].count,
			"first", (json_int_t)e[i].first, "last", (json_int_t)e[i].last,
			"total_ns", (json_int_t)e[i].total_ns,
			"value", (json_int_t)e[i].value,
			"confidence", (double)e[i].confidence, "reason", e[i].reason));
	}
	root = json_pack("{s:{s:I, s:I}, s:o, s:o}", "window",
			 "from", (json_int_t)c->from, "to", (json_int_t)c->to,
			 "nodes", jn, "edges", je);
	if (!root)
		return -ENOMEM;
	rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
	return rc ? -EIO : 0;
}

int cmd_graph(int argc, char **argv)
{
	struct graph_cmd c = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_graph *g = NULL;
	int rc;

	rc = parse(argc, argv, &c);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("graph", c.file, &r)))
		return rc;
	if ((rc = kt_cli_window("graph", c.file, r, c.from_s, c.to_s, &c.from,
				&c.to)))
		goto out;
	rc = build(r, &c, &g, &err);
	if (!rc)
		rc = select_pid(&c, g);
	if (rc) {
		rc = kt_fail("graph", c.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	/* the window is always a selection: 100 ms by default */
	if (!kept_nodes(&c, g))
		kt_cli_nothing("graph", c.file);
	if (c.json)
		rc = print_json(stdout, &c, g, kt_reader_tasks(r));
	else
		print_text(stdout, &c, g, kt_reader_tasks(r));
	/* write errors are stdout's (main reports them), anything else ours */
	if (rc && !ferror(stdout))
		rc = kt_fail("graph", c.file, rc, KT_ERR_SYSTEM, NULL);
	else
		rc = KT_EXIT_OK;
out:
	free(c.keep_node);
	free(c.keep_edge);
	kt_graph_free(g);
	kt_reader_close(r);
	return rc;
}
