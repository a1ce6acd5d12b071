/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * report_int.h - private to render/: the report being put together
 * (report*.c) and the SVG documents it embeds.
 */
#ifndef KT_REPORT_INT_H
#define KT_REPORT_INT_H

#include "render.h"
#include "analyze/fmt.h"
#include "analyze/summary.h"
#include "analyze/why.h"

/*
 * kt_svg_embed - append to @o the <svg> element of the SVG document
 * @doc (@len bytes) so that it can sit inside another document: what
 * precedes the root element (XML declaration, doctype, comments) left
 * out, @attrs (may be NULL) added to the root's start tag, and every id
 * and reference to one (id="x", href="#x", url(#x)) prefixed with
 * "@prefix-", since Cairo and Graphviz number their ids from 1 in every
 * document and the ids of one page must differ.  An attribute @attrs
 * sets (x, y, width, height: where and how big it is drawn, its viewBox
 * scaling it) replaces the root's own.  Returns 0, -EINVAL when @doc has
 * no <svg> element, or @o's error.
 */
int kt_svg_embed(struct kt_out *o, const char *doc, size_t len,
		 const char *prefix, const char *attrs);

/* kt_svg_size - the width and height of SVG document @doc's root, in
 * px ("420px", "420" and "315pt" = 420 px).  Returns 0, or -EINVAL when
 * it has no root element or no size. */
int kt_svg_size(const char *doc, size_t len, float *w, float *h);

/* kt_xml_text - @s with & < > " ' as entities (for HTML and SVG text). */
void kt_xml_text(struct kt_out *o, const char *s);

#define KT_REP_ROWS 12
#define KT_REP_PICS 8

/* A line of the capture's table: "host", "vm (x86_64, 2 cpus)". */
struct kt_rep_row {
	const char *key;
	char *val;              /* owned */
	bool alarm;             /* drawn in red: lost events */
};

/* A picture of the report: an SVG document and where it comes from. */
struct kt_rep_pic {
	const char *id;         /* the section's, and the ids' prefix */
	const char *title;
	char *caption;          /* owned: what it shows and the command that
				 * draws or prints it */
	char *svg;              /* owned, @len bytes */
	size_t len;
	float w, h;             /* its size, px */
	bool small;             /* one of a row of small charts */
};

/* Everything the report says, gathered once (report.c) and then written
 * as HTML (report_html.c) or SVG (report_svg.c). */
struct kt_rep {
	const struct kt_report_opts *o;
	struct kt_reader *r;
	struct kt_info info;
	const json_t *meta;
	struct kt_summary sum;
	/* the worst span; or, when there is none to explain, how the first
	 * process that failed ended (`why --exit`) */
	bool span;
	struct kt_why why;
	bool exit;
	char end_words[KT_ANOM_TEXT];   /* "app[42] exited with status 3" */
	char *sentence;         /* owned: root cause, or why no span */
	char *confidence;       /* owned, NULL without a span */
	char *span_words;       /* owned, NULL without a span */
	char *why_text;         /* owned: `why`'s whole answer */
	char when[160];         /* "from 3403.077 to 3403.099: 21.768 ms" */
	char why_cmd[600];      /* the command that explains it */
	struct kt_rep_row rows[KT_REP_ROWS];
	size_t nrows;
	struct kt_rep_pic pics[KT_REP_PICS];
	size_t npics;
	unsigned top;           /* anomaly lines per kind */
};

/* The two ways to write it: into @o, which starts empty; 0 or
 * -ENOMEM. */
int kt_rep_html(const struct kt_rep *rp, struct kt_out *o);
int kt_rep_svg(const struct kt_rep *rp, struct kt_out *o);

/* kt_rep_more - how many anomalies of @kind are not shown. */
static inline size_t kt_rep_hidden(const struct kt_rep *rp, unsigned kind)
{
	size_t n = rp->sum.nkind[kind];

	return n > rp->top ? n - rp->top : 0;
}

#endif /* KT_REPORT_INT_H */
