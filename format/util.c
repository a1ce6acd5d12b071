// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* util.c - growable byte buffers and error records for format/. */
#include <stdio.h>
#include <stdlib.h>
#include "format_int.h"

int kt_buf_grow(struct kt_buf *b, size_t more)
{
	size_t cap;
	unsigned char *p;

	if (b->len + more <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int kt_buf_put(struct kt_buf *b, const void *p, size_t n)
{
	int err = kt_buf_grow(b, n);

	if (err)
		return err;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void kt_buf_release(struct kt_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int kt_err_set(struct kt_err *e, int code, enum kt_err_what what, __u64 off,
	       const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->code = code;
		e->what = what;
		e->off = off;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

void kt_err_print(FILE *f, const char *prefix, const char *subject,
		  const struct kt_err *e)
{
	const char *msg = e->msg[0] ? e->msg : strerror(-e->code);

	fprintf(f, "%s: ", prefix);
	if (subject)
		fprintf(f, "%s: ", subject);
	if (e->off != ~0ULL)
		fprintf(f, "at byte %llu: ", (unsigned long long)e->off);
	fprintf(f, "%s\n", msg);
}
