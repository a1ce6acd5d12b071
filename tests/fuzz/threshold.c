// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * threshold.c - libFuzzer target for the --threshold rules of `ktrail
 * diff`: each line of the input is one --threshold argument
 * (kt_diff_rule_parse, over the defaults as the command does); the rules
 * that result are put back in words and applied to two small profiles
 * (kt_diff_compare), whose changes are printed as text and JSON.
 */
#include "analyze/diff.h"
#include "analyze/fmt.h"
#include "tests/fuzz/fuzz.h"

static int discard(void *arg, const char *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return 0;
}

/* Two profiles: base, and cand with every value changed some way. */
static int profiles(struct kt_profile *b, struct kt_profile *c)
{
	static const char *const comms[] = { "dd", "sh", "kworker/u8:*" };
	__u64 mul[] = { 0, 1, 2, 1000 };

	for (unsigned fam = 0; fam < KT_DF_N; fam++) {
		for (size_t i = 0; i < 3; i++) {
			struct kt_prof_item *x = kt_profile_add(b, fam, comms[i], "k");
			struct kt_prof_item *y = kt_profile_add(c, fam, comms[i], "k");

			if (!x || !y)
				return -1;
			x->count = x->samples = 10 + i;
			x->errors = i;
			x->p50 = 1000 * (i + 1);
			x->p99 = 100000 * (i + 1);
			y->count = y->samples = x->count * mul[(fam + i) % 4] + i;
			y->errors = x->errors * mul[i % 4] + 1;
			y->p50 = x->p50 * mul[(fam + i + 1) % 4];
			y->p99 = x->p99 * mul[(fam + 2 * i) % 4] + 3;
		}
		if (!kt_profile_add(c, fam, "new", "only in cand"))
			return -1;
	}
	kt_profile_sort(b);
	kt_profile_sort(c);
	return 0;
}

static void compare(const struct kt_diff_rule rules[KT_DM_N])
{
	static struct kt_profile b, c;  /* built once, read only after */
	static int built;
	struct kt_diff d = { 0 };
	struct kt_out o;

	if (!built)
		built = profiles(&b, &c) ? -1 : 1;
	if (built > 0 && !kt_diff_compare(&b, &c, rules, &d) &&
	    !kt_out_init_sink(&o, discard, NULL, 4096)) {
		kt_diff_print(&o, &d, rules, true);
		kt_diff_print_json(&o, &d, rules);
		kt_out_flush(&o);
		kt_out_release(&o);
	}
	kt_diff_release(&d);
}

KT_FUZZ_TARGET(threshold)
{
	struct kt_diff_rule rules[KT_DM_N];
	char *s = fuzz_str(data, size), *save = NULL, *line, why[320], w[64];

	if (!s)
		return 0;
	kt_diff_rules_default(rules);
	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (kt_diff_rule_parse(line, rules, why, sizeof(why)))
			break;
	for (unsigned m = 0; m < KT_DM_N; m++)
		kt_diff_rule_words(w, sizeof(w), m, &rules[m]);
	compare(rules);
	free(s);
	return 0;
}
