// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * diff_cmp.c - comparing two profiles (diff.h): the changes item by item,
 * and the thresholds they cross.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/diff.h"

static const char *const metric_names[KT_DM_N] = {
	[KT_DM_SYSCALLS] = "syscalls", [KT_DM_NEW] = "new",
	[KT_DM_ERRORS] = "errors", [KT_DM_P50] = "p50", [KT_DM_P99] = "p99",
	[KT_DM_EXITS] = "exits", [KT_DM_OOM] = "oom", [KT_DM_TCP] = "tcp",
	[KT_DM_CONNECTS] = "connects", [KT_DM_IO] = "io",
	[KT_DM_EDGES] = "edges", [KT_DM_PROCS] = "processes",
};

const char *kt_diff_metric_name(unsigned m)
{
	return m < KT_DM_N ? metric_names[m] : NULL;
}

static bool latency(unsigned m)
{
	return m == KT_DM_P50 || m == KT_DM_P99;
}

static void set(struct kt_diff_rule *r, double pct, __u64 abs)
{
	r->has_pct = pct > 0;
	r->pct = pct;
	r->has_abs = abs > 0;
	r->abs = abs;
}

/* Tuned on repeated recordings of one workload (docs/ci.md "How the
 * defaults were tuned"): what two runs of the same scenario differ by
 * stays under them; one fsync, one more refused connect, or sleeps made
 * longer cross them. */
void kt_diff_rules_default(struct kt_diff_rule rules[KT_DM_N])
{
	memset(rules, 0, KT_DM_N * sizeof(*rules));
	set(&rules[KT_DM_SYSCALLS], 50, 10);
	set(&rules[KT_DM_NEW], 0, 1);
	set(&rules[KT_DM_ERRORS], 50, 1);
	set(&rules[KT_DM_P50], 150, 5000000);
	/* p99 is listed, not gated: of a few dozen calls it is their
	 * max, which one stall of a busy host moves by half a second */
	set(&rules[KT_DM_EXITS], 0, 1);
	set(&rules[KT_DM_OOM], 0, 1);
	set(&rules[KT_DM_TCP], 50, 1);
	set(&rules[KT_DM_CONNECTS], 50, 5);
	set(&rules[KT_DM_IO], 100, 64);
	/* edges and processes: listed, not gated (see docs/ci.md) */
}

/* One LIMIT of metric @m: "+N%", "+N", "+DURATION" (latencies), "off". */
static int parse_limit(const char *s, unsigned m, struct kt_diff_rule *r,
		       char *why, size_t sz)
{
	const char *p = s[0] == '+' ? s + 1 : s;
	size_t n = strlen(p);
	char *end;

	if (!strcmp(s, "off")) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (n && p[n - 1] == '%') {
		double v = strtod(p, &end);

		if (end != p + n - 1 || v < 0 || v > 1e9 || p[0] == '-')
			goto bad;
		r->has_pct = true;
		r->pct = v;
		return 0;
	}
	if (latency(m)) {
		__u64 ns;

		/* a bare number would be seconds: say the unit */
		if (!n || (p[n - 1] >= '0' && p[n - 1] <= '9') ||
		    kt_duration_parse(p, &ns))
			goto bad;
		r->has_abs = true;
		r->abs = ns;
		return 0;
	} else {
		unsigned long long v;

		if (!n || p[0] < '0' || p[0] > '9')
			goto bad;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || *end)
			goto bad;
		r->has_abs = true;
		r->abs = v;
		return 0;
	}
bad:
	snprintf(why, sz, "'%s': not a limit of %s (%s)", s, metric_names[m],
		 latency(m) ? "+N%, +DURATION such as +2ms, or off" :
			      "+N%, +N, or off");
	return -EINVAL;
}

int kt_diff_rule_parse(const char *s, struct kt_diff_rule rules[KT_DM_N],
		       char *why, size_t sz)
{
	const char *colon = strchr(s, ':');
	struct kt_diff_rule r = { 0 };
	char limits[128], *save = NULL, *tok;
	unsigned m;

	for (m = 0; colon && m < KT_DM_N; m++)
		if (strlen(metric_names[m]) == (size_t)(colon - s) &&
		    !strncmp(s, metric_names[m], (size_t)(colon - s)))
			break;
	if (!colon || m == KT_DM_N) {
		snprintf(why, sz, "'%s': not METRIC:LIMIT with a METRIC of "
			 "syscalls, new, errors, p50, p99, exits, oom, tcp, "
			 "connects, io, edges, processes", s);
		return -EINVAL;
	}
	if (snprintf(limits, sizeof(limits), "%s", colon + 1) >=
	    (int)sizeof(limits) || !limits[0]) {
		snprintf(why, sz, "'%s': no limit after '%s:'", s, metric_names[m]);
		return -EINVAL;
	}
	for (tok = strtok_r(limits, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (parse_limit(tok, m, &r, why, sz))
			return -EINVAL;
	rules[m] = r;
	return 0;
}

char *kt_diff_rule_words(char *buf, size_t sz, unsigned metric,
			 const struct kt_diff_rule *r)
{
	size_t n = 0;

	buf[0] = 0;
	if (!r->has_pct && !r->has_abs) {
		snprintf(buf, sz, "off");
		return buf;
	}
	if (r->has_pct)
		n = snprintf(buf, sz, "+%g%%", r->pct);
	if (r->has_abs && n < sz) {
		if (latency(metric) && r->abs % 1000000 == 0)
			snprintf(buf + n, sz - n, "%s+%llums", n ? "," : "",
				 (unsigned long long)(r->abs / 1000000));
		else if (latency(metric) && r->abs % 1000 == 0)
			snprintf(buf + n, sz - n, "%s+%lluus", n ? "," : "",
				 (unsigned long long)(r->abs / 1000));
		else
			snprintf(buf + n, sz - n, "%s+%llu%s", n ? "," : "",
				 (unsigned long long)r->abs,
				 latency(metric) ? "ns" : "");
	}
	return buf;
}

/* ----------------------------------------------------------- comparing */

static bool crosses(const struct kt_diff_rule *r, __u64 base, __u64 cand)
{
	__u64 d;

	if ((!r->has_pct && !r->has_abs) || cand <= base)
		return false;
	d = cand - base;
	if (r->has_abs && d < r->abs)
		return false;
	if (r->has_pct && base && (double)d * 100.0 < r->pct * (double)base)
		return false;
	return true;
}

static int add_row(struct kt_diff *d, const struct kt_prof_item *it,
		   unsigned metric, __u64 base, __u64 cand, bool gate,
		   const struct kt_diff_rule rules[KT_DM_N])
{
	struct kt_diff_row *r;

	if (base == cand)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;

		r = realloc(d->v, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		d->v = r;
		d->cap = cap;
	}
	r = &d->v[d->n++];
	memset(r, 0, sizeof(*r));
	r->fam = it->fam;
	r->metric = metric;
	memcpy(r->comm, it->comm, sizeof(r->comm));
	memcpy(r->key, it->key, sizeof(r->key));
	r->base = base;
	r->cand = cand;
	r->crossed = gate && crosses(&rules[metric], base, cand);
	d->crossed += r->crossed;
	return 0;
}

/* The syscall item in @a (base) and @b (candidate; either may be the
 * empty item): its count, and its latencies where both sides have the
 * samples. */
static int cmp_syscall(struct kt_diff *d, const struct kt_prof_item *a,
		       const struct kt_prof_item *b, const struct kt_prof_item *it,
		       const struct kt_diff_rule rules[KT_DM_N])
{
	int rc;

	if (!a->count)
		return add_row(d, it, KT_DM_NEW, 0, b->count, true, rules);
	if ((rc = add_row(d, it, KT_DM_SYSCALLS, a->count, b->count, true,
			  rules)))
		return rc;
	if (!b->count)
		return 0;
	if (a->samples < KT_DIFF_MIN_SAMPLES || b->samples < KT_DIFF_MIN_SAMPLES) {
		d->counts_only++;
		return 0;
	}
	if ((rc = add_row(d, it, KT_DM_P50, a->p50, b->p50, true, rules)))
		return rc;
	return add_row(d, it, KT_DM_P99, a->p99, b->p99, true, rules);
}

static int cmp_item(struct kt_diff *d, const struct kt_prof_item *a,
		    const struct kt_prof_item *b,
		    const struct kt_diff_rule rules[KT_DM_N])
{
	const struct kt_prof_item *it = a->fam != KT_DF_N ? a : b;

	switch (it->fam) {
	case KT_DF_SYSCALL:
		return cmp_syscall(d, a, b, it, rules);
	case KT_DF_ERRNO:
		return add_row(d, it, KT_DM_ERRORS, a->count, b->count, true, rules);
	case KT_DF_EXIT:
		return add_row(d, it, KT_DM_EXITS, a->count, b->count,
			       strcmp(it->key, "exit 0") != 0, rules);
	case KT_DF_OOM:
		return add_row(d, it, KT_DM_OOM, a->count, b->count, true, rules);
	case KT_DF_TCP:
		if (!strcmp(it->key, "connect established"))
			return add_row(d, it, KT_DM_CONNECTS, a->count, b->count,
				       true, rules);
		return add_row(d, it, KT_DM_TCP, a->count, b->count, true, rules);
	case KT_DF_BLOCK:
		/* requests no task issued (writeback, the journal) are the
		 * whole host's, not the recorded test's: listed, not gated */
		return add_row(d, it, KT_DM_IO, a->count, b->count,
			       strcmp(it->comm, KT_DIFF_KERNEL) != 0, rules);
	case KT_DF_EDGE:
		/* an edge is new or vanished; its evidence count varies with
		 * timing and is not a change */
		if (!a->count == !b->count)
			return 0;
		return add_row(d, it, KT_DM_EDGES, a->count, b->count, true, rules);
	case KT_DF_PROC:
		return add_row(d, it, KT_DM_PROCS, a->count, b->count, true, rules);
	}
	return 0;
}

static int cmp_key(const struct kt_prof_item *a, const struct kt_prof_item *b)
{
	int c;

	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	if ((c = strcmp(a->comm, b->comm)))
		return c;
	return strcmp(a->key, b->key);
}

/* How much a row changed relative to its base: new and vanished items
 * the most. */
static double rel(const struct kt_diff_row *r)
{
	double d = r->cand > r->base ? (double)(r->cand - r->base) :
				       (double)(r->base - r->cand);

	return !r->base || !r->cand ? 1e300 : d / (double)r->base;
}

static int cmp_row(const void *x, const void *y)
{
	const struct kt_diff_row *a = x, *b = y;
	int c;

	if (a->crossed != b->crossed)
		return a->crossed ? -1 : 1;
	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	if (rel(a) != rel(b))
		return rel(a) > rel(b) ? -1 : 1;
	if ((c = strcmp(a->comm, b->comm)))
		return c;
	if ((c = strcmp(a->key, b->key)))
		return c;
	return a->metric < b->metric ? -1 : a->metric > b->metric;
}

/* Whether the items of family @fam can be compared: what they come from
 * was recorded on both sides.  The causal edges come from every family:
 * only when both recorded the same ones. */
static bool comparable(const struct kt_diff *d, unsigned fam)
{
	static const unsigned need[KT_DF_N] = {
		[KT_DF_SYSCALL] = 1u << KT_FAM_SYSCALL,
		[KT_DF_ERRNO] = 1u << KT_FAM_SYSCALL,
		[KT_DF_EXIT] = 1u << KT_FAM_PROC,
		[KT_DF_OOM] = 1u << KT_FAM_OOM,
		[KT_DF_TCP] = 1u << KT_FAM_TCP,
		[KT_DF_BLOCK] = 1u << KT_FAM_BLOCK,
		[KT_DF_PROC] = 1u << KT_FAM_PROC,
	};
	unsigned both = d->base_fams & d->cand_fams;

	if (fam == KT_DF_EDGE)
		return d->base_fams == d->cand_fams;
	return fam >= KT_DF_N || (need[fam] & both) == need[fam];
}

int kt_diff_compare(const struct kt_profile *base,
		    const struct kt_profile *cand,
		    const struct kt_diff_rule rules[KT_DM_N], struct kt_diff *d)
{
	struct kt_prof_item none = { .fam = KT_DF_N };
	size_t i = 0, j = 0;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->base_lost = base->lost;
	d->cand_lost = cand->lost;
	/* a profile that does not say (built by hand): every family */
	d->base_fams = base->fams ? base->fams : (1u << KT_FAM_MAX) - 1;
	d->cand_fams = cand->fams ? cand->fams : (1u << KT_FAM_MAX) - 1;
	while (!rc && (i < base->n || j < cand->n)) {
		const struct kt_prof_item *a = i < base->n ? &base->v[i] : NULL;
		const struct kt_prof_item *b = j < cand->n ? &cand->v[j] : NULL;
		int c = !a ? 1 : !b ? -1 : cmp_key(a, b);
		unsigned fam = (c <= 0 ? a : b)->fam;

		if (comparable(d, fam))
			rc = cmp_item(d, c <= 0 ? a : &none, c >= 0 ? b : &none,
				      rules);
		else
			d->not_compared |= 1u << fam;
		i += c <= 0;
		j += c >= 0;
	}
	if (!rc && d->n)
		qsort(d->v, d->n, sizeof(*d->v), cmp_row);
	return rc;
}

void kt_diff_release(struct kt_diff *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}
