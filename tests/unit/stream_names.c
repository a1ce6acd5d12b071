// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* names.h: every table and formatter, at its edges. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "kt_test.h"
#include "format/event.h"
#include "analyze/names.h"

static const char *nn(const char *s)
{
	return s ? s : "(null)";
}

#define STREQ(got, want)                                                \
	KT_ASSERT(!strcmp(nn(got), (want)), "got '%s' want '%s'",       \
		  nn(got), (want))

KT_TEST(stream_names_syscalls_errnos)
{
	STREQ(kt_syscall_name(0), "read");
	STREQ(kt_syscall_name(257), "openat");
	STREQ(kt_syscall_name(110), "getppid");
	KT_ASSERT(!kt_syscall_name(100000), "unknown nr");
	KT_ASSERT(kt_syscall_nr("getppid") == 110, "nr of getppid");
	KT_ASSERT(kt_syscall_nr("nosuch") == -ENOENT, "unknown name");
	KT_ASSERT(kt_syscall_args(257) == KT_SYSARGS_OPENAT &&
		  kt_syscall_args(0) == KT_SYSARGS_FD_BYTES &&
		  kt_syscall_args(3) == KT_SYSARGS_FD &&
		  kt_syscall_args(42) == KT_SYSARGS_SOCKADDR &&
		  kt_syscall_args(202) == KT_SYSARGS_FUTEX &&
		  kt_syscall_args(110) == KT_SYSARGS_NONE, "arg layouts");
	KT_ASSERT(kt_syscall_ret_ptr(9) && !kt_syscall_ret_ptr(0), "mmap ptr");
	STREQ(kt_errno_name(ENOENT), "ENOENT");
	STREQ(kt_errno_name(EAGAIN), "EAGAIN");
	STREQ(kt_errno_name(133), "EHWPOISON");
	STREQ(kt_errno_desc(ENOENT), "No such file or directory");
	STREQ(kt_errno_name(512), "ERESTARTSYS");
	STREQ(kt_errno_name(516), "ERESTART_RESTARTBLOCK");
	KT_ASSERT(!kt_errno_name(0) && !kt_errno_name(-1) &&
		  !kt_errno_name(520) && !kt_errno_name(4000), "unknown errnos");
	KT_ASSERT(kt_errno_from_name("ECONNREFUSED") == ECONNREFUSED &&
		  kt_errno_from_name("ERESTARTSYS") == 512 &&
		  kt_errno_from_name("EWHAT") == -ENOENT, "from name");
	return KT_PASS;
}

KT_TEST(stream_names_signals_exit)
{
	char b[KT_NAME_MAX];

	STREQ(kt_signal_name(9), "SIGKILL");
	STREQ(kt_signal_name(31), "SIGSYS");
	STREQ(kt_signal_name(32), "SIGRTMIN");
	STREQ(kt_signal_name(35), "SIGRTMIN+3");
	STREQ(kt_signal_name(64), "SIGRTMAX");
	KT_ASSERT(!kt_signal_name(0) && !kt_signal_name(65), "out of range");
	KT_ASSERT(kt_signal_from_name("SIGTERM") == 15 &&
		  kt_signal_from_name("KILL") == 9 &&
		  kt_signal_from_name("10") == 10 &&
		  kt_signal_from_name("RTMIN+1") == 33 &&
		  kt_signal_from_name("0") == -EINVAL &&
		  kt_signal_from_name("SIGNOPE") == -EINVAL &&
		  kt_signal_from_name("") == -EINVAL, "signal from name");
	STREQ(kt_si_code_name(0), "SI_USER");
	STREQ(kt_si_code_name(-6), "SI_TKILL");
	STREQ(kt_si_code_name(0x80), "SI_KERNEL");
	KT_ASSERT(!kt_si_code_name(1), "CLD_EXITED is per-signal");
	STREQ(kt_signal_result_name(2), "already_pending");
	KT_ASSERT(!kt_signal_result_name(5), "result 5");
	kt_fmt_exit(b, sizeof(b), 0);
	STREQ(b, "exit 0");
	kt_fmt_exit(b, sizeof(b), 7 << 8);
	STREQ(b, "exit 7");
	kt_fmt_exit(b, sizeof(b), 9);
	STREQ(b, "signal SIGKILL");
	kt_fmt_exit(b, sizeof(b), 11 | 0x80);
	STREQ(b, "signal SIGSEGV (core dumped)");
	kt_fmt_exit(b, sizeof(b), 0x7e);
	STREQ(b, "signal 126");
	KT_ASSERT(kt_fmt_exit(b, 5, 7 << 8) == 4 && !strcmp(b, "exit"),
		  "truncation: '%s'", b);
	return KT_PASS;
}

KT_TEST(stream_names_sched_tcp_block)
{
	char b[KT_NAME_MAX];

	KT_ASSERT(kt_task_state_letter(KT_STATE_RUNNABLE) == 'R' &&
		  kt_task_state_letter(KT_STATE_DISK | KT_STATE_WAKEKILL) == 'D' &&
		  kt_task_state_letter(KT_STATE_TRACED) == 't' &&
		  kt_task_state_letter(KT_STATE_IDLE) == 'I' &&
		  kt_task_state_letter(77) == '?', "letters");
	STREQ(kt_task_state_name(KT_STATE_SLEEPING), "sleeping");
	STREQ(kt_context_name(KT_CTX_SOFTIRQ), "softirq");
	KT_ASSERT(!kt_context_name(4), "ctx 4");
	STREQ(kt_tcp_state_name(1), "ESTABLISHED");
	STREQ(kt_tcp_state_name(10), "LISTEN");
	STREQ(kt_tcp_state_name(12), "NEW_SYN_RECV");
	KT_ASSERT(!kt_tcp_state_name(0) && !kt_tcp_state_name(14), "tcp");
	STREQ(kt_block_op_name(1 | 1 << 11), "WRITE");
	STREQ(kt_block_op_name(9), "WRITE_ZEROES");
	KT_ASSERT(!kt_block_op_name(4), "op 4");
	kt_fmt_rwbs(b, sizeof(b), 1 | 1 << 11);
	STREQ(b, "WS");
	kt_fmt_rwbs(b, sizeof(b), 1 | 1 << 18 | 1 << 17 | 1 << 11);
	STREQ(b, "FWFS");
	kt_fmt_rwbs(b, sizeof(b), 0 | 1 << 19 | 1 << 12);
	STREQ(b, "RAM");
	kt_fmt_rwbs(b, sizeof(b), 5);
	STREQ(b, "DE");
	kt_fmt_rwbs(b, sizeof(b), 34);
	STREQ(b, "N");
	kt_fmt_dev(b, sizeof(b), 259 << 20 | 3);
	STREQ(b, "259:3");
	STREQ(kt_rss_member_name(3), "shmem");
	return KT_PASS;
}

KT_TEST(stream_names_flags)
{
	char b[KT_NAME_MAX];

	kt_fmt_open_flags(b, sizeof(b), O_RDONLY);
	STREQ(b, "O_RDONLY");
	kt_fmt_open_flags(b, sizeof(b), O_WRONLY | O_CREAT | O_TRUNC |
			  O_CLOEXEC);
	STREQ(b, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	kt_fmt_open_flags(b, sizeof(b), O_RDWR | O_SYNC);
	STREQ(b, "O_RDWR|O_SYNC");
	kt_fmt_open_flags(b, sizeof(b), O_RDWR | O_DSYNC);
	STREQ(b, "O_RDWR|O_DSYNC");
	kt_fmt_open_flags(b, sizeof(b), O_RDWR | O_TMPFILE);
	STREQ(b, "O_RDWR|O_TMPFILE");
	kt_fmt_open_flags(b, sizeof(b), O_RDONLY | O_DIRECTORY | 0x80000000);
	STREQ(b, "O_RDONLY|O_DIRECTORY|0x80000000");
	KT_ASSERT(kt_fmt_open_flags(b, 9, O_WRONLY | O_CREAT) == 8 &&
		  !strcmp(b, "O_WRONLY"), "truncated '%s'", b);
	kt_fmt_dirfd(b, sizeof(b), AT_FDCWD);
	STREQ(b, "AT_FDCWD");
	kt_fmt_dirfd(b, sizeof(b), 7);
	STREQ(b, "7");
	kt_fmt_futex_op(b, sizeof(b), 0);
	STREQ(b, "FUTEX_WAIT");
	kt_fmt_futex_op(b, sizeof(b), 1 | 128);
	STREQ(b, "FUTEX_WAKE_PRIVATE");
	kt_fmt_futex_op(b, sizeof(b), 9 | 128 | 256);
	STREQ(b, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	kt_fmt_futex_op(b, sizeof(b), 99);
	STREQ(b, "FUTEX_OP_99");
	return KT_PASS;
}

KT_TEST(stream_names_addresses)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(443) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(8443) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK, .nl_pid = 77 };
	size_t off = offsetof(struct sockaddr_un, sun_path);
	__u64 a[2] = { 0, 0 };
	char b[KT_SOCKADDR_MAX];

	sin.sin_addr.s_addr = htonl(0xc0a80102);
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	kt_fmt_sockaddr(b, sizeof(b), &sin, sizeof(sin));
	STREQ(b, "192.168.1.2:443");
	kt_fmt_sockaddr(b, sizeof(b), &sin6, sizeof(sin6));
	STREQ(b, "[2001:db8::1]:8443");
	kt_fmt_sockaddr(b, sizeof(b), &sin, 4);
	STREQ(b, "?");
	kt_fmt_sockaddr(b, sizeof(b), &sin, 1);
	STREQ(b, "?");
	memcpy(sun.sun_path, "/tmp/s", sizeof("/tmp/s"));
	kt_fmt_sockaddr(b, sizeof(b), &sun, off + 7);
	STREQ(b, "unix:/tmp/s");
	memcpy(sun.sun_path, "\0abs", 4);
	kt_fmt_sockaddr(b, sizeof(b), &sun, off + 4);
	STREQ(b, "unix:@abs");
	kt_fmt_sockaddr(b, sizeof(b), &sun, off);
	STREQ(b, "unix:(unnamed)");
	memcpy(sun.sun_path, "\0a\nb\\", 5);
	kt_fmt_sockaddr(b, sizeof(b), &sun, off + 5);
	STREQ(b, "unix:@a\\x0ab\\x5c");
	kt_fmt_sockaddr(b, sizeof(b), &snl, sizeof(snl));
	STREQ(b, "netlink:pid=77");
	sin.sin_family = AF_PACKET;
	kt_fmt_sockaddr(b, sizeof(b), &sin, sizeof(sin));
	STREQ(b, "family 17");
	memcpy(a, "\x0a\x00\x00\x02", 4);
	kt_fmt_ipport(b, sizeof(b), AF_INET, a, 22);
	STREQ(b, "10.0.0.2:22");
	memcpy(a, &sin6.sin6_addr, 16);
	kt_fmt_ip(b, sizeof(b), AF_INET6, a);
	STREQ(b, "2001:db8::1");
	kt_fmt_ip(b, sizeof(b), 99, a);
	STREQ(b, "?");
	kt_fmt_file_id(b, sizeof(b), KT_FILE_ID(S_IFSOCK, 99));
	STREQ(b, "socket:[99]");
	kt_fmt_file_id(b, sizeof(b), KT_FILE_ID(S_IFREG, 5678));
	STREQ(b, "file:[5678]");
	return KT_PASS;
}

KT_TEST(stream_names_packets)
{
	/* Linux cooked v1, IPv6 UDP [::1]:53 > [::1]:5353 */
	unsigned char sll[16 + 48] = { [14] = 0x86, [15] = 0xdd };
	/* Ethernet + 802.1Q + ARP */
	unsigned char arp[18] = { [12] = 0x81, [13] = 0x00, [16] = 0x08,
				  [17] = 0x06 };
	unsigned char ip4[20] = { 0x45, [9] = 1, [12] = 10, [15] = 1,
				  [16] = 10, [19] = 2 };
	char b[KT_SOCKADDR_MAX];

	sll[16] = 0x60;
	sll[16 + 6] = 17;
	sll[16 + 23] = 1;
	sll[16 + 39] = 1;
	sll[16 + 40] = 0;
	sll[16 + 41] = 53;
	sll[16 + 42] = 0x14;
	sll[16 + 43] = 0xe9;
	kt_fmt_packet(b, sizeof(b), 113, sll, sizeof(sll));
	STREQ(b, "::1:53 > ::1:5353 udp");
	kt_fmt_packet(b, sizeof(b), 1, arp, sizeof(arp));
	STREQ(b, "arp");
	kt_fmt_packet(b, sizeof(b), 101, ip4, sizeof(ip4));
	STREQ(b, "10.0.0.1 > 10.0.0.2 icmp");
	kt_fmt_packet(b, sizeof(b), 101, ip4, 19);
	STREQ(b, "?");
	kt_fmt_packet(b, sizeof(b), 1, arp, 13);
	STREQ(b, "?");
	kt_fmt_packet(b, sizeof(b), 999, arp, sizeof(arp));
	STREQ(b, "?");
	return KT_PASS;
}
