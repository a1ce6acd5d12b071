// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `ktrail verify`'s accounting check on synthetic streams and metadata:
 * events from the BPF programs plus ring losses equal the attempts of
 * attempts.per_cpu_family on every CPU and family; what the recorder
 * writes itself (clock anchors, its KT_LOST records, unfinished syscalls)
 * is not counted; one event missing, or one too many, is a violation
 * naming the CPU and family; a flight dump and a capture without the key
 * are not checked.
 */
#include <errno.h>
#include "stream_util.h"
#include "verify_util.h"


static struct kt_event ev_lost(__u64 ts, __u16 cpu, __u32 fam,
			       __u32 cause, __u64 count)
{
	struct kt_event e = ev_base(KT_LOST, ts, cpu, 0, 0);

	e.lost.family = fam;
	e.lost.cause = cause;
	e.lost.count = count;
	return e;
}

/*
 * cpu 0: three switches, a switch gap the programs placed (sched: 4) and
 * two syscalls (syscall: 2); cpu 1: two syscalls and five lost with the
 * ring full (syscall: 7); and what the recorder adds: a clock anchor, an
 * unfinished syscall, recursion misses on no CPU.  @skip: an event to
 * leave out (-1 none).
 */
static size_t stream(struct kt_event *out, int skip)
{
	struct kt_event e[16];
	size_t n = 0, m = 0;
	__u64 t = 1 * SEC;

	e[n++] = ev_switch(t, 0, 0, 0, 0, 100, 100);
	e[n++] = ev_sys(t + 10 * US, 0, 100, 100, 0, 5 * US, 1);
	e[n++] = ev_sys(t + 15 * US, 1, 300, 300, 1, 3 * US, 1);
	e[n++] = ev_lost(t + 18 * US, 0, KT_FAM_SCHED, KT_LOST_SWITCH_GAP, 1);
	e[n++] = ev_switch(t + 20 * US, 0, 100, 100, KT_STATE_SLEEPING, 200, 200);
	e[n++] = ev_sys(t + 30 * US, 0, 200, 200, 0, 5 * US, 1);
	e[n++] = ev_sys(t + 35 * US, 1, 300, 300, 1, 3 * US, 1);
	e[n++] = ev_switch(t + 40 * US, 0, 200, 200, KT_STATE_SLEEPING, 0, 0);
	e[n++] = ev_base(KT_CLOCK_SYNC, t + 50 * US, 0, 0, 0);
	e[n++] = ev_lost(t + 60 * US, 1, KT_FAM_SYSCALL, KT_LOST_RING, 5);
	e[n++] = ev_lost(t + 60 * US, 0xffff, KT_FAM_SCHED, KT_LOST_RECURSION, 2);
	e[n] = ev_sys(t + 70 * US, 1, 300, 300, 0, 30 * US, 0);
	e[n++].sys.flags = KT_SYSCALL_UNFINISHED;
	for (size_t i = 0; i < n; i++)
		if ((int)i != skip)
			out[m++] = e[i];
	return m;
}

/* vrun - verify @evs with the metadata @meta_text; findings in @f. */
static int vrun(const struct kt_event *evs, size_t n, const char *meta_text,
		struct found *f, struct kt_verify_stats *st)
{
	json_t *meta = json_loads(meta_text, 0, NULL);
	struct kt_verify_opts *o = calloc(1, sizeof(*o));
	struct kt_source *s1 = kt_source_mem(evs, n, NULL, stream_tasks,
					     NSTREAM_TASKS);
	struct kt_source *s2 = kt_source_mem(evs, n, NULL, stream_tasks,
					     NSTREAM_TASKS);
	struct kt_verify *v = NULL;
	struct kt_err err = { 0 };
	int rc = -ENOMEM;

	memset(f, 0, sizeof(*f));
	if (meta && o) {
		kt_verify_opts_meta(meta, o);
		o->start_ns = 1 * SEC - MS;
		v = kt_verify_new(o, collect, f);
	}
	if (s1 && s2 && v)
		rc = kt_verify_losses(v, s1, &err) ?: kt_verify_run(v, s2, &err);
	if (v)
		kt_verify_stats(v, st);
	kt_verify_free(v);
	kt_source_free(s1);
	kt_source_free(s2);
	json_decref(meta);
	free(o);
	return rc;
}

static const char meta_ok[] =
	"{\"record\":{\"scope\":\"host\"},\"attempts\":{\"per_cpu_family\":"
	"[{\"sched\":4,\"syscall\":2},{\"syscall\":7}],\"total\":13}}";

static size_t nacc(const struct found *f)
{
	size_t c = 0;

	for (size_t i = 0; i < f->n && i < MAXF; i++)
		c += f->v[i].check == KT_V_ACCOUNTING && !f->v[i].explained;
	return c;
}

KT_TEST(verify_accounting_balanced)
{
	struct kt_event e[16];
	struct kt_verify_stats st;
	struct found f;
	size_t n = stream(e, -1);

	KT_ASSERT(vrun(e, n, meta_ok, &f, &st) == 0, "run");
	KT_ASSERT(f.n == 0, "%zu findings, first: %s", f.n,
		  f.n ? f.v[0].detail : "");
	KT_ASSERT(st.accounting && st.accounted == 13,
		  "accounting %d, %llu accounted", st.accounting,
		  (unsigned long long)st.accounted);
	return KT_PASS;
}

/* One event of the programs missing: cpu 0's syscalls come short. */
KT_TEST(verify_accounting_missing)
{
	struct kt_event e[16];
	struct kt_verify_stats st;
	struct found f;
	size_t n = stream(e, 5);

	KT_ASSERT(vrun(e, n, meta_ok, &f, &st) == 0, "run");
	KT_ASSERT(nacc(&f) == 1 && f.v[0].cpu == 0 &&
		  f.v[0].lost_family == KT_FAM_SYSCALL &&
		  strstr(f.v[0].detail, "attempted 2 events, the capture holds 1 "
			 "and reports 0 lost (ring full): 1 missing"),
		  "%zu findings, first: %s", f.n, f.n ? f.v[0].detail : "");
	/* the switch gap the programs placed is one of cpu 0's sched events */
	n = stream(e, 3);
	KT_ASSERT(vrun(e, n, meta_ok, &f, &st) == 0, "run");
	KT_ASSERT(nacc(&f) == 1 && f.v[0].cpu == 0 &&
		  f.v[0].lost_family == KT_FAM_SCHED, "gap: %s",
		  f.n ? f.v[0].detail : "no finding");
	/* the ring losses of cpu 1 are its syscalls' too */
	n = stream(e, 9);
	KT_ASSERT(vrun(e, n, meta_ok, &f, &st) == 0, "run");
	KT_ASSERT(nacc(&f) == 1 && f.v[0].cpu == 1 &&
		  strstr(f.v[0].detail, "5 missing"), "ring: %s",
		  f.n ? f.v[0].detail : "no finding");
	return KT_PASS;
}

/* More than attempted; and what the recorder writes is never counted. */
KT_TEST(verify_accounting_extra)
{
	static const char fewer[] =
		"{\"attempts\":{\"per_cpu_family\":"
		"[{\"sched\":4,\"syscall\":2},{\"syscall\":6}]}}";
	static const char recorder[] =
		"{\"attempts\":{\"per_cpu_family\":"
		"[{\"sched\":4,\"syscall\":2,\"meta\":1},{\"syscall\":8}]}}";
	struct kt_event e[16];
	struct kt_verify_stats st;
	struct found f;
	size_t n = stream(e, -1);

	KT_ASSERT(vrun(e, n, fewer, &f, &st) == 0, "run");
	KT_ASSERT(nacc(&f) == 1 && f.v[0].cpu == 1 &&
		  strstr(f.v[0].detail, "1 more than attempted"), "%s",
		  f.n ? f.v[0].detail : "no finding");
	KT_ASSERT(vrun(e, n, recorder, &f, &st) == 0, "run");
	KT_ASSERT(nacc(&f) == 2, "%zu findings (the clock anchor and the "
		  "unfinished syscall are the recorder's)", f.n);
	return KT_PASS;
}

/* No key, or a flight dump (a window of its recording): no check. */
KT_TEST(verify_accounting_absent)
{
	static const char flight[] =
		"{\"flight\":{\"window_ns\":1},\"attempts\":{\"per_cpu_family\":"
		"[{\"sched\":40}]}}";
	struct kt_event e[16];
	struct kt_verify_stats st;
	struct found f;
	size_t n = stream(e, 5);

	KT_ASSERT(vrun(e, n, "{}", &f, &st) == 0, "run");
	KT_ASSERT(f.n == 0 && !st.accounting, "no key: %zu findings", f.n);
	KT_ASSERT(vrun(e, n, flight, &f, &st) == 0, "run");
	KT_ASSERT(f.n == 0 && !st.accounting, "flight: %zu findings", f.n);
	return KT_PASS;
}
