// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeline_spans.c - spans that outlive one event and are not a thread's
 * state: process lifetimes (fork or first sight to the group exit),
 * signals (generate to deliver) and TCP connections (first state change
 * to CLOSE).  Syscall and block spans come whole in one record and are
 * emitted by timeline.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "timeline_int.h"

#define TCP_ESTABLISHED 1
#define TCP_CLOSE 7

static void *lookup(struct kt_map *h, __u64 key)
{
	__u64 v;

	return kt_map_get_u64(h, key, &v) ? (void *)(uintptr_t)v : NULL;
}

static void *insert(struct kt_map *h, __u64 key, size_t size)
{
	void *p = calloc(1, size);

	if (p && kt_map_put_u64(h, key, (uintptr_t)p)) {
		free(p);
		p = NULL;
	}
	return p;
}

/* Emit and forget the entry under @key of @h (a span at offset 0). */
static int close_entry(struct kt_tl *tl, struct kt_map *h, __u64 key,
		       struct kt_tl_span *sp)
{
	int err = kt_tl_emit_span(tl, sp);

	kt_map_del(h, key);
	free(sp);
	return err;
}

/* ----------------------------------------------------------- processes */

static struct tl_proc *proc_new(struct kt_tl *tl, __u32 pid, __u32 utid,
				__u64 ts, int *err)
{
	struct tl_proc *p = insert(&tl->procs, pid, sizeof(*p));

	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->sp.kind = KT_SPAN_PROCESS;
	p->sp.start = p->sp.end = ts;
	p->sp.utid = utid;
	p->sp.tid = p->sp.pid = pid;
	return p;
}

static int on_proc_fork(struct kt_tl *tl, const struct kt_event *ev,
		   const struct kt_tasks *tasks)
{
	struct tl_proc *p;
	int err = 0;

	if ((ev->fork.flags & KT_FORK_THREAD) || !ev->fork.child_pid)
		return 0;
	p = lookup(&tl->procs, ev->fork.child_pid);
	if (p) {
		/* the pid was reused: its old process ended unseen */
		p->sp.flags |= KT_SPAN_F_OPEN_END;
		p->sp.end = ev->ts;
		err = close_entry(tl, &tl->procs, ev->fork.child_pid, &p->sp);
		if (err)
			return err;
	}
	p = proc_new(tl, ev->fork.child_pid,
		     kt_tl_utid_of(tasks, ev->fork.child_tid), ev->ts, &err);
	if (p) {
		p->sp.proc.forked = true;
		p->sp.proc.ppid = ev->pid;
		p->sp.proc.parent_utid = kt_tl_utid_of(tasks, ev->pid);
	}
	return err;
}

/* A process first seen through one of its threads began before. */
static int saw_pid(struct kt_tl *tl, __u32 pid, __u64 ts,
		   const struct kt_tasks *tasks)
{
	const struct kt_task *t;
	struct tl_proc *p;
	int err = 0;

	if (!pid || lookup(&tl->procs, pid))
		return 0;
	/* events of a process whose leader has exited (its other threads
	 * dying, their last switch-outs) do not start it again */
	t = tasks ? kt_tasks_find(tasks, pid) : NULL;
	if (t && t->end_ns && t->end_ns <= ts)
		return 0;
	p = proc_new(tl, pid, kt_tl_utid_of(tasks, pid), ts, &err);
	if (p) {
		p->sp.flags |= KT_SPAN_F_OPEN_START;
		if (t) {
			p->sp.proc.ppid = t->ppid;
			p->sp.proc.parent_utid = kt_tl_utid_of(tasks, t->ppid);
		}
	}
	return err;
}

static int on_proc_exit(struct kt_tl *tl, const struct kt_event *ev)
{
	struct tl_proc *p;

	if (!(ev->exit.flags & KT_EXIT_GROUP))
		return 0;
	p = lookup(&tl->procs, ev->pid);
	if (!p)
		return 0;
	p->sp.end = ev->ts;
	p->sp.proc.exited = true;
	p->sp.proc.exit_code = ev->exit.exit_code;
	p->sp.ev = ev;
	return close_entry(tl, &tl->procs, ev->pid, &p->sp);
}

/* ------------------------------------------------------------- signals */

static __u64 sig_key(__u32 pid, __u32 signo)
{
	return 1ULL << 63 | (__u64)pid << 8 | (signo & 0xff);
}

static int on_signal_gen(struct kt_tl *tl, const struct kt_event *ev,
			 const struct kt_tasks *tasks)
{
	__u64 key = sig_key(ev->sig.target_pid, ev->sig.signo);
	struct kt_tl_span sp;
	struct tl_sig *s;
	int err;

	memset(&sp, 0, sizeof(sp));
	sp.kind = KT_SPAN_SIGNAL;
	sp.start = sp.end = ev->ts;
	sp.tid = ev->sig.target_tid;
	sp.pid = ev->sig.target_pid;
	sp.utid = kt_tl_ident(tl, ev->sig.target_tid,
			      kt_tl_utid_of(tasks, ev->sig.target_tid));
	sp.sig.signo = ev->sig.signo;
	sp.sig.code = ev->sig.code;
	sp.sig.result = ev->sig.result;
	sp.sig.ctx = ev->sig.context;
	if (ev->sig.context == KT_CTX_TASK) {
		sp.sig.sender_tid = ev->tid;
		sp.sig.sender_pid = ev->pid;
		sp.sig.sender_utid = kt_tl_ident(tl, ev->tid, ev->utid ? ev->utid :
						 kt_tl_utid_of(tasks, ev->tid));
	}
	/* result 0 is TRACE_SIGNAL_DELIVERED (queued); anything else was
	 * ignored or already pending: nothing will be delivered for it */
	if (ev->sig.result != 0) {
		sp.ev = ev;
		return kt_tl_emit_span(tl, &sp);
	}
	s = lookup(&tl->sigs, key);
	if (s) {
		s->sp.flags |= KT_SPAN_F_OPEN_END;
		s->sp.end = ev->ts;
		err = close_entry(tl, &tl->sigs, key, &s->sp);
		if (err)
			return err;
	}
	s = insert(&tl->sigs, key, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->sp = sp;
	return 0;
}

static int on_signal_deliver(struct kt_tl *tl, const struct kt_event *ev,
			     const struct kt_tasks *tasks)
{
	__u64 key = sig_key(ev->pid, ev->sig.signo);
	struct tl_sig *s = lookup(&tl->sigs, key);
	struct kt_tl_span sp;

	if (s) {
		s->sp.end = ev->ts;
		s->sp.tid = ev->tid;
		s->sp.utid = kt_tl_ident(tl, ev->tid, ev->utid ? ev->utid :
					 kt_tl_utid_of(tasks, ev->tid));
		s->sp.sig.delivered = true;
		s->sp.ev = ev;
		return close_entry(tl, &tl->sigs, key, &s->sp);
	}
	memset(&sp, 0, sizeof(sp));
	sp.kind = KT_SPAN_SIGNAL;
	sp.flags = KT_SPAN_F_OPEN_START;
	sp.start = sp.end = ev->ts;
	sp.tid = ev->tid;
	sp.pid = ev->pid;
	sp.utid = kt_tl_ident(tl, ev->tid, ev->utid ? ev->utid :
			      kt_tl_utid_of(tasks, ev->tid));
	sp.sig.signo = ev->sig.signo;
	sp.sig.code = ev->sig.code;
	sp.sig.delivered = true;
	sp.ev = ev;
	return kt_tl_emit_span(tl, &sp);
}

/* ----------------------------------------------------------------- tcp */

/* A retransmission as a point span of the socket's owner, with the
 * connection as known so far and the listener's queue when recorded. */
static int retrans_span(struct kt_tl *tl, const struct kt_event *ev,
			const struct tl_tcp *c)
{
	struct kt_tl_span sp = c->sp;

	sp.kind = KT_SPAN_TCP_RETRANS;
	sp.start = sp.end = ev->ts;
	sp.flags = 0;
	sp.ev = ev;
	sp.tcp.last_state = ev->tcp.newstate;
	if (ev->tcp.sport && !sp.tcp.sport) {
		memcpy(sp.tcp.saddr, ev->tcp.saddr, sizeof(sp.tcp.saddr));
		sp.tcp.sport = ev->tcp.sport;
	}
	sp.tcp.acceptq_known = ev->tcp.flags & KT_TCP_ACCEPTQ;
	sp.tcp.acceptq = ev->tcp.acceptq;
	sp.tcp.acceptq_max = ev->tcp.acceptq_max;
	return kt_tl_emit_span(tl, &sp);
}

static int on_tcp(struct kt_tl *tl, const struct kt_event *ev,
		  const struct kt_tasks *tasks)
{
	struct tl_tcp *c = lookup(&tl->tcps, ev->tcp.sock);
	struct kt_tl_tcp *t;

	if (!ev->tcp.sock)
		return 0;
	if (!c) {
		if (ev->kind != KT_TCP_STATE)
			return 0;
		c = insert(&tl->tcps, ev->tcp.sock, sizeof(*c));
		if (!c)
			return -ENOMEM;
		c->sp.kind = KT_SPAN_TCP;
		c->sp.start = ev->ts;
		t = &c->sp.tcp;
		t->sock = ev->tcp.sock;
		memcpy(t->saddr, ev->tcp.saddr, sizeof(t->saddr));
		memcpy(t->daddr, ev->tcp.daddr, sizeof(t->daddr));
		t->family = ev->tcp.family;
		t->sport = ev->tcp.sport;
		t->dport = ev->tcp.dport;
		t->netns = ev->tcp.netns;
		t->first_state = ev->tcp.newstate;
		if (ev->tcp.oldstate != TCP_CLOSE)
			c->sp.flags |= KT_SPAN_F_OPEN_START;
	}
	t = &c->sp.tcp;
	/* the owner: the socket's, when the recorder says (format 1.1);
	 * else the thread that drove a change from task context (connect,
	 * listen, close); softirq changes name no one */
	if (!c->sp.tid && ev->tcp.owner_tid) {
		c->sp.tid = ev->tcp.owner_tid;
		c->sp.pid = ev->tcp.owner_pid;
		c->sp.utid = kt_tl_ident(tl, c->sp.tid,
					 kt_tl_utid_of(tasks, c->sp.tid));
	} else if (!c->sp.tid && ev->tcp.context == KT_CTX_TASK && ev->tid) {
		c->sp.tid = ev->tid;
		c->sp.pid = ev->pid;
		c->sp.utid = kt_tl_ident(tl, ev->tid, ev->utid ? ev->utid :
					 kt_tl_utid_of(tasks, ev->tid));
	}
	switch (ev->kind) {
	case KT_TCP_RETRANS:
		t->retrans++;
		return retrans_span(tl, ev, c);
	case KT_TCP_RESET:
		t->resets |= ev->tcp.flags;
		return 0;
	}
	/* ports and addresses are complete once the socket is bound */
	if (ev->tcp.sport && !t->sport) {
		memcpy(t->saddr, ev->tcp.saddr, sizeof(t->saddr));
		t->sport = ev->tcp.sport;
	}
	if (ev->tcp.newstate == TCP_ESTABLISHED)
		t->established = true;
	t->last_state = ev->tcp.oldstate;
	if (ev->tcp.newstate != TCP_CLOSE) {
		t->last_state = ev->tcp.newstate;
		return 0;
	}
	c->sp.end = ev->ts;
	c->sp.ev = ev;
	if (ev->tcp.flags & KT_TCP_BYTES) {     /* format 1.3 */
		t->bytes_known = true;
		t->tx_bytes = ev->tcp.tx_bytes;
		t->rx_bytes = ev->tcp.rx_bytes;
	}
	return close_entry(tl, &tl->tcps, ev->tcp.sock, &c->sp);
}

/* ------------------------------------------------------------- driving */

int kt_tl_spans_event(struct kt_tl *tl, const struct kt_event *ev,
		      const struct kt_tasks *tasks)
{
	int err = 0;

	switch (ev->kind) {
	case KT_PROC_FORK:
		err = saw_pid(tl, ev->pid, ev->ts, tasks);
		if (!err)
			err = on_proc_fork(tl, ev, tasks);
		return err;
	case KT_PROC_EXIT:
		err = saw_pid(tl, ev->pid, ev->ts, tasks);
		if (!err)
			err = on_proc_exit(tl, ev);
		return err;
	case KT_SIGNAL_GEN:
		return on_signal_gen(tl, ev, tasks);
	case KT_SIGNAL_DELIVER:
		err = saw_pid(tl, ev->pid, ev->ts, tasks);
		if (!err)
			err = on_signal_deliver(tl, ev, tasks);
		return err;
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		return on_tcp(tl, ev, tasks);
	case KT_SCHED_SWITCH:
		err = saw_pid(tl, ev->pid, ev->ts, tasks);
		if (!err)
			err = saw_pid(tl, ev->sw.next_pid, ev->ts, tasks);
		return err;
	case KT_SYSCALL:
	case KT_PROC_EXEC:
	case KT_PROC_COMM:
		return saw_pid(tl, ev->pid, ev->ts, tasks);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

/* Emit every entry of @h as open at @end, in key order, and empty it. */
static int finish_table(struct kt_tl *tl, struct kt_map *h, __u64 end)
{
	size_t n = h->n, j = 0;
	__u64 *keys;
	int err = 0;

	if (!n)
		return 0;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < h->cap; i++)
		if (kt_map_slot(h, i, &keys[j]))
			j++;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (j = 0; j < n && !err; j++) {
		struct kt_tl_span *sp = lookup(h, keys[j]);

		sp->end = end > sp->start ? end : sp->start;
		sp->flags |= KT_SPAN_F_OPEN_END;
		sp->ev = NULL;
		err = close_entry(tl, h, keys[j], sp);
	}
	free(keys);
	return err;
}

int kt_tl_spans_finish(struct kt_tl *tl, __u64 end)
{
	int err = finish_table(tl, &tl->procs, end);

	if (!err)
		err = finish_table(tl, &tl->sigs, end);
	if (!err)
		err = finish_table(tl, &tl->tcps, end);
	return err;
}

static void free_table(struct kt_map *h)
{
	const __u64 *v;

	for (size_t i = 0; i < h->cap; i++)
		if ((v = kt_map_slot(h, i, NULL)))
			free((void *)(uintptr_t)*v);
	kt_map_release(h);
}

void kt_tl_spans_free(struct kt_tl *tl)
{
	free_table(&tl->procs);
	free_table(&tl->sigs);
	free_table(&tl->tcps);
}
