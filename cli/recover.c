// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* recover.c - `ktrail recover FILE [-o OUT]`. */
#include <stdio.h>
#include "cli/cli.h"
#include "format/format.h"

static const char recover_usage[] = "ktrail recover FILE [-o OUT]";

static const char recover_help[] =
"NAME\n"
"    ktrail recover - rebuild the index of an unfinished capture\n"
"\n"
"SYNOPSIS\n"
"    ktrail recover FILE [-o OUT]\n"
"\n"
"DESCRIPTION\n"
"    A recorder killed with SIGKILL, a power cut or a full disk leaves a\n"
"    capture without its end: metadata, index and trailer.  recover keeps\n"
"    every block up to the first damaged or incomplete one (checking every\n"
"    checksum), discards the rest, and writes a new end, so that every\n"
"    command reads the file again.  The report says how many frames and\n"
"    events were kept, the time of the last event, and how many bytes\n"
"    were discarded at the tail.  The end metadata is marked \"recovered\"\n"
"    (ktrail info shows it).  A capture that is already complete (its\n"
"    recorder finished: index and trailer present, every block intact) is\n"
"    left as it is, and OUT is not written.  A capture with no intact\n"
"    frame is not rewritten either: there is nothing to recover (exit 2).\n"
"\n"
"OPTIONS\n"
"    -o, --output OUT\n"
"              write the recovered capture to OUT (mode 0600; written\n"
"              beside OUT and renamed over it when complete, so a link\n"
"              at OUT is replaced, never followed) and leave FILE\n"
"              alone; without it FILE is rewritten in place\n"
"    -h, --help\n"
"              this text\n"
"\n"
"EXIT STATUS\n"
"    0 something was recovered, or FILE was already complete; 2 usage\n"
"    error, or FILE missing or unreadable, or nothing could be recovered\n"
"    (not a capture, a damaged header, no intact frame); 3 out of\n"
"    memory, or the recovered capture (OUT, or FILE in place) or stdout\n"
"    could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail recover killed.ktr\n"
"    ktrail recover killed.ktr -o fixed.ktr\n";

int cmd_recover(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kt_recover_report rep;
	struct kt_err err;
	const char *out = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			return kt_help(recover_help);
		default:
			return kt_opt_error("recover", recover_usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("recover", recover_usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("recover", recover_usage,
				      "'%s': unexpected argument", argv[optind + 1]);
	if (out && kt_out_special(out) > 0) {
		kt_msg("recover", out, "not a regular file: a capture is a file "
		       "of its own");
		return KT_EXIT_USAGE;
	}
	rc = kt_recover(argv[optind], out, &rep, &err);
	if (rc)
		return kt_fail("recover", err.what == KT_ERR_OUTPUT && out ? out :
			       argv[optind], rc, KT_ERR_INPUT, &err);
	if (rep.complete) {
		printf("%s: already complete (finalized, every block intact): "
		       "left as it is%s%s%s\n", argv[optind], out ? ", " : "",
		       out ? out : "", out ? " not written" : "");
		return KT_EXIT_OK;
	}
	printf("recovered %s%s%s: kept %llu frames, %llu events, %llu bytes; "
	       "discarded %llu bytes at the tail\n", argv[optind],
	       out ? " -> " : "", out ? out : "",
	       (unsigned long long)rep.frames_kept,
	       (unsigned long long)rep.events_kept,
	       (unsigned long long)rep.bytes_kept,
	       (unsigned long long)rep.bytes_discarded);
	printf("last event at %llu.%09llu s (capture clock)\n",
	       (unsigned long long)(rep.last_ts / 1000000000),
	       (unsigned long long)(rep.last_ts % 1000000000));
	return KT_EXIT_OK;
}
