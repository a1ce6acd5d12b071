// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_chrome.c - `ktrail export --chrome`: the Chrome Trace Event
 * format as the Perfetto UI and chrome://tracing import it (RENDER-NOTES
 * §3).
 *
 * The object form {"traceEvents":[...],"displayTimeUnit":"ns",
 * "metadata":{...}}, with:
 *  - M events naming every process and thread that has an event;
 *  - a thread's syscalls as B/E slices on its own track (a thread's
 *    syscalls never overlap, so they nest; one of no length is an X),
 *    args ret, errno, path;
 *  - its states (running, runnable, blocked, ...) as X slices on a track
 *    of their own, tid KT_CHROME_STATE_TID | tid, named "<comm> <tid>
 *    states": the intervals tile the thread's life, and on the syscall
 *    track they would cross the syscalls' edges;
 *  - wakeups as flow arrows (v1: s on the waker's syscall, f with
 *    "bp":"e" on the syscall the wakee was blocked in; only when both
 *    are exported, so every s has its f);
 *  - block requests and TCP connections as async b/e slices (cat
 *    block_io, tcp; id unique per slice) on the issuer's or owner's
 *    process (pid 0 when none);
 *  - the clock: ts is microseconds from the capture's first event with
 *    three decimals (exact ns), and metadata gives that origin on the
 *    capture clock and on the wall clock, and the clock anchors.
 * Events are sorted by time (ends before begins at one instant, as the
 * importer sorts them), so the whole selection is held in memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"
#include "analyze/names.h"

#define KT_CHROME_STATE_TID 0x40000000u

/* Sort ranks at one instant: names first, ends before begins (but the
 * end of an async slice of no length after its own begin). */
enum { R_META = 0, R_END = 1, R_AEND = 2, R_BEGIN = 3, R_ABEGIN = 4,
       R_AEND0 = 5, R_X = 6, R_FLOW = 7 };

struct cev {
	__u64 ts;
	__u64 seq;
	__u32 rank;
	size_t off, len;        /* text in ctx.text */
};

struct cthread {
	__u32 pid, tid, utid;
};

struct csys {                   /* a syscall slice, for the flows */
	__u32 utid, tid;
	__u64 start, end;
};

struct cwake {
	__u64 ts;
	__u32 waker_utid, waker_tid, waker_pid;
	__u32 wakee_utid, wakee_tid, wakee_pid;
};

struct chrome {
	struct kt_xsel sel;
	struct kt_out text;     /* the events' JSON, memory only */
	struct cev *ev;
	size_t nev, cev;
	struct cthread *th;
	size_t nth, cth;
	struct csys *sys;
	size_t nsys, csys;
	struct cwake *wk;
	size_t nwk, cwk;
	__u64 origin;           /* capture-clock ns of ts 0 */
	__u64 async_id;
	int err;
	bool states, syscalls, blocks, tcp;
};

/* grow the array *@p of *@cap elements of @size for one more */
static int more(void *p, size_t *cap, size_t n, size_t size)
{
	void **pp = p;
	size_t c = *cap ? *cap * 2 : 1024;
	void *q;

	if (n < *cap)
		return 0;
	q = realloc(*pp, c * size);
	if (!q)
		return -ENOMEM;
	*pp = q;
	*cap = c;
	return 0;
}

/* "ts":12.345 (µs from the origin, exact ns) */
static void us(struct kt_out *o, const char *key, __u64 ns)
{
	kt_out_jkey(o, key);
	kt_out_u64(o, ns / 1000);
	kt_out_ch(o, '.');
	kt_out_u64z(o, ns % 1000, 3);
}

/* start an event: {"ph":P,"ts":..,"pid":..,"tid":..; returns its
 * start offset in the text */
static size_t begin(struct chrome *c, char ph, __u64 ts, __u32 pid, __u32 tid)
{
	struct kt_out *o = &c->text;
	size_t off = o->len;
	char p[2] = { ph, 0 };

	kt_out_jopen(o, '{');
	kt_out_jkv_cstr(o, "ph", p);
	if (ph != 'M')
		us(o, "ts", ts < c->origin ? 0 : ts - c->origin);
	kt_out_jkv_u64(o, "pid", pid);
	kt_out_jkv_u64(o, "tid", tid);
	return off;
}

static void end(struct chrome *c, __u64 ts, __u32 rank, size_t off)
{
	struct cev *e;

	kt_out_jclose(&c->text, '}');
	if (more(&c->ev, &c->cev, c->nev, sizeof(*c->ev))) {
		c->err = -ENOMEM;
		return;
	}
	e = &c->ev[c->nev];
	e->ts = ts;
	e->seq = c->nev++;
	e->rank = rank;
	e->off = off;
	e->len = c->text.len - off;
}

static void thread_seen(struct chrome *c, __u32 pid, __u32 tid, __u32 utid)
{
	if (more(&c->th, &c->cth, c->nth, sizeof(*c->th))) {
		c->err = -ENOMEM;
		return;
	}
	c->th[c->nth++] = (struct cthread){ pid, tid, utid };
}

/* ------------------------------------------------------------ states */

static const char *state_label(const struct kt_tl_interval *iv)
{
	switch (iv->state) {
	case KT_TL_RUNNING: return "Running";
	case KT_TL_RUNNABLE:
		return iv->wake.cause == KT_CAUSE_PREEMPT ?
		       "Runnable (Preempted)" : "Runnable";
	case KT_TL_BLOCKED: return "Uninterruptible Sleep";
	case KT_TL_SLEEPING: return "Sleeping";
	case KT_TL_STOPPED: return "Stopped";
	case KT_TL_DEAD: return "Dead";
	default: return "Unknown";
	}
}

static int on_interval(const struct kt_tl_interval *iv, void *arg)
{
	struct chrome *c = arg;
	struct kt_out *o = &c->text;
	const char *sys;
	size_t off;

	if (!c->states || !iv->tid ||
	    !kt_xsel_overlaps(&c->sel, iv->start, iv->end) ||
	    !kt_xsel_pid(&c->sel, iv->pid))
		return 0;
	off = begin(c, 'X', iv->start, iv->pid, KT_CHROME_STATE_TID | iv->tid);
	us(o, "dur", iv->end - (iv->start < c->origin ? c->origin : iv->start));
	kt_out_jkv_cstr(o, "name", state_label(iv));
	kt_out_jkv_cstr(o, "cat", "thread_state");
	kt_out_jkey(o, "args");
	kt_out_jopen(o, '{');
	kt_out_jkv_u64(o, "cpu", iv->cpu);
	if (iv->state == KT_TL_RUNNABLE || kt_tl_is_wait(iv->state))
		kt_out_jkv_cstr(o, "cause", kt_tl_cause_name(iv->wake.cause));
	sys = kt_tl_is_wait(iv->state) && iv->sys.nr != KT_TL_NOSYS ?
	      kt_syscall_name(iv->sys.nr) : NULL;
	if (sys)
		kt_out_jkv_cstr(o, "syscall", sys);
	if (iv->state == KT_TL_RUNNABLE && iv->wake.ts && iv->wake.tid &&
	    iv->wake.cause == KT_CAUSE_TASK)
		kt_out_jkv_u64(o, "waker_tid", iv->wake.tid);
	kt_out_jclose(o, '}');
	end(c, iv->start, R_X, off);
	thread_seen(c, iv->pid, KT_CHROME_STATE_TID | iv->tid, iv->utid);
	return c->err;
}

/* ------------------------------------------------------------- spans */

static void syscall_args(struct chrome *c, const struct kt_tl_span *sp)
{
	struct kt_out *o = &c->text;
	const char *e = NULL, *path;
	size_t n;

	kt_out_jkey(o, "args");
	kt_out_jopen(o, '{');
	if (sp->sys.flags & KT_SYSCALL_UNFINISHED) {
		kt_out_jkv_cstr(o, "ret", "unfinished");
	} else {
		kt_out_jkv_s64(o, "ret", sp->sys.ret);
		e = kt_errno_ret_name(sp->sys.ret);
	}
	if (e)
		kt_out_jkv_cstr(o, "errno", e);
	switch (kt_syscall_args(sp->sys.nr)) {
	case KT_SYSARGS_OPENAT:
	case KT_SYSARGS_OPEN:
	case KT_SYSARGS_PATH:
	case KT_SYSARGS_RENAME:
		if (sp->ev && sp->ev->kind == KT_SYSCALL && sp->ev->sys.str) {
			path = kt_event_str(sp->ev, sp->ev->sys.str, &n);
			kt_out_jkv_str(o, "path", path, strnlen(path, n));
		}
		break;
	case KT_SYSARGS_FD:
	case KT_SYSARGS_FD_BYTES:
		kt_out_jkv_s64(o, "fd", (__s64)sp->sys.arg[0]);
		break;
	default:
		break;
	}
	kt_out_jclose(o, '}');
}

static void syscall_slice(struct chrome *c, const struct kt_tl_span *sp)
{
	const char *name = kt_syscall_name(sp->sys.nr);
	char buf[32];
	__u64 start = sp->start < c->origin ? c->origin : sp->start;
	size_t off;

	if (!name) {
		snprintf(buf, sizeof(buf), "syscall_%u", sp->sys.nr);
		name = buf;
	}
	/* one of no length is an X: its E would sort before its B */
	off = begin(c, sp->end > start ? 'B' : 'X', start, sp->pid, sp->tid);
	if (sp->end <= start)
		us(&c->text, "dur", 0);
	kt_out_jkv_cstr(&c->text, "name", name);
	kt_out_jkv_cstr(&c->text, "cat", "syscall");
	syscall_args(c, sp);
	end(c, start, sp->end > start ? R_BEGIN : R_X, off);
	if (sp->end > start) {
		off = begin(c, 'E', sp->end, sp->pid, sp->tid);
		end(c, sp->end, R_END, off);
	}
	thread_seen(c, sp->pid, sp->tid, sp->utid);
	if (!more(&c->sys, &c->csys, c->nsys, sizeof(*c->sys)))
		c->sys[c->nsys++] = (struct csys){ sp->utid, sp->tid, start,
						   sp->end };
	else
		c->err = -ENOMEM;
}

/* an async slice: b at @start, e at @end, with @name and @cat */
static void async_slice(struct chrome *c, const struct kt_tl_span *sp,
			const char *cat, const char *name)
{
	struct kt_out *o = &c->text;
	__u64 id = ++c->async_id;
	__u64 start = sp->start < c->origin ? c->origin : sp->start;
	size_t off;

	off = begin(c, 'b', start, sp->pid, sp->tid);
	kt_out_jkv_cstr(o, "name", name);
	kt_out_jkv_cstr(o, "cat", cat);
	kt_out_jkv_u64(o, "id", id);
	kt_out_jkey(o, "args");
	kt_out_jopen(o, '{');
	if (sp->kind == KT_SPAN_BLOCK) {
		kt_out_jkv_u64(o, "sector", sp->blk.sector);
		kt_out_jkv_u64(o, "bytes", sp->blk.bytes);
		if (sp->blk.error)
			kt_out_jkv_s64(o, "error", sp->blk.error);
	} else {
		kt_out_jkv_cstr(o, "first_state",
				kt_tcp_state_name(sp->tcp.first_state) ?: "?");
		kt_out_jkv_u64(o, "retransmits", sp->tcp.retrans);
	}
	kt_out_jclose(o, '}');
	end(c, start, R_ABEGIN, off);
	off = begin(c, 'e', sp->end, sp->pid, sp->tid);
	kt_out_jkv_cstr(o, "name", name);
	kt_out_jkv_cstr(o, "cat", cat);
	kt_out_jkv_u64(o, "id", id);
	end(c, sp->end, sp->end > start ? R_AEND : R_AEND0, off);
	thread_seen(c, sp->pid, sp->tid, sp->utid);
}

static int on_span(const struct kt_tl_span *sp, void *arg)
{
	struct chrome *c = arg;
	char name[160], a[64], b[64];

	if (!kt_xsel_overlaps(&c->sel, sp->start, sp->end) ||
	    !kt_xsel_pid(&c->sel, sp->pid))
		return 0;
	switch (sp->kind) {
	case KT_SPAN_SYSCALL:
		if (c->syscalls && sp->tid)
			syscall_slice(c, sp);
		break;
	case KT_SPAN_BLOCK:
		if (!c->blocks)
			break;
		kt_fmt_dev(a, sizeof(a), sp->blk.dev);
		snprintf(name, sizeof(name), "%s %s",
			 kt_block_op_name(sp->blk.op) ?: "OP", a);
		async_slice(c, sp, "block_io", name);
		break;
	case KT_SPAN_TCP:
		if (!c->tcp)
			break;
		kt_fmt_ipport(a, sizeof(a), sp->tcp.family, sp->tcp.saddr,
			      sp->tcp.sport);
		kt_fmt_ipport(b, sizeof(b), sp->tcp.family, sp->tcp.daddr,
			      sp->tcp.dport);
		snprintf(name, sizeof(name), "tcp %s -> %s", a, b);
		async_slice(c, sp, "tcp", name);
		break;
	default:
		break;
	}
	return c->err;
}

static int on_wakeup(const struct kt_tl_wakeup *wu, void *arg)
{
	struct chrome *c = arg;
	const struct kt_tl_wake *w = &wu->wake;

	if (!c->states || !c->syscalls || w->cause != KT_CAUSE_TASK ||
	    !w->tid || !wu->wakee_tid || !kt_tl_is_wait(wu->wakee_state) ||
	    !kt_xsel_overlaps(&c->sel, w->ts, w->ts))
		return 0;
	if (more(&c->wk, &c->cwk, c->nwk, sizeof(*c->wk)))
		return c->err = -ENOMEM;
	c->wk[c->nwk++] = (struct cwake){
		w->ts, w->utid, w->tid, 0, wu->wakee_utid, wu->wakee_tid, 0,
	};
	return 0;
}

/* -------------------------------------------------------------- flows */

static int sys_cmp(const void *a, const void *b)
{
	const struct csys *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->utid != y->utid)
		return x->utid < y->utid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* the syscall slice of thread (@utid, @tid) that contains @ts */
static const struct csys *sys_at(const struct chrome *c, __u32 utid,
				 __u32 tid, __u64 ts)
{
	struct csys key = { utid, tid, ts, 0 };
	size_t lo = 0, hi = c->nsys;

	while (lo < hi) {       /* the first slice after (utid, tid, ts) */
		size_t mid = lo + (hi - lo) / 2;
		struct csys k = key;

		k.start = ts;
		if (sys_cmp(&c->sys[mid], &k) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	lo--;
	if (c->sys[lo].tid != tid || c->sys[lo].utid != utid ||
	    c->sys[lo].end < ts)
		return NULL;
	return &c->sys[lo];
}

/* the pid of a thread that has a syscall slice: from the threads seen */
static void flows(struct chrome *c, const struct kt_tasks *tasks)
{
	struct kt_out *o = &c->text;
	__u64 id = 0;

	if (c->nsys)
		qsort(c->sys, c->nsys, sizeof(*c->sys), sys_cmp);
	for (size_t k = 0; k < c->nwk && !c->err; k++) {
		const struct cwake *w = &c->wk[k];
		const struct kt_task *wt, *et;
		size_t off;

		if (!sys_at(c, w->waker_utid, w->waker_tid, w->ts) ||
		    !sys_at(c, w->wakee_utid, w->wakee_tid, w->ts))
			continue;
		wt = w->waker_utid ? kt_tasks_get(tasks, w->waker_utid) : NULL;
		et = w->wakee_utid ? kt_tasks_get(tasks, w->wakee_utid) : NULL;
		if (!wt || !et)
			continue;
		id++;
		off = begin(c, 's', w->ts, wt->pid, w->waker_tid);
		kt_out_jkv_cstr(o, "name", "wakeup");
		kt_out_jkv_cstr(o, "cat", "wakeup");
		kt_out_jkv_u64(o, "id", id);
		end(c, w->ts, R_FLOW, off);
		off = begin(c, 'f', w->ts, et->pid, w->wakee_tid);
		kt_out_jkv_cstr(o, "name", "wakeup");
		kt_out_jkv_cstr(o, "cat", "wakeup");
		kt_out_jkv_u64(o, "id", id);
		kt_out_jkv_cstr(o, "bp", "e");
		end(c, w->ts, R_FLOW, off);
	}
}

/* ------------------------------------------------------------- names */

static int th_cmp(const void *a, const void *b)
{
	const struct cthread *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->utid < y->utid ? -1 : x->utid > y->utid;
}

static void name_event(struct chrome *c, const char *what, __u32 pid,
		       __u32 tid, const char *name)
{
	size_t off = begin(c, 'M', 0, pid, tid);

	kt_out_jkv_cstr(&c->text, "name", what);
	kt_out_jkey(&c->text, "args");
	kt_out_jopen(&c->text, '{');
	kt_out_jkv_cstr(&c->text, "name", name);
	kt_out_jclose(&c->text, '}');
	end(c, 0, R_META, off);
}

/* process_name and thread_name of every thread with an event; a tid
 * reused by several threads is named after the last */
static void names(struct chrome *c, const struct kt_tasks *tasks)
{
	char buf[128];
	size_t k, n = 0;

	if (c->nth)
		qsort(c->th, c->nth, sizeof(*c->th), th_cmp);
	for (k = 0; k < c->nth; k++)    /* unique (pid, tid), last utid */
		if (!n || c->th[n - 1].pid != c->th[k].pid ||
		    c->th[n - 1].tid != c->th[k].tid)
			c->th[n++] = c->th[k];
		else
			c->th[n - 1] = c->th[k];
	for (k = 0; k < n && !c->err; k++) {
		const struct cthread *t = &c->th[k];
		__u32 tid = t->tid & ~KT_CHROME_STATE_TID;
		const struct kt_task *task = t->utid ?
			kt_tasks_get(tasks, t->utid) :
			kt_tasks_find(tasks, tid);
		const struct kt_task *lead = kt_tasks_find(tasks, t->pid);
		char unk[32];
		const char *comm = task ? task->comm : unk;

		snprintf(unk, sizeof(unk), "tid %u", tid);

		if (!k || c->th[k - 1].pid != t->pid) {
			snprintf(buf, sizeof(buf), "pid %u", t->pid);
			name_event(c, "process_name", t->pid, t->pid,
				   !t->pid ? "kernel" :
				   lead && lead->pid == t->pid ? lead->comm :
				   task ? task->comm : buf);
		}
		if (t->tid & KT_CHROME_STATE_TID && !task)
			snprintf(buf, sizeof(buf), "tid %u states", tid);
		else if (t->tid & KT_CHROME_STATE_TID)
			snprintf(buf, sizeof(buf), "%s %u states", comm, tid);
		else if (!tid)
			snprintf(buf, sizeof(buf), "kernel");
		else
			snprintf(buf, sizeof(buf), "%s", comm);
		name_event(c, "thread_name", t->pid, t->tid, buf);
	}
}

/* ------------------------------------------------------------- output */

static int cev_cmp(const void *a, const void *b)
{
	const struct cev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void metadata(struct chrome *c, struct kt_out *o, struct kt_reader *r)
{
	const struct kt_anchors *an = kt_reader_anchors(r);
	char wall[64];
	__s64 w;

	kt_out_str(o, "\"displayTimeUnit\":\"ns\",\"metadata\":{");
	kt_out_str(o, "\"clock-domain\":\"LINUX_CLOCK_MONOTONIC\",");
	kt_out_str(o, "\"ktrail\":{\"ts_unit\":\"us from ts_origin_ns\"");
	kt_out_str(o, ",\"ts_origin_ns\":\"");
	kt_out_u64(o, c->origin);
	kt_out_ch(o, '"');
	if (!kt_anchors_to_wall(an, c->origin, &w) &&
	    kt_wall_fmt(wall, sizeof(wall), w)) {
		kt_out_str(o, ",\"ts_origin_wall\":\"");
		kt_out_str(o, wall);
		kt_out_ch(o, '"');
	}
	kt_out_str(o, ",\"clock_anchors\":[");
	for (size_t k = 0; an && k < an->n; k++) {
		kt_out_str(o, k ? ",{\"mono_ns\":\"" : "{\"mono_ns\":\"");
		kt_out_u64(o, an->a[k].mono_ns);
		kt_out_str(o, "\",\"real_ns\":\"");
		kt_out_s64(o, an->a[k].real_ns);
		kt_out_str(o, "\"}");
	}
	kt_out_str(o, "]}}}\n");
}

static void write_all(struct chrome *c, struct kt_out *o, struct kt_reader *r)
{
	if (c->nev)
		qsort(c->ev, c->nev, sizeof(*c->ev), cev_cmp);
	kt_out_str(o, "{\"traceEvents\":[\n");
	for (size_t k = 0; k < c->nev && !o->err; k++) {
		kt_out_mem(o, c->text.buf + c->ev[k].off, c->ev[k].len);
		kt_out_str(o, k + 1 < c->nev ? ",\n" : "\n");
	}
	kt_out_str(o, "],");
	metadata(c, o, r);
}

static void release(struct chrome *c)
{
	kt_out_release(&c->text);
	free(c->ev);
	free(c->th);
	free(c->sys);
	free(c->wk);
}

int kt_export_chrome(struct kt_reader *r, struct kt_out *out,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err)
{
	static const struct kt_tl_ops ops = {
		.interval = on_interval, .span = on_span, .wakeup = on_wakeup,
	};
	struct chrome c = { 0 };
	__u64 before = out->written + out->len;
	int rc;

	kt_xsel_init(&c.sel, r, o);
	c.origin = c.sel.first_ts;
	c.states = kt_xsel_family(&c.sel, KT_FAM_SCHED);
	c.syscalls = kt_xsel_family(&c.sel, KT_FAM_SYSCALL);
	c.blocks = kt_xsel_family(&c.sel, KT_FAM_BLOCK);
	c.tcp = kt_xsel_family(&c.sel, KT_FAM_TCP);
	if (kt_out_init(&c.text, -1, 0))
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	rc = kt_window_timeline(r, &c.sel.w, &ops, &c, err);
	if (rc > 0 || (!rc && c.err))
		rc = c.err ? c.err : -ENOMEM;
	if (!rc) {
		flows(&c, kt_reader_tasks(r));
		names(&c, kt_reader_tasks(r));
		if (c.err || c.text.err)
			rc = -ENOMEM;
	}
	if (rc == -ENOMEM)
		kt_err_set(err, rc, KT_ERR_SYSTEM, ~0ULL, "out of memory");
	if (!rc) {
		write_all(&c, out, r);
		rc = out->err;
	}
	if (st) {
		st->events = st->rows = c.nev;
		st->bytes = out->written + out->len - before;
	}
	release(&c);
	return rc;
}
