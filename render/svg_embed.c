// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * svg_embed.c - an SVG document inside another (render_int.h): the
 * report inlines the pictures that Cairo and Graphviz write as whole
 * documents, whose ids would collide ("glyph0-1", "clip1", "node1").
 */
#include <errno.h>
#include <string.h>
#include "render_int.h"

void kt_xml_text(struct kt_out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': kt_out_str(o, "&amp;"); break;
		case '<': kt_out_str(o, "&lt;"); break;
		case '>': kt_out_str(o, "&gt;"); break;
		case '"': kt_out_str(o, "&quot;"); break;
		case '\'': kt_out_str(o, "&#39;"); break;
		default:
			/* control bytes are not allowed in XML 1.0 */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				kt_out_ch(o, '?');
			else
				kt_out_ch(o, *s);
		}
	}
}

/* The root element's start: "<svg" then a blank or '>'. */
static const char *root(const char *doc, size_t len)
{
	const char *p = doc, *end = doc + len;

	while ((p = memmem(p, (size_t)(end - p), "<svg", 4))) {
		if (p + 4 < end && (p[4] == ' ' || p[4] == '\n' ||
				    p[4] == '\t' || p[4] == '>'))
			return p;
		p += 4;
	}
	return NULL;
}

int kt_svg_embed(struct kt_out *o, const char *doc, size_t len,
		 const char *prefix, const char *attrs)
{
	static const char *const refs[] = { " id=\"", "href=\"#", "url(#" };
	const char *p = root(doc, len), *end = doc + len;

	if (!p)
		return -EINVAL;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	kt_out_str(o, "<svg");
	if (attrs) {
		kt_out_ch(o, ' ');
		kt_out_str(o, attrs);
	}
	p += 4;
	while (p < end) {
		const char *next = end;
		size_t which = 0;

		for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			const char *q = memmem(p, (size_t)(end - p), refs[i],
					       strlen(refs[i]));

			if (q && q < next) {
				next = q;
				which = i;
			}
		}
		if (next == end) {
			kt_out_mem(o, p, (size_t)(end - p));
			break;
		}
		next += strlen(refs[which]);
		kt_out_mem(o, p, (size_t)(next - p));
		kt_out_str(o, prefix);
		kt_out_ch(o, '-');
		p = next;
	}
	kt_out_ch(o, '\n');
	return o->err;
}
