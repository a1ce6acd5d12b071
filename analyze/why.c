// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why.c - picking the span (the syscall records; why_cand.c reads the
 * timeline for the rest), identifying threads, and building the span's
 * window (see why.h).
 */
#include <errno.h>
#include <string.h>
#include "why_int.h"
#include "window.h"

/* The --slowest rank: what the span cost its thread (why.h). */
static __u64 rank(const struct kt_why_span *s)
{
	return s->kind == KT_WHY_CPU ? s->runnable_ns : s->end - s->start;
}

bool kt_why_better(const struct kt_why_span *c, const struct kt_why_span *best,
		   bool have)
{
	__u64 cr = rank(c), br, cd = c->end - c->start, bd;

	if (!have)
		return true;
	br = rank(best);
	bd = best->end - best->start;
	if (cr != br)
		return cr > br;
	/* ties go to the longer, then to the earliest: a stable answer */
	return cd > bd || (cd == bd && c->start < best->start);
}

bool kt_why_wanted(const struct kt_why_opts *o, __u64 start, __u64 end)
{
	return !o->at_set || (start <= o->at && o->at < end) ||
	       (start == end && start == o->at);
}

/* Pass 1 with syscall records: only this process's syscalls are read.
 * A syscall that began before the capture is only partly observed: it
 * goes to @partial, picked only when nothing else matches. */
static int pick_syscall(struct kt_reader *r, const struct kt_why_opts *o,
			struct kt_why_span *sp, bool *found,
			struct kt_why_span *partial, bool *have_partial,
			struct kt_err *err)
{
	const struct kt_event *ev;
	struct kt_info info;
	int rc;

	kt_reader_info(r, &info);
	kt_reader_filter(r, KT_KIND_BIT(KT_SYSCALL), o->pid, o->tid);
	rc = kt_reader_seek(r, o->at_set ? o->at : info.first_ts, err);
	while (!rc && (rc = kt_reader_next(r, &ev, err)) > 0) {
		struct kt_why_span c;

		rc = 0;
		if (o->sys_nr >= 0 && ev->sys.nr != (__u32)o->sys_nr)
			continue;
		memset(&c, 0, sizeof(c));
		c.end = ev->ts;
		c.start = ev->sys.dur <= ev->ts ? ev->ts - ev->sys.dur : 0;
		if (!kt_why_wanted(o, c.start, c.end) || c.end == c.start)
			continue;
		c.kind = KT_WHY_SYSCALL;
		c.utid = ev->utid;
		c.tid = ev->tid;
		c.pid = ev->pid;
		c.open = ev->sys.flags & KT_SYSCALL_UNFINISHED;
		c.sys.nr = ev->sys.nr;
		c.sys.flags = ev->sys.flags;
		c.sys.start = c.start;
		c.sys.end = c.end;
		c.sys.ret = ev->sys.ret;
		memcpy(c.sys.arg, ev->sys.arg, sizeof(c.sys.arg));
		if (c.start < info.first_ts) {
			if (kt_why_better(&c, partial, *have_partial)) {
				*partial = c;
				*have_partial = true;
			}
		} else if (kt_why_better(&c, sp, *found)) {
			*sp = c;
			*found = true;
		}
	}
	kt_reader_filter(r, 0, 0, 0);
	return rc < 0 ? rc : 0;
}

int kt_why_pick(struct kt_reader *r, const struct kt_why_opts *o,
		struct kt_why_span *sp, struct kt_err *err)
{
	struct kt_why_span partial;
	bool found = false, have_partial = false, syscalls;
	struct kt_info info;
	int rc = 0;

	memset(sp, 0, sizeof(*sp));
	memset(&partial, 0, sizeof(partial));
	if (o->range)
		return kt_why_pick_range(r, o, sp, err);
	kt_reader_info(r, &info);
	syscalls = info.kind_events[KT_SYSCALL] > 0;
	if (syscalls)
		rc = pick_syscall(r, o, sp, &found, &partial, &have_partial,
				  err);
	/* --at: a syscall at that time is the answer; --syscall NAME: its
	 * records are, when there are any */
	if (!rc && !(found && (o->at_set || o->sys_nr >= 0)))
		rc = kt_why_pick_timeline(r, o, !syscalls || o->at_set ||
					  o->sys_nr >= 0, sp, &found, err);
	if (!rc && !found && have_partial) {
		*sp = partial;
		found = true;
	}
	if (!rc && !found)
		rc = -ENOENT;
	return rc;
}

/* ------------------------------------------------------------ identify */

struct ident_ctx {
	__u32 pid, tid;
	struct kt_why_ident *id;
};

static void ident_one(struct ident_ctx *c, __u32 tid, __u32 pid)
{
	if (pid == c->pid)
		c->id->pid_seen = true;
	if (c->tid && tid == c->tid) {
		c->id->tid_seen = true;
		c->id->tid_pid = pid;
		if (pid == c->pid)
			c->id->tid_in_pid = true;
	}
}

static int ident_task(const struct kt_task *t, void *arg)
{
	ident_one(arg, t->tid, t->pid);
	return 0;
}

int kt_why_identify(struct kt_reader *r, __u32 pid, __u32 tid,
		    struct kt_why_ident *id, struct kt_err *err)
{
	struct ident_ctx c = { .pid = pid, .tid = tid, .id = id };
	const struct kt_event *ev;
	struct kt_info info;
	int rc;

	memset(id, 0, sizeof(*id));
	kt_reader_info(r, &info);
	kt_reader_filter(r, KT_KIND_BIT(KT_PROC_FORK) |
			 KT_KIND_BIT(KT_PROC_EXEC) | KT_KIND_BIT(KT_PROC_EXIT) |
			 KT_KIND_BIT(KT_PROC_COMM), 0, 0);
	rc = kt_reader_seek(r, info.first_ts, err);
	if (!rc)
		kt_tasks_foreach(kt_reader_tasks(r), ident_task, &c);
	while (!rc && (rc = kt_reader_next(r, &ev, err)) > 0) {
		rc = 0;
		ident_one(&c, ev->tid, ev->pid);
		if (ev->kind == KT_PROC_FORK)
			ident_one(&c, ev->fork.child_tid, ev->fork.child_pid);
	}
	kt_reader_filter(r, 0, 0, 0);
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------- explain */

/* The families (1 << KT_FAM_*) the capture was not recorded with, from
 * its metadata; 0 when it does not say. */
static unsigned unrecorded(const json_t *meta)
{
	const char *f = json_string_value(json_object_get(
		json_object_get(meta, "record"), "families"));
	__u64 mask = 0;
	unsigned have = 0, all = 0;
	char bad[32];

	if (!f || kt_families_parse(f, &mask, bad, sizeof(bad)))
		return 0;
	for (unsigned k = 1; k < KT_KIND_MAX && k < 64; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		if (!ki || ki->family >= KT_FAM_MAX)
			continue;
		all |= 1u << ki->family;
		if (mask & KT_KIND_BIT(k))
			have |= 1u << ki->family;
	}
	return all & ~have;
}

int kt_why_explain_store(struct kt_reader *r, const struct kt_why_span *sp,
			 struct kt_cp_store *store, struct kt_why *w,
			 struct kt_err *err)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->span = *sp;
	w->store = store;
	w->tasks = kt_reader_tasks(r);
	w->meta = kt_reader_meta(r);
	rc = kt_cp_store_peers(w->store, w->meta);
	if (!rc)
		rc = kt_cp_store_seal(w->store);
	if (!rc)
		rc = kt_cp_compute(w->store, sp->utid, sp->tid, sp->start,
				   sp->end, &w->path);
	if (!rc)
		kt_cp_blind(&w->path, unrecorded(w->meta));
	if (!rc)
		rc = kt_why_names(w, r, err);
	if (rc)
		kt_why_release(w);
	return rc;
}

int kt_why_explain(struct kt_reader *r, const struct kt_why_span *sp,
		   struct kt_why *w, struct kt_err *err)
{
	struct kt_window win = { .from = sp->start, .to = sp->end };
	struct kt_cp_store *store = kt_cp_store_new(sp->start, sp->end);
	int rc;

	memset(w, 0, sizeof(*w));
	if (!store)
		return -ENOMEM;
	rc = kt_window_timeline(r, &win, &kt_cp_store_ops, store, err);
	if (rc) {
		kt_cp_store_free(store);
		return rc;
	}
	return kt_why_explain_store(r, sp, store, w, err);
}

void kt_why_release(struct kt_why *w)
{
	kt_tlf_names_release(&w->names);
	kt_cp_path_release(&w->path);
	kt_cp_store_free(w->store);
	w->store = NULL;
}
