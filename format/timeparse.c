// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeparse.c - durations and time arguments.  Decimal fractions are
 * parsed with integer arithmetic so "1.000000001s" is exactly 1000000001 ns.
 */
#include <ctype.h>
#include <stdlib.h>
#include <time.h>
#include "format_int.h"

static const struct {
	const char *name;
	__u64 ns;
} units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	{ "m", 60000000000ULL }, { "min", 60000000000ULL },
	{ "h", 3600000000000ULL },
};

/* parse_decimal - "123.456" into an integer part and a fraction of
 * @digits digits; returns the position after it, or NULL. */
static const char *parse_decimal(const char *s, __u64 *ip, __u64 *frac,
				 unsigned *digits)
{
	const char *p = s;
	int any = 0;

	*ip = *frac = 0;
	*digits = 0;
	while (isdigit((unsigned char)*p)) {
		if (*ip > (UINT64_MAX - (__u64)(*p - '0')) / 10)
			return NULL;
		*ip = *ip * 10 + (*p++ - '0');
		any = 1;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (*digits < 18) {
				*frac = *frac * 10 + (*p - '0');
				(*digits)++;
			}
			p++;
			any = 1;
		}
	}
	return any ? p : NULL;
}

static int scale(__u64 ip, __u64 frac, unsigned digits, __u64 unit,
		 __u64 *ns)
{
	unsigned __int128 v = (unsigned __int128)ip * unit, div = 1;

	for (unsigned i = 0; i < digits; i++)
		div *= 10;
	v += (unsigned __int128)frac * unit / div;
	if (v > UINT64_MAX)
		return -EINVAL;
	*ns = (__u64)v;
	return 0;
}

int kt_size_parse(const char *s, __u64 *bytes)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s < '0' || *s > '9')
		return -EINVAL;
	switch (*end) {
	case 'G': case 'g': shift = 30; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'K': case 'k': shift = 10; end++; break;
	}
	if (*end && strcmp(end, "iB") && strcmp(end, "B"))
		return -EINVAL;
	if (!v || v > (1ULL << 50) >> shift)
		return -EINVAL;
	*bytes = (__u64)v << shift;
	return 0;
}

int kt_duration_parse(const char *s, __u64 *ns)
{
	__u64 ip, frac, unit = 1000000000;
	unsigned digits;
	const char *p;
	size_t i;

	if (!s)
		return -EINVAL;
	p = parse_decimal(s, &ip, &frac, &digits);
	if (!p)
		return -EINVAL;
	if (*p) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(p, units[i].name))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -EINVAL;
		unit = units[i].ns;
	}
	return scale(ip, frac, digits, unit, ns);
}

static int digits_n(const char **pp, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*pp)[i]))
			return -EINVAL;
		*v = *v * 10 + ((*pp)[i] - '0');
	}
	*pp += n;
	return 0;
}

/* parse_iso - "YYYY-MM-DDTHH:MM[:SS[.frac]][Z|+HH[:]MM|-HH[:]MM]" into
 * ns since the epoch; without a zone the time is local. */
static int parse_iso(const char *s, __s64 *epoch_ns)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec = 0, zh, zm = 0, sign;
	__u64 ip, frac = 0, fns = 0;
	unsigned nd = 0;
	const char *p = s;
	time_t t;

	if (digits_n(&p, 4, &y) || *p++ != '-' || digits_n(&p, 2, &mo) ||
	    *p++ != '-' || digits_n(&p, 2, &d) || (*p != 'T' && *p != ' '))
		return -EINVAL;
	p++;
	if (digits_n(&p, 2, &h) || *p++ != ':' || digits_n(&p, 2, &mi))
		return -EINVAL;
	if (*p == ':') {
		p++;
		if (digits_n(&p, 2, &sec))
			return -EINVAL;
		if (*p == '.') {
			p = parse_decimal(p, &ip, &frac, &nd);
			if (!p || scale(0, frac, nd, 1000000000, &fns))
				return -EINVAL;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (!*p) {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	} else {
		t = timegm(&tm);
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits_n(&p, 2, &zh))
				return -EINVAL;
			if (*p == ':')
				p++;
			if (*p && digits_n(&p, 2, &zm))
				return -EINVAL;
			t -= sign * (zh * 3600 + zm * 60);
		}
		if (*p)
			return -EINVAL;
	}
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
		return -EINVAL;
	/* ns since the epoch fit in 64 bits from 1677 to 2262 */
	if (t >= INT64_MAX / 1000000000 || t <= INT64_MIN / 1000000000)
		return -EINVAL;
	*epoch_ns = (__s64)t * 1000000000 + (__s64)fns;
	return 0;
}

/* wall_to_capture - @wall on the capture clock, through the anchors. */
static int wall_to_capture(const json_t *meta, __s64 wall, __u64 *ts)
{
	struct kt_anchors an;
	int rc = kt_anchors_init(&an, meta);

	if (!rc)
		rc = kt_anchors_to_mono(&an, wall, ts);
	kt_anchors_release(&an);
	return rc == -ERANGE ? -EINVAL : rc;
}

int kt_time_parse(const char *s, const json_t *meta, __u64 first_ts,
		  __u64 *ts)
{
	__s64 wall;
	__u64 d;
	int err;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '+') {
		err = kt_duration_parse(s + 1, &d);
		if (err || d > UINT64_MAX - first_ts)
			return -EINVAL;
		*ts = first_ts + d;
		return 0;
	}
	if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
		err = parse_iso(s, &wall);
		return err ?: wall_to_capture(meta, wall, ts);
	}
	return kt_duration_parse(s, ts);
}

int kt_id_parse(const char *s, __u32 *v)
{
	unsigned long long n;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || !n || n > 0xffffffffULL)
		return -EINVAL;
	*v = (__u32)n;
	return 0;
}
