// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * names.c - number-to-name tables.  Syscall and errno names come from the
 * kernel headers at build time (build/gen/syscalls.h, build/gen/errnos.h,
 * see the Makefile), so they match the architecture we build on; the rest
 * are small static tables of stable kernel ABI values.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "format/event.h"
#include "analyze/names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const syscall_names[] = {
#include "syscalls.h"
};

const char *kt_syscall_name(unsigned nr)
{
	return nr < ARRAY_SIZE(syscall_names) ? syscall_names[nr] : NULL;
}

int kt_syscall_nr(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(syscall_names); i++)
		if (syscall_names[i] && !strcmp(syscall_names[i], name))
			return (int)i;
	return -ENOENT;
}

enum kt_sysargs kt_syscall_args(unsigned nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_readv: case SYS_writev: case SYS_sendto: case SYS_recvfrom:
	case SYS_sendmsg: case SYS_recvmsg: case SYS_sendfile: case SYS_splice:
		return KT_SYSARGS_FD_BYTES;
	case SYS_close: case SYS_fsync: case SYS_fdatasync:
		return KT_SYSARGS_FD;
	case SYS_openat: case SYS_openat2:
		return KT_SYSARGS_OPENAT;
	case SYS_open:
		return KT_SYSARGS_OPEN;
	case SYS_execve: case SYS_execveat: case SYS_unlink: case SYS_unlinkat:
	case SYS_mkdir: case SYS_rmdir: case SYS_stat: case SYS_lstat:
	case SYS_newfstatat: case SYS_statx: case SYS_access:
	case SYS_faccessat: case SYS_faccessat2:
		return KT_SYSARGS_PATH;
	case SYS_rename: case SYS_renameat: case SYS_renameat2:
		return KT_SYSARGS_RENAME;
	case SYS_connect: case SYS_bind:
		return KT_SYSARGS_SOCKADDR;
	case SYS_accept: case SYS_accept4:
		return KT_SYSARGS_ACCEPT;
	case SYS_futex:
		return KT_SYSARGS_FUTEX;
	case SYS_nanosleep: case SYS_clock_nanosleep:
		return KT_SYSARGS_SLEEP;
	case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_poll:
	case SYS_ppoll: case SYS_select: case SYS_pselect6:
		return KT_SYSARGS_TIMEOUT;
	case SYS_kill: case SYS_tkill: case SYS_tgkill:
		return KT_SYSARGS_KILL;
	case SYS_wait4: case SYS_waitid:
		return KT_SYSARGS_WAIT;
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
		return KT_SYSARGS_CLONE;
	default:
		return KT_SYSARGS_NONE;
	}
}

int kt_syscall_ret_ptr(unsigned nr)
{
	return nr == SYS_mmap || nr == SYS_mremap || nr == SYS_brk ||
	       nr == SYS_shmat;
}

static size_t clamp_len(int n, size_t sz)
{
	return n < 0 ? 0 : (size_t)n < sz ? (size_t)n : sz - 1;
}

/* A tiny appender for the flag formatters: keeps NUL termination and
 * truncation in one place. */
struct sbuf {
	char *p;
	size_t sz, n;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t l = strlen(s);

	if (b->n + 1 >= b->sz)
		return;
	if (l > b->sz - 1 - b->n)
		l = b->sz - 1 - b->n;
	memcpy(b->p + b->n, s, l);
	b->n += l;
	b->p[b->n] = 0;
}

/* ---------------------------------------------------------------- errno */

struct errno_name {
	const char *name;
	const char *desc;
};

static const struct errno_name errno_names[] = {
#include "errnos.h"
};

/* Kernel-internal codes (include/linux/errno.h) that a syscall-exit
 * tracepoint sees before signal handling turns them into EINTR or a
 * restart. */
static const struct errno_name errno_kernel[] = {
	[512 - 512] = { "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	[513 - 512] = { "ERESTARTNOINTR", "To be restarted" },
	[514 - 512] = { "ERESTARTNOHAND", "To be restarted if no handler" },
	[515 - 512] = { "ENOIOCTLCMD", "No ioctl command" },
	[516 - 512] = { "ERESTART_RESTARTBLOCK",
			"Interrupted by signal (restart block)" },
	[517 - 512] = { "EPROBE_DEFER", "Driver requests probe retry" },
	[518 - 512] = { "EOPENSTALE", "Open found a stale dentry" },
	[519 - 512] = { "ENOPARAM", "Parameter not supported" },
	[521 - 512] = { "EBADHANDLE", "Illegal NFS file handle" },
	[522 - 512] = { "ENOTSYNC", "Update synchronization mismatch" },
	[523 - 512] = { "EBADCOOKIE", "Cookie is stale" },
	[524 - 512] = { "ENOTSUPP", "Operation is not supported" },
	[525 - 512] = { "ETOOSMALL", "Buffer or request is too small" },
	[526 - 512] = { "ESERVERFAULT", "An untranslatable error occurred" },
	[527 - 512] = { "EBADTYPE", "Type not supported by server" },
	[528 - 512] = { "EJUKEBOX", "Request initiated, but will not complete" },
	[529 - 512] = { "EIOCBQUEUED", "iocb queued, will get completion event" },
	[530 - 512] = { "ERECALLCONFLICT", "Conflict with recalled state" },
};

static const struct errno_name *errno_lookup(int err)
{
	const struct errno_name *e = NULL;

	if (err > 0 && (size_t)err < ARRAY_SIZE(errno_names))
		e = &errno_names[err];
	else if (err >= 512 && (size_t)(err - 512) < ARRAY_SIZE(errno_kernel))
		e = &errno_kernel[err - 512];
	return e && e->name ? e : NULL;
}

const char *kt_errno_name(int err)
{
	const struct errno_name *e = errno_lookup(err);

	return e ? e->name : NULL;
}

const char *kt_errno_ret_name(__s64 ret)
{
	return ret < 0 && ret >= -4095 ? kt_errno_name((int)-ret) : NULL;
}

const char *kt_errno_desc(int err)
{
	const struct errno_name *e = errno_lookup(err);

	return e ? e->desc : NULL;
}

int kt_errno_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].name && !strcmp(errno_names[i].name, name))
			return (int)i;
	for (size_t i = 0; i < ARRAY_SIZE(errno_kernel); i++)
		if (errno_kernel[i].name && !strcmp(errno_kernel[i].name, name))
			return (int)(i + 512);
	return -ENOENT;
}

/* -------------------------------------------------------------- signals */

static const char *const signal_names[] = {
	[1] = "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
	/* the kernel's real-time range starts at 32 (glibc reserves 32-33) */
	"SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4",
	"SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9",
	"SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13",
	"SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17",
	"SIGRTMIN+18", "SIGRTMIN+19", "SIGRTMIN+20", "SIGRTMIN+21",
	"SIGRTMIN+22", "SIGRTMIN+23", "SIGRTMIN+24", "SIGRTMIN+25",
	"SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29",
	"SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMAX",
};

const char *kt_signal_name(unsigned signo)
{
	return signo < ARRAY_SIZE(signal_names) ? signal_names[signo] : NULL;
}

int kt_signal_from_name(const char *name)
{
	char *end;
	long v;

	if (!name || !*name)
		return -EINVAL;
	v = strtol(name, &end, 10);
	if (!*end)
		return v > 0 && (size_t)v < ARRAY_SIZE(signal_names) ?
		       (int)v : -EINVAL;
	for (size_t i = 1; i < ARRAY_SIZE(signal_names); i++)
		if (!strcmp(signal_names[i], name) ||
		    !strcmp(signal_names[i] + 3, name))
			return (int)i;
	return -EINVAL;
}

const char *kt_si_code_name(int code)
{
	switch (code) {
	case 0: return "SI_USER";
	case 0x80: return "SI_KERNEL";
	case -1: return "SI_QUEUE";
	case -2: return "SI_TIMER";
	case -3: return "SI_MESGQ";
	case -4: return "SI_ASYNCIO";
	case -5: return "SI_SIGIO";
	case -6: return "SI_TKILL";
	case -7: return "SI_DETHREAD";
	case -60: return "SI_ASYNCNL";
	default: return NULL;
	}
}

const char *kt_signal_kernel_cause(unsigned signo, int code)
{
	static const char *const cld[] = {
		NULL, "child exited", "child killed", "child dumped core",
		"child trapped", "child stopped", "child continued",
	};

	if (!kt_signal_by_kernel(code))
		return NULL;
	switch (signo) {
	case SIGCHLD:
		return code < (int)ARRAY_SIZE(cld) ? cld[code] : NULL;
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		return "fault";
	case SIGIO:
		return code == 0x80 ? NULL : "I/O ready";
	case SIGSYS:
		return code == 1 ? "seccomp" : NULL;
	}
	return NULL;
}

const char *kt_signal_result_name(int result)
{
	static const char *const names[] = {
		"delivered", "ignored", "already_pending", "overflow_fail",
		"lose_info",
	};

	return result >= 0 && (size_t)result < ARRAY_SIZE(names) ?
	       names[result] : NULL;
}

size_t kt_fmt_exit(char *buf, size_t sz, __s32 exit_code)
{
	unsigned sig = exit_code & 0x7f;
	const char *name;
	int n;

	if (!sig)
		n = snprintf(buf, sz, "exit %d", (exit_code >> 8) & 0xff);
	else if ((name = kt_signal_name(sig)))
		n = snprintf(buf, sz, "signal %s%s", name,
			     exit_code & 0x80 ? " (core dumped)" : "");
	else
		n = snprintf(buf, sz, "signal %u%s", sig,
			     exit_code & 0x80 ? " (core dumped)" : "");
	return clamp_len(n, sz);
}

/* ---------------------------------------------------------------- sched */

char kt_task_state_letter(__u32 state)
{
	static const char letters[] = "RSDTtXZPI";

	state &= KT_STATE_MASK;
	return state < sizeof(letters) - 1 ? letters[state] : '?';
}

const char *kt_task_state_name(__u32 state)
{
	static const char *const names[] = {
		"runnable", "sleeping", "disk", "stopped", "traced", "dead",
		"zombie", "parked", "idle",
	};

	state &= KT_STATE_MASK;
	return state < ARRAY_SIZE(names) ? names[state] : NULL;
}

const char *kt_context_name(unsigned ctx)
{
	static const char *const names[] = {
		"task", "softirq", "hardirq", "nmi",
	};

	return ctx < ARRAY_SIZE(names) ? names[ctx] : NULL;
}

/* ------------------------------------------------------------ net, disk */

const char *kt_tcp_state_name(unsigned state)
{
	static const char *const names[] = {
		[1] = "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE",
	};

	return state < ARRAY_SIZE(names) ? names[state] : NULL;
}

const char *kt_tcp_sock_state_name(const struct kt_tcp *t)
{
	if (!t->sock && !t->newstate)
		return "NO_SOCKET";
	return kt_tcp_state_name(t->newstate);
}

size_t kt_fmt_ip(char *buf, size_t sz, unsigned family, const __u64 addr[2])
{
	char tmp[INET6_ADDRSTRLEN];

	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, addr, tmp, sizeof(tmp)))
		return clamp_len(snprintf(buf, sz, "?"), sz);
	return clamp_len(snprintf(buf, sz, "%s", tmp), sz);
}

size_t kt_fmt_ipport(char *buf, size_t sz, unsigned family,
		     const __u64 addr[2], unsigned port)
{
	char tmp[INET6_ADDRSTRLEN];

	kt_fmt_ip(tmp, sizeof(tmp), family, addr);
	if (family == AF_INET6)
		return clamp_len(snprintf(buf, sz, "[%s]:%u", tmp, port), sz);
	return clamp_len(snprintf(buf, sz, "%s:%u", tmp, port), sz);
}

/* @prefix and @n path bytes, non-printable ones as \xNN: abstract
 * names are binary as often as not */
static size_t unix_path(char *buf, size_t sz, const char *prefix,
			const unsigned char *path, size_t n)
{
	struct sbuf b = { buf, sz, 0 };
	char c[5];

	buf[0] = 0;
	sb_add(&b, prefix);
	for (size_t i = 0; i < n; i++) {
		if (path[i] >= 0x20 && path[i] < 0x7f && path[i] != '\\')
			snprintf(c, sizeof(c), "%c", path[i]);
		else
			snprintf(c, sizeof(c), "\\x%02x", path[i]);
		sb_add(&b, c);
	}
	return b.n;
}

size_t kt_fmt_sockaddr(char *buf, size_t sz, const void *sa, size_t len)
{
	const unsigned char *p = sa;
	__u64 addr[2] = { 0, 0 };
	sa_family_t fam;
	__u16 port;
	__u32 nlpid;
	size_t off, plen;

	if (len < sizeof(fam))
		return clamp_len(snprintf(buf, sz, "?"), sz);
	memcpy(&fam, p, sizeof(fam));
	switch (fam) {
	case AF_INET:
		if (len < sizeof(struct sockaddr_in))
			break;
		memcpy(&port, p + offsetof(struct sockaddr_in, sin_port), 2);
		memcpy(addr, p + offsetof(struct sockaddr_in, sin_addr), 4);
		return kt_fmt_ipport(buf, sz, AF_INET, addr, ntohs(port));
	case AF_INET6:
		if (len < sizeof(struct sockaddr_in6))
			break;
		memcpy(&port, p + offsetof(struct sockaddr_in6, sin6_port), 2);
		memcpy(addr, p + offsetof(struct sockaddr_in6, sin6_addr), 16);
		return kt_fmt_ipport(buf, sz, AF_INET6, addr, ntohs(port));
	case AF_UNIX:
		off = offsetof(struct sockaddr_un, sun_path);
		if (len <= off)
			return clamp_len(snprintf(buf, sz, "unix:(unnamed)"), sz);
		plen = len - off;
		if (p[off] == 0)        /* abstract: NUL then name bytes */
			return unix_path(buf, sz, "unix:@", p + off + 1,
					 plen - 1);
		return unix_path(buf, sz, "unix:", p + off,
				 strnlen((const char *)p + off, plen));
	case AF_NETLINK:
		if (len < sizeof(struct sockaddr_nl))
			break;
		memcpy(&nlpid, p + offsetof(struct sockaddr_nl, nl_pid), 4);
		return clamp_len(snprintf(buf, sz, "netlink:pid=%u", nlpid), sz);
	default:
		return clamp_len(snprintf(buf, sz, "family %u", fam), sz);
	}
	return clamp_len(snprintf(buf, sz, "?"), sz);
}

/* REQ_OP_* as of Linux 6.x (6.18 here; the zone operations moved to odd
 * numbers in 6.5, commit "block: renumber REQ_OP_WRITE_ZEROES and zone
 * ops").  Older kernels differ only in the zone range. */
const char *kt_block_op_name(__u32 op)
{
	switch (op & 0xff) {
	case 0: return "READ";
	case 1: return "WRITE";
	case 2: return "FLUSH";
	case 3: return "DISCARD";
	case 5: return "SECURE_ERASE";
	case 7: return "ZONE_APPEND";
	case 9: return "WRITE_ZEROES";
	case 11: return "ZONE_OPEN";
	case 13: return "ZONE_CLOSE";
	case 15: return "ZONE_FINISH";
	case 17: return "ZONE_RESET";
	case 19: return "ZONE_RESET_ALL";
	case 34: return "DRV_IN";
	case 35: return "DRV_OUT";
	default: return NULL;
	}
}

/* REQ_* flag bits (enum req_flag_bits), stable since 4.10 */
#define KT_REQ_SYNC (1u << 11)
#define KT_REQ_META (1u << 12)
#define KT_REQ_FUA (1u << 17)
#define KT_REQ_PREFLUSH (1u << 18)
#define KT_REQ_RAHEAD (1u << 19)

size_t kt_fmt_rwbs(char *buf, size_t sz, __u32 op)
{
	char s[8];
	size_t n = 0;

	if (op & KT_REQ_PREFLUSH)
		s[n++] = 'F';
	switch (op & 0xff) {
	case 1: case 7: s[n++] = 'W'; break;
	case 3: s[n++] = 'D'; break;
	case 5: s[n++] = 'D'; s[n++] = 'E'; break;
	case 2: s[n++] = 'F'; break;
	case 0: s[n++] = 'R'; break;
	default: s[n++] = 'N'; break;
	}
	if (op & KT_REQ_FUA)
		s[n++] = 'F';
	if (op & KT_REQ_RAHEAD)
		s[n++] = 'A';
	if (op & KT_REQ_SYNC)
		s[n++] = 'S';
	if (op & KT_REQ_META)
		s[n++] = 'M';
	s[n] = 0;
	n = n < sz ? n : sz - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return n;
}

size_t kt_fmt_dev(char *buf, size_t sz, __u32 dev)
{
	return clamp_len(snprintf(buf, sz, "%u:%u", dev >> 20, dev & 0xfffff),
			 sz);
}

/* ---------------------------------------------------------- fs, futex */

const char *kt_rss_member_name(unsigned member)
{
	static const char *const names[] = { "file", "anon", "swap", "shmem" };

	return member < ARRAY_SIZE(names) ? names[member] : NULL;
}

size_t kt_fmt_open_flags(char *buf, size_t sz, __u64 flags)
{
	static const struct { __u64 bit; const char *name; } bits[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" },
		{ O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
		/* O_SYNC is __O_SYNC | O_DSYNC: test it before O_DSYNC */
		{ O_SYNC, "O_SYNC" }, { O_DSYNC, "O_DSYNC" },
		{ O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" },
		/* O_TMPFILE is __O_TMPFILE | O_DIRECTORY */
		{ O_TMPFILE, "O_TMPFILE" },
		{ 0100000, "O_LARGEFILE" }, { O_DIRECTORY, "O_DIRECTORY" },
		{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
		{ O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
	};
	static const char *const acc[] = {
		"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"
	};
	struct sbuf b = { buf, sz, 0 };
	char hex[24];

	buf[0] = 0;
	sb_add(&b, acc[flags & O_ACCMODE]);
	flags &= ~(__u64)O_ACCMODE;
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if ((flags & bits[i].bit) != bits[i].bit)
			continue;
		sb_add(&b, "|");
		sb_add(&b, bits[i].name);
		flags &= ~bits[i].bit;
	}
	if (flags) {
		snprintf(hex, sizeof(hex), "|%#llx", (unsigned long long)flags);
		sb_add(&b, hex);
	}
	return b.n;
}

size_t kt_fmt_dirfd(char *buf, size_t sz, __s64 fd)
{
	if (fd == AT_FDCWD)
		return clamp_len(snprintf(buf, sz, "AT_FDCWD"), sz);
	return clamp_len(snprintf(buf, sz, "%lld", (long long)fd), sz);
}

size_t kt_fmt_futex_op(char *buf, size_t sz, __u64 op)
{
	static const char *const cmds[] = {
		"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE",
		"FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI",
		"FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET",
		"FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
		"FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
	};
	struct sbuf b = { buf, sz, 0 };
	unsigned cmd = op & 127;
	char tmp[40];

	buf[0] = 0;
	if (cmd < ARRAY_SIZE(cmds)) {
		sb_add(&b, cmds[cmd]);
	} else {
		snprintf(tmp, sizeof(tmp), "FUTEX_OP_%u", cmd);
		sb_add(&b, tmp);
	}
	if (op & 128)
		sb_add(&b, "_PRIVATE");
	if (op & 256)
		sb_add(&b, "|FUTEX_CLOCK_REALTIME");
	op &= ~(__u64)511;
	if (op) {
		snprintf(tmp, sizeof(tmp), "|%#llx", (unsigned long long)op);
		sb_add(&b, tmp);
	}
	return b.n;
}

/* ------------------------------------------------------------- packets */

const char *kt_file_type_name(__u64 id)
{
	switch (KT_FILE_ID_TYPE(id)) {
	case S_IFIFO: return "pipe";
	case S_IFSOCK: return "socket";
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	case S_IFLNK: return "link";
	default: return "anon";
	}
}

size_t kt_fmt_file_id(char *buf, size_t sz, __u64 id)
{
	return clamp_len(snprintf(buf, sz, "%s:[%llu]", kt_file_type_name(id),
				  (unsigned long long)KT_FILE_ID_INO(id)), sz);
}

static __u16 get_be16(const unsigned char *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/* The transport part: ports and TCP flags. */
static void fmt_l4(struct sbuf *b, unsigned proto, const unsigned char *p,
		   size_t n, char *src, char *dst)
{
	static const char tcpflags[] = "FSRPAUEC";
	char tmp[64], fl[12];
	size_t k = 0;

	if ((proto == 6 || proto == 17) && n >= 4) {
		snprintf(tmp, sizeof(tmp), "%s:%u > %s:%u %s", src,
			 get_be16(p), dst, get_be16(p + 2),
			 proto == 6 ? "tcp" : "udp");
		sb_add(b, tmp);
		if (proto == 6 && n >= 14) {
			for (int i = 0; i < 8; i++)
				if (p[13] & (1 << i))
					fl[k++] = i == 4 ? '.' : tcpflags[i];
			fl[k] = 0;
			snprintf(tmp, sizeof(tmp), " [%s]", fl);
			sb_add(b, tmp);
		}
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s > %s ", src, dst);
	sb_add(b, tmp);
	if (proto == 1)
		sb_add(b, "icmp");
	else if (proto == 58)
		sb_add(b, "icmp6");
	else if (proto == 6 || proto == 17)
		sb_add(b, proto == 6 ? "tcp" : "udp");
	else {
		snprintf(tmp, sizeof(tmp), "proto %u", proto);
		sb_add(b, tmp);
	}
}

static void fmt_ip(struct sbuf *b, const unsigned char *p, size_t n)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t hl;

	if (n >= 20 && (p[0] >> 4) == 4) {
		hl = (p[0] & 15) * 4;
		if (hl < 20 || hl > n)
			goto bad;
		inet_ntop(AF_INET, p + 12, src, sizeof(src));
		inet_ntop(AF_INET, p + 16, dst, sizeof(dst));
		fmt_l4(b, p[9], p + hl, n - hl, src, dst);
		return;
	}
	if (n >= 40 && (p[0] >> 4) == 6) {
		inet_ntop(AF_INET6, p + 8, src, sizeof(src));
		inet_ntop(AF_INET6, p + 24, dst, sizeof(dst));
		fmt_l4(b, p[6], p + 40, n - 40, src, dst);
		return;
	}
bad:
	sb_add(b, "?");
}

size_t kt_fmt_packet(char *buf, size_t sz, unsigned linktype,
		     const void *data, size_t caplen)
{
	const unsigned char *p = data;
	struct sbuf b = { buf, sz, 0 };
	size_t off;
	__u16 et;

	buf[0] = 0;
	switch (linktype) {
	case 1:                 /* DLT_EN10MB */
		off = 12;
		break;
	case 113:               /* DLT_LINUX_SLL: protocol at 14 */
		off = 14;
		break;
	case 276:               /* DLT_LINUX_SLL2: protocol first */
		off = 0;
		break;
	case 12: case 14: case 101:     /* raw IP */
		fmt_ip(&b, p, caplen);
		return b.n;
	default:
		sb_add(&b, "?");
		return b.n;
	}
	if (caplen < off + 2)
		goto bad;
	et = get_be16(p + off);
	off = linktype == 276 ? 20 : linktype == 113 ? 16 : 14;
	while (et == 0x8100 || et == 0x88a8) {  /* VLAN tags */
		if (caplen < off + 4)
			goto bad;
		et = get_be16(p + off + 2);
		off += 4;
	}
	if (et == 0x0806) {
		sb_add(&b, "arp");
		return b.n;
	}
	if (et != 0x0800 && et != 0x86dd)
		goto bad;
	fmt_ip(&b, p + off, caplen - off);
	return b.n;
bad:
	sb_add(&b, "?");
	return b.n;
}
