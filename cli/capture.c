// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* capture.c - what the commands that read a capture share (cli/capture.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "cli/capture.h"

int kt_cli_id(const char *cmd, const char *opt, const char *s, __u32 *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *end || !n || n > 0xffffffffULL ||
	    s[0] == '-' || s[0] == '+') {
		fprintf(stderr, "ktrail %s: invalid %s '%s'\n", cmd, opt, s);
		return KT_EXIT_USAGE;
	}
	*v = (__u32)n;
	return 0;
}

int kt_cli_open(const char *path, struct kt_reader **r)
{
	struct kt_err err = { 0 };

	if (kt_reader_open(r, path, 0, &err)) {
		kt_err_print(stderr, path, &err);
		return KT_EXIT_USAGE;
	}
	return 0;
}

static int parse_time(const char *cmd, const char *opt, const char *s,
		      const json_t *meta, __u64 first, __u64 *ts)
{
	int rc = kt_time_parse(s, meta, first, ts);

	if (!rc)
		return 0;
	if (rc == -ENOENT) {
		fprintf(stderr, "ktrail %s: %s '%s': the capture has no clock "
			"anchors to place a wall-clock time (give a time on "
			"the capture clock)\n", cmd, opt, s);
		return KT_EXIT_USAGE;
	}
	fprintf(stderr, "ktrail %s: invalid time '%s' for %s (use +1.5s, "
		"12.25, 12345ns or 2026-11-23T10:15:00Z)\n", cmd, s, opt);
	return KT_EXIT_USAGE;
}

int kt_cli_window(const char *cmd, const char *path, struct kt_reader *r,
		  const char *from_s, const char *to_s, __u64 *from, __u64 *to)
{
	const json_t *meta = kt_reader_meta(r);
	struct kt_err err = { 0 };
	struct kt_info info;
	int rc;

	*from = *to = 0;
	kt_reader_info(r, &info);
	if (from_s && (rc = parse_time(cmd, "--from", from_s, meta,
				       info.first_ts, from)))
		return rc;
	if (to_s && (rc = parse_time(cmd, "--to", to_s, meta, info.first_ts,
				     to)))
		return rc;
	if (to_s && *to <= *from) {
		fprintf(stderr, "ktrail %s: --to '%s' is not after --from\n",
			cmd, to_s);
		return KT_EXIT_USAGE;
	}
	if (*from && kt_reader_seek(r, *from, &err)) {
		kt_err_print(stderr, path, &err);
		return KT_EXIT_USAGE;
	}
	return 0;
}

int kt_cli_finish(const char *cmd, const char *path, int rc,
		  const struct kt_err *err, struct kt_out *o)
{
	int werr;

	werr = kt_out_flush(o);
	if (rc < 0 && rc != o->err) {
		if (err->msg[0])
			kt_err_print(stderr, path, err);
		else
			fprintf(stderr, "ktrail %s: %s: %s\n", cmd, path,
				strerror(-rc));
		return KT_EXIT_USAGE;
	}
	if (werr == -EPIPE || rc == -EPIPE)
		return KT_EXIT_OK;
	if (werr || rc) {
		fprintf(stderr, "ktrail %s: write to stdout failed: %s\n", cmd,
			strerror(-(werr ? werr : rc)));
		return KT_EXIT_REFUSED;
	}
	return KT_EXIT_OK;
}
