// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * window.c - reading one time window of a capture (see window.h).
 */
#include <errno.h>
#include <stdlib.h>
#include "window.h"

void kt_window_place(struct kt_window *w, const struct kt_info *info,
		     __u64 len)
{
	if (!len) {
		if (!w->from)
			w->from = info->first_ts;
		if (!w->to)
			w->to = info->last_ts;
		return;
	}
	if (w->from && w->to)
		return;
	if (w->from) {
		w->to = w->from + len;
		return;
	}
	if (!w->to)
		w->to = info->last_ts;
	w->from = w->to > info->first_ts + len ? w->to - len : info->first_ts;
}

void kt_window_reach(const struct kt_window *w, const struct kt_info *info,
		     __u64 *start, __u64 *stop)
{
	*start = w->from > info->first_ts + KT_WINDOW_LOOKBACK_NS ?
		 w->from - KT_WINDOW_LOOKBACK_NS : info->first_ts;
	/* to + slack must not wrap for a --to far past the capture */
	*stop = info->last_ts > KT_WINDOW_SLACK_NS &&
		w->to < info->last_ts - KT_WINDOW_SLACK_NS ?
		w->to + KT_WINDOW_SLACK_NS : info->last_ts;
}

/* A scoped recording that marks its scope (docs/format.md,
 * record.scope_marks): threads out of scope are never guessed. */
static void scope_opts(const json_t *meta, struct kt_tl_opts *o)
{
	const json_t *rec = json_object_get(meta, "record");
	const char *kind = json_string_value(json_object_get(rec, "scope"));

	if (!json_is_true(json_object_get(rec, "scope_marks")))
		return;
	o->scoped = kind && strcmp(kind, "host");
	o->kthreads = json_is_true(json_object_get(rec, "kthreads"));
}

void kt_window_tl_opts(struct kt_reader *r, const struct kt_window *w,
		       struct kt_tl_opts *o)
{
	struct kt_info info;
	__u64 start;

	kt_reader_info(r, &info);
	kt_window_reach(w, &info, &start, &o->end_ts);
	o->syscalls = info.kind_events[KT_SYSCALL] > 0;
	scope_opts(kt_reader_meta(r), o);
}

/* ------------------------------------------------------------- source */

struct window_source {
	struct kt_source s;
	struct kt_reader *r;
	__u64 stop;
	bool done;
};

static int ws_next(struct kt_source *s, const struct kt_event **ev,
		   struct kt_err *err)
{
	struct window_source *ws = (struct window_source *)s;
	int rc;

	if (ws->done)
		return 0;
	rc = kt_reader_next(ws->r, ev, err);
	if (rc > 0 && (*ev)->ts > ws->stop) {
		ws->done = true;
		rc = 0;
	}
	return rc;
}

static const struct kt_tasks *ws_tasks(struct kt_source *s)
{
	return kt_reader_tasks(((struct window_source *)s)->r);
}

static void ws_free(struct kt_source *s)
{
	free(s);
}

int kt_window_source(struct kt_reader *r, const struct kt_window *w,
		     struct kt_source **src, struct kt_err *err)
{
	struct window_source *ws;
	struct kt_info info;
	__u64 start;
	int rc;

	*src = NULL;
	kt_reader_info(r, &info);
	ws = calloc(1, sizeof(*ws));
	if (!ws)
		return -ENOMEM;
	kt_window_reach(w, &info, &start, &ws->stop);
	kt_reader_filter(r, 0, 0, 0);
	rc = kt_reader_seek(r, start, err);
	if (rc) {
		free(ws);
		return rc;
	}
	ws->s.next = ws_next;
	ws->s.tasks = ws_tasks;
	ws->s.free = ws_free;
	ws->r = r;
	*src = &ws->s;
	return 0;
}

int kt_window_timeline(struct kt_reader *r, const struct kt_window *w,
		       const struct kt_tl_ops *ops, void *arg,
		       struct kt_err *err)
{
	struct kt_source *src = NULL;
	struct kt_tl_opts to = { 0 };
	struct kt_tl *tl = NULL;
	int rc;

	kt_window_tl_opts(r, w, &to);
	rc = kt_window_source(r, w, &src, err);
	if (rc)
		return rc;
	tl = kt_tl_new(&to, ops, arg);
	rc = tl ? kt_tl_run(tl, src, err) : -ENOMEM;
	kt_tl_free(tl);
	kt_source_free(src);
	return rc;
}
