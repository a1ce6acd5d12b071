// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * verify.c - a capture's self-consistency (verify.h says what is checked
 * and how loss and scope are taken into account).
 *
 * State: per CPU the newest timestamp and the task its last switch put on
 * it; per thread (an open-addressing table keyed by utid) whether it is in
 * scope, the CPU it is on and the end of its last syscall; per tid that no
 * task names, whether it was reported; the KT_LOST records, as lists by
 * CPU (sched) and by family (any CPU), sorted by time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/names.h"
#include "analyze/verify_int.h"

static const char *const check_names[KT_V_NCHECKS] = {
	[KT_V_TIME_ORDER] = "time_order",
	[KT_V_CONTINUITY] = "continuity",
	[KT_V_TWO_CPUS] = "two_cpus",
	[KT_V_UNKNOWN_TASK] = "unknown_task",
	[KT_V_SYSCALL] = "syscall_overlap",
	[KT_V_BLOCK] = "block",
	[KT_V_IDENTITY] = "identity",
	[KT_V_ACCOUNTING] = "accounting",
};

const char *kt_vcheck_name(unsigned check)
{
	return check < KT_V_NCHECKS ? check_names[check] : NULL;
}

/* ---------------------------------------------------------- lifecycle */

struct kt_verify *kt_verify_new(const struct kt_verify_opts *o,
				kt_verify_fn fn, void *arg)
{
	struct kt_verify *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->o = *o;
	v->fn = fn;
	v->arg = arg;
	if (kt_v_count_new(v, o->attempts)) {
		free(v);
		errno = ENOMEM;
		return NULL;
	}
	return v;
}

void kt_verify_free(struct kt_verify *v)
{
	if (!v)
		return;
	for (__u32 i = 0; i < v->nsched; i++)
		free(v->sched[i].r);
	free(v->sched);
	free(v->sched_any.r);
	for (unsigned f = 0; f <= KT_FAM_MAX; f++)
		free(v->fam[f].r);
	free(v->cpus);
	for (__u32 i = 0; i < v->thr_cap; i++)
		free(v->thr[i].held);
	free(v->thr);
	free(v->unknown);
	free(v->devs);
	kt_v_count_free(v->count);
	free(v);
}

void kt_verify_stats(const struct kt_verify *v, struct kt_verify_stats *st)
{
	*st = v->st;
}

/* -------------------------------------------------------------- losses */

static int loss_add(struct losses *l, __u64 ts, __u64 count)
{
	if (l->n == l->cap) {
		size_t n = l->cap ? l->cap * 2 : 16;
		struct lossrec *r = realloc(l->r, n * sizeof(*r));

		if (!r)
			return -ENOMEM;
		l->r = r;
		l->cap = n;
	}
	l->r[l->n].ts = ts;
	l->r[l->n++].count = count;
	return 0;
}

/* loss_in - the first loss of @l reported in [from, to], or NULL.  The
 * records come in time order from the loss pass. */
static const struct lossrec *loss_in(const struct losses *l, __u64 from,
				     __u64 to)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->r[mid].ts < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->r[lo].ts <= to ? &l->r[lo] : NULL;
}

static int add_lost(struct kt_verify *v, const struct kt_event *ev)
{
	__u32 fam = ev->lost.family < KT_FAM_MAX ? ev->lost.family : KT_FAM_MAX;
	struct losses *l;
	int err;

	v->st.lost_records++;
	v->rec_fam[fam] += ev->lost.count;
	if (ev->cpu < KT_VERIFY_MAX_CPUS)
		v->rec_cpu[ev->cpu] += ev->lost.count;
	err = loss_add(&v->fam[fam], ev->ts, ev->lost.count);
	if (err || (fam != KT_FAM_SCHED && fam != KT_FAM_MAX))
		return err;
	if (ev->cpu == KT_V_CPU_ANY)
		return loss_add(&v->sched_any, ev->ts, ev->lost.count);
	if (ev->cpu >= v->nsched) {
		__u32 n = ev->cpu + 1;

		l = realloc(v->sched, n * sizeof(*l));
		if (!l)
			return -ENOMEM;
		memset(l + v->nsched, 0, (n - v->nsched) * sizeof(*l));
		v->sched = l;
		v->nsched = n;
	}
	return loss_add(&v->sched[ev->cpu], ev->ts, ev->lost.count);
}

int kt_verify_losses(struct kt_verify *v, struct kt_source *src,
		     struct kt_err *err)
{
	const struct kt_event *ev;
	int rc;

	while ((rc = src->next(src, &ev, err)) == 1)
		if (ev->kind == KT_LOST && (rc = add_lost(v, ev)))
			return rc;
	return rc;
}

static void explain(struct kt_violation *x, __u32 fam, __u32 cpu,
		    const struct lossrec *r)
{
	x->explained = KT_VEXPL_LOST;
	x->lost_family = fam;
	x->lost_cpu = cpu;
	x->lost_count = r ? r->count : 0;
	x->lost_ts = r ? r->ts : 0;
}

/* explain_cpu - a lost sched event on @cpu between @from and @to (plus
 * the reporting lag) explains @x. */
bool kt_v_explain_cpu(const struct kt_verify *v, struct kt_violation *x,
			__u32 cpu, __u64 from, __u64 to)
{
	const struct lossrec *r = NULL;

	to += KT_VERIFY_LOSS_LAG;
	if (cpu < v->nsched && (r = loss_in(&v->sched[cpu], from, to))) {
		explain(x, KT_FAM_SCHED, cpu, r);
		return true;
	}
	if ((r = loss_in(&v->sched_any, from, to))) {
		explain(x, KT_FAM_SCHED, KT_VCPU_NONE, r);
		return true;
	}
	/* the metadata's count beyond the records: losses not in the
	 * file's time span (all of them without records) */
	if (cpu < KT_VERIFY_MAX_CPUS &&
	    v->o.meta_lost_cpu[cpu] > v->rec_cpu[cpu]) {
		explain(x, KT_FAM_MAX, cpu, NULL);
		x->lost_count = v->o.meta_lost_cpu[cpu] - v->rec_cpu[cpu];
		return true;
	}
	if (v->st.lost_records)
		return false;
	if (v->o.meta_lost_family[KT_FAM_MAX]) {   /* recursion misses */
		explain(x, KT_FAM_MAX, KT_VCPU_NONE, NULL);
		x->lost_count = v->o.meta_lost_family[KT_FAM_MAX];
		return true;
	}
	return false;
}

/* explain_fam - events of family @fam lost on any CPU before @ts (plus
 * the reporting lag) explain @x. */
bool kt_v_explain_fam(const struct kt_verify *v, struct kt_violation *x,
			__u32 fam, __u64 ts)
{
	const struct lossrec *r;

	if ((r = loss_in(&v->fam[fam], 0, ts + KT_VERIFY_LOSS_LAG))) {
		explain(x, fam, KT_VCPU_NONE, r);
		return true;
	}
	if ((r = loss_in(&v->fam[KT_FAM_MAX], 0, ts + KT_VERIFY_LOSS_LAG))) {
		explain(x, KT_FAM_MAX, KT_VCPU_NONE, r);
		return true;
	}
	/* as in kt_v_explain_cpu: the metadata's count beyond the records */
	if (v->o.meta_lost_family[fam] > v->rec_fam[fam]) {
		explain(x, fam, KT_VCPU_NONE, NULL);
		x->lost_count = v->o.meta_lost_family[fam] - v->rec_fam[fam];
		return true;
	}
	if (v->st.lost_records)
		return false;
	if (v->o.meta_lost_family[fam] || v->o.meta_lost_family[KT_FAM_MAX]) {
		explain(x, v->o.meta_lost_family[fam] ? fam : KT_FAM_MAX,
			KT_VCPU_NONE, NULL);
		x->lost_count = v->o.meta_lost_family[fam] ?:
				v->o.meta_lost_family[KT_FAM_MAX];
		return true;
	}
	return false;
}

/* ------------------------------------------------------------- state */

struct vcpu *kt_v_cpu(struct kt_verify *v, __u32 cpu)
{
	if (cpu >= v->ncpus) {
		__u32 n = cpu + 1 > v->ncpus * 2 ? cpu + 1 : v->ncpus * 2;
		struct vcpu *c = realloc(v->cpus, n * sizeof(*c));

		if (!c)
			return NULL;
		memset(c + v->ncpus, 0, (n - v->ncpus) * sizeof(*c));
		v->cpus = c;
		v->ncpus = n;
	}
	return &v->cpus[cpu];
}

static __u32 hash32(__u32 x)
{
	return x * 2654435761u;
}

static int thr_grow(struct kt_verify *v)
{
	__u32 ncap = v->thr_cap ? v->thr_cap * 2 : 1024;
	struct vthr *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (__u32 i = 0; i < v->thr_cap; i++) {
		__u32 j;

		if (!v->thr[i].utid)
			continue;
		j = hash32(v->thr[i].utid) & (ncap - 1);
		while (n[j].utid)
			j = (j + 1) & (ncap - 1);
		n[j] = v->thr[i];
	}
	free(v->thr);
	v->thr = n;
	v->thr_cap = ncap;
	return 0;
}

int kt_v_reserve(struct kt_verify *v, __u32 n)
{
	while ((v->thr_used + n) * 2 > v->thr_cap)
		if (thr_grow(v))
			return -ENOMEM;
	return 0;
}

static bool kthread(const struct kt_task *k)
{
	return (k->flags & KT_TASK_KTHREAD) || k->tid == 2 || k->ppid == 2;
}

/* recorder - whether @k is of the recorder's own process: its pid from
 * the metadata, else a process named ktrail (whose switches between its
 * own threads a whole-host recording leaves out). */
bool kt_v_recorder(const struct kt_verify *v, const struct kt_task *k)
{
	if (v->o.recorder_pid)
		return k->pid == v->o.recorder_pid;
	return !strcmp(k->comm, "ktrail");
}

/* thread - the state of @utid (made on first sight, in scope as its task
 * says: verify.h), or NULL for utid 0 or on ENOMEM. */
struct vthr *kt_v_thread(struct kt_verify *v, __u32 utid,
			   const struct kt_tasks *tasks)
{
	const struct kt_task *k;
	struct vthr *t;
	__u32 i;

	if (!utid)
		return NULL;
	/* room was made by kt_v_reserve: never grow here, pointers to
	 * other threads' state are live during an event */
	if ((v->thr_used + 1) * 2 > v->thr_cap)
		return NULL;
	i = hash32(utid) & (v->thr_cap - 1);
	while (v->thr[i].utid && v->thr[i].utid != utid)
		i = (i + 1) & (v->thr_cap - 1);
	t = &v->thr[i];
	if (t->utid)
		return t;
	v->thr_used++;
	v->st.threads++;
	t->utid = utid;
	k = kt_tasks_get(tasks, utid);
	if (!v->o.scoped)
		t->in_scope = !k || !kt_v_recorder(v, k);
	else
		t->in_scope = k && ((k->flags & KT_TASK_SNAPSHOT) || kthread(k));
	return t;
}

struct vthr *kt_v_thread_of_tid(struct kt_verify *v, __u32 tid,
				  const struct kt_tasks *tasks)
{
	const struct kt_task *k = tid ? kt_tasks_find(tasks, tid) : NULL;

	return k ? kt_v_thread(v, k->utid, tasks) : NULL;
}

/* in_scope - whether the switches of @tid are all recorded. */
bool kt_v_in_scope(struct kt_verify *v, __u32 tid,
		     const struct kt_tasks *tasks)
{
	struct vthr *t;

	if (!tid)               /* the idle task: only whole-host */
		return !v->o.scoped;
	t = kt_v_thread_of_tid(v, tid, tasks);
	return t ? t->in_scope : !v->o.scoped;
}

/* unknown_once - true the first time tid @tid is reported unknown. */
int kt_v_unknown_once(struct kt_verify *v, __u32 tid)
{
	__u32 i;

	if ((v->unk_used + 1) * 2 > v->unk_cap) {
		__u32 ncap = v->unk_cap ? v->unk_cap * 2 : 256;
		__u32 *n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (__u32 j = 0; j < v->unk_cap; j++) {
			if (!v->unknown[j])
				continue;
			i = hash32(v->unknown[j]) & (ncap - 1);
			while (n[i])
				i = (i + 1) & (ncap - 1);
			n[i] = v->unknown[j];
		}
		free(v->unknown);
		v->unknown = n;
		v->unk_cap = ncap;
	}
	i = hash32(tid) & (v->unk_cap - 1);
	while (v->unknown[i] && v->unknown[i] != tid)
		i = (i + 1) & (v->unk_cap - 1);
	if (v->unknown[i])
		return 0;
	v->unknown[i] = tid;
	v->unk_used++;
	return 1;
}

/* ------------------------------------------------------------ findings */

void kt_v_task(struct kt_vtask *t, __u32 tid, __u32 pid,
		    const struct kt_tasks *tasks, const char *role)
{
	const struct kt_task *k = tid ? kt_tasks_find(tasks, tid) : NULL;

	t->tid = tid;
	t->pid = k ? k->pid : pid;
	t->utid = k ? k->utid : 0;
	snprintf(t->comm, sizeof(t->comm), "%s",
		 k ? k->comm : tid ? "" : "swapper");
	t->role = role;
}

void kt_v_begin(struct kt_violation *x, unsigned check, __u64 ts,
		  __u64 since, __u32 cpu)
{
	memset(x, 0, sizeof(*x));
	x->check = check;
	x->ts = ts;
	x->since = since;
	x->cpu = cpu;
	x->lost_cpu = KT_VCPU_NONE;
}

int kt_v_report(struct kt_verify *v, const struct kt_violation *x)
{
	struct kt_violation cut;

	if (!x->explained && v->o.cut_ns && x->ts > v->o.cut_ns) {
		cut = *x;
		cut.explained = KT_VEXPL_CUT;
		x = &cut;
	}
	if (x->explained)
		v->st.explained[x->check]++;
	else
		v->st.violations[x->check]++;
	return v->fn ? v->fn(x, v->arg) : 0;
}

/* name - "comm tid" of @tid for a detail line. */
const char *kt_v_name(char *buf, size_t n, __u32 tid,
			const struct kt_tasks *tasks)
{
	const struct kt_task *k = tid ? kt_tasks_find(tasks, tid) : NULL;

	snprintf(buf, n, "%s %u", k ? k->comm : tid ? "?" : "swapper", tid);
	return buf;
}

void kt_v_secs(char *buf, size_t n, __u64 ns)
{
	snprintf(buf, n, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000));
}

/* ------------------------------------------------------------ held */

int kt_v_hold(struct kt_verify *v, struct vthr *t,
	      const struct kt_violation *x)
{
	(void)v;
	if (!t->held && !(t->held = calloc(KT_V_HELD_MAX, sizeof(*t->held))))
		return -ENOMEM;
	if (t->nheld < KT_V_HELD_MAX)
		t->held[t->nheld++] = *x;
	else
		t->held_more[x->check == KT_V_TWO_CPUS]++;
	return 0;
}

/* release - report what @t held as @expl, then forget it. */
static int release(struct kt_verify *v, struct vthr *t, unsigned expl)
{
	__u32 all = t->nheld + t->held_more[0] + t->held_more[1];
	__u64 *n = expl ? v->st.explained : v->st.violations;
	int rc = 0;

	for (__u8 i = 0; i < t->nheld && !rc; i++) {
		t->held[i].explained = expl;
		t->held[i].hidden_count = expl ? all : 0;
		rc = kt_v_report(v, &t->held[i]);
	}
	/* beyond the first KT_V_HELD_MAX: counted, not described */
	n[KT_V_CONTINUITY] += t->held_more[0];
	n[KT_V_TWO_CPUS] += t->held_more[1];
	free(t->held);
	t->held = NULL;
	t->nheld = 0;
	t->held_more[0] = t->held_more[1] = 0;
	return rc;
}

int kt_v_ran(struct kt_verify *v, struct vthr *t)
{
	t->ran = true;
	return t->nheld ? release(v, t, KT_VEXPL_NONE) : 0;
}

int kt_verify_end(struct kt_verify *v)
{
	int rc = 0;

	if (v->ended)
		return 0;
	v->ended = true;
	for (__u32 i = 0; i < v->thr_cap && !rc; i++)
		if (v->thr[i].utid && v->thr[i].nheld)
			rc = release(v, &v->thr[i], KT_VEXPL_HIDDEN);
	return rc ?: kt_v_count_end(v);
}

/* ----------------------------------------------------------- metadata */

static const json_t *at(const json_t *o, const char *a, const char *b)
{
	const json_t *x = json_object_get(o, a);

	return b ? json_object_get(x, b) : x;
}

static __u64 uint_of(const json_t *j)
{
	return json_is_integer(j) && json_integer_value(j) > 0 ?
	       (__u64)json_integer_value(j) : 0;
}

/* meta_losses - lost.per_cpu (counts) and lost.per_family, or the first
 * captures' lost.cpus (objects by family) and lost.families. */
static void meta_losses(const json_t *meta, struct kt_verify_opts *o)
{
	const json_t *cpus = at(meta, "lost", "per_cpu");
	const json_t *fams = at(meta, "lost", "per_family");
	const json_t *x, *val;
	const char *key;
	size_t i;

	if (!cpus)
		cpus = at(meta, "lost", "cpus");
	if (!fams)
		fams = at(meta, "lost", "families");
	json_array_foreach(cpus, i, x) {
		__u64 n = uint_of(x);

		if (i >= KT_VERIFY_MAX_CPUS)
			break;
		json_object_foreach((json_t *)x, key, val)
			n += uint_of(val);
		o->meta_lost_cpu[i] = n;
	}
	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		o->meta_lost_family[f] = uint_of(json_object_get(fams,
						  kt_family_name(f)));
	o->meta_lost_family[KT_FAM_MAX] =
		uint_of(at(meta, "lost", "recursion_misses"));
}

void kt_verify_opts_meta(const json_t *meta, struct kt_verify_opts *o)
{
	const json_t *scope = at(meta, "record", "scope");
	const char *s = NULL;

	memset(o, 0, sizeof(*o));
	if (json_is_string(scope))
		s = json_string_value(scope);
	else if (json_is_string(at(meta, "scope", "mode")))
		s = json_string_value(at(meta, "scope", "mode"));
	o->scoped = s && strcmp(s, "host");
	o->cgroup = s && !strncmp(s, "cgroup", 6);
	/* a command and a cgroup scope follow forks; -p with --follow */
	o->follow = json_is_true(at(meta, "record", "follow")) || o->cgroup ||
		    (s && !strcmp(s, "command"));
	o->recorder_pid = (__u32)uint_of(at(meta, "record", "pid"));
	o->start_ns = uint_of(at(meta, "record", "start_ns"));
	if (!o->start_ns)
		o->start_ns = uint_of(at(meta, "start_ns", NULL));
	o->ncpus = (__u32)uint_of(at(meta, "host", "cpus"));
	if (!o->ncpus)
		o->ncpus = (__u32)uint_of(at(meta, "cpus", NULL));
	meta_losses(meta, o);
	/* a flight dump is a window of its recording: its attempts (if a
	 * recorder wrote them) count events left out of it */
	if (!json_object_get(meta, "flight"))
		o->attempts = at(meta, "attempts", "per_cpu_family");
	o->cut_ns = uint_of(at(meta, "recovered", "flushed_ns"));
}
