// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * scene.c - the display list every picture is built as (render.h), and
 * its text dump for the golden tests.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "render.h"

enum kt_rfmt kt_rfmt_of(const char *path)
{
	static const struct { const char *ext; enum kt_rfmt f; } exts[] = {
		{ ".svg", KT_RF_SVG }, { ".png", KT_RF_PNG },
		{ ".dot", KT_RF_DOT }, { ".html", KT_RF_HTML },
		{ ".htm", KT_RF_HTML }, { ".scene", KT_RF_SCENE },
	};
	const char *dot = path ? strrchr(path, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot, exts[i].ext))
			return exts[i].f;
	return KT_RF_NONE;
}

void kt_scene_init(struct kt_scene *s, float width, float height)
{
	memset(s, 0, sizeof(*s));
	s->width = width;
	s->height = height;
	s->background = 0xffffff;
}

void kt_scene_release(struct kt_scene *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i].text);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

/* A new item, or NULL (s->err set). */
static struct kt_sitem *add(struct kt_scene *s, unsigned type,
			    const char *role)
{
	struct kt_sitem *it;

	if (s->err)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct kt_sitem *n = realloc(s->items, cap * sizeof(*n));

		if (!n) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->items = n;
		s->cap = cap;
	}
	it = &s->items[s->n++];
	memset(it, 0, sizeof(*it));
	it->type = type;
	it->role = role;
	return it;
}

static void set_text(struct kt_scene *s, struct kt_sitem *it, const char *t)
{
	if (!t)
		return;
	it->text = strdup(t);
	if (!it->text) {
		s->err = -ENOMEM;
		s->n--;
	}
}

void kt_scene_rect(struct kt_scene *s, const char *role, float x, float y,
		   float w, float h, __u32 color, unsigned flags,
		   const char *detail)
{
	struct kt_sitem *it = add(s, KT_SI_RECT, role);

	if (!it)
		return;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	it->color = color;
	it->flags = flags;
	set_text(s, it, detail);
}

void kt_scene_line(struct kt_scene *s, const char *role, float x1, float y1,
		   float x2, float y2, __u32 color, float width,
		   unsigned flags)
{
	struct kt_sitem *it = add(s, KT_SI_LINE, role);

	if (!it)
		return;
	it->x = x1;
	it->y = y1;
	it->w = x2 - x1;
	it->h = y2 - y1;
	it->color = color;
	it->size = width;
	it->flags = flags;
}

void kt_scene_text(struct kt_scene *s, const char *role, float x, float y,
		   float size, __u32 color, unsigned flags, const char *fmt,
		   ...)
{
	struct kt_sitem *it = add(s, KT_SI_TEXT, role);
	va_list ap;
	int n;

	if (!it)
		return;
	it->x = x;
	it->y = y;
	it->size = size;
	it->color = color;
	it->flags = flags;
	va_start(ap, fmt);
	n = vasprintf(&it->text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		it->text = NULL;
		s->err = -ENOMEM;
		s->n--;
	}
}

float kt_scene_text_width(size_t len, float size)
{
	/* DejaVu Sans: about 0.6 em per character of mixed text */
	return (float)len * size * 0.6f;
}

/* ----------------------------------------------------------------- dump */

static const char *type_name(unsigned type)
{
	switch (type) {
	case KT_SI_RECT: return "rect";
	case KT_SI_LINE: return "line";
	case KT_SI_TEXT: return "text";
	}
	return "?";
}

static void dump_flags(FILE *f, unsigned flags)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ KT_SI_HATCH, "hatch" }, { KT_SI_CROSS, "cross" },
		{ KT_SI_OUTLINE, "outline" }, { KT_SI_ARROW, "arrow" },
		{ KT_SI_DASHED, "dashed" }, { KT_SI_BOLD, "bold" },
		{ KT_SI_RIGHT, "right" }, { KT_SI_CENTER, "center" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			fprintf(f, " %s", names[i].name);
}

int kt_scene_dump(const struct kt_scene *s, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "scene %.1f x %.1f background #%06x, %zu items\n",
		s->width, s->height, s->background, s->n);
	for (size_t i = 0; i < s->n; i++) {
		const struct kt_sitem *it = &s->items[i];

		fprintf(f, "%s %s %.1f %.1f", type_name(it->type),
			it->role ? it->role : "-", it->x, it->y);
		if (it->type != KT_SI_TEXT)
			fprintf(f, " %.1f %.1f", it->w, it->h);
		if (it->type != KT_SI_RECT)
			fprintf(f, " size %.1f", it->size);
		fprintf(f, " #%06x", it->color);
		dump_flags(f, it->flags);
		if (it->text)
			fprintf(f, " \"%s\"", it->text);
		fputc('\n', f);
	}
	if (fclose(f))
		return -ENOMEM;
	return 0;
}
