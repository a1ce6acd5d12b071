/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* convert_util.h - a string table for kt_convert's intern callback, shared
 * by the tests of record/convert.c and record/redact.c. */
#ifndef KT_CONVERT_UTIL_H
#define KT_CONVERT_UTIL_H

#include <stdint.h>
#include <string.h>
#include <linux/types.h>

struct strs {
	char buf[8192];
	size_t used;
	__u32 off[64], len[64], n;
};

static inline __u32 intern(void *ctx, const void *s, size_t len)
{
	struct strs *t = ctx;

	if (t->n == 64 || t->used + len > sizeof(t->buf))
		return UINT32_MAX;
	memcpy(t->buf + t->used, s, len);
	t->off[t->n] = t->used;
	t->len[t->n] = len;
	t->used += len;
	return ++t->n;
}

static inline int str_is(const struct strs *t, __u32 h, const void *want,
			 size_t n)
{
	return h && h <= t->n && t->len[h - 1] == n &&
	       !memcmp(t->buf + t->off[h - 1], want, n);
}

#endif
