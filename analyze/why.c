// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why.c - picking the span and building its window (see why.h).
 */
#include <errno.h>
#include <string.h>
#include "why.h"
#include "window.h"

static bool better(const struct kt_why_span *cand, const struct kt_why_span *best,
		   bool have)
{
	__u64 c = cand->end - cand->start, b = best->end - best->start;

	/* the longest; ties go to the earliest, so the answer is stable */
	return !have || c > b || (c == b && cand->start < best->start);
}

static bool wanted(const struct kt_why_opts *o, __u64 start, __u64 end)
{
	return !o->at_set || (start <= o->at && o->at < end) ||
	       (start == end && start == o->at);
}

/* Pass 1 with syscall records: only this process's syscalls are read.
 * A syscall that began before the capture is only partly observed: it is
 * picked only when nothing else matches (@partial set). */
static int pick_syscall(struct kt_reader *r, const struct kt_why_opts *o,
			struct kt_why_span *sp, bool *found,
			struct kt_err *err)
{
	struct kt_why_span partial;
	bool have_partial = false;
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
		if (!wanted(o, c.start, c.end) || c.end == c.start)
			continue;
		c.utid = ev->utid;
		c.tid = ev->tid;
		c.pid = ev->pid;
		c.is_syscall = true;
		c.open = ev->sys.flags & KT_SYSCALL_UNFINISHED;
		c.sys.nr = ev->sys.nr;
		c.sys.flags = ev->sys.flags;
		c.sys.start = c.start;
		c.sys.end = c.end;
		c.sys.ret = ev->sys.ret;
		memcpy(c.sys.arg, ev->sys.arg, sizeof(c.sys.arg));
		if (c.start < info.first_ts) {
			if (better(&c, &partial, have_partial)) {
				partial = c;
				have_partial = true;
			}
		} else if (better(&c, sp, *found)) {
			*sp = c;
			*found = true;
		}
	}
	kt_reader_filter(r, 0, 0, 0);
	if (!*found && have_partial) {
		*sp = partial;
		*found = true;
	}
	return rc < 0 ? rc : 0;
}

struct wait_pick {
	const struct kt_why_opts *o;
	struct kt_why_span *sp;
	bool found;
};

static int on_wait(const struct kt_tl_interval *iv, void *arg)
{
	struct wait_pick *p = arg;
	struct kt_why_span c;

	if (!kt_tl_is_wait(iv->state) || iv->pid != p->o->pid ||
	    (p->o->tid && iv->tid != p->o->tid) ||
	    (p->o->sys_nr >= 0 && iv->sys.nr != (__u32)p->o->sys_nr) ||
	    !wanted(p->o, iv->start, iv->end))
		return 0;
	memset(&c, 0, sizeof(c));
	c.start = iv->start;
	c.end = iv->end;
	c.utid = iv->utid;
	c.tid = iv->tid;
	c.pid = iv->pid;
	c.sys = iv->sys;
	c.state = iv->state;
	c.open = iv->flags & KT_TL_F_OPEN;
	if (better(&c, p->sp, p->found)) {
		*p->sp = c;
		p->found = true;
	}
	return 0;
}

/* Pass 1 without a matching syscall: the wait intervals of a timeline
 * from --at (or the start) to the end of the capture. */
static int pick_wait(struct kt_reader *r, const struct kt_why_opts *o,
		     struct kt_why_span *sp, bool *found, struct kt_err *err)
{
	static const struct kt_tl_ops ops = { .interval = on_wait };
	struct wait_pick p = { .o = o, .sp = sp };
	struct kt_window w;
	struct kt_info info;
	int rc;

	kt_reader_info(r, &info);
	w.from = o->at_set ? o->at : info.first_ts;
	w.to = info.last_ts;
	rc = kt_window_timeline(r, &w, &ops, &p, err);
	*found = p.found;
	return rc;
}

int kt_why_pick(struct kt_reader *r, const struct kt_why_opts *o,
		struct kt_why_span *sp, struct kt_err *err)
{
	struct kt_info info;
	bool found = false;
	int rc = 0;

	memset(sp, 0, sizeof(*sp));
	kt_reader_info(r, &info);
	if (info.kind_events[KT_SYSCALL])
		rc = pick_syscall(r, o, sp, &found, err);
	if (!rc && !found)
		rc = pick_wait(r, o, sp, &found, err);
	if (!rc && !found)
		rc = -ENOENT;
	return rc;
}

int kt_why_explain(struct kt_reader *r, const struct kt_why_span *sp,
		   struct kt_why *w, struct kt_err *err)
{
	struct kt_window win = { .from = sp->start, .to = sp->end };
	int rc;

	memset(w, 0, sizeof(*w));
	w->span = *sp;
	w->store = kt_cp_store_new(sp->start, sp->end);
	if (!w->store)
		return -ENOMEM;
	rc = kt_window_timeline(r, &win, &kt_cp_store_ops, w->store, err);
	if (!rc)
		rc = kt_cp_store_seal(w->store);
	if (!rc)
		rc = kt_cp_compute(w->store, sp->utid, sp->tid, sp->start,
				   sp->end, &w->path);
	w->tasks = kt_reader_tasks(r);
	if (!rc)
		rc = kt_why_names(w, r, err);
	if (rc)
		kt_why_release(w);
	return rc;
}

void kt_why_release(struct kt_why *w)
{
	kt_tlf_names_release(&w->names);
	kt_cp_path_release(&w->path);
	kt_cp_store_free(w->store);
	w->store = NULL;
}
