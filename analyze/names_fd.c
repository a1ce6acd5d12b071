// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * names_fd.c - names of the fd-table syscalls' arguments (names.h):
 * the layouts format 1.2 added, address families, socket types, fcntl
 * commands.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "analyze/names.h"

enum kt_sysargs kt_syscall_args_v(unsigned nr, bool fd_args)
{
	if (!fd_args)
		return kt_syscall_args(nr);
	switch (nr) {
	case SYS_dup: case SYS_dup2: case SYS_dup3:
		return KT_SYSARGS_DUP;
	case SYS_fcntl:
		return KT_SYSARGS_FCNTL;
	case SYS_socket:
		return KT_SYSARGS_SOCKET;
	case SYS_pipe: case SYS_pipe2: case SYS_socketpair:
		return KT_SYSARGS_FDPAIR;
	case SYS_close_range:
		return KT_SYSARGS_CLOSE_RANGE;
	case SYS_fchdir:
		return KT_SYSARGS_FD;
	case SYS_memfd_create:
		return KT_SYSARGS_PATH;
	default:
		return kt_syscall_args(nr);
	}
}

const char *kt_af_name(unsigned family)
{
	static const char *const names[] = {
		[AF_UNSPEC] = "AF_UNSPEC", [AF_UNIX] = "AF_UNIX",
		[AF_INET] = "AF_INET", [AF_INET6] = "AF_INET6",
		[AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
		[AF_VSOCK] = "AF_VSOCK", [AF_ALG] = "AF_ALG",
		[AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_KEY] = "AF_KEY",
	};

	return family < sizeof(names) / sizeof(names[0]) ? names[family] : NULL;
}

size_t kt_fmt_socktype(char *buf, size_t sz, __u64 type)
{
	static const char *const base[] = {
		[SOCK_STREAM] = "SOCK_STREAM", [SOCK_DGRAM] = "SOCK_DGRAM",
		[SOCK_RAW] = "SOCK_RAW", [SOCK_RDM] = "SOCK_RDM",
		[SOCK_SEQPACKET] = "SOCK_SEQPACKET", [SOCK_PACKET] = "SOCK_PACKET",
	};
	unsigned t = type & 0xf;
	__u64 rest = type & ~(__u64)(0xf | SOCK_CLOEXEC | SOCK_NONBLOCK);
	int n;

	n = t < sizeof(base) / sizeof(base[0]) && base[t] ?
	    snprintf(buf, sz, "%s", base[t]) : snprintf(buf, sz, "%u", t);
	if (n >= 0 && (size_t)n < sz && (type & SOCK_CLOEXEC))
		n += snprintf(buf + n, sz - n, "|SOCK_CLOEXEC");
	if (n >= 0 && (size_t)n < sz && (type & SOCK_NONBLOCK))
		n += snprintf(buf + n, sz - n, "|SOCK_NONBLOCK");
	if (n >= 0 && (size_t)n < sz && rest)
		n += snprintf(buf + n, sz - n, "|%#llx", (unsigned long long)rest);
	return n < 0 ? 0 : (size_t)n < sz ? (size_t)n : sz - 1;
}

const char *kt_fcntl_cmd_name(__u64 cmd, int *has_arg)
{
	static const struct {
		unsigned cmd;
		const char *name;
		int arg;
	} t[] = {
		{ F_DUPFD, "F_DUPFD", 1 }, { F_GETFD, "F_GETFD", 0 },
		{ F_SETFD, "F_SETFD", 1 }, { F_GETFL, "F_GETFL", 0 },
		{ F_SETFL, "F_SETFL", 1 }, { F_GETLK, "F_GETLK", 2 },
		{ F_SETLK, "F_SETLK", 2 }, { F_SETLKW, "F_SETLKW", 2 },
		{ F_SETOWN, "F_SETOWN", 1 }, { F_GETOWN, "F_GETOWN", 0 },
		{ F_SETSIG, "F_SETSIG", 1 }, { F_GETSIG, "F_GETSIG", 0 },
		{ F_OFD_GETLK, "F_OFD_GETLK", 2 },
		{ F_OFD_SETLK, "F_OFD_SETLK", 2 },
		{ F_OFD_SETLKW, "F_OFD_SETLKW", 2 },
		{ F_SETLEASE, "F_SETLEASE", 1 }, { F_GETLEASE, "F_GETLEASE", 0 },
		{ F_NOTIFY, "F_NOTIFY", 1 },
		{ F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC", 1 },
		{ F_SETPIPE_SZ, "F_SETPIPE_SZ", 1 },
		{ F_GETPIPE_SZ, "F_GETPIPE_SZ", 0 },
		{ F_ADD_SEALS, "F_ADD_SEALS", 1 },
		{ F_GET_SEALS, "F_GET_SEALS", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].cmd == cmd) {
			if (has_arg)
				*has_arg = t[i].arg;
			return t[i].name;
		}
	if (has_arg)
		*has_arg = 1;
	return NULL;
}
