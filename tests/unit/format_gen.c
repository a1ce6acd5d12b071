// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Random event streams for the format tests (see format_gen.h). */
#include <stdio.h>
#include <stdlib.h>
#include "format_gen.h"

void gen_pool_init(struct gen_pool *p, __u64 seed)
{
	static const char bin[] = "\0\x01\xff\x80zz\0";
	char *big = malloc(4096), *mid = malloc(300);

	for (int i = 0; i < 4096; i++)
		big[i] = 'a' + gen_rand(&seed) % 26;
	for (int i = 0; i < 300; i++)
		mid[i] = gen_rand(&seed);
	p->p[0] = "";
	p->n[0] = 0;
	p->p[1] = "bash";
	p->n[1] = 4;
	p->p[2] = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	p->n[2] = strlen(p->p[2]);
	p->p[3] = big;
	p->n[3] = 4096;
	p->p[4] = bin;
	p->n[4] = sizeof(bin) - 1;
	p->p[5] = mid;
	p->n[5] = 300;
	p->p[6] = "true\0-x\0";
	p->n[6] = 8;
	p->p[7] = "kworker/0:1";
	p->n[7] = 11;
}

void gen_pool_release(struct gen_pool *p)
{
	free((char *)p->p[3]);
	free((char *)p->p[5]);
}

static __u64 edge(__u64 *s, unsigned type)
{
	switch (gen_rand(s) % 8) {
	case 0:
		return 0;
	case 1:
		return type == KT_F_U64 || type == KT_F_S64 ? UINT64_MAX : UINT32_MAX;
	case 2:
		return type == KT_F_S64 ? (__u64)INT64_MIN :
		       type == KT_F_S32 ? (__u64)(__s64)INT32_MIN : 1;
	case 3:
		return (__u64)-(__s64)(gen_rand(s) % 1000);
	case 4:
		return gen_rand(s);
	default:
		return gen_rand(s) % 300;
	}
}

struct gen_ev *gen_stream(__u64 seed, size_t n, __u64 t0, unsigned late)
{
	struct gen_ev *v = calloc(n ? n : 1, sizeof(*v));
	__u64 ts = t0;

	for (size_t i = 0; i < n; i++) {
		struct kt_event *e = &v[i].ev;
		unsigned kind = 1 + gen_rand(&seed) % (KT_KIND_MAX - 1);
		const struct kt_kind_info *ki = kt_kind_info(kind);

		e->kind = kind;
		/* mostly small steps, some huge ones */
		ts += 1 + (gen_rand(&seed) % 16 == 0 ? gen_rand(&seed) % 1000000000 :
			   gen_rand(&seed) % 3000);
		e->ts = ts;
		e->tid = gen_rand(&seed) % 4 == 0 ? (__u32)edge(&seed, KT_F_U32) :
			 1000 + gen_rand(&seed) % 50;
		e->pid = gen_rand(&seed) % 3 == 0 ? (__u32)edge(&seed, KT_F_U32) : e->tid;
		e->cpu = gen_rand(&seed) % 10 == 0 ? 65535 : gen_rand(&seed) % 8;
		for (unsigned f = 0; f < ki->nfields && f < GEN_MAXF; f++) {
			const struct kt_field *fd = &ki->fields[f];

			v[i].sidx[f] = -1;
			if (fd->type == KT_F_STR) {
				int s = gen_rand(&seed) % (GEN_NPOOL + 1);

				v[i].sidx[f] = s < GEN_NPOOL && s ? s : -1;
				continue;
			}
			kt_field_set(e, fd, edge(&seed, fd->type));
		}
	}
	/* late arrival: move some events up to @late places later */
	for (size_t i = 0; late && i + 1 < n; i++) {
		if (gen_rand(&seed) % 4)
			continue;
		size_t j = i + 1 + gen_rand(&seed) % late;
		struct gen_ev t;

		if (j >= n)
			j = n - 1;
		t = v[i];
		memmove(&v[i], &v[i + 1], (j - i) * sizeof(*v));
		v[j] = t;
	}
	return v;
}

int gen_write(const char *path, const struct gen_ev *evs, size_t n,
	      const struct gen_pool *pool, const struct kt_writer_opts *o,
	      size_t flush_every)
{
	json_t *meta = json_pack("{s:s}", "ktrail_version", "test");
	struct kt_writer *w;
	int err = kt_writer_open(&w, path, o, meta);

	json_decref(meta);
	if (err)
		return err;
	for (size_t i = 0; i < n && !err; i++) {
		struct kt_event e = evs[i].ev;
		const struct kt_kind_info *ki = kt_kind_info(e.kind);

		for (unsigned f = 0; f < ki->nfields && f < GEN_MAXF; f++) {
			int s = evs[i].sidx[f];

			if (s >= 0)
				kt_field_set(&e, &ki->fields[f],
					     kt_writer_str(w, pool->p[s], pool->n[s]));
		}
		err = kt_writer_add(w, &e);
		if (!err && flush_every && (i + 1) % flush_every == 0)
			err = kt_writer_flush(w);
	}
	if (err) {
		kt_writer_abort(w);
		return err;
	}
	return kt_writer_close(w, NULL);
}

static int cmp_ts(const void *a, const void *b)
{
	const struct gen_ev *x = a, *y = b;

	return x->ev.ts < y->ev.ts ? -1 : x->ev.ts > y->ev.ts;
}

struct gen_ev *gen_sorted(const struct gen_ev *evs, size_t n)
{
	struct gen_ev *s = malloc((n ? n : 1) * sizeof(*s));

	memcpy(s, evs, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_ts);        /* ts are unique */
	return s;
}

int gen_same(const struct gen_ev *want, const struct kt_event *got,
	     const struct gen_pool *pool, char *why, size_t whysz)
{
	const struct kt_event *w = &want->ev;
	const struct kt_kind_info *ki = kt_kind_info(w->kind);

	if (w->ts != got->ts || w->tid != got->tid || w->pid != got->pid ||
	    w->cpu != got->cpu || w->kind != got->kind) {
		snprintf(why, whysz, "header: want ts %llu kind %u tid %u pid %u "
			 "cpu %u, got ts %llu kind %u tid %u pid %u cpu %u",
			 (unsigned long long)w->ts, w->kind, w->tid, w->pid, w->cpu,
			 (unsigned long long)got->ts, got->kind, got->tid,
			 got->pid, got->cpu);
		return 0;
	}
	for (unsigned f = 0; f < ki->nfields; f++) {
		const struct kt_field *fd = &ki->fields[f];
		__u64 g = kt_field_get(got, fd).u;

		if (fd->type == KT_F_STR) {
			int s = want->sidx[f];
			size_t n;
			const char *p = kt_event_str(got, g, &n);

			if (s < 0 ? n != 0 : (n != pool->n[s] ||
					      memcmp(p, pool->p[s], n))) {
				snprintf(why, whysz, "%s.%s: string differs (len %zu)",
					 ki->name, fd->name, n);
				return 0;
			}
		} else if (g != kt_field_get(w, fd).u) {
			snprintf(why, whysz, "%s.%s: want %llu got %llu", ki->name,
				 fd->name, (unsigned long long)kt_field_get(w, fd).u,
				 (unsigned long long)g);
			return 0;
		}
	}
	return 1;
}
