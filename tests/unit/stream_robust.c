// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hostile values: seeded random streams of every kind with edge values in
 * every field (0, max, 4 KiB and binary strings, huge tids and cpus; the
 * format tests' generator) through replay text and JSON and every stats
 * tool.  Nothing may crash (make check runs this under ASan+UBSan), text
 * is one line per event, and every JSON line must parse.
 */
#include <jansson.h>
#include "stream_util.h"
#include "format_gen.h"

#define NEV 20000

struct robust {
	struct gen_ev *gen;
	struct kt_event *evs;
	struct gen_pool pool;
	const char *ptr[GEN_NPOOL];
	__u32 len[GEN_NPOOL];
	struct kt_strtab tab;
};

static int robust_init(struct robust *r, __u64 seed)
{
	struct gen_ev *raw = gen_stream(seed, NEV, 1000, 0);

	memset(r, 0, sizeof(*r));
	gen_pool_init(&r->pool, seed);
	r->gen = raw ? gen_sorted(raw, NEV) : NULL;
	free(raw);
	r->evs = calloc(NEV, sizeof(*r->evs));
	if (!r->gen || !r->evs)
		return -1;
	for (int i = 0; i < GEN_NPOOL; i++) {
		r->ptr[i] = r->pool.p[i];
		r->len[i] = (__u32)r->pool.n[i];
	}
	r->tab = (struct kt_strtab){ r->ptr, r->len, GEN_NPOOL };
	for (size_t i = 0; i < NEV; i++) {
		const struct kt_kind_info *ki = kt_kind_info(r->gen[i].ev.kind);

		r->evs[i] = r->gen[i].ev;
		for (unsigned f = 0; f < ki->nfields && f < GEN_MAXF; f++) {
			__u32 h = r->gen[i].sidx[f] < 0 ? 0 : r->gen[i].sidx[f] + 1;

			if (ki->fields[f].type == KT_F_STR)
				memcpy((char *)&r->evs[i] + ki->fields[f].off, &h, 4);
		}
	}
	return 0;
}

static void robust_release(struct robust *r)
{
	gen_pool_release(&r->pool);
	free(r->gen);
	free(r->evs);
}

KT_TEST(stream_robust_replay)
{
	struct kt_replay_opts opts = { .proc_comm = true };
	struct robust r;
	char *out, *line, *save = NULL;
	size_t lines = 0;

	KT_ASSERT(!robust_init(&r, 11), "generator");
	out = run_replay(r.evs, NEV, &r.tab, &opts);
	KT_ASSERT(out, "text replay failed");
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	free(out);
	KT_ASSERT(lines == NEV, "%zu text lines for %d events", lines, NEV);
	opts.json = true;
	out = run_replay(r.evs, NEV, &r.tab, &opts);
	KT_ASSERT(out, "json replay failed");
	lines = 0;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		json_error_t jerr;
		json_t *j = json_loads(line, 0, &jerr);

		if (!j) {
			kt_test_reason("line %zu: %s", lines + 1, jerr.text);
			free(out);
			robust_release(&r);
			return KT_FAIL;
		}
		json_decref(j);
	}
	free(out);
	robust_release(&r);
	KT_ASSERT(lines == NEV, "%zu json lines", lines);
	return KT_PASS;
}

KT_TEST(stream_robust_stats)
{
	const struct kt_stats_tool *t;
	struct kt_stats_opts opts;
	struct robust r;
	char *out;

	KT_ASSERT(!robust_init(&r, 12), "generator");
	for (size_t i = 0; (t = kt_stats_tool_at(i)); i++) {
		for (int variant = 0; variant < 3; variant++) {
			kt_stats_opts_init(&opts);
			opts.json = variant == 1;
			if (variant == 2) {
				opts.per_process = opts.per_disk = true;
				opts.all = opts.queued = opts.ms = true;
				opts.top = 0;
			}
			out = run_stats(kt_stats_tool_name(t), r.evs, NEV,
					&r.tab, &opts);
			if (!out) {
				robust_release(&r);
				return KT_FAIL;
			}
			free(out);
		}
	}
	robust_release(&r);
	return KT_PASS;
}
