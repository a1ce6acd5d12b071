// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf.c - the user side of bpf/record.bpf.c: open -> drop programs this
 * kernel cannot attach -> set rodata -> load -> attach, the per-CPU rings,
 * and the counters the kernel side keeps (lost events, recursion misses,
 * requests in flight, syscalls in progress).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/membarrier.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "record_int.h"
#include "record.skel.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#define ANY_KIND (~0ULL)
#define K(k) KT_KIND_BIT(k)

/*
 * The programs and when they are loaded.  @kinds: loaded when any of these
 * kinds is recorded (ANY_KIND: always, they name new tasks).  @fam: the
 * family a missing tracepoint disables, or KT_FAM_MAX when only a detail
 * is lost (queue time without block_rq_insert, KT_SYSCALL_WOKE without
 * sched_waking).  @scoped: only for scoped recordings.
 */
static const struct kt_prog {
	const char *name;
	const char *tp;         /* tracepoint; NULL: perf event */
	__u64 kinds;
	__u32 fam;
	bool scoped;
} progs[] = {
	{ "kt_sys_enter", "sys_enter", K(KT_SYSCALL), KT_FAM_SYSCALL, false },
	{ "kt_sys_exit", "sys_exit", K(KT_SYSCALL), KT_FAM_SYSCALL, false },
	{ "kt_sched_switch", "sched_switch", K(KT_SCHED_SWITCH), KT_FAM_SCHED, false },
	{ "kt_sched_waking", "sched_waking", K(KT_SCHED_WAKING), KT_FAM_SCHED, false },
	{ "kt_sched_wakeup_new", "sched_wakeup_new", K(KT_SCHED_WAKEUP_NEW), KT_FAM_SCHED, false },
	{ "kt_sched_migrate", "sched_migrate_task", K(KT_SCHED_MIGRATE), KT_FAM_SCHED, false },
	{ "kt_proc_fork", "sched_process_fork", ANY_KIND, KT_FAM_PROC, false },
	{ "kt_proc_exec", "sched_process_exec", K(KT_PROC_EXEC), KT_FAM_PROC, false },
	{ "kt_proc_exit", "sched_process_exit", K(KT_PROC_EXIT), KT_FAM_PROC, false },
	{ "kt_proc_rename", "task_rename", ANY_KIND, KT_FAM_PROC, false },
	{ "kt_proc_free", "sched_process_free", ANY_KIND, KT_FAM_MAX, true },
	{ "kt_tcp_state", "inet_sock_set_state", K(KT_TCP_STATE), KT_FAM_TCP, false },
	{ "kt_tcp_retrans", "tcp_retransmit_skb", K(KT_TCP_RETRANS), KT_FAM_TCP, false },
	{ "kt_tcp_recv_reset", "tcp_receive_reset", K(KT_TCP_RESET), KT_FAM_TCP, false },
	{ "kt_tcp_send_reset", "tcp_send_reset", K(KT_TCP_RESET), KT_FAM_TCP, false },
	{ "kt_block_insert", "block_rq_insert", K(KT_BLOCK_RQ), KT_FAM_MAX, false },
	{ "kt_block_issue", "block_rq_issue", K(KT_BLOCK_RQ), KT_FAM_BLOCK, false },
	{ "kt_block_complete", "block_rq_complete", K(KT_BLOCK_RQ), KT_FAM_BLOCK, false },
	{ "kt_signal_generate", "signal_generate", K(KT_SIGNAL_GEN), KT_FAM_SIGNAL, false },
	{ "kt_signal_deliver", "signal_deliver", K(KT_SIGNAL_DELIVER), KT_FAM_SIGNAL, false },
	{ "kt_oom_victim", "mark_victim", K(KT_OOM_VICTIM), KT_FAM_OOM, false },
	{ "kt_page_fault", NULL, K(KT_PAGE_FAULT), KT_FAM_FAULT, false },
	{ "kt_rss_stat", "rss_stat", K(KT_RSS), KT_FAM_MEM, false },
};

#define NPROGS (sizeof(progs) / sizeof(progs[0]))

struct kt_ring_ctx {
	struct kt_bpf *b;
	__u32 cpu;
};

struct kt_bpf {
	struct record_bpf *skel;
	__u64 kinds;
	__u64 ring_bytes;
	__u32 ncpus;
	__u32 fault_period;
	struct bpf_link *links[NPROGS];
	struct bpf_link **fault_links;  /* one per CPU */
	int *ring_fds;                  /* one per CPU */
	struct kt_ring_ctx *ring_ctx;
	/* one ring_buffer per CPU, drained in turn from next_ring on (one
	 * for all would always start with CPU 0: a drain cut short would
	 * starve the others); their epoll fds are in epfd */
	struct ring_buffer **rbs;
	__u32 next_ring;
	/* per CPU: the start of the last drain that emptied its ring (every
	 * record committed before it was handed out) */
	struct kt_clock *emptied;
	int epfd;
	kt_ring_fn fn;
	void *fn_ctx;
};

/* ------------------------------------------------------------ libbpf log */

/*
 * libbpf's print callback takes no context, so its messages are kept in
 * this one static buffer (with the signal flags of session.c, the only
 * mutable statics of record/): a load failure is reported with the
 * program libbpf names last.
 */
static char libbpf_log[8192];

static int kt_libbpf_print(enum libbpf_print_level level, const char *fmt,
			   va_list ap)
{
	size_t n = strlen(libbpf_log);
	char line[512];
	int len;

	if (level == LIBBPF_DEBUG)
		return 0;
	len = vsnprintf(line, sizeof(line), fmt, ap);
	if (len < 0)
		return 0;
	if ((size_t)len >= sizeof(line))
		len = sizeof(line) - 1;
	if (n + len >= sizeof(libbpf_log))
		n = 0;  /* keep the newest messages */
	memcpy(libbpf_log + n, line, len + 1);
	return 0;
}

/* The last "prog 'NAME'" libbpf complained about, into @name. */
static void failed_prog(char *name, size_t sz)
{
	const char *p = libbpf_log, *q, *last = NULL;

	while ((q = strstr(p, "prog '"))) {
		last = q + 6;
		p = last;
	}
	snprintf(name, sz, "%s", "?");
	if (last && (q = strchr(last, '\'')))
		snprintf(name, sz, "%.*s", (int)(q - last), last);
}

/* ---------------------------------------------------------- capabilities */

int kt_bpf_caps(struct kt_err *err)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};
	bool bpf, perfmon, admin;

	if (syscall(SYS_capget, &h, d))
		return kt_rec_fail(err, -errno, KT_ERR_SYSTEM, "capget: %s",
				   strerror(errno));
#define HAS(c) (d[(c) / 32].effective & (1u << ((c) % 32)))
	bpf = HAS(CAP_BPF);
	perfmon = HAS(CAP_PERFMON);
	admin = HAS(CAP_SYS_ADMIN);
#undef HAS
	if (admin || (bpf && perfmon))
		return 0;
	return kt_rec_fail(err, -EPERM, KT_ERR_SYSTEM,
			   "missing capability %s (recording needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; run as root)",
			   !bpf && !perfmon ? "CAP_BPF and CAP_PERFMON" :
			   !bpf ? "CAP_BPF" : "CAP_PERFMON");
}

/* ---------------------------------------------------------------- open */

static bool tp_exists(const struct btf *btf, const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0;
}

/* Decide which programs load; drop the families whose tracepoints this
 * kernel lacks, with one warning each. */
static void choose_progs(struct kt_bpf *b, const struct kt_bpf_cfg *cfg,
			 const struct btf *btf)
{
	__u64 fam_kinds;
	unsigned i, k;

	for (i = 0; i < NPROGS; i++) {
		if (!progs[i].tp || progs[i].fam == KT_FAM_MAX ||
		    !(progs[i].kinds & b->kinds) || tp_exists(btf, progs[i].tp))
			continue;
		fam_kinds = 0;
		for (k = 1; k < KT_KIND_MAX; k++)
			if (kt_kind_info(k) &&
			    kt_kind_info(k)->family == progs[i].fam)
				fam_kinds |= KT_KIND_BIT(k);
		if (b->kinds & fam_kinds && cfg->warn)
			fprintf(cfg->warn,
				"ktrail record: warning: tracepoint '%s' does not exist on this kernel: family '%s' not recorded\n",
				progs[i].tp, kt_family_name(progs[i].fam));
		b->kinds &= ~fam_kinds;
	}
	for (i = 0; i < NPROGS; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(b->skel->obj,
							 progs[i].name);
		bool on = progs[i].kinds & b->kinds;

		if (progs[i].kinds == ANY_KIND)
			on = true;
		if (progs[i].scoped && cfg->scope == KTR_SCOPE_ALL)
			on = false;
		/* sched_waking also marks syscalls that woke a task, and
		 * sched_switch parks the syscall of a task leaving its CPU */
		if ((!strcmp(progs[i].name, "kt_sched_waking") ||
		     !strcmp(progs[i].name, "kt_sched_switch")) &&
		    (b->kinds & K(KT_SYSCALL)))
			on = true;
		if (progs[i].tp && !tp_exists(btf, progs[i].tp))
			on = false;
		bpf_program__set_autoload(p, on);
		bpf_program__set_autoattach(p, false);
	}
	/* the listeners at start, for TCP (kernels with the tcp iterator,
	 * v5.9+) */
	bpf_program__set_autoload(b->skel->progs.kt_iter_listeners,
		(b->kinds & (K(KT_TCP_STATE) | K(KT_TCP_RETRANS))) &&
		btf__find_by_name_kind(btf, "bpf_iter__tcp", BTF_KIND_STRUCT) >= 0);
	bpf_program__set_autoattach(b->skel->progs.kt_iter_listeners, false);
}

/* Offset of per-CPU variable @name in the kernel's .data..percpu, or -1. */
static long long percpu_off(const struct btf *btf, const char *name)
{
	const struct btf_var_secinfo *v;
	const struct btf_type *t;
	int id, i;

	id = btf__find_by_name_kind(btf, ".data..percpu", BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	v = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);

		if (!strcmp(btf__name_by_offset(btf, var->name_off), name))
			return v->offset;
	}
	return -1;
}

/* See kt_context() in bpf/compat.bpf.h. */
static __s64 preempt_count_delta(const struct btf *btf)
{
	long long pc = percpu_off(btf, "__preempt_count");
	long long rq = percpu_off(btf, "runqueues");

	return pc < 0 || rq < 0 ? 0 : pc - rq;
}

static void set_rodata(struct kt_bpf *b, const struct kt_bpf_cfg *cfg,
		       const struct btf *btf)
{
	struct record_bpf__rodata *ro = b->skel->rodata;

	ro->self_tgid = cfg->self_tgid;
	ro->scope_mode = cfg->scope;
	ro->follow_forks = cfg->follow || cfg->scope == KTR_SCOPE_CGROUP;
	ro->kind_mask = b->kinds;
	memcpy(ro->sys_class, cfg->sys_class, KTR_NR_MAX);
	/* wake the consumer a quarter before a ring is full */
	ro->wake_bytes = cfg->ring_bytes / 4;
	ro->rss_interval_ns = cfg->rss_interval_ns;
	ro->fault_period = cfg->fault_period;
	ro->page_size = sysconf(_SC_PAGESIZE);
	ro->pc_delta = preempt_count_delta(btf);
}

int kt_bpf_open(struct kt_bpf **out, const struct kt_bpf_cfg *cfg,
		struct kt_err *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts,
		    .btf_custom_path = "/sys/kernel/btf/vmlinux");
	struct btf *btf = NULL;
	struct kt_bpf *b;
	char prog[64];
	int ret, tmpl;

	libbpf_set_print(kt_libbpf_print);
	libbpf_log[0] = 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	b->epfd = -1;
	b->kinds = cfg->kind_mask;
	b->fault_period = cfg->fault_period ? cfg->fault_period : 1;
	ret = libbpf_num_possible_cpus();
	if (ret <= 0) {
		ret = kt_rec_fail(err, ret ? ret : -EINVAL, KT_ERR_SYSTEM,
				  "cannot count the possible CPUs");
		goto err_free;
	}
	b->ncpus = ret > KTR_MAX_CPUS ? KTR_MAX_CPUS : ret;
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		ret = kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
				  "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
				  strerror(errno));
		goto err_free;
	}
	/* CO-RE against vmlinux's BTF only: libbpf 1.1 otherwise lists
	 * the modules' BTF for a type vmlinux lacks (the flavors of
	 * compat.bpf.h), which needs CAP_SYS_ADMIN and fails the load under
	 * CAP_BPF + CAP_PERFMON; every type we read is in vmlinux */
	b->skel = record_bpf__open_opts(&oopts);
	if (!b->skel) {
		ret = kt_rec_fail(err, -errno, KT_ERR_SYSTEM, "cannot open the BPF object: %s",
				  strerror(errno));
		goto err_btf;
	}
	choose_progs(b, cfg, btf);
	set_rodata(b, cfg, btf);
	bpf_map__set_max_entries(b->skel->maps.rings, b->ncpus);
	/* the inner ring template, at the -m size (libbpf 1.1 cannot resize
	 * the one it derives from the BTF definition) */
	b->ring_bytes = cfg->ring_bytes;
	tmpl = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "kt_ring", 0, 0,
			      cfg->ring_bytes, NULL);
	if (tmpl < 0) {
		ret = kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
				  "cannot create a %llu-byte ring buffer: %s",
				  (unsigned long long)cfg->ring_bytes,
				  strerror(errno));
		goto err_skel;
	}
	bpf_map__set_inner_map_fd(b->skel->maps.rings, tmpl);
	ret = record_bpf__load(b->skel);
	close(tmpl);
	if (ret) {
		failed_prog(prog, sizeof(prog));
		ret = kt_rec_fail(err, ret, KT_ERR_SYSTEM,
				  "the kernel refused to load BPF program '%s': %s",
				  prog, strerror(-ret));
		goto err_skel;
	}
	if (cfg->scope == KTR_SCOPE_CGROUP) {
		__u32 zero = 0;

		if (bpf_map__update_elem(b->skel->maps.scope_cgroup, &zero,
					 sizeof(zero), &cfg->cgroup_fd,
					 sizeof(int), 0)) {
			ret = kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					  "cannot set the cgroup filter: %s",
					  strerror(errno));
			goto err_skel;
		}
	}
	btf__free(btf);
	*out = b;
	return 0;

err_skel:
	record_bpf__destroy(b->skel);
err_btf:
	btf__free(btf);
err_free:
	free(b);
	return ret;
}

__u64 kt_bpf_kinds(const struct kt_bpf *b)
{
	return b->kinds;
}

__u32 kt_bpf_ncpus(const struct kt_bpf *b)
{
	return b->ncpus;
}

int kt_bpf_scope_add(struct kt_bpf *b, __u32 tgid)
{
	__u64 any = 0;  /* whichever process has the pid (bpf/maps.bpf.h) */

	if (bpf_map__update_elem(b->skel->maps.scope_pids, &tgid,
				 sizeof(tgid), &any, sizeof(any), BPF_ANY))
		return -errno;
	return 0;
}

bool kt_bpf_in_scope(struct kt_bpf *b, __u32 tgid)
{
	__u64 v;

	return !bpf_map__lookup_elem(b->skel->maps.scope_pids, &tgid,
				     sizeof(tgid), &v, sizeof(v), 0);
}

/* --------------------------------------------------------------- attach */

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct kt_ring_ctx *rc = ctx;

	return rc->b->fn(rc->b->fn_ctx, rc->cpu, data, size);
}

static int make_rings(struct kt_bpf *b, struct kt_err *err)
{
	int outer = bpf_map__fd(b->skel->maps.rings);
	__u64 size = b->ring_bytes;
	__u32 cpu;
	int fd;

	struct epoll_event ev = { .events = EPOLLIN };

	b->ring_fds = calloc(b->ncpus, sizeof(int));
	b->ring_ctx = calloc(b->ncpus, sizeof(*b->ring_ctx));
	b->rbs = calloc(b->ncpus, sizeof(*b->rbs));
	b->emptied = calloc(b->ncpus, sizeof(*b->emptied));
	if (!b->ring_fds || !b->ring_ctx || !b->rbs || !b->emptied)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->epfd < 0)
		return kt_rec_fail(err, -errno, KT_ERR_SYSTEM, "epoll: %s",
				   strerror(errno));
	for (cpu = 0; cpu < b->ncpus; cpu++)
		b->ring_fds[cpu] = -1;
	for (cpu = 0; cpu < b->ncpus; cpu++) {
		fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "kt_ring", 0, 0,
				    size, NULL);
		if (fd < 0)
			return kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					   "cannot create a %llu-byte ring buffer for CPU %u: %s",
					   (unsigned long long)size, cpu,
					   strerror(errno));
		b->ring_fds[cpu] = fd;
		if (bpf_map_update_elem(outer, &cpu, &fd, BPF_ANY))
			return kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					   "cannot install the ring of CPU %u: %s",
					   cpu, strerror(errno));
		b->ring_ctx[cpu].b = b;
		b->ring_ctx[cpu].cpu = cpu;
		b->rbs[cpu] = ring_buffer__new(fd, ring_sample,
					       &b->ring_ctx[cpu], NULL);
		if (!b->rbs[cpu] ||
		    epoll_ctl(b->epfd, EPOLL_CTL_ADD,
			      ring_buffer__epoll_fd(b->rbs[cpu]), &ev))
			return kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					   "cannot map the ring of CPU %u: %s",
					   cpu, strerror(errno));
	}
	return 0;
}

/* One software page-fault counter per CPU, sampling into the program. */
static int attach_faults(struct kt_bpf *b, struct bpf_program *p,
			 struct kt_err *err)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_PAGE_FAULTS,
		.sample_period = b->fault_period,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	__u32 cpu;
	int fd;

	b->fault_links = calloc(b->ncpus, sizeof(*b->fault_links));
	if (!b->fault_links)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	for (cpu = 0; cpu < b->ncpus; cpu++) {
		fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1,
			     PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			if (errno == ENODEV)    /* CPU not online */
				continue;
			return kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					   "cannot open the page-fault event on CPU %u: %s",
					   cpu, strerror(errno));
		}
		b->fault_links[cpu] = bpf_program__attach_perf_event(p, fd);
		if (!b->fault_links[cpu]) {
			int e = -errno;

			close(fd);
			return kt_rec_fail(err, e, KT_ERR_SYSTEM,
					   "cannot attach BPF program 'kt_page_fault' on CPU %u: %s",
					   cpu, strerror(-e));
		}
	}
	return 0;
}

int kt_bpf_attach(struct kt_bpf *b, kt_ring_fn fn, void *ctx,
		  struct kt_err *err)
{
	struct bpf_program *p;
	unsigned i;
	int ret;

	b->fn = fn;
	b->fn_ctx = ctx;
	ret = make_rings(b, err);
	if (ret)
		return ret;
	for (i = 0; i < NPROGS; i++) {
		p = bpf_object__find_program_by_name(b->skel->obj,
						     progs[i].name);
		if (!bpf_program__autoload(p))
			continue;
		if (!progs[i].tp) {
			ret = attach_faults(b, p, err);
			if (ret)
				return ret;
			continue;
		}
		b->links[i] = bpf_program__attach(p);
		if (!b->links[i])
			return kt_rec_fail(err, -errno, KT_ERR_SYSTEM,
					   "cannot attach BPF program '%s' to tracepoint '%s': %s",
					   progs[i].name, progs[i].tp,
					   strerror(errno));
	}
	return 0;
}

int kt_bpf_epoll_fd(const struct kt_bpf *b)
{
	return b->epfd;
}

long kt_bpf_consume(struct kt_bpf *b, const struct kt_clock *start)
{
	__u32 i, cpu;
	long n = 0, r;

	for (i = 0; i < b->ncpus; i++) {
		cpu = (b->next_ring + i) % b->ncpus;
		r = ring_buffer__consume(b->rbs[cpu]);
		if (r < 0) {
			/* cut short (or failed): the next drain starts with
			 * the ring after this one */
			b->next_ring = (cpu + 1) % b->ncpus;
			return r;
		}
		b->emptied[cpu] = *start;
		n += r;
	}
	return n;
}

void kt_bpf_drained(const struct kt_bpf *b, struct kt_clock *out)
{
	*out = b->emptied[0];
	for (__u32 cpu = 1; cpu < b->ncpus; cpu++)
		if (b->emptied[cpu].mono_ns < out->mono_ns)
			*out = b->emptied[cpu];
}

void kt_bpf_detach(struct kt_bpf *b)
{
	unsigned i;

	for (i = 0; i < NPROGS; i++) {
		bpf_link__destroy(b->links[i]);
		b->links[i] = NULL;
	}
	for (i = 0; b->fault_links && i < b->ncpus; i++) {
		bpf_link__destroy(b->fault_links[i]);
		b->fault_links[i] = NULL;
	}
}

/*
 * A program that was running when its link went keeps running to its end
 * (tracepoint probes are released after an RCU grace period), so it can
 * still count an attempt or commit a record.  Programs run with preemption
 * disabled, which makes them RCU read-side sections: membarrier's
 * MEMBARRIER_CMD_GLOBAL waits for a grace period (synchronize_rcu), after
 * which none is left.  Where it is not available (nohz_full CPUs), a pause
 * far longer than any program run stands in.
 */
void kt_bpf_quiesce(const struct kt_bpf *b)
{
	(void)b;
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(20000);
}

/* ------------------------------------------------------------- counters */

void kt_bpf_attempts(const struct kt_bpf *b, __u32 cpu, __u64 *out)
{
	const volatile __u64 *row =
		&b->skel->bss->attempts[cpu * KTR_LOST_STRIDE];

	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		out[f] = row[f];
}

void kt_bpf_lost(const struct kt_bpf *b, __u32 cpu, __u64 *out)
{
	const volatile __u64 *row = &b->skel->bss->lost[cpu * KTR_LOST_STRIDE];

	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		out[f] = row[f];
}

/* The family a program's skipped runs are counted in. */
static __u32 prog_family(unsigned i)
{
	if (progs[i].fam < KT_FAM_MAX)
		return progs[i].fam;
	return !strcmp(progs[i].name, "kt_block_insert") ? KT_FAM_BLOCK :
							    KT_FAM_PROC;
}

void kt_bpf_misses_foreach(const struct kt_bpf *b,
			   void (*fn)(void *ctx, const char *prog, __u32 fam,
				      __u64 misses),
			   void *ctx)
{
	struct bpf_prog_info info;
	__u32 len;
	unsigned i;
	int fd;

	for (i = 0; i < NPROGS; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(b->skel->obj,
							 progs[i].name);

		fd = bpf_program__fd(p);
		if (fd < 0 || !bpf_program__autoload(p))
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		fn(ctx, progs[i].name, prog_family(i), info.recursion_misses);
	}
}

static void add_misses(void *ctx, const char *prog, __u32 fam, __u64 misses)
{
	__u64 *out = ctx;

	(void)prog;
	out[fam] += misses;
}

void kt_bpf_misses(const struct kt_bpf *b, __u64 *out)
{
	memset(out, 0, KT_FAM_MAX * sizeof(*out));
	kt_bpf_misses_foreach(b, add_misses, out);
}

int kt_bpf_iter_listeners(struct kt_bpf *b)
{
	struct bpf_program *p = b->skel->progs.kt_iter_listeners;
	struct bpf_link *l;
	char buf[64];
	int fd, ret = 0;
	ssize_t n;

	if (!bpf_program__autoload(p))
		return -EOPNOTSUPP;
	l = bpf_program__attach_iter(p, NULL);
	if (!l)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(l));
	if (fd < 0)
		ret = -errno;
	/* the program writes nothing: reading to the end runs it */
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) != 0)
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(l);
	return ret;
}

void kt_bpf_listeners_foreach(const struct kt_bpf *b,
			      void (*fn)(void *ctx, __u64 key,
					 const struct ktr_listener *l),
			      void *ctx)
{
	int fd = bpf_map__fd(b->skel->maps.listeners);
	__u64 key, next, *prev = NULL;
	struct ktr_listener v;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &v))
			fn(ctx, next, &v);
		key = next;
		prev = &key;
	}
}

int kt_bpf_listener_owner(struct kt_bpf *b, __u64 key, __u64 cookie,
			  const struct ktr_owner *ow)
{
	int fd = bpf_map__fd(b->skel->maps.listeners);
	struct ktr_listener v;

	if (bpf_map_lookup_elem(fd, &key, &v))
		return -errno;
	if (v.cookie != cookie || v.owner.tid)
		return 0;       /* replaced, or a CLOSE -> LISTEN named it */
	v.owner = *ow;
	return bpf_map_update_elem(fd, &key, &v, BPF_EXIST) ? -errno : 0;
}

void kt_bpf_inflight_foreach(const struct kt_bpf *b,
			     void (*fn)(void *ctx, const struct ktr_inflight *f),
			     void *ctx)
{
	int fd = bpf_map__fd(b->skel->maps.inflight);
	__u64 key, next, *prev = NULL;
	struct ktr_inflight v;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &v))
			fn(ctx, &v);
		key = next;
		prev = &key;
	}
}

int kt_bpf_sys_slots(const struct kt_bpf *b, struct ktr_sys_state **out,
		     __u32 *n)
{
	int ncpus = libbpf_num_possible_cpus();
	struct ktr_sys_state *v;
	__u32 zero = 0;

	if (ncpus <= 0)
		return -EINVAL;
	v = calloc(ncpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.sys_cur), &zero, v)) {
		free(v);
		return -errno;
	}
	*out = v;
	*n = ncpus;
	return 0;
}

int kt_bpf_sys_state(const struct kt_bpf *b, pid_t tid,
		     struct ktr_sys_state *st)
{
	int pidfd, ret = 0;

	pidfd = syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0)
		return -errno;
	if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.sys_state), &pidfd,
				st))
		ret = -errno;
	else if (!st->enter_ts)
		ret = -ENOENT;
	close(pidfd);
	return ret;
}

void kt_bpf_close(struct kt_bpf *b)
{
	__u32 cpu;

	if (!b)
		return;
	kt_bpf_detach(b);
	for (cpu = 0; b->rbs && cpu < b->ncpus; cpu++)
		ring_buffer__free(b->rbs[cpu]);
	free(b->rbs);
	free(b->emptied);
	if (b->epfd >= 0)
		close(b->epfd);
	for (cpu = 0; b->ring_fds && cpu < b->ncpus; cpu++)
		if (b->ring_fds[cpu] >= 0)
			close(b->ring_fds[cpu]);
	free(b->ring_fds);
	free(b->ring_ctx);
	free(b->fault_links);
	record_bpf__destroy(b->skel);
	free(b);
}
