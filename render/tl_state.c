// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tl_state.c - what the timeline draws a thread doing (render.h enum
 * kt_rstate), its palette, and the order of the lanes (render_int.h).
 *
 * A wait is told from what the timeline recorded of it, in this order:
 * its syscall (futex is a lock, wait4 a child, nanosleep a timer, fsync
 * the disk, epoll or poll idle), the type of the file its fd names (a
 * regular file or block device: disk; a pipe or socket: ipc, or the
 * network when a softirq ended it), then what ended it (a block
 * completion, a timer, the network).  Nothing else is guessed: the rest
 * is "waiting", its object not told.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "render_int.h"
#include "analyze/timeline.h"

static unsigned by_syscall(const struct kt_tl_interval *iv)
{
	switch (iv->sys.nr) {
	case SYS_futex: case SYS_semop: case SYS_semtimedop:
	case SYS_flock:
		return KT_RS_LOCK;
	case SYS_wait4: case SYS_waitid:
		return KT_RS_CHILD;
	case SYS_nanosleep: case SYS_clock_nanosleep:
		return KT_RS_TIMER;
	case SYS_fsync: case SYS_fdatasync: case SYS_sync: case SYS_syncfs:
	case SYS_sync_file_range: case SYS_msync:
		return KT_RS_DISK;
	case SYS_connect:
		return KT_RS_NET;
	}
	return kt_why_idle_syscall(iv->sys.nr) ? KT_RS_IDLE : KT_RS_NONE;
}

static unsigned by_file(const struct kt_tl_interval *iv)
{
	__u64 fid = kt_tl_sys_file_id(&iv->sys);

	if (!fid)
		return KT_RS_NONE;
	switch (KT_FILE_ID_TYPE(fid)) {
	case S_IFREG: case S_IFBLK:
		return KT_RS_DISK;
	case S_IFSOCK:
		return iv->wake.cause == KT_CAUSE_NET ? KT_RS_NET : KT_RS_IPC;
	case S_IFIFO:
		return KT_RS_IPC;
	}
	return KT_RS_NONE;
}

static unsigned by_cause(const struct kt_tl_interval *iv)
{
	switch (iv->wake.cause) {
	case KT_CAUSE_DISK: return KT_RS_DISK;
	case KT_CAUSE_TIMER: return KT_RS_TIMER;
	case KT_CAUSE_NET: return KT_RS_NET;
	}
	return KT_RS_NONE;
}

unsigned kt_rstate_of(const struct kt_tl_interval *iv)
{
	unsigned st;

	switch (iv->state) {
	case KT_TL_RUNNING: return KT_RS_RUNNING;
	case KT_TL_RUNNABLE: return KT_RS_RUNNABLE;
	case KT_TL_UNKNOWN: return KT_RS_UNKNOWN;
	case KT_TL_DEAD: return KT_RS_NONE;
	case KT_TL_STOPPED: return KT_RS_STOPPED;
	}
	if (iv->sys.nr != KT_TL_NOSYS) {
		if ((st = by_syscall(iv)) != KT_RS_NONE)
			return st;
		if ((st = by_file(iv)) != KT_RS_NONE)
			return st;
	}
	if ((st = by_cause(iv)) != KT_RS_NONE)
		return st;
	/* a kernel thread sleeping outside any syscall: its main loop */
	if (iv->state == KT_TL_SLEEPING && (iv->flags & KT_TL_F_KTHREAD) &&
	    iv->sys.nr == KT_TL_NOSYS)
		return KT_RS_IDLE;
	return KT_RS_WAIT;
}

/* ../shared/RENDER-NOTES.md 1: Perfetto's running and runnable, the
 * recommended disk and lock fills (distinct under colour blindness),
 * Trace Compass's network and timer; the height is the second cue */
static const struct {
	const char *name, *role;
	__u32 color;
	float hfrac;
} states[KT_RS_N] = {
	[KT_RS_NONE] = { "none", "state:none", 0xffffff, 0 },
	[KT_RS_RUNNING] = { "running", "state:running", 0x317d31, 1 },
	[KT_RS_RUNNABLE] = { "runnable", "state:runnable", 0x99ba36, 1 },
	[KT_RS_DISK] = { "disk", "state:disk", 0xff7300, 0.5f },
	[KT_RS_LOCK] = { "lock", "state:lock", 0x8e3b73, 0.5f },
	[KT_RS_NET] = { "network", "state:network", 0xff9bff, 0.5f },
	[KT_RS_IPC] = { "pipe or socket", "state:ipc", 0x17a2b8, 0.5f },
	[KT_RS_TIMER] = { "timer", "state:timer", 0x336699, 0.5f },
	[KT_RS_CHILD] = { "child", "state:child", 0xa0785a, 0.5f },
	[KT_RS_WAIT] = { "waiting", "state:waiting", 0x9e9e9e, 0.3f },
	[KT_RS_IDLE] = { "idle", "state:idle", 0xcfcfcf, 0.15f },
	[KT_RS_STOPPED] = { "stopped", "state:stopped", 0x4051b5, 0.5f },
	[KT_RS_UNKNOWN] = { "unknown", "state:unknown", 0xf7efda, 0.35f },
};

float kt_rstate_hfrac(unsigned st)
{
	return st < KT_RS_N ? states[st].hfrac : 0;
}

const char *kt_rstate_role(unsigned st)
{
	return st < KT_RS_N ? states[st].role : "state:?";
}

const char *kt_rstate_name(unsigned st)
{
	return st < KT_RS_N ? states[st].name : "?";
}

__u32 kt_rstate_color(unsigned st)
{
	return st < KT_RS_N ? states[st].color : 0;
}

bool kt_rstate_busy(unsigned st)
{
	switch (st) {
	case KT_RS_RUNNING: case KT_RS_RUNNABLE: case KT_RS_DISK:
	case KT_RS_LOCK: case KT_RS_NET: case KT_RS_IPC:
		return true;
	}
	return false;
}

/* ---------------------------------------------------------- lane order */

static __u64 choice_rank(const struct kt_rlane *l)
{
	if (l->culprit)
		return 0;
	return l->hop >= 0 ? 1 + (__u64)l->hop : ~0ULL;
}

static int cmp_choice(const void *a, const void *b)
{
	const struct kt_rlane *x = a, *y = b;
	__u64 rx = choice_rank(x), ry = choice_rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->busy != y->busy)
		return x->busy > y->busy ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->utid < y->utid ? -1 : x->utid > y->utid;
}

/* drawn lanes: by their process's first choice, then their own */
struct placed {
	size_t group, pos;
	struct kt_rlane l;
};

static int cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

size_t kt_rlane_order(struct kt_rlane *l, size_t n, size_t max)
{
	size_t shown = n < max ? n : max;
	struct placed *p;

	if (!n)
		return 0;
	qsort(l, n, sizeof(*l), cmp_choice);
	p = calloc(shown, sizeof(*p));
	if (!p)                 /* choice order is still a valid order */
		return shown;
	for (size_t i = 0; i < shown; i++) {
		size_t g = i;

		for (size_t j = 0; j < i; j++)
			if (l[j].pid == l[i].pid) {
				g = p[j].group;
				break;
			}
		p[i].group = g;
		p[i].pos = i;
		p[i].l = l[i];
	}
	qsort(p, shown, sizeof(*p), cmp_placed);
	for (size_t i = 0; i < shown; i++)
		l[i] = p[i].l;
	free(p);
	return shown;
}
