// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay.c - the replay loop and the text form of every event kind.
 * Everything is appended to a struct kt_out by hand: a replay prints
 * millions of lines a second, and printf's format parsing would be most
 * of the cost.
 */
#include <stdint.h>
#include <string.h>
#include "analyze/fds.h"
#include "analyze/names.h"
#include "analyze/replay.h"
#include "analyze/replay_int.h"

const char *kt_replay_task_comm(const struct kt_tasks *tasks, __u32 tid,
				__u32 utid)
{
	const struct kt_task *t = NULL;

	if (tasks)
		t = utid ? kt_tasks_get(tasks, utid) : kt_tasks_find(tasks, tid);
	if (t)
		return t->comm;
	return tid ? NULL : "swapper";
}

const char *kt_replay_cstr(const struct kt_event *ev, __u32 h, size_t *len)
{
	size_t n;
	const char *s = kt_event_str(ev, h, &n);

	*len = strnlen(s, n);
	return s;
}

/* " key=" */
static inline void key(struct kt_out *o, const char *k, size_t n)
{
	char *p = kt_out_need(o, n + 2);

	if (!p)
		return;
	p[0] = ' ';
	memcpy(p + 1, k, n);
	p[n + 1] = '=';
	o->len += n + 2;
}
#define KEY(o, k) key(o, k, sizeof(k) - 1)

/* comm of another task, or ":tid" like perf when unknown */
void kt_replay_comm(struct kt_out *o, const struct kt_tasks *tasks,
		    __u32 tid)
{
	const char *c = kt_replay_task_comm(tasks, tid, 0);

	if (c) {
		kt_out_esc(o, c, strlen(c));
	} else {
		kt_out_ch(o, ':');
		kt_out_u64(o, tid);
	}
}

void kt_replay_quoted(struct kt_out *o, const char *s, size_t n)
{
	kt_out_ch(o, '"');
	kt_out_escq(o, s, n);
	kt_out_ch(o, '"');
}

static bool needs_quotes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '\\')
			return true;
	return false;
}

void kt_replay_argv(struct kt_out *o, const char *s, size_t n)
{
	size_t i, l;

	for (i = 0; i < n; i += l + 1) {
		l = strnlen(s + i, n - i);
		if (i)
			kt_out_ch(o, ' ');
		/* quote what would not read back as one word */
		if (!l || needs_quotes(s + i, l))
			kt_replay_quoted(o, s + i, l);
		else
			kt_out_esc(o, s + i, l);
	}
}

static void ctx_suffix(struct kt_out *o, __u32 ctx)
{
	const char *n;

	if (ctx == KT_CTX_TASK)
		return;
	KEY(o, "ctx");
	n = kt_context_name(ctx);
	if (n)
		kt_out_str(o, n);
	else
		kt_out_u64(o, ctx);
}

static void text_switch(struct kt_out *o, const struct kt_event *ev,
			const struct kt_tasks *tasks)
{
	const struct kt_sched_switch *s = &ev->sw;
	char *p;

	KEY(o, "prev_prio");
	kt_out_u64(o, s->prev_prio);
	KEY(o, "prev_state");
	if ((p = kt_out_need(o, 1))) {
		*p = kt_task_state_letter(s->prev_state);
		o->len++;
	}
	kt_out_str(o, " ==> next_comm=");
	kt_replay_comm(o, tasks, s->next_tid);
	KEY(o, "next_tid");
	kt_out_u64(o, s->next_tid);
	if (s->next_pid != s->next_tid) {
		KEY(o, "next_pid");
		kt_out_u64(o, s->next_pid);
	}
	KEY(o, "next_prio");
	kt_out_u64(o, s->next_prio);
}

static void text_waking(struct kt_out *o, const struct kt_event *ev,
			const struct kt_tasks *tasks)
{
	const struct kt_sched_waking *w = &ev->wake;

	KEY(o, "comm");
	kt_replay_comm(o, tasks, w->target_tid);
	KEY(o, "tid");
	kt_out_u64(o, w->target_tid);
	if (w->target_pid != w->target_tid) {
		KEY(o, "pid");
		kt_out_u64(o, w->target_pid);
	}
	KEY(o, "prio");
	kt_out_u64(o, w->target_prio);
	KEY(o, "target_cpu");
	kt_out_u64z(o, w->target_cpu, 3);
	ctx_suffix(o, w->context);
}

static void text_migrate(struct kt_out *o, const struct kt_event *ev,
			 const struct kt_tasks *tasks)
{
	const struct kt_sched_migrate *m = &ev->mig;

	KEY(o, "comm");
	kt_replay_comm(o, tasks, m->target_tid);
	KEY(o, "tid");
	kt_out_u64(o, m->target_tid);
	KEY(o, "orig_cpu");
	kt_out_u64z(o, m->orig_cpu, 3);
	KEY(o, "dest_cpu");
	kt_out_u64z(o, m->dest_cpu, 3);
}

static void text_str(struct kt_out *o, const struct kt_event *ev,
		     const char *k, size_t kn, __u32 h)
{
	size_t n;
	const char *s = kt_replay_cstr(ev, h, &n);

	key(o, k, kn);
	kt_out_esc(o, s, n);
}

static void text_proc(struct kt_out *o, const struct kt_event *ev)
{
	char buf[KT_NAME_MAX];
	const char *s;
	size_t n;

	switch (ev->kind) {
	case KT_PROC_FORK:
		if (ev->fork.child_comm_str)
			text_str(o, ev, "child_comm", 10,
				 ev->fork.child_comm_str);
		KEY(o, "child_tid");
		kt_out_u64(o, ev->fork.child_tid);
		KEY(o, "child_pid");
		kt_out_u64(o, ev->fork.child_pid);
		kt_out_str(o, ev->fork.flags & KT_FORK_THREAD ? " thread" :
			   " process");
		break;
	case KT_PROC_EXEC:
		text_str(o, ev, "filename", 8, ev->exec.filename_str);
		if (ev->exec.old_tid && ev->exec.old_tid != ev->tid) {
			KEY(o, "old_tid");
			kt_out_u64(o, ev->exec.old_tid);
		}
		KEY(o, "argv");
		s = kt_event_str(ev, ev->exec.argv_str, &n);
		kt_replay_argv(o, s, n);
		if (ev->exec.flags & KT_EXEC_ARGV_TRUNCATED)
			kt_out_str(o, " ...");
		break;
	case KT_PROC_EXIT:
		kt_out_ch(o, ' ');
		kt_fmt_exit(buf, sizeof(buf), ev->exit.exit_code);
		kt_out_str(o, buf);
		kt_out_str(o, ev->exit.flags & KT_EXIT_GROUP ? " (process)" :
			   " (thread)");
		break;
	case KT_PROC_COMM:
		text_str(o, ev, "comm", 4, ev->comm.comm_str);
		break;
	}
}

static void text_tcp(struct kt_out *o, const struct kt_event *ev,
		     const struct kt_tasks *tasks)
{
	const struct kt_tcp *t = &ev->tcp;
	char buf[KT_SOCKADDR_MAX];
	const char *n;

	kt_out_ch(o, ' ');
	kt_fmt_ipport(buf, sizeof(buf), t->family, t->saddr, t->sport);
	kt_out_str(o, buf);
	kt_out_str(o, " -> ");
	kt_fmt_ipport(buf, sizeof(buf), t->family, t->daddr, t->dport);
	kt_out_str(o, buf);
	if (ev->kind == KT_TCP_STATE) {
		kt_out_ch(o, ' ');
		n = kt_tcp_state_name(t->oldstate);
		n ? kt_out_str(o, n) : kt_out_u64(o, t->oldstate);
		kt_out_str(o, " -> ");
	} else {
		kt_out_str(o, ev->kind == KT_TCP_RETRANS ? "" :
			   t->flags & KT_TCP_RESET_RECEIVED ? " received" :
			   " sent");
		KEY(o, "state");
	}
	n = ev->kind == KT_TCP_STATE ? kt_tcp_state_name(t->newstate) :
				       kt_tcp_sock_state_name(t);
	n ? kt_out_str(o, n) : kt_out_u64(o, t->newstate);
	KEY(o, "sock");
	kt_out_hex(o, t->sock);
	KEY(o, "netns");
	kt_out_u64(o, t->netns);
	if (t->owner_tid) {
		KEY(o, "owner");
		kt_replay_comm(o, tasks, t->owner_tid);
		kt_out_ch(o, '/');
		kt_out_u64(o, t->owner_tid);
	}
	if (t->flags & KT_TCP_ACCEPTQ) {
		KEY(o, "acceptq");
		kt_out_u64(o, t->acceptq);
		kt_out_ch(o, '/');
		kt_out_u64(o, t->acceptq_max);
	}
	if (t->flags & KT_TCP_BYTES) {  /* a close, format 1.3 */
		KEY(o, "tx_bytes");
		kt_out_u64(o, t->tx_bytes);
		KEY(o, "rx_bytes");
		kt_out_u64(o, t->rx_bytes);
	}
	ctx_suffix(o, t->context);
}

static void text_block(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_replay_names *nm)
{
	const struct kt_block_rq *b = &ev->blk;
	const char *disk = nm ? kt_disks_name(nm->disks, b->dev) : NULL;
	char buf[32];

	KEY(o, "dev");
	kt_fmt_dev(buf, sizeof(buf), b->dev);
	kt_out_str(o, buf);
	if (disk) {
		KEY(o, "disk");
		kt_out_esc(o, disk, strlen(disk));
	}
	KEY(o, "rwbs");
	kt_fmt_rwbs(buf, sizeof(buf), b->op);
	kt_out_str(o, buf);
	KEY(o, "sector");
	kt_out_u64(o, b->sector);
	KEY(o, "bytes");
	kt_out_u64(o, b->bytes);
	KEY(o, "queue");
	kt_out_dur(o, b->queue_ns);
	KEY(o, "service");
	kt_out_dur(o, b->service_ns);
	KEY(o, "issue_cpu");
	kt_out_u64z(o, b->issue_cpu, 3);
	if (b->error) {
		const char *e = kt_errno_ret_name(b->error);

		KEY(o, "error");
		e ? kt_out_str(o, e) : kt_out_s64(o, b->error);
	}
	if (b->flags & KT_BLOCK_INCOMPLETE)
		kt_out_str(o, " incomplete");
	if (b->flags & KT_BLOCK_FROM_ALLOC)
		kt_out_str(o, " from_alloc");
}

static void text_signal(struct kt_out *o, const struct kt_event *ev,
			const struct kt_tasks *tasks)
{
	const struct kt_signal *s = &ev->sig;
	const char *n = kt_signal_name(s->signo);

	KEY(o, "sig");
	n ? kt_out_str(o, n) : kt_out_u64(o, s->signo);
	if (ev->kind == KT_SIGNAL_GEN) {
		KEY(o, "target_comm");
		kt_replay_comm(o, tasks, s->target_tid);
		KEY(o, "target_tid");
		kt_out_u64(o, s->target_tid);
		if (s->target_pid != s->target_tid) {
			KEY(o, "target_pid");
			kt_out_u64(o, s->target_pid);
		}
	}
	KEY(o, "code");
	n = kt_si_code_name(s->code);
	n ? kt_out_str(o, n) : kt_out_s64(o, s->code);
	if (ev->kind == KT_SIGNAL_GEN) {
		KEY(o, "result");
		n = kt_signal_result_name(s->result);
		n ? kt_out_str(o, n) : kt_out_s64(o, s->result);
		/* the task of the line did not send it: the kernel did, in
		 * its context (an OOM kill is the oom_victim line after) */
		if (kt_signal_by_kernel(s->code)) {
			KEY(o, "sender");
			kt_out_str(o, "kernel");
			if ((n = kt_signal_kernel_cause(s->signo, s->code))) {
				KEY(o, "cause");
				kt_replay_quoted(o, n, strlen(n));
			}
		}
		ctx_suffix(o, s->context);
	}
}

static void text_oom(struct kt_out *o, const struct kt_event *ev)
{
	const struct kt_oom *m = &ev->oom;

	text_str(o, ev, "victim_comm", 11, m->victim_comm_str);
	KEY(o, "victim_pid");
	kt_out_u64(o, m->victim_pid);
	if (m->victim_tid != m->victim_pid) {
		KEY(o, "victim_tid");
		kt_out_u64(o, m->victim_tid);
	}
	KEY(o, "total_vm");
	kt_out_u64(o, m->total_vm_kb);
	kt_out_str(o, "kB anon_rss=");
	kt_out_u64(o, m->anon_rss_kb);
	kt_out_str(o, "kB file_rss=");
	kt_out_u64(o, m->file_rss_kb);
	kt_out_str(o, "kB shmem_rss=");
	kt_out_u64(o, m->shmem_rss_kb);
	kt_out_str(o, "kB oom_score_adj=");
	kt_out_s64(o, m->oom_score_adj);
	text_str(o, ev, "memcg", 5, m->memcg_str);
}

static void text_misc(struct kt_out *o, const struct kt_event *ev)
{
	char buf[KT_SOCKADDR_MAX];
	const char *s;
	size_t n;

	switch (ev->kind) {
	case KT_PAGE_FAULT:
		KEY(o, "addr");
		kt_out_hex(o, ev->fault.addr);
		KEY(o, "ip");
		kt_out_hex(o, ev->fault.ip);
		kt_out_str(o, ev->fault.flags & KT_FAULT_WRITE ? " write" :
			   " read");
		if (ev->fault.flags & KT_FAULT_MAJOR)
			kt_out_str(o, " major");
		KEY(o, "period");
		kt_out_u64(o, ev->fault.period);
		break;
	case KT_RSS:
		KEY(o, "member");
		s = kt_rss_member_name(ev->rss.member);
		s ? kt_out_str(o, s) : kt_out_u64(o, ev->rss.member);
		KEY(o, "bytes");
		kt_out_s64(o, ev->rss.bytes);
		break;
	case KT_NET_PACKET:
		KEY(o, "ifindex");
		kt_out_u64(o, ev->pkt.ifindex);
		KEY(o, "len");
		kt_out_u64(o, ev->pkt.len);
		KEY(o, "caplen");
		kt_out_u64(o, ev->pkt.caplen);
		kt_out_str(o, ev->pkt.flags & KT_PKT_OUTGOING ? " out " :
			   " in ");
		s = kt_event_str(ev, ev->pkt.data_str, &n);
		kt_fmt_packet(buf, sizeof(buf), ev->pkt.linktype, s, n);
		kt_out_str(o, buf);
		break;
	case KT_MARKER:
		KEY(o, "text");
		s = kt_replay_cstr(ev, ev->mark.text_str, &n);
		kt_replay_quoted(o, s, n);
		KEY(o, "value");
		kt_out_u64(o, ev->mark.value);
		break;
	case KT_LOST:
		KEY(o, "family");
		s = kt_family_name(ev->lost.family);
		s ? kt_out_str(o, s) : kt_out_u64(o, ev->lost.family);
		KEY(o, "count");
		kt_out_u64(o, ev->lost.count);
		if (ev->lost.cause) {
			KEY(o, "cause");
			s = kt_lost_cause_name(ev->lost.cause);
			s ? kt_out_str(o, s) : kt_out_u64(o, ev->lost.cause);
		}
		if (ev->lost.since) {
			KEY(o, "since");
			kt_out_ts(o, ev->lost.since);
		}
		break;
	case KT_CLOCK_SYNC:
		KEY(o, "realtime");
		kt_replay_wallclock(o, ev->clk.realtime_ns);
		KEY(o, "boottime");
		kt_out_dur(o, ev->clk.boottime_ns);
		break;
	}
}

void kt_replay_wallclock(struct kt_out *o, __u64 ns)
{
	char buf[48];
	size_t n = kt_wall_fmt(buf, sizeof(buf), (__s64)ns);

	n ? kt_out_mem(o, buf, n) : kt_out_u64(o, ns);
}

void kt_replay_text(struct kt_out *o, const struct kt_event *ev,
		    const struct kt_tasks *tasks,
		    const struct kt_replay_names *nm)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	const char *comm = ev->kind == KT_NET_PACKET ? "-" :
			   kt_replay_task_comm(tasks, ev->tid, ev->utid);
	char *p;

	if (comm) {
		kt_out_escw(o, comm, 16);
	} else {
		char tmp[24] = ":";

		*kt_put_u64(tmp + 1, ev->tid) = 0;
		kt_out_strw(o, tmp, 16);
	}
	kt_out_ch(o, ' ');
	kt_out_u64w(o, ev->tid, 7);
	if (!(p = kt_out_need(o, 7)))
		return;
	memcpy(p, " [", 2);
	o->len += 2;
	kt_out_u64z(o, ev->cpu, 3);
	kt_out_str(o, "] ");
	kt_out_ts(o, kt_event_start(ev));
	kt_out_str(o, ": ");
	if (ki) {
		kt_out_str(o, ki->name);
	} else {
		kt_out_str(o, "kind_");
		kt_out_u64(o, ev->kind);
	}
	kt_out_ch(o, ':');
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		text_switch(o, ev, tasks);
		break;
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		text_waking(o, ev, tasks);
		break;
	case KT_SCHED_MIGRATE:
		text_migrate(o, ev, tasks);
		break;
	case KT_PROC_FORK:
	case KT_PROC_EXEC:
	case KT_PROC_EXIT:
	case KT_PROC_COMM:
		text_proc(o, ev);
		break;
	case KT_SYSCALL:
		kt_out_ch(o, ' ');
		kt_replay_syscall(o, ev, tasks, nm);
		break;
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		text_tcp(o, ev, tasks);
		break;
	case KT_BLOCK_RQ:
		text_block(o, ev, nm);
		break;
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER:
		text_signal(o, ev, tasks);
		break;
	case KT_OOM_VICTIM:
		text_oom(o, ev);
		break;
	default:
		text_misc(o, ev);
		break;
	}
	kt_out_ch(o, '\n');
}

static bool want(const struct kt_replay_opts *opts, const struct kt_event *ev,
		 const struct kt_tasks *tasks)
{
	const char *c;

	if (opts->kinds && (ev->kind >= 64 ||
			    !(opts->kinds & KT_KIND_BIT(ev->kind))))
		return false;
	if ((opts->pid && ev->pid != opts->pid) ||
	    (opts->tid && ev->tid != opts->tid))
		return false;
	if (opts->comm) {
		c = kt_replay_task_comm(tasks, ev->tid, ev->utid);
		if (!c || strcmp(c, opts->comm))
			return false;
	}
	return true;
}

/* How far past --to to read for the records that start before it and end
 * after it (they are stored at their end): the slack of the windowed
 * analyses (timeline, graph, why), 1 s.  A record that ends later than
 * that past --to is not shown. */
#define KT_REPLAY_SLACK_NS 1000000000ULL

/* read_end - where reading can stop: opts->to, plus the slack when the
 * selected kinds have spans; 0 = the end of the source. */
static __u64 read_end(const struct kt_replay_opts *opts)
{
	const __u64 spans = KT_KIND_BIT(KT_SYSCALL) | KT_KIND_BIT(KT_BLOCK_RQ);

	if (!opts->to || (opts->kinds && !(opts->kinds & spans)))
		return opts->to;
	return opts->to > UINT64_MAX - KT_REPLAY_SLACK_NS ? 0 :
	       opts->to + KT_REPLAY_SLACK_NS;
}

int kt_replay_run(struct kt_source *src, const struct kt_replay_opts *opts,
		  struct kt_out *o, __u64 *count, struct kt_err *err)
{
	const struct kt_event *ev;
	const struct kt_tasks *tasks;
	__u64 n = 0, end = read_end(opts), start;
	int rc;

	while ((rc = src->next(src, &ev, err)) > 0) {
		if (end && ev->ts >= end)
			break;
		/* the fd names see every event when they read inline */
		if (opts->names)
			kt_fdnames_see(opts->names->fds, ev);
		start = kt_event_start(ev);
		if (start < opts->from || (opts->to && start >= opts->to))
			continue;
		tasks = src->tasks(src);
		if (!want(opts, ev, tasks))
			continue;
		if (ev->kind == KT_PROC_COMM && !opts->json && !opts->proc_comm)
			continue;
		if (opts->json && opts->columns)
			kt_replay_json_columns(o, ev, tasks);
		else if (opts->json)
			kt_replay_json(o, ev, tasks, opts->names);
		else
			kt_replay_text(o, ev, tasks, opts->names);
		n++;
		if (o->err) {
			rc = o->err;
			break;
		}
	}
	if (count)
		*count = n;
	if (rc < 0)
		return rc;
	return o->err;
}
