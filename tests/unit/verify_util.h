/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* verify_util.h - the findings of a verify run, for its tests. */
#ifndef KT_VERIFY_UTIL_H
#define KT_VERIFY_UTIL_H

#include "analyze/verify.h"

#define MAXF 32

struct found {
	struct kt_violation v[MAXF];
	size_t n;
};

/* a kt_verify callback: keep the first MAXF findings, count them all */
static inline int collect(const struct kt_violation *x, void *arg)
{
	struct found *f = arg;

	if (f->n < MAXF)
		f->v[f->n] = *x;
	f->n++;
	return 0;
}

#endif
