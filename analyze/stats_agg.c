// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_agg.c - the aggregating tools that need no scheduler state:
 * biolatency (log2 histograms), syscount (counts, errors and latency
 * percentiles by syscall, by process and by errno) and faults.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/names.h"
#include "analyze/stats_int.h"

/* x86-64 returns errors as -4095..-1; larger magnitudes are values */
static bool sys_failed(__s64 ret)
{
	return ret < 0 && ret >= -4095;
}

/* ----------------------------------------------------------- biolatency */

struct biohist {
	__u64 count;
	__u64 dev;
	struct kt_log2 h;
};

static int biolat_init(struct kt_st *st)
{
	kt_map_init(st->priv, sizeof(struct biohist));
	return 0;
}

static int biolat_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_block_rq *b = &ev->blk;
	__u64 v = b->service_ns + (st->opts->queued ? b->queue_ns : 0);
	__u64 dev = st->opts->per_disk ? b->dev : 0;
	struct biohist *h;

	if (!kt_st_match(st, ev->tid, ev->pid))
		return 0;
	/* never issued (a cache flush's own request): only its time from
	 * allocation is known, which is what -Q measures */
	if ((b->flags & KT_BLOCK_FROM_ALLOC) && !st->opts->queued)
		return 0;
	h = kt_map_put(st->priv, dev, NULL);
	if (!h)
		return -ENOMEM;
	h->dev = dev;
	h->count++;
	kt_log2_add(&h->h, v / (st->opts->ms ? 1000000 : 1000));
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct biohist *x = *(const struct biohist *const *)a;
	const struct biohist *y = *(const struct biohist *const *)b;

	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

static void biolat_print(struct kt_st *st, const struct biohist *h,
			 bool first)
{
	const char *unit = st->opts->ms ? "msecs" : "usecs";
	const char *name = kt_disks_name(st->opts->disks, h->dev);
	struct kt_out *o = st->o;
	char dev[64];

	if (st->opts->json) {
		kt_fmt_dev(dev, sizeof(dev), h->dev);
		kt_out_jopen(o, '{');
		if (st->opts->per_disk)
			kt_out_jkv_cstr(o, "disk", dev);
		if (st->opts->per_disk && name)
			kt_out_jkv_cstr(o, "disk_name", name);
		kt_out_jkv_cstr(o, "unit", unit);
		kt_out_jkv_u64(o, "count", h->count);
		kt_log2_json(o, &h->h);
		kt_out_jclose(o, '}');
		kt_out_ch(o, '\n');
		return;
	}
	kt_fmt_disk(dev, sizeof(dev), st->opts->disks, h->dev, false);
	if (st->opts->per_disk) {
		kt_out_str(o, first ? "disk = " : "\ndisk = ");
		kt_out_str(o, dev);
		kt_out_ch(o, '\n');
	}
	kt_log2_print(o, &h->h, unit);
}

static int biolat_finish(struct kt_st *st)
{
	struct biohist **v, empty = { 0 };
	size_t n, i;

	v = (struct biohist **)kt_map_sorted(st->priv, &n, cmp_dev);
	if (!v && n)
		return -ENOMEM;
	if (!n && !st->opts->per_disk)  /* JSON still gets its object */
		biolat_print(st, &empty, true);
	for (i = 0; i < n; i++)
		biolat_print(st, v[i], !i);
	free(v);
	return 0;
}

static void biolat_release(struct kt_st *st)
{
	kt_map_release(st->priv);
}

const struct kt_stats_tool kt_st_biolatency = {
	.name = "biolatency",
	.options = "ms,queued,per-disk",
	.summary = "block I/O latency as a log2 histogram",
	.kinds = KT_KIND_BIT(KT_BLOCK_RQ),
	.subject = true,
	.priv_size = sizeof(struct kt_map),
	.init = biolat_init,
	.event = biolat_event,
	.finish = biolat_finish,
	.release = biolat_release,
};

/* ------------------------------------------------------------- syscount */

struct sc_row {
	__u64 count;            /* sort key, then */
	__u64 key;              /* nr, pid, or nr << 32 | errno (per
				 * process: pid << 32 | nr << 12 | errno) */
	__u64 errors;
	char comm[32];
	struct kt_lhist lat;
};

struct syscount_st {
	struct kt_map by_sys, by_proc, by_errno;
	/* --per-comm: rows by (command, syscall) and (command, syscall,
	 * errno), the command an index into comms (comm_ids: a hash of the
	 * name, probed linearly, to the index + 1) */
	struct kt_map by_comm, by_comm_errno, comm_ids;
	char (*comms)[32];
	size_t ncomms, capcomms;
};

static int syscount_init(struct kt_st *st)
{
	struct syscount_st *s = st->priv;

	kt_map_init(&s->by_sys, sizeof(struct sc_row));
	kt_map_init(&s->by_proc, sizeof(struct sc_row));
	kt_map_init(&s->by_errno, sizeof(struct sc_row));
	kt_map_init(&s->by_comm, sizeof(struct sc_row));
	kt_map_init(&s->by_comm_errno, sizeof(struct sc_row));
	kt_map_init(&s->comm_ids, sizeof(__u64));
	return 0;
}

static int sc_add(struct kt_map *m, __u64 key, const struct kt_syscall *s,
		  bool lat)
{
	struct sc_row *r = kt_map_put(m, key, NULL);

	if (!r)
		return -ENOMEM;
	r->key = key;
	r->count++;
	if (sys_failed(s->ret))
		r->errors++;
	if (lat && !(s->flags & KT_SYSCALL_UNFINISHED))
		return kt_lhist_add(&r->lat, s->dur);
	return 0;
}

/* The errno table's key per process: errnos are below 4096, syscall
 * numbers below 2^20. */
static __u64 errno_key(__u32 pid, __u32 nr, __s64 err)
{
	return (__u64)pid << 32 | (__u64)(nr & 0xfffff) << 12 | (err & 0xfff);
}

/* The index of command @comm in s->comms (added when new), or -ENOMEM. */
static long comm_id(struct syscount_st *s, const char *comm)
{
	__u64 h = 14695981039346656037ULL, idx;
	char (*v)[32];

	for (const char *p = comm; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (;; h++) {
		if (!kt_map_get_u64(&s->comm_ids, h, &idx))
			break;
		if (!strncmp(s->comms[idx - 1], comm, 31))
			return (long)idx - 1;
	}
	if (s->ncomms == s->capcomms) {
		size_t cap = s->capcomms ? 2 * s->capcomms : 16;

		v = realloc(s->comms, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->comms = v;
		s->capcomms = cap;
	}
	snprintf(s->comms[s->ncomms], 32, "%s", comm);
	if (kt_map_put_u64(&s->comm_ids, h, s->ncomms + 1))
		return -ENOMEM;
	return (long)s->ncomms++;
}

/* --per-comm: the call @sc of a task named @comm. */
static int sc_comm(struct syscount_st *s, const char *comm,
		   const struct kt_syscall *sc)
{
	long id = comm_id(s, comm);
	int rc;

	if (id < 0)
		return (int)id;
	rc = sc_add(&s->by_comm, (__u64)id << 20 | (sc->nr & 0xfffff), sc, true);
	if (rc || !sys_failed(sc->ret))
		return rc;
	return sc_add(&s->by_comm_errno, (__u64)id << 32 |
		      (__u64)(sc->nr & 0xfffff) << 12 | (-sc->ret & 0xfff), sc,
		      false);
}

static int syscount_event(struct kt_st *st, const struct kt_event *ev)
{
	struct syscount_st *s = st->priv;
	const struct kt_syscall *sc = &ev->sys;
	struct sc_row *r;
	int rc;

	if ((st->opts->syscall >= 0 && sc->nr != (unsigned)st->opts->syscall) ||
	    (st->opts->failed && !sys_failed(sc->ret)) ||
	    !kt_st_match(st, ev->tid, ev->pid))
		return 0;
	if ((rc = sc_add(&s->by_sys, sc->nr, sc, true)) ||
	    (rc = sc_add(&s->by_proc, ev->pid, sc, true)))
		return rc;
	if (st->opts->per_comm &&
	    (rc = sc_comm(s, kt_st_comm(st, ev->tid), sc)))
		return rc;
	/* the process's latest name: exec renames it */
	r = kt_map_get(&s->by_proc, ev->pid);
	kt_st_copy_comm(st, ev->tid, r->comm, sizeof(r->comm));
	if (!sys_failed(sc->ret))
		return 0;
	if (!st->opts->per_process)
		return sc_add(&s->by_errno, (__u64)sc->nr << 32 | (__u32)-sc->ret,
			      sc, false);
	rc = sc_add(&s->by_errno, errno_key(ev->pid, sc->nr, -sc->ret), sc,
		    false);
	if (!rc) {
		r = kt_map_get(&s->by_errno, errno_key(ev->pid, sc->nr, -sc->ret));
		kt_st_copy_comm(st, ev->tid, r->comm, sizeof(r->comm));
	}
	return rc;
}

static void us_col(struct kt_out *o, __u64 ns, int width)
{
	kt_out_ch(o, ' ');
	kt_out_decw(o, ns, 3, 3, width);
}

static void sc_name(struct kt_out *o, unsigned nr, int width)
{
	const char *n = kt_syscall_name(nr);

	if (n) {
		kt_out_strw(o, n, width);
	} else {
		char tmp[24] = "sys_";

		kt_put_u64(tmp + 4, nr)[0] = 0;
		kt_out_strw(o, tmp, width);
	}
}

static void sc_stats(struct kt_st *st, const struct sc_row *r)
{
	struct kt_out *o = st->o;
	static const unsigned pct[] = { 50, 90, 99 };
	static const char *const pkey[] = { "p50_ns", "p90_ns", "p99_ns" };

	if (st->opts->json) {
		kt_out_jkv_u64(o, "count", r->count);
		kt_out_jkv_u64(o, "errors", r->errors);
		kt_out_jkv_u64(o, "total_ns", r->lat.sum);
		for (int i = 0; i < 3; i++)
			kt_out_jkv_u64(o, pkey[i], kt_lhist_pct(&r->lat, pct[i]));
		kt_out_jkv_u64(o, "max_ns", r->lat.max);
		return;
	}
	kt_out_ch(o, ' ');
	kt_out_u64w(o, r->count, 9);
	kt_out_ch(o, ' ');
	kt_out_u64w(o, r->errors, 8);
	us_col(o, r->lat.sum, 14);
	for (int i = 0; i < 3; i++)
		us_col(o, kt_lhist_pct(&r->lat, pct[i]), 11);
	us_col(o, r->lat.max, 11);
}

static const char stat_hdr[] = "     COUNT   ERRORS      TOTAL(us)"
			       "     P50(us)     P90(us)     P99(us)"
			       "     MAX(us)\n";

static void sc_header(struct kt_out *o, int which, size_t n, bool per_process)
{
	if (which == 0) {
		kt_out_strw(o, "SYSCALL", -20);
		kt_out_str(o, stat_hdr);
	} else if (which == 1) {
		kt_out_str(o, "\nPID     COMM            ");
		kt_out_str(o, stat_hdr);
	} else if (n) {
		kt_out_str(o, "\n");
		if (per_process)
			kt_out_str(o, "PID     COMM             ");
		kt_out_str(o, "SYSCALL              ERRNO               COUNT\n");
	}
}

static int sc_table(struct kt_st *st, struct kt_map *m, int which)
{
	struct kt_out *o = st->o;
	struct sc_row **v;
	size_t n, i;

	v = (struct sc_row **)kt_map_sorted(m, &n, kt_st_cmp_desc);
	if (!v && n)
		return -ENOMEM;
	if (st->opts->top && n > st->opts->top)
		n = st->opts->top;
	if (!st->opts->json)
		sc_header(o, which, n, st->opts->per_process);
	for (i = 0; i < n; i++) {
		const struct sc_row *r = v[i];
		bool pp = which == 2 && st->opts->per_process;
		unsigned nr = !pp && which == 2 ? r->key >> 32 :
			      pp ? (r->key >> 12) & 0xfffff : r->key;
		int err = pp ? (int)(r->key & 0xfff) : (int)(__u32)r->key;
		const char *en = kt_errno_name(err);

		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_cstr(o, "table", which == 0 ? "syscall" :
					which == 1 ? "process" : "errno");
			if (which == 1) {
				kt_out_jkv_u64(o, "pid", r->key);
				kt_out_jkv_cstr(o, "comm", r->comm);
				sc_stats(st, r);
			} else {
				if (pp) {
					kt_out_jkv_u64(o, "pid", r->key >> 32);
					kt_out_jkv_cstr(o, "comm", r->comm);
				}
				kt_out_jkv_cstr(o, "syscall",
						kt_syscall_name(nr) ?: "?");
				kt_out_jkv_u64(o, "nr", nr);
				if (which == 0) {
					sc_stats(st, r);
				} else {
					kt_out_jkv_cstr(o, "errno", en ?: "?");
					kt_out_jkv_u64(o, "count", r->count);
				}
			}
			kt_out_jclose(o, '}');
		} else if (which == 0) {
			sc_name(o, nr, -20);
			sc_stats(st, r);
		} else if (which == 1) {
			kt_out_u64w(o, r->key, -7);
			kt_out_ch(o, ' ');
			kt_out_escw(o, r->comm, -16);
			sc_stats(st, r);
		} else {
			if (pp) {
				kt_out_u64w(o, r->key >> 32, -7);
				kt_out_ch(o, ' ');
				kt_out_escw(o, r->comm, -16);
				kt_out_ch(o, ' ');
			}
			sc_name(o, nr, -20);
			kt_out_ch(o, ' ');
			if (en)
				kt_out_strw(o, en, -15);
			else
				kt_out_u64w(o, err, -15);
			kt_out_ch(o, ' ');
			kt_out_u64w(o, r->count, 9);
		}
		kt_out_ch(o, '\n');
	}
	free(v);
	return 0;
}

/* --per-comm: the tables by (command, syscall) and by (command,
 * syscall, errno); @errs selects the second. */
static int sc_comm_table(struct kt_st *st, bool errs)
{
	struct syscount_st *s = st->priv;
	struct kt_out *o = st->o;
	struct sc_row **v;
	size_t n;

	v = (struct sc_row **)kt_map_sorted(errs ? &s->by_comm_errno :
					    &s->by_comm, &n, kt_st_cmp_desc);
	if (!v && n)
		return -ENOMEM;
	if (st->opts->top && n > st->opts->top)
		n = st->opts->top;
	if (!st->opts->json && (n || !errs))
		kt_out_str(o, errs ? "\nCOMM             SYSCALL              "
			   "ERRNO               COUNT\n" : "\nCOMM             "
			   "SYSCALL             ");
	if (!st->opts->json && !errs)
		kt_out_str(o, stat_hdr);
	for (size_t i = 0; i < n; i++) {
		const struct sc_row *r = v[i];
		const char *comm = s->comms[errs ? r->key >> 32 : r->key >> 20];
		unsigned nr = errs ? (r->key >> 12) & 0xfffff : r->key & 0xfffff;
		const char *en = kt_errno_name((int)(r->key & 0xfff));

		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_cstr(o, "table", errs ? "comm_errno" : "comm");
			kt_out_jkv_cstr(o, "comm", comm);
			kt_out_jkv_cstr(o, "syscall", kt_syscall_name(nr) ?: "?");
			kt_out_jkv_u64(o, "nr", nr);
			if (errs) {
				kt_out_jkv_cstr(o, "errno", en ?: "?");
				kt_out_jkv_u64(o, "count", r->count);
			} else {
				kt_out_jkv_u64(o, "samples", r->lat.n);
				sc_stats(st, r);
			}
			kt_out_jclose(o, '}');
		} else {
			kt_out_escw(o, comm, -16);
			kt_out_ch(o, ' ');
			sc_name(o, nr, -20);
			if (errs) {
				kt_out_ch(o, ' ');
				if (en)
					kt_out_strw(o, en, -15);
				else
					kt_out_u64w(o, r->key & 0xfff, -15);
				kt_out_ch(o, ' ');
				kt_out_u64w(o, r->count, 9);
			} else {
				sc_stats(st, r);
			}
		}
		kt_out_ch(o, '\n');
	}
	free(v);
	return 0;
}

static int syscount_finish(struct kt_st *st)
{
	struct syscount_st *s = st->priv;
	int rc;

	if ((rc = sc_table(st, &s->by_sys, 0)) ||
	    (rc = sc_table(st, &s->by_proc, 1)) ||
	    (rc = sc_table(st, &s->by_errno, 2)))
		return rc;
	if (!st->opts->per_comm)
		return 0;
	if ((rc = sc_comm_table(st, false)))
		return rc;
	return sc_comm_table(st, true);
}

static void sc_release_map(struct kt_map *m)
{
	struct sc_row *r;

	for (size_t i = 0; i < m->cap; i++)
		if ((r = kt_map_slot(m, i, NULL)))
			kt_lhist_release(&r->lat);
	kt_map_release(m);
}

static void syscount_release(struct kt_st *st)
{
	struct syscount_st *s = st->priv;

	sc_release_map(&s->by_sys);
	sc_release_map(&s->by_proc);
	sc_release_map(&s->by_errno);
	sc_release_map(&s->by_comm);
	sc_release_map(&s->by_comm_errno);
	kt_map_release(&s->comm_ids);
	free(s->comms);
}

const struct kt_stats_tool kt_st_syscount = {
	.name = "syscount",
	.options = "top,failed,syscall,per-process,per-comm",
	.summary = "syscalls by syscall, process and errno: counts, errors, "
		   "latency",
	.kinds = KT_KIND_BIT(KT_SYSCALL),
	.subject = true,
	.priv_size = sizeof(struct syscount_st),
	.init = syscount_init,
	.event = syscount_event,
	.finish = syscount_finish,
	.release = syscount_release,
};

/* --------------------------------------------------------------- faults */

struct fault_row {
	__u64 faults;           /* sum of sample periods; sort key */
	__u64 pid;
	__u64 samples, major, write;
	char comm[32];
};

static int faults_init(struct kt_st *st)
{
	kt_map_init(st->priv, sizeof(struct fault_row));
	return 0;
}

static int faults_event(struct kt_st *st, const struct kt_event *ev)
{
	__u64 period = ev->fault.period ? ev->fault.period : 1;
	struct fault_row *r;

	if (!kt_st_match(st, ev->tid, ev->pid))
		return 0;
	r = kt_map_put(st->priv, ev->pid, NULL);
	if (!r)
		return -ENOMEM;
	r->pid = ev->pid;
	r->faults += period;
	r->samples++;
	if (ev->fault.flags & KT_FAULT_MAJOR)
		r->major += period;
	if (ev->fault.flags & KT_FAULT_WRITE)
		r->write += period;
	kt_st_copy_comm(st, ev->tid, r->comm, sizeof(r->comm));
	return 0;
}

static int faults_finish(struct kt_st *st)
{
	struct kt_out *o = st->o;
	struct fault_row **v;
	size_t n, i;

	v = (struct fault_row **)kt_map_sorted(st->priv, &n, kt_st_cmp_desc);
	if (!v && n)
		return -ENOMEM;
	if (st->opts->top && n > st->opts->top)
		n = st->opts->top;
	if (!st->opts->json)
		kt_out_str(o, "PID     COMM                   FAULTS      MAJOR"
			   "      WRITE    SAMPLES\n");
	for (i = 0; i < n; i++) {
		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_u64(o, "pid", v[i]->pid);
			kt_out_jkv_cstr(o, "comm", v[i]->comm);
			kt_out_jkv_u64(o, "faults", v[i]->faults);
			kt_out_jkv_u64(o, "major", v[i]->major);
			kt_out_jkv_u64(o, "write", v[i]->write);
			kt_out_jkv_u64(o, "samples", v[i]->samples);
			kt_out_jclose(o, '}');
		} else {
			kt_out_u64w(o, v[i]->pid, -7);
			kt_out_ch(o, ' ');
			kt_out_escw(o, v[i]->comm, -16);
			kt_out_u64w(o, v[i]->faults, 13);
			kt_out_u64w(o, v[i]->major, 11);
			kt_out_u64w(o, v[i]->write, 11);
			kt_out_u64w(o, v[i]->samples, 11);
		}
		kt_out_ch(o, '\n');
	}
	free(v);
	return 0;
}

static void faults_release(struct kt_st *st)
{
	kt_map_release(st->priv);
}

const struct kt_stats_tool kt_st_faults = {
	.name = "faults",
	.options = "top",
	.summary = "user page faults by process (sampled, scaled by period)",
	.kinds = KT_KIND_BIT(KT_PAGE_FAULT),
	.subject = true,
	.priv_size = sizeof(struct kt_map),
	.init = faults_init,
	.event = faults_event,
	.finish = faults_finish,
	.release = faults_release,
};
