// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* replay: the arguments that record.more_args captures keep (mmap,
 * munmap, mprotect, lseek, ioctl, fstat, the *at() dirfd), as strace
 * prints them; blank in captures without the flag; and the names of
 * clone flags and socket protocols (issue 15). */
#include <stdio.h>
#include <sys/syscall.h>
#include "analyze/names.h"
#include "stream_util.h"

static struct tstrs S;

static size_t build(struct kt_event *e)
{
	struct kt_event *b = e;
	__u64 t = 5 * SEC;

	memset(&S, 0, sizeof(S));
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_mmap, 500, 0x7f0000000000);
	e->sys.arg[1] = 8192;
	e++->sys.arg[2] = 0xffffffffULL | 3ULL << 32 | 0x22ULL << 40;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_mmap, 500, 0x7f0000010000);
	e->sys.arg[0] = 0x7f0000010000;
	e->sys.arg[1] = 4096;
	e++->sys.arg[2] = 3 | 5ULL << 32 | 0x812ULL << 40;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_munmap, 500, 0);
	e->sys.arg[0] = 0x7f0000000000;
	e++->sys.arg[1] = 8192;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_mprotect, 500, 0);
	e->sys.arg[0] = 0x7f0000001000;
	e++->sys.arg[1] = 4096;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_lseek, 500, 1050);
	e->sys.arg[0] = 3;
	e->sys.arg[1] = (__u64)-194;
	e++->sys.arg[2] = SEEK_CUR;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_ioctl, 500, -25);
	e->sys.arg[0] = 1;
	e++->sys.arg[1] = 0x5413;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_ioctl, 500, 0);
	e->sys.arg[0] = 1;
	e++->sys.arg[1] = 0xdead;
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_newfstatat, 500, 0);
	e->sys.arg[0] = (__u64)-100;
	e++->sys.str = tstr(&S, "/etc");
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_newfstatat, 500, 0);
	e->sys.arg[0] = 3;
	e++->sys.str = tstr(&S, "");
	*e = ev_sys(t += 1000, 0, 200, 200, SYS_fstat, 500, 0);
	e++->sys.arg[0] = 3;
	return e - b;
}

static const char want_more[] =
"             cat     200 [000] 5.000000500: syscall: mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1) = 0x7f0000000000 <0.000000500>\n"
"             cat     200 [000] 5.000001500: syscall: mmap(0x7f0000010000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3) = 0x7f0000010000 <0.000000500>\n"
"             cat     200 [000] 5.000002500: syscall: munmap(0x7f0000000000, 8192) = 0 <0.000000500>\n"
"             cat     200 [000] 5.000003500: syscall: mprotect(0x7f0000001000, 4096, PROT_NONE) = 0 <0.000000500>\n"
"             cat     200 [000] 5.000004500: syscall: lseek(3, -194, SEEK_CUR) = 1050 <0.000000500>\n"
"             cat     200 [000] 5.000005500: syscall: ioctl(1, TIOCGWINSZ) = -25 ENOTTY <0.000000500>\n"
"             cat     200 [000] 5.000006500: syscall: ioctl(1, 0xdead) = 0 <0.000000500>\n"
"             cat     200 [000] 5.000007500: syscall: newfstatat(AT_FDCWD, \"/etc\") = 0 <0.000000500>\n"
"             cat     200 [000] 5.000008500: syscall: newfstatat(3, \"\") = 0 <0.000000500>\n"
"             cat     200 [000] 5.000009500: syscall: fstat(3) = 0 <0.000000500>\n";

KT_TEST(stream_replay_more_args)
{
	struct kt_replay_names nm = { .more_args = true };
	struct kt_replay_opts opts = { .names = &nm };
	struct kt_event evs[16];
	size_t n = build(evs);

	EXPECT_STR("text", run_replay(evs, n, &S.tab, &opts), want_more);
	return KT_PASS;
}

/* a capture without record.more_args: its arg[] are zeros, not NULLs */
KT_TEST(stream_replay_more_args_absent)
{
	struct kt_replay_names nm = { 0 };
	struct kt_replay_opts opts = { .names = &nm };
	struct kt_event evs[16];
	size_t n = build(evs);
	char *out = run_replay(evs, n, &S.tab, &opts);

	KT_ASSERT(out, "replay failed");
	KT_ASSERT(strstr(out, "syscall: mmap() = 0x7f0000000000") &&
		  strstr(out, "syscall: lseek() = 1050") &&
		  strstr(out, "syscall: newfstatat(\"/etc\") = 0") &&
		  !strstr(out, "NULL"), "blanks: %s", out);
	free(out);
	return KT_PASS;
}

KT_TEST(names_clone_proto)
{
	char buf[256];

	kt_fmt_clone_flags(buf, sizeof(buf), 0x01200011, false);
	EXPECT_STR("clone", strdup(buf),
		   "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	kt_fmt_clone_flags(buf, sizeof(buf), 0x3d0f00, true);
	EXPECT_STR("clone3", strdup(buf),
		   "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
		   "CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|"
		   "CLONE_CHILD_CLEARTID");
	kt_fmt_clone_flags(buf, sizeof(buf), 17, false);
	EXPECT_STR("fork", strdup(buf), "SIGCHLD");
	kt_fmt_mmap_flags(buf, sizeof(buf), 0x22 | 0x8000000);
	EXPECT_STR("mmap", strdup(buf), "MAP_PRIVATE|MAP_ANONYMOUS|0x8000000");
	KT_ASSERT(!strcmp(kt_sock_proto_name(2, 6), "IPPROTO_TCP") &&
		  !strcmp(kt_sock_proto_name(10, 0), "IPPROTO_IP") &&
		  !strcmp(kt_sock_proto_name(16, 0), "NETLINK_ROUTE") &&
		  !kt_sock_proto_name(1, 0), "protocol names");
	return KT_PASS;
}
