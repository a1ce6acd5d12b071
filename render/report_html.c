// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report_html.c - the report as one HTML page (report.c gathers it):
 * text one can search and copy, inline CSS, the pictures as inline SVG,
 * no script and no external asset, so that it reads the same in a
 * browser with JavaScript off, in a mail client, or printed.  Its first
 * text is the root-cause sentence.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report_int.h"

static const char style[] =
"body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1a1a1a;"
"margin:24px auto;max-width:1240px;padding:0 16px;line-height:1.4;"
"font-size:14px}\n"
"h1{font-size:22px;color:#8b1a1a;margin:0 0 6px}\n"
"h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:3px;"
"margin:28px 0 10px}\n"
"h3{font-size:14px;margin:14px 0 4px}\n"
"p{margin:4px 0}\n"
".muted{color:#555}\n"
"code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:12.5px}\n"
"code{background:#f2f2f2;padding:1px 4px;border-radius:3px;"
"white-space:pre-wrap;word-break:break-all}\n"
"pre{background:#f7f7f7;border:1px solid #e2e2e2;padding:8px;"
"overflow-x:auto}\n"
"table.capture{border-collapse:collapse}\n"
"table.capture th{text-align:left;vertical-align:top;padding:2px 14px 2px 0;"
"color:#555;font-weight:normal;white-space:nowrap}\n"
"table.capture td{padding:2px 0;word-break:break-word}\n"
".alarm{color:#c00000;font-weight:bold}\n"
"ul.anomalies{list-style:none;padding:0;margin:0}\n"
"ul.anomalies li{margin:0 0 6px;padding-left:10px;"
"border-left:3px solid #c8553d}\n"
"figure{margin:8px 0 18px}\n"
"figure svg{max-width:100%;height:auto;border:1px solid #e2e2e2}\n"
"figcaption{color:#555;font-size:12.5px;margin-top:2px;"
"overflow-wrap:anywhere}\n"
".charts{display:flex;flex-wrap:wrap;gap:12px}\n"
".charts figure{margin:0;width:394px}\n"
"footer{margin-top:32px;color:#555;font-size:12px;"
"border-top:1px solid #ccc;padding-top:6px}\n";

static void esc(struct kt_out *o, const char *s)
{
	kt_xml_text(o, s ? s : "");
}

static void cause(const struct kt_rep *rp, struct kt_out *o)
{
	kt_out_str(o, "<header>\n<h1 id=\"cause\">");
	esc(o, rp->sentence);
	kt_out_str(o, "</h1>\n");
	if (rp->exit) {
		kt_out_str(o, "<p>No span to explain; the first process that "
			   "failed: ");
		esc(o, rp->end_words);
		kt_out_str(o, ".</p>\n<p class=\"muted\">Explained by <code>");
		esc(o, rp->why_cmd);
		kt_out_str(o, "</code></p>\n");
	}
	if (!rp->span) {
		kt_out_str(o, "</header>\n");
		return;
	}
	kt_out_str(o, "<p>");
	esc(o, rp->confidence);
	kt_out_str(o, "</p>\n<p>The span: ");
	esc(o, rp->span_words);
	kt_out_str(o, ", ");
	esc(o, rp->when);
	kt_out_str(o, ".</p>\n<p class=\"muted\">Explained by <code>");
	esc(o, rp->why_cmd);
	kt_out_str(o, "</code></p>\n</header>\n");
}

static void capture(const struct kt_rep *rp, struct kt_out *o)
{
	kt_out_str(o, "<section id=\"capture\">\n<h2>The capture</h2>\n"
		   "<table class=\"capture\">\n");
	for (size_t i = 0; i < rp->nrows; i++) {
		const struct kt_rep_row *r = &rp->rows[i];

		kt_out_str(o, "<tr><th>");
		esc(o, r->key);
		kt_out_str(o, r->alarm ? "</th><td class=\"alarm\">" : "</th><td>");
		esc(o, r->val);
		kt_out_str(o, "</td></tr>\n");
	}
	kt_out_str(o, "</table>\n</section>\n");
}

static void anomalies(const struct kt_rep *rp, struct kt_out *o)
{
	const struct kt_summary *s = &rp->sum;
	char cmd[1024];
	size_t i = 0;

	kt_out_str(o, "<section id=\"anomalies\">\n<h2>Anomalies</h2>\n");
	if (!s->n)
		kt_out_str(o, "<p>None: no non-zero exit, fatal signal, OOM kill, "
			   "failed or slow syscall, TCP failure, slow block "
			   "request or lost event.</p>\n");
	for (size_t k = 0; k < s->nnotes; k++) {
		kt_out_str(o, "<p class=\"muted\">Note: ");
		esc(o, s->notes[k]);
		kt_out_str(o, "</p>\n");
	}
	while (i < s->n) {
		unsigned kind = s->v[i].kind;
		size_t shown = 0;

		kt_out_printf(o, "<h3>%s</h3>\n<ul class=\"anomalies\">\n",
			      kt_anom_title(kind));
		for (; i < s->n && s->v[i].kind == kind; i++) {
			if (shown++ >= rp->top)
				continue;
			kt_out_str(o, "<li>");
			esc(o, s->v[i].what);
			kt_out_str(o, "<br><code>");
			esc(o, kt_anom_command(cmd, sizeof(cmd), &s->v[i],
					       rp->o->file));
			kt_out_str(o, "</code></li>\n");
		}
		if (kt_rep_hidden(rp, kind)) {
			kt_out_printf(o, "<li>%zu more: <code>",
				      kt_rep_hidden(rp, kind));
			esc(o, kt_anom_more(cmd, sizeof(cmd), kind, rp->o->file));
			kt_out_str(o, "</code></li>\n");
		}
		kt_out_str(o, "</ul>\n");
	}
	kt_out_str(o, "</section>\n");
}

static int picture(const struct kt_rep_pic *p, struct kt_out *o)
{
	char attrs[160];

	snprintf(attrs, sizeof(attrs), "role=\"img\" aria-label=\"%s\"",
		 p->title);
	kt_out_str(o, "<figure>\n");
	if (kt_svg_embed(o, p->svg, p->len, p->id, attrs))
		return -EINVAL;
	kt_out_str(o, "<figcaption>");
	esc(o, p->caption);
	kt_out_str(o, "</figcaption>\n</figure>\n");
	return 0;
}

/* The critical path's pictures, one section each; the small charts in
 * one section, side by side. */
static int pictures(const struct kt_rep *rp, struct kt_out *o)
{
	bool charts = false;
	int rc = 0;

	for (size_t i = 0; !rc && i < rp->npics; i++) {
		const struct kt_rep_pic *p = &rp->pics[i];

		if (p->small)
			continue;
		kt_out_printf(o, "<section id=\"%s\">\n<h2>", p->id);
		esc(o, p->title);
		kt_out_str(o, "</h2>\n");
		rc = picture(p, o);
		kt_out_str(o, "</section>\n");
	}
	for (size_t i = 0; !rc && i < rp->npics; i++) {
		if (!rp->pics[i].small)
			continue;
		if (!charts)
			kt_out_str(o, "<section id=\"latency\">\n<h2>Latency "
				   "distributions</h2>\n<div class=\"charts\">\n");
		charts = true;
		rc = picture(&rp->pics[i], o);
	}
	if (charts)
		kt_out_str(o, "</div>\n</section>\n");
	return rc;
}

/* `why`'s whole answer, folded (no script needed to open it). */
static void why_text(const struct kt_rep *rp, struct kt_out *o)
{
	if (!rp->span && !rp->exit)
		return;
	kt_out_printf(o, "<section id=\"why\">\n<h2>%s</h2>\n<details open>\n"
		      "<summary>", rp->span ? "The critical path, in words" :
		      "How it ended, in words");
	esc(o, rp->why_cmd);
	kt_out_str(o, "</summary>\n<pre>");
	esc(o, rp->why_text);
	kt_out_str(o, "</pre>\n</details>\n</section>\n");
}

int kt_rep_html(const struct kt_rep *rp, struct kt_out *o)
{
	int rc;

	kt_out_str(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		   "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		   "content=\"width=device-width, initial-scale=1\">\n"
		   "<title>ktrail report: ");
	esc(o, rp->o->file);
	kt_out_str(o, "</title>\n<style>\n");
	kt_out_str(o, style);
	kt_out_str(o, "</style>\n</head>\n<body>\n");
	cause(rp, o);
	capture(rp, o);
	anomalies(rp, o);
	rc = pictures(rp, o);
	why_text(rp, o);
	kt_out_str(o, "<footer>Made by ktrail " KT_VERSION " from ");
	esc(o, rp->o->file);
	kt_out_str(o, ". Every command above reads the same capture and prints "
		   "what its line says.</footer>\n</body>\n</html>\n");
	return rc ? rc : o->err;
}
