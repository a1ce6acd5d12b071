// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* export.c - `ktrail export`: option parsing over render/'s exports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "cli/capture.h"
#include "render/render.h"

static const char usage[] =
	"ktrail export FILE (--sqlite OUT.db | --json [-o OUT] | "
	"--chrome OUT.json | --pcap OUT.pcapng) [--from T] [--to T] "
	"[--pid P] [-e FAMILIES] [--stats]";

static const char help[] =
"NAME\n"
"    ktrail export - write a capture as SQLite, NDJSON, Chrome trace JSON\n"
"    or pcapng\n"
"\n"
"SYNOPSIS\n"
"    ktrail export FILE --sqlite OUT.db  [SELECTION]\n"
"    ktrail export FILE --json [-o OUT]  [SELECTION]\n"
"    ktrail export FILE --chrome OUT.json [SELECTION]\n"
"    ktrail export FILE --pcap OUT.pcapng [SELECTION]\n"
"    ktrail export FILE --format sqlite|json|chrome|pcap -o OUT [SELECTION]\n"
"\n"
"DESCRIPTION\n"
"    Writes FILE in a form other tools read.  docs/sql.md documents each.\n"
"\n"
"    --sqlite: a SQLite database for ad-hoc SQL (`ktrail sql` queries\n"
"    one without exporting by hand): processes and threads with stable\n"
"    ids (utid, upid) and their names over time; one table per event\n"
"    kind (ev_syscall, ev_sched_switch, ...) with a column per field;\n"
"    the timeline's thread states; scheduling slices; TCP connections;\n"
"    signals; the causal graph's nodes and edges; the critical paths of\n"
"    the slowest syscall of each process and of the 20 slowest overall\n"
"    (idle waits such as epoll_wait, poll, wait4 and sleeps excluded);\n"
"    lost events; the metadata.  Tables that Perfetto's trace processor\n"
"    also has carry its names and key columns (process, thread,\n"
"    thread_state, sched_slice, slice, flow).  Times are INTEGER ns on\n"
"    the capture clock; views add seconds from the start (ts_s) and the\n"
"    wall clock (wall).  Built in one transaction into a temporary file\n"
"    beside OUT, renamed over OUT at the end.\n"
"\n"
"    --json: NDJSON, one flat object per event, the members of `replay\n"
"    --json` with one type each and 64-bit integers exact, for DuckDB's\n"
"    read_json, ClickHouse's JSONEachRow or Spark (docs/sql.md gives the\n"
"    column types and the loading statements).  To stdout without -o.\n"
"\n"
"    --chrome: Chrome Trace Event JSON for the Perfetto UI and\n"
"    chrome://tracing: processes and threads as tracks, syscalls as\n"
"    slices, thread states and block I/O and TCP connections as async\n"
"    slices, wakeups as flow arrows, clock-sync metadata.  Timestamps\n"
"    are microseconds from the capture's first event with nanosecond\n"
"    fractions.  Held in memory to be written in time order: select a\n"
"    window (--from/--to) of a large capture.\n"
"\n"
"    --pcap: the packets recorded with `record --pcap IFACE` as pcapng\n"
"    for Wireshark and tshark, one interface block per interface,\n"
"    timestamps in wall-clock time (ns) from the capture's clock\n"
"    anchors.\n"
"\n"
"    Every output is written to a temporary file beside it and renamed\n"
"    when complete.  The same capture and options give the same bytes.\n"
"\n"
"OPTIONS\n"
"    --sqlite OUT    the SQLite database (--format sqlite -o OUT)\n"
"    --json          NDJSON (--format json), to -o OUT or stdout\n"
"    --chrome OUT    Chrome trace JSON (--format chrome -o OUT)\n"
"    --pcap OUT      pcapng (--format pcap -o OUT)\n"
"    -f, --format F  sqlite, json, chrome or pcap\n"
"    -o, --output OUT  where to write\n"
"    --from T        events that start at T or later\n"
"    --to T          events that start before T\n"
"                    T is +1.5s / +200ms from the first event, seconds or\n"
"                    nanoseconds (12345ns) on the capture clock, or\n"
"                    ISO-8601 wall clock\n"
"    --pid P         only process P's events (SQLite: its rows of every\n"
"                    table; process and thread keep every task)\n"
"    -e, --events F  only families F (sched, proc, syscall, tcp, block,\n"
"                    signal, oom, fault, mem, net, meta, all); SQLite\n"
"                    builds the thread states, slices, causal graph and\n"
"                    critical paths only when sched is selected\n"
"    --stats         print what was written on stderr (events, rows,\n"
"                    bytes, seconds)\n"
"    -h, --help      this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the selection matches no event: a note on\n"
"    stderr says so); 2 usage error (no format, two formats, an unknown\n"
"    format, a bad time), or FILE missing, unreadable or not a valid\n"
"    capture; 3 out of memory, or OUT cannot be created or written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail export x.ktr --sqlite x.db\n"
"    sqlite3 x.db 'SELECT * FROM errors_by_syscall'\n"
"    ktrail export x.ktr --json -e syscall | gzip > x.ndjson.gz\n"
"    ktrail export x.ktr --chrome x.json --from +2s --to +2.5s\n"
"    ktrail export x.ktr --pcap x.pcapng && tshark -r x.pcapng\n";

enum xfmt { XF_NONE = 0, XF_SQLITE, XF_JSON, XF_CHROME, XF_PCAP };

static const char *const fmt_names[] = {
	[XF_SQLITE] = "sqlite", [XF_JSON] = "json", [XF_CHROME] = "chrome",
	[XF_PCAP] = "pcap",
};

struct export_args {
	const char *file, *out, *from, *to, *events;
	enum xfmt fmt;
	bool stats;
	struct kt_export_opts opts;
};

static int set_fmt(struct export_args *a, enum xfmt f, const char *opt)
{
	if (a->fmt && a->fmt != f)
		return kt_usage_error("export", usage, "%s: a second format "
				      "(--%s was given)", opt,
				      fmt_names[a->fmt]);
	a->fmt = f;
	return 0;
}

static int set_out(struct export_args *a, const char *out, const char *opt)
{
	if (a->out && strcmp(a->out, out))
		return kt_usage_error("export", usage, "%s '%s': a second "
				      "output ('%s' was given)", opt, out,
				      a->out);
	a->out = out;
	return 0;
}

static int format_name(struct export_args *a, const char *name)
{
	for (unsigned f = XF_SQLITE; f <= XF_PCAP; f++)
		if (!strcmp(name, fmt_names[f]))
			return set_fmt(a, f, "--format");
	return kt_usage_error("export", usage, "--format '%s': unknown format "
			      "(sqlite, json, chrome or pcap)", name);
}

static int parse_opt(struct export_args *a, int c, char **argv)
{
	int rc = 0;

	switch (c) {
	case 'S': rc = set_fmt(a, XF_SQLITE, "--sqlite");
		  return rc ? rc : set_out(a, optarg, "--sqlite");
	case 'C': rc = set_fmt(a, XF_CHROME, "--chrome");
		  return rc ? rc : set_out(a, optarg, "--chrome");
	case 'P': rc = set_fmt(a, XF_PCAP, "--pcap");
		  return rc ? rc : set_out(a, optarg, "--pcap");
	case 'j': return set_fmt(a, XF_JSON, "--json");
	case 'f': return format_name(a, optarg);
	case 'o': return set_out(a, optarg, "-o");
	case 'F': a->from = optarg; return 0;
	case 'T': a->to = optarg; return 0;
	case 'e': a->events = optarg; return 0;
	case 's': a->stats = true; return 0;
	case 'h': return -1;
	case 'p': return kt_cli_id("export", "--pid", optarg, &a->opts.pid);
	default: return kt_opt_error("export", usage, argv, c);
	}
}

static int parse(int argc, char **argv, struct export_args *a)
{
	static const struct option lo[] = {
		{ "sqlite", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "chrome", required_argument, NULL, 'C' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "events", required_argument, NULL, 'e' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char bad[64];
	int c, rc;

	while ((c = getopt_long(argc, argv, ":f:o:e:h", lo, NULL)) != -1)
		if ((rc = parse_opt(a, c, argv)))
			return rc;
	if (optind >= argc)
		return kt_usage_error("export", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("export", usage,
				      "'%s': unexpected argument",
				      argv[optind + 1]);
	a->file = argv[optind];
	if (!a->fmt)
		return kt_usage_error("export", usage, "missing a format: "
				      "--sqlite, --json, --chrome or --pcap");
	if (!a->out && a->fmt != XF_JSON)
		return kt_usage_error("export", usage, "--%s: missing OUT",
				      fmt_names[a->fmt]);
	if (a->events &&
	    kt_families_parse(a->events, &a->opts.kinds, bad, sizeof(bad)))
		return kt_usage_error("export", usage,
				      "-e '%s': unknown family '%s'", a->events,
				      bad);
	return 0;
}

/* a stream export into @o */
static int stream(const struct export_args *a, struct kt_reader *r,
		  struct kt_out *o, struct kt_export_stats *st,
		  struct kt_err *err)
{
	switch (a->fmt) {
	case XF_JSON:
		return kt_export_json(r, o, &a->opts, st, err);
	case XF_CHROME:
		return kt_export_chrome(r, o, &a->opts, st, err);
	default:
		return kt_export_pcapng(r, o, &a->opts, st, err);
	}
}

/* a stream export to OUT through a temporary file, or to stdout */
static int to_file(const struct export_args *a, struct kt_reader *r,
		   struct kt_export_stats *st, struct kt_err *err)
{
	struct kt_render_tmp t = { .fd = -1 };
	struct kt_out o = { 0 };
	int rc, fd = STDOUT_FILENO;

	if (a->out) {
		rc = kt_render_tmp_open(&t, a->out);
		if (rc)
			return kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s",
					  strerror(-rc));
		fd = t.fd;
	}
	if (kt_out_init(&o, fd, 0)) {
		kt_render_tmp_abort(&t);
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	}
	rc = stream(a, r, &o, st, err);
	if (!rc)
		rc = kt_out_flush(&o);
	if (rc && rc == o.err)
		kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s", strerror(-rc));
	kt_out_release(&o);
	if (!rc && a->out && (rc = kt_render_tmp_commit(&t)))
		kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s", strerror(-rc));
	if (rc)
		kt_render_tmp_abort(&t);
	return rc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_export(int argc, char **argv)
{
	struct export_args a = { 0 };
	struct kt_export_stats st = { 0 };
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	double t0;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("export", a.file, &r)))
		return rc;
	if ((rc = kt_cli_window("export", a.file, r, a.from, a.to,
				&a.opts.from, &a.opts.to)))
		goto out;
	t0 = now();
	rc = a.fmt == XF_SQLITE ? kt_export_sqlite(r, a.out, &a.opts, &st, &err)
				: to_file(&a, r, &st, &err);
	if (rc) {
		rc = kt_fail("export", err.what == KT_ERR_OUTPUT ?
			     (a.out ? a.out : "stdout") : a.file, rc, err.what,
			     &err);
		goto out;
	}
	if (a.stats)
		kt_msg("export", a.file, "%llu events, %llu rows, %llu bytes "
		       "in %.3f s", (unsigned long long)st.events,
		       (unsigned long long)st.rows,
		       (unsigned long long)st.bytes, now() - t0);
	if (!st.events) {
		struct kt_cli_sel sel = {
			.from = a.opts.from, .to = a.opts.to, .pid = a.opts.pid,
			.kinds = a.opts.kinds,
		};

		kt_cli_nothing("export", a.file, r, &sel);
	}
out:
	kt_reader_close(r);
	return rc;
}
