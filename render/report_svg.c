// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report_svg.c - the report as one SVG page (report.c gathers it): the
 * same content as the HTML page, top to bottom, its words as <text>
 * (searchable, copyable) wrapped at the page's width by an estimate of
 * DejaVu Sans's advance, the pictures as nested <svg> elements.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

#define PAGE_W 1240.0f
#define MARGIN 20.0f
#define KEY_W 110.0f            /* the capture table's first column */
#define GAP 12.0f
#define RED 0xc00000
#define DARK_RED 0x8b1a1a
#define INK 0x1a1a1a
#define MUTED 0x555555

struct page {
	struct kt_out *o;
	float w, y;
};

enum { SANS = 0, MONO = 1, BOLD = 2 };

/* The <text> element's start: where, how big, what font and colour. */
static void text_open(struct page *pg, float x, float size, unsigned style,
		      __u32 color)
{
	kt_out_printf(pg->o, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
		      "fill=\"#%06x\"%s%s>", x, pg->y, size, color,
		      style & MONO ? " font-family=\"DejaVu Sans Mono, monospace\" "
				     "xml:space=\"preserve\"" : "",
		      style & BOLD ? " font-weight=\"bold\"" : "");
}

/* One line of a paragraph: a <tspan> at the line's start. */
static void tspan(struct page *pg, float x, bool first, float lh,
		  const char *s, size_t n)
{
	char *line = strndup(s, n);

	if (!line) {
		pg->o->err = -ENOMEM;
		return;
	}
	if (first)
		kt_out_str(pg->o, "<tspan>");
	else
		kt_out_printf(pg->o, "<tspan x=\"%.1f\" dy=\"%.1f\">", x, lh);
	kt_xml_text(pg->o, line);
	kt_out_str(pg->o, "</tspan>");
	free(line);
}

/* UTF-8 characters of the first @n bytes */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Where to break @s, at most @fit characters in: the last blank within
 * them (kept on the line, so that the lines joined are @s), or cut. */
static size_t line_end(const char *s, size_t fit)
{
	size_t n = strlen(s), b = 0, c = 0, i;

	if (chars(s, n) <= fit)
		return n;
	for (i = 0; i < n && c < fit; i++) {
		if (s[i] == ' ')
			b = i + 1;
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	}
	while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;            /* not inside a character */
	return b ? b : i;
}

/* @s as one <text> (one string to search and copy), in lines no wider
 * than @width, each @lh below the last. */
static void para(struct page *pg, float x, float width, float size,
		 float lh, unsigned style, __u32 color, const char *s)
{
	size_t fit = (size_t)(width / (size * 0.6f));
	bool first = true;

	if (fit < 8)
		fit = 8;
	pg->y += lh;
	text_open(pg, x, size, style, color);
	while (*s) {
		size_t cut = line_end(s, fit);

		if (!first)
			pg->y += lh;
		tspan(pg, x, first, lh, s, cut);
		first = false;
		s += cut;
	}
	kt_out_str(pg->o, "</text>\n");
}

static void heading(struct page *pg, const char *title)
{
	pg->y += 16;
	para(pg, MARGIN, pg->w - 2 * MARGIN, 16, 22, BOLD, INK, title);
	kt_out_printf(pg->o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		      "stroke=\"#cccccc\"/>\n", MARGIN, pg->y + 5,
		      pg->w - MARGIN, pg->y + 5);
	pg->y += 6;
}

static void cause(const struct kt_rep *rp, struct page *pg)
{
	float w = pg->w - 2 * MARGIN;
	char *line = NULL;

	para(pg, MARGIN, w, 20, 26, BOLD, DARK_RED, rp->sentence);
	if (rp->exit) {
		if (asprintf(&line, "No span to explain; the first process that "
			     "failed: %s.", rp->end_words) < 0) {
			pg->o->err = -ENOMEM;
			return;
		}
		para(pg, MARGIN, w, 13, 19, SANS, INK, line);
		free(line);
		pg->y += 4;
		para(pg, MARGIN, w, 12, 17, MONO, MUTED, rp->why_cmd);
	}
	if (!rp->span)
		return;
	para(pg, MARGIN, w, 13, 19, SANS, INK, rp->confidence);
	if (asprintf(&line, "The span: %s, %s.", rp->span_words, rp->when) < 0) {
		pg->o->err = -ENOMEM;
		return;
	}
	para(pg, MARGIN, w, 13, 19, SANS, INK, line);
	free(line);
	pg->y += 4;
	para(pg, MARGIN, w, 12, 17, MONO, MUTED, rp->why_cmd);
}

static void capture(const struct kt_rep *rp, struct page *pg)
{
	heading(pg, "The capture");
	for (size_t i = 0; i < rp->nrows; i++) {
		const struct kt_rep_row *r = &rp->rows[i];
		float y = pg->y;

		para(pg, MARGIN, KEY_W, 13, 19, SANS, MUTED, r->key);
		pg->y = y;
		para(pg, MARGIN + KEY_W, pg->w - 2 * MARGIN - KEY_W, 13, 19,
		     r->alarm ? BOLD : SANS, r->alarm ? RED : INK, r->val);
	}
}

static void anomalies(const struct kt_rep *rp, struct page *pg)
{
	const struct kt_summary *s = &rp->sum;
	float w = pg->w - 2 * MARGIN - 12;
	char cmd[1024], more[64];
	size_t i = 0;

	heading(pg, "Anomalies");
	if (!s->n)
		para(pg, MARGIN, w, 13, 19, SANS, INK, "None: no non-zero exit, "
		     "fatal signal, OOM kill, failed or slow syscall, TCP "
		     "failure, slow block request or lost event.");
	for (size_t k = 0; k < s->nnotes; k++)
		para(pg, MARGIN, w, 13, 19, SANS, MUTED, s->notes[k]);
	while (i < s->n) {
		unsigned kind = s->v[i].kind;
		size_t shown = 0;

		pg->y += 6;
		para(pg, MARGIN, w, 13, 19, BOLD, INK, kt_anom_title(kind));
		for (; i < s->n && s->v[i].kind == kind; i++) {
			if (shown++ >= rp->top)
				continue;
			para(pg, MARGIN + 12, w, 13, 18, SANS, INK, s->v[i].what);
			para(pg, MARGIN + 24, w - 12, 12, 16, MONO, MUTED,
			     kt_anom_command(cmd, sizeof(cmd), &s->v[i],
					     rp->o->file));
		}
		if (kt_rep_hidden(rp, kind)) {
			snprintf(more, sizeof(more), "%zu more:",
				 kt_rep_hidden(rp, kind));
			para(pg, MARGIN + 12, w, 13, 18, SANS, INK, more);
			para(pg, MARGIN + 24, w - 12, 12, 16, MONO, MUTED,
			     kt_anom_more(cmd, sizeof(cmd), kind, rp->o->file));
		}
	}
}

/* A picture at (@x, pg->y), scaled down to the page's width when wider
 * (its viewBox keeps its drawing whole), its caption under it. */
static int picture(const struct kt_rep_pic *p, struct page *pg, float x)
{
	float room = pg->w - x - MARGIN, w = p->w, h = p->h;
	char attrs[128];
	float y = pg->y + 8;

	if (w > room) {
		h = h * room / w;
		w = room;
		snprintf(attrs, sizeof(attrs), "x=\"%.1f\" y=\"%.1f\" "
			 "width=\"%.1f\" height=\"%.1f\"", x, y, w, h);
	} else {
		snprintf(attrs, sizeof(attrs), "x=\"%.1f\" y=\"%.1f\"", x, y);
	}
	if (kt_svg_embed(pg->o, p->svg, p->len, p->id, attrs))
		return -EINVAL;
	pg->y = y + h;
	para(pg, x, w, 11, 15, MONO, MUTED, p->caption);
	return 0;
}

static int pictures(const struct kt_rep *rp, struct page *pg)
{
	float x = MARGIN, top = 0, bottom = 0;
	bool charts = false;
	int rc = 0;

	for (size_t i = 0; !rc && i < rp->npics; i++) {
		if (rp->pics[i].small)
			continue;
		heading(pg, rp->pics[i].title);
		rc = picture(&rp->pics[i], pg, MARGIN);
	}
	for (size_t i = 0; !rc && i < rp->npics; i++) {
		const struct kt_rep_pic *p = &rp->pics[i];

		if (!p->small)
			continue;
		if (!charts) {
			heading(pg, "Latency distributions");
			top = bottom = pg->y;
			charts = true;
		}
		if (x > MARGIN && x + p->w > pg->w - MARGIN) {
			x = MARGIN;
			top = bottom;
		}
		pg->y = top;
		rc = picture(p, pg, x);
		x += p->w + GAP;
		if (pg->y > bottom)
			bottom = pg->y;
	}
	if (charts)
		pg->y = bottom;
	return rc;
}

/* `why`'s whole answer, a line of text each (long ones wrapped). */
static void why_text(const struct kt_rep *rp, struct page *pg)
{
	const char *p = rp->why_text;
	char *line;

	if (!rp->span && !rp->exit)
		return;
	heading(pg, rp->span ? "The critical path, in words" :
		"How it ended, in words");
	para(pg, MARGIN, pg->w - 2 * MARGIN, 12, 17, MONO, MUTED, rp->why_cmd);
	pg->y += 4;
	while (p && *p) {
		size_t n = strcspn(p, "\n");

		line = strndup(p, n);
		if (!line) {
			pg->o->err = -ENOMEM;
			return;
		}
		if (n)
			para(pg, MARGIN, pg->w - 2 * MARGIN, 11, 14, MONO, INK, line);
		else
			pg->y += 8;
		free(line);
		p += n + (p[n] == '\n');
	}
}

int kt_rep_svg(const struct kt_rep *rp, struct kt_out *o)
{
	struct kt_out body;
	struct page pg = { .o = &body, .w = PAGE_W, .y = 8 };
	char *foot = NULL;
	int rc;

	if (kt_out_init(&body, -1, 1 << 16))
		return -ENOMEM;
	cause(rp, &pg);
	capture(rp, &pg);
	anomalies(rp, &pg);
	rc = pictures(rp, &pg);
	why_text(rp, &pg);
	pg.y += 18;
	if (asprintf(&foot, "Made by ktrail %s from %s. Every command above "
		     "reads the same capture and prints what its line says.",
		     KT_VERSION, rp->o->file) < 0)
		foot = NULL;
	if (foot)
		para(&pg, MARGIN, pg.w - 2 * MARGIN, 11, 15, SANS, MUTED, foot);
	free(foot);
	pg.y += 16;
	kt_out_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		      "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		      "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n<title>",
		      pg.w, pg.y, pg.w, pg.y);
	kt_xml_text(o, rp->sentence);
	kt_out_printf(o, "</title>\n<rect width=\"100%%\" height=\"100%%\" "
		      "fill=\"#ffffff\"/>\n");
	kt_out_mem(o, body.buf, body.len);
	kt_out_str(o, "</svg>\n");
	if (!rc)
		rc = body.err ? body.err : o->err;
	kt_out_release(&body);
	return rc;
}
