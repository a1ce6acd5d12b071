// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* capture.c - what the commands that read a capture share (cli/capture.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "cli/capture.h"
#include "render/render.h"

int kt_cli_id(const char *cmd, const char *opt, const char *s, __u32 *v)
{
	if (kt_id_parse(s, v)) {
		kt_msg(cmd, NULL, "%s '%s': not an id in 1..4294967295", opt, s);
		return KT_EXIT_USAGE;
	}
	return 0;
}

/* partial_note - "at byte OFF: REASON" of @r's damaged block, and how
 * many frames come before it, for the warning and the refusal. */
static void partial_note(struct kt_reader *r, char *buf, size_t n)
{
	struct kt_err why;
	struct kt_info info;

	kt_reader_damage(r, &why);
	kt_reader_info(r, &info);
	snprintf(buf, n, "at byte %llu: %s (%llu intact frame%s before it)",
		 (unsigned long long)why.off, why.msg,
		 (unsigned long long)info.frames, info.frames == 1 ? "" : "s");
}

static int open_reader(const char *cmd, const char *path, bool warn,
		       struct kt_reader **r)
{
	struct kt_err err = { 0 };
	char note[640];
	int rc;

	rc = kt_reader_open(r, path, KT_READ_PARTIAL, &err);
	if (rc)
		return kt_fail(cmd, path, rc, KT_ERR_INPUT, &err);
	if (warn && kt_reader_damage(*r, NULL)) {
		partial_note(*r, note, sizeof(note));
		kt_msg(cmd, path, "warning: partial capture, read up to its "
		       "last intact frame: %s; 'ktrail recover %s' rebuilds "
		       "its end", note, path);
	}
	return 0;
}

int kt_cli_open(const char *cmd, const char *path, struct kt_reader **r)
{
	return open_reader(cmd, path, true, r);
}

int kt_cli_open_whole(const char *cmd, const char *path, bool allow_partial,
		      struct kt_reader **r)
{
	char note[640];
	int rc;

	rc = open_reader(cmd, path, allow_partial, r);
	if (rc || allow_partial || !kt_reader_damage(*r, NULL))
		return rc;
	partial_note(*r, note, sizeof(note));
	kt_msg(cmd, path, "partial capture: %s; 'ktrail recover %s' rebuilds "
	       "its end, --allow-partial reads the intact frames", note, path);
	kt_reader_close(*r);
	*r = NULL;
	return KT_EXIT_USAGE;
}

int kt_cli_time(const char *cmd, const char *opt, const char *s,
		const json_t *meta, __u64 first, __u64 *ts)
{
	int rc = kt_time_parse(s, meta, first, ts);

	if (!rc)
		return 0;
	if (rc == -ENOENT) {
		kt_msg(cmd, NULL, "%s '%s': the capture has no clock anchors to "
		       "place a wall-clock time (give a time on the capture "
		       "clock)", opt, s);
		return KT_EXIT_USAGE;
	}
	kt_msg(cmd, NULL, "%s '%s': not a time (use +1.5s, 12.25, 12345ns or "
	       "2026-11-23T10:15:00Z)", opt, s);
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
	if (from_s && (rc = kt_cli_time(cmd, "--from", from_s, meta,
					info.first_ts, from)))
		return rc;
	if (to_s && (rc = kt_cli_time(cmd, "--to", to_s, meta, info.first_ts,
				      to)))
		return rc;
	if (to_s && *to <= *from) {
		kt_msg(cmd, NULL, "--to '%s': not after --from", to_s);
		return KT_EXIT_USAGE;
	}
	if (*from && (rc = kt_reader_seek(r, *from, &err)))
		return kt_fail(cmd, path, rc, KT_ERR_INPUT, &err);
	return 0;
}

int kt_cli_finish(const char *cmd, const char *path, int rc,
		  const struct kt_err *err, struct kt_out *o)
{
	int werr;

	werr = kt_out_flush(o);
	if (rc < 0 && rc != o->err)
		return kt_fail(cmd, path, rc, KT_ERR_INPUT, err);
	return kt_fail(cmd, "stdout", werr ? werr : rc, KT_ERR_OUTPUT, NULL);
}

int kt_cli_timemode(const char *cmd, struct kt_reader *r, bool rel,
		    bool wall, struct kt_out *o)
{
	const struct kt_anchors *an = kt_reader_anchors(r);
	struct kt_info info;
	__s64 w;

	if (rel && wall) {
		kt_msg(cmd, NULL, "--rel: cannot be combined with --wall");
		return KT_EXIT_USAGE;
	}
	kt_reader_info(r, &info);
	if (wall && (!an || kt_anchors_to_wall(an, info.first_ts, &w))) {
		kt_msg(cmd, NULL, "--wall: the capture has no clock anchors to "
		       "place its times on the wall clock (use --rel)");
		return KT_EXIT_USAGE;
	}
	kt_out_timemode(o, wall ? KT_TIME_WALL : rel ? KT_TIME_REL :
			KT_TIME_MONO, info.first_ts, an);
	return 0;
}

int kt_cli_write(const char *cmd, const char *path, const void *buf,
		 size_t len)
{
	int rc = kt_render_write(path, buf, len);

	return rc ? kt_fail(cmd, path, rc, KT_ERR_OUTPUT, NULL) : 0;
}
