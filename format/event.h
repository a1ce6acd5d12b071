/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * event.h - the ktrail event model: every kind of event a capture holds,
 * with its typed, fixed-width fields.
 *
 * This header is shared by bpf/ (kinds, families and flag values only; it
 * includes nothing when __KT_BPF__ is defined, vmlinux.h then provides the
 * __u32/__u64 types) and by every user-space module.  The on-disk encoding
 * of these fields is columnar and described in docs/format.md; the structs
 * here are the in-memory form that writers accept and readers return.
 *
 * Conventions for every kind:
 *  - ts is nanoseconds on the capture clock (bpf_ktime_get_ns, i.e.
 *    CLOCK_MONOTONIC); records that describe a span (syscall, block request)
 *    are stored with the span's END as ts and carry its duration, because
 *    that is when the kernel can emit them, so files and readers give them
 *    in end order.  What ktrail shows stamps them at their START
 *    (kt_event_start()), with the end or the duration beside it.
 *  - tid/pid are the kernel task id and thread-group id of the task the
 *    event is about (the "subject"); cpu is where the event happened.
 *  - Fields named *_str hold a string handle: 0 means "no string", other
 *    values resolve with kt_event_str().  A string may hold binary bytes
 *    (sockaddrs, packet data); its length is always explicit.
 *  - Minor format versions may append fields to a kind and add kinds; old
 *    readers skip what they do not know (docs/format.md "Versioning").
 */
#ifndef KT_EVENT_H
#define KT_EVENT_H

#ifndef __KT_BPF__
#include <linux/types.h>
#include <stddef.h>
#include <string.h>
#endif

/* Event kinds.  Values are stored in files: never renumber, only append. */
enum kt_kind {
	KT_NONE = 0,
	KT_SCHED_SWITCH = 1,
	KT_SCHED_WAKING = 2,
	KT_SCHED_WAKEUP_NEW = 3,
	KT_SCHED_MIGRATE = 4,
	KT_PROC_FORK = 5,
	KT_PROC_EXEC = 6,
	KT_PROC_EXIT = 7,
	KT_PROC_COMM = 8,
	KT_SYSCALL = 9,
	KT_TCP_STATE = 10,
	KT_TCP_RETRANS = 11,
	KT_TCP_RESET = 12,
	KT_BLOCK_RQ = 13,
	KT_SIGNAL_GEN = 14,
	KT_SIGNAL_DELIVER = 15,
	KT_OOM_VICTIM = 16,
	KT_PAGE_FAULT = 17,
	KT_RSS = 18,
	KT_NET_PACKET = 19,
	KT_MARKER = 20,
	KT_LOST = 21,
	KT_CLOCK_SYNC = 22,
	KT_KIND_MAX /* one past the last known kind; kinds fit in a 64-bit mask */
};

/* Event families, the unit of selection for `record -e` and `replay -e`. */
enum kt_family {
	KT_FAM_SCHED = 0,   /* switch, waking, wakeup_new, migrate */
	KT_FAM_PROC = 1,    /* fork, exec, exit, comm */
	KT_FAM_SYSCALL = 2, /* completed syscalls */
	KT_FAM_TCP = 3,     /* state changes, retransmits, resets */
	KT_FAM_BLOCK = 4,   /* block requests */
	KT_FAM_SIGNAL = 5,  /* generate, deliver */
	KT_FAM_OOM = 6,     /* OOM victims */
	KT_FAM_FAULT = 7,   /* sampled user page faults */
	KT_FAM_MEM = 8,     /* rss changes */
	KT_FAM_NET = 9,     /* packets (libpcap) */
	KT_FAM_META = 10,   /* markers, lost-event records, clock anchors */
	KT_FAM_MAX
};

#define KT_KIND_BIT(k) (1ULL << (k))

/* kt_sched_switch.prev_state: the prev task's state, normalized from the
 * kernel's TASK_* bits (which differ between kernel versions). */
enum kt_task_state {
	KT_STATE_RUNNABLE = 0, /* preempted: still wants the CPU */
	KT_STATE_SLEEPING = 1, /* S: interruptible sleep */
	KT_STATE_DISK = 2,     /* D: uninterruptible sleep */
	KT_STATE_STOPPED = 3,  /* T */
	KT_STATE_TRACED = 4,   /* t */
	KT_STATE_DEAD = 5,     /* X / task is exiting (TASK_DEAD) */
	KT_STATE_ZOMBIE = 6,   /* Z */
	KT_STATE_PARKED = 7,   /* P: kthread parked */
	KT_STATE_IDLE = 8,     /* I: D | NOLOAD, an idle kernel thread */
	KT_STATE_MASK = 0xff,
	KT_STATE_WAKEKILL = 0x100, /* flag: the sleep is killable */
};

struct kt_sched_switch {       /* subject: the task leaving the CPU */
	__u32 prev_state;      /* enum kt_task_state | flags */
	__u32 next_tid;
	__u32 next_pid;
	__u32 prev_prio;       /* kernel prio, 0..139 (120 = nice 0) */
	__u32 next_prio;
};

/* Where a wakeup was issued.  A wakeup from interrupt context must not be
 * blamed on the task that happened to be interrupted. */
enum kt_context {
	KT_CTX_TASK = 0,
	KT_CTX_SOFTIRQ = 1,
	KT_CTX_HARDIRQ = 2,
	KT_CTX_NMI = 3,
};

struct kt_sched_waking {       /* KT_SCHED_WAKING and KT_SCHED_WAKEUP_NEW;
				* subject: the waker (current task) */
	__u32 target_tid;
	__u32 target_pid;
	__u32 target_cpu;
	__u32 target_prio;
	__u32 context;         /* enum kt_context of the waker */
};

struct kt_sched_migrate {      /* subject: the task doing the migration */
	__u32 target_tid;
	__u32 target_pid;
	__u32 orig_cpu;
	__u32 dest_cpu;
};

#define KT_FORK_THREAD 0x1     /* child joins the parent's thread group */
#define KT_FORK_INSCOPE 0x2    /* the child is in the recording's scope */

struct kt_proc_fork {          /* subject: the parent (forking) task */
	__u32 child_tid;
	__u32 child_pid;
	__u32 flags;           /* KT_FORK_* */
	__u32 child_comm_str;
};

#define KT_EXEC_ARGV_TRUNCATED 0x1

struct kt_proc_exec {          /* subject: the task after exec */
	__u32 old_tid;         /* tid before exec (a non-leader thread that
				* execs takes over the leader's tid) */
	__u32 flags;           /* KT_EXEC_* */
	__u32 filename_str;
	__u32 argv_str;        /* arguments, each followed by a NUL byte */
	__u32 comm_str;        /* comm after exec */
};

#define KT_EXIT_GROUP 0x1      /* last thread: the whole process is gone */

struct kt_proc_exit {          /* subject: the exiting thread */
	__s32 exit_code;       /* task->exit_code: status << 8 | termsig,
				* 0x80 if it dumped core */
	__u32 flags;           /* KT_EXIT_* */
};

struct kt_proc_comm {          /* subject: the renamed task; also emitted the
				* first time the recorder meets a task it
				* has no name for */
	__u32 comm_str;
};

/* kt_syscall.arg[] by syscall (x86-64 numbers; the capture's metadata
 * names the architecture).  Unlisted syscalls leave arg[] zero.
 *   read write pread64 pwrite64 readv writev sendto recvfrom sendmsg
 *   recvmsg sendfile splice:        arg0 = fd, arg1 = requested bytes,
 *                                   arg2 = file id of fd (see below)
 *   close fsync fdatasync:          arg0 = fd, arg2 = file id of fd
 *   openat openat2:                 arg0 = dirfd, arg1 = flags, arg2 = mode,
 *                                   str = path
 *   open:                           arg1 = flags, arg2 = mode, str = path
 *   execve execveat unlink unlinkat mkdir rmdir stat* access: str = path
 *   rename renameat renameat2:      str = "old\0new"
 *   connect bind:                   arg0 = fd, str = raw struct sockaddr
 *   accept accept4:                 arg0 = fd, str = peer sockaddr
 *   futex:                          arg0 = uaddr, arg1 = op, arg2 = val
 *   nanosleep clock_nanosleep:      arg0 = requested ns
 *   epoll_wait epoll_pwait poll ppoll select pselect6: arg1 = timeout ms
 *                                   (-1 none, as u64)
 *   kill tkill tgkill:              arg0 = target, arg1 = signo
 *   wait4 waitid:                   arg0 = pid argument
 *   clone clone3 fork vfork:        ret = child tid
 * format 1.2 (metadata record.fd_args; arg[] = 0 in older captures):
 *   socket:                         arg0 = family, arg1 = type, arg2 = protocol
 *   pipe pipe2 socketpair:          arg0 = the fds the kernel wrote, fd0 |
 *                                   fd1 << 32; arg1 = pipe2's flags, or
 *                                   socketpair's type | domain << 32;
 *                                   arg2 = file id of fd0 (always)
 *   dup dup2 dup3:                  arg0 = old fd, arg1 = new fd, arg2 =
 *                                   dup3's flags
 *   fcntl:                          arg0 = fd, arg1 = cmd, arg2 = arg
 *   close_range:                    arg0 = first, arg1 = last, arg2 = flags
 *   fchdir epoll_create1 inotify_init1 clone: arg0 = fd / flags / clone
 *                                   flags
 *   eventfd2 timerfd_create pidfd_open: arg0 = di, arg1 = flags
 *   clone3:                         arg0 = clone_args.flags
 *   memfd_create:                   arg1 = flags, str = name
 *   accept4:                        arg1 = flags (and as accept)
 * metadata record.more_args (arg[] = 0 in captures without it):
 *   mmap:                           arg0 = addr, arg1 = len, arg2 = fd
 *                                   (low 32 bits) | prot << 32 (8 bits) |
 *                                   flags << 40 (24 bits); no offset
 *   munmap:                         arg0 = addr, arg1 = len
 *   mprotect:                       arg0 = addr, arg1 = len, arg2 = prot
 *   lseek:                          arg0 = fd, arg1 = offset, arg2 = whence
 *   ioctl:                          arg0 = fd, arg1 = request
 *   fstat:                          arg0 = fd
 *   unlinkat mkdirat newfstatat statx faccessat faccessat2 readlinkat:
 *                                   arg0 = dirfd (and str = path as above)
 * metadata record.id_args (arg[] = 0 in captures without it):
 *   setuid setgid:                  arg0 = the uid / gid
 *   setgroups:                      arg0 = the number of groups
 *
 * The file id names the object behind an fd across processes, so that a
 * write and the read it wakes can be matched through the same pipe, socket
 * or file: KT_FILE_ID(type, ino) with the inode's S_IFMT type (S_IFIFO,
 * S_IFSOCK, S_IFREG, ...) in the top 4 bits and its inode number below.
 * Looking it up costs a few pointer reads per syscall, so the recorder only
 * fills it when the syscall blocked or woke a task (flags below);
 * otherwise it is 0.
 */
#define KT_SYSCALL_UNFINISHED 0x1 /* still running when recording stopped */
#define KT_SYSCALL_BLOCKED 0x2    /* the task slept during the syscall */
#define KT_SYSCALL_WOKE 0x4       /* it woke another task during the syscall */
#define KT_SYSCALL_WOKE_NET 0x8   /* a softirq that ran in its context during
				   * the syscall woke a task: typically the
				   * loopback (or veth) delivery of what it
				   * sent (format 1.1; the file id is filled
				   * as for KT_SYSCALL_WOKE) */

#define KT_FILE_ID(ifmt, ino) ((((__u64)(ifmt) >> 12) << 60) | \
			       ((__u64)(ino) & ((1ULL << 60) - 1)))
#define KT_FILE_ID_TYPE(id) ((__u32)((id) >> 60) << 12) /* S_IF* value */
#define KT_FILE_ID_INO(id) ((id) & ((1ULL << 60) - 1))

struct kt_syscall {            /* one completed syscall; ts = exit time,
				* enter = ts - dur */
	__u32 nr;
	__u32 str;             /* see table above; 0 = none */
	__u64 dur;             /* ns from enter to exit */
	__s64 ret;
	__u64 arg[3];
	__u32 flags;           /* KT_SYSCALL_* */
};

#define KT_TCP_RESET_SENT 0x1
#define KT_TCP_RESET_RECEIVED 0x2
#define KT_TCP_ACCEPTQ 0x4     /* acceptq/acceptq_max hold a listener's
				* accept queue (format 1.1) */
#define KT_TCP_BYTES 0x8       /* tx_bytes/rx_bytes hold the socket's byte
				* counters (format 1.3: the move to CLOSE) */

/* TCP states use the kernel's numbering (TCP_ESTABLISHED = 1 ...
 * TCP_CLOSE = 7, TCP_LISTEN = 10, TCP_SYN_SENT = 2). */
struct kt_tcp {                /* KT_TCP_STATE, KT_TCP_RETRANS, KT_TCP_RESET;
				* subject: the task current when it happened
				* (often unrelated: softirq context; the
				* socket's owner is owner_tid) */
	__u64 sock;            /* socket cookie, stable for the socket's life */
	__u64 saddr[2];        /* address bytes in network order, memcpy'd:
				* IPv4 uses the low 4 bytes of saddr[0] */
	__u64 daddr[2];
	__u32 family;          /* AF_INET or AF_INET6 */
	__u32 sport;           /* host byte order */
	__u32 dport;
	__u32 netns;           /* network namespace inode number */
	__u32 oldstate;
	__u32 newstate;        /* retransmit/reset: the socket's state */
	__u32 flags;           /* KT_TCP_RESET_*, KT_TCP_ACCEPTQ */
	__u32 context;         /* enum kt_context */
	/* format 1.1: */
	__u32 owner_tid;       /* the task the socket belongs to (the last
				* one that acted on it in task context, or
				* its listener's for an accepted socket);
				* 0 = unknown */
	__u32 owner_pid;
	__u32 acceptq;         /* with KT_TCP_ACCEPTQ: connections waiting
				* in the listener's accept queue (the
				* socket's own for a listener, its
				* listener's for a new child, the local
				* destination's for a SYN retransmit) */
	__u32 acceptq_max;     /* the listener's backlog */
	/* format 1.3: */
	__u64 tx_bytes;        /* with KT_TCP_BYTES: bytes the peer acked
				* (tcp_sock.bytes_acked, RFC 4898
				* tcpEStatsAppHCThruOctetsAcked) */
	__u64 rx_bytes;        /* with KT_TCP_BYTES: bytes received in
				* order (tcp_sock.bytes_received) */
};

#define KT_BLOCK_INCOMPLETE 0x1 /* still in flight when recording stopped */
#define KT_BLOCK_FROM_ALLOC 0x2 /* insert and issue not seen (a cache
				 * flush's own request, or one issued before
				 * recording): service_ns counts from the
				 * request's allocation, queue_ns is 0 */

/* op: the REQ_OP_* value in the low 8 bits, REQ_* flag bits above, as
 * the kernel defines them (metadata names the kernel release). */
struct kt_block_rq {           /* ts/cpu: completion; subject: the issuer */
	__u32 dev;             /* kernel dev_t: major << 20 | minor */
	__u32 op;
	__u64 sector;
	__u32 bytes;
	__s32 error;           /* negative errno, 0 = success */
	__u64 queue_ns;        /* insert -> issue, 0 when unknown */
	__u64 service_ns;      /* issue -> complete; issue = ts - service_ns */
	__u32 issue_cpu;
	__u32 flags;           /* KT_BLOCK_* */
};

struct kt_signal {             /* KT_SIGNAL_GEN (subject: sender) and
				* KT_SIGNAL_DELIVER (subject: receiver) */
	__u32 target_tid;
	__u32 target_pid;
	__u32 signo;
	__s32 code;            /* si_code */
	__s32 result;          /* GEN: the kernel's TRACE_SIGNAL_* result;
				* DELIVER: 0 */
	__u32 context;         /* enum kt_context of the sender */
};

struct kt_oom {                /* subject: the task that ran the OOM killer */
	__u32 victim_tid;
	__u32 victim_pid;
	__u32 memcg_str;       /* memory cgroup path of the victim */
	__u32 victim_comm_str;
	__u64 total_vm_kb;
	__u64 anon_rss_kb;
	__u64 file_rss_kb;
	__u64 shmem_rss_kb;
	__s32 oom_score_adj;
	__u32 pad;
};

#define KT_FAULT_WRITE 0x1
#define KT_FAULT_MAJOR 0x2

struct kt_fault {              /* subject: the faulting task */
	__u64 addr;
	__u64 ip;
	__u32 flags;           /* KT_FAULT_* */
	__u32 period;          /* this sample stands for `period` faults */
};

struct kt_rss {                /* subject: a task of the mm whose counter
				* changed */
	__u32 member;          /* MM_FILEPAGES 0, MM_ANONPAGES 1,
				* MM_SWAPENTS 2, MM_SHMEMPAGES 3 */
	__u32 pad;
	__s64 bytes;           /* new counter value, in bytes */
};

#define KT_PKT_OUTGOING 0x1

struct kt_net_packet {         /* subject: 0 (packets have no task) */
	__u32 ifindex;
	__u32 len;             /* length on the wire */
	__u32 caplen;          /* bytes kept in data_str */
	__u32 data_str;
	__u32 linktype;        /* DLT_* of the capture */
	__u32 flags;           /* KT_PKT_* */
};

struct kt_marker {             /* an annotation (`record --mark`, tests) */
	__u32 text_str;
	__u32 pad;
	__u64 value;
};

/* Why events were lost (kt_lost.cause, format 1.1; 0 in older files). */
enum kt_lost_cause {
	KT_LOST_RING = 0,      /* a ring (or task storage) was full, or an
				* older file that did not say */
	KT_LOST_RECURSION = 1, /* a program run skipped by the kernel because
				* it was already running on that CPU (cpu
				* 0xffff: counted per program, not per CPU) */
	KT_LOST_SWITCH_GAP = 2,/* a context switch the kernel did not run the
				* recorder for: the previous switch on this
				* CPU put `tid` on at `since`, and the task
				* leaving now is another one; family
				* syscall: the syscall `tid` entered at
				* `since`, whose state that switch did not
				* park, has no record */
	KT_LOST_FILTERED = 3,  /* records the scope filter dropped although
				* they belonged to the scope (a task that
				* joined the cgroup from outside: the switch
				* that put it on at `since`; a child that
				* could not join a full scope map: all its
				* events, since 0) */
	KT_LOST_PCAP = 4,      /* packets dropped by libpcap or the kernel */
	KT_LOST_CAUSES
};

struct kt_lost {               /* events the kernel could not deliver;
				* ts: when the loss was noticed (gaps and
				* filtered switches: when it happened);
				* subject: the task concerned, 0 if none */
	__u32 family;          /* enum kt_family, KT_FAM_MAX = unknown */
	__u32 cause;           /* enum kt_lost_cause (format 1.1) */
	__u64 count;           /* lost since the previous KT_LOST record of
				* this cpu, family and cause */
	__u64 since;           /* switch gap / filtered: start of the time
				* the lost records covered; 0 = unknown */
};

struct kt_clock_sync {         /* clock anchor taken at ts */
	__u64 realtime_ns;     /* CLOCK_REALTIME, ns since the epoch */
	__u64 boottime_ns;     /* CLOCK_BOOTTIME */
};

#ifndef __KT_BPF__

struct kt_strtab;

struct kt_event {
	__u64 ts;
	__u32 tid;
	__u32 pid;
	__u16 kind;            /* enum kt_kind */
	__u16 cpu;
	__u32 utid;            /* stable thread id (see kt_tasks); filled by
				* readers, ignored by writers */
	union {
		struct kt_sched_switch sw;
		struct kt_sched_waking wake;
		struct kt_sched_migrate mig;
		struct kt_proc_fork fork;
		struct kt_proc_exec exec;
		struct kt_proc_exit exit;
		struct kt_proc_comm comm;
		struct kt_syscall sys;
		struct kt_tcp tcp;
		struct kt_block_rq blk;
		struct kt_signal sig;
		struct kt_oom oom;
		struct kt_fault fault;
		struct kt_rss rss;
		struct kt_net_packet pkt;
		struct kt_marker mark;
		struct kt_lost lost;
		struct kt_clock_sync clk;
		__u64 raw[13];
	};
	/* Resolves the *_str handles of this event; set by readers and by
	 * in-memory sources, ignored by writers. */
	const struct kt_strtab *strs;
};

/* A string table: handle h (1 <= h <= n) names bytes ptr[h-1], len[h-1].
 * Public so that tests can build events by hand. */
struct kt_strtab {
	const char *const *ptr;
	const __u32 *len;
	__u32 n;
};

/*
 * kt_event_str - the bytes behind string handle @h of @ev.
 * Returns a pointer (NUL-terminated, valid as long as @ev is) and stores the
 * length in @len (may be NULL).  Handle 0 or an unknown handle gives "" and
 * length 0.
 */
const char *kt_event_str(const struct kt_event *ev, __u32 h, size_t *len);

/* kt_event_is_span - whether @ev describes a span with a start and an end:
 * a syscall (enter .. exit) or a block request (issue .. completion). */
static inline int kt_event_is_span(const struct kt_event *ev)
{
	return ev->kind == KT_SYSCALL || ev->kind == KT_BLOCK_RQ;
}

/*
 * kt_event_start - when @ev began: a syscall's enter (ts - dur), a block
 * request's issue to the device (ts - service_ns; its queueing before
 * that is queue_ns), ts for every other kind.  A duration longer than ts
 * (a damaged record) gives 0.  The end of a span is ts.
 */
static inline __u64 kt_event_start(const struct kt_event *ev)
{
	__u64 d = ev->kind == KT_SYSCALL ? ev->sys.dur :
		  ev->kind == KT_BLOCK_RQ ? ev->blk.service_ns : 0;

	return d <= ev->ts ? ev->ts - d : 0;
}

/* Field types of the schema (how a field is typed, not how it is encoded). */
enum kt_ftype {
	KT_F_U32 = 1,
	KT_F_S32 = 2,
	KT_F_U64 = 3,
	KT_F_S64 = 4,
	KT_F_STR = 5,          /* __u32 string handle */
};

struct kt_field {
	const char *name;
	__u16 off;             /* offset in struct kt_event */
	__u8 type;             /* enum kt_ftype */
	__u8 enc;              /* column encoding, format-internal */
};

struct kt_kind_info {
	const char *name;      /* "sched_switch", "syscall", ... */
	__u32 family;          /* enum kt_family */
	__u32 nfields;
	const struct kt_field *fields; /* payload fields, in column order */
};

/*
 * A field's value with its schema type.  Read .s for the signed types
 * (KT_F_S32 sign-extended: a negative value comes back negative), .u for
 * the others (KT_F_U32 and KT_F_STR zero-extended; a string field's value
 * is its handle).  Both members hold the same 64 bits, so .u of a signed
 * value is its two's complement, as the column encoders store it.
 */
struct kt_value {
	__u8 type;             /* enum kt_ftype */
	union {
		__u64 u;
		__s64 s;
	};
};

/* kt_ftype_signed - 1 for KT_F_S32 and KT_F_S64, else 0. */
static inline int kt_ftype_signed(unsigned type)
{
	return type == KT_F_S32 || type == KT_F_S64;
}

/* kt_ftype_size - bytes a field of @type occupies in struct kt_event. */
static inline size_t kt_ftype_size(unsigned type)
{
	return type == KT_F_U64 || type == KT_F_S64 ? 8 : 4;
}

/*
 * kt_field_get - the value of field @f (one of kt_kind_info(ev->kind)'s)
 * in @ev.  The one way to read an event generically, by schema: the
 * column encoder, replay's JSON and every exporter use it.  Never fails.
 */
static inline struct kt_value kt_field_get(const struct kt_event *ev,
					   const struct kt_field *f)
{
	const unsigned char *p = (const unsigned char *)ev + f->off;
	struct kt_value v = { .type = f->type };
	__u32 v32;

	if (kt_ftype_size(f->type) == 8) {
		memcpy(&v.u, p, 8);
	} else {
		memcpy(&v32, p, 4);
		v.u = f->type == KT_F_S32 ? (__u64)(__s64)(__s32)v32 : v32;
	}
	return v;
}

/*
 * kt_field_set - store @v in field @f of @ev, truncated to the field's
 * width: a 32-bit field keeps the low 32 bits, so a signed value is given
 * as its two's complement ((__u64)-5 stores -5 in a KT_F_S32 field).
 */
static inline void kt_field_set(struct kt_event *ev, const struct kt_field *f,
				__u64 v)
{
	unsigned char *p = (unsigned char *)ev + f->off;
	__u32 v32 = (__u32)v;

	if (kt_ftype_size(f->type) == 8)
		memcpy(p, &v, 8);
	else
		memcpy(p, &v32, 4);
}

/* kt_kind_info - schema of @kind, or NULL for KT_NONE or an unknown kind. */
const struct kt_kind_info *kt_kind_info(unsigned kind);

/* kt_family_name - "sched", "proc", ... or NULL if @fam is unknown. */
const char *kt_family_name(unsigned fam);

/* kt_lost_cause_name - "ring_full", "recursion", "switch_gap", "filtered",
 * "pcap", or NULL if @cause is unknown (enum kt_lost_cause). */
const char *kt_lost_cause_name(unsigned cause);

/*
 * kt_families_parse - parse a comma-separated family list ("sched,proc",
 * "all") into a kind mask.  Returns 0, or -EINVAL with the offending name
 * copied into @bad (size @badsz).
 */
int kt_families_parse(const char *list, __u64 *kind_mask, char *bad,
		      size_t badsz);

#endif /* !__KT_BPF__ */
#endif /* KT_EVENT_H */
