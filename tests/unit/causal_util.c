// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "causal_util.h"

void cs_init(struct cs *s)
{
	memset(s, 0, sizeof(*s));
	s->strtab.ptr = s->strs;
	s->strtab.len = s->lens;
}

void cs_release(struct cs *s)
{
	free(s->ev);
	s->ev = NULL;
}

void cs_task(struct cs *s, __u32 tid, __u32 pid, const char *comm)
{
	struct kt_task *t = &s->tasks[s->ntasks++];

	memset(t, 0, sizeof(*t));
	t->utid = tid;
	t->tid = tid;
	t->pid = pid;
	t->comm = comm;
	t->exe = "";
	t->cmdline = "";
	t->cgroup = "";
	t->flags = KT_TASK_SNAPSHOT;
}

__u32 cs_str(struct cs *s, const char *str)
{
	s->strs[s->strtab.n] = str;
	s->lens[s->strtab.n] = strlen(str);
	return ++s->strtab.n;
}

static __u32 pid_of(const struct cs *s, __u32 tid)
{
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i].tid == tid)
			return s->tasks[i].pid;
	return tid;
}

struct kt_event *cs_add(struct cs *s, __u64 ts, unsigned cpu, unsigned kind,
			__u32 tid)
{
	struct kt_event *e;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
		if (!s->ev)
			abort();
	}
	e = &s->ev[s->n++];
	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->cpu = cpu;
	e->kind = kind;
	e->tid = tid;
	e->pid = tid ? pid_of(s, tid) : 0;
	return e;
}

void cs_switch(struct cs *s, __u64 ts, unsigned cpu, __u32 prev,
	       __u32 prev_state, __u32 next)
{
	struct kt_event *e = cs_add(s, ts, cpu, KT_SCHED_SWITCH, prev);

	e->sw.prev_state = prev_state;
	e->sw.next_tid = next;
	e->sw.next_pid = next ? pid_of(s, next) : 0;
	e->sw.prev_prio = e->sw.next_prio = 120;
}

void cs_wake(struct cs *s, __u64 ts, unsigned cpu, __u32 waker, __u32 target,
	     unsigned ctx)
{
	struct kt_event *e = cs_add(s, ts, cpu, KT_SCHED_WAKING, waker);

	e->wake.target_tid = target;
	e->wake.target_pid = pid_of(s, target);
	e->wake.target_cpu = cpu;
	e->wake.target_prio = 120;
	e->wake.context = ctx;
}

void cs_wakenew(struct cs *s, __u64 ts, unsigned cpu, __u32 parent,
		__u32 child)
{
	cs_wake(s, ts, cpu, parent, child, KT_CTX_TASK);
	s->ev[s->n - 1].kind = KT_SCHED_WAKEUP_NEW;
}

void cs_sys(struct cs *s, __u64 end, unsigned cpu, __u32 tid, __u32 nr,
	    __u64 dur, __s64 ret, __u64 fd, __u64 file_id, __u32 flags)
{
	struct kt_event *e = cs_add(s, end, cpu, KT_SYSCALL, tid);

	e->sys.nr = nr;
	e->sys.dur = dur;
	e->sys.ret = ret;
	e->sys.arg[0] = fd;
	e->sys.arg[2] = file_id;
	e->sys.flags = flags;
}

void cs_blk(struct cs *s, __u64 ts, unsigned cpu, __u32 issuer, __u32 dev,
	    __u64 sector, __u32 bytes, __u64 service_ns)
{
	struct kt_event *e = cs_add(s, ts, cpu, KT_BLOCK_RQ, issuer);

	e->blk.dev = dev;
	e->blk.op = 1; /* REQ_OP_WRITE */
	e->blk.sector = sector;
	e->blk.bytes = bytes;
	e->blk.service_ns = service_ns;
	e->blk.issue_cpu = cpu;
}

void cs_fork(struct cs *s, __u64 ts, unsigned cpu, __u32 parent, __u32 child,
	     __u32 child_pid)
{
	struct kt_event *e = cs_add(s, ts, cpu, KT_PROC_FORK, parent);

	e->fork.child_tid = child;
	e->fork.child_pid = child_pid;
	e->fork.flags = child == child_pid ? 0 : KT_FORK_THREAD;
}

void cs_exit(struct cs *s, __u64 ts, unsigned cpu, __u32 tid, int code,
	     int group)
{
	struct kt_event *e = cs_add(s, ts, cpu, KT_PROC_EXIT, tid);

	e->exit.exit_code = code;
	e->exit.flags = group ? KT_EXIT_GROUP : 0;
}

int cs_write(struct cs *s, const char *path, __u32 frame_events)
{
	json_t *meta = json_pack("{s:s}", "ktrail_version", "test");
	int rc = meta ? cs_write_meta(s, path, frame_events, meta) : -ENOMEM;

	json_decref(meta);
	return rc;
}

int cs_write_meta(struct cs *s, const char *path, __u32 frame_events,
		  const json_t *meta)
{
	struct kt_writer_opts o = { .frame_events = frame_events };
	struct kt_writer *w;
	int rc = kt_writer_open(&w, path, &o, meta);

	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < s->ntasks; i++)
		rc = kt_writer_task(w, &s->tasks[i]);
	for (size_t i = 0; !rc && i < s->n; i++)
		rc = kt_writer_add(w, &s->ev[i]);
	if (rc) {
		kt_writer_abort(w);
		return rc;
	}
	return kt_writer_close(w, NULL);
}

/* ---------------------------------------------------------- collecting */

#define PUSH(arr, n, cap, x)                                            \
	do {                                                            \
		if ((n) == (cap)) {                                     \
			(cap) = (cap) ? (cap) * 2 : 64;                 \
			(arr) = realloc((arr), (cap) * sizeof(*(arr))); \
			if (!(arr))                                     \
				abort();                                \
		}                                                       \
		(arr)[(n)++] = (x);                                     \
	} while (0)

static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct tl_out *o = arg;

	PUSH(o->iv, o->niv, o->ivcap, *iv);
	return 0;
}

static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	struct tl_out *o = arg;
	struct kt_tl_span c = *sp;

	c.ev = NULL;
	PUSH(o->sp, o->nsp, o->spcap, c);
	return 0;
}

static int on_wu(const struct kt_tl_wakeup *wu, void *arg)
{
	struct tl_out *o = arg;

	PUSH(o->wu, o->nwu, o->wucap, *wu);
	return 0;
}

static int on_end(const struct kt_tl_interval *iv, void *arg)
{
	(void)iv;
	((struct tl_out *)arg)->nends++;
	return 0;
}

const struct kt_tl_ops tl_out_ops = {
	.interval = on_iv, .span = on_sp, .wakeup = on_wu, .thread_end = on_end,
};

int cs_timeline(struct cs *s, const struct kt_tl_opts *o, struct tl_out *out)
{
	struct kt_source *src;
	struct kt_tl *tl;
	struct kt_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	src = kt_source_mem(s->ev, s->n, &s->strtab, s->tasks, s->ntasks);
	tl = kt_tl_new(o, &tl_out_ops, out);
	if (!src || !tl) {
		kt_source_free(src);
		kt_tl_free(tl);
		return -1;
	}
	rc = kt_tl_run(tl, src, &err);
	kt_tl_free(tl);
	kt_source_free(src);
	return rc;
}

void tl_out_release(struct tl_out *out)
{
	free(out->iv);
	free(out->sp);
	free(out->wu);
	memset(out, 0, sizeof(*out));
}

const struct kt_tl_interval *tl_at(const struct tl_out *out, __u32 tid,
				   __u64 ts)
{
	for (size_t i = 0; i < out->niv; i++)
		if (out->iv[i].tid == tid && out->iv[i].start <= ts &&
		    ts < out->iv[i].end)
			return &out->iv[i];
	return NULL;
}

size_t tl_count(const struct tl_out *out, __u32 tid)
{
	size_t n = 0;

	for (size_t i = 0; i < out->niv; i++)
		n += out->iv[i].tid == tid;
	return n;
}

int tl_check_tiling(const struct tl_out *out, char *why, size_t whysz)
{
	/* delivery order per thread is time order, so one pass suffices:
	 * remember the last end per thread */
	struct last { __u32 utid, tid; __u64 end; } *seen = NULL;
	size_t nseen = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < out->niv && !rc; i++) {
		const struct kt_tl_interval *iv = &out->iv[i];
		size_t j;

		if (iv->end <= iv->start) {
			snprintf(why, whysz, "tid %u: empty interval [%llu,%llu)",
				 iv->tid, (unsigned long long)iv->start,
				 (unsigned long long)iv->end);
			rc = -1;
			break;
		}
		/* a thread is its utid (its tid changes when a non-leader
		 * execs); threads the table does not know are their tid */
		for (j = 0; j < nseen; j++)
			if (seen[j].utid == iv->utid &&
			    (iv->utid || seen[j].tid == iv->tid))
				break;
		if (j == nseen) {
			if (!(iv->flags & KT_TL_F_FIRST)) {
				snprintf(why, whysz, "tid %u: first interval at %llu not marked first",
					 iv->tid, (unsigned long long)iv->start);
				rc = -1;
			}
			if (nseen == cap) {
				cap = cap ? cap * 2 : 16;
				seen = realloc(seen, cap * sizeof(*seen));
				if (!seen)
					abort();
			}
			seen[nseen].utid = iv->utid;
			seen[nseen].tid = iv->tid;
			seen[nseen++].end = iv->end;
			continue;
		}
		if (iv->flags & KT_TL_F_FIRST) {
			/* a new life of the same (utid, tid): a reused tid
			 * both unknown to the task table; no overlap */
			if (iv->start < seen[j].end) {
				snprintf(why, whysz, "tid %u: a new life at %llu overlaps the last, ending at %llu",
					 iv->tid, (unsigned long long)iv->start,
					 (unsigned long long)seen[j].end);
				rc = -1;
			}
		} else if (iv->start != seen[j].end) {
			snprintf(why, whysz, "tid %u: %s at %llu after an interval ending at %llu",
				 iv->tid, iv->start > seen[j].end ? "gap" : "overlap",
				 (unsigned long long)iv->start,
				 (unsigned long long)seen[j].end);
			rc = -1;
		}
		seen[j].end = iv->end;
	}
	free(seen);
	return rc;
}
