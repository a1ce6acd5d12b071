// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeline.c - `ktrail timeline`: the state intervals and spans of the
 * selected threads over a time range, grouped by thread, as text or
 * NDJSON; or drawn as swimlanes (-o OUT.svg, .png, .scene: render.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/cli.h"
#include "analyze/fds.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "cli/capture.h"
#include "analyze/lanes.h"
#include "analyze/timeline_fmt.h"
#include "analyze/xsort.h"
#include "render/render.h"

static const char usage[] =
	"ktrail timeline FILE [--pid P] [--tid T] [--comm C] [--from T] [--to T]\n"
	"       [--rel | --wall] [--buffer-size SIZE] [--json | --min DURATION |\n"
	"       -o OUT.svg|OUT.png|OUT.scene [--width PX] [--lanes N]]";

static const char help[] =
"NAME\n"
"    ktrail timeline - per-thread state intervals and spans, nanosecond exact\n"
"\n"
"SYNOPSIS\n"
"    ktrail timeline FILE [--pid P] [--tid T] [--comm C] [--from T] [--to T]\n"
"                    [--rel | --wall] [--buffer-size SIZE]\n"
"                    [--json | --min DURATION]\n"
"    ktrail timeline FILE ... -o OUT.svg|OUT.png|OUT.scene [--width PX]\n"
"                    [--lanes N]\n"
"\n"
"DESCRIPTION\n"
"    For every selected thread, every nanosecond between its first\n"
"    appearance and its death (or the end of the range) is in exactly\n"
"    one interval: running (on a cpu), runnable (preempted, or woken and\n"
"    waiting for a cpu; runnable starts at the wakeup, as in Perfetto),\n"
"    blocked (D), sleeping (S), stopped, dead, or unknown (at the edge of\n"
"    the capture, before any event says).  A wait shows the syscall it\n"
"    was in and what ended it: the waking thread, or for a wakeup from\n"
"    interrupt context the device (a disk request completing on that\n"
"    cpu, a timer, the network), never the interrupted task.  A runnable\n"
"    interval shows what made it runnable (preempted, woken, new).\n"
"\n"
"    Then the thread's spans: syscalls, block requests it issued, TCP\n"
"    connections it drove, signals it received, its process's lifetime;\n"
"    and last its total time in each state within the range.\n"
"    A syscall shows its fds as strace -y does, with what they named\n"
"    (fsync(3</data/x.db>), write(4<TCP:[10.0.0.2:40000->10.0.0.1:80]>),\n"
"    openat(\"/etc/passwd\") = 3</etc/passwd>), from the capture's records\n"
"    since its start and the fds open when recording started; disks by\n"
"    name (vda (254:0)) when the capture names them.\n"
"\n"
"    Intervals are cut to [--from, --to]; to know the states at --from,\n"
"    reading starts 1 s earlier.  Flags: first (the state before is\n"
"    unknown), open (cut by the end), exiting, sys? (the syscall around\n"
"    the wait could not be told), missed (woken twice with no run seen\n"
"    in between: it ran and slept unrecorded, out of scope or lost).\n"
"\n"
"    With --min, consecutive intervals shorter than DURATION fold into\n"
"    one line that says how many it folded and their time per state\n"
"    (a lone short interval stays as it is).\n"
"\n"
"    With -o the timeline is drawn (docs/render.md): one lane per\n"
"    thread, grouped by process, coloured by what the thread was doing\n"
"    (running, with its cpu; runnable; blocked on disk, a lock, the\n"
"    network, a pipe or socket, a timer, a child; waiting or idle;\n"
"    unknown), its syscalls and block I/O in a thin row under it, wakeup\n"
"    arrows between lanes, a legend, and a time axis from the window's\n"
"    start, exact to the nanosecond, with the start in wall-clock time.\n"
"    A pixel shows the state that held most of its time, hatched when\n"
"    others held 10 % or more, so the file's size depends on the width\n"
"    and the lanes, not on the events.  The slowest span of the window\n"
"    (never an idle wait such as epoll_wait, poll, wait4 or a sleep,\n"
"    unless --pid is given) is boxed and its critical path explained\n"
"    (as `ktrail why`): the culprit's lane comes first, highlighted,\n"
"    then the other threads of the path, then the busiest; past N lanes\n"
"    the rest fold into one.  .scene writes the scene the picture is\n"
"    drawn from, as text (for tests).\n"
"\n"
"OPTIONS\n"
"    --pid P      only threads of process P\n"
"    --tid T      only thread T\n"
"    --comm C     only threads named C (their name when the reading ends)\n"
"    --from T     start of the range; --to T end of the range.  T is\n"
"                 +1.5s from the first event, seconds or ns on the capture\n"
"                 clock, or ISO-8601 wall clock\n"
"    --rel        times in seconds since the capture's first event\n"
"                 (default: seconds on the capture clock, since boot)\n"
"    --wall       times as ISO-8601 UTC wall clock, through the\n"
"                 capture's clock anchors\n"
"    --json       NDJSON: one object per interval or span, exact ns\n""    --fd-history read every record before the window for the fd names\n"
"                 (default: at most 64 MB of frames; a note says when the\n"
"                 names start later than the capture)\n"
"    --min D      fold runs of intervals shorter than D (100us, 1ms)\n"
"    --buffer-size SIZE\n"
"                 the intervals and spans held in memory before they are\n"
"                 sorted into a temporary file (64K .. 1G; default 64M)\n"
"    -o OUT       draw into OUT: .svg, .png, or .scene (the scene dump)\n"
"    --width PX   the picture's width, 400..16000 (default 1200)\n"
"    --lanes N    lanes before the rest fold, 1..1000 (default 40)\n"
"    -h, --help   this page\n"
"\n"
"MEMORY\n"
"    The text and --json outputs go thread by thread, while the capture\n"
"    is read in time order: as sort(1) does, the intervals and spans of\n"
"    the range are held in memory up to --buffer-size (about 330 bytes\n"
"    each), then sorted into runs in a temporary file in $TMPDIR (else\n"
"    /tmp), unlinked at once, and merged as they are printed.  Beside\n"
"    that: a few bytes per thread of the range, the task table (per\n"
"    thread the capture names) and the fd names (per open fd).  The\n"
"    temporary file takes about 330 bytes per event of the range (twice\n"
"    that past 64 runs); a full disk stops the command with exit 3.\n"
"    Pictures (-o) hold one column of state per pixel, not the\n"
"    intervals.\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches nothing: a note on stderr says so, and a picture\n"
"    says \"no events for ...\"); 2 usage error (an unknown -o\n"
"    extension), a bad time, or FILE missing, unreadable or not a valid\n"
"    capture; 3 out of memory, or stdout, OUT or the temporary file\n"
"    could not be written\n"
"    (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail timeline x.ktr --pid 4242\n"
"    ktrail timeline x.ktr --tid 4250 --from +1s --to +1.2s --json\n"
"    ktrail timeline x.ktr --tid 4250 --min 1ms\n"
"    ktrail timeline x.ktr --from +1s --to +1.1s -o t.png\n";

struct tl_cmd {
	const char *file, *from_s, *to_s, *comm, *out;
	__u32 pid, tid;
	bool json, rel, wall, fd_history;
	__u64 min, mem;
	unsigned width, lanes;
	enum kt_rfmt fmt;
	struct kt_window w;
};

/* ------------------------------------------------------------- text */

static void flags_text(char *b, size_t sz, unsigned f)
{
	snprintf(b, sz, "%s%s%s%s%s", f & KT_TL_F_FIRST ? " first" : "",
		 f & KT_TL_F_OPEN ? " open" : "",
		 f & KT_TL_F_EXITING ? " exiting" : "",
		 f & KT_TL_F_SYS_UNKNOWN ? " sys?" : "",
		 f & KT_TL_F_MISSED ? " missed" : "");
}

static void wake_text(char *b, size_t sz, const struct kt_tasks *tasks,
		      const struct kt_tl_interval *iv,
		      const struct kt_tlf_names *nm)
{
	const struct kt_tl_wake *w = &iv->wake;
	char t[KT_TLF_MAX], x[KT_TLF_MAX];

	switch (w->cause) {
	case KT_CAUSE_TASK:
	case KT_CAUSE_SELF:
		snprintf(b, sz, "woken by %s",
			 kt_tlf_thread(t, sizeof(t), tasks, w->utid, w->tid));
		break;
	case KT_CAUSE_FORK:
		snprintf(b, sz, "new, forked by %s",
			 kt_tlf_thread(t, sizeof(t), tasks, w->utid, w->tid));
		break;
	case KT_CAUSE_DISK:
		snprintf(b, sz, "woken by the disk: %s",
			 kt_tlf_blk(x, sizeof(x), &iv->blk, nm));
		break;
	case KT_CAUSE_PREEMPT:
		snprintf(b, sz, "preempted");
		break;
	case KT_CAUSE_NONE:
		b[0] = 0;
		break;
	default:
		snprintf(b, sz, "woken by %s (%s on cpu %u)",
			 kt_tl_cause_name(w->cause), kt_context_name(w->ctx) ?
			 kt_context_name(w->ctx) : "?", w->cpu);
	}
}

/* "  START  DURATION  NAME": the head of an item line, hand-formatted
 * (item lines are nearly all of the output) */
static void item_head(struct kt_out *o, __u64 start, __u64 dur,
		      const char *name)
{
	char d[32];

	kt_out_str(o, "  ");
	kt_out_ts(o, start);
	kt_out_ch(o, ' ');
	kt_out_strw(o, kt_tlf_dur(d, sizeof(d), dur), 12);
	kt_out_str(o, "  ");
	kt_out_strw(o, name, -9);
}

static void print_iv(struct kt_out *o, const struct kt_tasks *tasks,
		     const struct kt_tl_interval *iv,
		     const struct kt_tlf_names *nm)
{
	char fl[64], wk[2 * KT_TLF_MAX], sys[KT_TLF_MAX];

	item_head(o, iv->start, iv->end - iv->start,
		  kt_tl_state_name(iv->state));
	switch (iv->state) {
	case KT_TL_RUNNING:
		kt_out_str(o, " cpu ");
		kt_out_u64(o, iv->cpu);
		break;
	case KT_TL_RUNNABLE:
		wake_text(wk, sizeof(wk), tasks, iv, nm);
		kt_out_str(o, " cpu ");
		kt_out_u64(o, iv->cpu);
		kt_out_str(o, "; ");
		kt_out_str(o, wk);
		break;
	case KT_TL_BLOCKED:
	case KT_TL_SLEEPING:
	case KT_TL_STOPPED:
		wake_text(wk, sizeof(wk), tasks, iv, nm);
		kt_out_str(o, " in ");
		kt_out_str(o, kt_tlf_sys(sys, sizeof(sys), &iv->sys, iv->pid,
					 nm));
		if (wk[0]) {
			kt_out_str(o, "; ");
			kt_out_str(o, wk);
		}
		break;
	}
	flags_text(fl, sizeof(fl), iv->flags);
	if (fl[0]) {
		kt_out_str(o, "  [");
		kt_out_str(o, fl + 1);
		kt_out_ch(o, ']');
	}
	kt_out_ch(o, '\n');
}

static void print_tcp(struct kt_out *o, const struct kt_tl_span *sp)
{
	const char *s = kt_tcp_state_name(sp->tcp.last_state);
	char x[KT_TLF_MAX], y[KT_TLF_MAX];

	kt_fmt_ipport(x, sizeof(x), sp->tcp.family, sp->tcp.saddr,
		      sp->tcp.sport);
	kt_fmt_ipport(y, sizeof(y), sp->tcp.family, sp->tcp.daddr,
		      sp->tcp.dport);
	kt_out_printf(o, "%s -> %s netns %u: %s", x, y, sp->tcp.netns,
		      sp->tcp.established ? "established" :
		      (sp->flags & KT_SPAN_F_OPEN_END) ? "not established" :
		      "failed");
	if (!sp->tcp.established && !(sp->flags & KT_SPAN_F_OPEN_END))
		kt_out_printf(o, " (%s -> CLOSE%s)", s ? s : "?",
			      sp->tcp.resets & KT_TCP_RESET_RECEIVED ?
			      ", reset received" : "");
	if (sp->tcp.retrans)
		kt_out_printf(o, ", %u retransmits", sp->tcp.retrans);
}

static void print_sp(struct kt_out *o, const struct kt_tasks *tasks,
		     const struct kt_tl_span *sp, const struct kt_tlf_names *nm)
{
	char x[KT_TLF_MAX];
	const char *s;

	item_head(o, sp->start, sp->end - sp->start, kt_tl_span_name(sp->kind));
	kt_out_ch(o, ' ');
	switch (sp->kind) {
	case KT_SPAN_SYSCALL:
		kt_out_str(o, kt_tlf_sys(x, sizeof(x), &sp->sys, sp->pid, nm));
		kt_out_str(o, " = ");
		kt_out_str(o, kt_tlf_ret(x, sizeof(x), &sp->sys, sp->pid, nm));
		break;
	case KT_SPAN_BLOCK:
		kt_out_str(o, kt_tlf_blk(x, sizeof(x), &sp->blk, nm));
		if (sp->blk.error)
			kt_out_printf(o, " error %d", sp->blk.error);
		break;
	case KT_SPAN_TCP:
		print_tcp(o, sp);
		break;
	case KT_SPAN_TCP_RETRANS: {
		char y[KT_TLF_MAX];

		s = kt_tcp_state_name(sp->tcp.last_state);
		kt_fmt_ipport(x, sizeof(x), sp->tcp.family, sp->tcp.saddr,
			      sp->tcp.sport);
		kt_fmt_ipport(y, sizeof(y), sp->tcp.family, sp->tcp.daddr,
			      sp->tcp.dport);
		kt_out_printf(o, "%s -> %s netns %u in %s", x, y, sp->tcp.netns,
			      s ? s : "?");
		if (sp->tcp.acceptq_known)
			kt_out_printf(o, ", listener's accept queue %u of %u",
				      sp->tcp.acceptq, sp->tcp.acceptq_max);
		break;
	}
	case KT_SPAN_SIGNAL:
		s = kt_signal_name(sp->sig.signo);
		kt_out_printf(o, "%s from %s%s", s ? s : "?",
			sp->sig.sender_tid ? kt_tlf_thread(x, sizeof(x), tasks,
				sp->sig.sender_utid, sp->sig.sender_tid) : "the kernel",
			sp->sig.delivered ? "" : " (not delivered)");
		break;
	case KT_SPAN_PROCESS:
		kt_out_printf(o, "pid %u", sp->pid);
		if (sp->proc.exited) {
			kt_fmt_exit(x, sizeof(x), sp->proc.exit_code);
			kt_out_printf(o, ": %s", x);
		}
		break;
	}
	if (sp->flags & KT_SPAN_F_OPEN_START)
		kt_out_str(o, "  [began before]");
	if (sp->flags & KT_SPAN_F_OPEN_END)
		kt_out_str(o, "  [open]");
	kt_out_ch(o, '\n');
}

/* "blocked 7.912 ms, runnable 150.200 us": @ns per state, largest first */
static void state_times(struct kt_out *o, const __u64 *ns)
{
	bool done[KT_TL_NSTATES] = { 0 }, first = true;
	char d[32];

	for (;;) {
		unsigned best = KT_TL_NSTATES;

		for (unsigned st = 0; st < KT_TL_NSTATES; st++)
			if (!done[st] && ns[st] &&
			    (best == KT_TL_NSTATES || ns[st] > ns[best]))
				best = st;
		if (best == KT_TL_NSTATES)
			break;
		done[best] = true;
		kt_out_printf(o, "%s%s %s", first ? "" : ", ",
			      kt_tl_state_name(best),
			      kt_tlf_dur(d, sizeof(d), ns[best]));
		first = false;
	}
}

/* --comm: the lane's thread has that name when the reading ends */
static bool comm_ok(const struct tl_cmd *c, const struct kt_tasks *tasks,
		    const struct kt_lane *ln)
{
	const struct kt_task *t = NULL;

	if (!c->comm)
		return true;
	if (ln->utid)
		t = kt_tasks_get(tasks, ln->utid);
	if (!t)
		t = kt_tasks_find(tasks, ln->tid);
	return t && !strcmp(t->comm, c->comm);
}

/* The text of the lanes as their items come: a head per lane, its
 * intervals (runs shorter than --min folded), its spans, its total. */
struct tl_text {
	struct kt_out *o;
	const struct tl_cmd *c;
	const struct kt_lanes *l;
	const struct kt_tasks *tasks;
	size_t lane;                    /* the lane printing; SIZE_MAX none */
	bool skip;                      /* its thread is not --comm's */
	bool any;                       /* a lane was printed */
	size_t nsp;                     /* its spans printed */
	__u64 ns[KT_TL_NSTATES];        /* its time per state */
	/* a run of intervals shorter than --min */
	size_t nfold;
	__u64 fold_ns[KT_TL_NSTATES], fold_start, fold_end;
	struct kt_out one;              /* the run's first, as printed alone */
};

/* the run of short intervals: one line, or its only interval as it is */
static void fold_end(struct tl_text *t)
{
	char d[32];

	if (t->nfold == 1)
		kt_out_mem(t->o, t->one.buf, t->one.len);
	if (t->nfold >= 2) {
		item_head(t->o, t->fold_start, t->fold_end - t->fold_start,
			  "folded");
		kt_out_printf(t->o, " %zu intervals under %s: ", t->nfold,
			      kt_tlf_dur(d, sizeof(d), t->c->min));
		state_times(t->o, t->fold_ns);
		kt_out_ch(t->o, '\n');
	}
	t->one.len = 0;
	t->nfold = 0;
	memset(t->fold_ns, 0, sizeof(t->fold_ns));
}

/* an interval shorter than --min joins the run */
static void fold_add(struct tl_text *t, const struct kt_tl_interval *iv,
		     const struct kt_tlf_names *nm)
{
	if (!t->nfold++) {
		t->fold_start = iv->start;
		print_iv(&t->one, t->tasks, iv, nm);
	}
	t->fold_end = iv->end;
	t->fold_ns[iv->state] += iv->end - iv->start;
}

static void lane_end(struct tl_text *t)
{
	if (t->lane == SIZE_MAX || t->skip)
		return;
	fold_end(t);
	if (t->l->lanes[t->lane].niv) {
		kt_out_str(t->o, "  total: ");
		state_times(t->o, t->ns);
		kt_out_ch(t->o, '\n');
	}
}

static void lane_start(struct tl_text *t, size_t lane)
{
	const struct kt_lane *ln = &t->l->lanes[lane];
	char n[KT_TLF_MAX], a[32], b[32];

	t->lane = lane;
	t->nsp = 0;
	memset(t->ns, 0, sizeof(t->ns));
	t->skip = !comm_ok(t->c, t->tasks, ln);
	if (t->skip)
		return;
	kt_out_printf(t->o, "%sthread %s (pid %u, utid %u)", t->any ? "\n" : "",
		      kt_tlf_thread(n, sizeof(n), t->tasks, ln->utid, ln->tid),
		      ln->pid, ln->utid);
	t->any = true;
	if (ln->niv)
		kt_out_printf(t->o, ": %s .. %s",
			      kt_out_tstr(t->o, a, sizeof(a), ln->lo),
			      kt_out_tstr(t->o, b, sizeof(b), ln->hi));
	kt_out_ch(t->o, '\n');
}

static void text_item(struct tl_text *t, const struct kt_lane_item *it,
		      size_t lane, const struct kt_tlf_names *nm)
{
	if (lane != t->lane) {
		lane_end(t);
		lane_start(t, lane);
	}
	if (t->skip)
		return;
	if (it->is_span) {
		fold_end(t);
		if (!t->nsp++)
			kt_out_str(t->o, "  spans:\n");
		print_sp(t->o, t->tasks, &it->sp, nm);
		return;
	}
	t->ns[it->iv.state] += it->iv.end - it->iv.start;
	if (t->c->min && it->iv.end - it->iv.start < t->c->min) {
		fold_add(t, &it->iv, nm);
		return;
	}
	fold_end(t);
	print_iv(t->o, t->tasks, &it->iv, nm);
}

static int print_text(struct kt_out *o, const struct tl_cmd *c,
		      struct kt_lanes *l, const struct kt_tasks *tasks)
{
	struct tl_text t = { .o = o, .c = c, .l = l, .tasks = tasks,
			     .lane = SIZE_MAX };
	const struct kt_tlf_names *nm;
	const struct kt_lane_item *it;
	size_t lane;
	int rc;

	if (kt_out_init(&t.one, -1, 4096))
		return -ENOMEM;
	t.one.tmode = o->tmode;
	t.one.t0 = o->t0;
	t.one.an = o->an;
	while ((rc = kt_lanes_next(l, &it, &lane, &nm)) > 0)
		text_item(&t, it, lane, nm);
	if (!rc)
		lane_end(&t);
	if (!rc && t.one.err)
		rc = t.one.err;
	kt_out_release(&t.one);
	return rc;
}

/* ------------------------------------------------------------- json */

static json_t *jsys(const struct kt_tl_sys *s, __u32 pid,
		    const struct kt_tlf_names *nm)
{
	json_t *j;

	if (s->nr == KT_TL_NOSYS)
		return json_null();
	j = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:[I,I,I], s:I}",
		      "name", kt_syscall_name(s->nr), "nr", (json_int_t)s->nr,
		      "start", (json_int_t)s->start, "end", (json_int_t)s->end,
		      "ret", (json_int_t)s->ret, "args", (json_int_t)s->arg[0],
		      (json_int_t)s->arg[1], (json_int_t)s->arg[2],
		      "file_id", (json_int_t)kt_tl_sys_file_id(s));
	if (j)
		kt_tlf_json_files(j, s, pid, nm);
	return j;
}

static json_t *jblk(const struct kt_tl_blk *b, const struct kt_tlf_names *nm)
{
	const char *disk = kt_disks_name(nm->disks, b->dev);
	char dev[32];
	json_t *j;

	kt_fmt_dev(dev, sizeof(dev), b->dev);
	j = json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:i}", "dev", dev,
			 "op", kt_block_op_name(b->op), "bytes", (json_int_t)b->bytes,
			 "sector", (json_int_t)b->sector,
			 "issue_ts", (json_int_t)b->issue_ts,
			 "complete_ts", (json_int_t)b->complete_ts,
			 "issuer_tid", (json_int_t)b->issuer_tid, "error", b->error);
	if (j && disk)
		json_object_set_new(j, "disk", json_string(disk));
	return j;
}

static json_t *jitem(const struct kt_lane_item *it, const struct kt_tasks *tasks,
		     const struct kt_tlf_names *nm)
{
	char t[KT_TLF_MAX];
	json_t *o;

	kt_tlf_thread(t, sizeof(t), tasks, it->utid, it->tid);
	if (!it->is_span) {
		const struct kt_tl_interval *iv = &it->iv;

		o = json_pack("{s:s, s:I, s:I, s:I, s:s, s:I, s:I, s:s, s:i, s:I}",
			      "type", "interval", "utid", (json_int_t)iv->utid,
			      "tid", (json_int_t)iv->tid, "pid", (json_int_t)iv->pid,
			      "thread", t, "start", (json_int_t)iv->start,
			      "end", (json_int_t)iv->end,
			      "state", kt_tl_state_name(iv->state), "cpu", iv->cpu,
			      "flags", (json_int_t)iv->flags);
		if (o && iv->wake.cause != KT_CAUSE_NONE)
			json_object_set_new(o, "wake", json_pack(
				"{s:s, s:I, s:I, s:I, s:i, s:s?}",
				"cause", kt_tl_cause_name(iv->wake.cause),
				"ts", (json_int_t)iv->wake.ts,
				"utid", (json_int_t)iv->wake.utid,
				"tid", (json_int_t)iv->wake.tid, "cpu", iv->wake.cpu,
				"context", kt_context_name(iv->wake.ctx)));
		if (o && kt_tl_is_wait(iv->state))
			json_object_set_new(o, "syscall",
					    jsys(&iv->sys, iv->pid, nm));
		if (o && iv->wake.cause == KT_CAUSE_DISK)
			json_object_set_new(o, "request", jblk(&iv->blk, nm));
		return o;
	}
	o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:I, s:I}",
		      "type", "span", "kind", kt_tl_span_name(it->sp.kind),
		      "utid", (json_int_t)it->sp.utid, "tid", (json_int_t)it->sp.tid,
		      "pid", (json_int_t)it->sp.pid, "thread", t,
		      "start", (json_int_t)it->sp.start,
		      "end", (json_int_t)it->sp.end, "flags", (json_int_t)it->sp.flags);
	if (!o)
		return NULL;
	switch (it->sp.kind) {
	case KT_SPAN_SYSCALL:
		json_object_set_new(o, "syscall",
				    jsys(&it->sp.sys, it->sp.pid, nm));
		break;
	case KT_SPAN_BLOCK:
		json_object_set_new(o, "request", jblk(&it->sp.blk, nm));
		break;
	case KT_SPAN_SIGNAL:
		json_object_set_new(o, "signo", json_integer(it->sp.sig.signo));
		json_object_set_new(o, "sender_tid",
				    json_integer(it->sp.sig.sender_tid));
		json_object_set_new(o, "delivered",
				    json_boolean(it->sp.sig.delivered));
		break;
	case KT_SPAN_PROCESS:
		json_object_set_new(o, "exited", json_boolean(it->sp.proc.exited));
		json_object_set_new(o, "exit_code",
				    json_integer(it->sp.proc.exit_code));
		break;
	case KT_SPAN_TCP:
		json_object_set_new(o, "sport", json_integer(it->sp.tcp.sport));
		json_object_set_new(o, "dport", json_integer(it->sp.tcp.dport));
		json_object_set_new(o, "netns", json_integer(it->sp.tcp.netns));
		json_object_set_new(o, "established",
				    json_boolean(it->sp.tcp.established));
		break;
	}
	return o;
}

static int print_json(struct kt_out *o, const struct tl_cmd *c,
		      struct kt_lanes *l, const struct kt_tasks *tasks)
{
	const struct kt_tlf_names *nm;
	const struct kt_lane_item *it;
	size_t lane, last = SIZE_MAX;
	bool ok = false;
	int rc;

	while ((rc = kt_lanes_next(l, &it, &lane, &nm)) > 0) {
		json_t *j;

		if (lane != last)
			ok = comm_ok(c, tasks, &l->lanes[lane]);
		last = lane;
		if (!ok)
			continue;
		j = jitem(it, tasks, nm);
		if (!j)
			return -ENOMEM;
		kt_out_jansson(o, j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		kt_out_ch(o, '\n');
		json_decref(j);
	}
	return rc;
}

/* the lanes print in the order of kt_lanes; whether any is selected */
static bool any_lane(const struct tl_cmd *c, const struct kt_lanes *l,
		     const struct kt_tasks *tasks)
{
	for (size_t i = 0; i < l->nlanes; i++)
		if (comm_ok(c, tasks, &l->lanes[i]))
			return true;
	return false;
}

/* ---------------------------------------------------------- command */

static int parse_num(const char *opt, const char *s, unsigned lo,
		     unsigned hi, unsigned *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || s[0] == '+' ||
	    n < lo || n > hi) {
		kt_msg("timeline", NULL, "%s '%s': not a number in %u..%u", opt,
		       s, lo, hi);
		return KT_EXIT_USAGE;
	}
	*v = (unsigned)n;
	return 0;
}

/* what goes with what: -o draws, --json and --min are for the listing */
static int check(struct tl_cmd *c, const char *min_s)
{
	if (min_s && (kt_duration_parse(min_s, &c->min) || !c->min)) {
		kt_msg("timeline", NULL, "--min '%s': not a duration (100us, 1ms)",
		       min_s);
		return KT_EXIT_USAGE;
	}
	if (c->out) {
		c->fmt = kt_rfmt_of(c->out);
		if (c->fmt != KT_RF_SVG && c->fmt != KT_RF_PNG &&
		    c->fmt != KT_RF_SCENE) {
			kt_msg("timeline", NULL, "-o '%s': not a picture format "
			       "(.svg, .png or .scene)", c->out);
			return KT_EXIT_USAGE;
		}
		if (c->json || c->min || c->mem)
			return kt_usage_error("timeline", usage, "%s: not with -o",
					      c->json ? "--json" : c->min ? "--min" :
					      "--buffer-size");
	} else if (c->width || c->lanes) {
		return kt_usage_error("timeline", usage, "%s: only with -o",
				      c->width ? "--width" : "--lanes");
	}
	if (c->json && c->min)
		return kt_usage_error("timeline", usage, "--min: not with --json");
	return 0;
}

static int parse(int argc, char **argv, struct tl_cmd *c)
{
	static const struct option lo[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "comm", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "min", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, 'W' },
		{ "lanes", required_argument, NULL, 'L' },
		{ "rel", no_argument, NULL, 'R' },
		{ "wall", no_argument, NULL, 'U' },
		{ "fd-history", no_argument, NULL, 'H' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *min_s = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if ((rc = kt_cli_id("timeline", "--pid", optarg, &c->pid)))
				return rc;
			break;
		case 't':
			if ((rc = kt_cli_id("timeline", "--tid", optarg, &c->tid)))
				return rc;
			break;
		case 'W':
			if ((rc = parse_num("--width", optarg, 400, 16000, &c->width)))
				return rc;
			break;
		case 'L':
			if ((rc = parse_num("--lanes", optarg, 1, 1000, &c->lanes)))
				return rc;
			break;
		case 'c': c->comm = optarg; break;
		case 'F': c->from_s = optarg; break;
		case 'T': c->to_s = optarg; break;
		case 'j': c->json = true; break;
		case 'R': c->rel = true; break;
		case 'U': c->wall = true; break;
		case 'H': c->fd_history = true; break;
		case 'm': min_s = optarg; break;
		case 'B':
			if (kt_size_parse(optarg, &c->mem) ||
			    c->mem < KT_XSORT_MIN_MEM || c->mem > (1ULL << 30))
				return kt_usage_error("timeline", usage,
					"--buffer-size '%s': not a size from 64K to 1G",
					optarg);
			break;
		case 'o': c->out = optarg; break;
		case 'h': return -1;
		default:
			return kt_opt_error("timeline", usage, argv, ch);
		}
	}
	if (optind >= argc)
		return kt_usage_error("timeline", usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("timeline", usage,
				      "'%s': unexpected argument", argv[optind + 1]);
	c->file = argv[optind];
	return check(c, min_s);
}

/* OUT's directory must take a new file: say so before the reading */
static int out_ok(const char *out)
{
	const char *slash = strrchr(out, '/');
	char dir[4096];

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - out + 1), out);
	else
		snprintf(dir, sizeof(dir), ".");
	if (access(dir, W_OK | X_OK))
		return kt_fail("timeline", out, -errno, KT_ERR_OUTPUT, NULL);
	return 0;
}

static int draw(struct tl_cmd *c, struct kt_reader *r)
{
	const char *base = strrchr(c->file, '/');
	struct kt_rtl_opts ro = {
		.w = c->w, .pid = c->pid, .tid = c->tid, .comm = c->comm,
		.width = c->width, .lanes = c->lanes,
		.title = base ? base + 1 : c->file,
	};
	struct kt_err err = { 0 };
	struct kt_rtl_result res;
	struct kt_scene s;
	char sel[160], a[32], b[32];
	int rc;

	rc = kt_render_timeline(r, &ro, &s, &res, &err);
	if (rc) {
		rc = kt_fail("timeline", c->file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	if (res.empty) {
		kt_rtl_selection(sel, sizeof(sel), &ro);
		kt_msg("timeline", c->file, "warning: no events for %s in [%s, "
		       "%s]: the picture says so", sel,
		       kt_tlf_ts(a, sizeof(a), c->w.from),
		       kt_tlf_ts(b, sizeof(b), c->w.to));
	}
	rc = kt_scene_write(&s, c->fmt, c->out);
	if (rc)
		rc = kt_fail("timeline", c->out, rc, KT_ERR_OUTPUT, NULL);
out:
	kt_scene_release(&s);
	kt_render_done();
	return rc;
}

/* a failure of the lanes: the reader's (with @err), the temporary
 * file's (exit 3, naming its directory), or memory */
static int lanes_fail(const struct tl_cmd *c, const struct kt_lanes *l,
		      int rc, struct kt_err *err)
{
	if (err && err->code == rc && err->msg[0])
		return kt_fail("timeline", c->file, rc, KT_ERR_INPUT, err);
	if (rc == -ENOMEM)
		return kt_fail("timeline", NULL, rc, KT_ERR_SYSTEM, NULL);
	return kt_fail("timeline", kt_lanes_tmpdir(l), rc, KT_ERR_OUTPUT, NULL);
}

int cmd_timeline(int argc, char **argv)
{
	struct tl_cmd c = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_lanes l = { 0 };
	struct kt_out o = { 0 };
	struct kt_lanes_opts lo;
	struct kt_info info;
	int rc;

	rc = parse(argc, argv, &c);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if (c.out && (rc = out_ok(c.out)))
		return rc;
	if ((rc = kt_cli_open("timeline", c.file, &r)))
		return rc;
	if ((rc = kt_cli_window("timeline", c.file, r, c.from_s, c.to_s,
				&c.w.from, &c.w.to)))
		goto out;
	kt_reader_info(r, &info);
	kt_window_place(&c.w, &info, 0);
	lo = (struct kt_lanes_opts){ .pid = c.pid, .tid = c.tid, .mem = c.mem,
				     .names = true, .fd_history = c.fd_history };
	if (c.out) {
		/* a window past the capture's end is drawn empty */
		if (c.w.to <= c.w.from)
			c.w.to = c.w.from + 1;
		rc = draw(&c, r);
		goto out;
	}
	rc = kt_lanes_build(r, &c.w, &lo, &l, &err);
	if (rc) {
		rc = lanes_fail(&c, &l, rc, &err);
		goto out;
	}
	if (!any_lane(&c, &l, kt_reader_tasks(r))) {
		struct kt_cli_sel sel = {
			.from = c.from_s ? c.w.from : 0,
			.to = c.to_s ? c.w.to : 0,
			.pid = c.pid, .tid = c.tid, .comm = c.comm,
		};

		kt_cli_nothing("timeline", c.file, r, &sel);
	}
	kt_cli_fd_horizon("timeline", c.file, r, kt_lanes_fd_since(&l));
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("timeline", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	if ((rc = kt_cli_timemode("timeline", r, c.rel, c.wall, &o)))
		goto out;
	if (c.json)
		rc = print_json(&o, &c, &l, kt_reader_tasks(r));
	else
		rc = print_text(&o, &c, &l, kt_reader_tasks(r));
	if (rc && rc != -ENOMEM && !o.err) {
		rc = lanes_fail(&c, &l, rc, NULL);
		goto out;
	}
	rc = kt_cli_finish("timeline", c.file, rc, &err, &o);
out:
	kt_out_release(&o);
	kt_lanes_release(&l);
	kt_reader_close(r);
	return rc;
}
