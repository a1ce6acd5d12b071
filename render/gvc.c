// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gvc.c - DOT text laid out and rendered by libgvc (render.h,
 * kt_dot_render), the call sequence of graphviz's libguide: one context,
 * agmemread, gvLayout "dot", gvRenderData, then everything freed in
 * reverse.  Graphviz prints its errors on stderr unless a function is
 * set with agseterrf: ours keeps them for the caller, who prints.
 *
 * One context for the process, made at the first call and never freed
 * (it stays reachable): Debian 12's graphviz (2.42.2)'s pango plugin keeps a pointer to
 * the last font name it measured, which gvFreeContext frees with the
 * context's font cache, so a second context reads freed memory
 * (ASan: heap-use-after-free in libgvplugin_pango under textspan_size).
 *
 * Plugins come from graphviz's config file (config6a, written by `dot
 * -c` at install): without it nothing lays out or renders, which the
 * return codes say (-ENOTSUP).  SVG is the core renderer's ("svg"), PNG
 * the cairo renderer's ("png:cairo"), whose text is pango's: both use
 * the installed DejaVu fonts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gvc.h>
#include "render_int.h"

/* What graphviz said during one call (graphviz is not thread-safe:
 * neither is this). */
static struct {
	char *buf;
	size_t sz, len;
} said;

static int on_message(char *m)
{
	size_t n;

	if (!said.buf || said.len + 1 >= said.sz)
		return 0;
	/* one line: graphviz's messages end with a newline */
	if (said.len)
		said.buf[said.len++] = ' ';
	n = (size_t)snprintf(said.buf + said.len, said.sz - said.len, "%s", m);
	said.len += n < said.sz - said.len ? n : said.sz - said.len - 1;
	while (said.len && (said.buf[said.len - 1] == '\n' ||
			    said.buf[said.len - 1] == ' '))
		said.buf[--said.len] = 0;
	return 0;
}

static const char *format_of(enum kt_rfmt fmt)
{
	switch (fmt) {
	case KT_RF_SVG: return "svg";
	case KT_RF_PNG: return "png:cairo";
	default: return NULL;
	}
}

/* The output, copied into memory of ours (graphviz's own is freed with
 * gvFreeRenderData). */
static int render(GVC_t *gvc, Agraph_t *g, const char *format, char **buf,
		  size_t *len)
{
	char *data = NULL;
	unsigned int n = 0;

	if (gvRenderData(gvc, g, format, &data, &n))
		return -ENOTSUP;
	*buf = malloc(n ? n : 1);
	if (*buf) {
		memcpy(*buf, data, n);
		*len = n;
	}
	gvFreeRenderData(data);
	return *buf ? 0 : -ENOMEM;
}

static GVC_t *context(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

int kt_dot_render(const char *dot, enum kt_rfmt fmt, char **buf,
		  size_t *len, char *msg, size_t msgsz)
{
	const char *format = format_of(fmt);
	agusererrf prev;
	GVC_t *gvc;
	Agraph_t *g;
	int err = 0;

	*buf = NULL;
	*len = 0;
	if (msgsz)
		msg[0] = 0;
	if (!format)
		return -EINVAL;
	said.buf = msg;
	said.sz = msgsz;
	said.len = 0;
	prev = agseterrf(on_message);
	agseterr(AGERR);        /* errors only: warnings are no failure */
	gvc = context();
	if (!gvc) {
		err = -ENOMEM;
		goto out;
	}
	g = agmemread(dot);
	if (!g) {
		err = -EINVAL;
		goto out;
	}
	if (gvLayout(gvc, g, "dot")) {
		/* no layout plugin, or the layout gave up */
		err = said.len ? -EIO : -ENOTSUP;
		goto close;
	}
	err = render(gvc, g, format, buf, len);
	gvFreeLayout(gvc, g);
close:
	agclose(g);
out:
	agseterrf(prev);
	said.buf = NULL;
	return err;
}
