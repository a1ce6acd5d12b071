// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats.c - the tool table and the loop that feeds a tool: window and kind
 * filtering happen here, the rest in each tool (stats_*.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/stats_int.h"

static const struct kt_stats_tool *const tools[] = {
	&kt_st_execsnoop, &kt_st_opensnoop, &kt_st_exitsnoop,
	&kt_st_killsnoop, &kt_st_oomkill, &kt_st_tcpconnect, &kt_st_tcplife,
	&kt_st_tcpretrans, &kt_st_biosnoop, &kt_st_biolatency,
	&kt_st_syscount, &kt_st_runqlat, &kt_st_offcputime, &kt_st_top,
	&kt_st_faults,
};

void kt_stats_opts_init(struct kt_stats_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->top = 20;
	opts->syscall = -1;
}

const struct kt_stats_tool *kt_stats_tool_at(size_t i)
{
	return i < ARRAY_SIZE(tools) ? tools[i] : NULL;
}

const struct kt_stats_tool *kt_stats_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
		if (!strcmp(tools[i]->name, name))
			return tools[i];
	return NULL;
}

const char *kt_stats_tool_name(const struct kt_stats_tool *t)
{
	return t->name;
}

const char *kt_stats_tool_summary(const struct kt_stats_tool *t)
{
	return t->summary;
}

const char *kt_stats_tool_options(const struct kt_stats_tool *t)
{
	return t->options;
}

__u64 kt_stats_tool_kinds(const struct kt_stats_tool *t)
{
	return t->kinds;
}

bool kt_stats_tool_subject(const struct kt_stats_tool *t)
{
	return t->subject;
}

int kt_stats_run(const struct kt_stats_tool *t, struct kt_source *src,
		 const struct kt_stats_opts *opts, struct kt_out *o,
		 __u64 *matched, struct kt_err *err)
{
	struct kt_st st = { .opts = opts, .o = o, .src = src };
	const struct kt_event *ev;
	bool seen = false;
	int rc = 0;

	if (t->priv_size) {
		st.priv = calloc(1, t->priv_size);
		if (!st.priv)
			return -ENOMEM;
	}
	if (t->init && (rc = t->init(&st)))
		goto out_release;
	while ((rc = src->next(src, &ev, err)) > 0) {
		if (opts->to && ev->ts >= opts->to)
			break;
		if (ev->ts < opts->from)
			continue;
		if (!seen) {
			st.first_ts = opts->from ? opts->from :
				      opts->first_ts ? opts->first_ts : ev->ts;
			seen = true;
		}
		st.last_ts = ev->ts;
		if (ev->kind >= 64 || !(t->kinds & KT_KIND_BIT(ev->kind)))
			continue;
		if ((rc = t->event(&st, ev)))
			goto out_release;
		if (o->err)
			break;
	}
	if (rc < 0)
		goto out_release;
	if (seen && (opts->to || opts->last_ts))
		st.last_ts = opts->to ? opts->to : opts->last_ts;
	if (t->finish)
		rc = t->finish(&st);
out_release:
	if (t->release)
		t->release(&st);
	free(st.priv);
	if (matched)
		*matched = st.matched;
	return rc < 0 ? rc : 0;
}

const struct kt_task *kt_st_task(struct kt_st *st, __u32 tid)
{
	const struct kt_tasks *tasks = st->src->tasks(st->src);

	return tasks ? kt_tasks_find(tasks, tid) : NULL;
}

const char *kt_st_comm(struct kt_st *st, __u32 tid)
{
	const struct kt_task *t = kt_st_task(st, tid);

	return t ? t->comm : "?";
}

void kt_st_copy_comm(struct kt_st *st, __u32 tid, char *buf, size_t sz)
{
	const char *c = kt_st_comm(st, tid);
	size_t n = strlen(c);

	if (n >= sz)
		n = sz - 1;
	memcpy(buf, c, n);
	buf[n] = 0;
}

bool kt_st_match(struct kt_st *st, __u32 tid, __u32 pid)
{
	const struct kt_stats_opts *opts = st->opts;

	if (opts->pid && opts->pid != pid)
		return false;
	if (opts->tid && opts->tid != tid)
		return false;
	if (opts->comm && strcmp(opts->comm, kt_st_comm(st, tid)))
		return false;
	st->matched++;
	return true;
}

int kt_st_cmp_desc(const void *a, const void *b)
{
	const __u64 *x = *(const __u64 *const *)a;
	const __u64 *y = *(const __u64 *const *)b;

	if (x[0] != y[0])
		return x[0] < y[0] ? 1 : -1;
	if (x[1] != y[1])
		return x[1] < y[1] ? -1 : 1;
	return 0;
}
