// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * record_convert.c - the pure parts of record/: ring records into events,
 * task-state normalization, block status, the syscall class table and the
 * option parsers.  Records are built by hand as bpf/ lays them out.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include "kt_test.h"
#include "record/record_int.h"
#include "convert_util.h"


static __u8 classes[KTR_NR_MAX];

static void conv_init(struct kt_conv *c, struct strs *t)
{
	memset(t, 0, sizeof(*t));
	memset(c, 0, sizeof(*c));       /* no --redact */
	kt_sys_class_table(classes, NULL);
	c->intern = intern;
	c->ctx = t;
	c->sys_class = classes;
}

static void hdr(struct ktr_hdr *h, unsigned kind, __u16 a16, __u32 a32)
{
	h->ts = 1000;
	h->tid = 11;
	h->pid = 10;
	h->kind = kind;
	h->a16 = a16;
	h->a32 = a32;
}

KT_TEST(record_norm_state)
{
	static const struct { __u32 raw, want; } t[] = {
		{ 0, KT_STATE_RUNNABLE },
		{ 0x1 | KTR_SW_PREEMPT, KT_STATE_RUNNABLE },
		{ 0x1, KT_STATE_SLEEPING },
		{ 0x2, KT_STATE_DISK },
		{ 0x102, KT_STATE_DISK | KT_STATE_WAKEKILL },   /* killable */
		{ 0x402, KT_STATE_IDLE },
		{ 0x104, KT_STATE_STOPPED | KT_STATE_WAKEKILL },
		{ 0x8, KT_STATE_TRACED },
		{ 0x80, KT_STATE_DEAD },
		{ 0x10, KT_STATE_DEAD },
		{ 0x20, KT_STATE_ZOMBIE },
		{ 0x40, KT_STATE_PARKED },
		{ 0x1000, KT_STATE_DISK },                      /* rtlock wait */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		KT_ASSERT(kt_norm_state(t[i].raw) == t[i].want,
			  "state %#x -> %#x, want %#x", t[i].raw,
			  kt_norm_state(t[i].raw), t[i].want);
	return KT_PASS;
}

KT_TEST(record_blk_errno)
{
	KT_ASSERT(kt_blk_errno(0) == 0, "ok");
	KT_ASSERT(kt_blk_errno(3) == -ENOSPC, "nospc");
	KT_ASSERT(kt_blk_errno(10) == -EIO, "ioerr");
	KT_ASSERT(kt_blk_errno(1000) == -EIO, "unknown status");
	return KT_PASS;
}

KT_TEST(record_convert_syscall)
{
	struct ktr_syscall_ext x = { 0 };
	struct kt_event ev;
	struct kt_conv c;
	struct strs t;
	int nr = kt_sys_nr("openat", 6), rn = kt_sys_nr("renameat2", 9);

	conv_init(&c, &t);
	/* the small record: no arguments */
	hdr(&x.s.h, KT_SYSCALL, kt_sys_nr("getppid", 7),
	    KT_SYSCALL_BLOCKED << KTR_SYS_FLAG_SHIFT);
	x.s.dur = 5;
	x.s.ret = 10;
	KT_ASSERT(kt_convert(&c, &x, sizeof(x.s), 1, &ev) == 1, "small");
	KT_ASSERT(ev.kind == KT_SYSCALL && ev.ts == 1000 && ev.tid == 11 &&
		  ev.pid == 10 && ev.cpu == 1, "header");
	KT_ASSERT(ev.sys.nr == (__u32)kt_sys_nr("getppid", 7) &&
		  ev.sys.dur == 5 && ev.sys.ret == 10 &&
		  ev.sys.flags == KT_SYSCALL_BLOCKED && !ev.sys.str &&
		  !ev.sys.arg[0], "payload");
	/* a string record truncated to the small size is refused */
	hdr(&x.s.h, KT_SYSCALL, nr, KTR_SYS_ARGS | KTR_SYS_STR | 4);
	KT_ASSERT(kt_convert(&c, &x, sizeof(x.s), 0, &ev) == -EBADMSG,
		  "short string record accepted");
	/* openat with its path */
	x.arg[0] = (__u64)-100;
	x.arg[1] = 0x241;
	x.arg[2] = 0600;
	memcpy(x.str, "/tmp", 4);
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == 1, "openat");
	KT_ASSERT(ev.sys.arg[0] == (__u64)-100 && ev.sys.arg[1] == 0x241 &&
		  ev.sys.arg[2] == 0600, "openat args");
	KT_ASSERT(str_is(&t, ev.sys.str, "/tmp", 4), "openat path");
	/* rename: two fixed halves become "old\0new" */
	memset(x.str, 0, sizeof(x.str));
	memcpy(x.str, "a/old", sizeof("a/old"));
	memcpy(x.str + KTR_PATH_MAX, "b/new", sizeof("b/new"));
	hdr(&x.s.h, KT_SYSCALL, rn, KTR_SYS_ARGS | KTR_SYS_STR | KTR_STR_MAX);
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == 1, "rename");
	KT_ASSERT(str_is(&t, ev.sys.str, "a/old\0b/new", 11), "rename string");
	/* a length beyond the buffer is refused */
	hdr(&x.s.h, KT_SYSCALL, nr, KTR_SYS_ARGS | KTR_SYS_STR | (KTR_STR_MAX + 1));
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == -EBADMSG,
		  "overlong string");
	return KT_PASS;
}

KT_TEST(record_convert_sched)
{
	struct ktr_switch sw = { 0 };
	struct ktr_waking wk = { 0 };
	struct kt_event ev;
	struct kt_conv c;
	struct strs t;

	conv_init(&c, &t);
	hdr(&sw.h, KT_SCHED_SWITCH, 120, 0x2);
	sw.next_tid = 7;
	sw.next_pid = 6;
	sw.next_prio = 100;
	KT_ASSERT(kt_convert(&c, &sw, sizeof(sw), 0, &ev) == 1, "switch");
	KT_ASSERT(ev.sw.prev_state == KT_STATE_DISK && ev.sw.next_tid == 7 &&
		  ev.sw.next_pid == 6 && ev.sw.prev_prio == 120 &&
		  ev.sw.next_prio == 100, "switch fields");
	KT_ASSERT(kt_convert(&c, &sw, sizeof(sw) - 1, 0, &ev) == -EBADMSG,
		  "short switch");
	hdr(&wk.h, KT_SCHED_WAKING, KT_CTX_HARDIRQ, 1);
	wk.target_tid = 9;
	wk.target_pid = 8;
	wk.target_prio = 120;
	KT_ASSERT(kt_convert(&c, &wk, sizeof(wk), 0, &ev) == 1, "waking");
	KT_ASSERT(ev.wake.target_tid == 9 && ev.wake.target_pid == 8 &&
		  ev.wake.target_cpu == 1 && ev.wake.context == KT_CTX_HARDIRQ,
		  "waking fields");
	return KT_PASS;
}

KT_TEST(record_convert_proc)
{
	struct ktr_exec ex = { 0 };
	struct ktr_fork fk = { 0 };
	struct ktr_exit xt = { 0 };
	struct kt_event ev;
	struct kt_conv c;
	struct strs t;

	conv_init(&c, &t);
	hdr(&fk.h, KT_PROC_FORK, KT_FORK_THREAD, 0);
	fk.child_tid = 12;
	fk.child_pid = 10;
	memcpy(fk.comm, "0123456789abcdef", 16);  /* no NUL: 16 bytes */
	KT_ASSERT(kt_convert(&c, &fk, sizeof(fk), 0, &ev) == 1, "fork");
	KT_ASSERT(ev.fork.child_tid == 12 && ev.fork.child_pid == 10 &&
		  ev.fork.flags == KT_FORK_THREAD, "fork fields");
	KT_ASSERT(str_is(&t, ev.fork.child_comm_str, "0123456789abcdef", 16),
		  "fork comm");
	hdr(&ex.h, KT_PROC_EXEC, KT_EXEC_ARGV_TRUNCATED, 13);
	memcpy(ex.comm, "sh", sizeof("sh"));
	memcpy(ex.filename, "/bin/sh", sizeof("/bin/sh"));
	ex.filename_len = 7;
	memcpy(ex.argv, "sh\0-c\0", 6);
	ex.argv_len = 6;
	KT_ASSERT(kt_convert(&c, &ex, sizeof(ex), 0, &ev) == 1, "exec");
	KT_ASSERT(ev.exec.old_tid == 13 &&
		  ev.exec.flags == KT_EXEC_ARGV_TRUNCATED, "exec fields");
	KT_ASSERT(str_is(&t, ev.exec.filename_str, "/bin/sh", 7) &&
		  str_is(&t, ev.exec.argv_str, "sh\0-c\0", 6) &&
		  str_is(&t, ev.exec.comm_str, "sh", 2), "exec strings");
	ex.argv_len = KTR_ARGV_MAX + 1;
	KT_ASSERT(kt_convert(&c, &ex, sizeof(ex), 0, &ev) == -EBADMSG,
		  "argv length beyond the buffer");
	hdr(&xt.h, KT_PROC_EXIT, KT_EXIT_GROUP, 7 << 8);
	KT_ASSERT(kt_convert(&c, &xt, sizeof(xt), 0, &ev) == 1 &&
		  ev.exit.exit_code == 7 << 8 && ev.exit.flags == KT_EXIT_GROUP,
		  "exit");
	return KT_PASS;
}

KT_TEST(record_convert_other)
{
	struct ktr_block b = { 0 };
	struct ktr_tcp tc = { 0 };
	struct ktr_oom o = { 0 };
	struct ktr_lost l = { 0 };
	struct ktr_hdr bad = { 0 };
	struct kt_event ev;
	struct kt_conv c;
	struct strs t;

	conv_init(&c, &t);
	hdr(&tc.h, KT_TCP_RESET, KT_CTX_SOFTIRQ, KT_TCP_RESET_SENT);
	tc.cookie = 99;
	memcpy(tc.saddr, "\x7f\0\0\x01", 4);
	tc.family = 2;
	tc.sport = 80;
	tc.dport = 5000;
	tc.oldstate = 2;
	tc.newstate = 7;
	tc.netns = 4026531833u;
	tc.owner_tid = 31;
	tc.owner_pid = 30;
	KT_ASSERT(kt_convert(&c, &tc, sizeof(tc), 0, &ev) == 1, "tcp");
	KT_ASSERT(ev.tcp.sock == 99 && ev.tcp.saddr[0] == 0x0100007f &&
		  ev.tcp.sport == 80 && ev.tcp.dport == 5000 &&
		  ev.tcp.oldstate == 2 && ev.tcp.newstate == 7 &&
		  ev.tcp.netns == 4026531833u &&
		  ev.tcp.flags == KT_TCP_RESET_SENT &&
		  ev.tcp.context == KT_CTX_SOFTIRQ, "tcp fields");
	KT_ASSERT(ev.tcp.owner_tid == 31 && ev.tcp.owner_pid == 30 &&
		  ev.tcp.acceptq == 0 && ev.tcp.acceptq_max == 0, "tcp owner");
	/* a SYN retransmitted to a full listener: its accept queue */
	hdr(&tc.h, KT_TCP_RETRANS, KT_CTX_SOFTIRQ, KT_TCP_ACCEPTQ);
	tc.oldstate = tc.newstate = 2;
	tc.acceptq = 1;
	tc.acceptq_max = 0;
	KT_ASSERT(kt_convert(&c, &tc, sizeof(tc), 0, &ev) == 1 &&
		  ev.kind == KT_TCP_RETRANS && ev.tcp.flags == KT_TCP_ACCEPTQ &&
		  ev.tcp.acceptq == 1 && ev.tcp.acceptq_max == 0 &&
		  ev.tcp.owner_pid == 30, "tcp accept queue");
	/* a move to CLOSE: the socket's byte counters (format 1.3) */
	hdr(&tc.h, KT_TCP_STATE, KT_CTX_SOFTIRQ, KT_TCP_BYTES);
	tc.oldstate = 9;
	tc.newstate = 7;
	tc.tx_bytes = 5000000001ULL;
	tc.rx_bytes = 70002;
	KT_ASSERT(kt_convert(&c, &tc, sizeof(tc), 0, &ev) == 1 &&
		  ev.kind == KT_TCP_STATE && ev.tcp.flags == KT_TCP_BYTES &&
		  ev.tcp.tx_bytes == 5000000001ULL &&
		  ev.tcp.rx_bytes == 70002, "tcp byte counters");
	hdr(&b.h, KT_BLOCK_RQ, 0, 1);
	b.dev = 254 << 20;
	b.op = 1;
	b.sector = 8;
	b.bytes = 4096;
	b.status = 10;
	b.queue_ns = 3;
	b.service_ns = 40;
	KT_ASSERT(kt_convert(&c, &b, sizeof(b), 0, &ev) == 1, "block");
	KT_ASSERT(ev.blk.dev == 254 << 20 && ev.blk.bytes == 4096 &&
		  ev.blk.error == -EIO && ev.blk.issue_cpu == 1 &&
		  ev.blk.queue_ns == 3 && ev.blk.service_ns == 40, "block fields");
	hdr(&o.h, KT_OOM_VICTIM, 0, 21);
	o.victim_pid = 20;
	memcpy(o.comm, "hog", sizeof("hog"));
	memcpy(o.memcg, "/kt-oom", sizeof("/kt-oom"));
	KT_ASSERT(kt_convert(&c, &o, sizeof(o), 0, &ev) == 1, "oom");
	KT_ASSERT(ev.oom.victim_tid == 21 && ev.oom.victim_pid == 20 &&
		  str_is(&t, ev.oom.memcg_str, "/kt-oom", 7) &&
		  str_is(&t, ev.oom.victim_comm_str, "hog", 3), "oom fields");
	/* a switch gap the BPF side placed: subject the vanished task */
	hdr(&l.h, KT_LOST, KT_FAM_SCHED, KT_LOST_SWITCH_GAP);
	l.count = 1;
	l.since = 900;
	KT_ASSERT(kt_convert(&c, &l, sizeof(l), 1, &ev) == 1, "lost");
	KT_ASSERT(ev.kind == KT_LOST && ev.tid == 11 && ev.cpu == 1 &&
		  ev.lost.family == KT_FAM_SCHED &&
		  ev.lost.cause == KT_LOST_SWITCH_GAP && ev.lost.count == 1 &&
		  ev.lost.since == 900, "lost fields");
	KT_ASSERT(kt_convert(&c, &l, sizeof(l) - 1, 1, &ev) == -EBADMSG,
		  "short lost");
	hdr(&l.h, KT_LOST, KT_FAM_SCHED, KT_LOST_CAUSES);
	KT_ASSERT(kt_convert(&c, &l, sizeof(l), 1, &ev) == -EBADMSG,
		  "unknown cause");
	hdr(&bad, 200, 0, 0);
	KT_ASSERT(kt_convert(&c, &bad, sizeof(bad), 0, &ev) == -EBADMSG,
		  "unknown kind");
	KT_ASSERT(kt_convert(&c, &bad, 3, 0, &ev) == -EBADMSG, "tiny record");
	return KT_PASS;
}

KT_TEST(record_syscall_table)
{
	__u8 tab[KTR_NR_MAX];
	char bad[32];
	int rd = kt_sys_nr("read", 4), op = kt_sys_nr("openat", 6);
	int wr = kt_sys_nr("write", 5), gp = kt_sys_nr("getppid", 7);

	KT_ASSERT(rd >= 0 && op >= 0 && wr >= 0 && gp >= 0, "names");
	KT_ASSERT(!strcmp(kt_sys_name(op), "openat"), "name of openat");
	KT_ASSERT(!kt_sys_class_table(tab, NULL), "all");
	KT_ASSERT(tab[rd] == KTR_SC_FD_COUNT && tab[op] == KTR_SC_OPENAT &&
		  tab[gp] == KTR_SC_NONE, "classes");
	KT_ASSERT(!kt_sys_class_table(tab, "read,openat"), "list");
	KT_ASSERT(tab[rd] == KTR_SC_FD_COUNT && tab[op] == KTR_SC_OPENAT &&
		  tab[wr] == KTR_SC_OFF && tab[gp] == KTR_SC_OFF, "narrowed");
	KT_ASSERT(kt_record_syscalls_parse("read,bogus", bad, sizeof(bad)) ==
		  -EINVAL && !strcmp(bad, "bogus"), "unknown name");
	KT_ASSERT(kt_record_syscalls_parse("read,", bad, sizeof(bad)) ==
		  -EINVAL, "empty name");
	return KT_PASS;
}

KT_TEST(record_parsers)
{
	__u64 b;

	KT_ASSERT(!kt_record_size_parse("8M", &b) && b == 8 << 20, "8M");
	KT_ASSERT(!kt_record_size_parse("3M", &b) && b == 4 << 20, "3M up");
	KT_ASSERT(!kt_record_size_parse("1k", &b) && b == 4096, "one page");
	KT_ASSERT(!kt_record_size_parse("1GiB", &b) && b == 1ULL << 30, "1GiB");
	KT_ASSERT(kt_record_size_parse("0", &b) == -EINVAL, "zero");
	KT_ASSERT(kt_record_size_parse("-1M", &b) == -EINVAL, "negative");
	KT_ASSERT(kt_record_size_parse("5x", &b) == -EINVAL, "unit");
	KT_ASSERT(kt_record_size_parse("8G", &b) == -EINVAL, "too big");
	KT_ASSERT(kt_wait_status_exit(7 << 8) == 7, "exit 7");
	KT_ASSERT(kt_wait_status_exit(SIGKILL) == 137, "killed");
	return KT_PASS;
}
