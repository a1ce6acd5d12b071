/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * names.h - the names of the numbers that events carry: syscalls, errnos,
 * signals, TCP states, block operations, task states, open flags, futex
 * operations, socket addresses, exit statuses.  Shared by every analyzer
 * and renderer that prints an event.
 *
 * Two shapes:
 *  - kt_*_name() look a number up in a table and return a static string,
 *    or NULL when the number is unknown (the caller prints the number).
 *  - kt_fmt_*() compose a string into @buf of size @sz (at least 1) like
 *    snprintf: always NUL-terminated, return the length of the result
 *    (truncated to sz - 1).  KT_NAME_MAX is enough for every one of them
 *    except paths inside sockaddrs, which KT_SOCKADDR_MAX covers.
 *
 * Numbers are those of x86-64 Linux (the capture's metadata names the
 * architecture and the kernel release); block REQ_* values are those of
 * the kernel this was built on (6.x; see names.c).
 */
#ifndef KT_NAMES_H
#define KT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define KT_NAME_MAX 128
#define KT_SOCKADDR_MAX 160

/* ------------------------------------------------------------- syscalls */

/* kt_syscall_name - "openat" for 257, or NULL when @nr is unknown. */
const char *kt_syscall_name(unsigned nr);

/* kt_syscall_nr - the number of syscall @name, or -ENOENT. */
int kt_syscall_nr(const char *name);

/*
 * How kt_syscall.arg[] and .str are laid out for a syscall (event.h's
 * table); what a printer or an analyzer may read from the record.
 */
enum kt_sysargs {
	KT_SYSARGS_NONE = 0,    /* nothing recorded beyond nr/ret/dur */
	KT_SYSARGS_FD_BYTES,    /* arg0 fd, arg1 requested bytes */
	KT_SYSARGS_FD,          /* arg0 fd */
	KT_SYSARGS_OPENAT,      /* arg0 dirfd, arg1 flags, arg2 mode, str */
	KT_SYSARGS_OPEN,        /* arg1 flags, arg2 mode, str path */
	KT_SYSARGS_PATH,        /* str path */
	KT_SYSARGS_RENAME,      /* str "old\0new" */
	KT_SYSARGS_SOCKADDR,    /* arg0 fd, str raw sockaddr (connect, bind) */
	KT_SYSARGS_ACCEPT,      /* arg0 fd, str peer sockaddr */
	KT_SYSARGS_FUTEX,       /* arg0 uaddr, arg1 op, arg2 val */
	KT_SYSARGS_SLEEP,       /* arg0 requested ns */
	KT_SYSARGS_TIMEOUT,     /* arg1 timeout ms, (u64)-1 = none */
	KT_SYSARGS_KILL,        /* arg0 target, arg1 signo */
	KT_SYSARGS_WAIT,        /* arg0 pid argument */
	KT_SYSARGS_CLONE,       /* ret = child tid; format 1.2: arg0 flags */
	/* format 1.2 (kt_syscall_args_v with fd_args): */
	KT_SYSARGS_DUP,         /* arg0 old fd; dup2/dup3: arg1 new fd;
				 * dup3: arg2 flags */
	KT_SYSARGS_FCNTL,       /* arg0 fd, arg1 cmd, arg2 arg */
	KT_SYSARGS_SOCKET,      /* arg0 family, arg1 type, arg2 protocol */
	KT_SYSARGS_FDPAIR,      /* pipe, pipe2, socketpair: arg0 fd0 | fd1 <<
				 * 32, arg1 flags (socketpair: type |
				 * domain << 32), arg2 file id of fd0 */
	KT_SYSARGS_CLOSE_RANGE, /* arg0 first, arg1 last, arg2 flags */
	/* record.more_args (kt_syscall_args_more): */
	KT_SYSARGS_MMAP,        /* arg0 addr, arg1 len, arg2 fd | prot << 32
				 * | flags << 40 */
	KT_SYSARGS_MUNMAP,      /* arg0 addr, arg1 len */
	KT_SYSARGS_MPROTECT,    /* arg0 addr, arg1 len, arg2 prot */
	KT_SYSARGS_LSEEK,       /* arg0 fd, arg1 offset, arg2 whence */
	KT_SYSARGS_IOCTL,       /* arg0 fd, arg1 request */
	KT_SYSARGS_PATHAT,      /* arg0 dirfd, str path */
};

/* kt_syscall_args - the argument layout of syscall @nr in any capture. */
enum kt_sysargs kt_syscall_args(unsigned nr);

/* kt_syscall_args_v - the layout in a capture whose recorder fills the
 * format 1.2 fd-table arguments (@fd_args: metadata record.fd_args):
 * those syscalls read a 0 as a blank in older captures.  names_fd.c. */
enum kt_sysargs kt_syscall_args_v(unsigned nr, bool fd_args);

/* ------------------------------------------- more args (names_mem.c) */

/* kt_syscall_args_more - the layout of @nr in a capture whose metadata
 * says record.more_args (mmap, munmap, mprotect, lseek, ioctl, fstat,
 * and the dirfd of the *at() path calls); KT_SYSARGS_NONE for the rest,
 * whose layout kt_syscall_args_v gives. */
enum kt_sysargs kt_syscall_args_more(unsigned nr);

/* kt_fmt_mmap_prot - "PROT_READ|PROT_WRITE", "PROT_NONE". */
size_t kt_fmt_mmap_prot(char *buf, size_t sz, __u64 prot);

/* kt_fmt_mmap_flags - "MAP_PRIVATE|MAP_ANONYMOUS", unknown bits as
 * "|0x...". */
size_t kt_fmt_mmap_flags(char *buf, size_t sz, __u64 flags);

/* kt_fmt_clone_flags - "CLONE_VM|CLONE_FS|...|SIGCHLD"; @clone3: no exit
 * signal in the low byte (clone3 has its own field). */
size_t kt_fmt_clone_flags(char *buf, size_t sz, __u64 flags, bool clone3);

/* kt_sock_proto_name - "IPPROTO_TCP", "NETLINK_ROUTE", ... for a protocol
 * of address family @family; NULL when unknown. */
const char *kt_sock_proto_name(unsigned family, __u64 proto);

/* kt_lseek_whence_name - "SEEK_SET" ... "SEEK_HOLE"; NULL when unknown. */
const char *kt_lseek_whence_name(__u64 whence);

/* kt_ioctl_name - "TCGETS", "FIONREAD", ... for common requests; NULL
 * when unknown (printed in hex). */
const char *kt_ioctl_name(__u64 req);

/* kt_af_name - "AF_INET" for 2, ...; NULL when unknown. */
const char *kt_af_name(unsigned family);

/* kt_fmt_socktype - "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK". */
size_t kt_fmt_socktype(char *buf, size_t sz, __u64 type);

/* kt_fcntl_cmd_name - "F_DUPFD_CLOEXEC", "F_SETFD", ...; NULL when
 * unknown.  OUT @has_arg (may be NULL): whether the command reads its
 * third argument (1 an integer, 2 a pointer). */
const char *kt_fcntl_cmd_name(__u64 cmd, int *has_arg);

/* kt_syscall_ret_ptr - true when @nr returns an address (mmap, brk, ...),
 * which prints in hex. */
int kt_syscall_ret_ptr(unsigned nr);

/* --------------------------------------------------------------- errors */

/* kt_errno_name - "ENOENT" for 2 (positive errno; kernel-internal ones
 * such as ERESTARTSYS included), or NULL. */
const char *kt_errno_name(int err);

/* kt_errno_ret_name - the errno name of a negative return value or
 * error field (-4095..-1: a syscall's ret, a block request's error), or
 * NULL for anything else (success, values, garbage). */
const char *kt_errno_ret_name(__s64 ret);

/* kt_errno_desc - "No such file or directory" for 2, or NULL. */
const char *kt_errno_desc(int err);

/* kt_errno_from_name - 2 for "ENOENT", or -ENOENT. */
int kt_errno_from_name(const char *name);

/* -------------------------------------------------------------- signals */

/* kt_signal_name - "SIGKILL" for 9, "SIGRTMIN+3" for 35, or NULL. */
const char *kt_signal_name(unsigned signo);

/* kt_signal_from_name - 9 for "SIGKILL", "KILL" or "9"; or -EINVAL. */
int kt_signal_from_name(const char *name);

/* kt_si_code_name - "SI_USER", "SI_TKILL", ... for codes <= 0 and
 * SI_KERNEL; NULL for signal-specific positive codes. */
const char *kt_si_code_name(int code);

/* kt_signal_by_kernel - whether a signal with si_code @code was sent by
 * the kernel (SI_KERNEL: the OOM killer, a fault's SIGSEGV, SIGPIPE...;
 * any positive code) rather than by the task that generated it (kill,
 * tkill, sigqueue, timers: codes <= 0). */
static inline int kt_signal_by_kernel(int code)
{
	return code > 0;
}

/* kt_signal_kernel_cause - why the kernel sent signal @signo with si_code
 * @code, as far as the code says: "child exited", "child killed", "child
 * dumped core", "child trapped", "child stopped", "child continued"
 * (SIGCHLD), "fault" (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP), "I/O
 * ready" (SIGIO), "seccomp" (SIGSYS); NULL when it does not say (the OOM
 * killer's SIGKILL is SI_KERNEL: its oom_victim event tells it) or the
 * kernel did not send it. */
const char *kt_signal_kernel_cause(unsigned signo, int code);

/* kt_signal_result_name - kt_signal.result of a generate event:
 * "delivered", "ignored", "already_pending", "overflow_fail",
 * "lose_info"; or NULL. */
const char *kt_signal_result_name(int result);

/* kt_fmt_exit - kt_proc_exit.exit_code as "exit 3", "signal SIGKILL",
 * "signal SIGSEGV (core dumped)". */
size_t kt_fmt_exit(char *buf, size_t sz, __s32 exit_code);

/* ---------------------------------------------------------------- sched */

/* kt_task_state_letter - 'R' 'S' 'D' 'T' 't' 'X' 'Z' 'P' 'I' for the
 * enum kt_task_state in the low byte of @state, '?' if unknown. */
char kt_task_state_letter(__u32 state);

/* kt_task_state_name - "runnable", "sleeping", "disk", "stopped",
 * "traced", "dead", "zombie", "parked", "idle"; or NULL. */
const char *kt_task_state_name(__u32 state);

/* kt_context_name - "task", "softirq", "hardirq", "nmi"; or NULL. */
const char *kt_context_name(unsigned ctx);

/* ------------------------------------------------------------ net, disk */

/* kt_tcp_state_name - "ESTABLISHED", "SYN_SENT", ...; or NULL. */
const char *kt_tcp_state_name(unsigned state);

/* kt_tcp_sock_state_name - the socket state of a retransmit or reset
 * (@t's newstate): as kt_tcp_state_name, and "NO_SOCKET" for a reset the
 * kernel sent for a segment that matched no socket (no cookie, state 0:
 * a connect to a closed port).  NULL when unknown. */
struct kt_tcp;
const char *kt_tcp_sock_state_name(const struct kt_tcp *t);

/* kt_fmt_ip - the address of a kt_tcp saddr/daddr ("10.0.0.1", "::1");
 * @family AF_INET or AF_INET6; other families print "?". */
size_t kt_fmt_ip(char *buf, size_t sz, unsigned family, const __u64 addr[2]);

/* kt_fmt_ipport - "10.0.0.1:80" or "[::1]:80". */
size_t kt_fmt_ipport(char *buf, size_t sz, unsigned family,
		     const __u64 addr[2], unsigned port);

/* kt_fmt_sockaddr - a raw struct sockaddr of @len bytes: "1.2.3.4:80",
 * "[2001:db8::1]:443", "unix:/run/x.sock", "unix:@abstract",
 * "unix:(unnamed)", "netlink:pid=0", "family 38"; "?" if too short. */
size_t kt_fmt_sockaddr(char *buf, size_t sz, const void *sa, size_t len);

/* kt_fmt_packet - a one-line summary of a captured packet's headers:
 * "10.0.0.1:5000 > 10.0.0.2:80 tcp [S.]", "::1 > ::1 icmp6",
 * "arp"; @linktype is the pcap DLT_* (Ethernet, Linux cooked v1/v2, raw
 * IP).  "?" when the headers are cut off or unknown. */
size_t kt_fmt_packet(char *buf, size_t sz, unsigned linktype,
		     const void *data, size_t caplen);

/* kt_file_type_name - the kind of object behind a file id: "pipe",
 * "socket", "file", "dir", "chr", "blk", "link" or "anon". */
const char *kt_file_type_name(__u64 id);

/* kt_fmt_file_id - a syscall's file id (event.h KT_FILE_ID) like
 * /proc/PID/fd links: "pipe:[1234]", "socket:[99]", "file:[5678]". */
size_t kt_fmt_file_id(char *buf, size_t sz, __u64 id);

/* kt_block_op_name - the REQ_OP_* name without prefix ("READ", "WRITE",
 * "FLUSH", "DISCARD", ...) of the low 8 bits of @op; or NULL. */
const char *kt_block_op_name(__u32 op);

/* kt_fmt_rwbs - the blktrace-style RWBS string of @op: "R", "WS", "FWFS",
 * "D", "RA", "N" for other operations. */
size_t kt_fmt_rwbs(char *buf, size_t sz, __u32 op);

/* kt_fmt_dev - a kernel dev_t (major << 20 | minor) as "8:16". */
size_t kt_fmt_dev(char *buf, size_t sz, __u32 dev);

/* Block devices by name: a capture's host.disks ("MAJOR:MINOR" -> "vda",
 * /proc/partitions when recording started; docs/format.md).  disks.c. */
struct kt_disks;
struct json_t;

/* kt_disks_new - the disks of @meta (none in captures made before the
 * table: numbers only).  NULL with errno ENOMEM. */
struct kt_disks *kt_disks_new(const struct json_t *meta);
void kt_disks_free(struct kt_disks *d);

/* kt_disks_name - "vda" for @dev, or NULL (@d may be NULL). */
const char *kt_disks_name(const struct kt_disks *d, __u32 dev);

/* kt_fmt_disk - @dev by name with its numbers beside it: "vda (254:0)",
 * or "vda(254:0)" when @compact (a table column); "254:0" when the
 * capture does not name it (@d may be NULL). */
size_t kt_fmt_disk(char *buf, size_t sz, const struct kt_disks *d, __u32 dev,
		   bool compact);

/* ---------------------------------------------------------- fs, futex */

/* kt_fmt_open_flags - "O_RDONLY|O_CLOEXEC", unknown bits as "|0x..." */
size_t kt_fmt_open_flags(char *buf, size_t sz, __u64 flags);

/* kt_fmt_dirfd - "AT_FDCWD" for -100, else the number. */
size_t kt_fmt_dirfd(char *buf, size_t sz, __s64 fd);

/* kt_fmt_futex_op - "FUTEX_WAIT_PRIVATE", "FUTEX_WAIT_BITSET|
 * FUTEX_CLOCK_REALTIME", unknown commands as "FUTEX_OP_17". */
size_t kt_fmt_futex_op(char *buf, size_t sz, __u64 op);

/* kt_rss_member_name - "file", "anon", "swap", "shmem"; or NULL. */
const char *kt_rss_member_name(unsigned member);

/* ------------------------------------------------------- words (names_words.c) */

/* kt_fmt_shell_word - @s as one word a POSIX shell reads back as @s: as
 * is when it holds only letters, digits and _@%+=:,./- ; else in single
 * quotes, a quote as '\''.  Into @buf of @sz bytes (truncated, always
 * terminated); returns the length written. */
size_t kt_fmt_shell_word(char *buf, size_t sz, const char *s);

/* kt_fmt_shell_argv - the JSON array of strings @argv (a capture's
 * record.argv) as a command line a shell runs again: words quoted with
 * kt_fmt_shell_word, separated by spaces.  Returns the length. */
size_t kt_fmt_shell_argv(char *buf, size_t sz, const struct json_t *argv);

/* kt_lost_cause_help - what a cause of the metadata's lost.causes means
 * ("ring_full": "a ring buffer was full (a larger -m helps)"); "" when
 * unknown. */
const char *kt_lost_cause_help(const char *cause);

#endif /* KT_NAMES_H */
