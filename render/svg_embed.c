// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * svg_embed.c - an SVG document inside another (render_int.h): the
 * report inlines the pictures that Cairo and Graphviz write as whole
 * documents, whose ids would collide ("glyph0-1", "clip1", "node1").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

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

/* One attribute of the root's start tag: name="value" (or '...'). */
struct attr {
	const char *name, *val;
	size_t nlen, vlen;
};

/* The next attribute at *@p (before @end), *@p moved past it; false at
 * the tag's end. */
static bool next_attr(const char **p, const char *end, struct attr *a)
{
	const char *q = *p;
	char quote;

	while (q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'))
		q++;
	if (q >= end || *q == '>' || *q == '/')
		return false;
	a->name = q;
	while (q < end && *q != '=' && *q != ' ' && *q != '>')
		q++;
	a->nlen = (size_t)(q - a->name);
	if (q >= end || *q != '=' || q + 1 >= end || (q[1] != '"' && q[1] != '\''))
		return false;
	quote = q[1];
	a->val = q + 2;
	q = memchr(a->val, quote, (size_t)(end - a->val));
	if (!q)
		return false;
	a->vlen = (size_t)(q - a->val);
	*p = q + 1;
	return true;
}

static bool named(const struct attr *a, const char *name)
{
	return a->nlen == strlen(name) && !memcmp(a->name, name, a->nlen);
}

/* "584pt", "420px", "300": px (a pt is 4/3 px, as browsers draw it) */
static float length(const struct attr *a)
{
	char num[32];
	size_t n = a->vlen < sizeof(num) - 1 ? a->vlen : sizeof(num) - 1;
	char *unit;
	float v;

	memcpy(num, a->val, n);
	num[n] = 0;
	v = strtof(num, &unit);
	return !strcmp(unit, "pt") ? v * 4 / 3 : v;
}

int kt_svg_size(const char *doc, size_t len, float *w, float *h)
{
	const char *p = root(doc, len), *end = doc + len;
	struct attr a;

	*w = *h = 0;
	if (!p)
		return -EINVAL;
	p += 4;
	while (next_attr(&p, end, &a)) {
		if (named(&a, "width"))
			*w = length(&a);
		else if (named(&a, "height"))
			*h = length(&a);
	}
	return *w > 0 && *h > 0 ? 0 : -EINVAL;
}

/* Whether @attrs (name="value" pairs) sets attribute @name. */
static bool has_attr(const char *attrs, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = attrs; p && (p = strstr(p, name)); p += n)
		if ((p == attrs || p[-1] == ' ') && p[n] == '=')
			return true;
	return false;
}

/* The root's start tag: @attrs first, then its own attributes but those
 * @attrs sets (x, y, width, height), its id prefixed.  @p is past
 * "<svg"; returns where its attributes end. */
static const char *start_tag(struct kt_out *o, const char *p, const char *end,
			     const char *prefix, const char *attrs)
{
	struct attr a;

	kt_out_str(o, "<svg");
	if (attrs) {
		kt_out_ch(o, ' ');
		kt_out_str(o, attrs);
	}
	while (next_attr(&p, end, &a)) {
		char name[16];

		snprintf(name, sizeof(name), "%.*s", (int)a.nlen, a.name);
		if (attrs && has_attr(attrs, name))
			continue;
		kt_out_ch(o, ' ');
		kt_out_mem(o, a.name, a.nlen);
		kt_out_str(o, "=\"");
		if (named(&a, "id")) {
			kt_out_str(o, prefix);
			kt_out_ch(o, '-');
		}
		kt_out_mem(o, a.val, a.vlen);
		kt_out_ch(o, '"');
	}
	return p;
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
	p = start_tag(o, p + 4, end, prefix, attrs);
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
