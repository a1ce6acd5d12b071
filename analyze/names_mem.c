// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * names_mem.c - names of the arguments that record.more_args captures
 * keep (format/event.h): mmap's prot and flags, lseek's whence, common
 * ioctl requests; and clone's flags and socket protocols, as strace
 * prints them.  x86-64 values (the recorder's architecture).
 */
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include "analyze/names.h"

struct bit {
	__u64 bit;
	const char *name;
};

/* @v's bits by name, "|"-joined, the rest as "|0x..."; "@zero" when 0 */
static size_t bits(char *buf, size_t sz, __u64 v, const struct bit *t,
		   size_t n, const char *zero)
{
	size_t len = 0;
	int w;

	buf[0] = 0;
	if (!v)
		return (size_t)snprintf(buf, sz, "%s", zero) < sz ?
		       strlen(buf) : sz - 1;
	for (size_t i = 0; i < n && len + 1 < sz; i++) {
		if ((v & t[i].bit) != t[i].bit)
			continue;
		w = snprintf(buf + len, sz - len, "%s%s", len ? "|" : "",
			     t[i].name);
		len += w < 0 ? 0 : (size_t)w;
		v &= ~t[i].bit;
	}
	if (v && len + 1 < sz) {
		w = snprintf(buf + len, sz - len, "%s%#llx", len ? "|" : "",
			     (unsigned long long)v);
		len += w < 0 ? 0 : (size_t)w;
	}
	return len < sz ? len : sz - 1;
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

size_t kt_fmt_mmap_prot(char *buf, size_t sz, __u64 prot)
{
	static const struct bit t[] = {
		{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" },
		{ PROT_EXEC, "PROT_EXEC" }, { 0x8, "PROT_SEM" },
		{ PROT_GROWSDOWN, "PROT_GROWSDOWN" },
		{ PROT_GROWSUP, "PROT_GROWSUP" },
	};

	return bits(buf, sz, prot, t, N(t), "PROT_NONE");
}

size_t kt_fmt_mmap_flags(char *buf, size_t sz, __u64 flags)
{
	static const struct bit t[] = {
		{ 0x03, "MAP_SHARED_VALIDATE" }, { MAP_SHARED, "MAP_SHARED" },
		{ MAP_PRIVATE, "MAP_PRIVATE" }, { MAP_FIXED, "MAP_FIXED" },
		{ MAP_ANONYMOUS, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" },
		{ MAP_GROWSDOWN, "MAP_GROWSDOWN" },
		{ MAP_DENYWRITE, "MAP_DENYWRITE" },
		{ MAP_EXECUTABLE, "MAP_EXECUTABLE" }, { MAP_LOCKED, "MAP_LOCKED" },
		{ MAP_NORESERVE, "MAP_NORESERVE" }, { MAP_POPULATE, "MAP_POPULATE" },
		{ MAP_NONBLOCK, "MAP_NONBLOCK" }, { MAP_STACK, "MAP_STACK" },
		{ MAP_HUGETLB, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
		{ 0x100000, "MAP_FIXED_NOREPLACE" },
	};

	return bits(buf, sz, flags, t, N(t), "0");
}

size_t kt_fmt_clone_flags(char *buf, size_t sz, __u64 flags, bool clone3)
{
	static const struct bit t[] = {
		{ CLONE_VM, "CLONE_VM" }, { CLONE_FS, "CLONE_FS" },
		{ CLONE_FILES, "CLONE_FILES" }, { CLONE_SIGHAND, "CLONE_SIGHAND" },
		{ 0x1000, "CLONE_PIDFD" }, { CLONE_PTRACE, "CLONE_PTRACE" },
		{ CLONE_VFORK, "CLONE_VFORK" }, { CLONE_PARENT, "CLONE_PARENT" },
		{ CLONE_THREAD, "CLONE_THREAD" }, { CLONE_NEWNS, "CLONE_NEWNS" },
		{ CLONE_SYSVSEM, "CLONE_SYSVSEM" }, { CLONE_SETTLS, "CLONE_SETTLS" },
		{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
		{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
		{ CLONE_UNTRACED, "CLONE_UNTRACED" },
		{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
		{ 0x02000000, "CLONE_NEWCGROUP" }, { CLONE_NEWUTS, "CLONE_NEWUTS" },
		{ CLONE_NEWIPC, "CLONE_NEWIPC" }, { CLONE_NEWUSER, "CLONE_NEWUSER" },
		{ CLONE_NEWPID, "CLONE_NEWPID" }, { CLONE_NEWNET, "CLONE_NEWNET" },
		{ CLONE_IO, "CLONE_IO" },
		{ 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
		{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
	};
	/* clone(): the low byte is the exit signal (SIGCHLD) */
	__u64 sig = clone3 ? 0 : flags & 0xff;
	size_t n = bits(buf, sz, flags & ~sig, t, N(t), "0");
	const char *s = sig ? kt_signal_name((unsigned)sig) : NULL;
	int w;

	if (!sig)
		return n;
	if (n == 1 && buf[0] == '0')
		n = 0;
	w = s ? snprintf(buf + n, sz - n, "%s%s", n ? "|" : "", s)
	      : snprintf(buf + n, sz - n, "%s%llu", n ? "|" : "",
			 (unsigned long long)sig);
	n += w < 0 ? 0 : (size_t)w;
	return n < sz ? n : sz - 1;
}

const char *kt_sock_proto_name(unsigned family, __u64 proto)
{
	if (family == AF_INET || family == AF_INET6) {
		switch (proto) {
		case IPPROTO_IP: return "IPPROTO_IP";
		case IPPROTO_ICMP: return "IPPROTO_ICMP";
		case IPPROTO_TCP: return "IPPROTO_TCP";
		case IPPROTO_UDP: return "IPPROTO_UDP";
		case IPPROTO_ICMPV6: return "IPPROTO_ICMPV6";
		case IPPROTO_SCTP: return "IPPROTO_SCTP";
		case IPPROTO_UDPLITE: return "IPPROTO_UDPLITE";
		case IPPROTO_RAW: return "IPPROTO_RAW";
		case IPPROTO_MPTCP: return "IPPROTO_MPTCP";
		}
	} else if (family == AF_NETLINK) {
		switch (proto) {
		case NETLINK_ROUTE: return "NETLINK_ROUTE";
		case NETLINK_SOCK_DIAG: return "NETLINK_SOCK_DIAG";
		case NETLINK_AUDIT: return "NETLINK_AUDIT";
		case NETLINK_KOBJECT_UEVENT: return "NETLINK_KOBJECT_UEVENT";
		case NETLINK_GENERIC: return "NETLINK_GENERIC";
		}
	}
	return NULL;
}

const char *kt_lseek_whence_name(__u64 whence)
{
	static const char *const t[] = {
		"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE",
	};

	return whence < N(t) ? t[whence] : NULL;
}

const char *kt_ioctl_name(__u64 req)
{
	static const struct {
		unsigned req;
		const char *name;
	} t[] = {
		{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" },
		{ 0x5404, "TCSETSF" }, { 0x540b, "TCFLSH" }, { 0x540e, "TIOCSCTTY" },
		{ 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" },
		{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
		{ 0x541b, "FIONREAD" }, { 0x5421, "FIONBIO" },
		{ 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" },
		{ 0x5452, "FIOASYNC" }, { 0x8912, "SIOCGIFCONF" },
		{ 0x8933, "SIOCGIFINDEX" }, { 0x80086601, "FS_IOC_GETFLAGS" },
		{ 0x40086602, "FS_IOC_SETFLAGS" }, { 0x40049409, "BTRFS_IOC_CLONE" },
		{ 0xc020660b, "FS_IOC_FIEMAP" }, { 0x80081272, "BLKGETSIZE64" },
	};

	for (size_t i = 0; i < N(t); i++)
		if (t[i].req == req)
			return t[i].name;
	return NULL;
}

enum kt_sysargs kt_syscall_args_more(unsigned nr)
{
	switch (nr) {
	case SYS_mmap: return KT_SYSARGS_MMAP;
	case SYS_munmap: return KT_SYSARGS_MUNMAP;
	case SYS_mprotect: return KT_SYSARGS_MPROTECT;
	case SYS_lseek: return KT_SYSARGS_LSEEK;
	case SYS_ioctl: return KT_SYSARGS_IOCTL;
	case SYS_fstat: return KT_SYSARGS_FD;
	case SYS_unlinkat: case SYS_mkdirat: case SYS_newfstatat:
	case SYS_statx: case SYS_faccessat: case SYS_faccessat2:
	case SYS_readlinkat:
		return KT_SYSARGS_PATHAT;
	default:
		return KT_SYSARGS_NONE;
	}
}
