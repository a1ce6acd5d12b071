/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kt_test.h - unit tests.  A test is a function registered with KT_TEST();
 * it returns KT_PASS, or KT_FAIL/KT_SKIP after saying why with
 * kt_test_reason() (the KT_ASSERT macros do that for you).  The runner
 * (tests/unit/main.c) prints one "PASS|FAIL|SKIP unit/NAME[: reason]" line
 * per test, in name order.
 *
 *	KT_TEST(format_roundtrip)
 *	{
 *		KT_ASSERT(x == 3, "x is %d", x);
 *		return KT_PASS;
 *	}
 */
#ifndef KT_TEST_H
#define KT_TEST_H

#include <stdio.h>

enum { KT_PASS = 0, KT_FAIL = 1, KT_SKIP = 2 };

struct kt_test {
	const char *name;
	int (*fn)(void);
	struct kt_test *next;
};

void kt_test_register(struct kt_test *t);
/* kt_test_reason - record why the running test fails or skips. */
void kt_test_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* kt_test_tmpdir - a per-run scratch directory (removed at exit). */
const char *kt_test_tmpdir(void);

#define KT_TEST(n)                                                      \
	static int kt_test_fn_##n(void);                                \
	static struct kt_test kt_test_##n = { #n, kt_test_fn_##n, NULL }; \
	__attribute__((constructor)) static void kt_test_reg_##n(void)  \
	{                                                               \
		kt_test_register(&kt_test_##n);                         \
	}                                                               \
	static int kt_test_fn_##n(void)

#define KT_ASSERT(cond, ...)                                            \
	do {                                                            \
		if (!(cond)) {                                          \
			kt_test_reason("%s:%d: %s: ", __FILE__, __LINE__, #cond); \
			kt_test_reason(__VA_ARGS__);                    \
			return KT_FAIL;                                 \
		}                                                       \
	} while (0)

#define KT_SKIP_IF(cond, ...)                                           \
	do {                                                            \
		if (cond) {                                             \
			kt_test_reason(__VA_ARGS__);                    \
			return KT_SKIP;                                 \
		}                                                       \
	} while (0)

#endif /* KT_TEST_H */
