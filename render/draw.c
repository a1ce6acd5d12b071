// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * draw.c - a scene drawn with Cairo into SVG or PNG bytes.
 *
 * Determinism: the same scene gives the same bytes on the same build.
 * The SVG surface's ids restart for each document except its page id,
 * which Cairo numbers across the process (RENDER-NOTES.md): one picture
 * a process, as ktrail does, keeps it stable.  Units are pixels, text is
 * DejaVu Sans with metrics hinting off.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include "render.h"

struct membuf {
	char *buf;
	size_t len, cap;
	int err;
};

static cairo_status_t to_mem(void *closure, const unsigned char *data,
			     unsigned int length)
{
	struct membuf *m = closure;

	if (m->len + length > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;
		char *n;

		while (cap < m->len + length)
			cap *= 2;
		n = realloc(m->buf, cap);
		if (!n) {
			m->err = -ENOMEM;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		m->buf = n;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, data, length);
	m->len += length;
	return CAIRO_STATUS_SUCCESS;
}

static void rgb(cairo_t *cr, __u32 c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0,
			     ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
}

#define HATCH_STEP 4.0

/* Diagonal lines over the box [x0, x1] x [y0, y1], one way or both
 * (cross). */
static void hatch_box(cairo_t *cr, double x0, double y0, double x1,
		      double y1, bool cross)
{
	const double h = y1 - y0;

	for (double d = -h; d < x1 - x0; d += HATCH_STEP) {
		cairo_move_to(cr, x0 + d, y1);
		cairo_line_to(cr, x0 + d + h, y0);
		if (cross) {
			cairo_move_to(cr, x0 + d, y0);
			cairo_line_to(cr, x0 + d + h, y1);
		}
	}
}

/* Hatch the rectangles items[i, j) (filled alike, the current path,
 * which it consumes): lines over their bounding box, or over each when
 * that draws fewer (sparse rectangles). */
static void hatch(cairo_t *cr, const struct kt_scene *s, size_t i, size_t j,
		  double x0, double y0, double x1, double y1)
{
	bool cross = s->items[i].flags & KT_SI_CROSS;
	double each = 0;

	for (size_t k = i; k < j; k++)
		each += s->items[k].w + s->items[k].h + HATCH_STEP;
	cairo_save(cr);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
	cairo_set_line_width(cr, 0.6);
	if (each < x1 - x0 + y1 - y0)
		for (size_t k = i; k < j; k++) {
			const struct kt_sitem *r = &s->items[k];

			hatch_box(cr, r->x, r->y, r->x + r->w, r->y + r->h, cross);
		}
	else
		hatch_box(cr, x0, y0, x1, y1, cross);
	cairo_stroke(cr);
	cairo_restore(cr);
}

static bool alike(const struct kt_sitem *a, const struct kt_sitem *b)
{
	return b->type == KT_SI_RECT && b->color == a->color &&
	       b->flags == a->flags;
}

/* Rectangles from @i on, as long as they are filled alike, drawn as one
 * path (one SVG element however many there are: a lane's pixel runs);
 * returns the index after them.  Outlines are drawn one by one. */
static size_t draw_rects(cairo_t *cr, const struct kt_scene *s, size_t i)
{
	const struct kt_sitem *it = &s->items[i];
	double x0 = it->x, y0 = it->y, x1 = it->x + it->w, y1 = it->y + it->h;
	size_t j = i;

	rgb(cr, it->color);
	if (it->flags & KT_SI_OUTLINE) {
		cairo_rectangle(cr, it->x, it->y, it->w, it->h);
		cairo_set_line_width(cr, 1);
		if (it->flags & KT_SI_DASHED) {
			static const double dash[] = { 3, 2 };

			cairo_set_dash(cr, dash, 2, 0);
		}
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		return i + 1;
	}
	for (; j < s->n && alike(it, &s->items[j]); j++) {
		const struct kt_sitem *r = &s->items[j];

		cairo_rectangle(cr, r->x, r->y, r->w, r->h);
		x0 = r->x < x0 ? r->x : x0;
		y0 = r->y < y0 ? r->y : y0;
		x1 = r->x + r->w > x1 ? r->x + r->w : x1;
		y1 = r->y + r->h > y1 ? r->y + r->h : y1;
	}
	if (it->flags & (KT_SI_HATCH | KT_SI_CROSS)) {
		cairo_fill_preserve(cr);
		hatch(cr, s, i, j, x0, y0, x1, y1);
	} else {
		cairo_fill(cr);
	}
	return j;
}

static void draw_line(cairo_t *cr, const struct kt_sitem *it)
{
	double x2 = it->x + it->w, y2 = it->y + it->h;

	rgb(cr, it->color);
	cairo_set_line_width(cr, it->size > 0 ? it->size : 1);
	if (it->flags & KT_SI_DASHED) {
		static const double dash[] = { 4, 3 };

		cairo_set_dash(cr, dash, 2, 0);
	}
	cairo_move_to(cr, it->x, it->y);
	cairo_line_to(cr, x2, y2);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	if (it->flags & KT_SI_ARROW) {
		double a = atan2(it->h, it->w), l = 6;

		cairo_move_to(cr, x2, y2);
		cairo_line_to(cr, x2 - l * cos(a - 0.4), y2 - l * sin(a - 0.4));
		cairo_line_to(cr, x2 - l * cos(a + 0.4), y2 - l * sin(a + 0.4));
		cairo_close_path(cr);
		cairo_fill(cr);
	}
}

static void draw_text(cairo_t *cr, const struct kt_sitem *it)
{
	cairo_text_extents_t e;
	double x = it->x;

	cairo_select_font_face(cr, KT_RENDER_FONT, CAIRO_FONT_SLANT_NORMAL,
			       it->flags & KT_SI_BOLD ? CAIRO_FONT_WEIGHT_BOLD :
							CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, it->size);
	if (it->flags & (KT_SI_RIGHT | KT_SI_CENTER)) {
		cairo_text_extents(cr, it->text, &e);
		x -= it->flags & KT_SI_RIGHT ? e.x_advance : e.x_advance / 2;
	}
	rgb(cr, it->color);
	cairo_move_to(cr, x, it->y);
	cairo_show_text(cr, it->text);
}

static void draw_items(cairo_t *cr, const struct kt_scene *s)
{
	cairo_font_options_t *fo = cairo_font_options_create();

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	rgb(cr, s->background);
	cairo_paint(cr);
	for (size_t i = 0; i < s->n; i++) {
		const struct kt_sitem *it = &s->items[i];

		switch (it->type) {
		case KT_SI_RECT:
			i = draw_rects(cr, s, i) - 1;
			break;
		case KT_SI_LINE:
			draw_line(cr, it);
			break;
		case KT_SI_TEXT:
			if (it->text)
				draw_text(cr, it);
			break;
		}
	}
}

static cairo_surface_t *surface(const struct kt_scene *s, enum kt_rfmt fmt,
				struct membuf *m)
{
	cairo_surface_t *sf;

	if (fmt == KT_RF_PNG)
		return cairo_image_surface_create(CAIRO_FORMAT_RGB24,
						  (int)ceilf(s->width),
						  (int)ceilf(s->height));
	sf = cairo_svg_surface_create_for_stream(to_mem, m, s->width, s->height);
	cairo_svg_surface_restrict_to_version(sf, CAIRO_SVG_VERSION_1_1);
	cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
	return sf;
}

/* Cairo numbers the SVG page id across the process ("surface%d"): make
 * it 1, so that a picture does not depend on what was drawn before. */
static void page_id(struct membuf *m)
{
	static const char key[] = "<g id=\"surface";
	char *p = memmem(m->buf, m->len, key, sizeof(key) - 1), *d, *e;

	if (!p)
		return;
	d = p + sizeof(key) - 1;
	for (e = d; e < m->buf + m->len && *e >= '0' && *e <= '9'; e++)
		;
	if (e == d)
		return;
	*d = '1';
	memmove(d + 1, e, m->buf + m->len - e);
	m->len -= (size_t)(e - d - 1);
}

int kt_scene_draw(const struct kt_scene *s, enum kt_rfmt fmt, char **buf,
		  size_t *len)
{
	struct membuf m = { 0 };
	cairo_surface_t *sf;
	cairo_t *cr;
	int err = 0;

	*buf = NULL;
	*len = 0;
	if (fmt != KT_RF_SVG && fmt != KT_RF_PNG)
		return -EINVAL;
	if (s->err)
		return s->err;
	sf = surface(s, fmt, &m);
	cr = cairo_create(sf);
	draw_items(cr, s);
	if (cairo_status(cr))
		err = cairo_status(cr) == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
	cairo_destroy(cr);
	if (!err && fmt == KT_RF_PNG &&
	    cairo_surface_write_to_png_stream(sf, to_mem, &m))
		err = m.err ? m.err : -EIO;
	cairo_surface_finish(sf);
	if (!err && cairo_surface_status(sf))
		err = m.err ? m.err : -EIO;
	cairo_surface_destroy(sf);
	if (!err && m.err)
		err = m.err;
	if (err) {
		free(m.buf);
		return err;
	}
	if (fmt == KT_RF_SVG)
		page_id(&m);
	*buf = m.buf;
	*len = m.len;
	return 0;
}

void kt_render_done(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
