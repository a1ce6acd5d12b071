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

/* One job's run: its tool's context, and whether it is over (its window
 * passed, its output failed). */
struct job_run {
	struct kt_st st;
	bool seen, done, inited;
};

static int jobs_start(struct kt_stats_job *jobs, struct job_run *run,
		      size_t n, struct kt_source *src)
{
	for (size_t i = 0; i < n; i++) {
		const struct kt_stats_tool *t = jobs[i].tool;
		struct kt_st *st = &run[i].st;

		st->opts = jobs[i].opts;
		st->o = jobs[i].o;
		st->src = src;
		st->priv = jobs[i].state;
		if (!st->priv && t->priv_size &&
		    !(st->priv = calloc(1, t->priv_size)))
			return -ENOMEM;
		run[i].inited = true;
		if (t->init) {
			int rc = t->init(st);

			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Feed @ev to job @j; 0, or a tool's negative errno. */
static int job_event(const struct kt_stats_job *j, struct job_run *r,
		     const struct kt_event *ev)
{
	const struct kt_stats_opts *opts = j->opts;
	int rc;

	if (opts->to && ev->ts >= opts->to) {
		r->done = true;
		return 0;
	}
	if (ev->ts < opts->from)
		return 0;
	if (!r->seen) {
		r->st.first_ts = opts->from ? opts->from :
				 opts->first_ts ? opts->first_ts : ev->ts;
		r->seen = true;
	}
	r->st.last_ts = ev->ts;
	if (ev->kind >= 64 || !(j->tool->kinds & KT_KIND_BIT(ev->kind)))
		return 0;
	if ((rc = j->tool->event(&r->st, ev)))
		return rc;
	if (j->o->err)
		r->done = true;
	return 0;
}

static int jobs_finish(struct kt_stats_job *jobs, struct job_run *run,
		       size_t n)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++) {
		const struct kt_stats_opts *opts = jobs[i].opts;
		struct kt_st *st = &run[i].st;

		if (run[i].seen && (opts->to || opts->last_ts))
			st->last_ts = opts->to ? opts->to : opts->last_ts;
		if (jobs[i].tool->finish)
			rc = jobs[i].tool->finish(st);
	}
	return rc;
}

int kt_stats_run_jobs(struct kt_stats_job *jobs, size_t n,
		      struct kt_source *src, struct kt_err *err)
{
	struct job_run *run = calloc(n ? n : 1, sizeof(*run));
	const struct kt_event *ev;
	size_t live = n;
	int rc;

	if (!run)
		return -ENOMEM;
	rc = jobs_start(jobs, run, n, src);
	while (!rc && live && (rc = src->next(src, &ev, err)) > 0) {
		rc = 0;
		for (size_t i = 0; !rc && i < n; i++) {
			if (run[i].done)
				continue;
			rc = job_event(&jobs[i], &run[i], ev);
			live -= run[i].done;
		}
	}
	if (rc >= 0)
		rc = jobs_finish(jobs, run, n);
	for (size_t i = 0; i < n; i++) {
		if (run[i].inited && jobs[i].tool->release)
			jobs[i].tool->release(&run[i].st);
		if (run[i].st.priv != jobs[i].state)
			free(run[i].st.priv);
		jobs[i].matched = run[i].st.matched;
	}
	free(run);
	return rc < 0 ? rc : 0;
}

int kt_stats_run(const struct kt_stats_tool *t, struct kt_source *src,
		 const struct kt_stats_opts *opts, struct kt_out *o,
		 __u64 *matched, struct kt_err *err)
{
	struct kt_stats_job job = { .tool = t, .opts = opts, .o = o };
	int rc = kt_stats_run_jobs(&job, 1, src, err);

	if (matched)
		*matched = job.matched;
	return rc;
}

const struct kt_task *kt_st_task(struct kt_st *st, __u32 tid)
{
	const struct kt_tasks *tasks = st->src->tasks(st->src);

	return tasks ? kt_tasks_find(tasks, tid) : NULL;
}

void kt_st_time_head(struct kt_st *st)
{
	kt_out_strw(st->o, kt_out_ts_head(st->o), -kt_out_ts_width(st->o));
	kt_out_ch(st->o, ' ');
}

void kt_st_time(struct kt_st *st, __u64 ns)
{
	kt_out_tsw(st->o, ns, -kt_out_ts_width(st->o));
	kt_out_ch(st->o, ' ');
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
