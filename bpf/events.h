/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * events.h - what bpf/record.bpf.c and record/ share: the records the BPF
 * programs put in the per-CPU ring buffers, the syscall argument classes and
 * the lost-event counters.  Fixed-width __u* fields only (this header is
 * compiled by clang -target bpf and by gcc).
 *
 * Every ring record starts with struct ktr_hdr; hdr.kind is an enum kt_kind
 * (format/event.h) and says which struct follows.  The CPU an event happened
 * on is the index of the ring it came from, so records do not carry it.
 * Records are host-endian: they never leave the machine that made them;
 * record/convert.c turns them into struct kt_event.
 */
#ifndef KT_BPF_RECORD_H
#define KT_BPF_RECORD_H

#ifndef __KT_BPF__
#include <linux/types.h>
#endif

#define KTR_MAX_CPUS 1024       /* power of two: BPF masks cpu ids with it */
#define KTR_NR_MAX 1024         /* syscall numbers below this are recorded */
#define KTR_COMM_LEN 16
#define KTR_PATH_MAX 256        /* a path argument, NUL included */
#define KTR_STR_MAX (2 * KTR_PATH_MAX) /* the string of a syscall record */
#define KTR_ARGV_MAX 1024       /* exec argv, bounded */
#define KTR_CGPATH_MAX 256      /* memory cgroup path of an OOM victim */
#define KTR_CGPATH_DEPTH 8      /* levels walked up from the victim's cgroup */
#define KTR_CGNAME_MAX 64       /* bytes kept of one level's name */

/* Scope of a recording (rodata scope_mode). */
enum ktr_scope {
	KTR_SCOPE_ALL = 0,      /* whole host minus ktrail itself */
	KTR_SCOPE_PIDS = 1,     /* thread groups in the scope_pids map */
	KTR_SCOPE_CGROUP = 2,   /* tasks under the cgroup in scope_cgroup */
};

struct ktr_hdr {
	__u64 ts;               /* bpf_ktime_get_ns() */
	__u32 tid;              /* the subject, see format/event.h */
	__u32 pid;
	__u16 kind;             /* enum kt_kind */
	__u16 a16;              /* kind-specific, see each record */
	__u32 a32;              /* kind-specific, see each record */
};

/*
 * KT_SYSCALL: a16 = syscall nr, a32 = string length (bytes in str,
 * 0..KTR_STR_MAX) | KTR_SYS_* | KT_SYSCALL_* flags << KTR_SYS_FLAG_SHIFT.
 * ts is the exit time.  The record is struct ktr_syscall alone when a32
 * has neither KTR_SYS_ARGS nor KTR_SYS_STR, up to args with KTR_SYS_ARGS,
 * and the whole struct ktr_syscall_ext with KTR_SYS_STR.
 */
#define KTR_SYS_LEN_MASK 0xffffu
#define KTR_SYS_ARGS 0x10000u
#define KTR_SYS_STR 0x20000u
#define KTR_SYS_FLAG_SHIFT 24

struct ktr_syscall {
	struct ktr_hdr h;
	__u64 dur;
	__s64 ret;
};

struct ktr_syscall_ext {
	struct ktr_syscall s;
	__u64 arg[3];
	char str[KTR_STR_MAX];
};

/*
 * Syscall argument classes: what sys_enter saves and sys_exit decodes for
 * each syscall number (rodata sys_class[], filled by record/ from names).
 * KTR_SC_OFF means "not recorded" (--syscalls).  The arg[]/str meaning of
 * each class is the table in format/event.h.
 */
enum ktr_sysclass {
	KTR_SC_NONE = 0,        /* no arguments recorded */
	KTR_SC_FD_COUNT,        /* arg0 = fd (di), arg1 = count (dx) */
	KTR_SC_FD_VEC,          /* readv/writev/sendmsg/recvmsg: arg0 = fd */
	KTR_SC_SENDFILE,        /* arg0 = out fd (di), arg1 = count (r10) */
	KTR_SC_SPLICE,          /* arg0 = fd in (di), arg1 = len (r8) */
	KTR_SC_FD,              /* arg0 = fd */
	KTR_SC_OPENAT,          /* arg0 dirfd, arg1 flags, arg2 mode, path si */
	KTR_SC_OPENAT2,         /* arg0 dirfd, path si, open_how at dx */
	KTR_SC_OPEN,            /* path di, arg1 flags si, arg2 mode dx */
	KTR_SC_PATH0,           /* str = path at di */
	KTR_SC_PATH1,           /* str = path at si, arg0 = dirfd di */
	KTR_SC_RENAME,          /* str = old (di) NUL new (si) */
	KTR_SC_RENAMEAT,        /* str = old (si) NUL new (r10) */
	KTR_SC_SOCKADDR_IN,     /* connect/bind: arg0 fd, str = sockaddr si,
				 * length dx */
	KTR_SC_SOCKADDR_OUT,    /* accept/accept4: arg0 fd, str = sockaddr si,
				 * length at *dx after the call */
	KTR_SC_FUTEX,           /* arg0 uaddr, arg1 op, arg2 val */
	KTR_SC_NANOSLEEP,       /* arg0 = ns of the timespec at di */
	KTR_SC_CLOCK_NANOSLEEP, /* arg0 = ns of the timespec at dx */
	KTR_SC_POLL_MS_DX,      /* poll: arg1 = timeout ms (dx) */
	KTR_SC_POLL_MS_R10,     /* epoll_wait/epoll_pwait: arg1 = ms (r10) */
	KTR_SC_POLL_TS_DX,      /* ppoll: arg1 = ms of the timespec at dx */
	KTR_SC_POLL_TS_R8,      /* pselect6: arg1 = ms of the timespec at r8 */
	KTR_SC_POLL_TV_R8,      /* select: arg1 = ms of the timeval at r8 */
	KTR_SC_KILL,            /* kill/tkill: arg0 = di, arg1 = signo si */
	KTR_SC_TGKILL,          /* arg0 = tid si, arg1 = signo dx */
	KTR_SC_WAIT4,           /* arg0 = pid di */
	KTR_SC_WAITID,          /* arg0 = id si */
	KTR_SC_EXECVE,          /* str = path di, read at enter */
	KTR_SC_EXECVEAT,        /* str = path si, read at enter */
	/* format 1.2: what an fd table needs (analyze/fds.h) */
	KTR_SC_ARGS1,           /* arg0 = di */
	KTR_SC_ARGS2,           /* arg0 = di, arg1 = si */
	KTR_SC_ARGS3,           /* arg0 = di, arg1 = si, arg2 = dx */
	KTR_SC_PIPE,            /* pipe: arg0 = the int[2] at di after the
				 * call (fd0 | fd1 << 32), arg2 = file id of
				 * fd0 */
	KTR_SC_PIPE2,           /* pipe2: as pipe, arg1 = flags si */
	KTR_SC_SOCKETPAIR,      /* arg0 = the int[2] at r10, arg1 = type si |
				 * domain di << 32, arg2 = file id of fd0 */
	KTR_SC_ACCEPT4,         /* as SOCKADDR_OUT, arg1 = flags r10 */
	KTR_SC_CLONE3,          /* arg0 = clone_args.flags at di */
	KTR_SC_MEMFD,           /* str = name at di, arg1 = flags si */
	/* record.more_args: mmap, munmap, mprotect, lseek, ioctl, fstat */
	KTR_SC_MMAP,            /* arg0 = addr di, arg1 = len si, arg2 = fd
				 * r8 (low 32 bits) | prot dx (bits 32-39) |
				 * flags r10 (bits 40-63: MAP_* up to bit
				 * 23); the offset (r9) is not kept */
	KTR_SC_NCLASSES,
	KTR_SC_OFF = 0xff,
};

/* KT_SCHED_SWITCH: subject = prev; a16 = prev prio, a32 = the kernel's
 * prev_state argument | KTR_SW_PREEMPT when prev was preempted. */
#define KTR_SW_PREEMPT 0x80000000u
struct ktr_switch {
	struct ktr_hdr h;
	__u32 next_tid;
	__u32 next_pid;
	__u32 next_prio;
	__u32 pad;
};

/* KT_SCHED_WAKING / KT_SCHED_WAKEUP_NEW: subject = waker (current);
 * a16 = enum kt_context of the waker, a32 = target cpu. */
struct ktr_waking {
	struct ktr_hdr h;
	__u32 target_tid;
	__u32 target_pid;
	__u32 target_prio;
	__u32 pad;
};

/* KT_SCHED_MIGRATE: subject = current; a32 = orig cpu. */
struct ktr_migrate {
	struct ktr_hdr h;
	__u32 target_tid;
	__u32 target_pid;
	__u32 dest_cpu;
	__u32 pad;
};

/* KT_PROC_FORK: subject = parent; a16 = KT_FORK_* flags. */
struct ktr_fork {
	struct ktr_hdr h;
	__u32 child_tid;
	__u32 child_pid;
	char comm[KTR_COMM_LEN];
};

/* KT_PROC_EXEC: subject = the task after exec; a16 = KT_EXEC_* flags,
 * a32 = old tid. */
struct ktr_exec {
	struct ktr_hdr h;
	char comm[KTR_COMM_LEN];
	__u16 filename_len;     /* bytes in filename, without the NUL */
	__u16 argv_len;         /* bytes in argv, each argument NUL-ended */
	__u32 pad;
	char filename[KTR_PATH_MAX];
	char argv[KTR_ARGV_MAX];
};

/* KT_PROC_EXIT: subject = exiting thread; a16 = KT_EXIT_* flags,
 * a32 = task->exit_code. */
struct ktr_exit {
	struct ktr_hdr h;
};

/* KT_PROC_COMM: subject = the renamed task (not always current). */
struct ktr_comm {
	struct ktr_hdr h;
	char comm[KTR_COMM_LEN];
};

/* KT_TCP_STATE / KT_TCP_RETRANS / KT_TCP_RESET: subject = current;
 * a16 = enum kt_context, a32 = KT_TCP_RESET_* | KT_TCP_ACCEPTQ |
 * KT_TCP_BYTES flags. */
struct ktr_tcp {
	struct ktr_hdr h;
	__u64 cookie;
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 family;
	__u16 sport;            /* host order */
	__u16 dport;            /* host order */
	__u8 oldstate;
	__u8 newstate;
	__u32 netns;
	__u32 owner_tid;        /* 0: unknown */
	__u32 owner_pid;
	__u32 acceptq;          /* with KT_TCP_ACCEPTQ */
	__u32 acceptq_max;
	__u32 pad;
	__u64 tx_bytes;         /* with KT_TCP_BYTES (the move to CLOSE) */
	__u64 rx_bytes;
};

/* Value of the sock_owner map (key: socket cookie) and part of a
 * listener's entry. */
struct ktr_owner {
	__u32 tid;
	__u32 pid;
	__u32 in_scope;         /* scoped recordings: the owner is in scope */
	__u32 pad;
};

/* Value of the listeners map (key: netns inode << 16 | port). */
struct ktr_listener {
	__u64 sk;               /* struct sock *, read with probe reads only */
	__u64 cookie;
	__u64 ino;              /* the socket's inode (its fd's socket:[ino]) */
	__u32 addr;             /* bound IPv4 address (network order), 0 any */
	__u32 pad;
	struct ktr_owner owner; /* a listener found at start: filled by
				 * record/ from /proc/PID/fd, else unknown */
};

/* KT_BLOCK_RQ: ts = completion (or stop for an incomplete one, which
 * record/ makes from the inflight map); subject = the issuer (current at
 * insert, else at issue); a16 = KT_BLOCK_* flags, a32 = issue cpu. */
struct ktr_block {
	struct ktr_hdr h;
	__u32 dev;
	__u32 op;               /* cmd_flags: REQ_OP_* | REQ_* */
	__u64 sector;
	__u32 bytes;
	__u32 status;           /* blk_status_t, record/ maps it to -errno */
	__u64 queue_ns;
	__u64 service_ns;
};

/* Value of the inflight map (key: struct request pointer). */
struct ktr_inflight {
	__u64 insert_ts;        /* 0 when insert was not seen */
	__u64 issue_ts;         /* 0 while only inserted */
	__u32 tid;
	__u32 pid;
	__u32 issue_cpu;
	__u32 dev;
	__u32 op;
	__u32 bytes;
	__u64 sector;
};

/* KT_SIGNAL_GEN / KT_SIGNAL_DELIVER: a16 = enum kt_context of current,
 * a32 = signo. */
struct ktr_signal {
	struct ktr_hdr h;
	__u32 target_tid;
	__u32 target_pid;
	__s32 code;
	__s32 result;
};

/* KT_OOM_VICTIM: subject = current; a32 = victim tid. */
struct ktr_oom {
	struct ktr_hdr h;
	__u32 victim_pid;
	__s32 oom_score_adj;
	__u64 total_vm_kb;
	__u64 anon_rss_kb;
	__u64 file_rss_kb;
	__u64 shmem_rss_kb;
	char comm[KTR_COMM_LEN];
	char memcg[KTR_CGPATH_MAX + KTR_CGNAME_MAX]; /* "/a/b", NUL-ended,
						       * < KTR_CGPATH_MAX */
};

/* KT_PAGE_FAULT: subject = faulting task; a32 = sample period. */
struct ktr_fault {
	struct ktr_hdr h;
	__u64 addr;
	__u64 ip;
};

/* KT_LOST put in a ring by the BPF side (switch gaps, filtered
 * switches): subject = the task concerned; a16 = enum kt_family, a32 =
 * enum kt_lost_cause. */
struct ktr_lost {
	struct ktr_hdr h;
	__u64 count;
	__u64 since;
};

/* Per CPU: the last context switch the recorder saw there, whether it
 * recorded it or not (sw_seen). */
struct ktr_cpu_sw {
	__u64 ts;               /* 0: none seen yet */
	__u32 tid;              /* the task it put on the CPU */
	__u32 pid;
	__u32 kthread;          /* that task is a kernel thread */
	__u32 pad;
};

/* KT_RSS: subject = current; a16 = member. */
struct ktr_rss {
	struct ktr_hdr h;
	__s64 bytes;
};

/* Lost-event counters: a failed ring reserve (or task-storage allocation)
 * adds 1 to lost[cpu][family].  The array lives in .bss, which userspace
 * reads through the skeleton's mmap without a syscall. */
#define KTR_LOST_STRIDE 16      /* >= KT_FAM_MAX, one row per CPU */

/*
 * A syscall in progress, from sys_enter to sys_exit.  The running task's is
 * in its CPU's slot (sys_cur, a per-CPU array: no lookup by task on the
 * syscall path); sched_switch parks it in the task's storage (sys_state)
 * when the task leaves the CPU and brings it back when it returns.  Both
 * are read from userspace at stop (unfinished syscalls).
 */
struct ktr_sys_state {
	__u64 enter_ts;         /* 0: not in a recorded syscall */
	__u32 tid;              /* owner of a per-CPU slot */
	__u32 nr;
	__u16 cls;              /* enum ktr_sysclass */
	__u8 flags;             /* KT_SYSCALL_WOKE, set by sched_waking */
	__u8 named;             /* task storage only: a KT_PROC_COMM named
				 * this task */
	__u32 pad;
	__u64 nvcsw;            /* voluntary switches at enter: BLOCKED */
	__u64 file_id;          /* KTR_SC_FD: KT_FILE_ID of the fd at enter */
	__u64 regs[5];          /* di si dx r10 r8, when cls has arguments */
};

#endif /* KT_BPF_RECORD_H */
