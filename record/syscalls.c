// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * syscalls.c - which syscalls carry which arguments (format/event.h's
 * table), by name, turned into the per-number class table the BPF
 * programs read; and --syscalls.  Names come from build/gen/syscalls.h,
 * generated from this architecture's unistd headers, so the table follows
 * the numbering of the machine that records.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "record.h"
#include "record_int.h"

static const char *const sys_names[] = {
#include "syscalls.h"
};

#define NSYS (sizeof(sys_names) / sizeof(sys_names[0]))

static const struct {
	const char *name;
	__u8 cls;
} sys_classes[] = {
	{ "read", KTR_SC_FD_COUNT },
	{ "write", KTR_SC_FD_COUNT },
	{ "pread64", KTR_SC_FD_COUNT },
	{ "pwrite64", KTR_SC_FD_COUNT },
	{ "sendto", KTR_SC_FD_COUNT },
	{ "recvfrom", KTR_SC_FD_COUNT },
	{ "readv", KTR_SC_FD_VEC },
	{ "writev", KTR_SC_FD_VEC },
	{ "sendmsg", KTR_SC_FD_VEC },
	{ "recvmsg", KTR_SC_FD_VEC },
	{ "sendfile", KTR_SC_SENDFILE },
	{ "splice", KTR_SC_SPLICE },
	{ "close", KTR_SC_FD },
	{ "fsync", KTR_SC_FD },
	{ "fdatasync", KTR_SC_FD },
	{ "openat", KTR_SC_OPENAT },
	{ "openat2", KTR_SC_OPENAT2 },
	{ "open", KTR_SC_OPEN },
	{ "creat", KTR_SC_PATH0 },
	{ "execve", KTR_SC_EXECVE },
	{ "execveat", KTR_SC_EXECVEAT },
	{ "unlink", KTR_SC_PATH0 },
	{ "unlinkat", KTR_SC_PATH1 },
	{ "mkdir", KTR_SC_PATH0 },
	{ "mkdirat", KTR_SC_PATH1 },
	{ "rmdir", KTR_SC_PATH0 },
	{ "stat", KTR_SC_PATH0 },
	{ "lstat", KTR_SC_PATH0 },
	{ "newfstatat", KTR_SC_PATH1 },
	{ "statx", KTR_SC_PATH1 },
	{ "access", KTR_SC_PATH0 },
	{ "faccessat", KTR_SC_PATH1 },
	{ "faccessat2", KTR_SC_PATH1 },
	{ "chdir", KTR_SC_PATH0 },
	{ "readlink", KTR_SC_PATH0 },
	{ "readlinkat", KTR_SC_PATH1 },
	{ "rename", KTR_SC_RENAME },
	{ "renameat", KTR_SC_RENAMEAT },
	{ "renameat2", KTR_SC_RENAMEAT },
	{ "connect", KTR_SC_SOCKADDR_IN },
	{ "bind", KTR_SC_SOCKADDR_IN },
	{ "accept", KTR_SC_SOCKADDR_OUT },
	{ "accept4", KTR_SC_ACCEPT4 },
	{ "futex", KTR_SC_FUTEX },
	{ "nanosleep", KTR_SC_NANOSLEEP },
	{ "clock_nanosleep", KTR_SC_CLOCK_NANOSLEEP },
	{ "poll", KTR_SC_POLL_MS_DX },
	{ "epoll_wait", KTR_SC_POLL_MS_R10 },
	{ "epoll_pwait", KTR_SC_POLL_MS_R10 },
	{ "ppoll", KTR_SC_POLL_TS_DX },
	{ "pselect6", KTR_SC_POLL_TS_R8 },
	{ "select", KTR_SC_POLL_TV_R8 },
	{ "kill", KTR_SC_KILL },
	{ "tkill", KTR_SC_KILL },
	{ "tgkill", KTR_SC_TGKILL },
	{ "wait4", KTR_SC_WAIT4 },
	{ "waitid", KTR_SC_WAITID },
	/* format 1.2: the fd table (analyze/fds.h) */
	{ "socket", KTR_SC_ARGS3 },
	{ "socketpair", KTR_SC_SOCKETPAIR },
	{ "pipe", KTR_SC_PIPE },
	{ "pipe2", KTR_SC_PIPE2 },
	{ "dup", KTR_SC_ARGS1 },
	{ "dup2", KTR_SC_ARGS2 },
	{ "dup3", KTR_SC_ARGS3 },
	{ "fcntl", KTR_SC_ARGS3 },
	{ "close_range", KTR_SC_ARGS3 },
	{ "fchdir", KTR_SC_ARGS1 },
	{ "clone", KTR_SC_ARGS1 },
	{ "clone3", KTR_SC_CLONE3 },
	{ "epoll_create1", KTR_SC_ARGS1 },
	{ "eventfd2", KTR_SC_ARGS2 },
	{ "timerfd_create", KTR_SC_ARGS2 },
	{ "inotify_init1", KTR_SC_ARGS1 },
	{ "pidfd_open", KTR_SC_ARGS2 },
	{ "memfd_create", KTR_SC_MEMFD },
	/* record.more_args: what strace shows of memory and fd control */
	{ "mmap", KTR_SC_MMAP },
	{ "munmap", KTR_SC_ARGS2 },
	{ "mprotect", KTR_SC_ARGS3 },
	{ "lseek", KTR_SC_ARGS3 },
	{ "ioctl", KTR_SC_ARGS2 },
	{ "fstat", KTR_SC_ARGS1 },
	/* record.id_args: who a process becomes (record -u, su, sudo) */
	{ "setuid", KTR_SC_ARGS1 },
	{ "setgid", KTR_SC_ARGS1 },
	{ "setgroups", KTR_SC_ARGS1 },
};

const char *kt_sys_name(__u32 nr)
{
	return nr < NSYS ? sys_names[nr] : NULL;
}

int kt_sys_nr(const char *name, size_t len)
{
	for (size_t i = 0; i < NSYS; i++)
		if (sys_names[i] && strlen(sys_names[i]) == len &&
		    !strncmp(sys_names[i], name, len))
			return i;
	return -ENOENT;
}

static __u8 class_of(const char *name)
{
	for (size_t i = 0; i < sizeof(sys_classes) / sizeof(sys_classes[0]); i++)
		if (!strcmp(sys_classes[i].name, name))
			return sys_classes[i].cls;
	return KTR_SC_NONE;
}

/* Walk a comma-separated list; calls @fn(nr) for each name. */
static int each_name(const char *list, __u8 *tab, char *bad, size_t badsz)
{
	const char *p = list, *end;
	size_t n;
	int nr;

	for (;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		nr = kt_sys_nr(p, n);
		if (nr < 0 || nr >= KTR_NR_MAX) {
			if (bad && badsz)
				snprintf(bad, badsz, "%.*s", (int)n, p);
			return -EINVAL;
		}
		if (tab)
			tab[nr] = class_of(sys_names[nr]);
		if (!end)
			return 0;
		p = end + 1;
	}
}

int kt_record_syscalls_parse(const char *list, char *bad, size_t badsz)
{
	return each_name(list, NULL, bad, badsz);
}

int kt_sys_class_table(__u8 tab[KTR_NR_MAX], const char *list)
{
	size_t nr;

	if (!list) {
		for (nr = 0; nr < KTR_NR_MAX; nr++)
			tab[nr] = nr < NSYS && sys_names[nr] ?
				  class_of(sys_names[nr]) : KTR_SC_NONE;
		return 0;
	}
	memset(tab, KTR_SC_OFF, KTR_NR_MAX);
	return each_name(list, tab, NULL, 0);
}
