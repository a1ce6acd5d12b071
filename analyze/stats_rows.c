// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_rows.c - reading a stats tool's NDJSON back as it is printed, for
 * the analyses built on the tools (summary.c, diff.c, check.c): every
 * number they give is the one the tool's command prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/stats_int.h"

static int one_row(struct kt_st_rows *w, const char *p, size_t n)
{
	json_t *row = json_loadb(p, n, 0, NULL);
	int rc;

	if (!row)
		return -ENOMEM;         /* the tools print valid JSON */
	rc = w->row(w->arg, row);
	json_decref(row);
	return rc;
}

static int keep_part(struct kt_st_rows *w, const char *p, size_t n)
{
	if (!n)
		return 0;
	if (w->npart + n > w->cappart) {
		size_t cap = w->cappart ? w->cappart : 1024;
		char *q;

		while (cap < w->npart + n)
			cap *= 2;
		q = realloc(w->part, cap);
		if (!q)
			return -ENOMEM;
		w->part = q;
		w->cappart = cap;
	}
	memcpy(w->part + w->npart, p, n);
	w->npart += n;
	return 0;
}

int kt_st_rows_sink(void *arg, const char *buf, size_t len)
{
	struct kt_st_rows *w = arg;
	const char *p = buf, *end = buf + len, *nl;
	int rc = 0;

	while (!rc && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		if (w->npart) {
			rc = keep_part(w, p, (size_t)(nl - p));
			if (!rc)
				rc = one_row(w, w->part, w->npart);
			w->npart = 0;
		} else if (nl > p) {
			rc = one_row(w, p, (size_t)(nl - p));
		}
		p = nl + 1;
	}
	return rc ? rc : keep_part(w, p, (size_t)(end - p));
}

void kt_st_rows_release(struct kt_st_rows *w)
{
	free(w->part);
	w->part = NULL;
	w->npart = w->cappart = 0;
}

__u64 kt_st_ju(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (__u64)json_integer_value(v) : 0;
}

const char *kt_st_js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

#define KT_ST_ROWS_BUF (64 * 1024)

struct kt_stats_opts *kt_st_rowjobs_add(struct kt_st_rowjobs *t,
					const struct kt_stats_tool *tool,
					void *state,
					int (*row)(void *arg, const json_t *row),
					void *arg, const struct kt_info *info)
{
	size_t k = t->n;
	struct kt_stats_opts *o = &t->opts[k];

	if (k == KT_ST_ROWJOBS_MAX || !tool)
		return NULL;
	kt_stats_opts_init(o);
	o->json = true;
	o->top = 0;
	o->first_ts = info->first_ts;
	o->last_ts = info->last_ts;
	t->rows[k].row = row;
	t->rows[k].arg = arg;
	if (kt_out_init_sink(&t->out[k], kt_st_rows_sink, &t->rows[k],
			     KT_ST_ROWS_BUF))
		return NULL;
	t->job[k].tool = tool;
	t->job[k].state = state;
	t->job[k].opts = o;
	t->job[k].o = &t->out[k];
	t->n++;
	return o;
}

int kt_st_rowjobs_run(struct kt_st_rowjobs *t, struct kt_reader *r,
		      const struct kt_info *info, struct kt_err *err)
{
	struct kt_source *src = NULL;
	__u64 kinds = 0;
	int rc;

	if (!t->n)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		kinds |= kt_stats_tool_kinds(t->job[i].tool);
	kt_reader_filter(r, kinds, 0, 0);
	rc = kt_reader_seek(r, info->first_ts, err);
	if (!rc && !(src = kt_source_reader(r)))
		rc = -ENOMEM;
	if (!rc)
		rc = kt_stats_run_jobs(t->job, t->n, src, err);
	kt_source_free(src);
	kt_reader_filter(r, 0, 0, 0);
	for (size_t i = 0; i < t->n && !rc; i++)
		rc = kt_out_flush(&t->out[i]);
	return rc;
}

void kt_st_rowjobs_release(struct kt_st_rowjobs *t)
{
	for (size_t i = 0; i < t->n; i++) {
		kt_out_release(&t->out[i]);
		kt_st_rows_release(&t->rows[i]);
	}
	t->n = 0;
}
