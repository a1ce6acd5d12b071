// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fmt.h: the hand-written formatters against printf, and the flushing. */
#include <fcntl.h>
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kt_test.h"
#include "analyze/fmt.h"

/* the output so far as a string (the buffer keeps growing: fd -1) */
static const char *str(struct kt_out *o)
{
	kt_out_ch(o, 0);
	o->len--;
	return o->buf;
}

#define OUT_IS(o, want)                                                 \
	do {                                                            \
		KT_ASSERT(!strcmp(str(o), want), "got '%s' want '%s'",  \
			  str(o), want);                                \
		(o)->len = 0;                                           \
	} while (0)

KT_TEST(stream_fmt_numbers)
{
	static const __u64 v[] = {
		0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 123456789,
		1000000000, 4294967295ULL, 18446744073709551615ULL,
		10000000000000000000ULL,
	};
	struct kt_out o;
	char want[64];

	KT_ASSERT(!kt_out_init(&o, -1, 8), "init");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kt_out_u64(&o, v[i]);
		snprintf(want, sizeof(want), "%" PRIu64, (uint64_t)v[i]);
		OUT_IS(&o, want);
		kt_out_s64(&o, -(__s64)(v[i] >> 1));
		snprintf(want, sizeof(want), "%" PRId64, -(int64_t)(v[i] >> 1));
		OUT_IS(&o, want);
		kt_out_u64w(&o, v[i], 12);
		snprintf(want, sizeof(want), "%12" PRIu64, (uint64_t)v[i]);
		OUT_IS(&o, want);
		kt_out_u64w(&o, v[i], -12);
		snprintf(want, sizeof(want), "%-12" PRIu64, (uint64_t)v[i]);
		OUT_IS(&o, want);
		kt_out_hex(&o, v[i]);
		snprintf(want, sizeof(want), "0x%" PRIx64, (uint64_t)v[i]);
		OUT_IS(&o, want);
	}
	kt_out_s64(&o, INT64_MIN);
	OUT_IS(&o, "-9223372036854775808");
	kt_out_s64w(&o, -42, 6);
	OUT_IS(&o, "   -42");
	kt_out_s64w(&o, -42, -6);
	OUT_IS(&o, "-42   ");
	kt_out_u64z(&o, 7, 3);
	OUT_IS(&o, "007");
	kt_out_u64z(&o, 1234, 3);
	OUT_IS(&o, "1234");
	kt_out_ts(&o, 0);
	OUT_IS(&o, "0.000000000");
	kt_out_ts(&o, 12000345678ULL);
	OUT_IS(&o, "12.000345678");
	kt_out_tsw(&o, 1500000000ULL, -14);
	OUT_IS(&o, "1.500000000   ");
	kt_out_dec(&o, 1234567, 3, 3);
	OUT_IS(&o, "1234.567");
	kt_out_dec(&o, 1234567, 6, 2);
	OUT_IS(&o, "1.23");
	kt_out_dec(&o, 5, 3, 0);
	OUT_IS(&o, "0");
	kt_out_dec(&o, 15, 1, 3);
	OUT_IS(&o, "1.500");
	kt_out_decw(&o, 999, 3, 3, 8);
	OUT_IS(&o, "   0.999");
	kt_out_strw(&o, "ab", 4);
	OUT_IS(&o, "  ab");
	kt_out_strw(&o, "abcdef", -4);
	OUT_IS(&o, "abcdef");
	kt_out_spaces(&o, -3);
	OUT_IS(&o, "");
	kt_out_release(&o);
	return KT_PASS;
}

KT_TEST(stream_fmt_strings)
{
	struct kt_out o;

	KT_ASSERT(!kt_out_init(&o, -1, 0), "init");
	kt_out_esc(&o, "a\tb\nc\\d\x01\x7f", 9);
	OUT_IS(&o, "a\\tb\\nc\\\\d\\x01\\x7f");
	kt_out_esc(&o, "caf\xc3\xa9 \xc3 \xed\xa0\x80 \xf0\x9f\x98\x80", 16);
	OUT_IS(&o, "caf\xc3\xa9 \\xc3 \\xed\\xa0\\x80 \xf0\x9f\x98\x80");
	kt_out_esc(&o, "say \"hi\"", 8);
	OUT_IS(&o, "say \"hi\"");
	kt_out_escq(&o, "say \"hi\"", 8);
	OUT_IS(&o, "say \\\"hi\\\"");
	kt_out_json(&o, "q\"b\\\n\x1f\0\xff\xc3\xa9", 10);
	OUT_IS(&o, "\"q\\\"b\\\\\\n\\u001f\\u0000\\u00ff\xc3\xa9\"");
	kt_out_escw(&o, "plain", -8);
	OUT_IS(&o, "plain   ");
	kt_out_escw(&o, "a\nb", 6);
	OUT_IS(&o, "  a\\nb");
	kt_out_hexbytes(&o, "\x00\xab\x10", 3);
	OUT_IS(&o, "00ab10");
	kt_out_jopen(&o, '{');
	kt_out_jkv_u64(&o, "a", 1);
	kt_out_jkey(&o, "b");
	kt_out_jopen(&o, '[');
	kt_out_jsep(&o);
	kt_out_u64(&o, 2);
	kt_out_jsep(&o);
	kt_out_jopen(&o, '{');
	kt_out_jclose(&o, '}');
	kt_out_jclose(&o, ']');
	kt_out_jkv_cstr(&o, "c", "x");
	kt_out_jclose(&o, '}');
	OUT_IS(&o, "{\"a\":1,\"b\":[2,{}],\"c\":\"x\"}");
	kt_out_release(&o);
	return KT_PASS;
}

KT_TEST(stream_fmt_flush)
{
	char path[256], buf[100000];
	struct kt_out o;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/fmt.out", kt_test_tmpdir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	KT_ASSERT(fd >= 0, "open");
	/* a 16-byte buffer: every append flushes; a 40-byte string still
	 * goes through (the buffer grows for it) */
	KT_ASSERT(!kt_out_init(&o, fd, 16), "init");
	for (int i = 0; i < 1000; i++) {
		kt_out_u64w(&o, i, 5);
		kt_out_ch(&o, '\n');
	}
	kt_out_str(&o, "0123456789012345678901234567890123456789\n");
	KT_ASSERT(kt_out_flush(&o) == 0 && o.len == 0, "flush");
	KT_ASSERT(o.written == 6000 + 41, "written %llu",
		  (unsigned long long)o.written);
	n = pread(fd, buf, sizeof(buf), 0);
	KT_ASSERT(n == 6041 && !memcmp(buf, "    0\n    1\n", 12) &&
		  !memcmp(buf + 5994, "  999\n0123", 10), "content");
	kt_out_release(&o);
	close(fd);
	/* a write error is sticky and reported */
	KT_ASSERT(!kt_out_init(&o, fd, 16), "init2");
	kt_out_str(&o, "0123456789012345678901234567890123456789\n");
	KT_ASSERT(kt_out_flush(&o) < 0 && o.err < 0, "error kept");
	kt_out_str(&o, "more");
	KT_ASSERT(o.len == 0, "output dropped after an error");
	kt_out_release(&o);
	return KT_PASS;
}

struct sink_got {
	char buf[256];
	size_t len, calls;
};

static int sink_keep(void *arg, const char *buf, size_t len)
{
	struct sink_got *g = arg;

	if (g->len + len > sizeof(g->buf))
		return -ENOSPC;
	memcpy(g->buf + g->len, buf, len);
	g->len += len;
	g->calls++;
	return 0;
}

/* A sink takes the output as the buffer fills and on flush, in order,
 * whatever its length; its error is sticky like a write's. */
KT_TEST(stream_fmt_sink)
{
	struct sink_got g = { .len = 0 };
	struct kt_out o;
	char want[256];
	size_t n = 0;

	KT_ASSERT(!kt_out_init_sink(&o, sink_keep, &g, 16), "init");
	for (int i = 0; i < 20; i++) {
		kt_out_printf(&o, "row %d\n", i);
		n += snprintf(want + n, sizeof(want) - n, "row %d\n", i);
	}
	KT_ASSERT(g.calls > 1 && g.len < n, "%zu calls, %zu bytes before the "
		  "flush", g.calls, g.len);
	KT_ASSERT(!kt_out_flush(&o) && g.len == n && !memcmp(g.buf, want, n),
		  "got %.*s", (int)g.len, g.buf);
	for (int i = 0; i < 40; i++)
		kt_out_str(&o, "more output than the sink takes\n");
	kt_out_flush(&o);
	KT_ASSERT(o.err == -ENOSPC, "sticky sink error %d", o.err);
	kt_out_release(&o);
	return KT_PASS;
}
