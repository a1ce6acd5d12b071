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

#endif /* KT_RENDER_H */
