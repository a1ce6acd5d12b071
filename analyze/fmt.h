/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fmt.h - the output of the analysis commands: a large buffer that
 * numbers, times and escaped strings are formatted into by hand (no
 * printf per field), and that is written to a file descriptor in big
 * chunks.  Replay prints millions of lines a second through this; stats,
 * timeline, graph, why and tests use it too, so every command reports a
 * failed write (and a closed pipe) the same way.
 *
 * Why not stdio: a replay-like sched_switch line costs 343 ns through
 * fprintf and 74 ns through these formatters (best of six runs of 5 M
 * lines to /dev/null, 2-core VM, 2026-12); replay's text output (about
 * 6.5 M events/s here, ~150 ns an event of which ~55 decoding) would
 * drop to about 2.5 M events/s, under the 10x perf script it must keep
 * (perf script: ~0.48 M events/s).  Commands whose output is small next to
 * their work (timeline, graph, why) use kt_out_printf and kt_out_jansson.
 *
 * A struct kt_out with fd -1 only collects (the buffer grows): tests read
 * o->buf/o->len.  Write errors are sticky: the first one is kept in
 * o->err and later output is dropped, so callers check once at the end.
 */
#ifndef KT_FMT_H
#define KT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <jansson.h>
#include <linux/types.h>

/* How kt_out_ts and kt_out_tstr print an instant (kt_out_timemode). */
enum kt_time_mode {
	KT_TIME_MONO = 0,       /* seconds on the capture clock (boot) */
	KT_TIME_REL,            /* seconds since the capture's first event */
	KT_TIME_WALL,           /* ISO-8601 UTC through the clock anchors */
};

struct kt_anchors;

struct kt_out {
	char *buf;              /* owned; o->len bytes pending */
	size_t len, cap;
	int fd;                 /* -1: memory only (or a sink) */
	/* instead of a file descriptor: a consumer that takes what is
	 * pending, @len bytes, whenever the buffer fills or is flushed;
	 * returns 0 or a negative errno (sticky, as a write error) */
	int (*sink)(void *arg, const char *buf, size_t len);
	void *sink_arg;
	int err;                /* first error, negative errno, or 0 */
	__u64 written;          /* bytes handed to write(2) so far */
	bool jfirst;            /* JSON: no comma before the next key */
	/* kt_out_ts: the digits of the last whole second printed, which
	 * consecutive events nearly always share */
	__u64 ts_sec;
	unsigned ts_len;
	char ts_digits[24];
	enum kt_time_mode tmode;        /* KT_TIME_MONO unless set */
	__u64 t0;                       /* KT_TIME_REL: the origin */
	const struct kt_anchors *an;    /* KT_TIME_WALL: not owned */
};

#define KT_OUT_DEFAULT_CAP (1u << 20)

/* kt_out_init - @cap bytes of buffer (0 = KT_OUT_DEFAULT_CAP) writing to
 * @fd (not owned; -1 = memory).  Returns 0 or -ENOMEM. */
int kt_out_init(struct kt_out *o, int fd, size_t cap);

/* kt_out_init_sink - @cap bytes of buffer (0 = KT_OUT_DEFAULT_CAP)
 * handed to @sink (with @arg) as they fill and on kt_out_flush: output
 * of any length read in bounded memory.  Returns 0 or -ENOMEM. */
int kt_out_init_sink(struct kt_out *o, int (*sink)(void *arg,
		     const char *buf, size_t len), void *arg, size_t cap);

/* kt_out_release - free the buffer (does not flush).  Accepts a zeroed
 * struct. */
void kt_out_release(struct kt_out *o);

/* kt_out_flush - write what is pending.  Returns 0 or o->err. */
int kt_out_flush(struct kt_out *o);

/* kt_out_grow_ - slow path of kt_out_need: flush or grow until @n bytes
 * are free.  Returns false (and drops output) after an error. */
bool kt_out_grow_(struct kt_out *o, size_t n);

/* kt_out_need - a pointer to at least @n free bytes (commit what you
 * use with kt_out_commit), or NULL after an error. */
static inline char *kt_out_need(struct kt_out *o, size_t n)
{
	if (o->cap - o->len < n && !kt_out_grow_(o, n))
		return NULL;
	return o->buf + o->len;
}

static inline void kt_out_commit(struct kt_out *o, size_t n)
{
	o->len += n;
}

static inline void kt_out_mem(struct kt_out *o, const void *s, size_t n)
{
	char *p = kt_out_need(o, n);

	if (p) {
		memcpy(p, s, n);
		o->len += n;
	}
}

static inline void kt_out_str(struct kt_out *o, const char *s)
{
	kt_out_mem(o, s, strlen(s));
}

static inline void kt_out_ch(struct kt_out *o, char c)
{
	char *p = kt_out_need(o, 1);

	if (p) {
		*p = c;
		o->len++;
	}
}

/* kt_out_spaces - @n spaces (n may be <= 0: nothing). */
void kt_out_spaces(struct kt_out *o, long n);

/* kt_put_u64 - write @v in decimal at @p, which must have room for 20
 * bytes (it may write past the digits, up to that); returns the end of
 * the digits.  The building block of the formatters below. */
char *kt_put_u64(char *p, __u64 v);

static inline void kt_out_u64(struct kt_out *o, __u64 v)
{
	char *p = kt_out_need(o, 20);

	if (p)
		o->len = kt_put_u64(p, v) - o->buf;
}

static inline void kt_out_s64(struct kt_out *o, __s64 v)
{
	char *p = kt_out_need(o, 21);

	if (!p)
		return;
	if (v < 0) {
		*p++ = '-';
		o->len = kt_put_u64(p, -(__u64)v) - o->buf;
	} else {
		o->len = kt_put_u64(p, (__u64)v) - o->buf;
	}
}

/* kt_out_u64w - @v right-aligned in @width columns (left-aligned when
 * @width is negative), like "%*llu" / "%-*llu". */
void kt_out_u64w(struct kt_out *o, __u64 v, int width);

/* kt_out_s64w - signed version of kt_out_u64w. */
void kt_out_s64w(struct kt_out *o, __s64 v, int width);

/* kt_out_strw - @s right-aligned in @width columns (left-aligned when
 * negative); never truncates. */
void kt_out_strw(struct kt_out *o, const char *s, int width);

/* kt_out_u64z - @v zero-padded to @digits digits ("%0*llu"). */
void kt_out_u64z(struct kt_out *o, __u64 v, int digits);

/* kt_out_hex - "0x" and @v in lower-case hex. */
void kt_out_hex(struct kt_out *o, __u64 v);

/* kt_out_ts - nanoseconds as seconds with 9 decimals: "12.000345678". */
void kt_out_ts(struct kt_out *o, __u64 ns);

/* kt_out_dur - a duration in the same form as kt_out_ts; use it for
 * durations so that kt_out_ts's cache of the current second holds. */
void kt_out_dur(struct kt_out *o, __u64 ns);

/* kt_out_tsw - kt_out_ts padded to @width like kt_out_strw. */
void kt_out_tsw(struct kt_out *o, __u64 ns, int width);

/*
 * kt_out_timemode - print instants (kt_out_ts, kt_out_tsw, kt_out_tstr)
 * as @mode says: KT_TIME_REL as seconds since @t0 ("0.000345678", "-"
 * before it), KT_TIME_WALL as ISO-8601 UTC through @an
 * ("2026-11-23T10:15:00.000345678Z"; an instant the anchors cannot place
 * prints on the capture clock).  @an must outlive @o's use.
 */
void kt_out_timemode(struct kt_out *o, enum kt_time_mode mode, __u64 t0,
		     const struct kt_anchors *an);

/* kt_out_ts_head - the header of a column of instants as @o prints
 * them: "TIME" for ISO-8601 wall-clock times, "TIME(s)" for seconds
 * (the capture clock, or since the capture's start under KT_TIME_REL). */
const char *kt_out_ts_head(const struct kt_out *o);

/* kt_out_ts_width - the width of such a column: 30 for the wall clock
 * ("2026-11-23T10:15:00.000345678Z"), 17 for seconds. */
int kt_out_ts_width(const struct kt_out *o);

/* kt_out_tstr - the instant @ns as @o prints it, into @buf (returned):
 * for the sentences built with kt_out_printf. */
char *kt_out_tstr(const struct kt_out *o, char *buf, size_t sz, __u64 ns);

/* kt_out_printf - printf into the buffer (see the top for when). */
void kt_out_printf(struct kt_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kt_out_jansson - @j as JSON text, as json_dumps(@j, @flags) writes it;
 * a failure of jansson sets o->err to -ENOMEM. */
void kt_out_jansson(struct kt_out *o, const json_t *j, size_t flags);

/* kt_out_dec - @v / 10^@scale with @decimals decimals, truncated
 * ("1234567", 3, 3 -> "1234.567"; ("1234567", 6, 2) -> "1.23"). */
void kt_out_dec(struct kt_out *o, __u64 v, int scale, int decimals);

/* kt_out_decw - kt_out_dec padded to @width like kt_out_strw. */
void kt_out_decw(struct kt_out *o, __u64 v, int scale, int decimals,
		 int width);

/* kt_out_esc - @n bytes of @s for a text line: printable ASCII and UTF-8
 * as is, backslash, control bytes and invalid bytes as \n \t \\ \xNN. */
void kt_out_esc(struct kt_out *o, const char *s, size_t n);

/* kt_out_escw - the NUL-terminated @s escaped like kt_out_esc, padded to
 * @width like kt_out_strw (names from the task table: a comm may hold any
 * byte). */
void kt_out_escw(struct kt_out *o, const char *s, int width);

/* kt_out_escq - kt_out_esc that also escapes '"' (for quoted strings). */
void kt_out_escq(struct kt_out *o, const char *s, size_t n);

/* kt_out_json - @n bytes of @s as a JSON string with its quotes; bytes
 * that are not valid UTF-8 become U+00XX (latin-1), so any input gives
 * valid JSON. */
void kt_out_json(struct kt_out *o, const char *s, size_t n);

/* kt_out_hexbytes - @n bytes as lower-case hex digits, no separator. */
void kt_out_hexbytes(struct kt_out *o, const void *s, size_t n);

/*
 * JSON writing on top of the above, for NDJSON rows: kt_out_jopen('{')
 * then kt_out_jkey() + a value per member, kt_out_jclose('}').  Commas are
 * placed by kt_out_jkey (and kt_out_jsep for array elements).
 */
static inline void kt_out_jopen(struct kt_out *o, char c)
{
	kt_out_ch(o, c);
	o->jfirst = true;
}

static inline void kt_out_jclose(struct kt_out *o, char c)
{
	kt_out_ch(o, c);
	o->jfirst = false;
}

static inline void kt_out_jsep(struct kt_out *o)
{
	if (!o->jfirst)
		kt_out_ch(o, ',');
	o->jfirst = false;
}

/* kt_out_jkey - ,"key": (@key is plain ASCII, not escaped) */
void kt_out_jkey(struct kt_out *o, const char *key);

static inline void kt_out_jkv_u64(struct kt_out *o, const char *k, __u64 v)
{
	kt_out_jkey(o, k);
	kt_out_u64(o, v);
}

static inline void kt_out_jkv_s64(struct kt_out *o, const char *k, __s64 v)
{
	kt_out_jkey(o, k);
	kt_out_s64(o, v);
}

static inline void kt_out_jkv_str(struct kt_out *o, const char *k,
				  const char *s, size_t n)
{
	kt_out_jkey(o, k);
	kt_out_json(o, s, n);
}

static inline void kt_out_jkv_cstr(struct kt_out *o, const char *k,
				   const char *s)
{
	kt_out_jkey(o, k);
	kt_out_json(o, s, strlen(s));
}

#endif /* KT_FMT_H */
