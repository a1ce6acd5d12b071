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
#include "analyze/window.h"
#include "analyze/graph.h"
#include "analyze/why.h"

/* The one font of every picture (fonts-dejavu-core). */
#define KT_RENDER_FONT "DejaVu Sans"

enum kt_rfmt {
	KT_RF_NONE = 0,
	KT_RF_SVG,
	KT_RF_PNG,
	KT_RF_DOT,
	KT_RF_HTML,
	KT_RF_SCENE,            /* the scene dump (kt_scene_dump): for tests
				 * and debugging, docs/render.md */
};

/* kt_rfmt_of - the format named by @path's extension (.svg .png .dot
 * .html .scene), KT_RF_NONE when unknown.  Case-insensitive. */
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

/* ------------------------------------------------------------- timeline */

/*
 * What a thread was doing, as the timeline draws it (docs/render.md
 * "Timeline"): the timeline's states, its waits split by what they
 * waited on, from the wait's syscall, the file type of its fd and what
 * ended it (never guessed: a wait none of these tells is "waiting").
 */
enum kt_rstate {
	KT_RS_NONE = 0,         /* not drawn: dead (or not seen) */
	KT_RS_RUNNING,          /* on a cpu */
	KT_RS_RUNNABLE,         /* waiting for a cpu */
	KT_RS_DISK,             /* blocked on disk: fsync and kin, a regular
				 * file or block device, or woken by a block
				 * completion */
	KT_RS_LOCK,             /* futex, semop */
	KT_RS_NET,              /* a socket wait ended by the network
				 * (softirq), or connect */
	KT_RS_IPC,              /* a pipe or socket a local task woke */
	KT_RS_TIMER,            /* nanosleep, or a wait a timer ended */
	KT_RS_CHILD,            /* wait4, waitid */
	KT_RS_WAIT,             /* another wait, its object not told */
	KT_RS_IDLE,             /* an idle wait: epoll, poll, select, pause,
				 * a kernel thread's main loop */
	KT_RS_STOPPED,          /* stopped or traced */
	KT_RS_UNKNOWN,          /* the capture does not say */
	KT_RS_N
};

/* kt_rstate_of - the drawn state of a timeline interval. */
struct kt_tl_interval;
unsigned kt_rstate_of(const struct kt_tl_interval *iv);
/* kt_rstate_name - "running", "disk", "pipe or socket", ... */
const char *kt_rstate_name(unsigned st);
/* kt_rstate_color - its fill, 0xRRGGBB (../shared/RENDER-NOTES.md 1). */
__u32 kt_rstate_color(unsigned st);

#define KT_RTL_WIDTH 1200       /* default picture width, px */
#define KT_RTL_LANES 40         /* lanes drawn before the rest fold */
#define KT_RTL_ARROWS 300       /* wakeup arrows drawn at most */

struct kt_why;
struct kt_why_span;

struct kt_rtl_opts {
	struct kt_window w;     /* placed: from < to */
	__u32 pid, tid;         /* 0: any */
	const char *comm;       /* threads of this name (at the end of the
				 * reading); NULL: any */
	unsigned width;         /* px; 0: KT_RTL_WIDTH (at least 400) */
	unsigned lanes;         /* 0: KT_RTL_LANES */
	const char *title;      /* what it is a picture of (a file name) */
	/* The critical path whose threads come first, the culprit's
	 * highlighted: NULL to find the window's slowest span among the
	 * selected threads and explain it here (kt_why_slow_*, one more
	 * reading of the span); or the caller's (the report's worst
	 * span), not owned. */
	const struct kt_why *why;
};

struct kt_rtl_result {
	bool empty;             /* no selected thread in the window: the
				 * picture says "no events for ..." */
	size_t threads;         /* threads with something in the window */
	size_t lanes;           /* lanes drawn, the fold lane not counted */
	size_t folded;          /* threads folded into "+K more threads" */
	bool culprit;           /* a culprit lane is drawn first */
	__u32 culprit_utid, culprit_tid;
	__u64 wakeups;          /* wakeup arrows between drawn lanes, one a
				 * pixel column and pair */
	__u64 arrows;           /* of those drawn (KT_RTL_ARROWS at most) */
};

/*
 * kt_render_timeline - the timeline picture of window o->w of @r's
 * capture into @s (kt_scene_init'd by it; release it in every case):
 * swimlanes of the selected threads grouped by process, coloured by
 * kt_rstate, syscall and block I/O spans under each lane, wakeup arrows
 * between lanes, a time axis from the window's start, a legend.  One
 * timeline pass (window.h) streams into per-pixel columns: memory is
 * lanes x width, not events.  Past o->lanes lanes the critical path's
 * threads come first (the culprit's first, highlighted), then the
 * busiest, and the rest fold into one lane.  OUT @res (may be NULL).
 * Returns 0, -ENOMEM, or a negative errno with @err filled when the
 * reader failed.
 */
int kt_render_timeline(struct kt_reader *r, const struct kt_rtl_opts *o,
		       struct kt_scene *s, struct kt_rtl_result *res,
		       struct kt_err *err);

/* kt_rtl_selection - the threads @o selects in words, into @b: "pid 42,
 * comm nginx", or "all threads"; returns @b. */
char *kt_rtl_selection(char *b, size_t sz, const struct kt_rtl_opts *o);

/*
 * kt_render_span_window - the window to draw around span @sp of the
 * capture @info describes: the span with a quarter of its length on
 * each side (at least 1 ms), within the capture.
 */
void kt_render_span_window(const struct kt_why_span *sp,
			   const struct kt_info *info, struct kt_window *w);

/*
 * kt_render_done - release what Cairo and fontconfig keep for the life of
 * the process (font caches: cairo_debug_reset_static_data, FcFini), so
 * that a leak checker sees none.  Call once, when a command has drawn
 * its last picture: nothing that uses fonts (Cairo, Graphviz) may run
 * after it.
 */
void kt_render_done(void);

/* ---------------------------------------------------------------- graph */

/*
 * The causal graph of a window (analyze/graph.h) as a picture: DOT text
 * that ktrail writes itself, sorted so that the same graph gives the
 * same text (nodes by kind and label, edges by their ends and kind,
 * attributes by name), laid out by libgvc's dot (docs/render.md
 * "graph").
 *
 * Nodes are shaped by kind: threads ellipses, processes 3-D boxes,
 * pipes and sockets folders (file), TCP connections parallelograms,
 * disks cylinders, futex words (locks) octagons, the timer a double
 * circle, the network an inverted house, other interrupts diamonds,
 * executed files notes, the kernel a hexagon.  An edge says what it is,
 * how often (xN), the bytes and the total latency; an edge whose
 * confidence is below 1.00 (anything inferred rather than recorded by
 * the kernel) is dashed and says its confidence.  The nodes and edges
 * of @path are drawn bold and red.  Past @max_nodes nodes the strongest
 * edges are kept (kt_graph_fold) and a note node says what was folded.
 */
#define KT_GRAPH_PIC_NODES 60   /* nodes drawn at most, by default */

struct kt_graph_pic {
	const struct kt_graph *g;
	const struct kt_graph_sel *sel;  /* what is shown (kt_graph_select) */
	const struct kt_tasks *tasks;    /* for names */
	__u64 from, to;                  /* the window, for the title */
	__u32 pid;                       /* the selection's process, 0: all */
	const struct kt_why *why;        /* the span whose critical path is
					  * highlighted, or NULL */
	const struct kt_graph_sel *path; /* its nodes and edges
					  * (kt_graph_path), or NULL */
	size_t max_nodes;                /* 0: KT_GRAPH_PIC_NODES */
};

/* What is drawn of a selection past max_nodes (kt_graph_fold). */
struct kt_graph_fold {
	bool *node, *edge;      /* owned; [id]: drawn */
	size_t nodes, edges;    /* drawn */
	size_t fnodes, fedges;  /* selected but folded */
	size_t fkind[KT_GN_NKINDS]; /* folded nodes by kind */
};

/*
 * kt_graph_fold - choose what to draw of @sel: everything when it has
 * at most @max nodes; else the nodes and edges of @path (those @sel
 * holds, at most @max nodes of them), then the other edges strongest
 * first (the most total latency, then the most evidence, the most
 * bytes, the lowest id) as long as their ends fit in @max nodes.  A
 * node none of the kept edges touch is folded.  Release @f with
 * kt_graph_fold_release (also after an error).  Returns 0 or -ENOMEM.
 */
int kt_graph_fold(const struct kt_graph *g, const struct kt_graph_sel *sel,
		  const struct kt_graph_sel *path, size_t max,
		  struct kt_graph_fold *f);
void kt_graph_fold_release(struct kt_graph_fold *f);

/* kt_graph_dot - the DOT text of @pic into @buf (malloc'd,
 * NUL-terminated, OUT @len).  An empty selection gives a graph whose one
 * node says that nothing matched, and where.  Returns 0 or -ENOMEM. */
int kt_graph_dot(const struct kt_graph_pic *pic, char **buf, size_t *len);

/*
 * kt_dot_render - lay @dot out with libgvc's dot and render it as SVG
 * (graphviz's core renderer) or PNG (its cairo renderer) into @buf
 * (malloc'd, OUT @len).  Graphviz's messages are captured (agseterrf)
 * into @msg (@msgsz bytes, "" when none), never printed.  Graphviz is
 * not thread-safe: one call at a time.  Returns 0, -EINVAL for another
 * format or DOT that does not parse, -ENOTSUP when the layout or render
 * plugin is not installed (/usr/lib/.../graphviz/config6a), -EIO when
 * the layout fails, -ENOMEM.
 */
int kt_dot_render(const char *dot, enum kt_rfmt fmt, char **buf,
		  size_t *len, char *msg, size_t msgsz);

/* ------------------------------------------------------------------ why */

/*
 * kt_why_scene - the critical path of @w (analyze/why.h) as a scene
 * (init'd here; release it with kt_scene_release): first the root-cause
 * sentence (kt_why_root_sentence, the text answer's first line) and its
 * confidence, then the span as a bar, then one lane per thread and per
 * resource the path passed through (a disk, the timer, the network, TCP
 * retransmits, other interrupts, waiting for a cpu), each segment
 * coloured by what it was, with hand-offs between lanes; the culprit's
 * lane (the root cause's) first and highlighted (role "lane:culprit");
 * then the attribution as one stacked bar with percentages, unknown
 * shown as unknown, and a legend of every colour used.  Time within a
 * pixel is summed per lane: the scene's size depends on its width and
 * lanes, not on the number of segments (docs/render.md "why").
 * Returns 0, -EINVAL for an empty path, or -ENOMEM (the scene is
 * released).
 */
int kt_why_scene(const struct kt_why *w, struct kt_scene *s);

/* ---------------------------------------------------------------- charts */

/* A latency distribution: bcc's log2 slots of microseconds (slot 0 holds
 * 0 and 1 us, slot i [2^i, 2^(i+1)) us), as biolatency and runqlat count
 * them (analyze/summary.h keeps three of them). */
struct kt_bars {
	const char *title;      /* "block I/O latency" */
	const char *what;       /* what was counted: "requests" */
	const __u64 *slot;      /* [64] */
};

/*
 * kt_render_log2_bars - @b as a bar chart scene of @width x @height px
 * into @s (kt_scene_init'd here; release it in every case): a bar per
 * slot from the first that holds a value to the last, heights linear in
 * the count, counts above the bars where they fit, the slots' edges
 * below as many as fit, and a subtitle in words: how many, the median's
 * and the slowest slot (whose bar is red).  An empty distribution says
 * "no REQUESTS in the capture".  Roles: title, subtitle, bar,
 * bar:slowest, count, axis, grid, tick, edge, caption, empty.  Returns 0
 * or -ENOMEM.
 */
int kt_render_log2_bars(const struct kt_bars *b, float width, float height,
			struct kt_scene *s);

/* ---------------------------------------------------------------- report */

struct kt_report_opts {
	const char *file;       /* the capture's path, as the commands the
				 * report gives name it */
	__u32 pid;              /* the worst span: that of process @pid as
				 * `why --pid P` picks it; 0: the slowest
				 * syscall of the capture that is not an
				 * idle wait (the summary's first slow
				 * line) */
	__u32 tid;              /* with @pid: of this thread of it */
	unsigned width;         /* px of the pictures; 0: 1200 */
};

/* What the report found, for the command's own lines. */
struct kt_report_info {
	bool span;              /* a worst span (or the first failure) was
				 * found and explained */
	char sentence[512];     /* its root-cause sentence, or why there is
				 * no span ("process 42 has no span in the
				 * capture") */
	char why[600];          /* the command that explains the span */
	size_t pictures;        /* pictures drawn into the report */
};

/*
 * kt_report - the incident report of @r's capture as one self-contained
 * file (@fmt KT_RF_HTML or KT_RF_SVG; docs/report.md) into @buf
 * (malloc'd, OUT @len): first the root-cause sentence of the worst span
 * (kt_why_root_sentence, as text one can search and copy), its
 * confidence and the command that explains it; the capture (host,
 * kernel, command line shell-quoted, time, duration, events, lost events
 * in red when any); the anomalies (analyze/summary.h, each with its
 * command); the pictures; the latency distributions (block I/O, run
 * queue, syscalls) as bar charts.  No script, no external asset, no
 * time of its making: the same capture and options give the same bytes.
 * Without --pid and without a slow syscall, the first process that
 * failed, and how it ended (`why --exit`), take the span's place.  A
 * --pid without a span still makes the report, without the span's parts
 * (@info says why).  OUT @info (may be NULL).  Returns 0, -EINVAL
 * for another format, -ENOMEM, or the reader's negative errno with @err
 * filled.
 */
int kt_report(struct kt_reader *r, const struct kt_report_opts *o,
	      enum kt_rfmt fmt, char **buf, size_t *len,
	      struct kt_report_info *info, struct kt_err *err);

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
 * kt_scene_write - @s as @fmt (SVG or PNG drawn by Cairo, or SCENE: the
 * dump) written whole to @path (kt_render_write).  Returns 0, -EINVAL
 * for another format, or a negative errno.
 */
int kt_scene_write(const struct kt_scene *s, enum kt_rfmt fmt,
		   const char *path);

/*
 * kt_render_tmp - an output file written as it goes and put in place at
 * the end, as kt_render_write does for a whole buffer: a temporary file
 * (mode 0600) in the target's directory, renamed over the target by
 * kt_render_tmp_commit, removed by kt_render_tmp_abort.  Exports stream
 * through it (they do not fit in memory).  A target that is a device or
 * a FIFO (/dev/null, /dev/stdout) is written into instead, and left as
 * it is.
 */
struct kt_render_tmp {
	int fd;                 /* open on tmp; -1 after commit or abort */
	char tmp[PATH_MAX];     /* the temporary file's path; "" when the
				 * target is a device or a FIFO
				 * (kt_out_special), written into as it is */
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
 * capture that changed is exported again.  A partial capture (format.h
 * KT_READ_PARTIAL) is exported up to its last intact frame.  OUT
 * @db_path (size @n), OUT
 * @built (may be NULL): whether it was (re)built now.  Returns 0 or a
 * negative errno with @err filled.
 */
int kt_sql_cache(const char *capture, const char *dir, char *db_path,
		 size_t n, bool *built, struct kt_err *err);

#endif /* KT_RENDER_H */
