// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * merge.c - the plan of a merge (host ids, bases, clock offsets) and the
 * rewriting of one source's events and tasks into the merged capture's
 * terms (merge.h; docs/merge.md).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include "analyze/merge.h"

/* ---------------------------------------------------------------- clock */

/* (wall - mono) of @an at wall time @w: interpolated between the two
 * anchors around it, the nearest anchor's outside them */
static __int128 wall_minus_mono(const struct kt_anchors *an, __s64 w)
{
	const struct kt_anchor *a = an->a, *b;

	if (w <= a[0].real_ns || an->n == 1)
		return (__int128)a[0].real_ns - a[0].mono_ns;
	for (size_t i = 0; i + 1 < an->n; i++) {
		a = &an->a[i];
		b = a + 1;
		if (w > b->real_ns || b->real_ns <= a->real_ns)
			continue;
		/* mono at @w on the segment, then the difference */
		return (__int128)w - ((__int128)a->mono_ns +
			((__int128)w - a->real_ns) *
			((__int128)b->mono_ns - a->mono_ns) /
			((__int128)b->real_ns - a->real_ns));
	}
	a = &an->a[an->n - 1];
	return (__int128)a->real_ns - a->mono_ns;
}

int kt_merge_clock(const struct kt_anchors *ref, const struct kt_anchors *src,
		   __s64 *off, __u64 *unc)
{
	__int128 lo = 0, hi = 0, d, mid;
	bool any = false;

	if (!ref || !src || !ref->n || !src->n)
		return -ENOENT;
	/* mono_ref(w) - mono_src(w) = (w - mono_src) - (w - mono_ref) */
	for (int side = 0; side < 2; side++) {
		const struct kt_anchors *an = side ? src : ref;

		for (size_t i = 0; i < an->n; i++) {
			__s64 w = an->a[i].real_ns;

			d = wall_minus_mono(src, w) - wall_minus_mono(ref, w);
			if (!any || d < lo)
				lo = d;
			if (!any || d > hi)
				hi = d;
			any = true;
		}
	}
	mid = lo + (hi - lo) / 2;
	if (mid > INT64_MAX || mid < INT64_MIN)
		return -ERANGE;
	*off = (__s64)mid;
	*unc = (__u64)(hi - mid) + 2 * KT_MERGE_ANCHOR_NS;
	return 0;
}

/* ----------------------------------------------------------------- plan */

static const char *meta_str(const json_t *meta, const char *a, const char *b)
{
	const json_t *v = json_object_get(json_object_get(meta, a), b);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* host.cpus, or the length of lost.per_cpu, or a generous 256 */
static __u32 meta_cpus(const json_t *meta)
{
	const json_t *c = json_object_get(json_object_get(meta, "host"), "cpus");
	const json_t *pc = json_object_get(json_object_get(meta, "lost"),
					   "per_cpu");

	if (json_is_integer(c) && json_integer_value(c) > 0 &&
	    json_integer_value(c) <= 65535)
		return (__u32)json_integer_value(c);
	if (json_is_array(pc) && json_array_size(pc))
		return (__u32)json_array_size(pc);
	return 256;
}

static __u64 meta_lost(const json_t *meta, const struct kt_info *in)
{
	const json_t *t = json_object_get(json_object_get(meta, "lost"), "total");
	__u64 v = json_is_integer(t) && json_integer_value(t) > 0 ?
		  (__u64)json_integer_value(t) : 0;

	return v > in->lost ? v : in->lost;
}

static bool scoped(const json_t *meta)
{
	const char *s = meta_str(meta, "record", "scope");

	return *s && strcmp(s, "host");
}

static int plan_one(struct kt_merge_host *h, size_t i,
		    struct kt_reader *const *r, const char *name,
		    const char *id, struct kt_err *err)
{
	const json_t *meta = kt_reader_meta(r[i]);
	const struct kt_anchors *an = kt_reader_anchors(r[i]);
	struct kt_info in;
	int rc;

	memset(h, 0, sizeof(*h));
	if (id && kt_host_id_valid(id))
		memcpy(h->id, id, strlen(id) + 1);
	else if (kt_host_id_of(meta, h->id, sizeof(h->id)))
		return kt_err_set(err, -EINVAL, KT_ERR_INPUT, ~0ULL,
				  "no usable host id");
	h->hostname = meta_str(meta, "host", "hostname");
	h->boot_id = meta_str(meta, "host", "boot_id");
	h->source = name;
	h->tid_base = (__u32)i << KT_MERGE_TID_BITS;
	h->cpus = meta_cpus(meta);
	kt_reader_info(r[i], &in);
	h->lost = meta_lost(meta, &in);
	if (!an || !an->n)
		return kt_err_set(err, -EINVAL, KT_ERR_INPUT, ~0ULL,
				  "no clock anchors in the metadata (recorded "
				  "by an older ktrail): its clock cannot be "
				  "aligned with the others'");
	if (!i) {
		h->same_boot = true;
		return 0;
	}
	if (h[-(long)i].boot_id[0] && !strcmp(h->boot_id, h[-(long)i].boot_id)) {
		h->same_boot = true;   /* one kernel: one clock, one inode space */
		return 0;
	}
	h->file_base = (__u64)i << KT_MERGE_FILE_SHIFT;
	rc = kt_merge_clock(kt_reader_anchors(r[0]), an, &h->offset_ns,
			    &h->uncertainty_ns);
	if (rc)
		return kt_err_set(err, rc, KT_ERR_INPUT, ~0ULL,
				  "its clock offset to the first capture's does "
				  "not fit");
	return 0;
}

int kt_merge_plan(struct kt_merge_host *h, struct kt_reader *const *r,
		  const char *const *names, const char *const *ids,
		  size_t n, size_t *bad, struct kt_err *err)
{
	__u32 cpu = 0;
	bool any_scoped = false;
	int rc;

	if (n > KT_MERGE_MAX_HOSTS) {
		*bad = KT_MERGE_MAX_HOSTS;
		return kt_err_set(err, -EINVAL, KT_ERR_INPUT, ~0ULL,
				  "more than %u captures", KT_MERGE_MAX_HOSTS);
	}
	for (size_t i = 0; i < n; i++) {
		*bad = i;
		rc = plan_one(&h[i], i, r, names[i], ids ? ids[i] : NULL, err);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(h[j].id, h[i].id))
				return kt_err_set(err, -EINVAL, KT_ERR_INPUT,
					~0ULL, "host id '%s' is also the host id "
					"of %s: record each host with its own "
					"--host-id, or name them with merge "
					"--host-id ID,ID...", h[i].id, names[j]);
		if (cpu + (__u64)h[i].cpus > 0xfffe)
			return kt_err_set(err, -EINVAL, KT_ERR_INPUT, ~0ULL,
					  "more than 65534 cpus in all");
		h[i].cpu_base = cpu;
		cpu += h[i].cpus;
		any_scoped |= scoped(kt_reader_meta(r[i]));
	}
	for (size_t i = 0; i < n; i++)
		h[i].mark_scope = any_scoped && !scoped(kt_reader_meta(r[i]));
	return 0;
}

/* ------------------------------------------------------------ rewriting */

static int tid_of(const struct kt_merge_host *h, __u32 *v)
{
	if (*v >= 1u << KT_MERGE_TID_BITS)
		return -ERANGE;
	*v = kt_merge_tid(h, *v);
	return 0;
}

static int time_of(const struct kt_merge_host *h, __u64 *t)
{
	__int128 v = (__int128)*t + h->offset_ns;

	if (v < 0 || v > (__int128)UINT64_MAX)
		return -ERANGE;
	*t = (__u64)v;
	return 0;
}

static __u32 cpu_of(const struct kt_merge_host *h, __u32 cpu)
{
	return cpu == 0xffff ? cpu : h->cpu_base + cpu;
}

/* a pid argument of kill/wait: N > 0 a process, -N a process group,
 * 0 and -1 say no id */
static int pid_arg(const struct kt_merge_host *h, __u64 *arg)
{
	__s64 v = (__s64)*arg;
	__u32 p;
	int rc;

	if (v == 0 || v == -1 || v < -(__s64)UINT32_MAX || v > UINT32_MAX)
		return 0;
	p = (__u32)(v < 0 ? -v : v);
	rc = tid_of(h, &p);
	*arg = v < 0 ? (__u64)-(__s64)p : p;
	return rc;
}

static __u64 file_of(const struct kt_merge_host *h, __u64 id)
{
	return id ? id | h->file_base : 0;
}

/*
 * The identity fields of a syscall record (event.h's table):
 *   kill tkill tgkill        arg0 target (a pid; -N a process group)
 *   wait4 waitid             arg0 pid argument
 *   pidfd_open               arg0 pid
 *   clone clone3 fork vfork  ret the child's tid
 *   the fd syscalls whose arg2 is a file id: read write pread64 pwrite64
 *   readv writev sendto recvfrom sendmsg recvmsg sendfile splice close
 *   fsync fdatasync pipe pipe2 socketpair
 */
static int syscall_of(struct kt_syscall *s, const struct kt_merge_host *h)
{
	__u32 c;

	switch (s->nr) {
	case SYS_kill: case SYS_tkill: case SYS_tgkill:
	case SYS_wait4: case SYS_waitid: case SYS_pidfd_open:
		return pid_arg(h, &s->arg[0]);
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
		if (s->ret <= 0 || s->ret > UINT32_MAX)
			return 0;
		c = (__u32)s->ret;
		if (tid_of(h, &c))
			return -ERANGE;
		s->ret = c;
		return 0;
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_readv: case SYS_writev: case SYS_sendto: case SYS_recvfrom:
	case SYS_sendmsg: case SYS_recvmsg: case SYS_sendfile: case SYS_splice:
	case SYS_close: case SYS_fsync: case SYS_fdatasync:
	case SYS_pipe: case SYS_pipe2: case SYS_socketpair:
		s->arg[2] = file_of(h, s->arg[2]);
		return 0;
	}
	return 0;
}

/*
 * Every field of every kind that holds a tid, a pid, a cpu or a
 * capture-clock time, beyond the header's ts, tid, pid and cpu:
 *   sched_switch        next_tid next_pid
 *   sched_waking,
 *   sched_wakeup_new    target_tid target_pid target_cpu
 *   sched_migrate       target_tid target_pid orig_cpu dest_cpu
 *   proc_fork           child_tid child_pid (and KT_FORK_INSCOPE when the
 *                       source is host-wide in a scoped merge)
 *   proc_exec           old_tid
 *   syscall             syscall_of() above
 *   tcp_*               owner_tid owner_pid
 *   block_rq            issue_cpu
 *   signal_*            target_tid target_pid
 *   oom_victim          victim_tid victim_pid
 *   lost                since (a time)
 *   clock_sync          dropped unless the reference's
 * proc_exit, proc_comm, page_fault, rss, net_packet and marker have
 * none.
 */
int kt_merge_event(struct kt_event *ev, const struct kt_merge_host *h)
{
	int rc = 0;

	if (ev->kind == KT_CLOCK_SYNC && h->tid_base)
		return 1;
	rc |= time_of(h, &ev->ts);
	rc |= tid_of(h, &ev->tid);
	rc |= tid_of(h, &ev->pid);
	ev->cpu = (__u16)cpu_of(h, ev->cpu);
	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		rc |= tid_of(h, &ev->sw.next_tid);
		rc |= tid_of(h, &ev->sw.next_pid);
		break;
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		rc |= tid_of(h, &ev->wake.target_tid);
		rc |= tid_of(h, &ev->wake.target_pid);
		ev->wake.target_cpu = cpu_of(h, ev->wake.target_cpu);
		break;
	case KT_SCHED_MIGRATE:
		rc |= tid_of(h, &ev->mig.target_tid);
		rc |= tid_of(h, &ev->mig.target_pid);
		ev->mig.orig_cpu = cpu_of(h, ev->mig.orig_cpu);
		ev->mig.dest_cpu = cpu_of(h, ev->mig.dest_cpu);
		break;
	case KT_PROC_FORK:
		rc |= tid_of(h, &ev->fork.child_tid);
		rc |= tid_of(h, &ev->fork.child_pid);
		if (h->mark_scope)
			ev->fork.flags |= KT_FORK_INSCOPE;
		break;
	case KT_PROC_EXEC:
		rc |= tid_of(h, &ev->exec.old_tid);
		break;
	case KT_SYSCALL:
		rc |= syscall_of(&ev->sys, h);
		break;
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		rc |= tid_of(h, &ev->tcp.owner_tid);
		rc |= tid_of(h, &ev->tcp.owner_pid);
		break;
	case KT_BLOCK_RQ:
		ev->blk.issue_cpu = cpu_of(h, ev->blk.issue_cpu);
		break;
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER:
		rc |= tid_of(h, &ev->sig.target_tid);
		rc |= tid_of(h, &ev->sig.target_pid);
		break;
	case KT_OOM_VICTIM:
		rc |= tid_of(h, &ev->oom.victim_tid);
		rc |= tid_of(h, &ev->oom.victim_pid);
		break;
	case KT_LOST:
		if (ev->lost.since)
			rc |= time_of(h, &ev->lost.since);
		break;
	}
	return rc ? -ERANGE : 0;
}

int kt_merge_task(struct kt_task *t, const struct kt_merge_host *h)
{
	int rc = tid_of(h, &t->tid) | tid_of(h, &t->pid) | tid_of(h, &t->ppid);

	t->utid = 0;
	/* a task of a host that booted after the reference may have started
	 * before the reference's clock 0: its start is then "before the
	 * recording" (0), an end there the first instant */
	if (t->start_ns && time_of(h, &t->start_ns))
		t->start_ns = 0;
	if (t->end_ns && time_of(h, &t->end_ns))
		t->end_ns = 1;
	if (h->mark_scope)
		t->flags |= KT_TASK_INSCOPE;
	return rc ? -ERANGE : 0;
}
