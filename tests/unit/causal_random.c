// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Garbage in: seeded random streams of every kind with edge values (the
 * format tests' generator: tids that collide and wrap, cpu 65535, u64
 * durations, unknown states) through the timeline, the graph and the
 * critical path.  Nothing may crash or leak (ASan), the intervals must
 * still tile every thread's life, and every path must tile its span.
 */
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "causal_util.h"
#include "format_gen.h"
#include "analyze/critpath.h"
#include "analyze/graph.h"

#define N 20000

KT_TEST(causal_random_streams)
{
	for (__u64 seed = 1; seed <= 12; seed++) {
		struct gen_ev *g = gen_stream(seed, N, 1000, 0);
		struct kt_tl_opts o = { .syscalls = seed % 2 };
		struct kt_graph_opts go = { .window = 1000000 };
		struct kt_cp_store *st;
		struct tl_out out;
		struct kt_graph *gr;
		struct kt_tl *tl;
		struct kt_err err;
		struct cs s;
		char why[200];
		int rc;

		KT_ASSERT(g, "out of memory");
		cs_init(&s);
		for (size_t i = 0; i < N; i++) {
			struct kt_event *e = cs_add(&s, 0, 0, KT_NONE, 0);

			*e = g[i].ev;
		}
		o.end_ts = s.ev[N - 1].ts + 1000;
		KT_ASSERT(!cs_timeline(&s, &o, &out), "seed %llu: timeline failed",
			  (unsigned long long)seed);
		rc = tl_check_tiling(&out, why, sizeof(why));
		KT_ASSERT(!rc, "seed %llu: %s", (unsigned long long)seed, why);

		/* the graph, sliding */
		go.tl = o;
		gr = kt_graph_new(&go);
		{
			struct kt_source *src = kt_source_mem(s.ev, s.n, &s.strtab,
							      NULL, 0);

			rc = gr && src ? kt_graph_run(gr, src, &err) : -1;
			kt_source_free(src);
		}
		kt_graph_free(gr);
		KT_ASSERT(!rc, "seed %llu: graph failed %d", (unsigned long long)seed, rc);

		/* paths over the first 50 threads' whole lives */
		st = kt_cp_store_new(0, 0);
		tl = kt_tl_new(&o, &kt_cp_store_ops, st);
		{
			struct kt_source *src = kt_source_mem(s.ev, s.n, &s.strtab,
							      NULL, 0);

			rc = st && tl && src ? kt_tl_run(tl, src, &err) : -1;
			kt_source_free(src);
		}
		kt_tl_free(tl);
		KT_ASSERT(!rc && !kt_cp_store_seal(st), "seed %llu: store failed",
			  (unsigned long long)seed);
		for (size_t i = 0, done = 0; i < out.niv && done < 50; i++) {
			const struct kt_tl_interval *iv = &out.iv[i];
			struct kt_cp_path p;

			if (!(iv->flags & KT_TL_F_FIRST))
				continue;
			done++;
			rc = kt_cp_compute(st, iv->utid, iv->tid, iv->start,
					   o.end_ts, &p);
			KT_ASSERT(!rc, "seed %llu: path of tid %u failed: %d",
				  (unsigned long long)seed, iv->tid, rc);
			kt_cp_path_release(&p);
		}
		kt_cp_store_free(st);
		tl_out_release(&out);
		cs_release(&s);
		free(g);
	}
	return KT_PASS;
}
