// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * summary.c - building the summary (summary.h): the stats tools and the
 * summary's own scan in one pass, their rows read back into anomalies,
 * the lost events and what the capture cannot tell, then the order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "analyze/summary_int.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"

/* The stats tools the summary reads, with their options. */
enum { J_EXIT, J_KILL, J_OOM, J_ERRNO, J_CONNECT, J_RETRANS, J_BIOLAT,
       J_RUNQ, J_SCAN, J_N };

struct build {
	struct kt_reader *r;
	struct kt_sum_list list;
	struct kt_stats_opts opts[J_N];
	struct kt_out out[J_N];
	struct kt_stats_job jobs[J_N];
	struct kt_sum_scan scan;
	struct sig_row *sigs;   /* killsnoop --all, in time order */
	size_t nsigs, capsigs;
	struct kt_map ended;    /* pids whose end is in the capture */
	struct tcp_group *tcp;  /* tcpconnect and tcpretrans rows grouped */
	size_t ntcp, captcp;
	struct kt_disks *disks;
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

static int run_tools(struct build *b, struct kt_err *err)
{
	static const char *const tools[J_N] = {
		"exitsnoop", "killsnoop", "oomkill", "syscount", "tcpconnect",
		"tcpretrans", "biolatency", "runqlat", NULL,
	};
	struct kt_source *src;
	struct kt_info info;
	__u64 kinds = 0;
	int rc;

	kt_reader_info(b->r, &info);
	b->scan.first_ts = info.first_ts;
	for (int i = 0; i < J_N; i++) {
		kt_stats_opts_init(&b->opts[i]);
		b->opts[i].json = true;
		b->opts[i].top = 0;
		for (unsigned k = 0; k < KT_KIND_MAX && k < 64; k++)
			if (info.kind_events[k])
				b->opts[i].have_kinds |= KT_KIND_BIT(k);
		b->opts[i].first_ts = info.first_ts;
		b->opts[i].last_ts = info.last_ts;
		if (kt_out_init(&b->out[i], -1, 4096))
			return -ENOMEM;
		b->jobs[i].tool = tools[i] ? kt_stats_find(tools[i]) :
					     &kt_sum_scan_tool;
		b->jobs[i].opts = &b->opts[i];
		b->jobs[i].o = &b->out[i];
		kinds |= kt_stats_tool_kinds(b->jobs[i].tool);
	}
	b->opts[J_KILL].all = true;
	b->opts[J_ERRNO].failed = true;
	b->opts[J_ERRNO].per_process = true;
	b->jobs[J_SCAN].state = &b->scan;
	kt_reader_filter(b->r, kinds, 0, 0);
	rc = kt_reader_seek(b->r, info.first_ts, err);
	src = rc ? NULL : kt_source_reader(b->r);
	if (!rc && !src)
		rc = -ENOMEM;
	if (!rc)
		rc = kt_stats_run_jobs(b->jobs, J_N, src, err);
	kt_source_free(src);
	kt_reader_filter(b->r, 0, 0, 0);
	for (int i = 0; !rc && i < J_N; i++)
		rc = b->out[i].err;
	return rc;
}

/* Call @fn on every NDJSON row of job @j's output. */
static int each_row(struct build *b, int j,
		    int (*fn)(struct build *b, const json_t *row))
{
	const char *p = b->out[j].buf, *end = p + b->out[j].len;
	int rc = 0;

	while (!rc && p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *row = json_loadb(p, n, 0, NULL);

		if (!row)
			return -ENOMEM; /* the tools print valid JSON */
		rc = fn(b, row);
		json_decref(row);
		p += n + 1;
	}
	return rc;
}

static __u64 ju(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (__u64)json_integer_value(v) : 0;
}

static const char *js(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* a task the capture never named is "?" (as `why` names it) */
static void set_comm(struct kt_anom *a, const char *comm)
{
	snprintf(a->comm, sizeof(a->comm), "%s", *comm ? comm : "?");
}

/* -------------------------------------------------- exits and signals */

struct sig_row {
	__u64 ts;
	__u32 target, signo;
	char from[96];          /* "kt-test-tool[20863]", "the kernel (OOM
				 * killer)" */
};

static int on_kill(struct build *b, const json_t *row)
{
	struct sig_row *g;

	if (b->nsigs == b->capsigs) {
		size_t cap = b->capsigs ? 2 * b->capsigs : 64;

		g = realloc(b->sigs, cap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		b->sigs = g;
		b->capsigs = cap;
	}
	g = &b->sigs[b->nsigs++];
	g->ts = ju(row, "ts");
	g->target = ju(row, "target_pid");
	g->signo = ju(row, "signo");
	if (!strcmp(js(row, "sender"), "kernel"))
		snprintf(g->from, sizeof(g->from), "the kernel%s%s%s",
			 *js(row, "cause") ? " (" : "", js(row, "cause"),
			 *js(row, "cause") ? ")" : "");
	else
		snprintf(g->from, sizeof(g->from), "%s[%llu]",
			 *js(row, "comm") ? js(row, "comm") : "?",
			 (unsigned long long)ju(row, "pid"));
	return 0;
}

/* The sender of the signal @signo that killed @pid at @ts: the latest
 * one generated for it before. */
static const struct sig_row *sender(const struct build *b, __u32 pid,
				    unsigned signo, __u64 ts)
{
	for (size_t i = b->nsigs; i-- > 0;)
		if (b->sigs[i].target == pid && b->sigs[i].signo == signo &&
		    b->sigs[i].ts <= ts)
			return &b->sigs[i];
	return NULL;
}

static int on_exit_row(struct build *b, const json_t *row)
{
	__s64 code = (__s64)ju(row, "exit_code");
	unsigned sig = code & 0x7f;
	const char *sname = kt_signal_name(sig);
	const struct sig_row *g;
	struct kt_anom *a;

	if (!kt_map_put(&b->ended, ju(row, "pid"), NULL))
		return -ENOMEM;
	if (!code)
		return 0;
	a = kt_sum_add(&b->list, sig ? KT_AN_SIGNAL : KT_AN_EXIT);
	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "pid");
	a->tid = ju(row, "tid");
	a->ts = ju(row, "ts");
	a->rank = a->ts;
	set_comm(a, js(row, "comm"));
	if (!sig) {
		snprintf(a->what, sizeof(a->what), "%s[%u] exited with status %u",
			 a->comm, a->pid, (unsigned)(code >> 8) & 0xff);
	} else {
		g = sender(b, a->pid, sig, a->ts);
		snprintf(a->what, sizeof(a->what), "%s[%u] was killed by %s%s from %s",
			 a->comm, a->pid, sname ? sname : "a signal",
			 code & 0x80 ? " (core dumped)" : "",
			 g ? g->from : "a sender the capture did not record");
	}
	snprintf(a->verb, sizeof(a->verb), "why");
	snprintf(a->args, sizeof(a->args), "--pid %u --exit", a->pid);
	return 0;
}

static int on_oom(struct build *b, const json_t *row)
{
	struct kt_anom *a = kt_sum_add(&b->list, KT_AN_OOM);

	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "victim_pid");
	a->tid = ju(row, "victim_tid");
	a->ts = ju(row, "ts");
	a->rank = a->ts;
	set_comm(a, js(row, "victim_comm"));
	snprintf(a->what, sizeof(a->what), "%s[%u] was OOM-killed at anon-rss %llu kB "
		 "in memory cgroup %s (triggered by %s[%llu])", a->comm, a->pid,
		 (unsigned long long)ju(row, "anon_rss_kb"),
		 *js(row, "memcg") ? js(row, "memcg") : "-", js(row, "comm"),
		 (unsigned long long)ju(row, "pid"));
	if (kt_map_get(&b->ended, a->pid)) {
		snprintf(a->verb, sizeof(a->verb), "why");
		snprintf(a->args, sizeof(a->args), "--pid %u --exit", a->pid);
	} else {
		snprintf(a->verb, sizeof(a->verb), "stats");
		snprintf(a->args, sizeof(a->args), "oomkill --pid %u", a->pid);
	}
	return 0;
}

/* ------------------------------------------------------ failed syscalls */

static int on_errno(struct build *b, const json_t *row)
{
	const char *en = js(row, "errno");
	struct kt_anom *a;
	__u64 n = ju(row, "count");

	/* ERESTART* (512..): a signal interrupted the call, which the
	 * kernel restarts or turns into EINTR; not a failure */
	if (strcmp(js(row, "table"), "errno") ||
	    kt_errno_from_name(en) >= 512)
		return 0;
	a = kt_sum_add(&b->list, KT_AN_ERRNO);
	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "pid");
	a->count = n;
	set_comm(a, js(row, "comm"));
	snprintf(a->what, sizeof(a->what), "%s[%u] %s failed with %s %llu time%s",
		 a->comm, a->pid, js(row, "syscall"), en,
		 (unsigned long long)n, n == 1 ? "" : "s");
	snprintf(a->verb, sizeof(a->verb), "stats");
	snprintf(a->args, sizeof(a->args), "syscount --failed --pid %u", a->pid);
	return 0;
}

/* ------------------------------------------------------------------ tcp */

/* Rows of one process with one peer and one outcome: one anomaly. */
struct tcp_group {
	__u32 pid;
	unsigned sev;           /* refused or failed connections first, then
				 * resets, then retransmits */
	__u64 ts, count;
	const char *tool;
	char comm[32];
	char key[160];          /* "connect to 127.0.0.1:9 refused" */
};

static const char *proc_comm(const struct build *b, __u32 pid)
{
	const struct kt_task *t = pid ? kt_tasks_find(kt_reader_tasks(b->r), pid)
				      : NULL;

	return t ? t->comm : "?";
}

static int tcp_add(struct build *b, const json_t *row, __u32 pid,
		   const char *comm, const char *key, unsigned sev,
		   const char *tool)
{
	struct tcp_group *g;

	for (size_t i = 0; i < b->ntcp; i++)
		if (b->tcp[i].pid == pid && !strcmp(b->tcp[i].key, key)) {
			b->tcp[i].count++;
			return 0;
		}
	if (b->ntcp == b->captcp) {
		size_t cap = b->captcp ? 2 * b->captcp : 16;

		g = realloc(b->tcp, cap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		b->tcp = g;
		b->captcp = cap;
	}
	g = &b->tcp[b->ntcp++];
	memset(g, 0, sizeof(*g));
	g->pid = pid;
	g->sev = sev;
	g->ts = ju(row, "ts");
	g->count = 1;
	g->tool = tool;
	snprintf(g->comm, sizeof(g->comm), "%s", *comm ? comm : "?");
	snprintf(g->key, sizeof(g->key), "%s", key);
	return 0;
}

static int on_connect(struct build *b, const json_t *row)
{
	const char *res = js(row, "result");
	char key[160];

	if (strcmp(res, "refused") && strcmp(res, "failed"))
		return 0;
	snprintf(key, sizeof(key), "connect to %s:%llu %s", js(row, "daddr"),
		 (unsigned long long)ju(row, "dport"), res);
	return tcp_add(b, row, ju(row, "pid"), js(row, "comm"), key, 0,
		       "tcpconnect");
}

static int on_retrans(struct build *b, const json_t *row)
{
	const char *type = js(row, "type");
	bool rt = !strcmp(type, "retransmit");
	__u32 pid = ju(row, "pid");
	char key[160];

	snprintf(key, sizeof(key), "%s %s %s:%llu",
		 rt ? "retransmit" : !strcmp(type, "reset_sent") ? "reset sent" :
		 "reset received", !strcmp(type, "reset_received") ? "from" : "to",
		 js(row, "raddr"), (unsigned long long)ju(row, "rport"));
	return tcp_add(b, row, pid, proc_comm(b, pid), key, rt ? 2 : 1,
		       "tcpretrans");
}

/* The groups as anomalies. */
static int tcp_anoms(struct build *b)
{
	for (size_t i = 0; i < b->ntcp; i++) {
		const struct tcp_group *g = &b->tcp[i];
		struct kt_anom *a = kt_sum_add(&b->list, KT_AN_TCP);

		if (!a)
			return -ENOMEM;
		a->pid = g->pid;
		a->ts = g->ts;
		a->count = g->count;
		a->rank = (__u64)g->sev << 48 | (0xffffffffffffULL - g->count);
		memcpy(a->comm, g->comm, sizeof(a->comm));
		if (g->pid)
			snprintf(a->what, sizeof(a->what), "%s[%u] %s, %llu time%s",
				 g->comm, g->pid, g->key,
				 (unsigned long long)g->count,
				 g->count == 1 ? "" : "s");
		else
			snprintf(a->what, sizeof(a->what),
				 "a socket of no known process: %s, %llu time%s",
				 g->key, (unsigned long long)g->count,
				 g->count == 1 ? "" : "s");
		snprintf(a->verb, sizeof(a->verb), "stats");
		if (g->pid)
			snprintf(a->args, sizeof(a->args), "%s --pid %u",
				 g->tool, g->pid);
		else
			snprintf(a->args, sizeof(a->args), "%s", g->tool);
	}
	return 0;
}

/* ------------------------------------------------------- distributions */

static void hist_of(struct kt_summary_hist *h, const json_t *row)
{
	const json_t *bk = json_object_get(row, "buckets"), *v;
	size_t i;

	h->count = ju(row, "count");
	json_array_foreach((json_t *)bk, i, v)
		if (i < 64)
			h->slot[i] = ju(v, "count");
}

static int on_biolat(struct build *b, const json_t *row)
{
	hist_of(&b->list.s->hist[KT_SH_BLOCK], row);
	return 0;
}

static int on_runq(struct build *b, const json_t *row)
{
	hist_of(&b->list.s->hist[KT_SH_RUNQ], row);
	return 0;
}

static void hists(struct build *b)
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

static __u64 meta_u(const json_t *o, const char *a, const char *k)
{
	return ju(json_object_get(o, a), k);
}

static int lost(struct build *b, const struct kt_info *info)
{
	const json_t *meta = kt_reader_meta(b->r);
	const json_t *causes = json_object_get(json_object_get(meta, "lost"),
					       "causes");
	struct kt_summary *s = b->list.s;
	__u64 total = meta_u(meta, "lost", "total");
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
	char words[160] = "";
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

/* The process failed: its other anomalies come first. */
static bool failed(const struct kt_summary *s, __u32 pid)
{
	for (size_t i = 0; pid && i < s->n; i++)
		if (s->v[i].pid == pid && (s->v[i].kind == KT_AN_SIGNAL ||
					   s->v[i].kind == KT_AN_EXIT ||
					   s->v[i].kind == KT_AN_OOM))
			return true;
	return false;
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

static void order(struct kt_summary *s, const struct kt_summary_opts *o)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct kt_anom *a = &s->v[i];

		if (!wanted(o, a))
			continue;
		if (a->kind == KT_AN_ERRNO)
			a->rank = ~a->count;
		else if (a->kind == KT_AN_SLOW || a->kind == KT_AN_DISK)
			a->rank = ~a->ns;
		s->v[k++] = *a;
	}
	s->n = k;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind == KT_AN_ERRNO || s->v[i].kind == KT_AN_SLOW ||
		    s->v[i].kind == KT_AN_TCP)
			s->v[i].failed = failed(s, s->v[i].pid);
	qsort(s->v, s->n, sizeof(*s->v), cmp_anom);
	for (size_t i = 0; i < s->n; i++)
		s->nkind[s->v[i].kind]++;
}

/* ---------------------------------------------------------------- build */

static int read_rows(struct build *b)
{
	int rc;

	if ((rc = each_row(b, J_KILL, on_kill)) ||
	    (rc = each_row(b, J_EXIT, on_exit_row)) ||
	    (rc = each_row(b, J_OOM, on_oom)) ||
	    (rc = each_row(b, J_ERRNO, on_errno)) ||
	    (rc = each_row(b, J_CONNECT, on_connect)) ||
	    (rc = each_row(b, J_RETRANS, on_retrans)) ||
	    (rc = each_row(b, J_BIOLAT, on_biolat)) ||
	    (rc = each_row(b, J_RUNQ, on_runq)))
		return rc;
	if ((rc = tcp_anoms(b)))
		return rc;
	return kt_sum_from_scan(&b->list, &b->scan, b->disks);
}

int kt_summary_build(struct kt_reader *r, const struct kt_summary_opts *o,
		     struct kt_summary *s, struct kt_err *err)
{
	struct build *b = calloc(1, sizeof(*b));
	struct kt_info info;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!b)
		return -ENOMEM;
	b->r = r;
	b->list.s = s;
	kt_map_init(&b->ended, 1);
	kt_reader_info(r, &info);
	s->events = info.events;
	s->first_ts = info.first_ts;
	s->last_ts = info.last_ts;
	s->syscalls = info.kind_events[KT_SYSCALL] > 0;
	b->disks = kt_disks_new(kt_reader_meta(r));
	rc = b->disks ? 0 : -ENOMEM;
	if (!rc)
		rc = run_tools(b, err);
	if (!rc)
		rc = read_rows(b);
	if (!rc)
		rc = lost(b, &info);
	if (!rc) {
		hists(b);
		notes(s, kt_reader_meta(r));
		order(s, o);
	}
	for (int i = 0; i < J_N; i++)
		kt_out_release(&b->out[i]);
	kt_sum_scan_release(&b->scan);
	kt_disks_free(b->disks);
	free(b->sigs);
	free(b->tcp);
	kt_map_release(&b->ended);
	free(b);
	return rc;
}

void kt_summary_release(struct kt_summary *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
