// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stats.c - `ktrail stats`: option parsing over analyze/stats.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/names.h"
#include "cli/capture.h"
#include "analyze/stats.h"

static const char usage[] =
	"ktrail stats FILE [TOOL] [--from T] [--to T] [--pid P] [--tid T] "
	"[--comm C] [TOOL OPTIONS] [--rel | --wall] [--json]";

static const char help_head[] =
"NAME\n"
"    ktrail stats - the classic bcc tools, answered offline from a capture\n"
"\n"
"SYNOPSIS\n"
"    ktrail stats FILE\n"
"    ktrail stats FILE TOOL [--from T] [--to T] [--pid P] [--tid T]\n"
"                 [--comm C] [TOOL OPTIONS] [--rel | --wall] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Runs TOOL over the events of FILE and prints what the bcc tool of\n"
"    the same name would have printed had it run during the recording.\n"
"    Without TOOL, lists the tools.  Times (TIME(s)) are seconds on the\n"
"    capture clock, as in `ktrail replay`; latencies are exact to the\n"
"    nanosecond except syscount's percentiles (see below).\n"
"\n"
"    Filters select the rows' subject: the process or thread a row is\n"
"    about (the woken thread for runqlat, the socket's owner for\n"
"    tcpconnect/tcplife, the victim for oomkill, the sender for\n"
"    killsnoop, the issuer for block I/O).  --comm matches the name the\n"
"    task had at the event.\n"
"\n"
"    Memory is bounded by the number of keys (syscalls, processes,\n"
"    threads, sockets, disks), never by the number of events: snoop\n"
"    tools keep nothing, tcpconnect and tcplife keep one entry per open\n"
"    socket, offcputime at most 64 off-CPU intervals per thread while it\n"
"    waits for the syscall that contains them.\n"
"\n"
"TOOLS\n";

static const char help_tail[] =
"\n"
"    syscount percentiles come from a log-linear histogram with 32\n"
"    buckets per power of two: each percentile is the mean of its\n"
"    bucket, exact when the bucket's values are equal and within 3 %\n"
"    otherwise; COUNT, ERRORS, TOTAL and MAX are exact.  runqlat and\n"
"    offcputime derive thread states from switch and waking events\n"
"    (runnable from waking or preemption to switch-in; off-CPU from\n"
"    switch-out to switch-in, by prev_state).\n"
"\n"
"OPTIONS\n"
"    --from T, --to T   the window (see ktrail replay --help for T)\n"
"    --pid P, --tid T   only rows about process P / thread T\n"
"    --comm C           only rows about tasks named C\n"
"    --json             NDJSON, one object per row or histogram; without\n"
"                       TOOL the list of tools, {\"tools\": [{\"name\",\n"
"                       \"summary\", \"options\"}, ...]}\n"
"    --rel              TIME(s) in seconds since the capture's first\n"
"                       event (default: on the capture clock)\n"
"    --wall             TIME as ISO-8601 UTC wall clock, through the\n"
"                       capture's clock anchors\n"
"    --top N            rows of ranked tables (default 20, 0 = all)\n"
"    --ms               histograms in milliseconds instead of us\n"
"    --queued           block latency includes the time queued in the OS\n"
"    --per-disk         one histogram per disk\n"
"    --per-process      one histogram or row per process (syscount: the\n"
"                       errno table by process too)\n"
"    --per-thread       one histogram per thread\n"
"    --per-comm         syscount: two more tables, by command (the name\n"
"                       the task had at the call; the processes of one\n"
"                       name together) and syscall, and by command,\n"
"                       syscall and errno (`ktrail diff` compares them)\n"
"    --failed           only failed calls\n"
"    --syscall NAME     only this syscall (name or number)\n"
"    --all              killsnoop: kernel-sent signals too; exitsnoop:\n"
"                       thread exits too\n"
"    -h, --help         this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches no event: a note on stderr says so); 2 usage error,\n"
"    an unknown tool, a bad time, or FILE missing, unreadable or not a\n"
"    valid capture; 3 out of memory, or stdout could not be written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail stats x.ktr\n"
"    ktrail stats x.ktr syscount --pid 4242 --top 10\n"
"    ktrail stats x.ktr biolatency --per-disk --ms\n"
"    ktrail stats x.ktr offcputime --from +1s --to +2s --json\n";

static void list_tools(FILE *f, bool opts)
{
	const struct kt_stats_tool *t;

	for (size_t i = 0; (t = kt_stats_tool_at(i)); i++) {
		fprintf(f, "    %-12s %s\n", kt_stats_tool_name(t),
			kt_stats_tool_summary(t));
		if (opts && *kt_stats_tool_options(t)) {
			const char *o = kt_stats_tool_options(t);

			fprintf(f, "    %-12s options:", "");
			while (*o) {
				size_t n = strcspn(o, ",");

				fprintf(f, " --%.*s", (int)n, o);
				o += n + (o[n] == ',');
			}
			fputc('\n', f);
		}
	}
}

/* The list as JSON, one object per tool: {"name", "summary",
 * "options": ["ms", ...]}, in an object {"tools": [...]}. */
static int list_json(const char *path)
{
	const struct kt_stats_tool *t;
	json_t *tools = json_array(), *root = json_pack("{s:o}", "tools", tools);
	char *out;

	for (size_t i = 0; root && (t = kt_stats_tool_at(i)); i++) {
		const char *o = kt_stats_tool_options(t);
		json_t *opts = json_array();

		while (opts && *o) {
			size_t n = strcspn(o, ",");

			json_array_append_new(opts, json_stringn(o, n));
			o += n + (o[n] == ',');
		}
		json_array_append_new(tools, json_pack("{s:s, s:s, s:o}",
			"name", kt_stats_tool_name(t),
			"summary", kt_stats_tool_summary(t), "options", opts));
	}
	out = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	if (!out)
		return kt_fail("stats", path, -ENOMEM, KT_ERR_SYSTEM, NULL);
	puts(out);
	free(out);
	return KT_EXIT_OK;
}

static int help(void)
{
	fputs(help_head, stdout);
	list_tools(stdout, true);
	fputs(help_tail, stdout);
	return KT_EXIT_OK;
}

/* Which tool-specific options were given, to check them against the
 * tool once it is known. */
struct stats_args {
	const char *file, *tool, *from, *to, *syscall;
	bool rel, wall;
	const char *given[12];
	size_t ngiven;
	struct kt_stats_opts opts;
};

static int parse_top(const char *s, unsigned *v)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (end == s || *end || s[0] == '-' || n > 1000000000UL) {
		kt_msg("stats", NULL, "--top '%s': not a number in 0..1000000000",
		       s);
		return KT_EXIT_USAGE;
	}
	*v = (unsigned)n;
	return 0;
}

static int tool_opt(struct stats_args *a, const char *name)
{
	if (a->ngiven < sizeof(a->given) / sizeof(a->given[0]))
		a->given[a->ngiven++] = name;
	return 0;
}

static int parse_opt(struct stats_args *a, int c, const char *name)
{
	int rc;

	switch (c) {
	case 'F': a->from = optarg; return 0;
	case 'T': a->to = optarg; return 0;
	case 'c': a->opts.comm = optarg; return 0;
	case 'j': a->opts.json = true; return 0;
	case 'R': a->rel = true; return 0;
	case 'W': a->wall = true; return 0;
	case 'p': return kt_cli_id("stats", "--pid", optarg, &a->opts.pid);
	case 't': return kt_cli_id("stats", "--tid", optarg, &a->opts.tid);
	case 'n':
		if ((rc = parse_top(optarg, &a->opts.top)))
			return rc;
		break;
	case 'm': a->opts.ms = true; break;
	case 'q': a->opts.queued = true; break;
	case 'D': a->opts.per_disk = true; break;
	case 'P': a->opts.per_process = true; break;
	case 'L': a->opts.per_thread = true; break;
	case 'C': a->opts.per_comm = true; break;
	case 'x': a->opts.failed = true; break;
	case 'a': a->opts.all = true; break;
	case 's': a->syscall = optarg; break;
	}
	return tool_opt(a, name);
}

static int parse(int argc, char **argv, struct stats_args *a)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "comm", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "rel", no_argument, NULL, 'R' },
		{ "wall", no_argument, NULL, 'W' },
		{ "top", required_argument, NULL, 'n' },
		{ "ms", no_argument, NULL, 'm' },
		{ "queued", no_argument, NULL, 'q' },
		{ "per-disk", no_argument, NULL, 'D' },
		{ "per-process", no_argument, NULL, 'P' },
		{ "per-thread", no_argument, NULL, 'L' },
		{ "per-comm", no_argument, NULL, 'C' },
		{ "failed", no_argument, NULL, 'x' },
		{ "all", no_argument, NULL, 'a' },
		{ "syscall", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, idx, rc;

	kt_stats_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, ":h", lo, &idx)) != -1) {
		if (c == 'h')
			return -1;
		if (c == '?' || c == ':')
			return kt_opt_error("stats", usage, argv, c);
		if ((rc = parse_opt(a, c, lo[idx].name)))
			return rc;
	}
	if (optind >= argc)
		return kt_usage_error("stats", usage, "missing FILE");
	a->file = argv[optind++];
	if (optind < argc)
		a->tool = argv[optind++];
	if (optind < argc)
		return kt_usage_error("stats", usage, "'%s': unexpected argument",
				      argv[optind]);
	return 0;
}

/* Check the tool options against @t and resolve --syscall. */
static int check(struct stats_args *a, const struct kt_stats_tool *t)
{
	const char *allowed = kt_stats_tool_options(t);
	size_t n;
	int nr;

	for (size_t i = 0; i < a->ngiven; i++) {
		const char *p = allowed;

		n = strlen(a->given[i]);
		while ((p = strstr(p, a->given[i])) &&
		       ((p != allowed && p[-1] != ',') ||
			(p[n] && p[n] != ',')))
			p += n;
		if (!p)
			return kt_usage_error("stats", usage,
					      "--%s: does not apply to %s",
					      a->given[i], kt_stats_tool_name(t));
	}
	if (a->opts.per_thread && a->opts.per_process)
		return kt_usage_error("stats", usage, "--per-process: cannot be "
				      "combined with --per-thread");
	if (!a->syscall)
		return 0;
	nr = kt_syscall_nr(a->syscall);
	if (nr < 0) {
		char *end;
		unsigned long v = strtoul(a->syscall, &end, 10);

		if (end == a->syscall || *end || v > 100000) {
			kt_msg("stats", NULL, "--syscall '%s': unknown syscall",
			       a->syscall);
			return KT_EXIT_USAGE;
		}
		nr = (int)v;
	}
	a->opts.syscall = nr;
	return 0;
}

/* whether the rows were narrowed: a window, a subject, or a tool option
 * that keeps only some calls */
static bool selected(const struct stats_args *a)
{
	return a->from || a->to || a->opts.pid || a->opts.tid || a->opts.comm ||
	       a->opts.failed || a->syscall;
}

static int run(struct stats_args *a, const struct kt_stats_tool *t,
	       struct kt_reader *r)
{
	struct kt_disks *disks;
	struct kt_source *src = NULL;
	struct kt_err err = { 0 };
	struct kt_out o = { 0 };
	struct kt_info info;
	__u64 matched = 0;
	int rc;

	kt_reader_info(r, &info);
	a->opts.first_ts = info.first_ts;
	a->opts.last_ts = info.last_ts;
	for (unsigned k = 1; k < KT_KIND_MAX && k < 64; k++)
		if (info.kind_events[k])
			a->opts.have_kinds |= KT_KIND_BIT(k);
	kt_reader_filter(r, kt_stats_tool_kinds(t),
			 kt_stats_tool_subject(t) ? a->opts.pid : 0,
			 kt_stats_tool_subject(t) ? a->opts.tid : 0);
	if ((rc = kt_cli_window("stats", a->file, r, a->from, a->to,
				&a->opts.from, &a->opts.to)))
		return rc;
	src = kt_source_reader(r);
	disks = kt_disks_new(kt_reader_meta(r));
	a->opts.disks = disks;
	if (!src || !disks || kt_out_init(&o, STDOUT_FILENO, 0)) {
		kt_source_free(src);
		kt_disks_free(disks);
		return kt_fail("stats", a->file, -ENOMEM, KT_ERR_SYSTEM, NULL);
	}
	if ((rc = kt_cli_timemode("stats", r, a->rel, a->wall, &o))) {
		kt_out_release(&o);
		kt_source_free(src);
		kt_disks_free(disks);
		return rc;
	}
	rc = kt_stats_run(t, src, &a->opts, &o, &matched, &err);
	rc = kt_cli_finish("stats", a->file, rc, &err, &o);
	if (!rc && !matched && !o.err) {
		struct kt_cli_sel sel = {
			.from = a->opts.from, .to = a->opts.to,
			.pid = a->opts.pid, .tid = a->opts.tid,
			.comm = a->opts.comm, .kinds = kt_stats_tool_kinds(t),
			.given = selected(a),
		};

		kt_cli_nothing("stats", a->file, r, &sel);
	}
	kt_out_release(&o);
	kt_source_free(src);
	kt_disks_free(disks);
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	struct stats_args a = { 0 };
	const struct kt_stats_tool *t = NULL;
	struct kt_reader *r = NULL;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? help() : rc;
	if (a.tool && !(t = kt_stats_find(a.tool)))
		return kt_usage_error("stats", usage, "'%s': unknown tool (run "
				      "'ktrail stats FILE' for the list)",
				      a.tool);
	if (t && (rc = check(&a, t)))
		return rc;
	if ((rc = kt_cli_open("stats", a.file, &r)))
		return rc;
	if (!t && a.opts.json) {
		rc = list_json(a.file);
	} else if (!t) {
		printf("tools (ktrail stats %s TOOL):\n", a.file);
		list_tools(stdout, false);
	} else {
		rc = run(&a, t, r);
	}
	kt_reader_close(r);
	return rc;
}
