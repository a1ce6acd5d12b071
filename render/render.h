/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * render.h - pictures for incident tickets: the whole interface of
 * render/.  Every picture is first built as a scene, a display list of
 * rectangles, lines and texts in pixels, from what analyze/ computed; the
 * scene is then drawn by Cairo into SVG or PNG, or dumped as text for the
 * golden tests (the dump does not depend on fonts or library versions:
 * docs/render.md).  The causal graph goes through Graphviz instead (DOT
 * text, laid out by libgvc).
 *
 * Errors: negative errno (-ENOMEM; -EIO and the like when an output
 * cannot be written).  Nothing here prints or exits.
 */
#ifndef KT_RENDER_H
#define KT_RENDER_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <linux/types.h>
#include "format/format.h"

/* The one font of every picture (fonts-dejavu-core). */
#define KT_RENDER_FONT "DejaVu Sans"

enum kt_rfmt {
	KT_RF_NONE = 0,
	KT_RF_SVG,
	KT_RF_PNG,
	KT_RF_DOT,
	KT_RF_HTML,
};

/* kt_rfmt_of - the format named by @path's extension (.svg .png .dot
 * .html), KT_RF_NONE when unknown.  Case-insensitive. */
enum kt_rfmt kt_rfmt_of(const char *path);

/* ---------------------------------------------------------------- scene */

enum kt_sitem_type {
	KT_SI_RECT = 1,         /* x, y, w, h */
	KT_SI_LINE = 2,         /* from (x, y) to (x + w, y + h) */
	KT_SI_TEXT = 3,         /* baseline at (x, y) */
};

/* kt_sitem.flags */
#define KT_SI_HATCH 0x1         /* rect: diagonal hatching over the fill */
#define KT_SI_CROSS 0x2         /* rect: cross-hatching (unknown) */
#define KT_SI_OUTLINE 0x4       /* rect: stroke, no fill */
#define KT_SI_ARROW 0x8         /* line: an arrow head at its end */
#define KT_SI_DASHED 0x10       /* line or outline: dashed */
#define KT_SI_BOLD 0x20         /* text: bold */
#define KT_SI_RIGHT 0x40        /* text: (x, y) is its right end */
#define KT_SI_CENTER 0x80       /* text: (x, y) is its middle */

struct kt_sitem {
	__u8 type;              /* enum kt_sitem_type */
	__u16 flags;            /* KT_SI_* */
	__u32 color;            /* 0xRRGGBB: fill, stroke or text */
	float x, y, w, h;
	float size;             /* text: font size; line: width */
	const char *role;       /* what it shows, for the dump and tests:
				 * "lane", "state:running", "axis", ... */
	char *text;             /* TEXT: the string; others: a detail for
				 * the dump (owned, may be NULL) */
};

struct kt_scene {
	float width, height;
	__u32 background;       /* 0xRRGGBB */
	struct kt_sitem *items; /* in drawing order */
	size_t n, cap;
	int err;                /* first error (-ENOMEM), sticky */
};

/* kt_scene_init - an empty scene of @width x @height pixels. */
void kt_scene_init(struct kt_scene *s, float width, float height);
void kt_scene_release(struct kt_scene *s);

/* Adders: append one item (the strings are copied).  On ENOMEM they set
 * s->err and do nothing else; check it once at the end. */
void kt_scene_rect(struct kt_scene *s, const char *role, float x, float y,
		   float w, float h, __u32 color, unsigned flags,
		   const char *detail);
void kt_scene_line(struct kt_scene *s, const char *role, float x1, float y1,
		   float x2, float y2, __u32 color, float width,
		   unsigned flags);
void kt_scene_text(struct kt_scene *s, const char *role, float x, float y,
		   float size, __u32 color, unsigned flags, const char *fmt,
		   ...) __attribute__((format(printf, 8, 9)));

/* kt_scene_text_width - the width a text of @len characters takes at
 * @size, estimated from DejaVu Sans's average advance (so that layouts,
 * and the dump, do not depend on the installed font's metrics). */
float kt_scene_text_width(size_t len, float size);

/* kt_scene_dump - the scene as text, one item a line, coordinates to
 * 0.1 px, into @buf (malloc'd, NUL-terminated, OUT @len).  Returns 0 or
 * -ENOMEM. */
int kt_scene_dump(const struct kt_scene *s, char **buf, size_t *len);

/* kt_scene_draw - draw @s with Cairo as SVG or PNG into @buf (malloc'd,
 * OUT @len).  Returns 0, -EINVAL for another format, -ENOMEM, or -EIO
 * when Cairo fails. */
int kt_scene_draw(const struct kt_scene *s, enum kt_rfmt fmt, char **buf,
		  size_t *len);

/* ---------------------------------------------------------------- files */

/*
 * kt_render_write - write @len bytes to @path as a whole: into a
 * temporary file in @path's directory (mode 0600), renamed over @path
 * when complete, so that a reader never sees half a picture and a
 * symlink at @path is replaced, not followed.  Returns 0 or a negative
 * errno (the temporary file is removed).
 */
int kt_render_write(const char *path, const void *buf, size_t len);

/*
 * kt_render_tmp - an output file written as it goes and put in place at
 * the end, as kt_render_write does for a whole buffer: a temporary file
 * (mode 0600) in the target's directory, renamed over the target by
 * kt_render_tmp_commit, removed by kt_render_tmp_abort.  Exports stream
 * through it (they do not fit in memory).
 */
struct kt_render_tmp {
	int fd;                 /* open on tmp; -1 after commit or abort */
	char tmp[PATH_MAX];     /* the temporary file's path */
	const char *path;       /* the target (not copied) */
};

/* kt_render_tmp_open - create the temporary file for @path.  Returns 0
 * or a negative errno (-ENAMETOOLONG, the errno of mkstemp). */
int kt_render_tmp_open(struct kt_render_tmp *t, const char *path);

/* kt_render_tmp_commit - fsync, close and rename the temporary file over
 * the target.  Returns 0 or a negative errno (the temporary file is then
 * removed). */
int kt_render_tmp_commit(struct kt_render_tmp *t);

/* kt_render_tmp_abort - close and remove the temporary file; accepts a
 * committed or aborted one. */
void kt_render_tmp_abort(struct kt_render_tmp *t);

/* -------------------------------------------------------------- exports */

/*
 * Exports turn a capture into files that other tools read: a SQLite
 * database (docs/sql.md), NDJSON for DuckDB, ClickHouse or Spark, Chrome
 * trace JSON for the Perfetto UI, pcapng for Wireshark.  The same
 * capture with the same options gives the same bytes.  Errors are a
 * negative errno with @err filled; err->what tells a capture that could
 * not be read (KT_ERR_INPUT) from an output that could not be written
 * (KT_ERR_OUTPUT).
 */
struct kt_out;

struct kt_export_opts {
	__u64 from, to;         /* events that start in [from, to) on the
				 * capture clock; 0 = open */
	__u32 pid;              /* only what concerns process pid; 0 = all */
	__u64 kinds;            /* event kinds to export (KT_KIND_BIT), 0 =
				 * all */
};

struct kt_export_stats {
	__u64 events;           /* events exported */
	__u64 rows;             /* rows written, every table (SQLite); lines
				 * (NDJSON); trace events (Chrome); packets
				 * (pcapng) */
	__u64 bytes;            /* size of the output */
};

/*
 * kt_export_sqlite - write the SQLite database of @r's capture to @path
 * (docs/sql.md: the tables, views and indexes), built in one transaction
 * into a temporary file beside @path that is renamed over it at the end.
 * @st may be NULL.  Returns 0 or a negative errno with @err filled.
 */
int kt_export_sqlite(struct kt_reader *r, const char *path,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err);

/*
 * kt_export_json - the events as NDJSON into @out: one flat object per
 * event, the members of `replay --json` with one type per member and
 * 64-bit values exact (docs/sql.md "NDJSON").  Returns 0, a reader's
 * negative errno with @err filled, or out->err.
 */
int kt_export_json(struct kt_reader *r, struct kt_out *out,
		   const struct kt_export_opts *o, struct kt_export_stats *st,
		   struct kt_err *err);

/*
 * kt_export_chrome - the Chrome Trace Event JSON of the capture into
 * @out: processes and threads as tracks, thread states and syscalls as
 * slices, wakeups as flow arrows, block I/O and TCP connections as async
 * slices, clock-sync metadata (docs/sql.md "Chrome trace").  Holds the
 * trace events of the selection in memory to write them in time order.
 * Returns 0, a negative errno with @err filled, or out->err.
 */
int kt_export_chrome(struct kt_reader *r, struct kt_out *out,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err);

/*
 * kt_export_pcapng - the packets recorded with `record --pcap` as pcapng
 * into @out: one interface block per recorded interface, wall-clock
 * timestamps in ns from the capture's clock anchors (capture-clock
 * times when it has none, said in the section's comment).  Returns 0, a
 * negative errno with @err filled, or out->err.
 */
int kt_export_pcapng(struct kt_reader *r, struct kt_out *out,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err);

/* ------------------------------------------------------------------ sql */

/* How `ktrail sql` prints rows. */
enum kt_sql_fmt {
	KT_SQL_TEXT = 0,        /* aligned columns with a header */
	KT_SQL_CSV,             /* RFC 4180, a header line */
	KT_SQL_JSON,            /* one object per row (NDJSON) */
};

struct kt_sql_db;

/*
 * kt_sql_open - open the database @path read-only for queries: no
 * attach, no writes, no pragmas that change anything (an authorizer),
 * SQLITE_DBCONFIG_DEFENSIVE on, symbolic links refused.  Returns 0 or a
 * negative errno with @err filled.
 */
int kt_sql_open(struct kt_sql_db **db, const char *path, struct kt_err *err);
void kt_sql_close(struct kt_sql_db *db);

/*
 * kt_sql_run - run every statement of @sql and print their rows to @out
 * in @fmt; integers print exact, reals as SQLite's %!.15g, blobs as hex.
 * OUT @rows (may be NULL) the rows printed.  Returns 0; -EINVAL with
 * err->msg holding SQLite's message for a statement that does not
 * compile (a syntax error, an unknown table); -EPERM for one the
 * authorizer refused; -EIO for an error while it ran; out->err.
 */
int kt_sql_run(struct kt_sql_db *db, const char *sql, enum kt_sql_fmt fmt,
	       struct kt_out *out, __u64 *rows, struct kt_err *err);

/*
 * kt_sql_cache - the cached SQLite export of capture @capture in the
 * directory @dir, built when missing or stale.  @dir is created mode
 * 0700 when missing; an existing one must be a directory (not a link)
 * owned by the caller, with no access for others.  The cache file is
 * named by the capture's device and inode, and holds the key it was built
 * for: device, inode, size, mtime and the capture index's checksum; a
 * capture that changed is exported again.  OUT @db_path (size @n), OUT
 * @built (may be NULL): whether it was (re)built now.  Returns 0 or a
 * negative errno with @err filled.
 */
int kt_sql_cache(const char *capture, const char *dir, char *db_path,
		 size_t n, bool *built, struct kt_err *err);

#endif /* KT_RENDER_H */
