// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report.c - the incident report (render.h kt_report): what it says is
 * gathered here once - the worst span and its explanation, the capture's
 * facts, the anomalies, the pictures - then written as HTML
 * (report_html.c) or as one SVG page (report_svg.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"
#include "analyze/graph.h"
#include "analyze/window.h"

#define REP_TOP 6               /* anomaly lines per kind */
#define CHART_W 392
#define CHART_H 236

/* ------------------------------------------------------------ the span */

static void say(char **dst, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(char **dst, const char *fmt, ...)
{
	va_list ap;

	free(*dst);
	va_start(ap, fmt);
	if (vasprintf(dst, fmt, ap) < 0)
		*dst = NULL;
	va_end(ap);
}

/* The span's options: the process asked for, as `why --pid P` picks; or
 * the summary's slowest syscall, as its command picks it.  Returns false
 * (rp->sentence says why) when there is nothing to pick from. */
static bool span_opts(struct kt_rep *rp, struct kt_why_opts *wo)
{
	const struct kt_summary *s = &rp->sum;
	char f[512];

	memset(wo, 0, sizeof(*wo));
	wo->sys_nr = -1;
	kt_fmt_shell_word(f, sizeof(f), rp->o->file);
	if (rp->o->pid) {
		wo->pid = rp->o->pid;
		wo->tid = rp->o->tid;
		snprintf(rp->why_cmd, sizeof(rp->why_cmd), "ktrail why %s --pid %u",
			 f, wo->pid);
		if (wo->tid)
			snprintf(rp->why_cmd + strlen(rp->why_cmd),
				 sizeof(rp->why_cmd) - strlen(rp->why_cmd),
				 " --tid %u", wo->tid);
		return true;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].kind != KT_AN_SLOW)
			continue;
		wo->pid = s->v[i].pid;
		wo->sys_nr = s->v[i].nr;
		kt_anom_command(rp->why_cmd, sizeof(rp->why_cmd), &s->v[i],
				rp->o->file);
		return true;
	}
	say(&rp->sentence, "no span to explain: %s; `ktrail report --pid P` "
	    "explains the slowest span of process P",
	    s->syscalls ? "no syscall of 1 ms or more that is not an idle wait" :
	    "the capture has no syscall records");
	return false;
}

/* Why process @pid (thread @tid) has no span: not in the capture, not
 * one of the process, or none. */
static int no_span(struct kt_rep *rp, __u32 pid, __u32 tid,
		   struct kt_err *err)
{
	struct kt_why_ident id;
	int rc = kt_why_identify(rp->r, pid, tid, &id, err);

	if (rc)
		return rc;
	if (tid && !id.tid_seen)
		say(&rp->sentence, "no span to explain: thread %u is not in the "
		    "capture", tid);
	else if (tid && !id.tid_in_pid)
		say(&rp->sentence, "no span to explain: thread %u is not a "
		    "thread of process %u", tid, pid);
	else if (!id.pid_seen)
		say(&rp->sentence, "no span to explain: process %u is not in "
		    "the capture", pid);
	else
		say(&rp->sentence, "no span to explain: %s %u has no span in "
		    "the capture", tid ? "thread" : "process", tid ? tid : pid);
	return rp->sentence ? 0 : -ENOMEM;
}

static char *why_text(const struct kt_why *w)
{
	struct kt_out o;

	if (kt_out_init(&o, -1, 4096))
		return NULL;
	kt_why_print(&o, w, 0);
	kt_out_ch(&o, 0);
	if (o.err) {
		kt_out_release(&o);
		return NULL;
	}
	return o.buf;
}

static char *exit_text(const struct kt_why_exit *x)
{
	struct kt_out o;

	if (kt_out_init(&o, -1, 4096))
		return NULL;
	kt_why_exit_print(&o, x);
	kt_out_ch(&o, 0);
	if (o.err) {
		kt_out_release(&o);
		return NULL;
	}
	return o.buf;
}

/* No span to explain: how the first process that failed ended (a fatal
 * signal, an OOM kill, a non-zero exit: the summary's first such line),
 * as `why --exit` tells it.  Nothing when no process failed. */
static int explain_exit(struct kt_rep *rp, struct kt_err *err)
{
	const struct kt_summary *s = &rp->sum;
	const struct kt_anom *a = NULL;
	struct kt_why_exit x;
	char *sentence = NULL, *text = NULL;
	int rc;

	for (size_t i = 0; !a && i < s->n; i++)
		if ((s->v[i].kind == KT_AN_SIGNAL || s->v[i].kind == KT_AN_OOM ||
		     s->v[i].kind == KT_AN_EXIT) && !strcmp(s->v[i].verb, "why"))
			a = &s->v[i];
	if (!a)
		return 0;
	rc = kt_why_exit(rp->r, a->pid, &x, err);
	if (!rc) {
		sentence = kt_why_exit_root_sentence(&x);
		text = exit_text(&x);
		rc = sentence && text ? 0 : -ENOMEM;
	}
	kt_why_exit_release(&x);
	if (rc == -ENOENT)
		rc = 0;         /* its end is not in the capture after all */
	if (rc || !sentence) {
		free(sentence);
		free(text);
		return rc;
	}
	free(rp->sentence);
	rp->sentence = sentence;
	rp->why_text = text;
	rp->exit = true;
	snprintf(rp->end_words, sizeof(rp->end_words), "%s", a->what);
	kt_anom_command(rp->why_cmd, sizeof(rp->why_cmd), a, rp->o->file);
	return 0;
}

static int explain(struct kt_rep *rp, struct kt_err *err)
{
	struct kt_why_opts wo;
	struct kt_why_span sp;
	char a[32], b[32], d[32];
	int rc;

	if (!span_opts(rp, &wo))
		return rp->sentence ? explain_exit(rp, err) : -ENOMEM;
	rc = kt_why_pick(rp->r, &wo, &sp, err);
	if (rc == -ENOENT)
		return no_span(rp, wo.pid, wo.tid, err);
	if (!rc)
		rc = kt_why_explain(rp->r, &sp, &rp->why, err);
	if (rc)
		return rc;
	rp->span = true;
	rp->sentence = kt_why_root_sentence(&rp->why);
	rp->confidence = kt_why_confidence_sentence(&rp->why);
	rp->span_words = kt_why_span_sentence(&rp->why);
	rp->why_text = why_text(&rp->why);
	snprintf(rp->when, sizeof(rp->when), "from %s to %s: %s%s",
		 kt_tlf_ts(a, sizeof(a), sp.start), kt_tlf_ts(b, sizeof(b), sp.end),
		 kt_tlf_dur(d, sizeof(d), sp.end - sp.start),
		 sp.open ? " (still going on when the capture ended)" : "");
	if (!rp->sentence || !rp->confidence || !rp->span_words ||
	    !rp->why_text)
		return -ENOMEM;
	if (!rp->sentence[0])
		say(&rp->sentence, "no root cause: the span's time is not "
		    "attributed");
	return rp->sentence ? 0 : -ENOMEM;
}

/* --------------------------------------------------------- the capture */

static void row(struct kt_rep *rp, const char *key, bool alarm,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void row(struct kt_rep *rp, const char *key, bool alarm,
		const char *fmt, ...)
{
	struct kt_rep_row *r;
	va_list ap;

	if (rp->nrows == KT_REP_ROWS)
		return;
	r = &rp->rows[rp->nrows];
	va_start(ap, fmt);
	if (vasprintf(&r->val, fmt, ap) < 0)
		r->val = NULL;
	va_end(ap);
	if (!r->val)
		return;
	r->key = key;
	r->alarm = alarm;
	rp->nrows++;
}

static const char *str_at(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void host_rows(struct kt_rep *rp)
{
	const json_t *host = json_object_get(rp->meta, "host");
	const json_t *cpus = json_object_get(host, "cpus");
	const json_t *rec = json_object_get(rp->meta, "record");
	char cmd[2048];

	if (str_at(host, "hostname"))
		row(rp, "host", false, "%s (%s, %lld cpus)",
		    str_at(host, "hostname"), str_at(host, "machine") ?: "?",
		    json_is_integer(cpus) ? json_integer_value(cpus) : -1LL);
	else
		row(rp, "host", false, "not recorded");
	if (str_at(host, "kernel_release"))
		row(rp, "kernel", false, "%s %s", str_at(host, "kernel_release"),
		    str_at(host, "kernel_version") ?: "");
	kt_fmt_shell_argv(cmd, sizeof(cmd), json_object_get(rec, "argv"));
	if (cmd[0])
		row(rp, "command", false, "%s", cmd);
	if (str_at(rec, "families"))
		row(rp, "recorded", false, "families %s, scope %s",
		    str_at(rec, "families"), str_at(rec, "scope") ?: "?");
}

static void time_rows(struct kt_rep *rp)
{
	const struct kt_anchors *an = kt_reader_anchors(rp->r);
	char a[64], b[64], d[32];
	__s64 wa, wb;

	if (!kt_anchors_to_wall(an, rp->info.first_ts, &wa) &&
	    !kt_anchors_to_wall(an, rp->info.last_ts, &wb) &&
	    kt_wall_fmt(a, sizeof(a), wa) && kt_wall_fmt(b, sizeof(b), wb))
		row(rp, "time", false, "%s to %s", a, b);
	else
		row(rp, "time", false, "%s to %s s on the capture clock (no "
		    "wall-clock anchors)", kt_tlf_ts(a, sizeof(a), rp->info.first_ts),
		    kt_tlf_ts(b, sizeof(b), rp->info.last_ts));
	row(rp, "duration", false, "%s",
	    kt_tlf_dur(d, sizeof(d), rp->info.last_ts - rp->info.first_ts));
}

/* "2,006 (sched_switch 1,028, sched_waking 547, ...)": the kinds by
 * count, the largest first */
static void event_row(struct kt_rep *rp)
{
	char buf[1024];
	size_t used;
	bool done[KT_KIND_MAX] = { false };

	used = snprintf(buf, sizeof(buf), "%llu",
			(unsigned long long)rp->info.events);
	for (int n = 0; n < KT_KIND_MAX && used < sizeof(buf); n++) {
		int best = -1;

		for (int k = 1; k < KT_KIND_MAX; k++)
			if (!done[k] && rp->info.kind_events[k] &&
			    (best < 0 || rp->info.kind_events[k] >
					 rp->info.kind_events[best]))
				best = k;
		if (best < 0)
			break;
		done[best] = true;
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s %llu",
				 n ? ", " : ": ", kt_kind_info(best)->name,
				 (unsigned long long)rp->info.kind_events[best]);
	}
	row(rp, "events", false, "%s", buf);
}

static void lost_row(struct kt_rep *rp)
{
	const struct kt_summary *s = &rp->sum;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind == KT_AN_LOST) {
			row(rp, "lost", true, "%s: the capture is incomplete",
			    s->v[i].what);
			return;
		}
	row(rp, "lost", false, "none");
}

static void capture_rows(struct kt_rep *rp)
{
	row(rp, "capture", false, "%s (format %u.%u, %llu bytes)", rp->o->file,
	    rp->info.major, rp->info.minor,
	    (unsigned long long)rp->info.file_bytes);
	host_rows(rp);
	time_rows(rp);
	event_row(rp);
	lost_row(rp);
}

/* ------------------------------------------------------------ pictures */

/* Draw @s as an SVG picture of the report; @s is released. */
static int add_scene(struct kt_rep *rp, const char *id, const char *title,
		     char *caption, struct kt_scene *s, bool small)
{
	struct kt_rep_pic *p = &rp->pics[rp->npics];
	int rc;

	if (rp->npics == KT_REP_PICS || !caption) {
		free(caption);
		kt_scene_release(s);
		return rp->npics == KT_REP_PICS ? -E2BIG : -ENOMEM;
	}
	rc = kt_scene_draw(s, KT_RF_SVG, &p->svg, &p->len);
	p->w = s->width;
	p->h = s->height;
	kt_scene_release(s);
	if (rc) {
		free(caption);
		return rc;
	}
	p->id = id;
	p->title = title;
	p->caption = caption;
	p->small = small;
	rp->npics++;
	return 0;
}

static int charts(struct kt_rep *rp)
{
	static const struct {
		const char *id, *what;
	} c[KT_SH_N] = {
		[KT_SH_BLOCK] = { "lat-block", "block requests" },
		[KT_SH_RUNQ] = { "lat-runq", "waits for a cpu" },
		[KT_SH_SYSCALL] = { "lat-syscall", "syscalls" },
	};
	char f[512], *cap;
	int rc = 0;

	kt_fmt_shell_word(f, sizeof(f), rp->o->file);
	for (int i = 0; !rc && i < KT_SH_N; i++) {
		const struct kt_summary_hist *h = &rp->sum.hist[i];
		struct kt_bars b = { h->name, c[i].what, h->slot };
		struct kt_scene s;

		if ((rc = kt_render_log2_bars(&b, CHART_W, CHART_H, &s)))
			break;
		if (asprintf(&cap, "ktrail stats %s %s%s", f, h->tool,
			     i == KT_SH_SYSCALL ? " (percentiles by syscall)" : "") < 0)
			cap = NULL;
		rc = add_scene(rp, c[i].id, h->name, cap, &s, true);
	}
	return rc;
}

/* The SVG document @svg (@len bytes, owned from here) as a picture of
 * the report. */
static int add_svg(struct kt_rep *rp, const char *id, const char *title,
		   char *caption, char *svg, size_t len)
{
	struct kt_rep_pic *p = &rp->pics[rp->npics];
	int rc = rp->npics == KT_REP_PICS ? -E2BIG : caption ? 0 : -ENOMEM;

	if (!rc)
		rc = kt_svg_size(svg, len, &p->w, &p->h);
	if (rc) {
		free(caption);
		free(svg);
		return rc;
	}
	p->id = id;
	p->title = title;
	p->caption = caption;
	p->svg = svg;
	p->len = len;
	p->small = false;
	rp->npics++;
	return 0;
}

/* "--from 3403.077600000 --to 3403.099500000": the window's options */
static void window_words(char *b, size_t sz, const struct kt_window *w)
{
	char a[32], c[32];

	snprintf(b, sz, "--from %s --to %s", kt_tlf_ts(a, sizeof(a), w->from),
		 kt_tlf_ts(c, sizeof(c), w->to));
}

/* The worst span's critical path drawn (`why -o`). */
static int why_picture(struct kt_rep *rp)
{
	struct kt_scene s;
	char *cap;
	int rc = kt_why_scene(&rp->why, &s);

	if (rc) {
		kt_scene_release(&s);
		return rc;
	}
	if (asprintf(&cap, "%s -o why.svg", rp->why_cmd) < 0)
		cap = NULL;
	return add_scene(rp, "critical-path", "The critical path", cap, &s,
			 false);
}

/* The timeline of the span's window, its critical path's threads first
 * (`timeline -o`). */
static int timeline_picture(struct kt_rep *rp, const struct kt_window *w,
			    const char *f, struct kt_err *err)
{
	const char *base = strrchr(rp->o->file, '/');
	struct kt_rtl_opts to = {
		.w = *w, .why = &rp->why, .width = rp->o->width,
		.title = base ? base + 1 : rp->o->file,
	};
	struct kt_scene s;
	char ww[96], *cap;
	int rc = kt_render_timeline(rp->r, &to, &s, NULL, err);

	if (rc) {
		kt_scene_release(&s);
		return rc;
	}
	window_words(ww, sizeof(ww), w);
	if (asprintf(&cap, "ktrail timeline %s %s -o timeline.png", f, ww) < 0)
		cap = NULL;
	return add_scene(rp, "timeline", "The timeline of its window", cap, &s,
			 false);
}

/* The causal graph of the span's window, its critical path red (`graph
 * -o`); laid out by Graphviz. */
static int graph_picture(struct kt_rep *rp, const struct kt_window *w,
			 const char *f, struct kt_err *err)
{
	struct kt_graph *g = NULL;
	struct kt_graph_sel sel = { 0 }, path = { 0 };
	struct kt_graph_pic pic = {
		.from = w->from, .to = w->to, .why = &rp->why, .path = &path,
	};
	char ww[96], msg[256], *dot = NULL, *svg = NULL, *cap;
	size_t len = 0, slen = 0;
	int rc = kt_graph_build(rp->r, w, &g, err);

	if (!rc)
		rc = kt_graph_select(g, 0, &sel);
	if (!rc)
		rc = kt_graph_path(g, &rp->why.path, &path);
	pic.g = g;
	pic.sel = &sel;
	/* the graph's reading replaced the task table the answer named
	 * its threads from */
	pic.tasks = rp->why.tasks = kt_reader_tasks(rp->r);
	if (!rc)
		rc = kt_graph_dot(&pic, &dot, &len);
	if (!rc)
		rc = kt_dot_render(dot, KT_RF_SVG, &svg, &slen, msg, sizeof(msg));
	free(dot);
	kt_graph_sel_release(&path);
	kt_graph_sel_release(&sel);
	kt_graph_free(g);
	if (rc)
		return rc;
	window_words(ww, sizeof(ww), w);
	if (asprintf(&cap, "ktrail graph %s %s -o graph.svg", f, ww) < 0)
		cap = NULL;
	return add_svg(rp, "graph", "The causal graph of its window", cap, svg,
		       slen);
}

/* The worst span's pictures: its critical path, the timeline and the
 * causal graph of the window around it. */
static int span_pictures(struct kt_rep *rp, struct kt_err *err)
{
	struct kt_window w;
	char f[512];
	int rc;

	if (!rp->span)
		return 0;
	kt_fmt_shell_word(f, sizeof(f), rp->o->file);
	kt_render_span_window(&rp->why.span, &rp->info, &w);
	rc = why_picture(rp);
	if (!rc)
		rc = timeline_picture(rp, &w, f, err);
	if (!rc)
		rc = graph_picture(rp, &w, f, err);
	return rc;
}

/* ---------------------------------------------------------------- all */

static void release(struct kt_rep *rp)
{
	for (size_t i = 0; i < rp->nrows; i++)
		free(rp->rows[i].val);
	for (size_t i = 0; i < rp->npics; i++) {
		free(rp->pics[i].caption);
		free(rp->pics[i].svg);
	}
	if (rp->span)
		kt_why_release(&rp->why);
	free(rp->sentence);
	free(rp->confidence);
	free(rp->span_words);
	free(rp->why_text);
	kt_summary_release(&rp->sum);
}

static void tell(const struct kt_rep *rp, struct kt_report_info *info)
{
	if (!info)
		return;
	memset(info, 0, sizeof(*info));
	info->span = rp->span || rp->exit;
	snprintf(info->sentence, sizeof(info->sentence), "%s",
		 rp->sentence ? rp->sentence : "");
	snprintf(info->why, sizeof(info->why), "%s", rp->why_cmd);
	info->pictures = rp->npics;
}

int kt_report(struct kt_reader *r, const struct kt_report_opts *o,
	      enum kt_rfmt fmt, char **buf, size_t *len,
	      struct kt_report_info *info, struct kt_err *err)
{
	struct kt_rep rp = { .o = o, .r = r, .top = REP_TOP };
	struct kt_out out = { 0 };
	int rc;

	*buf = NULL;
	*len = 0;
	if (fmt != KT_RF_HTML && fmt != KT_RF_SVG)
		return -EINVAL;
	kt_reader_info(r, &rp.info);
	rp.meta = kt_reader_meta(r);
	rc = kt_summary_build(r, NULL, &rp.sum, err);
	if (!rc)
		rc = explain(&rp, err);
	if (!rc) {
		capture_rows(&rp);
		rc = span_pictures(&rp, err);
	}
	if (!rc)
		rc = charts(&rp);
	if (!rc)
		rc = kt_out_init(&out, -1, 1 << 16);
	if (!rc)
		rc = fmt == KT_RF_HTML ? kt_rep_html(&rp, &out) :
					 kt_rep_svg(&rp, &out);
	if (!rc) {
		*buf = out.buf;
		*len = out.len;
		out.buf = NULL;
		tell(&rp, info);
	}
	kt_out_release(&out);
	release(&rp);
	return rc;
}
