// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * summary.c - building the summary (summary.h): the stats tools and the
 * summary's own scan in one pass, their rows read as the tools print
 * them (summary_rows.c), then the joins, the lost events, what the
 * capture cannot tell, and the order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "analyze/summary_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"

#define ROWS_BUF (64 * 1024)    /* a tool's output, before its rows are read */

static const struct {
	const char *tool;       /* NULL: the summary's own scan */
	int (*row)(struct kt_sum_build *b, const json_t *row);
} jobs[KT_SUM_JOBS] = {
	{ "exitsnoop", kt_sum_on_exit }, { "killsnoop", kt_sum_on_kill },
	{ "oomkill", kt_sum_on_oom }, { "syscount", kt_sum_on_errno },
	{ "tcpconnect", kt_sum_on_connect }, { "tcpretrans", kt_sum_on_retrans },
	{ "biolatency", kt_sum_on_biolat }, { "runqlat", kt_sum_on_runq },
	{ NULL, NULL },
};

struct kt_anom *kt_sum_add(struct kt_sum_list *l, unsigned kind)
{
	struct kt_summary *s = l->s;
	struct kt_anom *a;

	if (s->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		a = realloc(s->v, cap * sizeof(*a));
		if (!a)
			return NULL;
		s->v = a;
		l->cap = cap;
	}
	a = &s->v[s->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->nr = -1;
	return a;
}

/* ------------------------------------------------------------- the pass */

/* A row reader: the output of one tool, as it is printed, cut into rows
 * for its handler. */
struct rows {
	struct kt_st_rows w;
	struct kt_sum_build *b;
	int (*row)(struct kt_sum_build *b, const json_t *row);
};

static int one_row(void *arg, const json_t *row)
{
	struct rows *x = arg;

	return x->row(x->b, row);
}

static int run_tools(struct kt_sum_build *b, struct rows *w,
		     struct kt_err *err)
{
	struct kt_source *src;
	struct kt_info info;
	__u64 kinds = 0;
	int rc;

	kt_reader_info(b->r, &info);
	b->scan.first_ts = info.first_ts;
	for (int i = 0; i < KT_SUM_JOBS; i++) {
		struct kt_stats_opts *o = &b->opts[i];

		kt_stats_opts_init(o);
		o->json = true;
		o->top = 0;
		for (unsigned k = 0; k < KT_KIND_MAX && k < 64; k++)
			if (info.kind_events[k])
				o->have_kinds |= KT_KIND_BIT(k);
		o->first_ts = info.first_ts;
		o->last_ts = info.last_ts;
		w[i].b = b;
		w[i].row = jobs[i].row;
		w[i].w.row = one_row;
		w[i].w.arg = &w[i];
		if (kt_out_init_sink(&b->out[i], kt_st_rows_sink, &w[i].w,
				     ROWS_BUF))
			return -ENOMEM;
		b->jobs[i].tool = jobs[i].tool ? kt_stats_find(jobs[i].tool) :
						 &kt_sum_scan_tool;
		b->jobs[i].opts = o;
		b->jobs[i].o = &b->out[i];
		kinds |= kt_stats_tool_kinds(b->jobs[i].tool);
	}
	b->opts[1].all = true;                  /* killsnoop --all */
	b->opts[3].failed = true;               /* syscount --failed */
	b->opts[3].per_process = true;          /*   --per-process */
	b->jobs[KT_SUM_JOBS - 1].state = &b->scan;
	kt_reader_filter(b->r, kinds, 0, 0);
	rc = kt_reader_seek(b->r, info.first_ts, err);
	src = rc ? NULL : kt_source_reader(b->r);
	if (!rc && !src)
		rc = -ENOMEM;
	if (!rc)
		rc = kt_stats_run_jobs(b->jobs, KT_SUM_JOBS, src, err);
	kt_source_free(src);
	kt_reader_filter(b->r, 0, 0, 0);
	for (int i = 0; !rc && i < KT_SUM_JOBS; i++)
		rc = kt_out_flush(&b->out[i]);
	return rc;
}

static void hists(struct kt_sum_build *b)
{
	struct kt_summary *s = b->list.s;
	struct kt_summary_hist *h = &s->hist[KT_SH_SYSCALL];

	s->hist[KT_SH_BLOCK].name = "block I/O latency";
	s->hist[KT_SH_BLOCK].tool = "biolatency";
	s->hist[KT_SH_RUNQ].name = "run-queue latency";
	s->hist[KT_SH_RUNQ].tool = "runqlat";
	h->name = "syscall latency (idle waits left out)";
	h->tool = "syscount";
	memcpy(h->slot, b->scan.syslat.slot, sizeof(h->slot));
	for (int i = 0; i < 64; i++)
		h->count += h->slot[i];
}

/* --------------------------------------------------------------- lost */

static __u64 ju(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (__u64)json_integer_value(v) : 0;
}

static int lost(struct kt_sum_build *b, const struct kt_info *info)
{
	const json_t *meta = kt_reader_meta(b->r);
	const json_t *causes = json_object_get(json_object_get(meta, "lost"),
					       "causes");
	struct kt_summary *s = b->list.s;
	__u64 total = ju(json_object_get(meta, "lost"), "total");
	struct kt_anom *a;
	const char *key;
	json_t *v;
	size_t used;

	s->lost = total > info->lost ? total : info->lost;
	if (!s->lost)
		return 0;
	a = kt_sum_add(&b->list, KT_AN_LOST);
	if (!a)
		return -ENOMEM;
	a->count = s->lost;
	used = snprintf(a->what, sizeof(a->what), "%llu event%s lost",
			(unsigned long long)s->lost,
			s->lost == 1 ? " was" : "s were");
	json_object_foreach((json_t *)causes, key, v) {
		__u64 n = ju(v, "total");
		bool first = !strchr(a->what, '(');

		if (n && used < sizeof(a->what))
			used += snprintf(a->what + used, sizeof(a->what) - used,
					 "%s%s %llu: %s", first ? " (" : "; ", key,
					 (unsigned long long)n,
					 kt_lost_cause_help(key));
	}
	if (strchr(a->what, '(') && used + 1 < sizeof(a->what))
		memcpy(a->what + used, ")", 2);
	snprintf(a->verb, sizeof(a->verb), "info");
	return 0;
}

/* What the capture cannot tell: the families it was not recorded with
 * (when its metadata says which were). */
static void notes(struct kt_summary *s, const json_t *meta)
{
	static const char *const fam[][2] = {
		{ "proc", "exits" }, { "signal", "who sent fatal signals" },
		{ "syscall", "failed and slow syscalls" },
		{ "tcp", "refused connections, resets, retransmits" },
		{ "block", "disk latency" }, { "oom", "OOM kills" },
	};
	const char *f = json_string_value(json_object_get(
		json_object_get(meta, "record"), "families"));
	char words[256] = "";
	size_t used = 0;

	if (!f || !strcmp(f, "all"))
		return;
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		size_t n = strlen(fam[i][0]);
		const char *p = strstr(f, fam[i][0]);

		if (p && (p == f || p[-1] == ',') && (!p[n] || p[n] == ','))
			continue;
		if (used < sizeof(words))
			used += snprintf(words + used, sizeof(words) - used,
					 "%s%s (%s)", used ? ", " : "",
					 fam[i][0], fam[i][1]);
	}
	if (used && s->nnotes < 4)
		snprintf(s->notes[s->nnotes++], sizeof(s->notes[0]),
			 "not recorded (-e %s): %s", f, words);
}

/* ---------------------------------------------------------------- order */

static int cmp_anom(const void *x, const void *y)
{
	const struct kt_anom *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->failed != b->failed)
		return a->failed ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return strcmp(a->what, b->what);
}

static bool wanted(const struct kt_summary_opts *o, const struct kt_anom *a)
{
	if (!o || !o->pids || a->kind == KT_AN_LOST)
		return true;
	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == a->pid)
			return true;
	return false;
}

/* The order: by kind; within one, the anomalies of processes that
 * failed (killed, OOM-killed, exited non-zero) first, then each kind's
 * rank.  Returns 0 or -ENOMEM. */
static int order(struct kt_summary *s, const struct kt_summary_opts *o)
{
	struct kt_map failed;
	size_t k = 0;

	kt_map_init(&failed, 1);
	for (size_t i = 0; i < s->n; i++) {
		struct kt_anom *a = &s->v[i];

		if (!wanted(o, a))
			continue;
		if (a->kind == KT_AN_ERRNO)
			a->rank = ~a->count;
		else if (a->kind == KT_AN_SLOW || a->kind == KT_AN_DISK)
			a->rank = ~a->ns;
		if ((a->kind == KT_AN_SIGNAL || a->kind == KT_AN_EXIT ||
		     a->kind == KT_AN_OOM) && a->pid &&
		    !kt_map_put(&failed, a->pid, NULL)) {
			kt_map_release(&failed);
			return -ENOMEM;
		}
		s->v[k++] = *a;
	}
	s->n = k;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind == KT_AN_ERRNO || s->v[i].kind == KT_AN_SLOW ||
		    s->v[i].kind == KT_AN_TCP)
			s->v[i].failed = kt_map_get(&failed, s->v[i].pid);
	kt_map_release(&failed);
	if (s->n)       /* no anomaly: s->v may be NULL, which qsort forbids */
		qsort(s->v, s->n, sizeof(*s->v), cmp_anom);
	for (size_t i = 0; i < s->n; i++)
		s->nkind[s->v[i].kind]++;
	return 0;
}

/* ---------------------------------------------------------------- build */

int kt_summary_build(struct kt_reader *r, const struct kt_summary_opts *o,
		     struct kt_summary *s, struct kt_err *err)
{
	struct kt_sum_build *b = calloc(1, sizeof(*b));
	struct rows w[KT_SUM_JOBS];
	struct kt_info info;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(w, 0, sizeof(w));
	if (!b)
		return -ENOMEM;
	b->r = r;
	b->list.s = s;
	b->list.times = o ? o->times : NULL;
	kt_map_init(&b->ended, 1);
	kt_map_init(&b->tcp_index, sizeof(__u64));
	kt_reader_info(r, &info);
	s->events = info.events;
	s->first_ts = info.first_ts;
	s->last_ts = info.last_ts;
	s->syscalls = info.kind_events[KT_SYSCALL] > 0;
	b->disks = kt_disks_new(kt_reader_meta(r));
	rc = b->disks ? 0 : -ENOMEM;
	if (!rc)
		rc = run_tools(b, w, err);
	if (!rc) {
		kt_sum_join(b);
		rc = kt_sum_tcp_anoms(b);
	}
	if (!rc)
		rc = kt_sum_from_scan(&b->list, &b->scan, b->disks);
	if (!rc)
		rc = lost(b, &info);
	if (!rc) {
		hists(b);
		notes(s, kt_reader_meta(r));
		rc = order(s, o);
	}
	for (int i = 0; i < KT_SUM_JOBS; i++) {
		kt_out_release(&b->out[i]);
		kt_st_rows_release(&w[i].w);
	}
	kt_sum_scan_release(&b->scan);
	kt_disks_free(b->disks);
	free(b->sigs);
	free(b->tcp);
	kt_map_release(&b->ended);
	kt_map_release(&b->tcp_index);
	free(b);
	return rc;
}

void kt_summary_release(struct kt_summary *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
