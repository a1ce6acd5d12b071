// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gen_synthetic.c - `kt-test-tool gen-synthetic`: a realistic synthetic
 * capture, deterministic for a seed.  The model (docs: corpus/synthetic/
 * README.md) is a host of NCPU CPUs running a few dozen processes:
 *  - each CPU runs one thread at a time; a running thread makes syscalls
 *    back to back (a realistic x86-64 mix: read/write/futex/epoll/...,
 *    with durations, return values and key arguments), and every so often
 *    blocks (switch with prev_state S or D, waking some other thread) or is
 *    preempted (switch, prev_state R);
 *  - sched_waking precedes most switches in; migrations happen now and
 *    then; a shell forks short-lived children that exec, run and exit;
 *  - rarer families: tcp state changes, retransmits and resets, block
 *    requests, signals, page faults, rss changes, packets, markers, lost
 *    records, a clock anchor a second, one OOM kill;
 *  - events reach the writer in per-CPU batches (as from per-CPU ring
 *    buffers), so they arrive out of order across CPUs, and the writer is
 *    flushed once a simulated second, like the recorder.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format/format.h"
#include "tool.h"
#include "gen_synthetic.h"

#define MAXCPU 64
#define MAXTHR 512
#define BATCH 48

struct thr {
	__u32 tid, pid, prio;
	int proc;               /* index in procs */
	bool alive;
	int prog;               /* loop of syscalls it runs (progs[]) */
	unsigned pc;
	__u32 fd[3];
	__u32 size;
};

/*
 * What threads do: each runs one loop of syscalls over and over, with its
 * own fds and sizes, so that, as in real programs, a thread's syscalls
 * repeat.  Durations: a base per step with noise in the low bits.
 */
struct pstep { __u32 nr; int args; __u32 base; };
#define PMAX 6
static const struct { int n; struct pstep s[PMAX]; } progs[] = {
	/* event-loop server: epoll_wait, read request, write response */
	{ 4, { { 232, 4, 200000 }, { 0, 1, 1500 }, { 1, 1, 2500 }, { 0, 1, 900 } } },
	/* database worker: futex wait, pread, pwrite, futex wake */
	{ 4, { { 202, 4, 50000 }, { 17, 1, 3000 }, { 18, 1, 4000 }, { 202, 5, 700 } } },
	/* logger: write a line, sometimes fdatasync */
	{ 3, { { 1, 1, 1800 }, { 1, 1, 1800 }, { 75, 2, 300000 } } },
	/* file walker: openat, newfstatat, read, close */
	{ 4, { { 257, 3, 2500 }, { 262, 6, 1200 }, { 0, 1, 2000 }, { 3, 2, 400 } } },
	/* network poller: poll, recvfrom, sendto */
	{ 3, { { 7, 4, 100000 }, { 45, 1, 2200 }, { 44, 1, 3500 } } },
	/* java runtime: futex wake/wait, clock_gettime, mprotect-ish mmap */
	{ 5, { { 202, 5, 600 }, { 202, 4, 20000 }, { 228, 0, 150 }, { 9, 0, 1500 },
	       { 230, 7, 1000000 } } },
};

struct proc {
	const char *comm, *exe, *argv;
	size_t argv_len;
	__u64 futex_base;
	int nthr;
};

static const struct { const char *comm, *exe, *argv; size_t alen; int thr; }
proc_tmpl[] = {
	{ "nginx", "/usr/sbin/nginx", "nginx\0-g\0daemon off;\0", 22, 4 },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres", "postgres\0-D\0/var/lib/postgresql\0", 32, 6 },
	{ "java", "/usr/bin/java", "java\0-jar\0app.jar\0", 18, 24 },
	{ "redis-server", "/usr/bin/redis-server", "redis-server\0*:6379\0", 20, 4 },
	{ "sshd", "/usr/sbin/sshd", "sshd\0-D\0", 8, 1 },
	{ "systemd-journal", "/lib/systemd/systemd-journald", "systemd-journald\0", 17, 1 },
	{ "bash", "/usr/bin/bash", "bash\0", 5, 1 },
	{ "python3", "/usr/bin/python3", "python3\0worker.py\0", 18, 3 },
	{ "kworker/0:1", "", "", 0, 1 },
	{ "containerd", "/usr/bin/containerd", "containerd\0", 11, 12 },
};

/* x86-64 syscall mix: nr, weight, kind of arguments */
enum { A_NONE, A_FDRW, A_FD, A_OPEN, A_FUTEX, A_POLL, A_SLEEP, A_PATH };
static const struct { __u32 nr; unsigned w; int args; } sys_mix[] = {
	{ 0, 180, A_FDRW },     /* read */
	{ 1, 140, A_FDRW },     /* write */
	{ 202, 120, A_FUTEX },  /* futex */
	{ 232, 70, A_POLL },    /* epoll_wait */
	{ 281, 20, A_POLL },    /* epoll_pwait */
	{ 45, 50, A_FDRW },     /* recvfrom */
	{ 44, 45, A_FDRW },     /* sendto */
	{ 257, 30, A_OPEN },    /* openat */
	{ 3, 35, A_FD },        /* close */
	{ 262, 40, A_PATH },    /* newfstatat */
	{ 5, 25, A_FD },        /* fstat */
	{ 9, 25, A_NONE },      /* mmap */
	{ 11, 12, A_NONE },     /* munmap */
	{ 7, 25, A_POLL },      /* poll */
	{ 230, 15, A_SLEEP },   /* clock_nanosleep */
	{ 16, 25, A_FD },       /* ioctl */
	{ 8, 25, A_FD },        /* lseek */
	{ 17, 20, A_FDRW },     /* pread64 */
	{ 18, 10, A_FDRW },     /* pwrite64 */
	{ 20, 15, A_FDRW },     /* writev */
	{ 19, 8, A_FDRW },      /* readv */
	{ 13, 15, A_NONE },     /* rt_sigaction */
	{ 14, 20, A_NONE },     /* rt_sigprocmask */
	{ 39, 10, A_NONE },     /* getpid */
	{ 186, 10, A_NONE },    /* gettid */
	{ 228, 10, A_NONE },    /* clock_gettime (no vDSO) */
	{ 75, 5, A_FD },        /* fdatasync */
	{ 74, 3, A_FD },        /* fsync */
	{ 72, 10, A_FD },       /* fcntl */
	{ 318, 5, A_NONE },     /* getrandom */
};

static const char *const paths[] = {
	"/etc/ld.so.cache", "/usr/lib/x86_64-linux-gnu/libc.so.6",
	"/proc/self/status", "/var/lib/postgresql/15/main/base/16384/2619",
	"/var/log/nginx/access.log", "/tmp/worker.sock", "/etc/hosts",
	"/usr/share/zoneinfo/UTC", "/sys/fs/cgroup/memory.max",
	"/home/user/app/config.yaml",
};

struct gen {
	__u64 rng;
	struct kt_writer *w;
	unsigned ncpu;
	__u64 now, start, next_flush, next_clock;
	struct thr thr[MAXTHR];
	int nthr;
	struct proc procs[64];
	int nproc;
	int cur[MAXCPU];        /* running thread per CPU, -1 idle */
	struct kt_event buf[MAXCPU][BATCH];
	int nbuf[MAXCPU];
	unsigned sys_total;
	__u32 next_tid;
	__u64 lost_total, lost_fam[KT_FAM_MAX];
	__u64 sock, sector;
	bool oom_done;
	__u64 produced, target;
	bool seen[KT_KIND_MAX];
	__u64 wns;              /* time spent in the writer */
};

/* CPU time of this thread: the machine may be shared */
static __u64 now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static __u64 rnd(struct gen *g)
{
	__u64 z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 below(struct gen *g, __u64 n)
{
	return n ? rnd(g) % n : 0;
}

/* A log-uniform duration between lo and hi ns. */
static __u64 logdur(struct gen *g, __u64 lo, __u64 hi)
{
	__u64 d = lo;

	while (d < hi && below(g, 3))
		d *= 2;
	return d + below(g, d);
}

static __u32 str(struct gen *g, const void *p, size_t n)
{
	return kt_writer_str(g->w, p, n);
}

/* emit - into the CPU's batch; a full batch goes to the writer. */
static int emit(struct gen *g, unsigned cpu, struct kt_event *e)
{
	int err = 0;

	e->cpu = cpu;
	g->seen[e->kind] = true;
	g->buf[cpu][g->nbuf[cpu]++] = *e;
	g->produced++;
	if (g->nbuf[cpu] == BATCH) {
		__u64 t0 = now_ns();

		for (int i = 0; i < BATCH && !err; i++)
			err = kt_writer_add(g->w, &g->buf[cpu][i]);
		g->nbuf[cpu] = 0;
		g->wns += now_ns() - t0;
	}
	return err;
}

static int drain(struct gen *g)
{
	__u64 t0 = now_ns();
	int err = 0;

	for (unsigned c = 0; c < g->ncpu; c++) {
		for (int i = 0; i < g->nbuf[c] && !err; i++)
			err = kt_writer_add(g->w, &g->buf[c][i]);
		g->nbuf[c] = 0;
	}
	g->wns += now_ns() - t0;
	return err;
}

static struct kt_event ev_of(struct gen *g, unsigned kind, const struct thr *t)
{
	struct kt_event e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.ts = g->now;
	e.tid = t ? t->tid : 0;
	e.pid = t ? t->pid : 0;
	return e;
}

static int add_thread(struct gen *g, int proc, __u32 tid, __u32 pid)
{
	struct thr *t;

	if (g->nthr == MAXTHR)
		return -1;
	t = &g->thr[g->nthr];
	t->tid = tid;
	t->pid = pid;
	t->proc = proc;
	t->prio = 120;
	t->alive = true;
	t->prog = (tid * 7 + proc) % (int)(sizeof(progs) / sizeof(progs[0]));
	t->pc = 0;
	t->fd[0] = 3 + tid % 17;
	t->fd[1] = 4 + tid % 13;
	t->fd[2] = 5 + tid % 11;
	t->size = tid % 3 ? 4096 : 65536;
	g->procs[proc].nthr++;
	return g->nthr++;
}

static int pick_runnable(struct gen *g, unsigned cpu)
{
	for (int tries = 0; tries < 8; tries++) {
		int i = below(g, g->nthr);
		bool busy = false;

		if (!g->thr[i].alive)
			continue;
		for (unsigned c = 0; c < g->ncpu; c++)
			busy |= g->cur[c] == i && c != cpu;
		if (!busy)
			return i;
	}
	return -1;
}

static __u64 jitter(struct gen *g, __u32 base)
{
	/* most calls near the base, the low bits noise, a tail now and then */
	__u64 d = base + below(g, base / 8 + 64);

	return below(g, 16) ? d : d * (2 + below(g, 6));
}

static int do_syscall(struct gen *g, unsigned cpu, struct thr *t)
{
	struct kt_event e = ev_of(g, KT_SYSCALL, t);
	const struct pstep *st = &progs[t->prog].s[t->pc];
	const struct proc *p = &g->procs[t->proc];
	const char *path;

	t->pc = (t->pc + 1) % progs[t->prog].n;
	e.sys.nr = st->nr;
	e.sys.dur = jitter(g, st->base);
	switch (st->args) {
	case 1:         /* fd, bytes: all of them, mostly */
		e.sys.arg[0] = t->fd[t->pc % 2];
		e.sys.arg[1] = t->size;
		e.sys.ret = below(g, 8) ? (__s64)t->size : (__s64)below(g, t->size);
		break;
	case 2:
		e.sys.arg[0] = t->fd[2];
		break;
	case 3:
		path = paths[(t->tid + t->pc) % 10];
		e.sys.arg[0] = (__u64)-100;
		e.sys.arg[1] = 0x80000;
		e.sys.str = str(g, path, strlen(path));
		e.sys.ret = below(g, 16) ? (__s64)t->fd[2] : -2;
		break;
	case 6:
		path = paths[(t->tid + t->pc) % 10];
		e.sys.str = str(g, path, strlen(path));
		break;
	case 4:         /* blocking waits */
		if (st->nr == 202) {
			e.sys.arg[0] = p->futex_base + 64 * (t->tid % 4);
			e.sys.arg[1] = 128;
		} else {
			e.sys.arg[1] = (__u64)-1;
			e.sys.ret = 1 + below(g, 2);
		}
		e.sys.flags = KT_SYSCALL_BLOCKED;
		break;
	case 5:         /* futex wake */
		e.sys.arg[0] = p->futex_base + 64 * ((t->tid + 1) % 4);
		e.sys.arg[1] = 129;
		e.sys.arg[2] = 1;
		e.sys.ret = below(g, 2);
		e.sys.flags = e.sys.ret ? KT_SYSCALL_WOKE : 0;
		break;
	case 7:
		e.sys.arg[0] = 1000000;
		e.sys.flags = KT_SYSCALL_BLOCKED;
		break;
	default:
		break;
	}
	return emit(g, cpu, &e);
}

static int do_switch(struct gen *g, unsigned cpu)
{
	int prev = g->cur[cpu], next = pick_runnable(g, cpu), err;
	struct kt_event e;

	if (next < 0 || next == prev)
		return 0;
	if (below(g, 3)) {
		/* someone wakes the next thread first (often from this CPU) */
		struct thr *waker = prev >= 0 ? &g->thr[prev] : NULL;

		e = ev_of(g, KT_SCHED_WAKING, waker);
		e.wake.target_tid = g->thr[next].tid;
		e.wake.target_pid = g->thr[next].pid;
		e.wake.target_cpu = cpu;
		e.wake.target_prio = g->thr[next].prio;
		e.wake.context = below(g, 10) ? KT_CTX_TASK : KT_CTX_SOFTIRQ;
		err = emit(g, below(g, 4) ? cpu : below(g, g->ncpu), &e);
		if (err)
			return err;
		g->now += 200 + below(g, 800);
	}
	e = ev_of(g, KT_SCHED_SWITCH, prev >= 0 ? &g->thr[prev] : NULL);
	e.sw.prev_state = below(g, 10) < 3 ? KT_STATE_RUNNABLE :
			  below(g, 10) ? KT_STATE_SLEEPING : KT_STATE_DISK;
	e.sw.next_tid = g->thr[next].tid;
	e.sw.next_pid = g->thr[next].pid;
	e.sw.prev_prio = prev >= 0 ? g->thr[prev].prio : 120;
	e.sw.next_prio = g->thr[next].prio;
	g->cur[cpu] = next;
	return emit(g, cpu, &e);
}

/* A shell forks a child that execs, runs briefly and exits. */
static int do_spawn(struct gen *g, unsigned cpu)
{
	static const char *const cmds[] = { "ls", "grep", "cat", "date", "sleep" };
	int sh = -1, child, err;
	struct kt_event e;
	const char *c = cmds[below(g, 5)];
	char exe[64], argv[64];
	int n;

	for (int i = 0; i < g->nthr; i++)
		if (!strcmp(g->procs[g->thr[i].proc].comm, "bash"))
			sh = i;
	if (sh < 0 || g->nproc == 64)
		return 0;
	g->procs[g->nproc] = g->procs[g->thr[sh].proc];
	g->procs[g->nproc].nthr = 0;
	child = add_thread(g, g->nproc++, g->next_tid, g->next_tid);
	if (child < 0)
		return 0;
	g->next_tid += 1 + below(g, 3);
	e = ev_of(g, KT_PROC_FORK, &g->thr[sh]);
	e.fork.child_tid = e.fork.child_pid = g->thr[child].tid;
	if ((err = emit(g, cpu, &e)))
		return err;
	g->now += 30000 + below(g, 20000);
	snprintf(exe, sizeof(exe), "/usr/bin/%s", c);
	n = snprintf(argv, sizeof(argv), "%s%c-l%c", c, 0, 0);
	e = ev_of(g, KT_PROC_EXEC, &g->thr[child]);
	e.exec.old_tid = g->thr[child].tid;
	e.exec.filename_str = str(g, exe, strlen(exe));
	e.exec.argv_str = str(g, argv, n);
	e.exec.comm_str = str(g, c, strlen(c));
	if ((err = emit(g, cpu, &e)))
		return err;
	g->now += 50000 + below(g, 500000);
	e = ev_of(g, KT_PROC_EXIT, &g->thr[child]);
	e.exit.exit_code = below(g, 5) ? 0 : 1 << 8;
	e.exit.flags = KT_EXIT_GROUP;
	g->thr[child].alive = false;
	for (unsigned c2 = 0; c2 < g->ncpu; c2++)
		if (g->cur[c2] == child)
			g->cur[c2] = -1;
	return emit(g, cpu, &e);
}

static void put_v4(__u64 *a, __u32 host)
{
	unsigned char b[4] = { 10, 0, (host >> 8) & 0xff, host & 0xff };

	memcpy(a, b, 4);
}

/* rare - one event of a rarer family on @cpu for thread @t. */
static int do_rare(struct gen *g, unsigned cpu, struct thr *t, unsigned kind)
{
	struct kt_event e = ev_of(g, kind, t);
	static const unsigned char pkt[64] = { 0x45, 0, 0, 60, 0x1c, 0x46, 0x40,
					       0, 0x40, 6 };
	char text[48];

	switch (kind) {
	case KT_SCHED_MIGRATE:
		e.mig.target_tid = t->tid;
		e.mig.target_pid = t->pid;
		e.mig.orig_cpu = cpu;
		e.mig.dest_cpu = (cpu + 1) % g->ncpu;
		break;
	case KT_SCHED_WAKEUP_NEW:
		e.wake.target_tid = g->next_tid;
		e.wake.target_pid = g->next_tid;
		e.wake.target_cpu = cpu;
		e.wake.target_prio = 120;
		break;
	case KT_PROC_COMM:
		e.comm.comm_str = str(g, "worker-1", 8);
		break;
	case KT_TCP_STATE: case KT_TCP_RETRANS: case KT_TCP_RESET:
		if (kind == KT_TCP_STATE && below(g, 2))
			g->sock += 4096;
		e.tcp.sock = g->sock;
		e.tcp.family = 2;
		put_v4(&e.tcp.saddr[0], 17);
		put_v4(&e.tcp.daddr[0], 20 + below(g, 4));
		e.tcp.sport = 40000 + below(g, 1000);
		e.tcp.dport = below(g, 2) ? 5432 : 443;
		e.tcp.netns = 4026531840u;
		e.tcp.oldstate = 2;
		e.tcp.newstate = kind == KT_TCP_STATE ? 1 : 1;
		e.tcp.flags = kind == KT_TCP_RESET ? KT_TCP_RESET_RECEIVED : 0;
		e.tcp.context = KT_CTX_SOFTIRQ;
		break;
	case KT_BLOCK_RQ:
		g->sector += 8 * (1 + below(g, 64));
		e.blk.dev = 8 << 20;
		e.blk.op = below(g, 3) ? 1 : 0;
		e.blk.sector = g->sector;
		e.blk.bytes = 4096 * (1 + below(g, 16));
		e.blk.queue_ns = below(g, 20000);
		e.blk.service_ns = logdur(g, 50000, 5000000);
		e.blk.issue_cpu = below(g, g->ncpu);
		break;
	case KT_SIGNAL_GEN: case KT_SIGNAL_DELIVER:
		e.sig.target_tid = t->tid;
		e.sig.target_pid = t->pid;
		e.sig.signo = below(g, 2) ? 17 : 15;
		break;
	case KT_OOM_VICTIM:
		e.oom.victim_tid = t->tid;
		e.oom.victim_pid = t->pid;
		e.oom.memcg_str = str(g, "/system.slice/java.service", 26);
		e.oom.victim_comm_str = str(g, "java", 4);
		e.oom.total_vm_kb = 8388608;
		e.oom.anon_rss_kb = 4000000;
		e.oom.file_rss_kb = 12000;
		e.oom.oom_score_adj = 0;
		break;
	case KT_PAGE_FAULT:
		e.fault.addr = 0x7f0000000000ULL + below(g, 1 << 24) * 4096;
		e.fault.ip = 0x555555554000ULL + below(g, 1 << 16);
		e.fault.flags = below(g, 2) ? KT_FAULT_WRITE : 0;
		e.fault.period = 100;
		break;
	case KT_RSS:
		e.rss.member = 1;
		e.rss.bytes = (1 << 20) * (100 + (__s64)below(g, 400));
		break;
	case KT_NET_PACKET:
		e.tid = e.pid = 0;
		e.pkt.ifindex = 2;
		e.pkt.len = 60 + below(g, 1400);
		e.pkt.caplen = 64;
		e.pkt.data_str = str(g, pkt, sizeof(pkt));
		e.pkt.linktype = 1;
		e.pkt.flags = below(g, 2) ? KT_PKT_OUTGOING : 0;
		break;
	case KT_MARKER:
		snprintf(text, sizeof(text), "checkpoint %llu",
			 (unsigned long long)g->produced);
		e.mark.text_str = str(g, text, strlen(text));
		e.mark.value = g->produced;
		break;
	case KT_LOST:
		e.lost.family = KT_FAM_SYSCALL;
		e.lost.count = 1 + below(g, 100);
		g->lost_total += e.lost.count;
		g->lost_fam[KT_FAM_SYSCALL] += e.lost.count;
		break;
	default:
		return 0;
	}
	return emit(g, cpu, &e);
}

static int clock_sync(struct gen *g)
{
	struct kt_event e = ev_of(g, KT_CLOCK_SYNC, NULL);

	e.clk.realtime_ns = GEN_REALTIME0 + (g->now - GEN_MONO0);
	e.clk.boottime_ns = g->now + 5000000000ULL;
	return emit(g, 0, &e);
}

/* step - one event (or a few) somewhere on the host. */
static int step(struct gen *g)
{
	unsigned cpu = below(g, g->ncpu), r = below(g, 10000);
	int cur = g->cur[cpu];
	/* rare kinds, about 0.5% of the stream in all */
	static const unsigned rare[] = {
		KT_SCHED_MIGRATE, KT_SCHED_WAKEUP_NEW, KT_PROC_COMM,
		KT_TCP_STATE, KT_TCP_RETRANS, KT_TCP_RESET, KT_BLOCK_RQ,
		KT_SIGNAL_GEN, KT_SIGNAL_DELIVER, KT_PAGE_FAULT, KT_RSS,
		KT_NET_PACKET, KT_MARKER,
	};

	g->now += 100 + below(g, 1000 / g->ncpu * 2);
	if (g->now >= g->next_clock) {
		g->next_clock += 1000000000;
		return clock_sync(g);
	}
	if (g->now >= g->next_flush) {
		int err = drain(g);
		__u64 t0 = now_ns();

		err = err ?: kt_writer_flush(g->w);
		g->wns += now_ns() - t0;
		g->next_flush += 1000000000;
		if (err)
			return err;
	}
	if (cur < 0 || r < 3500)
		return do_switch(g, cpu);
	if (r < 3500 + 20)
		return do_spawn(g, cpu);
	if (r < 3500 + 20 + 50)
		return do_rare(g, cpu, &g->thr[cur], rare[below(g, 13)]);
	if (r == 9999 && !below(g, 20))
		return do_rare(g, cpu, &g->thr[cur], KT_LOST);
	if (!g->oom_done && g->produced >= g->target / 2) {
		g->oom_done = true;
		return do_rare(g, cpu, &g->thr[cur], KT_OOM_VICTIM);
	}
	return do_syscall(g, cpu, &g->thr[cur]);
}

static json_t *start_meta(const struct gen *g, const char *out)
{
	json_t *m = json_pack(
		"{s:s,s:{s:s,s:s,s:s,s:s,s:s,s:i},s:{s:s,s:[{s:I,s:I,s:I}]},"
		"s:{s:[s,s,s,s,s,s],s:s,s:s,s:I}}",
		"ktrail_version", "synthetic",
		"host", "hostname", "synth-01", "kernel_release", "6.1.0-synthetic",
		"kernel_version", "#1 SMP PREEMPT_DYNAMIC", "machine", "x86_64",
		"boot_id", "5b2f7a8e-0c1d-4e9a-9d3b-7f6a1c2e8b40", "cpus", g->ncpu,
		"clock", "source", "CLOCK_MONOTONIC", "anchors",
		"mono_ns", (json_int_t)GEN_MONO0, "realtime_ns",
		(json_int_t)GEN_REALTIME0, "boottime_ns",
		(json_int_t)(GEN_MONO0 + 5000000000ULL),
		"record", "argv", "ktrail", "record", "-o", out, "-e", "all",
		"families", "all", "scope", "host", "start_ns",
		(json_int_t)GEN_MONO0);

	return m;
}

static json_t *end_meta(const struct gen *g)
{
	json_t *pf = json_object(), *m;

	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		if (g->lost_fam[f])
			json_object_set_new(pf, kt_family_name(f),
					    json_integer(g->lost_fam[f]));
	m = json_pack("{s:{s:I},s:{s:I,s:o}}", "record", "stop_ns",
		      (json_int_t)g->now, "lost", "total",
		      (json_int_t)g->lost_total, "per_family", pf);
	return m;
}

int gen_synthetic(const struct gen_opts *o, struct kt_writer_stats *st,
		  double *secs, double *wsecs)
{
	struct kt_writer_opts wo = { .zstd_level = o->zstd,
				     .frame_events = o->frame_events };
	struct gen *g = calloc(1, sizeof(*g));
	json_t *meta = NULL, *end = NULL;
	struct timespec t0, t1;
	int err;

	if (!g)
		return -ENOMEM;
	g->rng = o->seed;
	g->ncpu = o->cpus ? o->cpus : 4;
	if (g->ncpu > MAXCPU)
		g->ncpu = MAXCPU;
	g->target = o->events;
	g->now = g->start = GEN_MONO0;
	g->next_flush = g->next_clock = GEN_MONO0;
	g->next_tid = 20000;
	g->sock = 0xffff8881a0000000ULL;
	g->sector = 123456789;
	for (size_t i = 0; i < sizeof(sys_mix) / sizeof(sys_mix[0]); i++)
		g->sys_total += sys_mix[i].w;
	meta = start_meta(g, o->name);
	err = kt_writer_open(&g->w, o->out, &wo, meta);
	if (err)
		goto out;
	/* processes: the templates, some twice; a /proc snapshot of them */
	for (int i = 0; i < 14; i++) {
		const __typeof__(proc_tmpl[0]) *p = &proc_tmpl[i % 10];
		struct proc *pr = &g->procs[g->nproc];
		__u32 pid = 300 + 1000 * i + below(g, 500);

		pr->comm = p->comm;
		pr->exe = p->exe;
		pr->argv = p->argv;
		pr->argv_len = p->alen;
		pr->futex_base = 0x7f1200000000ULL + ((__u64)i << 24);
		for (int t = 0; t < p->thr; t++) {
			struct kt_task k = { .tid = pid + t, .pid = pid, .ppid = 1,
					     .comm = p->comm, .exe = p->exe,
					     .cmdline = p->argv, .cmdline_len = p->alen,
					     .cgroup = "/system.slice",
					     .flags = KT_TASK_SNAPSHOT };

			if (add_thread(g, g->nproc, pid + t, pid) < 0 ||
			    (err = kt_writer_task(g->w, &k)))
				break;
		}
		g->nproc++;
	}
	for (unsigned c = 0; c < g->ncpu; c++)
		g->cur[c] = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!err && g->produced < g->target)
		err = step(g);
	if (!err)
		err = drain(g);
	/* every kind at least once, however short the stream */
	for (unsigned k = 1; !err && k < KT_KIND_MAX; k++) {
		if (g->seen[k] || k == KT_SYSCALL || k == KT_SCHED_SWITCH)
			continue;
		g->now += 1000;
		if (k == KT_PROC_FORK || k == KT_PROC_EXEC || k == KT_PROC_EXIT)
			err = do_spawn(g, 0);
		else if (k == KT_SCHED_WAKING)
			err = do_switch(g, 0);
		else if (k == KT_CLOCK_SYNC)
			err = clock_sync(g);
		else
			err = do_rare(g, 0, &g->thr[0], k);
	}
	if (!err)
		err = drain(g);
	if (err)
		goto out;
	kt_writer_stats(g->w, st);
	end = end_meta(g);
	{
		__u64 w0 = now_ns();

		err = kt_writer_close(g->w, end);
		g->wns += now_ns() - w0;
	}
	g->w = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (wsecs)
		*wsecs = g->wns / 1e9;
out:
	kt_writer_abort(g->w);
	json_decref(meta);
	json_decref(end);
	free(g);
	return err;
}

KT_TOOL(gen_synthetic, "OUT [--events N] [--seed S] [--cpus N] [--zstd L] "
	"[--frame-events N] [--name NAME] [--stats]")
{
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "zstd", required_argument, NULL, 'z' },
		{ "frame-events", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'N' },
		{ "stats", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen_opts o = { .events = 4000, .seed = 1, .cpus = 4 };
	struct kt_writer_stats st;
	bool stats = false;
	double secs = 0, wsecs = 0;
	int c, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.events = strtoull(optarg, NULL, 0); break;
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'c': o.cpus = strtoul(optarg, NULL, 0); break;
		case 'z': o.zstd = strtol(optarg, NULL, 0); break;
		case 'f': o.frame_events = strtoul(optarg, NULL, 0); break;
		case 'N': o.name = optarg; break;
		case 'S': stats = true; break;
		default:
			fprintf(stderr, "usage: kt-test-tool gen_synthetic %s\n",
				kt_tool_gen_synthetic.usage);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: kt-test-tool gen_synthetic %s\n",
			kt_tool_gen_synthetic.usage);
		return 2;
	}
	o.out = argv[optind];
	if (!o.name)
		o.name = o.out;
	err = gen_synthetic(&o, &st, &secs, &wsecs);
	if (err) {
		fprintf(stderr, "gen_synthetic: %s: %s\n", o.out, strerror(-err));
		return 2;
	}
	if (stats)
		printf("events %llu secs %.3f writer_cpu_secs %.3f writer_ev_per_s %.0f\n",
		       (unsigned long long)st.events, secs, wsecs,
		       wsecs > 0 ? st.events / wsecs : 0);
	return 0;
}
