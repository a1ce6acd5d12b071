/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fuzz.h - how a fuzz target names its entry point.  Each tests/fuzz/
 * NAME.c is one target, with a seed corpus in tests/fuzz/corpus/NAME/.
 * In a libFuzzer build (`make fuzz`: one binary per target,
 * build/fuzz/fuzz-NAME) KT_FUZZ_TARGET(NAME) also defines
 * LLVMFuzzerTestOneInput; in fuzz-replay, which links every target, it
 * defines kt_fuzz_NAME only, and driver.c's table routes each corpus
 * directory to its target.
 */
#ifndef KT_FUZZ_H
#define KT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define KT_FUZZ_ENTRY_(name)                                            \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)    \
	{                                                               \
		return kt_fuzz_##name(data, size);                      \
	}
#else
#define KT_FUZZ_ENTRY_(name)
#endif

#define KT_FUZZ_TARGET(name)                                            \
	int kt_fuzz_##name(const uint8_t *data, size_t size);           \
	KT_FUZZ_ENTRY_(name)                                            \
	int kt_fuzz_##name(const uint8_t *data, size_t size)

/* The targets (driver.c's table). */
int kt_fuzz_reader(const uint8_t *data, size_t size);
int kt_fuzz_check(const uint8_t *data, size_t size);
int kt_fuzz_time(const uint8_t *data, size_t size);
int kt_fuzz_threshold(const uint8_t *data, size_t size);
int kt_fuzz_meta(const uint8_t *data, size_t size);

/* fuzz_str - @data as a NUL-terminated string in a buffer of its own
 * (so that ASan sees a read past it; it ends at the first NUL); free()
 * it.  NULL when out of memory. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = 0;
	}
	return s;
}

/* fuzz_capture - a small finished capture (mini.c) in a memfd, written
 * with @start as its start metadata and @end merged in at its end (NULL:
 * fixed ones): a few processes, a slow fsync by dd, exits with codes and
 * signals, an OOM kill, a retransmit, a refused connect, lost events, a
 * clock anchor a second.  Returns the fd (the caller closes it) or -1. */
struct json_t;
int fuzz_capture(const struct json_t *start, const struct json_t *end);

#endif /* KT_FUZZ_H */
