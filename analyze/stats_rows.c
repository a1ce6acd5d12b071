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
