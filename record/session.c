// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * session.c - one recording, start to finish: set up the scope, load and
 * attach, snapshot /proc, then drain the rings into the writer until a
 * stop condition, and always finalize.
 *
 * The stop signals are blocked while the recording is set up (a signal
 * pending interrupts the BPF verifier) and taken as they come from the
 * loop to the last dump: epoll_pwait() does not deliver a pending signal
 * when it has events to return, and under load the rings always have
 * some, so signals unblocked only there waited for as long as the load
 * lasted.  A signal that comes between the check of its flag and the
 * sleep waits at most KT_DRAIN_MS.  SIGUSR1 stays blocked in this thread:
 * requests.c's thread counts each as it comes, from before the BPF load
 * to after the last dump (served at the next tick).  The BPF side
 * submits without waking us except when a ring fills past a quarter, so
 * the rings are drained every KT_DRAIN_MS; once a second the writer is
 * flushed (a SIGKILLed recorder loses at most that second), losses become
 * KT_LOST events, a KT_CLOCK_SYNC anchor is added (at what every ring
 * was drained to: every older event is written by that flush) and the
 * progress line is updated.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include "format/format.h"
#include "record_int.h"

#define KT_DRAIN_MS 100
/* A drain yields after this long even if the rings still hold records:
 * producers as fast as the consumer would otherwise keep it draining, and
 * the tick (flush, loss reports, clock anchor) would wait for seconds. */
#define KT_DRAIN_BUDGET_NS 250000000ULL
#define KT_TICK_NS 1000000000ULL

/* The stop signal the handler saw (the only mutable static of the
 * session: a handler has no other place to put it). */
static volatile sig_atomic_t sig_stop;

static void on_signal(int sig)
{
	if (sig != SIGUSR1)     /* never delivered: blocked, waited for */
		sig_stop = sig;
}

/* take_requests - the SIGUSR1s counted since the last call become
 * pending requests. */
static void take_requests(struct kt_session *s)
{
	unsigned n = kt_requests_count(&s->req);

	s->req_pending += n - s->req_seen;
	s->req_seen = n;
}

/* ------------------------------------------------------------- events */

static __u32 intern(void *ctx, const void *s, size_t len)
{
	return kt_writer_str(ctx, s, len);
}

static void check_trigger(struct kt_session *s, const struct kt_event *ev)
{
	unsigned t = s->o->triggers;

	if (!s->o->flight_ns || !t)
		return;
	if ((t & KT_TRIG_OOM) && ev->kind == KT_OOM_VICTIM)
		kt_trig_fire(s, KT_TRIG_OOM, ev);
	if ((t & KT_TRIG_EXIT) && ev->kind == KT_PROC_EXIT &&
	    (ev->exit.flags & KT_EXIT_GROUP) && ev->exit.exit_code)
		kt_trig_fire(s, KT_TRIG_EXIT, ev);
	if ((t & KT_TRIG_SIGNAL) && ev->kind == KT_SIGNAL_GEN &&
	    ev->sig.signo == s->o->trigger_signo)
		kt_trig_fire(s, KT_TRIG_SIGNAL, ev);
}

static int add_event(struct kt_session *s, const struct kt_event *ev)
{
	int ret = kt_writer_add(s->w, ev);

	if (ret)
		return ret;
	s->events++;
	s->kind_events[ev->kind]++;
	return 0;
}

static int on_record(void *ctx, __u32 cpu, const void *rec, size_t size)
{
	struct kt_session *s = ctx;
	struct kt_event ev;
	int ret;

	/* a negative return stops ring_buffer__consume() */
	ret = kt_convert(&s->conv, rec, size, cpu, &ev);
	if (ret == -EBADMSG) {
		s->bad_records++;
		return 0;
	}
	if (ret < 0)
		return s->werr = ret;
	check_trigger(s, &ev);
	if (ev.kind == KT_LOST)
		kt_report_placed(s, &ev);
	ret = add_event(s, &ev);
	if (ret)
		return s->werr = ret;
	if (s->drain_until && (++s->drain_n & 1023) == 0 &&
	    kt_mono_ns() > s->drain_until) {
		s->yielded = true;
		return -EAGAIN;         /* stops ring_buffer__consume() */
	}
	return 0;
}

/* drain - what the rings hold; @all: to the end (at stop), else at most
 * KT_DRAIN_BUDGET_NS of it. */
static int drain(struct kt_session *s, bool all)
{
	struct kt_clock start;
	long n;

	kt_clock_now(&start);
	s->yielded = false;
	s->drain_until = all ? 0 : start.mono_ns + KT_DRAIN_BUDGET_NS;
	n = kt_bpf_consume(s->b, &start);
	if (s->werr)
		return s->werr;
	if (n < 0 && s->yielded)
		return 0;
	return n < 0 ? (int)n : 0;
}

static int on_packet(void *ctx, const struct kt_packet *p)
{
	struct kt_session *s = ctx;
	__s64 off = (__s64)(s->anchor.real_ns - s->anchor.mono_ns);
	struct kt_event ev = { .kind = KT_NET_PACKET };

	ev.ts = p->real_ns - off;
	ev.pkt.ifindex = s->pcap_ifindex;
	ev.pkt.linktype = s->pcap_linktype;
	ev.pkt.len = p->len;
	ev.pkt.caplen = p->caplen;
	if (s->o->redact & KT_REDACT_PAYLOAD)
		ev.pkt.caplen = kt_redact_headers(s->pcap_linktype, p->data,
						  p->caplen);
	ev.pkt.data_str = kt_writer_str(s->w, p->data, ev.pkt.caplen);
	if (ev.pkt.data_str == UINT32_MAX)
		return -ENOMEM;
	return add_event(s, &ev);
}

/* clock_sync - a KT_CLOCK_SYNC anchor at @at, which says more: every
 * event older than it is in the stream (recover's cut: a recorder killed
 * after the next flush lost only younger ones).  So it is never later
 * than what the rings were drained to. */
static int clock_sync(struct kt_session *s, const struct kt_clock *at)
{
	struct kt_event ev = { .kind = KT_CLOCK_SYNC };

	s->anchor = *at;
	ev.ts = s->anchor.mono_ns;
	ev.clk.realtime_ns = s->anchor.real_ns;
	ev.clk.boottime_ns = s->anchor.boot_ns;
	return add_event(s, &ev);
}

/* ----------------------------------------------------------------- tick */

/* tick_sync - the tick's anchor: the start of the drains that last
 * emptied every ring (a ring's records committed since, or still there
 * after a drain cut short, may reach the file after this flush), none
 * while that did not move (a ring never emptied under overload). */
static int tick_sync(struct kt_session *s)
{
	struct kt_clock d;

	kt_bpf_drained(s->b, &d);
	return d.mono_ns > s->anchor.mono_ns ? clock_sync(s, &d) : 0;
}

/* start_sync - the first anchor: as a tick's, or the clocks read before
 * the attach (nothing was recorded before them) */
static int start_sync(struct kt_session *s)
{
	struct kt_clock d;

	kt_bpf_drained(s->b, &d);
	return clock_sync(s, d.mono_ns ? &d : &s->start);
}

static int tick(struct kt_session *s, __u64 now)
{
	int ret;

	ret = tick_sync(s);
	if (!ret)
		ret = kt_report_lost(s, now);
	if (!ret)
		ret = kt_writer_flush(s->w);
	take_requests(s);
	if (!ret)
		ret = kt_flight_tick(s);
	kt_report_progress(s, now);
	return ret;
}

/* ----------------------------------------------------------------- stop */

static void add_unfinished(struct kt_session *s, pid_t pid, pid_t tid,
			   const struct ktr_sys_state *st)
{
	struct kt_event ev = { .kind = KT_SYSCALL };

	if (s->werr || !st->enter_ts || st->enter_ts > s->stop_ns)
		return;
	ev.ts = s->stop_ns;
	ev.tid = tid;
	ev.pid = pid;
	ev.sys.nr = st->nr;
	ev.sys.dur = s->stop_ns - st->enter_ts;
	ev.sys.flags = KT_SYSCALL_UNFINISHED | st->flags;
	/* the arguments that need no user memory */
	switch (st->cls) {
	case KTR_SC_FD_COUNT:
		ev.sys.arg[1] = st->regs[2];
		/* fallthrough */
	case KTR_SC_FD_VEC:
	case KTR_SC_SENDFILE:
	case KTR_SC_SPLICE:
	case KTR_SC_FD:
	case KTR_SC_SOCKADDR_OUT:
		ev.sys.arg[0] = st->regs[0];
		break;
	case KTR_SC_FUTEX:
		ev.sys.arg[0] = st->regs[0];
		ev.sys.arg[1] = st->regs[1];
		ev.sys.arg[2] = (__u32)st->regs[2];
		break;
	case KTR_SC_POLL_MS_DX:
		ev.sys.arg[1] = (__s64)(int)st->regs[2];
		break;
	case KTR_SC_POLL_MS_R10:
		ev.sys.arg[1] = (__s64)(int)st->regs[3];
		break;
	case KTR_SC_WAIT4:
		ev.sys.arg[0] = (__s64)(int)st->regs[0];
		break;
	case KTR_SC_WAITID:
		ev.sys.arg[0] = (__s64)(int)st->regs[1];
		break;
	}
	s->werr = add_event(s, &ev);
	s->unfinished++;
}

/* A thread off its CPU: its syscall is parked in its task storage. */
static void unfinished_parked(void *ctx, pid_t pid, pid_t tid)
{
	struct kt_session *s = ctx;
	struct ktr_sys_state st;

	if (pid != getpid() && !kt_bpf_sys_state(s->b, tid, &st))
		add_unfinished(s, pid, tid, &st);
}

/* A thread on a CPU at stop: its syscall is in that CPU's slot. */
static void unfinished_running(struct kt_session *s)
{
	struct ktr_sys_state *v;
	__u32 n, i;
	char path[64], buf[512], *p;
	FILE *f;
	int pid;

	if (kt_bpf_sys_slots(s->b, &v, &n))
		return;
	for (i = 0; i < n; i++) {
		if (!v[i].enter_ts)
			continue;
		/* the slot has the tid; the thread group is in /proc */
		pid = 0;
		snprintf(path, sizeof(path), "/proc/%u/status", v[i].tid);
		f = fopen(path, "re");
		while (f && fgets(buf, sizeof(buf), f))
			if (!strncmp(buf, "Tgid:", 5)) {
				pid = strtol(buf + 5, &p, 10);
				break;
			}
		if (f)
			fclose(f);
		if (pid && pid != getpid())
			add_unfinished(s, pid, v[i].tid, &v[i]);
	}
	free(v);
}

static void incomplete_one(void *ctx, const struct ktr_inflight *f)
{
	struct kt_session *s = ctx;
	struct kt_event ev = { .kind = KT_BLOCK_RQ };
	__u64 issue = f->issue_ts ? f->issue_ts : f->insert_ts;

	if (s->werr || !issue || issue > s->stop_ns)
		return;
	ev.ts = s->stop_ns;
	ev.tid = f->tid;
	ev.pid = f->pid;
	ev.cpu = f->issue_cpu;
	ev.blk.dev = f->dev;
	ev.blk.op = f->op;
	ev.blk.sector = f->sector;
	ev.blk.bytes = f->bytes;
	ev.blk.queue_ns = f->issue_ts && f->insert_ts ?
			  f->issue_ts - f->insert_ts : 0;
	ev.blk.service_ns = f->issue_ts ? s->stop_ns - f->issue_ts : 0;
	ev.blk.issue_cpu = f->issue_cpu;
	ev.blk.flags = KT_BLOCK_INCOMPLETE;
	s->werr = add_event(s, &ev);
	s->incomplete++;
}

/* Detach, drain what the rings still hold, and add what was still going
 * on at stop: syscalls in progress, block requests in flight. */
static int stop_recording(struct kt_session *s)
{
	struct kt_clock at;
	int ret;

	s->stop_ns = kt_mono_ns();
	kt_bpf_detach(s->b);
	kt_bpf_quiesce(s->b);
	ret = drain(s, true);
	if (!ret && s->pcap) {
		kt_pcap_stop(s->pcap);
		ret = kt_pcap_drain(s->pcap, on_packet, s);
	}
	if (!ret && (s->kinds & KT_KIND_BIT(KT_SYSCALL))) {
		unfinished_running(s);
		kt_for_each_tid(unfinished_parked, s);
	}
	if (!ret && (s->kinds & KT_KIND_BIT(KT_BLOCK_RQ)))
		kt_bpf_inflight_foreach(s->b, incomplete_one, s);
	ret = ret ?: s->werr;
	ret = ret ?: kt_report_lost(s, s->stop_ns);
	if (!ret)       /* detached, every ring drained */
		kt_clock_now(&at);
	ret = ret ?: clock_sync(s, &at);
	return ret;
}

/* ---------------------------------------------------------------- setup */

static int scope_add(void *ctx, __u32 tgid)
{
	struct kt_session *s = ctx;

	return tgid && tgid != (__u32)getpid() ? kt_bpf_scope_add(s->b, tgid) : 0;
}

static __u32 bpf_scope(enum kt_rec_scope sc)
{
	switch (sc) {
	case KT_REC_HOST:
		return KTR_SCOPE_ALL;
	case KT_REC_CGROUP:
		return KTR_SCOPE_CGROUP;
	default:
		return KTR_SCOPE_PIDS;
	}
}

/* Check the scope's inputs and the output, start the command (blocked),
 * load. */
static int setup_bpf(struct kt_session *s, const sigset_t *childmask,
		     struct kt_err *err)
{
	const struct kt_record_opts *o = s->o;
	struct kt_bpf_cfg cfg = {
		.kind_mask = o->kind_mask,
		.self_tgid = getpid(),
		.scope = bpf_scope(o->scope),
		.follow = o->follow || o->scope == KT_REC_CMD,
		.cgroup_fd = -1,
		.sys_class = s->sys_class,
		.ring_bytes = o->ring_bytes,
		.fault_period = o->fault_period,
		.rss_interval_ns = 10000000,
		.warn = o->msg,
	};
	int ret;

	if (kt_sys_class_table(s->sys_class, o->syscalls))
		return kt_rec_fail(err, -EINVAL, KT_ERR_INPUT,
				   "--syscalls '%s': unknown syscall", o->syscalls);
	if (o->scope == KT_REC_PIDS) {
		ret = kt_pids_check(o->pids, o->npids, err);
		if (ret)
			return ret;
	}
	if (o->scope == KT_REC_CGROUP) {
		ret = kt_cgroup_open(o->cgroup, &s->cgroup_fd, err);
		if (ret)
			return ret;
		cfg.cgroup_fd = s->cgroup_fd;
	}
	if (o->user) {
		ret = kt_user_lookup(o->user, &s->creds, err);
		if (ret)
			return ret;
	}
	/* before loading anything: a capture that cannot be created
	 * fails first, and one that can is there from the start */
	ret = kt_output_claim(&s->out, o, err);
	if (ret)
		return ret;
	ret = kt_caps_check(o, &s->missing, err);
	if (ret)
		return ret;
	if (o->scope == KT_REC_CMD) {
		ret = kt_spawn(&s->child, o->cmd, childmask,
			       o->user ? &s->creds : NULL);
		if (ret)
			return kt_rec_fail(err, ret, KT_ERR_SYSTEM, "cannot start '%s': %s",
					   o->cmd[0], strerror(-ret));
		s->have_child = true;
	}
	ret = kt_bpf_open(&s->b, &cfg, err);
	if (ret)
		return ret;
	s->kinds = kt_bpf_kinds(s->b);
	s->conv.intern = intern;
	s->conv.sys_class = s->sys_class;
	s->conv.redact = o->redact;
	s->lost_seen = calloc((size_t)kt_bpf_ncpus(s->b) * KT_FAM_MAX,
			      sizeof(__u64));
	s->lost_placed = calloc((size_t)kt_bpf_ncpus(s->b) * KT_LOST_CAUSES,
				sizeof(__u64));
	if (!s->lost_seen || !s->lost_placed)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	switch (o->scope) {
	case KT_REC_PIDS:
		for (size_t i = 0; i < o->npids; i++)
			scope_add(s, o->pids[i]);
		if (o->follow)
			kt_pids_descendants(o->pids, o->npids, scope_add, s);
		break;
	case KT_REC_CGROUP:
		kt_cgroup_procs(s->cgroup_fd, scope_add, s);
		break;
	case KT_REC_CMD:
		ret = scope_add(s, s->child.pid);
		break;
	case KT_REC_HOST:
		break;
	}
	if (ret)
		return kt_rec_fail(err, ret, KT_ERR_SYSTEM, "cannot set the scope: %s",
				   strerror(-ret));
	return 0;
}

static int setup_writer(struct kt_session *s, struct kt_err *err)
{
	const struct kt_record_opts *o = s->o;
	struct kt_writer_opts wo = {
		.zstd_level = o->zstd_level,
		.flight_ns = o->flight_ns,
		.flight_bytes = o->flight_bytes,
	};
	json_t *meta;
	int ret;

	kt_clock_now(&s->start);
	s->anchor = s->start;
	meta = kt_meta_start(o, s->kinds, &s->start, kt_bpf_ncpus(s->b));
	if (!meta)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	ret = kt_writer_open_fd(&s->w, o->flight_ns ? -1 :
				kt_output_take(&s->out), o->out, &wo, meta);
	json_decref(meta);
	if (ret)
		return kt_rec_fail(err, ret, KT_ERR_OUTPUT, "%s: %s", o->out,
				   strerror(-ret));
	s->conv.ctx = s->w;
	s->writing = true;
	return 0;
}

static bool snapshot_keep(void *ctx, pid_t tgid)
{
	struct kt_session *s = ctx;

	return kt_bpf_in_scope(s->b, (__u32)tgid);
}

/* Attach, snapshot /proc (after attaching: every task is then either in
 * the snapshot or forked under our eyes), start pcap, release the command. */
static int start_recording(struct kt_session *s, struct kt_err *err)
{
	const struct kt_record_opts *o = s->o;
	__u64 dropped;
	long n;
	int ret;

	ret = kt_bpf_attach(s->b, on_record, s, err);
	if (ret)
		return ret;
	/* servers that listened before the start: their new connections
	 * and the queue a retransmitted SYN meets (best effort: without the
	 * iterator only listeners that start while recording are known) */
	kt_listeners_start(s->b, o->scope == KT_REC_HOST ? NULL : snapshot_keep,
			   s);
	n = kt_snapshot(s->w, (__s64)(s->start.mono_ns - s->start.boot_ns),
			o->scope == KT_REC_HOST ? NULL : snapshot_keep, s,
			o->redact, &s->denied);
	if (n < 0)
		return kt_rec_fail(err, n, KT_ERR_OUTPUT, "%s: %s", o->out, strerror(-n));
	/* what the fds open at start name, for the syscalls on them (best
	 * effort: without it they are only named by what the capture shows) */
	if (s->kinds & KT_KIND_BIT(KT_SYSCALL))
		s->fds = kt_fd_snapshot(o->scope == KT_REC_HOST ? NULL :
					snapshot_keep, s, o->redact);
	if (o->pcap_iface) {
		ret = kt_pcap_start(&s->pcap, o->pcap_iface, o->snaplen,
				    o->pcap_filter, err);
		if (ret)
			return ret;
		kt_pcap_info(s->pcap, &s->pcap_ifindex, &s->pcap_linktype,
			     &dropped);
	}
	/* the first frame now, not at the first tick: a recorder killed
	 * within its first second leaves a capture `recover` can rebuild
	 * (the snapshot, what the rings hold, and the start anchor: where
	 * the rings were drained to, every program attached; the clocks
	 * read before the attach if a ring could not be emptied) */
	ret = drain(s, false);
	if (!ret)
		ret = start_sync(s);
	if (!ret)
		ret = kt_writer_flush(s->w);
	if (ret)
		return kt_rec_fail(err, ret, KT_ERR_OUTPUT, "%s: %s", o->out,
				   strerror(-ret));
	if (s->have_child) {
		/* a failed exec ends the child (127): the loop sees it */
		ret = kt_spawn_go(&s->child);
		if (ret && s->child.failed_as_user)
			fprintf(o->msg, "ktrail record: cannot run '%s' as user '%s': %s\n",
				o->cmd[0], o->user, strerror(-ret));
		else if (ret)
			fprintf(o->msg, "ktrail record: cannot run '%s': %s\n",
				o->cmd[0], strerror(-ret));
	}
	return 0;
}

/* ----------------------------------------------------------------- loop */

static void reap_child(struct kt_session *s, int flags)
{
	int st;

	if (!s->have_child || s->child_exited)
		return;
	if (waitpid(s->child.pid, &st, flags) == s->child.pid) {
		s->child_exited = true;
		s->child_status = st;
	}
}

static int run_loop(struct kt_session *s)
{
	const struct kt_record_opts *o = s->o;
	__u64 now = kt_mono_ns(), end = 0, next_tick = now + KT_TICK_NS;
	struct epoll_event ev = { .events = EPOLLIN }, evs[4];
	int ep, ret = 0, timeout, n;

	if (o->duration_ns)
		end = now + o->duration_ns;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	ev.data.u32 = 0;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, kt_bpf_epoll_fd(s->b), &ev))
		ret = -errno;
	ev.data.u32 = 1;
	if (!ret && s->have_child &&
	    epoll_ctl(ep, EPOLL_CTL_ADD, s->child.pidfd, &ev))
		ret = -errno;
	s->last_tick_ns = now;
	while (!ret) {
		timeout = KT_DRAIN_MS;
		if (next_tick > now && (next_tick - now) / 1000000 < (__u64)timeout)
			timeout = (next_tick - now) / 1000000 + 1;
		n = epoll_wait(ep, evs, 4, timeout);
		for (int i = 0; i < n; i++)
			if (evs[i].data.u32 == 1)
				reap_child(s, WNOHANG);
		ret = drain(s, false);
		if (!ret && s->pcap)
			ret = kt_pcap_drain(s->pcap, on_packet, s);
		now = kt_mono_ns();
		if (!ret && now >= next_tick) {
			ret = tick(s, now);
			next_tick = now + KT_TICK_NS;
		}
		if (sig_stop || s->child_exited || (end && now >= end))
			break;
	}
	close(ep);
	return ret;
}

/* ----------------------------------------------------------------- main */

static void install_handlers(sigset_t *old, sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigset_t block;

	sig_stop = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, old);
	*waitmask = *old;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGHUP);
	sigaddset(waitmask, SIGUSR1);   /* requests.c's thread takes it */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

/* requests_late - the SIGUSR1s that came after the last dump: counted
 * by the thread or still pending (taken here: the default action would
 * end the process). */
static unsigned requests_late(struct kt_session *s)
{
	unsigned n = kt_requests_stop(&s->req) - s->req_seen;

	s->req_seen += n;
	return n;
}

static void restore_handlers(const sigset_t *old)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* The size of the closed capture as `info` gives it: the file's bytes
 * and the bytes of its frames (bytes/event counts frames only).  The
 * writer's figures stop short of the last frame, the index and the end
 * metadata, which only close writes, so the file is read back; if it
 * cannot be, the writer's figures stay. */
static void closed_size(const char *path, struct kt_rec_size *sz)
{
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct kt_info info;

	if (kt_reader_open(&r, path, 0, &err))
		return;
	kt_reader_info(r, &info);
	sz->file = info.file_bytes;
	sz->frames = info.frame_bytes;
	kt_reader_close(r);
}

/* Close the capture (flight mode: one last dump); fills its size. */
static int finish(struct kt_session *s, struct kt_rec_size *sz)
{
	struct kt_writer_stats st;
	json_t *m;
	int ret = 0;

	if (s->o->flight_ns) {
		take_requests(s);
		ret = kt_flight_finish(s, sig_stop);
	}
	kt_writer_stats(s->w, &st);
	sz->file = sz->frames = st.bytes;
	m = kt_report_end_meta(s);
	if (!m) {
		kt_writer_abort(s->w);
		s->w = NULL;
		return -ENOMEM;
	}
	ret = kt_writer_close(s->w, m) ?: ret;
	s->w = NULL;
	json_decref(m);
	if (!ret && !s->o->flight_ns)
		closed_size(s->o->out, sz);
	return ret;
}

int kt_record(const struct kt_record_opts *o, struct kt_record_result *res,
	      struct kt_err *err)
{
	struct kt_session s = { .o = o, .cgroup_fd = -1, .out = { .fd = -1 } };
	sigset_t old, waitmask, blocked;
	struct kt_rec_size sz = { 0 };
	bool taking = false;
	int ret, sig;

	memset(res, 0, sizeof(*res));
	s.child.go_fd = s.child.err_fd = s.child.pidfd = -1;
	s.tty = !o->quiet && isatty(fileno(o->msg));
	install_handlers(&old, &waitmask);
	ret = kt_requests_start(&s.req);
	if (ret)
		kt_rec_fail(err, ret, KT_ERR_SYSTEM, "cannot start the thread "
			    "that takes SIGUSR1: %s", strerror(-ret));
	if (!ret)
		ret = setup_bpf(&s, &old, err);
	if (!ret)
		ret = setup_writer(&s, err);
	if (!ret)
		ret = start_recording(&s, err);
	if (!ret) {
		/* from here to the last dump: signals as they come */
		sigprocmask(SIG_SETMASK, &waitmask, &blocked);
		taking = true;
		ret = run_loop(&s);
		ret = stop_recording(&s) ?: ret;
		s.stopped = !ret;
		if (ret == -ENOSPC || ret == -EDQUOT || ret == -EFBIG ||
		    ret == -EIO)
			kt_rec_fail(err, ret, KT_ERR_OUTPUT, "%s: %s: recording "
				    "stopped; the capture keeps what was written "
				    "before", o->out, strerror(-ret));
		else if (ret)
			kt_rec_fail(err, ret, KT_ERR_OUTPUT, "%s: %s", o->out,
				    strerror(-ret));
	}
	if (s.w) {
		int r = finish(&s, &sz);

		if (r && !ret)
			ret = kt_rec_fail(err, r, KT_ERR_OUTPUT, "%s: %s", o->out,
					  strerror(-r));
		res->events = s.events;
		res->bytes = sz.file;
		for (unsigned f = 0; f < KT_FAM_MAX; f++)
			res->lost += s.lost_fam[f];
		if (!ret || s.events)
			kt_report_summary(&s, o->out, &sz);
	}
	if (taking)
		sigprocmask(SIG_SETMASK, &blocked, NULL);
	sig = sig_stop;
	kt_output_release(&s.out, o->out, o->flight_ns ? s.dumps > 0 :
			  s.writing);
	kt_pcap_free(s.pcap);
	kt_bpf_close(s.b);
	if (s.have_child) {
		/* never released (setup failed): closing its pipe ends it */
		res->cmd_ran = s.child.go_fd < 0;
		kt_spawn_close(&s.child);
		/* the recording is over but the command's status is still
		 * ours to report: pass on a stop signal, then wait for it */
		if (res->cmd_ran && !s.child_exited && sig)
			kill(s.child.pid, sig);
		reap_child(&s, 0);
		res->exit_status = kt_wait_status_exit(s.child_status);
	}
	if (s.cgroup_fd >= 0)
		close(s.cgroup_fd);
	json_decref(s.fds);
	kt_creds_release(&s.creds);
	free(s.lost_seen);
	free(s.lost_placed);
	kt_flight_unserved(&s, requests_late(&s));
	restore_handlers(&old);
	return ret;
}

int kt_record_size_parse(const char *s, __u64 *bytes)
{
	__u64 v, p = 4096;

	if (kt_size_parse(s, &v) || v > (1ULL << 32))
		return -EINVAL;
	while (p < v)
		p <<= 1;
	*bytes = p;
	return 0;
}
