// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * timeline.c - `ktrail timeline`: the state intervals and spans of the
 * selected threads over a time range, grouped by thread, as text or
 * NDJSON.  (Pictures are the render issue's: -o OUT.svg.)
 */
#include <errno.h>
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

static const char usage[] =
	"ktrail timeline FILE [--pid P] [--tid T] [--from T] [--to T] [--json]";

static const char help[] =
"NAME\n"
"    ktrail timeline - per-thread state intervals and spans, nanosecond exact\n"
"\n"
"SYNOPSIS\n"
"    ktrail timeline FILE [--pid P] [--tid T] [--from T] [--to T] [--json]\n"
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
"    connections it drove, signals it received, its process's lifetime.\n"
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
"OPTIONS\n"
"    --pid P      only threads of process P\n"
"    --tid T      only thread T\n"
"    --from T     start of the range; --to T end of the range.  T is\n"
"                 +1.5s from the first event, seconds or ns on the capture\n"
"                 clock, or ISO-8601 wall clock\n"
"    --json       NDJSON: one object per interval or span, exact ns\n"
"    -h, --help   this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away, and when the\n"
"    selection matches nothing: a note on stderr says so); 2 usage error,\n"
"    a bad time, or FILE missing, unreadable or not a valid capture; 3 out\n"
"    of memory, or stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail timeline x.ktr --pid 4242\n"
"    ktrail timeline x.ktr --tid 4250 --from +1s --to +1.2s --json\n";

struct tl_cmd {
	const char *file, *from_s, *to_s;
	__u32 pid, tid;
	bool json;
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

static void print_text(struct kt_out *o, const struct kt_lanes *l,
		       const struct kt_tasks *tasks,
		       const struct kt_tlf_names *nm)
{
	char t[KT_TLF_MAX], a[32], b[32];

	for (size_t i = 0; i < l->nlanes; i++) {
		const struct kt_lane *ln = &l->lanes[i];
		const struct kt_lane_item *it = &l->items[ln->first];

		kt_out_printf(o, "%sthread %s (pid %u, utid %u)", i ? "\n" : "",
			kt_tlf_thread(t, sizeof(t), tasks, ln->utid, ln->tid),
			ln->pid, ln->utid);
		if (ln->niv)
			kt_out_printf(o, ": %s .. %s", kt_tlf_ts(a, sizeof(a), ln->lo),
				kt_tlf_ts(b, sizeof(b), ln->hi));
		kt_out_ch(o, '\n');
		for (size_t j = 0; j < ln->niv; j++)
			print_iv(o, tasks, &it[j].iv, nm);
		if (ln->nsp)
			kt_out_str(o, "  spans:\n");
		for (size_t j = ln->niv; j < ln->niv + ln->nsp; j++)
			print_sp(o, tasks, &it[j].sp, nm);
	}
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

static int print_json(struct kt_out *o, const struct kt_lanes *l,
		      const struct kt_tasks *tasks,
		      const struct kt_tlf_names *nm)
{
	for (size_t i = 0; i < l->nitems; i++) {
		json_t *j = jitem(&l->items[i], tasks, nm);

		if (!j)
			return -ENOMEM;
		kt_out_jansson(o, j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		kt_out_ch(o, '\n');
		json_decref(j);
	}
	return 0;
}

/* ---------------------------------------------------------- command */

/* The disks and the fds the lanes' syscalls print, in one pass over the
 * capture's syscall records (the tasks table stays the lanes'). */
static int names(struct kt_reader *r, const struct kt_lanes *l,
		 struct kt_tlf_names *nm, struct kt_err *err)
{
	int rc = kt_tlf_names_init(nm, r);

	for (size_t i = 0; !rc && i < l->nitems; i++) {
		const struct kt_lane_item *it = &l->items[i];

		if (!it->is_span && kt_tl_is_wait(it->iv.state))
			rc = kt_tlf_names_ask(nm, it->iv.pid, &it->iv.sys);
		else if (it->is_span && it->sp.kind == KT_SPAN_SYSCALL)
			rc = kt_tlf_names_ask(nm, it->sp.pid, &it->sp.sys);
	}
	return rc ? rc : kt_fdnames_answer(nm->fds, r, err);
}

static int parse(int argc, char **argv, struct tl_cmd *c)
{
	static const struct option lo[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if ((rc = kt_cli_id("timeline", "--pid", optarg, &c->pid)))
				return rc;
			break;
		case 't':
			if ((rc = kt_cli_id("timeline", "--tid", optarg, &c->tid)))
				return rc;
			break;
		case 'F': c->from_s = optarg; break;
		case 'T': c->to_s = optarg; break;
		case 'j': c->json = true; break;
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
	return 0;
}

int cmd_timeline(int argc, char **argv)
{
	struct tl_cmd c = { 0 };
	struct kt_err err = { 0 };
	struct kt_reader *r = NULL;
	struct kt_lanes l = { 0 };
	struct kt_tlf_names nm = { 0 };
	struct kt_out o = { 0 };
	struct kt_info info;
	int rc;

	rc = parse(argc, argv, &c);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if ((rc = kt_cli_open("timeline", c.file, &r)))
		return rc;
	if ((rc = kt_cli_window("timeline", c.file, r, c.from_s, c.to_s,
				&c.w.from, &c.w.to)))
		goto out;
	kt_reader_info(r, &info);
	kt_window_place(&c.w, &info, 0);
	rc = kt_lanes_build(r, &c.w, c.pid, c.tid, &l, &err);
	if (rc) {
		rc = kt_fail("timeline", c.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	if (!l.nitems && (c.pid || c.tid || c.from_s || c.to_s))
		kt_cli_nothing("timeline", c.file);
	rc = names(r, &l, &nm, &err);
	if (rc) {
		rc = kt_fail("timeline", c.file, rc, KT_ERR_INPUT, &err);
		goto out;
	}
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		rc = kt_fail("timeline", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	if (c.json)
		rc = print_json(&o, &l, kt_reader_tasks(r), &nm);
	else
		print_text(&o, &l, kt_reader_tasks(r), &nm);
	rc = kt_cli_finish("timeline", c.file, rc, &err, &o);
out:
	kt_out_release(&o);
	kt_tlf_names_release(&nm);
	kt_lanes_release(&l);
	kt_reader_close(r);
	return rc;
}
