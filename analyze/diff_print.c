// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * diff_print.c - the changes of a diff (diff.h) as a table or as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "analyze/diff.h"
#include "analyze/fmt.h"
#include "analyze/timeline_fmt.h"

#define OTHERS_SHOWN 20         /* other changes listed without --all */

static const char *const fam_names[KT_DF_N] = {
	[KT_DF_PROC] = "process", [KT_DF_SYSCALL] = "syscall",
	[KT_DF_ERRNO] = "errno", [KT_DF_EXIT] = "exit", [KT_DF_OOM] = "oom",
	[KT_DF_TCP] = "tcp", [KT_DF_BLOCK] = "block", [KT_DF_EDGE] = "edge",
};

static bool latency(unsigned m)
{
	return m == KT_DM_P50 || m == KT_DM_P99;
}

static char *value(char *buf, size_t sz, const struct kt_diff_row *r, __u64 v)
{
	if (latency(r->metric))
		return kt_tlf_dur(buf, sz, v);
	snprintf(buf, sz, "%llu", (unsigned long long)v);
	return buf;
}

char *kt_diff_change_words(char *buf, size_t sz, const struct kt_diff_row *r)
{
	char d[32];
	bool up = r->cand >= r->base;
	__u64 delta = up ? r->cand - r->base : r->base - r->cand;
	size_t n;

	if (latency(r->metric))
		n = snprintf(buf, sz, "%s%s", up ? "+" : "-",
			     kt_tlf_dur(d, sizeof(d), delta));
	else
		n = snprintf(buf, sz, "%s%llu", up ? "+" : "-",
			     (unsigned long long)delta);
	if (r->base && n < sz)
		n += snprintf(buf + n, sz - n, " (%s%.0f%%)", up ? "+" : "-",
			      100.0 * (double)delta / (double)r->base);
	else if (n < sz)
		n += snprintf(buf + n, sz - n, " (new)");
	if (!r->cand && n < sz)
		snprintf(buf + n, sz - n, " (vanished)");
	return buf;
}

/* The subject of a row: "dd: fsync", "bash: connect ECONNREFUSED",
 * "cat: woke -> bash". */
static char *subject(char *buf, size_t sz, const struct kt_diff_row *r)
{
	snprintf(buf, sz, "%s: %s", r->comm, r->key);
	return buf;
}

static void row_line(struct kt_out *o, const struct kt_diff_row *r,
		     const struct kt_diff_rule rules[KT_DM_N])
{
	char s[160], a[32], b[32], c[64], t[64];

	kt_out_printf(o, "  %-8s %-9s %-44s %12s -> %-12s %s",
		      fam_names[r->fam], kt_diff_metric_name(r->metric),
		      subject(s, sizeof(s), r), value(a, sizeof(a), r, r->base),
		      value(b, sizeof(b), r, r->cand),
		      kt_diff_change_words(c, sizeof(c), r));
	if (r->crossed)
		kt_out_printf(o, "  > %s:%s", kt_diff_metric_name(r->metric),
			      kt_diff_rule_words(t, sizeof(t), r->metric,
						 &rules[r->metric]));
	kt_out_ch(o, '\n');
}

static const char head[] = "  FAMILY   METRIC    COMMAND: WHAT"
			   "                                      BASE    "
			   "CANDIDATE      CHANGE\n";

/* "sched,proc" (or "all") for a mask of recorded families. */
static void fam_list(struct kt_out *o, unsigned fams)
{
	if (fams == (1u << KT_FAM_MAX) - 1) {
		kt_out_str(o, "all");
		return;
	}
	for (unsigned f = 0, k = 0; f < KT_FAM_MAX; f++)
		if (fams & 1u << f)
			kt_out_printf(o, "%s%s", k++ ? "," : "",
				      kt_family_name(f));
}

/* The families of items left out: the captures recorded other families,
 * so what one of them did not record is no change. */
static void not_compared(struct kt_out *o, const struct kt_diff *d)
{
	if (!d->not_compared)
		return;
	kt_out_str(o, "note: the captures were recorded with other families "
		   "(base -e ");
	fam_list(o, d->base_fams);
	kt_out_str(o, ", candidate -e ");
	fam_list(o, d->cand_fams);
	kt_out_str(o, "): not compared:");
	for (unsigned f = 0, k = 0; f < KT_DF_N; f++)
		if (d->not_compared & 1u << f)
			kt_out_printf(o, "%s %s", k++ ? "," : "", fam_names[f]);
	kt_out_str(o, " (a change there cannot be seen)\n");
}

int kt_diff_print(struct kt_out *o, const struct kt_diff *d,
		  const struct kt_diff_rule rules[KT_DM_N], bool all)
{
	size_t others = d->n - d->crossed, shown = 0;

	if (d->crossed) {
		kt_out_printf(o, "%zu change%s crossed a threshold:\n", d->crossed,
			      d->crossed == 1 ? "" : "s");
		kt_out_str(o, head);
		for (size_t i = 0; i < d->crossed; i++)
			row_line(o, &d->v[i], rules);
	} else {
		kt_out_printf(o, "no change crossed a threshold\n");
	}
	if (others) {
		kt_out_printf(o, "\n%zu other change%s%s:\n", others,
			      others == 1 ? "" : "s", all || others <=
			      OTHERS_SHOWN ? "" : " (the first 20; --all lists "
			      "every one)");
		kt_out_str(o, head);
	}
	for (size_t i = d->crossed; i < d->n; i++) {
		if (!all && shown++ == OTHERS_SHOWN)
			break;
		row_line(o, &d->v[i], rules);
	}
	if (d->counts_only)
		kt_out_printf(o, "\nnote: %zu (command, syscall) pair%s made on "
			      "both sides %s compared by count only: latency "
			      "percentiles need %d samples on each side\n",
			      d->counts_only, d->counts_only == 1 ? "" : "s",
			      d->counts_only == 1 ? "was" : "were",
			      KT_DIFF_MIN_SAMPLES);
	not_compared(o, d);
	if (d->base_lost || d->cand_lost)
		kt_out_printf(o, "note: events were lost (base %llu, candidate "
			      "%llu): counts may differ by them\n",
			      (unsigned long long)d->base_lost,
			      (unsigned long long)d->cand_lost);
	return o->err;
}

static json_t *row_json(const struct kt_diff_row *r,
			const struct kt_diff_rule rules[KT_DM_N])
{
	char c[64], t[64];
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "family", json_string(fam_names[r->fam]));
	json_object_set_new(j, "metric", json_string(kt_diff_metric_name(r->metric)));
	json_object_set_new(j, "comm", json_string(r->comm));
	json_object_set_new(j, "what", json_string(r->key));
	json_object_set_new(j, "base", json_integer((json_int_t)r->base));
	json_object_set_new(j, "cand", json_integer((json_int_t)r->cand));
	json_object_set_new(j, "change", json_string(kt_diff_change_words(c,
						     sizeof(c), r)));
	json_object_set_new(j, "crossed", json_boolean(r->crossed));
	if (r->crossed)
		json_object_set_new(j, "threshold", json_string(
			kt_diff_rule_words(t, sizeof(t), r->metric,
					   &rules[r->metric])));
	return j;
}

int kt_diff_print_json(struct kt_out *o, const struct kt_diff *d,
		       const struct kt_diff_rule rules[KT_DM_N])
{
	json_t *root = json_object(), *rs = json_object(), *ch = json_array(), *nc;
	char t[64];
	int rc = 0;

	if (!root || !rs || !ch) {
		rc = -ENOMEM;
		goto out;
	}
	json_object_set_new(root, "crossed", json_integer((json_int_t)d->crossed));
	json_object_set_new(root, "changes_total", json_integer((json_int_t)d->n));
	json_object_set_new(root, "counts_only", json_integer((json_int_t)d->counts_only));
	json_object_set_new(root, "min_samples", json_integer(KT_DIFF_MIN_SAMPLES));
	json_object_set_new(root, "base_lost", json_integer((json_int_t)d->base_lost));
	json_object_set_new(root, "cand_lost", json_integer((json_int_t)d->cand_lost));
	nc = json_array();
	for (unsigned f = 0; nc && f < KT_DF_N; f++)
		if (d->not_compared & 1u << f)
			json_array_append_new(nc, json_string(fam_names[f]));
	json_object_set_new(root, "not_compared", nc);
	for (unsigned m = 0; m < KT_DM_N; m++)
		json_object_set_new(rs, kt_diff_metric_name(m), json_string(
			kt_diff_rule_words(t, sizeof(t), m, &rules[m])));
	for (size_t i = 0; i < d->n; i++) {
		json_t *j = row_json(&d->v[i], rules);

		if (!j || json_array_append_new(ch, j)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	json_object_set(root, "thresholds", rs);
	json_object_set(root, "changes", ch);
	kt_out_jansson(o, root, JSON_COMPACT);
	kt_out_ch(o, '\n');
	rc = o->err;
out:
	json_decref(rs);
	json_decref(ch);
	json_decref(root);
	return rc;
}
