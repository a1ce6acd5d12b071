// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fmt.c - the hand-written formatters behind struct kt_out.  printf parses
 * its format string for every field; at tens of millions of fields a
 * second that parsing is most of the cost, so numbers are converted two
 * digits at a time from a table and strings are copied with memcpy.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "analyze/fmt.h"
#include "format/format.h"

static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

int kt_out_init(struct kt_out *o, int fd, size_t cap)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->cap = cap ? cap : KT_OUT_DEFAULT_CAP;
	o->buf = malloc(o->cap);
	if (!o->buf) {
		o->cap = 0;
		return -ENOMEM;
	}
	return 0;
}

int kt_out_init_sink(struct kt_out *o, int (*sink)(void *arg,
		     const char *buf, size_t len), void *arg, size_t cap)
{
	int rc = kt_out_init(o, -1, cap);

	o->sink = sink;
	o->sink_arg = arg;
	return rc;
}

void kt_out_release(struct kt_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

int kt_out_flush(struct kt_out *o)
{
	size_t off = 0;
	ssize_t n;

	if (o->sink && !o->err && o->len) {
		int rc = o->sink(o->sink_arg, o->buf, o->len);

		if (rc) {
			o->err = rc;
			o->cap = 0;     /* later output goes nowhere */
		}
		o->written += o->len;
		o->len = 0;
		return o->err;
	}
	if (o->fd < 0 || o->err)
		return o->err;
	while (off < o->len) {
		n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->err = n < 0 ? -errno : -EIO;
			o->cap = 0;     /* later output goes nowhere */
			break;
		}
		off += n;
	}
	o->written += off;
	o->len = 0;
	return o->err;
}

bool kt_out_grow_(struct kt_out *o, size_t n)
{
	size_t cap;
	char *p;

	if (o->err)
		return false;
	if ((o->fd >= 0 || o->sink) && o->len && kt_out_flush(o))
		return false;
	if (o->cap - o->len >= n)
		return true;
	cap = o->cap ? o->cap : 4096;
	while (cap - o->len < n)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p) {
		o->err = -ENOMEM;
		return false;
	}
	o->buf = p;
	o->cap = cap;
	return true;
}

void kt_out_spaces(struct kt_out *o, long n)
{
	char *p;

	if (n <= 0 || !(p = kt_out_need(o, n)))
		return;
	memset(p, ' ', n);
	o->len += n;
}

/* Digits of @v < 10^8 (at least 1). */
static unsigned digits8(__u32 v)
{
	if (v < 10000)
		return v < 100 ? (v < 10 ? 1 : 2) : (v < 1000 ? 3 : 4);
	return v < 1000000 ? (v < 100000 ? 5 : 6) : (v < 10000000 ? 7 : 8);
}

/*
 * The 8 ASCII digits of @v < 10^8 in one register, most significant first
 * in memory order (little-endian): the two 4-digit halves, then their
 * 2-digit and 1-digit parts, are split in SIMD-within-a-register lanes
 * with multiply-shift divisions.  Stored with one 8-byte write: digits
 * built in a buffer by 2-byte stores and reloaded with a wider load stall
 * on store forwarding.
 */
static inline __u64 encode8(__u32 v)
{
	__u64 x = (__u64)(v / 10000) | (__u64)(v % 10000) << 32;
	__u64 y = ((x * 10486) >> 20) & 0x0000007f0000007fULL;  /* x / 100 */

	x = y | (x - y * 100) << 16;
	y = ((x * 103) >> 10) & 0x000f000f000f000fULL;          /* x / 10 */
	x = y | (x - y * 10) << 8;
	return x | 0x3030303030303030ULL;
}

/* Store the last @n (1..8) digits of encode8(@v) at @p; writes 8 bytes. */
static inline void store8(char *p, __u32 v, unsigned n)
{
	__u64 x = encode8(v) >> (8 * (8 - n));

	memcpy(p, &x, 8);
}

/* Write exactly @n digits of @v (the low ones), ending at p + n: the
 * slow path, for odd widths. */
static void put_digits(char *p, __u64 v, unsigned n)
{
	char *e = p + n;

	while (e - p >= 2) {
		e -= 2;
		memcpy(e, digits2 + (v % 100) * 2, 2);
		v /= 100;
	}
	if (e > p)
		*--e = '0' + v % 10;
}

char *kt_put_u64(char *p, __u64 v)
{
	unsigned n;
	__u64 hi;

	/* fds, cpus, small counts: most numbers a replay prints */
	if (v < 100) {
		memcpy(p, digits2 + v * 2 + (v < 10), 2);
		return p + 1 + (v >= 10);
	}
	/* whole 8-digit groups, each one 8-byte store; the stores may run
	 * past the digits, within the 20 bytes the caller provides */
	if (v < 100000000) {
		n = digits8((__u32)v);
		store8(p, (__u32)v, n);
		return p + n;
	}
	if (v < 10000000000000000ULL) {
		hi = v / 100000000;
		n = digits8((__u32)hi);
		store8(p, (__u32)hi, n);
		store8(p + n, (__u32)(v % 100000000), 8);
		return p + n + 8;
	}
	hi = v / 10000000000000000ULL;          /* at most 1844 */
	n = digits8((__u32)hi);
	store8(p, (__u32)hi, n);
	v %= 10000000000000000ULL;
	store8(p + n, (__u32)(v / 100000000), 8);
	store8(p + n + 8, (__u32)(v % 100000000), 8);
	return p + n + 16;
}

void kt_out_u64w(struct kt_out *o, __u64 v, int width)
{
	char tmp[24];
	unsigned n = kt_put_u64(tmp, v) - tmp;
	unsigned w = width < 0 ? -width : width;
	char *p = kt_out_need(o, (n > w ? n : w));

	if (!p)
		return;
	if (width > 0 && n < w) {
		memset(p, ' ', w - n);
		p += w - n;
	}
	memcpy(p, tmp, n);
	p += n;
	if (width < 0 && n < w) {
		memset(p, ' ', w - n);
		p += w - n;
	}
	o->len = p - o->buf;
}

void kt_out_s64w(struct kt_out *o, __s64 v, int width)
{
	char tmp[24];
	size_t n;

	if (v >= 0) {
		kt_out_u64w(o, (__u64)v, width);
		return;
	}
	tmp[0] = '-';
	n = kt_put_u64(tmp + 1, -(__u64)v) - tmp;
	tmp[n] = 0;
	kt_out_strw(o, tmp, width);
}

void kt_out_strw(struct kt_out *o, const char *s, int width)
{
	size_t n = strlen(s);
	size_t w = width < 0 ? -(long)width : width;

	if (width > 0 && n < w)
		kt_out_spaces(o, w - n);
	kt_out_mem(o, s, n);
	if (width < 0 && n < w)
		kt_out_spaces(o, w - n);
}

void kt_out_u64z(struct kt_out *o, __u64 v, int digits)
{
	char tmp[24];
	unsigned n = kt_put_u64(tmp, v) - tmp;
	unsigned pad = (int)n < digits ? digits - n : 0;
	char *p = kt_out_need(o, n + pad);

	if (!p)
		return;
	memset(p, '0', pad);
	memcpy(p + pad, tmp, n);
	o->len += n + pad;
}

void kt_out_hex(struct kt_out *o, __u64 v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18], *e = tmp + sizeof(tmp);

	do {
		*--e = hex[v & 15];
		v >>= 4;
	} while (v);
	*--e = 'x';
	*--e = '0';
	kt_out_mem(o, e, tmp + sizeof(tmp) - e);
}

/* ".NNNNNNNNN": the nanoseconds of a second */
static inline char *put_frac9(char *p, __u32 ns)
{
	*p++ = '.';
	*p++ = '0' + ns / 100000000;
	store8(p, ns % 100000000, 8);
	return p + 8;
}

void kt_out_timemode(struct kt_out *o, enum kt_time_mode mode, __u64 t0,
		     const struct kt_anchors *an)
{
	o->tmode = mode;
	o->t0 = t0;
	o->an = an;
	o->ts_len = 0;          /* the cached second is the capture clock's */
}

char *kt_out_tstr(const struct kt_out *o, char *buf, size_t sz, __u64 ns)
{
	char tmp[48], *p = tmp;
	__s64 wall;
	__u64 v = ns;

	if (o->tmode == KT_TIME_WALL && o->an &&
	    !kt_anchors_to_wall(o->an, ns, &wall) &&
	    kt_wall_fmt(buf, sz, wall))
		return buf;
	if (o->tmode == KT_TIME_REL) {
		if (ns < o->t0)
			*p++ = '-';
		v = ns < o->t0 ? o->t0 - ns : ns - o->t0;
	}
	p = kt_put_u64(p, v / 1000000000ULL);
	*put_frac9(p, v % 1000000000ULL) = 0;
	snprintf(buf, sz, "%s", tmp);
	return buf;
}

void kt_out_ts(struct kt_out *o, __u64 ns)
{
	__u64 sec = ns / 1000000000ULL;
	char *p;

	if (o->tmode != KT_TIME_MONO) {
		char b[48];

		kt_out_str(o, kt_out_tstr(o, b, sizeof(b), ns));
		return;
	}
	p = kt_out_need(o, 32);
	if (!p)
		return;
	if (sec != o->ts_sec || !o->ts_len) {
		o->ts_sec = sec;
		o->ts_len = kt_put_u64(o->ts_digits, sec) - o->ts_digits;
	}
	memcpy(p, o->ts_digits, 20);    /* within the 32 reserved */
	o->len = put_frac9(p + o->ts_len, ns % 1000000000ULL) - o->buf;
}

void kt_out_dur(struct kt_out *o, __u64 ns)
{
	char *p = kt_out_need(o, 32);

	if (!p)
		return;
	if (ns < 1000000000ULL) {       /* nearly every duration */
		*p = '0';
		o->len = put_frac9(p + 1, (__u32)ns) - o->buf;
		return;
	}
	p = kt_put_u64(p, ns / 1000000000ULL);
	o->len = put_frac9(p, ns % 1000000000ULL) - o->buf;
}

const char *kt_out_ts_head(const struct kt_out *o)
{
	return o->tmode == KT_TIME_WALL && o->an ? "TIME" : "TIME(s)";
}

int kt_out_ts_width(const struct kt_out *o)
{
	return o->tmode == KT_TIME_WALL && o->an ? 30 : 17;
}

void kt_out_tsw(struct kt_out *o, __u64 ns, int width)
{
	char tmp[48];

	kt_out_strw(o, kt_out_tstr(o, tmp, sizeof(tmp), ns), width);
}

void kt_out_dec(struct kt_out *o, __u64 v, int scale, int decimals)
{
	__u64 div = 1, frac;
	char *p;
	int i;

	for (i = 0; i < scale; i++)
		div *= 10;
	p = kt_out_need(o, 42);
	if (!p)
		return;
	p = kt_put_u64(p, v / div);
	if (decimals > 0) {
		frac = v % div;
		for (i = scale; i > decimals; i--)
			frac /= 10;
		for (; i < decimals; i++)
			frac *= 10;
		*p++ = '.';
		put_digits(p, frac, decimals);
		p += decimals;
	}
	o->len = p - o->buf;
}

void kt_out_decw(struct kt_out *o, __u64 v, int scale, int decimals,
		 int width)
{
	struct kt_out t = { .buf = (char[48]){ 0 }, .cap = 47, .fd = -1 };

	kt_out_dec(&t, v, scale, decimals);
	t.buf[t.len] = 0;
	kt_out_strw(o, t.buf, width);
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	__u32 cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static const char hexd[] = "0123456789abcdef";

enum esc_mode {
	ESC_TEXT,       /* \\ \n \t \xHH */
	ESC_QUOTED,     /* and \" */
	ESC_JSON,       /* \\ \" \n \t \u00HH */
};

/* Printable ASCII and valid UTF-8 as they are, the rest escaped. */
static void esc(struct kt_out *o, const char *s, size_t n, enum esc_mode m)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, l, h;
	char *p;

	while (i < n) {
		for (run = i; run < n && u[run] >= 0x20 && u[run] < 0x7f &&
			      u[run] != '\\' && (m == ESC_TEXT || u[run] != '"');
		     run++)
			;
		kt_out_mem(o, s + i, run - i);
		i = run;
		if (i >= n)
			break;
		if (u[i] >= 0x80 && (l = utf8_len(u + i, n - i))) {
			kt_out_mem(o, s + i, l);
			i += l;
			continue;
		}
		if (!(p = kt_out_need(o, 6)))
			return;
		p[0] = '\\';
		switch (u[i]) {
		case '\\': p[1] = '\\'; o->len += 2; break;
		case '"': p[1] = '"'; o->len += 2; break;
		case '\n': p[1] = 'n'; o->len += 2; break;
		case '\t': p[1] = 't'; o->len += 2; break;
		default:        /* \u00HH or \xHH: the hex digits at p[h] */
			h = m == ESC_JSON ? 4 : 2;
			memcpy(p + 1, m == ESC_JSON ? "u00" : "x", h - 1);
			p[h] = hexd[u[i] >> 4];
			p[h + 1] = hexd[u[i] & 15];
			o->len += h + 2;
		}
		i++;
	}
}

void kt_out_esc(struct kt_out *o, const char *s, size_t n)
{
	esc(o, s, n, ESC_TEXT);
}

void kt_out_escw(struct kt_out *o, const char *s, int width)
{
	size_t n = strlen(s), i;
	struct kt_out t;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			break;
	}
	if (i == n) {           /* the usual case: nothing to escape */
		kt_out_strw(o, s, width);
		return;
	}
	if (kt_out_init(&t, -1, 4 * n + 1)) {
		o->err = o->err ? o->err : -ENOMEM;
		return;
	}
	kt_out_esc(&t, s, n);
	kt_out_ch(&t, 0);
	if (!t.err)
		kt_out_strw(o, t.buf, width);
	kt_out_release(&t);
}

void kt_out_escq(struct kt_out *o, const char *s, size_t n)
{
	esc(o, s, n, ESC_QUOTED);
}

void kt_out_printf(struct kt_out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->cap - o->len;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n < room) {
		if (n > 0)
			o->len += n;
		return;
	}
	/* it did not fit: make room and format again */
	p = kt_out_need(o, (size_t)n + 1);
	if (!p)
		return;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += n;
}

static int jansson_put(const char *buf, size_t n, void *arg)
{
	struct kt_out *o = arg;

	kt_out_mem(o, buf, n);
	return o->err ? -1 : 0;
}

void kt_out_jansson(struct kt_out *o, const json_t *j, size_t flags)
{
	if (json_dump_callback(j, jansson_put, o, flags) && !o->err)
		o->err = -ENOMEM;
}

void kt_out_json(struct kt_out *o, const char *s, size_t n)
{
	kt_out_ch(o, '"');
	esc(o, s, n, ESC_JSON);
	kt_out_ch(o, '"');
}

void kt_out_hexbytes(struct kt_out *o, const void *s, size_t n)
{
	const unsigned char *u = s;
	char *p = kt_out_need(o, 2 * n);

	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		*p++ = hexd[u[i] >> 4];
		*p++ = hexd[u[i] & 15];
	}
	o->len += 2 * n;
}

void kt_out_jkey(struct kt_out *o, const char *key)
{
	size_t n = strlen(key);
	char *p;

	kt_out_jsep(o);
	if (!(p = kt_out_need(o, n + 3)))
		return;
	p[0] = '"';
	memcpy(p + 1, key, n);
	p[n + 1] = '"';
	p[n + 2] = ':';
	o->len += n + 3;
}
