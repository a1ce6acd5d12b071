// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* report.c - `ktrail report`: option parsing over render.h kt_report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/capture.h"
#include "render/render.h"

static const char usage[] = "ktrail report FILE -o OUT.html|OUT.svg [--pid P [--tid T]]";

static const char help[] =
"NAME\n"
"    ktrail report - one self-contained file for an incident ticket\n"
"\n"
"SYNOPSIS\n"
"    ktrail report FILE -o OUT.html|OUT.svg [--pid P [--tid T]]\n"
"\n"
"DESCRIPTION\n"
"    Writes one file that a reader without ktrail opens in a browser: no\n"
"    script, no external asset (the CSS and the pictures are inline), the\n"
"    same bytes for the same capture and options.  It holds, in order:\n"
"\n"
"    - the root cause of the worst span, in one sentence (the first line\n"
"      `ktrail why` prints for it), as text to search and copy; its\n"
"      confidence; the span; the command that explains it\n"
"    - the capture: file, host, kernel, the recorded command line\n"
"      (shell-quoted), the time on the wall clock, duration, events by\n"
"      kind, and the events lost, in red when any were\n"
"    - the anomalies, as `ktrail summary` lists them, each with its\n"
"      command (at most 6 of a kind, then how many more)\n"
"    - the pictures of the worst span and its window\n"
"    - the latency distributions of block I/O (biolatency), the run\n"
"      queue (runqlat) and syscalls but idle waits, as bar charts\n"
"    - `why`'s whole answer for the span, in words\n"
"\n"
"    The worst span is that of process P (thread T) as `ktrail why FILE\n"
"    --pid P [--tid T]` picks it (--slowest); without --pid, the slowest\n"
"    syscall of the capture that is not an idle wait (epoll_wait, poll,\n"
"    select, wait4, waitid, pause, the sleeps): the first line of the\n"
"    summary's slowest syscalls.  Without --pid and without such a\n"
"    syscall, the report explains instead how the first process that\n"
"    failed ended (a fatal signal, an OOM kill, a non-zero exit), as\n"
"    `ktrail why FILE --pid P --exit` does.\n"
"\n"
"    OUT.svg holds the same as one SVG page: the words as <text>, the\n"
"    pictures as nested <svg>.  The file is written whole (a temporary\n"
"    file renamed over OUT, mode 0600).  On success one line on stdout\n"
"    says OUT and the root cause.\n"
"\n"
"OPTIONS\n"
"    -o, --output OUT   the report: .html (or .htm) or .svg\n"
"    --pid P            the worst span of process P\n"
"    --tid T            with --pid: of its thread T\n"
"    -h, --help         this page\n"
"\n"
"EXIT STATUS\n"
"    0 the report was written, also when process P or thread T has no\n"
"    span (the report then has no span's parts, and a warning on stderr\n"
"    says why); 2 usage error: no -o, OUT's extension is not .html, .htm\n"
"    or .svg, a bad --pid or --tid, or FILE missing, unreadable or not a\n"
"    valid capture; 3 out of memory, or OUT could not be created or\n"
"    written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail report incident.ktr -o incident.html\n"
"    ktrail report incident.ktr -o incident.svg --pid 4242\n"
"    ktrail report incident.ktr -o convoy.html --pid 4242 --tid 4250\n";

struct report_args {
	const char *file, *out;
	struct kt_report_opts o;
};

static int parse(int argc, char **argv, struct report_args *a)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 'p':
			if ((rc = kt_cli_id("report", "--pid", optarg, &a->o.pid)))
				return rc;
			break;
		case 't':
			if ((rc = kt_cli_id("report", "--tid", optarg, &a->o.tid)))
				return rc;
			break;
		case 'h': return -1;
		default:
			return kt_opt_error("report", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("report", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("report", usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	a->file = argv[optind];
	if (!a->out)
		return kt_usage_error("report", usage, "missing -o OUT");
	if (a->o.tid && !a->o.pid)
		return kt_usage_error("report", usage, "--tid: needs --pid");
	if (kt_rfmt_of(a->out) != KT_RF_HTML && kt_rfmt_of(a->out) != KT_RF_SVG)
		return kt_usage_error("report", usage, "-o '%s': a report is "
				      ".html, .htm or .svg", a->out);
	a->o.file = a->file;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { 0 };
	struct kt_report_info info;
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("report", a.file, &r)))
		return rc;
	rc = kt_report(r, &a.o, kt_rfmt_of(a.out), &buf, &len, &info, &err);
	if (rc) {
		rc = kt_fail("report", a.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	rc = kt_render_write(a.out, buf, len);
	if (rc) {
		rc = kt_fail("report", a.out, rc, KT_ERR_OUTPUT, NULL);
		goto out;
	}
	if (!info.span)
		kt_msg("report", a.file, "warning: %s", info.sentence);
	printf("%s: %s\n", a.out, info.sentence);
out:
	free(buf);
	kt_reader_close(r);
	return rc;
}
