/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * maps.bpf.h - every map and every load-time setting of the recorder, in
 * one place.  record/bpf.c sizes the maps and fills the rodata before load.
 */
#ifndef KT_MAPS_BPF_H
#define KT_MAPS_BPF_H

/* ---- load-time settings (rodata, set by record/bpf.c) ---- */

/* ktrail's own thread group: never recorded. */
const volatile __u32 self_tgid = 0;
/* enum ktr_scope */
const volatile __u32 scope_mode = KTR_SCOPE_ALL;
/* 1: a process forked by one in scope joins the scope (--follow, -- CMD) */
const volatile __u32 follow_forks = 0;
/* KT_KIND_BIT() of the kinds to record; programs of unselected families are
 * not even loaded, but some handlers serve several families. */
const volatile __u64 kind_mask = 0;
/* enum ktr_sysclass by syscall number; KTR_SC_OFF = not recorded */
const volatile __u8 sys_class[KTR_NR_MAX] = {};
/* force a consumer wakeup when a ring holds more than this many bytes */
const volatile __u64 wake_bytes = 1 << 20;
/* at most one KT_RSS per thread group and counter in this interval */
const volatile __u64 rss_interval_ns = 10000000;
/* the period of the page-fault perf events (KT_PAGE_FAULT.period) */
const volatile __u32 fault_period = 1;
/* bytes per page, for the rss counters */
const volatile __u64 page_size = 4096;
/* per-CPU address of __preempt_count minus that of runqueues (see
 * kt_context() in compat.bpf.h); 0 = unknown */
const volatile __s64 pc_delta = 0;

/* ---- counters userspace reads through the mmapped .bss ---- */

/* lost[cpu * KTR_LOST_STRIDE + family]: events dropped because a ring was
 * full (or task storage could not be allocated) */
__u64 lost[KTR_MAX_CPUS * KTR_LOST_STRIDE];
/* attempts[cpu * KTR_LOST_STRIDE + family]: every record a program tried
 * to put in a ring (counted before the reservation can fail), and every
 * event lost before it could be tried (kt_drop): at stop, events in the
 * file + lost[] = attempts[] for each CPU and family (issue 14) */
__u64 attempts[KTR_MAX_CPUS * KTR_LOST_STRIDE];
/* records submitted per CPU, spaced a cache line apart; the low bits pace
 * the ring-fill checks of kt_submit() */
__u64 submitted[KTR_MAX_CPUS * 8];

/* ---- maps ---- */

/* One ring buffer per CPU (a shared ring serializes every CPU on its
 * lock).  record/bpf.c creates the inner rings with the -m size. */
struct kt_ring_inner {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);         /* set to the possible CPUs */
	__type(key, __u32);
	__array(values, struct kt_ring_inner);
} rings SEC(".maps");

/* The syscall of the task running on each CPU (see struct ktr_sys_state). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ktr_sys_state);
} sys_cur SEC(".maps");

/* Per task: its syscall while it is off its CPU, and whether it was named
 * (kt_meet). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ktr_sys_state);
} sys_state SEC(".maps");

/* execve's path, read at sys_enter: after a successful exec the caller's
 * memory is gone by sys_exit. */
struct kt_exec_path {
	char path[KTR_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kt_exec_path);
} exec_path SEC(".maps");

/* KTR_SCOPE_PIDS (and the non-current side of KTR_SCOPE_CGROUP): the
 * thread groups in scope, tgid -> the start_time of the leader the entry
 * is for (0: whichever, for the processes record/ puts in at start).  A
 * pid is free again once its process is reaped, before sched_process_free
 * (an RCU grace period later) takes its entry out: the start time tells
 * the process that got the pid meanwhile from the one in scope. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} scope_pids SEC(".maps");

/* KTR_SCOPE_CGROUP: the cgroup (v2) whose tasks are in scope. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} scope_cgroup SEC(".maps");

/* Block requests between insert/issue and completion, by request pointer;
 * what is left at stop is reported as KT_BLOCK_INCOMPLETE. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct ktr_inflight);
} inflight SEC(".maps");

/* Sockets (by cookie) and their owner: the last task that acted on the
 * socket in task context, or the listener's owner for a socket a
 * listener spawned.  TCP events in soft-irq context take the owner from
 * here, and a scoped recording keeps them when the owner is in scope. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct ktr_owner);
} sock_owner SEC(".maps");

/* TCP listeners that went CLOSE -> LISTEN while recording, by network
 * namespace and port: their children inherit the owner, and a SYN
 * retransmitted to one of them reads its accept queue. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct ktr_listener);
} listeners SEC(".maps");

/* The last context switch seen on each CPU (struct ktr_cpu_sw): a switch
 * whose prev is not the task that one put on shows that the kernel ran
 * the recorder for none of the switches in between. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ktr_cpu_sw);
} sw_seen SEC(".maps");

/* KT_RSS throttle: last emission per (thread group << 8 | counter). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
} rss_last SEC(".maps");

#endif /* KT_MAPS_BPF_H */
