// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * check_print.c - the results of `ktrail check` (check.h): per rule, passed
 * or the events that break it.
 */
#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include "analyze/check.h"
#include "analyze/fmt.h"
#include "analyze/timeline_fmt.h"

static void hit_line(struct kt_out *o, const struct kt_check_hit *h)
{
	char t[32], who[64];

	if (h->pid)
		snprintf(who, sizeof(who), "%u/%s", h->pid, h->comm);
	else
		snprintf(who, sizeof(who), "-");
	kt_out_printf(o, "    %-18s %-24s %s\n",
		      h->ts ? kt_tlf_ts(t, sizeof(t), h->ts) : "-", who, h->what);
}

int kt_check_print(struct kt_out *o, const struct kt_check *c)
{
	size_t failed = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct kt_check_rule *r = &c->v[i];

		if (!r->violations) {
			kt_out_printf(o, "PASS  rules[%zu] %s\n", i, r->title);
			continue;
		}
		failed++;
		kt_out_printf(o, "FAIL  rules[%zu] %s: %llu violation%s\n", i,
			      r->title, (unsigned long long)r->violations,
			      r->violations == 1 ? "" : "s");
		kt_out_printf(o, "    %-18s %-24s %s\n", "TIME(s)", "PID/COMM",
			      "WHAT");
		for (size_t k = 0; k < r->nhits; k++)
			hit_line(o, &r->hits[k]);
		if (r->violations > r->nhits)
			kt_out_printf(o, "    ... and %llu more\n",
				      (unsigned long long)(r->violations - r->nhits));
	}
	kt_out_printf(o, "%zu of %zu rule%s failed\n", failed, c->n,
		      c->n == 1 ? "" : "s");
	return o->err;
}

static json_t *rule_json(const struct kt_check_rule *r)
{
	json_t *j = json_object(), *ev = json_array();

	if (!j || !ev) {
		json_decref(j);
		json_decref(ev);
		return NULL;
	}
	json_object_set_new(j, "rule", json_string(r->title));
	json_object_set_new(j, "passed", json_boolean(!r->violations));
	json_object_set_new(j, "violations", json_integer((json_int_t)r->violations));
	for (size_t k = 0; k < r->nhits; k++) {
		const struct kt_check_hit *h = &r->hits[k];
		json_t *e = json_pack("{s:I,s:I,s:I,s:s,s:s}", "ts",
				      (json_int_t)h->ts, "pid", (json_int_t)h->pid,
				      "tid", (json_int_t)h->tid, "comm", h->comm,
				      "what", h->what);

		if (!e || json_array_append_new(ev, e)) {
			json_decref(ev);
			json_decref(j);
			return NULL;
		}
	}
	json_object_set_new(j, "events", ev);
	return j;
}

int kt_check_print_json(struct kt_out *o, const struct kt_check *c)
{
	json_t *root = json_object(), *rules = json_array();
	int rc = 0;

	if (!root || !rules) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		json_t *j = rule_json(&c->v[i]);

		if (!j || json_array_append_new(rules, j)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	json_object_set_new(root, "violations", json_integer((json_int_t)c->violations));
	json_object_set(root, "rules", rules);
	kt_out_jansson(o, root, JSON_COMPACT);
	kt_out_ch(o, '\n');
	rc = o->err;
out:
	json_decref(rules);
	json_decref(root);
	return rc;
}
