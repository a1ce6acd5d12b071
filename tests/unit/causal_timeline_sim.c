// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Seeded random scheduler simulations: a model of two cpus and a handful
 * of threads that preempt, sleep in and out of syscalls, wake each other,
 * get woken by interrupts (some right after a block completion) and exit.
 * The model writes the events a recorder would and, independently, the
 * intervals that are true; the timeline must reproduce them exactly, and
 * tile every thread's life.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"

#define NTHR 6
#define NCPU 2
#define MAXIV 4096

enum { M_NONE, M_RUN, M_RQ, M_WAIT, M_DEAD };

struct tiv {
	__u64 s, e;
	__u8 state, flags, cause;
	__u16 cpu;
	__u32 nr;
	int sys_id;            /* waits: the syscall it is in, -1 none */
	int resolved;
};

struct mthr {
	int m;                 /* M_* */
	int in_sys, sys_id;
	__u64 sys_start, run_start, last_rec;
	int exiting;
	struct tiv iv[MAXIV];
	int niv;
};

struct sim {
	__u64 rng, t;
	struct cs s;
	struct mthr th[NTHR + 1];
	__u32 cur[NCPU];
	__u64 blk_ts[NCPU];
	__u64 blk_done[16];     /* the newest completions, any cpu: a ring */
	__u32 blk_issuer[16];
	int nblk;
	int next_sys_id;
};

static __u64 rnd(struct sim *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return m->rng;
}

static struct tiv *open_iv(struct mthr *h)
{
	return h->niv ? &h->iv[h->niv - 1] : NULL;
}

/* truth: the thread enters @state at @t */
static void truth(struct sim *m, __u32 tid, __u8 state, __u16 cpu,
		  __u8 cause)
{
	struct mthr *h = &m->th[tid];
	struct tiv *o = open_iv(h), *n;
	__u8 first = 0;

	if (o && o->s == m->t) {         /* zero-length: replaced */
		first = o->flags & KT_TL_F_FIRST;
		h->niv--;
	} else if (o) {
		o->e = m->t;
	} else {
		first = KT_TL_F_FIRST;
	}
	if (h->niv == MAXIV)
		abort();
	n = &h->iv[h->niv++];
	memset(n, 0, sizeof(*n));
	n->s = m->t;
	n->state = state;
	n->cpu = cpu;
	n->cause = cause;
	n->flags = first | (h->exiting ? KT_TL_F_EXITING : 0);
	n->nr = KT_TL_NOSYS;
	n->sys_id = -1;
}

static __u32 pick(struct sim *m, int state)
{
	__u32 c[NTHR], n = 0;

	for (__u32 i = 1; i <= NTHR; i++)
		if (m->th[i].m == state)
			c[n++] = i;
	return n ? c[rnd(m) % n] : 0;
}

/* switch on @cpu from its current thread (to @prev_state) to a random
 * runnable one or idle */
static void sim_switch(struct sim *m, unsigned cpu, __u32 prev_state)
{
	__u32 prev = m->cur[cpu], next = pick(m, M_RQ);
	struct mthr *h = &m->th[prev];

	cs_switch(&m->s, m->t, cpu, prev, prev_state, next);
	if (prev) {
		switch (prev_state) {
		case KT_STATE_RUNNABLE:
			h->m = M_RQ;
			truth(m, prev, KT_TL_RUNNABLE, cpu, KT_CAUSE_PREEMPT);
			break;
		case KT_STATE_DEAD:
			h->m = M_DEAD;
			truth(m, prev, KT_TL_DEAD, cpu, 0);
			break;
		default:
			h->m = M_WAIT;
			truth(m, prev, prev_state == KT_STATE_DISK ?
			      KT_TL_BLOCKED : KT_TL_SLEEPING, cpu, 0);
			open_iv(h)->sys_id = h->in_sys ? h->sys_id : -1;
		}
	}
	if (next) {
		struct mthr *n = &m->th[next];

		open_iv(n)->cpu = cpu;  /* runnable: the cpu it waited for */
		n->m = M_RUN;
		n->run_start = m->t;
		truth(m, next, KT_TL_RUNNING, cpu, 0);
	}
	m->cur[cpu] = next;
}

static void sim_wake(struct sim *m, unsigned cpu, __u32 waker, __u32 target,
		     unsigned ctx)
{
	struct mthr *h = &m->th[target];
	__u8 cause = KT_CAUSE_TASK;

	if (ctx != KT_CTX_TASK)
		cause = m->blk_ts[cpu] && m->t - m->blk_ts[cpu] <= KT_TL_DISK_WAKE_NS ?
			KT_CAUSE_DISK : KT_CAUSE_IRQ;
	/* or a request of its own, completed on another cpu just before */
	for (int i = 0; ctx != KT_CTX_TASK && cause == KT_CAUSE_IRQ && i < 16; i++) {
		int k = (m->nblk - 1 - i + 16) % 16;

		if (i >= m->nblk || m->t - m->blk_done[k] > KT_TL_DISK_WAKE_NS)
			break;
		if (m->blk_issuer[k] == target)
			cause = KT_CAUSE_DISK;
	}
	cs_wake(&m->s, m->t, cpu, waker, target, ctx);
	if (h->m == M_WAIT)
		open_iv(h)->cause = cause;
	h->m = M_RQ;
	truth(m, target, KT_TL_RUNNABLE, cpu, cause);
}

/* a syscall record of running @tid: settles every unsettled wait */
static void sim_record(struct sim *m, unsigned cpu, __u32 tid)
{
	struct mthr *h = &m->th[tid];
	__u64 lo = h->run_start > h->last_rec ? h->run_start : h->last_rec;
	__u32 nr = rnd(m) % 2 ? SYS_read : SYS_futex;
	int id = -2;

	if (!h->in_sys)          /* a short one that did not block */
		h->sys_start = lo + rnd(m) % (m->t - lo + 1);
	else
		id = h->sys_id;
	cs_sys(&m->s, m->t, cpu, tid, nr, m->t - h->sys_start, 0, 3, 0, 0);
	for (int i = 0; i < h->niv; i++) {
		struct tiv *v = &h->iv[i];

		if (v->resolved || !kt_tl_is_wait(v->state) || v->e == 0)
			continue;
		v->resolved = 1;
		if (v->sys_id == id)
			v->nr = nr;
	}
	h->in_sys = 0;
	h->last_rec = m->t;
}

static void sim_step(struct sim *m)
{
	unsigned cpu = rnd(m) % NCPU;
	__u32 cur = m->cur[cpu], w;
	struct mthr *h = &m->th[cur];
	__u64 r = rnd(m) % 100;

	m->t += 1 + rnd(m) % 300;
	if (rnd(m) % 100 < 15) {          /* an interrupt wakes someone */
		w = pick(m, M_WAIT);
		if (!w || rnd(m) % 4 == 0)
			w = pick(m, M_NONE);
		if (!w)
			return;
		if (rnd(m) % 5 < 2) {
			__u32 issuer = 1 + rnd(m) % NTHR;

			cs_blk(&m->s, m->t, cpu, issuer, 8 << 20,
			       rnd(m) % 100000, 4096, 1000);
			m->blk_done[m->nblk % 16] = m->t;
			m->blk_issuer[m->nblk % 16] = issuer;
			m->nblk++;
			m->blk_ts[cpu] = m->t++;
			cpu = rnd(m) % NCPU;    /* woken here or elsewhere */
		}
		sim_wake(m, cpu, cur, w, KT_CTX_HARDIRQ);
		return;
	}
	if (!cur) {
		if (pick(m, M_RQ))
			sim_switch(m, cpu, 0);
		return;
	}
	if (r < 15) {
		sim_switch(m, cpu, KT_STATE_RUNNABLE);
	} else if (r < 40) {
		if (!h->in_sys && rnd(m) % 5) {
			__u64 lo = h->run_start > h->last_rec ?
				   h->run_start : h->last_rec;

			h->in_sys = 1;
			h->sys_id = ++m->next_sys_id;
			h->sys_start = lo + rnd(m) % (m->t - lo + 1);
		}
		sim_switch(m, cpu, rnd(m) % 3 ? KT_STATE_SLEEPING :
						KT_STATE_DISK);
	} else if (r < 60) {
		w = pick(m, M_WAIT);
		if (w)
			sim_wake(m, cpu, cur, w, KT_CTX_TASK);
	} else if (r < 85) {
		sim_record(m, cpu, cur);
	} else if (r < 87) {
		int alive = 0;

		for (int i = 1; i <= NTHR; i++)
			alive += m->th[i].m != M_DEAD && m->th[i].m != M_NONE;
		if (alive <= 3)
			return;
		cs_exit(&m->s, m->t, cpu, cur, 0, 0);
		h->exiting = 1;
		open_iv(h)->flags |= KT_TL_F_EXITING;
		m->t++;
		sim_switch(m, cpu, KT_STATE_DEAD);
	}
}

/* close the truth at the end of the observation */
static void sim_end(struct sim *m, __u64 end)
{
	for (int i = 1; i <= NTHR; i++) {
		struct mthr *h = &m->th[i];
		struct tiv *o = open_iv(h);

		if (!o)
			continue;
		o->e = end;
		o->flags |= KT_TL_F_OPEN;
		for (int j = 0; j < h->niv; j++)
			if (kt_tl_is_wait(h->iv[j].state) && !h->iv[j].resolved)
				h->iv[j].flags |= KT_TL_F_SYS_UNKNOWN;
	}
}

static int compare(struct sim *m, const struct tl_out *out, char *why,
		   size_t whysz)
{
	int idx[NTHR + 1] = { 0 };

	for (size_t i = 0; i < out->niv; i++) {
		const struct kt_tl_interval *g = &out->iv[i];
		struct mthr *h = &m->th[g->tid];
		const struct tiv *w;

		if (g->tid < 1 || g->tid > NTHR || idx[g->tid] >= h->niv) {
			snprintf(why, whysz, "unexpected interval of tid %u at %llu",
				 g->tid, (unsigned long long)g->start);
			return -1;
		}
		w = &h->iv[idx[g->tid]++];
		if (g->start != w->s || g->end != w->e || g->state != w->state ||
		    g->cpu != w->cpu || g->flags != w->flags ||
		    ((g->state == KT_TL_RUNNABLE || kt_tl_is_wait(g->state)) &&
		     g->wake.cause != w->cause) ||
		    (kt_tl_is_wait(g->state) && g->sys.nr != w->nr)) {
			snprintf(why, whysz,
				 "tid %u interval %d: got %s [%llu,%llu) cpu %u flags %#x cause %s nr %d, "
				 "want %s [%llu,%llu) cpu %u flags %#x cause %s nr %d",
				 g->tid, idx[g->tid] - 1, kt_tl_state_name(g->state),
				 (unsigned long long)g->start, (unsigned long long)g->end,
				 g->cpu, g->flags, kt_tl_cause_name(g->wake.cause),
				 (int)g->sys.nr, kt_tl_state_name(w->state),
				 (unsigned long long)w->s, (unsigned long long)w->e,
				 w->cpu, w->flags, kt_tl_cause_name(w->cause), (int)w->nr);
			return -1;
		}
	}
	for (int i = 1; i <= NTHR; i++) {
		if (idx[i] != m->th[i].niv) {
			snprintf(why, whysz, "tid %d: %d intervals, want %d", i,
				 idx[i], m->th[i].niv);
			return -1;
		}
	}
	return 0;
}

KT_TEST(causal_timeline_random_truth)
{
	for (__u64 seed = 1; seed <= 40; seed++) {
		struct kt_tl_opts o = { .syscalls = true };
		struct sim *m = calloc(1, sizeof(*m));
		struct tl_out out;
		char why[400];
		size_t wakes = 0;
		int rc;

		KT_ASSERT(m, "out of memory");
		m->rng = seed * 0x9e3779b97f4a7c15ULL;
		m->t = 1000;
		cs_init(&m->s);
		for (int i = 1; i <= NTHR; i++)
			cs_task(&m->s, i, i <= 3 ? 1 : i, "sim");
		for (int i = 0; i < 3000; i++)
			sim_step(m);
		o.end_ts = m->t + 1000;
		sim_end(m, o.end_ts);
		KT_ASSERT(!cs_timeline(&m->s, &o, &out), "seed %llu: timeline failed",
			  (unsigned long long)seed);
		rc = tl_check_tiling(&out, why, sizeof(why));
		if (!rc)
			rc = compare(m, &out, why, sizeof(why));
		for (size_t i = 0; i < m->s.n; i++)
			wakes += m->s.ev[i].kind == KT_SCHED_WAKING;
		if (!rc && out.nwu != wakes) {
			snprintf(why, sizeof(why), "%zu wakeup records for %zu wakings",
				 out.nwu, wakes);
			rc = -1;
		}
		tl_out_release(&out);
		cs_release(&m->s);
		free(m);
		KT_ASSERT(!rc, "seed %llu: %s", (unsigned long long)seed, why);
	}
	return KT_PASS;
}

/* ------------------------------------------------ what a capture misses */

/*
 * The same simulations, recorded as a scoped recording would (threads 5
 * and 6 out of scope: a switch between two of them, or with the idle
 * task, is not recorded, nor their syscalls and exits, nor a waking where
 * neither side is in scope), and with some switches lost on top.  Then:
 *  - threads in scope get exactly their true intervals (without loss);
 *  - no interval of any thread claims a state the truth contradicts:
 *    running on a cpu when it was not running there, a wait that had not
 *    begun; a wait whose end was not recorded is claimed only at its start;
 *  - no two threads are running on one cpu at once.
 */
#define SIM_IN_SCOPE(tid) ((tid) >= 1 && (tid) <= 4)

static bool sim_keep(const struct kt_event *ev, __u64 *rng, unsigned drop_pct)
{
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		if (drop_pct) {
			*rng ^= *rng << 13;
			*rng ^= *rng >> 7;
			*rng ^= *rng << 17;
			if (*rng % 100 < drop_pct)
				return false;
		}
		return SIM_IN_SCOPE(ev->tid) || SIM_IN_SCOPE(ev->sw.next_tid);
	case KT_SCHED_WAKING:
		return SIM_IN_SCOPE(ev->wake.target_tid) ||
		       (ev->wake.context == KT_CTX_TASK && SIM_IN_SCOPE(ev->tid));
	case KT_SYSCALL:
	case KT_PROC_EXIT:
		return SIM_IN_SCOPE(ev->tid);
	}
	return true;
}

/* the true interval of @tid at @t, or NULL */
static const struct tiv *sim_truth_at(const struct sim *m, __u32 tid, __u64 t)
{
	const struct mthr *h = &m->th[tid];

	for (int i = 0; i < h->niv; i++)
		if (h->iv[i].s <= t && t < h->iv[i].e)
			return &h->iv[i];
	return NULL;
}

static int sim_sound(const struct sim *m, const struct tl_out *out,
		     bool exact_in_scope, char *why, size_t whysz)
{
	for (size_t i = 0; i < out->niv; i++) {
		const struct kt_tl_interval *g = &out->iv[i];
		const struct tiv *w = NULL;
		bool ok = true;

		if (g->tid < 1 || g->tid > NTHR)
			continue;
		if (!SIM_IN_SCOPE(g->tid)) {
			/* out of scope: never a guessed state */
			ok = g->state == KT_TL_UNKNOWN || g->state == KT_TL_DEAD;
		} else if (exact_in_scope) {
			w = sim_truth_at(m, g->tid, g->start);
			ok = w && w->s == g->start && w->e == g->end &&
			     w->state == g->state && w->cpu == g->cpu;
		} else switch (g->state) {
		case KT_TL_RUNNING:
			/* running over all of it: the truth's running
			 * interval on that cpu covers it */
			w = sim_truth_at(m, g->tid, g->start);
			ok = w && w->state == KT_TL_RUNNING && w->cpu == g->cpu &&
			     w->e >= g->end;
			break;
		case KT_TL_BLOCKED:
		case KT_TL_SLEEPING:
			w = sim_truth_at(m, g->tid, g->start);
			ok = w && w->state == g->state &&
			     (g->wake.cause == KT_CAUSE_MISSING ||
			      g->wake.cause == KT_CAUSE_NONE || w->e == g->end);
			break;
		}
		if (!ok) {
			snprintf(why, whysz, "tid %u claims %s [%llu,%llu) cpu %u; truth there: %s [%llu,%llu) cpu %u",
				 g->tid, kt_tl_state_name(g->state),
				 (unsigned long long)g->start,
				 (unsigned long long)g->end, g->cpu,
				 w ? kt_tl_state_name(w->state) : "none",
				 w ? (unsigned long long)w->s : 0,
				 w ? (unsigned long long)w->e : 0, w ? w->cpu : 0);
			return -1;
		}
	}
	/* one thread running on a cpu at a time */
	for (size_t i = 0; i < out->niv; i++) {
		const struct kt_tl_interval *a = &out->iv[i];

		if (a->state != KT_TL_RUNNING)
			continue;
		for (size_t j = i + 1; j < out->niv; j++) {
			const struct kt_tl_interval *b = &out->iv[j];

			if (b->state == KT_TL_RUNNING && b->cpu == a->cpu &&
			    b->tid != a->tid && b->start < a->end &&
			    a->start < b->end) {
				snprintf(why, whysz, "tids %u and %u both running on cpu %u at %llu",
					 a->tid, b->tid, a->cpu,
					 (unsigned long long)(a->start > b->start ?
							      a->start : b->start));
				return -1;
			}
		}
	}
	return 0;
}

static int sim_unseen_run(__u64 seed, unsigned drop_pct, char *why,
			  size_t whysz)
{
	struct kt_tl_opts o = { .syscalls = true, .scoped = true };
	struct sim *m = calloc(1, sizeof(*m));
	__u64 rng = seed * 0x2545f4914f6cdd1dULL;
	struct tl_out out;
	size_t kept = 0;
	int rc;

	if (!m)
		return snprintf(why, whysz, "out of memory"), -1;
	m->rng = seed * 0x9e3779b97f4a7c15ULL;
	m->t = 1000;
	cs_init(&m->s);
	for (int i = 1; i <= NTHR; i++) {
		cs_task(&m->s, i, i <= 3 ? 1 : i, "sim");
		if (SIM_IN_SCOPE(i))
			m->s.tasks[m->s.ntasks - 1].flags |= KT_TASK_INSCOPE;
	}
	for (int i = 0; i < 3000; i++)
		sim_step(m);
	o.end_ts = m->t + 1000;
	sim_end(m, o.end_ts);
	/* a lost switch is noticed (counted) on its cpu right after it, as
	 * the recorder's KT_LOST records do; the slot it leaves is reused */
	for (size_t i = 0; i < m->s.n; i++) {
		struct kt_event *e = &m->s.ev[i];

		if (sim_keep(e, &rng, drop_pct)) {
			m->s.ev[kept++] = *e;
		} else if (drop_pct && e->kind == KT_SCHED_SWITCH &&
			   (SIM_IN_SCOPE(e->tid) || SIM_IN_SCOPE(e->sw.next_tid))) {
			struct kt_event lost = { .ts = e->ts, .cpu = e->cpu,
						 .kind = KT_LOST };

			lost.lost.family = KT_FAM_SCHED;
			lost.lost.count = 1;
			m->s.ev[kept++] = lost;
		}
	}
	m->s.n = kept;
	rc = cs_timeline(&m->s, &o, &out) ? -1 : 0;
	if (rc)
		snprintf(why, whysz, "timeline failed");
	if (!rc)
		rc = tl_check_tiling(&out, why, whysz);
	if (!rc)
		rc = sim_sound(m, &out, !drop_pct, why, whysz);
	tl_out_release(&out);
	cs_release(&m->s);
	free(m);
	return rc;
}

KT_TEST(causal_timeline_random_unseen)
{
	char why[400];

	for (__u64 seed = 1; seed <= 40; seed++) {
		KT_ASSERT(!sim_unseen_run(seed, 0, why, sizeof(why)),
			  "scoped, seed %llu: %s", (unsigned long long)seed, why);
		KT_ASSERT(!sim_unseen_run(seed, 5, why, sizeof(why)),
			  "scoped with 5%% of switches lost, seed %llu: %s",
			  (unsigned long long)seed, why);
	}
	return KT_PASS;
}
