// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * diff.c - a capture's profile (diff.h): the stats tools in one pass,
 * their rows read back as they print them (stats_rows.c), the edges of
 * the capture's causal graph, the processes of the task table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "analyze/diff.h"
#include "analyze/graph.h"
#include "analyze/map.h"
#include "analyze/stats_int.h"
#include "analyze/window.h"


/* ------------------------------------------------------------ the items */

static int cmp_item(const void *x, const void *y)
{
	const struct kt_prof_item *a = x, *b = y;
	int c;

	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	if ((c = strcmp(a->comm, b->comm)))
		return c;
	return strcmp(a->key, b->key);
}

static void drop_index(struct kt_profile *p);

void kt_profile_sort(struct kt_profile *p)
{
	drop_index(p);
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), cmp_item);
}

static __u64 item_hash(unsigned fam, const char *comm, const char *key)
{
	__u64 h = 14695981039346656037ULL ^ fam;

	for (const char *p = comm; *p && p - comm < KT_DIFF_COMM - 1; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = key; *p && p - key < KT_DIFF_KEY - 1; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static bool same_item(const struct kt_prof_item *it, unsigned fam,
		      const char *comm, const char *key)
{
	return it->fam == fam && !strncmp(it->comm, comm, KT_DIFF_COMM - 1) &&
	       !strncmp(it->key, key, KT_DIFF_KEY - 1);
}

/* A new item at the end of @p, zeroed, or NULL on ENOMEM. */
static struct kt_prof_item *append(struct kt_profile *p)
{
	struct kt_prof_item *it;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 128;

		it = realloc(p->v, cap * sizeof(*it));
		if (!it)
			return NULL;
		p->v = it;
		p->cap = cap;
	}
	it = &p->v[p->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* The hash probes linearly past items of other names. */
struct kt_prof_item *kt_profile_add(struct kt_profile *p, unsigned fam,
				    const char *comm, const char *key)
{
	__u64 h = item_hash(fam, comm, key), idx;
	struct kt_prof_item *it;

	if (!p->index) {
		p->index = malloc(sizeof(*p->index));
		if (!p->index)
			return NULL;
		kt_map_init(p->index, sizeof(__u64));
	}
	for (;; h++) {
		if (!kt_map_get_u64(p->index, h, &idx))
			break;
		if (same_item(&p->v[idx - 1], fam, comm, key))
			return &p->v[idx - 1];
	}
	if (!(it = append(p)) || kt_map_put_u64(p->index, h, p->n)) {
		if (it)
			p->n--;
		return NULL;
	}
	it->fam = fam;
	snprintf(it->comm, sizeof(it->comm), "%s", comm);
	snprintf(it->key, sizeof(it->key), "%s", key);
	return it;
}

static void drop_index(struct kt_profile *p)
{
	if (p->index)
		kt_map_release(p->index);
	free(p->index);
	p->index = NULL;
}

void kt_profile_release(struct kt_profile *p)
{
	drop_index(p);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

char *kt_diff_name(char *buf, size_t sz, const char *comm, bool kthread)
{
	const char *colon = strrchr(comm, ':'), *slash = strchr(comm, '/');
	size_t n = 0, len = strlen(comm);
	const char *from = NULL;
	char *dash;

	if (!sz)
		return buf;
	if (kthread && colon)
		from = colon + 1;
	else if (kthread && slash && len && digit(comm[len - 1])) {
		from = comm + len;
		while (from > slash + 1 && digit(from[-1]))
			from--;
	}
	for (const char *p = comm; *p && n + 1 < sz; p++) {
		if (from && p >= from && digit(*p)) {
			if (p == from || !digit(p[-1]))
				buf[n++] = '*';
			continue;
		}
		buf[n++] = *p;
	}
	buf[n] = 0;
	if (kthread && colon && (dash = strchr(buf + (colon - comm), '-')))
		*dash = 0;
	return buf;
}

/* ------------------------------------------------------------- the rows */

struct prof_build {
	struct kt_reader *r;
	struct kt_profile *p;
};

/* The command of task @tid named @comm in a row: normalized when the
 * task table says it is a kernel thread; "?" (no task: the kernel's own
 * requests) is "(kernel)". */
static const char *row_comm(struct prof_build *b, char *buf, size_t sz,
			    const char *comm, __u32 tid)
{
	const struct kt_task *t = tid ? kt_tasks_find(kt_reader_tasks(b->r),
						      tid) : NULL;

	if (!comm[0] && t)
		comm = t->comm;
	if (!comm[0] || !strcmp(comm, "?"))
		return tid ? "?" : KT_DIFF_KERNEL;
	return kt_diff_name(buf, sz, comm, t && (t->flags & KT_TASK_KTHREAD));
}

static int on_syscount(void *arg, const json_t *row)
{
	struct prof_build *b = arg;
	const char *table = kt_st_js(row, "table");
	struct kt_prof_item *it;
	char key[KT_DIFF_KEY];

	if (!strcmp(table, "comm")) {
		it = kt_profile_add(b->p, KT_DF_SYSCALL, kt_st_js(row, "comm"),
				    kt_st_js(row, "syscall"));
		if (!it)
			return -ENOMEM;
		it->count += kt_st_ju(row, "count");
		it->errors += kt_st_ju(row, "errors");
		it->samples += kt_st_ju(row, "samples");
		it->p50 = kt_st_ju(row, "p50_ns");
		it->p99 = kt_st_ju(row, "p99_ns");
	} else if (!strcmp(table, "comm_errno")) {
		snprintf(key, sizeof(key), "%s %s", kt_st_js(row, "syscall"),
			 kt_st_js(row, "errno"));
		it = kt_profile_add(b->p, KT_DF_ERRNO, kt_st_js(row, "comm"), key);
		if (!it)
			return -ENOMEM;
		it->count += kt_st_ju(row, "count");
	}
	return 0;
}

static int count_row(struct prof_build *b, unsigned fam, const char *comm,
		     __u32 tid, const char *key)
{
	char name[KT_DIFF_COMM];
	struct kt_prof_item *it;

	it = kt_profile_add(b->p, fam, row_comm(b, name, sizeof(name), comm, tid),
			    key);
	if (!it)
		return -ENOMEM;
	it->count++;
	return 0;
}

static int on_exitrow(void *arg, const json_t *row)
{
	const char *st = kt_st_js(row, "status");
	char key[KT_DIFF_KEY];

	snprintf(key, sizeof(key), "%s", strcmp(st, "0") ? st : "exit 0");
	return count_row(arg, KT_DF_EXIT, kt_st_js(row, "comm"),
			 (__u32)kt_st_ju(row, "tid"), key);
}

static int on_oom(void *arg, const json_t *row)
{
	return count_row(arg, KT_DF_OOM, kt_st_js(row, "victim_comm"),
			 (__u32)kt_st_ju(row, "victim_tid"), "oom kill");
}

static int on_connect(void *arg, const json_t *row)
{
	char key[KT_DIFF_KEY];

	snprintf(key, sizeof(key), "connect %s", kt_st_js(row, "result"));
	return count_row(arg, KT_DF_TCP, kt_st_js(row, "comm"),
			 (__u32)kt_st_ju(row, "tid"), key);
}

static int on_retrans(void *arg, const json_t *row)
{
	const char *type = kt_st_js(row, "type");
	/* a reset sent for a segment that matched no socket (a connect to
	 * a closed port) is the kernel's: the row's pid is the task the
	 * soft irq interrupted */
	bool nosock = !strcmp(kt_st_js(row, "state"), "NO_SOCKET");

	return count_row(arg, KT_DF_TCP, "",
			 nosock ? 0 : (__u32)kt_st_ju(row, "pid"),
			 !strcmp(type, "reset_received") ? "reset received" :
			 !strcmp(type, "reset_sent") ? "reset sent" : type);
}

static int on_bio(void *arg, const json_t *row)
{
	struct prof_build *b = arg;
	char name[KT_DIFF_COMM];
	struct kt_prof_item *it;
	__u32 tid = (__u32)kt_st_ju(row, "tid");

	it = kt_profile_add(b->p, KT_DF_BLOCK, row_comm(b, name, sizeof(name),
			    kt_st_js(row, "comm"), tid), kt_st_js(row, "op"));
	if (!it)
		return -ENOMEM;
	it->count++;
	it->bytes += kt_st_ju(row, "bytes");
	return 0;
}

static const struct {
	const char *tool;
	int (*row)(void *arg, const json_t *row);
} jobs[] = {
	{ "syscount", on_syscount }, { "exitsnoop", on_exitrow },
	{ "oomkill", on_oom }, { "tcpconnect", on_connect },
	{ "tcpretrans", on_retrans }, { "biosnoop", on_bio },
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))


static int run_tools(struct prof_build *b, struct kt_st_rowjobs *t,
		     const struct kt_info *info, struct kt_err *err)
{
	struct kt_stats_opts *o;

	for (size_t i = 0; i < NJOBS; i++) {
		o = kt_st_rowjobs_add(t, kt_stats_find(jobs[i].tool), NULL,
				      jobs[i].row, b, info);
		if (!o)
			return -ENOMEM;
		if (!i)
			o->per_comm = true;     /* syscount by command */
	}
	return kt_st_rowjobs_run(t, b->r, info, err);
}

/* ------------------------------------------------------------ the graph */

/* The name of node @n: the command of a thread or process, or what a
 * resource is (its kind; a disk's and an executable's name), never what
 * differs between runs (pids, pipe inodes, ports). */
static const char *node_name(char *buf, size_t sz, const struct kt_gnode *n,
			     const struct kt_tasks *tasks)
{
	const struct kt_task *t = NULL;
	char label[128];

	switch (n->kind) {
	case KT_GN_THREAD:
		t = n->a ? kt_tasks_get(tasks, (__u32)n->a) : NULL;
		break;
	case KT_GN_PROCESS:
		t = n->b ? kt_tasks_get(tasks, (__u32)n->b) :
			   kt_tasks_find(tasks, n->pid);
		break;
	case KT_GN_FILE:
		kt_gnode_label(label, sizeof(label), n, tasks);
		label[strcspn(label, ":")] = 0;
		if (strlen(label) >= sz)
			label[sz - 1] = 0;
		memcpy(buf, label, strlen(label) + 1);
		return buf;
	case KT_GN_BLOCKDEV:
	case KT_GN_EXE:
		return kt_gnode_label(buf, sz, n, tasks);
	default:
		return kt_gnode_kind_name(n->kind);
	}
	if (!t)
		return "?";
	return kt_diff_name(buf, sz, t->comm, t->flags & KT_TASK_KTHREAD);
}

static int graph_items(struct prof_build *b, const struct kt_graph *g)
{
	const struct kt_tasks *tasks = kt_reader_tasks(b->r);
	size_t nn, ne;
	const struct kt_gnode *n = kt_graph_nodes(g, &nn);
	const struct kt_gedge *e = kt_graph_edges(g, &ne);
	char src[64], dst[64], key[KT_DIFF_KEY];
	struct kt_prof_item *it;

	for (size_t i = 0; i < ne; i++) {
		if (!e[i].kind || e[i].kind == KT_GE_PEER)
			continue;
		snprintf(key, sizeof(key), "%s -> %s",
			 kt_gedge_kind_name(e[i].kind),
			 node_name(dst, sizeof(dst), &n[e[i].dst], tasks));
		it = kt_profile_add(b->p, KT_DF_EDGE,
				    node_name(src, sizeof(src), &n[e[i].src],
					      tasks), key);
		if (!it)
			return -ENOMEM;
		it->count += e[i].count;
	}
	return 0;
}

static int graph(struct prof_build *b, const struct kt_info *info,
		 struct kt_err *err)
{
	struct kt_window w = { 0 };
	struct kt_graph *g = NULL;
	int rc;

	kt_window_place(&w, info, 0);
	rc = kt_graph_build(b->r, &w, &g, err);
	if (!rc)
		rc = graph_items(b, g);
	kt_graph_free(g);
	return rc;
}

/* Processes started in the capture, by command (their last name). */
static int one_task(const struct kt_task *t, void *arg)
{
	struct prof_build *b = arg;
	char name[KT_DIFF_COMM];
	struct kt_prof_item *it;

	if (t->tid != t->pid || !t->start_ns)
		return 0;
	it = kt_profile_add(b->p, KT_DF_PROC, kt_diff_name(name, sizeof(name),
			    t->comm, t->flags & KT_TASK_KTHREAD), "started");
	if (!it)
		return -ENOMEM;
	it->count++;
	return 0;
}

/* --------------------------------------------------------------- build */

static __u64 meta_lost(struct kt_reader *r, const struct kt_info *info)
{
	const json_t *lost = json_object_get(kt_reader_meta(r), "lost");
	__u64 total = kt_st_ju(lost, "total");

	return total > info->lost ? total : info->lost;
}

/* The families (1 << KT_FAM_*) the capture was recorded with, from its
 * metadata; every family when it does not say. */
static unsigned recorded_fams(struct kt_reader *r)
{
	const char *f = json_string_value(json_object_get(json_object_get(
		kt_reader_meta(r), "record"), "families"));
	unsigned have = 0;
	__u64 mask = 0;
	char bad[32];

	if (!f || kt_families_parse(f, &mask, bad, sizeof(bad)))
		return (1u << KT_FAM_MAX) - 1;
	for (unsigned k = 1; k < KT_KIND_MAX && k < 64; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		if (ki && ki->family < KT_FAM_MAX && (mask & KT_KIND_BIT(k)))
			have |= 1u << ki->family;
	}
	return have;
}

int kt_profile_build(struct kt_reader *r, struct kt_profile *p,
		     struct kt_err *err)
{
	struct prof_build b = { .r = r, .p = p };
	struct kt_st_rowjobs *t = calloc(1, sizeof(*t));
	struct kt_info info;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!t)
		return -ENOMEM;
	kt_reader_info(r, &info);
	p->events = info.events;
	p->first_ts = info.first_ts;
	p->last_ts = info.last_ts;
	p->lost = meta_lost(r, &info);
	p->fams = recorded_fams(r);
	rc = run_tools(&b, t, &info, err);
	kt_st_rowjobs_release(t);
	free(t);
	if (!rc && info.events)
		rc = graph(&b, &info, err);
	if (!rc)
		rc = kt_tasks_foreach(kt_reader_tasks(r), one_task, &b);
	if (!rc)
		kt_profile_sort(p);
	return rc;
}
