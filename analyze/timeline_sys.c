// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeline_sys.c - handing intervals, spans and wakeups out, and holding
 * intervals until the syscall record around a wait arrives (docs/causal.md
 * "Syscall labels and held intervals"): a thread's intervals are held
 * from its first unlabeled wait on, in order, and its next syscall record
 * labels and releases them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "timeline_int.h"

/* ------------------------------------------------------------ delivery */

int kt_tl_emit_interval(struct kt_tl *tl, struct kt_tl_interval *iv)
{
	iv->flags &= ~TL_F_LABELED;
	tl->st.intervals++;
	return tl->ops.interval ? tl->ops.interval(iv, tl->arg) : 0;
}

int kt_tl_emit_span(struct kt_tl *tl, const struct kt_tl_span *sp)
{
	tl->st.spans++;
	return tl->ops.span ? tl->ops.span(sp, tl->arg) : 0;
}

int kt_tl_emit_wakeup(struct kt_tl *tl, const struct kt_tl_wakeup *wu)
{
	tl->st.wakeups++;
	return tl->ops.wakeup ? tl->ops.wakeup(wu, tl->arg) : 0;
}

struct kt_tl_interval *kt_tl_held_at(struct tl_thread *th, __u32 i)
{
	return &th->held[(th->held_head + i) % th->held_cap];
}

/* Release the oldest held interval; a wait still unlabeled then has an
 * unknown syscall. */
static int release_oldest(struct kt_tl *tl, struct tl_thread *th)
{
	struct kt_tl_interval *iv = kt_tl_held_at(th, 0);

	if (kt_tl_is_wait(iv->state) && !(iv->flags & TL_F_LABELED))
		iv->flags |= KT_TL_F_SYS_UNKNOWN;
	th->held_head = (th->held_head + 1) % th->held_cap;
	th->nheld--;
	return kt_tl_emit_interval(tl, iv);
}

/* Release from the front what no unlabeled wait holds back. */
static int release_ready(struct kt_tl *tl, struct tl_thread *th)
{
	int err = 0;

	while (th->nheld && !err) {
		const struct kt_tl_interval *iv = kt_tl_held_at(th, 0);

		if (kt_tl_is_wait(iv->state) && !(iv->flags & TL_F_LABELED))
			break;
		err = release_oldest(tl, th);
	}
	return err;
}

static int hold(struct kt_tl *tl, struct tl_thread *th,
		struct kt_tl_interval *iv)
{
	int err;

	if (th->nheld == th->held_cap) {
		if (th->held_cap < KT_TL_HOLD_MAX) {
			__u32 cap = th->held_cap ? th->held_cap * 2 : 8;
			struct kt_tl_interval *n = malloc(cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			for (__u32 i = 0; i < th->nheld; i++)
				n[i] = *kt_tl_held_at(th, i);
			free(th->held);
			th->held = n;
			th->held_cap = cap;
			th->held_head = 0;
		} else {
			/* the oldest wait goes out without its syscall; what
			 * followed it is no longer held back by it */
			tl->st.hold_overflows++;
			/* a thread whose syscalls are not recorded at all (the
			 * recorder's own, a --syscalls selection) is not held
			 * again once it has filled its buffer */
			if (!th->sys_seen)
				th->unrecorded = true;
			err = release_oldest(tl, th);
			if (!err)
				err = th->unrecorded ? kt_tl_release_all(tl, th) :
						       release_ready(tl, th);
			if (err)
				return err;
			if (!th->nheld && (!kt_tl_is_wait(iv->state) ||
					   (iv->flags & TL_F_LABELED)))
				return kt_tl_emit_interval(tl, iv);
		}
	}
	*kt_tl_held_at(th, th->nheld) = *iv;
	th->nheld++;
	if (th->nheld > tl->st.held_max)
		tl->st.held_max = th->nheld;
	return 0;
}

/* A closed interval: out at once, or held behind an unlabeled wait. */
int kt_tl_deliver(struct kt_tl *tl, struct tl_thread *th,
		   struct kt_tl_interval *iv)
{
	if (!tl->opts.syscalls || th->kthread || th->unrecorded) {
		/* kernel threads make no syscalls: their waits are in none */
		if (kt_tl_is_wait(iv->state) && !th->kthread)
			iv->flags |= KT_TL_F_SYS_UNKNOWN;
		return kt_tl_emit_interval(tl, iv);
	}
	if (!th->nheld && (!kt_tl_is_wait(iv->state) ||
			   (iv->flags & TL_F_LABELED)))
		return kt_tl_emit_interval(tl, iv);
	return hold(tl, th, iv);
}

int kt_tl_release_all(struct kt_tl *tl, struct tl_thread *th)
{
	int err = 0;

	while (th->nheld && !err)
		err = release_oldest(tl, th);
	return err;
}

int kt_tl_flush_wakes(struct kt_tl *tl, struct tl_thread *th)
{
	int err = 0;

	for (__u32 i = 0; i < th->nwakes && !err; i++) {
		th->wakes[i].waker_sys_unknown = true;
		err = kt_tl_emit_wakeup(tl, &th->wakes[i]);
	}
	th->nwakes = 0;
	return err;
}

int kt_tl_add_wake(struct tl_thread *th, const struct kt_tl_wakeup *wu)
{
	if (th->nwakes == th->wakes_cap) {
		__u32 cap = th->wakes_cap ? th->wakes_cap * 2 : 4;
		struct kt_tl_wakeup *n = realloc(th->wakes, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		th->wakes = n;
		th->wakes_cap = cap;
	}
	th->wakes[th->nwakes++] = *wu;
	return 0;
}

/* ------------------------------------------------------------- syscall */

static bool is_timed_wait(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		return s->ret == 0;
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2:
#endif
		return s->ret == 0;
	case SYS_connect:
		/* the SYN retransmit timer gave up (TCP_SYNCNT,
		 * TCP_USER_TIMEOUT): no packet ended the wait */
		return s->ret == -ETIMEDOUT;
	case SYS_futex:
	case SYS_rt_sigtimedwait:
	case SYS_semtimedop:
	case SYS_mq_timedreceive:
		return s->ret == -ETIMEDOUT || s->ret == -EAGAIN;
	}
	return false;
}

__u64 kt_tl_sys_file_id(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_readv: case SYS_writev: case SYS_sendto: case SYS_recvfrom:
	case SYS_sendmsg: case SYS_recvmsg: case SYS_sendfile: case SYS_splice:
	case SYS_close: case SYS_fsync: case SYS_fdatasync:
		return s->arg[2];
	}
	return 0;
}

static bool is_socket_wait(const struct kt_tl_sys *s)
{
	switch (s->nr) {
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_recvmmsg:
	case SYS_accept:
	case SYS_accept4:
	case SYS_connect:
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		return true;
	case SYS_read:
	case SYS_readv:
		return KT_FILE_ID_TYPE(s->arg[2]) == S_IFSOCK;
	}
	return false;
}

/* An interrupt wakeup of a wait in a known syscall: a timed wait that
 * timed out was ended by its timer; a socket wait in softirq by the
 * network. */
static void refine_cause(struct kt_tl_interval *iv, const struct kt_tl_sys *s)
{
	struct kt_tl_wake *w = &iv->wake;

	/* a block completion does not end a wait on a socket: the
	 * interrupt that came after one on that cpu was another device's
	 * (the network's, in softirq) */
	if (w->cause == KT_CAUSE_DISK && is_socket_wait(s)) {
		w->cause = KT_CAUSE_IRQ;
		memset(&iv->blk, 0, sizeof(iv->blk));
	}
	if (w->cause != KT_CAUSE_IRQ)
		return;
	if (is_timed_wait(s))
		w->cause = KT_CAUSE_TIMER;
	else if (w->ctx == KT_CTX_SOFTIRQ && is_socket_wait(s))
		w->cause = KT_CAUSE_NET;
}

void kt_tl_sys_from_event(struct kt_tl_sys *s, const struct kt_event *ev)
{
	s->nr = ev->sys.nr;
	s->flags = ev->sys.flags;
	s->end = ev->ts;
	s->start = ev->sys.dur <= ev->ts ? ev->ts - ev->sys.dur : 0;
	s->ret = ev->sys.ret;
	memcpy(s->arg, ev->sys.arg, sizeof(s->arg));
}

/* Label the held intervals with the syscall record @s of their thread and
 * release them: waits inside it were in it, earlier ones in none. */
int kt_tl_label_held(struct kt_tl *tl, struct tl_thread *th,
		      const struct kt_tl_sys *s)
{
	struct kt_tl_wake last = { 0 };
	int err = 0;

	for (__u32 i = 0; i < th->nheld; i++) {
		struct kt_tl_interval *iv = kt_tl_held_at(th, i);

		if (kt_tl_is_wait(iv->state) && !(iv->flags & TL_F_LABELED)) {
			if (iv->start >= s->start && iv->end <= s->end) {
				iv->sys = *s;
				refine_cause(iv, s);
			}
			iv->flags |= TL_F_LABELED;
			last = iv->wake;
		} else if (iv->state == KT_TL_RUNNABLE && last.ts &&
			   iv->wake.ts == last.ts) {
			iv->wake.cause = last.cause;
			if (last.cause != KT_CAUSE_DISK)
				memset(&iv->blk, 0, sizeof(iv->blk));
		}
	}
	err = kt_tl_release_all(tl, th);
	/* the open interval follows the last held one */
	if (!err && th->cur.state == KT_TL_RUNNABLE && last.ts &&
	    th->cur.wake.ts == last.ts) {
		th->cur.wake.cause = last.cause;
		if (last.cause != KT_CAUSE_DISK)
			memset(&th->cur.blk, 0, sizeof(th->cur.blk));
	}
	return err;
}

int kt_tl_label_wakes(struct kt_tl *tl, struct tl_thread *th,
		       const struct kt_tl_sys *s)
{
	int err = 0;

	for (__u32 i = 0; i < th->nwakes && !err; i++) {
		struct kt_tl_wakeup *wu = &th->wakes[i];

		if (wu->wake.ts >= s->start && wu->wake.ts <= s->end)
			wu->waker_sys = *s;
		err = kt_tl_emit_wakeup(tl, wu);
	}
	th->nwakes = 0;
	return err;
}

