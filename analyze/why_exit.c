// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_exit.c - how a process ended (see why.h, kt_why_exit): one pass
 * over the proc, signal, OOM and syscall records, keeping the process
 * asked about and its descendants, then the first failure of the chain.
 *
 * A process is of interest when it is the one asked about or its parent
 * is (the task table says who the parent is: the /proc snapshot, or the
 * fork).  Memory: one record per process of interest, the reaps and the
 * signals that concern them, and a verdict per pid seen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "why.h"
#include "names.h"
#include "analyze/map.h"
#include "analyze/vec.h"

#define NOT_MINE (~0ULL)        /* verdict: the pid is of no interest */

struct xctx {
	struct kt_why_exit *x;
	struct kt_map verdict;  /* pid -> index + 1 in procs, or NOT_MINE */
	size_t proccap, reapcap, sigcap;
	const struct kt_tasks *tasks;
};

static int add_proc(struct xctx *c, __u32 pid, __u32 ppid,
		    struct kt_why_proc **out)
{
	struct kt_why_exit *x = c->x;
	struct kt_why_proc *p;

	if (!KT_GROW(x->procs, x->nprocs, c->proccap))
		return -ENOMEM;
	if (kt_map_put_u64(&c->verdict, pid, x->nprocs + 1))
		return -ENOMEM;
	p = &x->procs[x->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	*out = p;
	return 0;
}

/* The record of @pid when it is of interest, else NULL (*@err set on
 * ENOMEM).  A pid not met before is of interest when its leader's
 * parent is. */
static struct kt_why_proc *mine(struct xctx *c, __u32 pid, int *err)
{
	const struct kt_task *t;
	struct kt_why_proc *p;
	__u64 v;

	*err = 0;
	if (!pid)
		return NULL;
	if (kt_map_get_u64(&c->verdict, pid, &v))
		return v == NOT_MINE ? NULL : &c->x->procs[v - 1];
	t = kt_tasks_find(c->tasks, pid);
	if (t && t->pid == pid && kt_map_get_u64(&c->verdict, t->ppid, &v) &&
	    v != NOT_MINE) {
		*err = add_proc(c, pid, t->ppid, &p);
		return *err ? NULL : p;
	}
	*err = kt_map_put_u64(&c->verdict, pid, NOT_MINE);
	return NULL;
}

/* "openat("/etc/x") = -ENOENT", "read(3) = -EAGAIN" */
static void fail_text(char *buf, size_t sz, const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	const char *name = kt_syscall_name(s->nr), *e, *str;
	char arg[KT_WHY_TEXT_MAX], nb[24];
	size_t n;

	if (!name) {
		snprintf(nb, sizeof(nb), "syscall_%u", s->nr);
		name = nb;
	}
	arg[0] = 0;
	switch (kt_syscall_args(s->nr)) {
	case KT_SYSARGS_OPENAT:
	case KT_SYSARGS_OPEN:
	case KT_SYSARGS_PATH:
	case KT_SYSARGS_RENAME:
		str = kt_event_str(ev, s->str, &n);
		snprintf(arg, sizeof(arg), "\"%.*s\"", (int)strnlen(str, n), str);
		break;
	case KT_SYSARGS_FD:
	case KT_SYSARGS_FD_BYTES:
	case KT_SYSARGS_SOCKADDR:
	case KT_SYSARGS_ACCEPT:
		snprintf(arg, sizeof(arg), "%lld", (long long)s->arg[0]);
		break;
	case KT_SYSARGS_KILL:
		snprintf(arg, sizeof(arg), "%lld, %s", (long long)s->arg[0],
			 kt_signal_name(s->arg[1]) ?: "?");
		break;
	case KT_SYSARGS_WAIT:
		snprintf(arg, sizeof(arg), "%lld", (long long)s->arg[0]);
		break;
	default:
		break;
	}
	e = kt_errno_ret_name(s->ret);
	if (e)
		snprintf(buf, sz, "%s(%s) = -%s", name, arg, e);
	else
		snprintf(buf, sz, "%s(%s) = %lld", name, arg, (long long)s->ret);
}

static int add_reap(struct xctx *c, __u64 ts, __u32 parent, __u32 child,
		    __u32 nr)
{
	struct kt_why_exit *x = c->x;
	int err;

	/* a reaped child is of interest even when its fork was not seen */
	if (!mine(c, child, &err) && !err) {
		struct kt_why_proc *p;

		kt_map_del(&c->verdict, child);
		err = add_proc(c, child, parent, &p);
	}
	if (err)
		return err;
	for (size_t i = 0; i < x->nreaps; i++)
		if (x->reaps[i].parent == parent && x->reaps[i].child == child) {
			/* waitid(WNOWAIT) then wait4: the last one reaped */
			x->reaps[i].ts = ts;
			x->reaps[i].nr = nr;
			return 0;
		}
	if (!KT_GROW(x->reaps, x->nreaps, c->reapcap))
		return -ENOMEM;
	x->reaps[x->nreaps++] = (struct kt_why_reap){
		.ts = ts, .parent = parent, .child = child, .nr = nr };
	return 0;
}

static int on_syscall(struct xctx *c, const struct kt_event *ev,
		      struct kt_why_proc *p)
{
	const struct kt_syscall *s = &ev->sys;

	if (s->ret < 0 && s->ret >= -4095) {
		struct kt_why_fail *f = &p->fails[p->nfails++ % KT_WHY_EXIT_FAILS];

		f->ts = ev->ts - (s->dur <= ev->ts ? s->dur : ev->ts);
		f->utid = ev->utid;
		f->tid = ev->tid;
		f->nr = s->nr;
		f->ret = s->ret;
		fail_text(f->text, sizeof(f->text), ev);
	}
	/* wait4 returns the child; waitid 0, its id argument names it (an
	 * id 0 is P_ALL: the child is not recorded) */
	if (s->nr == SYS_wait4 && s->ret > 0)
		return add_reap(c, ev->ts, p->pid, (__u32)s->ret, s->nr);
	if (s->nr == SYS_waitid && s->ret == 0 && s->arg[0] > 0 &&
	    s->arg[0] < 0xffffffffULL)
		return add_reap(c, ev->ts, p->pid, (__u32)s->arg[0], s->nr);
	return 0;
}

static int on_signal(struct xctx *c, const struct kt_event *ev)
{
	struct kt_why_exit *x = c->x;
	struct kt_why_sig *g;
	int err;
	bool by_kernel = kt_signal_by_kernel(ev->sig.code);

	if (!mine(c, ev->sig.target_pid, &err) &&
	    (err || by_kernel || ev->pid != x->pid))
		return err;
	if (!KT_GROW(x->sigs, x->nsigs, c->sigcap))
		return -ENOMEM;
	g = &x->sigs[x->nsigs++];
	g->ts = ev->ts;
	g->sender_utid = ev->utid;
	g->sender_tid = ev->tid;
	g->sender_pid = ev->pid;
	g->target_tid = ev->sig.target_tid;
	g->target_pid = ev->sig.target_pid;
	g->signo = ev->sig.signo;
	g->code = ev->sig.code;
	g->result = ev->sig.result;
	g->by_kernel = by_kernel;
	return 0;
}

static void on_oom(struct kt_why_proc *p, const struct kt_event *ev)
{
	const char *s;
	size_t n;

	p->oom = true;
	p->oom_ts = ev->ts;
	p->oom_killer_utid = ev->utid;
	p->oom_killer_tid = ev->tid;
	p->oom_anon_kb = ev->oom.anon_rss_kb;
	p->oom_file_kb = ev->oom.file_rss_kb;
	p->oom_shmem_kb = ev->oom.shmem_rss_kb;
	p->oom_vm_kb = ev->oom.total_vm_kb;
	p->oom_score_adj = ev->oom.oom_score_adj;
	s = kt_event_str(ev, ev->oom.memcg_str, &n);
	snprintf(p->memcg, sizeof(p->memcg), "%.*s", (int)strnlen(s, n), s);
}

static int on_event(struct xctx *c, const struct kt_event *ev)
{
	struct kt_why_proc *p, *q;
	const char *s;
	size_t n;
	int err;

	if (ev->kind == KT_SIGNAL_GEN)
		return on_signal(c, ev);
	p = mine(c, ev->kind == KT_OOM_VICTIM ? ev->oom.victim_pid : ev->pid,
		 &err);
	if (!p)
		return err;
	switch (ev->kind) {
	case KT_PROC_FORK:
		if (ev->fork.flags & KT_FORK_THREAD)
			return 0;
		kt_map_del(&c->verdict, ev->fork.child_pid);
		return add_proc(c, ev->fork.child_pid, p->pid, &q);
	case KT_PROC_EXEC:
		p->execd = true;
		p->exec_ts = ev->ts;
		s = kt_event_str(ev, ev->exec.filename_str, &n);
		snprintf(p->exe, sizeof(p->exe), "%.*s", (int)strnlen(s, n), s);
		return 0;
	case KT_PROC_EXIT:
		if (!(ev->exit.flags & KT_EXIT_GROUP))
			return 0;
		p->ended = true;
		p->end_ts = ev->ts;
		p->end_tid = ev->tid;
		p->end_utid = ev->utid;
		p->exit_code = ev->exit.exit_code;
		if (ev->tid == ev->pid)
			p->utid = ev->utid;
		return 0;
	case KT_SYSCALL:
		if (ev->tid == ev->pid && !p->utid)
			p->utid = ev->utid;
		return on_syscall(c, ev, p);
	case KT_OOM_VICTIM:
		on_oom(p, ev);
		return 0;
	}
	return 0;
}

/* ------------------------------------------------------ first failure */

static const struct kt_why_proc *proc_by_pid(const struct kt_why_exit *x,
					     __u32 pid, size_t *idx)
{
	for (size_t i = 0; i < x->nprocs; i++)
		if (x->procs[i].pid == pid) {
			if (idx)
				*idx = i;
			return &x->procs[i];
		}
	return NULL;
}

/* the generate event of the signal that killed @p: the last one for its
 * process with its termsig, at or before its end; -1 when none */
static long fatal_sig(const struct kt_why_exit *x, const struct kt_why_proc *p)
{
	unsigned sig = p->exit_code & 0x7f;
	long best = -1;

	if (!p->ended || !sig)
		return -1;
	for (size_t i = 0; i < x->nsigs; i++)
		if (x->sigs[i].target_pid == p->pid && x->sigs[i].signo == sig &&
		    x->sigs[i].ts <= p->end_ts)
			best = (long)i;
	return best;
}

/* Whether child @k's end is a failure for its parent @parent: it exited
 * non-zero, or a signal killed it that its parent did not send. */
static bool child_failed(const struct kt_why_exit *x,
			 const struct kt_why_proc *k, __u32 parent)
{
	long s;

	if (!k->ended)
		return false;
	if (k->exit_code & 0x7f) {
		s = fatal_sig(x, k);
		return s < 0 || x->sigs[s].by_kernel ||
		       x->sigs[s].sender_pid != parent;
	}
	return (k->exit_code >> 8) & 0xff;
}

/* The child of @p whose failure came first, among those it reaped
 * before its end; -1 when none failed. */
static long first_failed_child(const struct kt_why_exit *x,
			       const struct kt_why_proc *p)
{
	long best = -1;

	for (size_t i = 0; i < x->nreaps; i++) {
		const struct kt_why_reap *r = &x->reaps[i];
		const struct kt_why_proc *k;
		size_t ki;

		if (r->parent != p->pid || (p->ended && r->ts > p->end_ts) ||
		    !(k = proc_by_pid(x, r->child, &ki)) ||
		    !child_failed(x, k, p->pid))
			continue;
		if (best < 0 || k->end_ts < x->procs[best].end_ts)
			best = (long)ki;
	}
	return best;
}

/*
 * The first failure, from the process asked about down: a process killed
 * by a signal ends there (the signal is why, whatever failed before); one
 * that exited 0 did not fail (there is none); one that exited non-zero
 * goes on into the reaped child that failed first, if any, else its own
 * exit status is the failure.
 */
static void first_failure(struct kt_why_exit *x)
{
	size_t i = 0;

	x->nchain = 0;
	for (;;) {
		const struct kt_why_proc *p = &x->procs[i];
		long k;

		x->chain[x->nchain++] = i;
		x->first_proc = i;
		x->first_sig = -1;
		if (p->exit_code & 0x7f) {
			x->first_kind = KT_WHY_F_SIGNAL;
			x->first_sig = fatal_sig(x, p);
			return;
		}
		/* status 0: it did not fail, whatever its children did */
		if (!((p->exit_code >> 8) & 0xff)) {
			x->first_kind = KT_WHY_F_NONE;
			return;
		}
		k = first_failed_child(x, p);
		if (k >= 0 && x->nchain < sizeof(x->chain) / sizeof(x->chain[0])) {
			i = (size_t)k;
			continue;
		}
		x->first_kind = KT_WHY_F_EXIT;
		return;
	}
}

static bool reaped(const struct kt_why_exit *x, __u32 parent, __u32 child)
{
	for (size_t i = 0; i < x->nreaps; i++)
		if (x->reaps[i].parent == parent && x->reaps[i].child == child)
			return true;
	return false;
}

static int cmp_reap(const void *a, const void *b)
{
	const struct kt_why_reap *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

/* A child that ended before its parent without a wait4/waitid record
 * that returned it (no syscall records, a waitid(P_ALL), a record lost)
 * is taken as reaped by it at its end, marked so (nr 0). */
static int implied_reaps(struct xctx *c)
{
	struct kt_why_exit *x = c->x;
	size_t n = x->nprocs;

	for (size_t i = 1; i < n; i++) {
		const struct kt_why_proc *k = &x->procs[i], *p;
		struct kt_why_exit *w = c->x;

		p = proc_by_pid(x, k->ppid, NULL);
		if (!k->ended || !p || (p->ended && k->end_ts > p->end_ts) ||
		    reaped(x, k->ppid, k->pid))
			continue;
		if (!KT_GROW(w->reaps, w->nreaps, c->reapcap))
			return -ENOMEM;
		w->reaps[w->nreaps++] = (struct kt_why_reap){
			.ts = k->end_ts, .parent = k->ppid, .child = k->pid };
	}
	if (x->nreaps)
		qsort(x->reaps, x->nreaps, sizeof(*x->reaps), cmp_reap);
	return 0;
}

/* ------------------------------------------------------------- the pass */

/* the processes of interest in the task table at the start: the one
 * asked about and, generation by generation, its children */
static int seed_one(const struct kt_task *t, void *arg)
{
	struct xctx *c = arg;
	struct kt_why_proc *p;
	__u64 v;

	if (t->tid != t->pid || kt_map_get(&c->verdict, t->pid) ||
	    !kt_map_get_u64(&c->verdict, t->ppid, &v))
		return 0;
	return add_proc(c, t->pid, t->ppid, &p) ?: 1;
}

static int seed(struct xctx *c)
{
	int rc;

	/* each round adds at least one process, or ends */
	while ((rc = kt_tasks_foreach(c->tasks, seed_one, c)) == 1)
		;
	return rc;
}

int kt_why_exit(struct kt_reader *r, __u32 pid, struct kt_why_exit *x,
		struct kt_err *err)
{
	struct xctx c = { .x = x };
	const struct kt_event *ev;
	struct kt_why_proc *p;
	struct kt_info info;
	int rc;

	memset(x, 0, sizeof(*x));
	x->pid = pid;
	x->first_sig = -1;
	kt_map_init(&c.verdict, sizeof(__u64));
	kt_reader_info(r, &info);
	x->syscalls = info.kind_events[KT_SYSCALL] > 0;
	rc = add_proc(&c, pid, 0, &p);
	kt_reader_filter(r, KT_KIND_BIT(KT_PROC_FORK) |
			 KT_KIND_BIT(KT_PROC_EXEC) | KT_KIND_BIT(KT_PROC_EXIT) |
			 KT_KIND_BIT(KT_SYSCALL) | KT_KIND_BIT(KT_SIGNAL_GEN) |
			 KT_KIND_BIT(KT_OOM_VICTIM), 0, 0);
	if (!rc)
		rc = kt_reader_seek(r, info.first_ts, err);
	c.tasks = kt_reader_tasks(r);
	if (!rc)
		rc = seed(&c);
	while (!rc && (rc = kt_reader_next(r, &ev, err)) > 0) {
		c.tasks = kt_reader_tasks(r);
		rc = on_event(&c, ev);
	}
	kt_reader_filter(r, 0, 0, 0);
	x->tasks = kt_reader_tasks(r);
	if (!rc)
		rc = implied_reaps(&c);
	if (!rc && !x->procs[0].ended)
		rc = -ENOENT;
	for (size_t i = 0; !rc && i < x->nreaps; i++) {
		const struct kt_why_proc *k = proc_by_pid(x, x->reaps[i].child,
							  NULL);

		x->reaps[i].failed = k && child_failed(x, k, x->reaps[i].parent);
	}
	if (!rc) {
		const struct kt_task *t = kt_tasks_find(x->tasks, pid);

		if (t && t->pid == pid)
			x->procs[0].ppid = t->ppid;
		first_failure(x);
	}
	kt_map_release(&c.verdict);
	return rc;
}

void kt_why_exit_release(struct kt_why_exit *x)
{
	free(x->procs);
	free(x->reaps);
	free(x->sigs);
	x->procs = NULL;
	x->reaps = NULL;
	x->sigs = NULL;
	x->nprocs = x->nreaps = x->nsigs = 0;
}
