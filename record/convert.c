// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * convert.c - ring records (bpf/events.h) into struct kt_event.  Pure: no
 * I/O, strings go through the caller's intern function, so unit tests feed
 * it hand-made records.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "record_int.h"

/* The kernel's task state bits (include/linux/sched.h, v5.14+). */
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_STOPPED_BIT 0x0004
#define TASK_TRACED_BIT 0x0008
#define EXIT_DEAD 0x0010
#define EXIT_ZOMBIE 0x0020
#define TASK_PARKED 0x0040
#define TASK_DEAD 0x0080
#define TASK_WAKEKILL 0x0100
#define TASK_NOLOAD 0x0400
#define TASK_RTLOCK_WAIT 0x1000
#define TASK_FROZEN 0x8000

__u32 kt_norm_state(__u32 raw)
{
	__u32 s = raw & ~KTR_SW_PREEMPT, st;

	if ((raw & KTR_SW_PREEMPT) || !s)
		return KT_STATE_RUNNABLE;
	if (s & (TASK_DEAD | EXIT_DEAD))
		st = KT_STATE_DEAD;
	else if (s & EXIT_ZOMBIE)
		st = KT_STATE_ZOMBIE;
	else if (s & TASK_TRACED_BIT)
		st = KT_STATE_TRACED;
	else if (s & (TASK_STOPPED_BIT | TASK_FROZEN))
		st = KT_STATE_STOPPED;
	else if (s & TASK_PARKED)
		st = KT_STATE_PARKED;
	else if ((s & TASK_UNINTERRUPTIBLE) && (s & TASK_NOLOAD))
		st = KT_STATE_IDLE;
	else if (s & (TASK_UNINTERRUPTIBLE | TASK_RTLOCK_WAIT))
		st = KT_STATE_DISK;
	else
		st = KT_STATE_SLEEPING;
	if (s & TASK_WAKEKILL)
		st |= KT_STATE_WAKEKILL;
	return st;
}

/* blk_status_t values (include/linux/blk_types.h) and the errno
 * blk_status_to_errno() gives them. */
__s32 kt_blk_errno(__u32 status)
{
	static const __s32 map[] = {
		0, -EOPNOTSUPP, -ETIMEDOUT, -ENOSPC, -ENOLINK, -EREMOTEIO,
		-EBADE, -ENODATA, -EILSEQ, -ENOMEM, -EIO, -EREMCHG, -EAGAIN,
		-EBUSY, -ETOOMANYREFS, -EOVERFLOW, -ENODEV, -ETIME,
	};

	return status < sizeof(map) / sizeof(map[0]) ? map[status] : -EIO;
}

/* Size a record of kind @k must have at least. */
static size_t min_size(unsigned k, __u32 a32)
{
	switch (k) {
	case KT_SYSCALL:
		if (a32 & KTR_SYS_STR)
			return sizeof(struct ktr_syscall_ext);
		if (a32 & KTR_SYS_ARGS)
			return offsetof(struct ktr_syscall_ext, str);
		return sizeof(struct ktr_syscall);
	case KT_SCHED_SWITCH: return sizeof(struct ktr_switch);
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW: return sizeof(struct ktr_waking);
	case KT_SCHED_MIGRATE: return sizeof(struct ktr_migrate);
	case KT_PROC_FORK: return sizeof(struct ktr_fork);
	case KT_PROC_EXEC: return sizeof(struct ktr_exec);
	case KT_PROC_EXIT: return sizeof(struct ktr_exit);
	case KT_PROC_COMM: return sizeof(struct ktr_comm);
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET: return sizeof(struct ktr_tcp);
	case KT_BLOCK_RQ: return sizeof(struct ktr_block);
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER: return sizeof(struct ktr_signal);
	case KT_OOM_VICTIM: return sizeof(struct ktr_oom);
	case KT_PAGE_FAULT: return sizeof(struct ktr_fault);
	case KT_RSS: return sizeof(struct ktr_rss);
	case KT_LOST: return sizeof(struct ktr_lost);
	}
	return SIZE_MAX;
}

/* Intern a NUL-padded buffer of at most @max bytes. */
static int str_fixed(const struct kt_conv *c, const char *s, size_t max,
		     __u32 *h)
{
	*h = c->intern(c->ctx, s, strnlen(s, max));
	return *h == UINT32_MAX ? -ENOMEM : 0;
}

static int str_bytes(const struct kt_conv *c, const void *s, size_t len,
		     __u32 *h)
{
	*h = c->intern(c->ctx, s, len);
	return *h == UINT32_MAX ? -ENOMEM : 0;
}

/* --redact paths on the @len bytes of a syscall string of class @cls (in
 * place); returns its new length. */
static size_t redact_sys_str(unsigned redact, __u8 cls, char *s, size_t len)
{
	if (!(redact & KT_REDACT_PATHS))
		return len;
	switch (cls) {
	case KTR_SC_OPENAT:
	case KTR_SC_OPENAT2:
	case KTR_SC_OPEN:
	case KTR_SC_PATH0:
	case KTR_SC_PATH1:
	case KTR_SC_EXECVE:
	case KTR_SC_EXECVEAT:
		return kt_redact_path(s, len, s);
	case KTR_SC_SOCKADDR_IN:
	case KTR_SC_SOCKADDR_OUT:
	case KTR_SC_ACCEPT4:
		return kt_redact_sockaddr(s, len, s);
	}
	return len;
}

static int conv_syscall(const struct kt_conv *c, const void *rec,
			struct kt_event *ev)
{
	const struct ktr_syscall_ext *x = rec;
	__u32 a32 = x->s.h.a32, len = a32 & KTR_SYS_LEN_MASK;
	char both[KTR_STR_MAX];
	size_t n1, n2;
	__u8 cls;

	ev->sys.nr = x->s.h.a16;
	ev->sys.dur = x->s.dur;
	ev->sys.ret = x->s.ret;
	ev->sys.flags = a32 >> KTR_SYS_FLAG_SHIFT;
	if (a32 & (KTR_SYS_ARGS | KTR_SYS_STR))
		memcpy(ev->sys.arg, x->arg, sizeof(ev->sys.arg));
	if (!(a32 & KTR_SYS_STR) || !len)
		return 0;
	if (len > KTR_STR_MAX)
		return -EBADMSG;
	cls = ev->sys.nr < KTR_NR_MAX ? c->sys_class[ev->sys.nr] : KTR_SC_NONE;
	if (cls != KTR_SC_RENAME && cls != KTR_SC_RENAMEAT) {
		memcpy(both, x->str, len);
		len = redact_sys_str(c->redact, cls, both, len);
		return str_bytes(c, both, len, &ev->sys.str);
	}
	/* two fixed halves -> "old\0new" */
	n1 = strnlen(x->str, KTR_PATH_MAX);
	n2 = strnlen(x->str + KTR_PATH_MAX, KTR_PATH_MAX);
	if (n1 == KTR_PATH_MAX)
		n1--;
	if (n2 == KTR_PATH_MAX)
		n2--;
	if (c->redact & KT_REDACT_PATHS) {
		n1 = kt_redact_path(x->str, n1, both);
		both[n1] = 0;
		n2 = kt_redact_path(x->str + KTR_PATH_MAX, n2, both + n1 + 1);
	} else {
		memcpy(both, x->str, n1);
		both[n1] = 0;
		memcpy(both + n1 + 1, x->str + KTR_PATH_MAX, n2);
	}
	return str_bytes(c, both, n1 + 1 + n2, &ev->sys.str);
}

static void conv_tcp(const struct ktr_tcp *r, struct kt_event *ev)
{
	memcpy(ev->tcp.saddr, r->saddr, sizeof(ev->tcp.saddr));
	memcpy(ev->tcp.daddr, r->daddr, sizeof(ev->tcp.daddr));
	ev->tcp.sock = r->cookie;
	ev->tcp.family = r->family;
	ev->tcp.sport = r->sport;
	ev->tcp.dport = r->dport;
	ev->tcp.netns = r->netns;
	ev->tcp.oldstate = r->oldstate;
	ev->tcp.newstate = r->newstate;
	ev->tcp.flags = r->h.a32;
	ev->tcp.context = r->h.a16;
	ev->tcp.owner_tid = r->owner_tid;
	ev->tcp.owner_pid = r->owner_pid;
	ev->tcp.acceptq = r->acceptq;
	ev->tcp.acceptq_max = r->acceptq_max;
	ev->tcp.tx_bytes = r->tx_bytes;
	ev->tcp.rx_bytes = r->rx_bytes;
}

/* The exec's filename and argv, redacted as c->redact says. */
static int conv_exec_strs(const struct kt_conv *c, const struct ktr_exec *r,
			  struct kt_event *ev)
{
	char buf[KTR_ARGV_MAX];
	size_t n;
	int ret;

	n = r->filename_len;
	memcpy(buf, r->filename, n);
	if (c->redact & KT_REDACT_PATHS)
		n = kt_redact_path(buf, n, buf);
	ret = str_bytes(c, buf, n, &ev->exec.filename_str);
	if (ret)
		return ret;
	n = r->argv_len;
	memcpy(buf, r->argv, n);
	if (c->redact & (KT_REDACT_ARGS | KT_REDACT_PATHS))
		n = kt_redact_argv(buf, n, c->redact, buf);
	return str_bytes(c, buf, n, &ev->exec.argv_str);
}

static int conv_proc(const struct kt_conv *c, const void *rec,
		     struct kt_event *ev)
{
	const struct ktr_hdr *h = rec;
	int ret = 0;

	switch (h->kind) {
	case KT_PROC_FORK: {
		const struct ktr_fork *r = rec;

		ev->fork.child_tid = r->child_tid;
		ev->fork.child_pid = r->child_pid;
		ev->fork.flags = h->a16;
		ret = str_fixed(c, r->comm, KTR_COMM_LEN, &ev->fork.child_comm_str);
		break;
	}
	case KT_PROC_EXEC: {
		const struct ktr_exec *r = rec;

		if (r->filename_len >= KTR_PATH_MAX ||
		    r->argv_len > KTR_ARGV_MAX)
			return -EBADMSG;
		ev->exec.old_tid = h->a32;
		ev->exec.flags = h->a16;
		ret = conv_exec_strs(c, r, ev);
		ret = ret ?: str_fixed(c, r->comm, KTR_COMM_LEN,
				       &ev->exec.comm_str);
		break;
	}
	case KT_PROC_EXIT:
		ev->exit.exit_code = (__s32)h->a32;
		ev->exit.flags = h->a16;
		break;
	case KT_PROC_COMM: {
		const struct ktr_comm *r = rec;

		ret = str_fixed(c, r->comm, KTR_COMM_LEN, &ev->comm.comm_str);
		break;
	}
	}
	return ret;
}

static void conv_block(const struct ktr_block *r, struct kt_event *ev)
{
	ev->blk.dev = r->dev;
	ev->blk.op = r->op;
	ev->blk.sector = r->sector;
	ev->blk.bytes = r->bytes;
	ev->blk.error = kt_blk_errno(r->status);
	ev->blk.queue_ns = r->queue_ns;
	ev->blk.service_ns = r->service_ns;
	ev->blk.issue_cpu = r->h.a32;
	ev->blk.flags = r->h.a16;
}

static int conv_oom(const struct kt_conv *c, const struct ktr_oom *r,
		    struct kt_event *ev)
{
	ev->oom.victim_tid = r->h.a32;
	ev->oom.victim_pid = r->victim_pid;
	ev->oom.total_vm_kb = r->total_vm_kb;
	ev->oom.anon_rss_kb = r->anon_rss_kb;
	ev->oom.file_rss_kb = r->file_rss_kb;
	ev->oom.shmem_rss_kb = r->shmem_rss_kb;
	ev->oom.oom_score_adj = r->oom_score_adj;
	return str_fixed(c, r->memcg, KTR_CGPATH_MAX, &ev->oom.memcg_str) ?:
	       str_fixed(c, r->comm, KTR_COMM_LEN, &ev->oom.victim_comm_str);
}

int kt_convert(const struct kt_conv *c, const void *rec, size_t size,
	       __u32 cpu, struct kt_event *ev)
{
	const struct ktr_hdr *h = rec;

	if (size < sizeof(*h) || size < min_size(h->kind, h->a32))
		return -EBADMSG;
	memset(ev, 0, sizeof(*ev));
	ev->ts = h->ts;
	ev->tid = h->tid;
	ev->pid = h->pid;
	ev->kind = h->kind;
	ev->cpu = cpu;
	switch (h->kind) {
	case KT_SYSCALL:
		return conv_syscall(c, rec, ev) ?: 1;
	case KT_SCHED_SWITCH: {
		const struct ktr_switch *r = rec;

		ev->sw.prev_state = kt_norm_state(h->a32);
		ev->sw.next_tid = r->next_tid;
		ev->sw.next_pid = r->next_pid;
		ev->sw.prev_prio = h->a16;
		ev->sw.next_prio = r->next_prio;
		return 1;
	}
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW: {
		const struct ktr_waking *r = rec;

		ev->wake.target_tid = r->target_tid;
		ev->wake.target_pid = r->target_pid;
		ev->wake.target_cpu = h->a32;
		ev->wake.target_prio = r->target_prio;
		ev->wake.context = h->a16;
		return 1;
	}
	case KT_SCHED_MIGRATE: {
		const struct ktr_migrate *r = rec;

		ev->mig.target_tid = r->target_tid;
		ev->mig.target_pid = r->target_pid;
		ev->mig.orig_cpu = h->a32;
		ev->mig.dest_cpu = r->dest_cpu;
		return 1;
	}
	case KT_PROC_FORK:
	case KT_PROC_EXEC:
	case KT_PROC_EXIT:
	case KT_PROC_COMM:
		return conv_proc(c, rec, ev) ?: 1;
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		conv_tcp(rec, ev);
		return 1;
	case KT_BLOCK_RQ:
		conv_block(rec, ev);
		return 1;
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER: {
		const struct ktr_signal *r = rec;

		ev->sig.target_tid = r->target_tid;
		ev->sig.target_pid = r->target_pid;
		ev->sig.signo = h->a32;
		ev->sig.code = r->code;
		ev->sig.result = r->result;
		ev->sig.context = h->a16;
		return 1;
	}
	case KT_OOM_VICTIM:
		return conv_oom(c, rec, ev) ?: 1;
	case KT_PAGE_FAULT: {
		const struct ktr_fault *r = rec;

		ev->fault.addr = r->addr;
		ev->fault.ip = r->ip;
		ev->fault.period = h->a32;
		return 1;
	}
	case KT_RSS: {
		const struct ktr_rss *r = rec;

		ev->rss.member = h->a16;
		ev->rss.bytes = r->bytes;
		return 1;
	}
	case KT_LOST: {
		const struct ktr_lost *r = rec;

		if (h->a16 >= KT_FAM_MAX || h->a32 >= KT_LOST_CAUSES)
			return -EBADMSG;
		ev->lost.family = h->a16;
		ev->lost.cause = h->a32;
		ev->lost.count = r->count;
		ev->lost.since = r->since;
		return 1;
	}
	}
	return -EBADMSG;
}
