// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_derived.c - the tables the SQLite export derives from the events:
 * thread_state (the timeline's intervals), tcp_connections and signals
 * (its spans), sched_slice (the switches, as Perfetto builds it),
 * thread_names (every name a thread had), process and thread (the task
 * table, with stable ids), lost (per cpu, family and cause), meta and
 * wall_clock (the metadata and the clock anchors).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"
#include "analyze/names.h"

/* ---------------------------------------------------------- thread_state */

/* Perfetto's state codes (RENDER-NOTES §5): Running, R, R+ (preempted),
 * D, S, T, X; "?" where the capture does not say. */
static const char *state_code(const struct kt_tl_interval *iv)
{
	switch (iv->state) {
	case KT_TL_RUNNING: return "Running";
	case KT_TL_RUNNABLE:
		return iv->wake.cause == KT_CAUSE_PREEMPT ? "R+" : "R";
	case KT_TL_BLOCKED: return "D";
	case KT_TL_SLEEPING: return "S";
	case KT_TL_STOPPED: return "T";
	case KT_TL_DEAD: return "X";
	default: return "?";
	}
}

/* the causes that name a waker thread */
static bool has_waker(const struct kt_tl_wake *w)
{
	return w->ts && (w->cause == KT_CAUSE_TASK ||
			 w->cause == KT_CAUSE_FORK ||
			 w->cause == KT_CAUSE_SELF);
}

static int on_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_sq *sq = arg;
	struct kt_sq_ins *i = &sq->tab[KT_SQ_THREAD_STATE];
	bool runnable = iv->state == KT_TL_RUNNABLE;
	bool wait = kt_tl_is_wait(iv->state);

	if (!kt_xsel_overlaps(&sq->sel, iv->start, iv->end) ||
	    !kt_xsel_pid(&sq->sel, iv->pid))
		return 0;
	kt_sq_null(i);
	kt_sq_int(i, (__s64)iv->start);
	kt_sq_int(i, (__s64)(iv->end - iv->start));
	kt_sq_int(i, iv->cpu);
	kt_sq_utid(i, iv->utid, iv->tid);
	kt_sq_int(i, iv->tid);
	kt_sq_int(i, iv->pid);
	kt_sq_cstr(i, state_code(iv));
	if (iv->state == KT_TL_BLOCKED)
		kt_sq_int(i, iv->wake.cause == KT_CAUSE_DISK);
	else
		kt_sq_null(i);
	if (runnable && has_waker(&iv->wake)) {
		kt_sq_utid(i, iv->wake.utid, iv->wake.tid);
		kt_sq_int(i, iv->wake.tid);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
	}
	if ((runnable || wait) && iv->wake.ts)
		kt_sq_int(i, iv->wake.ctx != KT_CTX_TASK);
	else
		kt_sq_null(i);
	kt_sq_cstr(i, kt_tl_state_name(iv->state));
	kt_sq_cstr(i, runnable || wait ? kt_tl_cause_name(iv->wake.cause) :
		   NULL);
	if (wait && iv->sys.nr != KT_TL_NOSYS)
		kt_sq_int(i, iv->sys.nr);
	else
		kt_sq_null(i);
	kt_sq_int(i, !!(iv->flags & KT_TL_F_FIRST));
	kt_sq_int(i, !!(iv->flags & KT_TL_F_OPEN));
	return kt_sq_row(sq, i);
}

/* ---------------------------------------------------------------- spans */

static int tcp_row(struct kt_sq *sq, const struct kt_tl_span *sp)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_TCP];
	const struct kt_tl_tcp *t = &sp->tcp;
	char sa[64], da[64];
	size_t sl, dl;

	sl = kt_fmt_ip(sa, sizeof(sa), t->family, t->saddr);
	dl = kt_fmt_ip(da, sizeof(da), t->family, t->daddr);
	kt_sq_int(i, (__s64)sq->span_id++);
	kt_sq_int(i, (__s64)sp->start);
	kt_sq_int(i, (__s64)(sp->end - sp->start));
	if (sp->utid || sp->tid) {
		kt_sq_utid(i, sp->utid, sp->tid);
		kt_sq_int(i, sp->tid);
		kt_sq_int(i, sp->pid);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
		kt_sq_null(i);
	}
	kt_sq_u64(i, t->sock);
	kt_sq_int(i, t->family);
	kt_sq_text(i, sa, sl);
	kt_sq_int(i, t->sport);
	kt_sq_text(i, da, dl);
	kt_sq_int(i, t->dport);
	kt_sq_int(i, t->netns);
	kt_sq_cstr(i, kt_tcp_state_name(t->first_state));
	kt_sq_cstr(i, kt_tcp_state_name(t->last_state));
	kt_sq_int(i, t->established);
	kt_sq_int(i, t->resets);
	kt_sq_int(i, t->retrans);
	kt_sq_int(i, !!(sp->flags & KT_SPAN_F_OPEN_START));
	kt_sq_int(i, !!(sp->flags & KT_SPAN_F_OPEN_END));
	if (t->bytes_known) {
		kt_sq_u64(i, t->tx_bytes);
		kt_sq_u64(i, t->rx_bytes);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
	}
	return kt_sq_row(sq, i);
}

static int signal_row(struct kt_sq *sq, const struct kt_tl_span *sp)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_SIGNALS];
	const struct kt_tl_signal *g = &sp->sig;

	kt_sq_int(i, (__s64)sq->span_id++);
	kt_sq_int(i, (__s64)sp->start);
	kt_sq_int(i, (__s64)(sp->end - sp->start));
	kt_sq_utid(i, sp->utid, sp->tid);
	kt_sq_int(i, sp->tid);
	kt_sq_int(i, sp->pid);
	kt_sq_int(i, g->signo);
	kt_sq_int(i, g->code);
	kt_sq_int(i, g->result);
	if (g->sender_tid) {    /* 0: the generate event was not seen */
		kt_sq_utid(i, g->sender_utid, g->sender_tid);
		kt_sq_int(i, g->sender_tid);
		kt_sq_int(i, g->sender_pid);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
		kt_sq_null(i);
	}
	kt_sq_int(i, kt_signal_by_kernel(g->code));
	kt_sq_int(i, g->ctx);
	kt_sq_int(i, g->delivered);
	return kt_sq_row(sq, i);
}

static int on_span(const struct kt_tl_span *sp, void *arg)
{
	struct kt_sq *sq = arg;

	if (!kt_xsel_overlaps(&sq->sel, sp->start, sp->end))
		return 0;
	switch (sp->kind) {
	case KT_SPAN_TCP:
		if (!kt_xsel_family(&sq->sel, KT_FAM_TCP) ||
		    (sq->sel.o.pid && sp->pid != sq->sel.o.pid))
			return 0;
		return tcp_row(sq, sp);
	case KT_SPAN_SIGNAL:
		if (!kt_xsel_family(&sq->sel, KT_FAM_SIGNAL) ||
		    (sq->sel.o.pid && sp->pid != sq->sel.o.pid &&
		     sp->sig.sender_pid != sq->sel.o.pid))
			return 0;
		return signal_row(sq, sp);
	default:
		/* syscalls and block requests are their ev_ rows; process
		 * lifetimes the process table */
		return 0;
	}
}

const struct kt_tl_ops kt_sq_tl_ops = {
	.interval = on_interval,
	.span = on_span,
};

/* ---------------------------------------------------------- sched_slice */

static int slice_row(struct kt_sq *sq, const struct kt_sq_cpu *c,
		     unsigned cpu, __u64 end, const char *end_state,
		     __s64 prio)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_SCHED_SLICE];

	if (end <= c->since || !kt_xsel_overlaps(&sq->sel, c->since, end) ||
	    !kt_xsel_pid(&sq->sel, c->pid))
		return 0;
	kt_sq_null(i);
	kt_sq_int(i, (__s64)c->since);
	kt_sq_int(i, (__s64)(end - c->since));
	kt_sq_int(i, cpu);
	kt_sq_utid(i, c->utid, c->tid);
	kt_sq_int(i, c->tid);
	kt_sq_int(i, c->pid);
	kt_sq_cstr(i, end_state);
	kt_sq_int(i, prio);
	return kt_sq_row(sq, i);
}

/* The end state of a slice, from the switch's prev_state: a preempted
 * task (R) is "R+" as in Perfetto, the others their letter. */
static const char *end_state(__u32 prev_state, char *buf)
{
	buf[0] = kt_task_state_letter(prev_state);
	buf[1] = (prev_state & KT_STATE_MASK) == KT_STATE_RUNNABLE ? '+' : 0;
	buf[2] = 0;
	return buf;
}

int kt_sq_sched(struct kt_sq *sq, const struct kt_event *ev)
{
	struct kt_sq_cpu *c;
	char st[4];
	int rc = 0;

	if (ev->cpu >= sq->ncpus) {
		size_t n = (size_t)ev->cpu + 1;
		struct kt_sq_cpu *p = realloc(sq->cpus, n * sizeof(*p));

		if (!p)
			return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
		memset(p + sq->ncpus, 0, (n - sq->ncpus) * sizeof(*p));
		sq->cpus = p;
		sq->ncpus = n;
	}
	c = &sq->cpus[ev->cpu];
	/* a slice is known from its switch-in to its switch-out on one cpu;
	 * a switch-out of another task than the one switched in (a lost
	 * switch) tells nothing of either */
	if (c->known && c->tid == ev->tid)
		rc = slice_row(sq, c, ev->cpu, ev->ts,
			       end_state(ev->sw.prev_state, st),
			       ev->sw.prev_prio);
	c->known = true;
	c->since = ev->ts;
	c->tid = ev->sw.next_tid;
	c->pid = ev->sw.next_pid;
	c->utid = kt_tl_utid_of(sq->tasks, ev->sw.next_tid);
	c->prio = ev->sw.next_prio;
	return rc;
}

/* the slices still running at the end of the reading: no end state */
int kt_sq_sched_finish(struct kt_sq *sq, __u64 end)
{
	int rc = 0;

	for (size_t cpu = 0; !rc && cpu < sq->ncpus; cpu++)
		if (sq->cpus[cpu].known)
			rc = slice_row(sq, &sq->cpus[cpu], (unsigned)cpu, end,
				       NULL, sq->cpus[cpu].prio);
	return rc;
}

/* --------------------------------------------------------- thread_names */

static int name_row(struct kt_sq *sq, __u32 utid, __u32 tid, __u64 ts,
		    const char *name, size_t n, const char *how)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_THREAD_NAMES];

	kt_sq_utid(i, utid, tid);
	kt_sq_int(i, tid);
	kt_sq_int(i, (__s64)ts);
	kt_sq_text(i, name, n);
	kt_sq_cstr(i, how);
	return kt_sq_row(sq, i);
}

struct start_ctx {
	struct kt_sq *sq;
	__u64 ts;
};

static int start_name(const struct kt_task *t, void *arg)
{
	struct start_ctx *c = arg;

	if (t->end_ns && t->end_ns < c->ts)
		return 0;
	if (!kt_xsel_pid(&c->sq->sel, t->pid))
		return 0;
	return name_row(c->sq, t->utid, t->tid, c->ts, t->comm,
			strlen(t->comm), "start");
}

int kt_sq_names_start(struct kt_sq *sq, __u64 ts)
{
	struct start_ctx c = { sq, ts };

	return kt_tasks_foreach(sq->tasks, start_name, &c);
}

int kt_sq_names(struct kt_sq *sq, const struct kt_event *ev)
{
	const char *how;
	__u32 h, tid = ev->tid, utid = ev->utid;
	size_t n;
	const char *s;

	switch (ev->kind) {
	case KT_PROC_FORK:
		h = ev->fork.child_comm_str;
		tid = ev->fork.child_tid;
		utid = kt_tl_utid_of(sq->tasks, tid);
		how = "fork";
		if (!kt_xsel_pid(&sq->sel, ev->fork.child_pid))
			return 0;
		break;
	case KT_PROC_EXEC:
		h = ev->exec.comm_str;
		how = "exec";
		break;
	case KT_PROC_COMM:
		h = ev->comm.comm_str;
		how = "comm";
		break;
	default:
		return 0;
	}
	if (!h || (ev->kind != KT_PROC_FORK && !kt_xsel_pid(&sq->sel, ev->pid)))
		return 0;
	s = kt_event_str(ev, h, &n);
	return name_row(sq, utid, tid, ev->ts, s, strnlen(s, n), how);
}

/* ------------------------------------------------------ process, thread */

struct task_ctx {
	struct kt_sq *sq;
	struct kt_map32 leader; /* pid -> utid of its latest leader so far */
	int rc;
};

static const char *opt_str(const char *s)
{
	return s && *s ? s : NULL;
}

/* @t's cmdline with its NULs as spaces, into sq->js */
static void cmdline(struct kt_sq *sq, const struct kt_task *t)
{
	struct kt_out *o = &sq->js;
	size_t n = t->cmdline_len;

	o->len = 0;
	while (n && !t->cmdline[n - 1])
		n--;
	for (size_t k = 0; k < n; k++)
		kt_out_ch(o, t->cmdline[k] ? t->cmdline[k] : ' ');
}

static int process_row(struct task_ctx *c, const struct kt_task *t,
		       __u32 upid)
{
	struct kt_sq_ins *i = &c->sq->tab[KT_SQ_PROCESS];
	__u32 parent;
	char st[64];

	kt_sq_int(i, upid);
	kt_sq_int(i, t->pid);
	kt_sq_cstr(i, t->comm);
	t->start_ns ? kt_sq_int(i, (__s64)t->start_ns) : kt_sq_null(i);
	t->end_ns ? kt_sq_int(i, (__s64)t->end_ns) : kt_sq_null(i);
	if (t->ppid && kt_map32_get(&c->leader, t->ppid, &parent))
		kt_sq_int(i, parent);
	else
		kt_sq_null(i);
	kt_sq_int(i, t->ppid);
	cmdline(c->sq, t);
	if (c->sq->js.err)
		return kt_sq_fail(c->sq, SQLITE_NOMEM, "out of memory");
	if (c->sq->js.len)
		kt_sq_text(i, c->sq->js.buf, c->sq->js.len);
	else
		kt_sq_null(i);
	kt_sq_cstr(i, opt_str(t->exe));
	kt_sq_cstr(i, opt_str(t->cgroup));
	if (t->end_ns) {
		kt_sq_int(i, t->exit_code);
		kt_fmt_exit(st, sizeof(st), t->exit_code);
		kt_sq_cstr(i, st);
	} else {
		kt_sq_null(i);
		kt_sq_null(i);
	}
	kt_sq_int(i, !!(t->flags & KT_TASK_KTHREAD));
	return kt_sq_row(c->sq, i);
}

static int thread_row(struct task_ctx *c, const struct kt_task *t,
		      __u32 upid)
{
	struct kt_sq_ins *i = &c->sq->tab[KT_SQ_THREAD];

	kt_sq_int(i, t->utid);
	kt_sq_int(i, t->tid);
	kt_sq_cstr(i, t->comm);
	t->start_ns ? kt_sq_int(i, (__s64)t->start_ns) : kt_sq_null(i);
	t->end_ns ? kt_sq_int(i, (__s64)t->end_ns) : kt_sq_null(i);
	kt_sq_int(i, upid);
	kt_sq_int(i, t->tid == t->pid);
	t->end_ns ? kt_sq_int(i, t->exit_code) : kt_sq_null(i);
	kt_sq_int(i, !!(t->flags & KT_TASK_KTHREAD));
	kt_sq_int(i, !!(t->flags & KT_TASK_SNAPSHOT));
	return kt_sq_row(c->sq, i);
}

/*
 * In utid order (kt_tasks_foreach), a process's leader comes before its
 * other threads, and a process that reuses a pid after it: so the upid
 * of a task is the utid of the latest leader of its pid seen so far (a
 * process whose leader the capture never met takes the utid of its
 * first thread seen).
 */
static int one_task(const struct kt_task *t, void *arg)
{
	struct task_ctx *c = arg;
	__u32 upid;
	bool known = kt_map32_get(&c->leader, t->pid, &upid);

	if (t->tid == t->pid || !known) {
		upid = t->utid;
		if (kt_map32_put(&c->leader, t->pid, upid))
			return kt_sq_fail(c->sq, SQLITE_NOMEM, "out of memory");
		c->rc = process_row(c, t, upid);
		if (c->rc)
			return c->rc;
	}
	c->rc = thread_row(c, t, upid);
	return c->rc;
}

int kt_sq_tasks(struct kt_sq *sq)
{
	struct task_ctx c = { .sq = sq };
	struct kt_sq_ins *p = &sq->tab[KT_SQ_PROCESS];
	struct kt_sq_ins *t = &sq->tab[KT_SQ_THREAD];
	int rc;

	/* the idle task, as Perfetto has it: utid 0, upid 0 */
	kt_sq_int(p, 0);
	kt_sq_int(p, 0);
	kt_sq_cstr(p, "swapper");
	for (int k = 0; k < 10; k++)
		k == 9 ? kt_sq_int(p, 1) : kt_sq_null(p);
	rc = kt_sq_row(sq, p);
	if (!rc) {
		kt_sq_int(t, 0);
		kt_sq_int(t, 0);
		kt_sq_cstr(t, "swapper");
		kt_sq_null(t);
		kt_sq_null(t);
		kt_sq_int(t, 0);
		kt_sq_int(t, 1);
		kt_sq_null(t);
		kt_sq_int(t, 1);
		kt_sq_int(t, 0);
		rc = kt_sq_row(sq, t);
	}
	if (!rc)
		rc = kt_tasks_foreach(sq->tasks, one_task, &c);
	kt_map32_release(&c.leader);
	return rc;
}

/* ------------------------------------------------------------------ lost */

int kt_sq_lost_note(struct kt_sq *sq, const struct kt_event *ev)
{
	struct kt_sq_lost *l = NULL;

	for (size_t k = 0; k < sq->nlost; k++)
		if (sq->lost[k].cpu == ev->cpu &&
		    sq->lost[k].family == ev->lost.family &&
		    sq->lost[k].cause == ev->lost.cause)
			l = &sq->lost[k];
	if (!l) {
		if (sq->nlost == sq->clost) {
			size_t n = sq->clost ? sq->clost * 2 : 16;
			struct kt_sq_lost *p;

			p = realloc(sq->lost, n * sizeof(*p));

			if (!p)
				return kt_sq_fail(sq, SQLITE_NOMEM,
						  "out of memory");
			sq->lost = p;
			sq->clost = n;
		}
		l = &sq->lost[sq->nlost++];
		memset(l, 0, sizeof(*l));
		l->cpu = ev->cpu;
		l->family = ev->lost.family;
		l->cause = ev->lost.cause;
		l->first = ev->ts;
	}
	l->count += ev->lost.count;
	l->records++;
	l->last = ev->ts;
	return 0;
}

static int lost_cmp(const void *a, const void *b)
{
	const struct kt_sq_lost *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return x->cause < y->cause ? -1 : x->cause > y->cause;
}

int kt_sq_lost(struct kt_sq *sq)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_LOST];
	int rc = 0;

	if (sq->nlost)
		qsort(sq->lost, sq->nlost, sizeof(*sq->lost), lost_cmp);
	for (size_t k = 0; !rc && k < sq->nlost; k++) {
		const struct kt_sq_lost *l = &sq->lost[k];

		kt_sq_int(i, l->cpu);
		kt_sq_cstr(i, kt_family_name(l->family));
		kt_sq_cstr(i, kt_lost_cause_name(l->cause));
		kt_sq_u64(i, l->count);
		kt_sq_u64(i, l->records);
		kt_sq_int(i, (__s64)l->first);
		kt_sq_int(i, (__s64)l->last);
		rc = kt_sq_row(sq, i);
	}
	return rc;
}
