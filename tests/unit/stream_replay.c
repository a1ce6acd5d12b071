// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* replay: the text and JSON form of every event kind, and the filters. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "stream_util.h"

/* One event of every kind (and the syscall argument layouts), in time
 * order; filled by build_all(). */
static struct kt_event all[40];
static struct tstrs S;

static size_t build_all(void)
{
	static struct sockaddr_in sin;
	static struct sockaddr_un sun;
	static const unsigned char pkt[] = {
		/* Ethernet, IPv4 TCP 127.0.0.1:40000 > 127.0.0.1:80 SYN */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0,
		127, 0, 0, 1, 127, 0, 0, 1,
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02,
		0xff, 0xff, 0, 0, 0, 0,
	};
	struct kt_event *e = all;
	__u64 t = 5 * SEC;

	memset(&S, 0, sizeof(S));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(8080);
	sin.sin_addr.s_addr = htonl(0x0a000001);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, "/run/x.sock", sizeof("/run/x.sock"));

	*e++ = ev_switch(t += 1000, 1, 100, 100, KT_STATE_SLEEPING, 200, 200);
	*e = ev_wake(t += 1000, 0, 200, 200, 100, 100);
	e++->wake.context = KT_CTX_HARDIRQ;
	*e = ev_base(KT_SCHED_WAKEUP_NEW, t += 1000, 1, 100, 100);
	e->wake.target_tid = 400;
	e->wake.target_pid = 400;
	e->wake.target_cpu = 1;
	e++->wake.target_prio = 120;
	*e = ev_base(KT_SCHED_MIGRATE, t += 1000, 0, 0, 0);
	e->mig.target_tid = 201;
	e->mig.target_pid = 200;
	e->mig.orig_cpu = 0;
	e++->mig.dest_cpu = 1;
	*e = ev_base(KT_PROC_FORK, t += 1000, 1, 100, 100);
	e->fork.child_tid = 400;
	e->fork.child_pid = 400;
	e++->fork.child_comm_str = tstr(&S, "bash");
	*e = ev_base(KT_PROC_EXEC, t += 1000, 1, 400, 400);
	e->exec.old_tid = 400;
	e->exec.filename_str = tstr(&S, "/bin/ls");
	e->exec.argv_str = tstr_n(&S, "ls\0-l\0a b\0", 10);
	e++->exec.comm_str = tstr(&S, "ls");
	*e = ev_base(KT_PROC_COMM, t += 1000, 1, 201, 200);
	e++->comm.comm_str = tstr(&S, "cat-io");
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_openat, 4100, 3);
	e->sys.arg[0] = (__u64)(__s64)AT_FDCWD;
	e->sys.arg[1] = O_RDONLY | O_CLOEXEC;
	e++->sys.str = tstr(&S, "/etc/passwd");
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_openat, 2000, -2);
	e->sys.arg[0] = 3;
	e->sys.arg[1] = O_WRONLY | O_CREAT | O_TRUNC;
	e->sys.arg[2] = 0644;
	e++->sys.str = tstr(&S, "out\n.txt");
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_read, 800, -11);
	e->sys.arg[0] = 3;
	e->sys.arg[1] = 4096;
	e->sys.arg[2] = KT_FILE_ID(S_IFIFO, 4711);
	e++->sys.flags = KT_SYSCALL_BLOCKED;
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_close, 300, 0);
	e++->sys.arg[0] = 3;
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_connect, 50000, -111);
	e->sys.arg[0] = 4;
	e++->sys.str = tstr_n(&S, &sin, sizeof(sin));
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_bind, 900, 0);
	e->sys.arg[0] = 5;
	e++->sys.str = tstr_n(&S, &sun,
			      offsetof(struct sockaddr_un, sun_path) + 12);
	*e = ev_sys(t += 1000, 1, 400, 400, SYS_renameat2, 1200, 0);
	e++->sys.str = tstr_n(&S, "a\0b", 3);
	*e = ev_sys(t += 1000, 1, 201, 200, SYS_futex, 2 * MS, 0);
	e->sys.arg[0] = 0x7f0012345678ULL;
	e->sys.arg[1] = 128;    /* FUTEX_WAIT_PRIVATE */
	e++->sys.flags = KT_SYSCALL_BLOCKED | KT_SYSCALL_WOKE;
	*e = ev_sys(t += 1000, 1, 201, 200, SYS_nanosleep, 100 * MS, 0);
	e++->sys.arg[0] = 100 * MS;
	*e = ev_sys(t += 1000, 1, 201, 200, SYS_epoll_wait, 10, 0);
	e++->sys.arg[1] = (__u64)-1;
	*e = ev_sys(t += 1000, 1, 100, 100, SYS_kill, 1000, 0);
	e->sys.arg[0] = 200;
	e++->sys.arg[1] = 15;
	*e = ev_sys(t += 1000, 1, 100, 100, SYS_wait4, 7 * MS, 200);
	e++->sys.arg[0] = (__u64)-1;
	*e = ev_sys(t += 1000, 1, 100, 100, SYS_clone, 30000, 401);
	e++;
	*e = ev_sys(t += 1000, 1, 100, 100, SYS_mmap, 2000, 0x7f0000001000LL);
	e++;
	*e = ev_sys(t += 1000, 1, 100, 100, SYS_getppid, 250, 1);
	e++;
	*e = ev_sys(t += 1000, 1, 100, 100, 9999, 5, -38);
	e++->sys.flags = KT_SYSCALL_UNFINISHED;
	*e = ev_base(KT_TCP_STATE, t += 1000, 0, 0, 0);
	e->tcp.sock = 0xffff8881234;
	e->tcp.family = AF_INET;
	e->tcp.saddr[0] = htonl(0x7f000001);
	e->tcp.daddr[0] = htonl(0x7f000001);
	e->tcp.sport = 40000;
	e->tcp.dport = 80;
	e->tcp.netns = 4026531840u;
	e->tcp.oldstate = 2;
	e->tcp.newstate = 7;
	e++->tcp.context = KT_CTX_SOFTIRQ;
	*e = e[-1];
	e->ts = t += 1000;
	e++->kind = KT_TCP_RETRANS;
	*e = e[-1];
	e->ts = t += 1000;
	e->kind = KT_TCP_RESET;
	e->tcp.family = AF_INET6;
	memset(e->tcp.saddr, 0, 16);
	memset(e->tcp.daddr, 0, 16);
	((unsigned char *)e->tcp.saddr)[15] = 1;
	((unsigned char *)e->tcp.daddr)[15] = 1;
	e++->tcp.flags = KT_TCP_RESET_RECEIVED;
	*e = ev_base(KT_BLOCK_RQ, t += 1000, 0, 400, 400);
	e->blk.dev = 8 << 20 | 16;
	e->blk.op = 1 | 1u << 11;       /* WRITE | REQ_SYNC */
	e->blk.sector = 123456;
	e->blk.bytes = 4096;
	e->blk.queue_ns = 1500;
	e->blk.service_ns = 250 * US;
	e++->blk.issue_cpu = 1;
	*e = e[-1];
	e->ts = t += 1000;
	e->blk.op = 0;
	e->blk.error = -5;
	e++->blk.flags = KT_BLOCK_INCOMPLETE;
	*e = ev_base(KT_SIGNAL_GEN, t += 1000, 1, 100, 100);
	e->sig.target_tid = 200;
	e->sig.target_pid = 200;
	e++->sig.signo = 15;
	*e = ev_base(KT_SIGNAL_DELIVER, t += 1000, 1, 200, 200);
	e->sig.signo = 15;
	e++->sig.code = -6;
	*e = ev_base(KT_PROC_EXIT, t += 1000, 1, 200, 200);
	e->exit.exit_code = 15;
	e++->exit.flags = KT_EXIT_GROUP;
	*e = ev_base(KT_PROC_EXIT, t += 1000, 1, 201, 200);
	e++->exit.exit_code = 3 << 8;
	*e = ev_base(KT_OOM_VICTIM, t += 1000, 0, 300, 300);
	e->oom.victim_tid = 400;
	e->oom.victim_pid = 400;
	e->oom.victim_comm_str = tstr(&S, "ls");
	e->oom.memcg_str = tstr(&S, "/sys/fs/cgroup/t");
	e->oom.total_vm_kb = 1000;
	e->oom.anon_rss_kb = 800;
	e->oom.file_rss_kb = 100;
	e->oom.shmem_rss_kb = 4;
	e++->oom.oom_score_adj = -500;
	*e = ev_base(KT_PAGE_FAULT, t += 1000, 0, 400, 400);
	e->fault.addr = 0x5500001000ULL;
	e->fault.ip = 0x5500000abcULL;
	e->fault.flags = KT_FAULT_WRITE | KT_FAULT_MAJOR;
	e++->fault.period = 100;
	*e = ev_base(KT_RSS, t += 1000, 0, 400, 400);
	e->rss.member = 1;
	e++->rss.bytes = 1 << 20;
	*e = ev_base(KT_NET_PACKET, t += 1000, 0, 0, 0);
	e->pkt.ifindex = 1;
	e->pkt.len = sizeof(pkt);
	e->pkt.caplen = sizeof(pkt);
	e->pkt.linktype = 1;
	e->pkt.flags = KT_PKT_OUTGOING;
	e++->pkt.data_str = tstr_n(&S, pkt, sizeof(pkt));
	*e = ev_base(KT_MARKER, t += 1000, 0, 100, 100);
	e->mark.text_str = tstr(&S, "step \"2\"");
	e++->mark.value = 42;
	*e = ev_base(KT_LOST, t += 1000, 1, 0, 0);
	e->lost.family = KT_FAM_SYSCALL;
	e++->lost.count = 17;
	*e = ev_base(KT_CLOCK_SYNC, t += 1000, 0, 0, 0);
	e->clk.realtime_ns = 1795428900123456789ULL;
	e++->clk.boottime_ns = 5 * SEC + 100;
	return e - all;
}

static const char want_text[] =
"            bash     100 [001] 5.000001000: sched_switch: prev_prio=120 prev_state=S ==> next_comm=cat next_tid=200 next_prio=120\n"
"             cat     200 [000] 5.000002000: sched_waking: comm=bash tid=100 prio=120 target_cpu=000 ctx=hardirq\n"
"            bash     100 [001] 5.000003000: sched_wakeup_new: comm=:400 tid=400 prio=120 target_cpu=001\n"
"         swapper       0 [000] 5.000004000: sched_migrate: comm=cat-worker tid=201 orig_cpu=000 dest_cpu=001\n"
"            bash     100 [001] 5.000005000: proc_fork: child_comm=bash child_tid=400 child_pid=400 process\n"
"              ls     400 [001] 5.000006000: proc_exec: filename=/bin/ls argv=ls -l \"a b\"\n"
"          cat-io     201 [001] 5.000007000: proc_comm: comm=cat-io\n"
"              ls     400 [001] 5.000003900: syscall: openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3 <0.000004100>\n"
"              ls     400 [001] 5.000007000: syscall: openat(3, \"out\\n.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -2 ENOENT <0.000002000>\n"
"              ls     400 [001] 5.000009200: syscall: read(3<pipe:[4711]>, 4096) = -11 EAGAIN <0.000000800> blocked\n"
"              ls     400 [001] 5.000010700: syscall: close(3) = 0 <0.000000300>\n"
"              ls     400 [001] 4.999962000: syscall: connect(4, 10.0.0.1:8080) = -111 ECONNREFUSED <0.000050000>\n"
"              ls     400 [001] 5.000012100: syscall: bind(5, unix:/run/x.sock) = 0 <0.000000900>\n"
"              ls     400 [001] 5.000012800: syscall: renameat2(\"a\", \"b\") = 0 <0.000001200>\n"
"          cat-io     201 [001] 4.998015000: syscall: futex(0x7f0012345678, FUTEX_WAIT_PRIVATE, 0) = 0 <0.002000000> blocked woke\n"
"          cat-io     201 [001] 4.900016000: syscall: nanosleep(0.100000000) = 0 <0.100000000>\n"
"          cat-io     201 [001] 5.000016990: syscall: epoll_wait(timeout_ms=-1) = 0 <0.000000010>\n"
"            bash     100 [001] 5.000017000: syscall: kill(200, SIGTERM /* cat */) = 0 <0.000001000>\n"
"            bash     100 [001] 4.993019000: syscall: wait4(-1) = 200 <0.007000000>\n"
"            bash     100 [001] 4.999990000: syscall: clone() = 401 <0.000030000>\n"
"            bash     100 [001] 5.000019000: syscall: mmap() = 0x7f0000001000 <0.000002000>\n"
"            bash     100 [001] 5.000021750: syscall: getppid() = 1 <0.000000250>\n"
"            bash     100 [001] 5.000022995: syscall: sys_9999() = ? <0.000000005> unfinished\n"
"         swapper       0 [000] 5.000024000: tcp_state: 127.0.0.1:40000 -> 127.0.0.1:80 SYN_SENT -> CLOSE sock=0xffff8881234 netns=4026531840 ctx=softirq\n"
"         swapper       0 [000] 5.000025000: tcp_retrans: 127.0.0.1:40000 -> 127.0.0.1:80 state=CLOSE sock=0xffff8881234 netns=4026531840 ctx=softirq\n"
"         swapper       0 [000] 5.000026000: tcp_reset: [::1]:40000 -> [::1]:80 received state=CLOSE sock=0xffff8881234 netns=4026531840 ctx=softirq\n"
"              ls     400 [000] 4.999777000: block_rq: dev=8:16 rwbs=WS sector=123456 bytes=4096 queue=0.000001500 service=0.000250000 issue_cpu=001\n"
"              ls     400 [000] 4.999778000: block_rq: dev=8:16 rwbs=R sector=123456 bytes=4096 queue=0.000001500 service=0.000250000 issue_cpu=001 error=EIO incomplete\n"
"            bash     100 [001] 5.000029000: signal_generate: sig=SIGTERM target_comm=cat target_tid=200 code=SI_USER result=delivered\n"
"             cat     200 [001] 5.000030000: signal_deliver: sig=SIGTERM code=SI_TKILL\n"
"             cat     200 [001] 5.000031000: proc_exit: signal SIGTERM (process)\n"
"          cat-io     201 [001] 5.000032000: proc_exit: exit 3 (thread)\n"
"          server     300 [000] 5.000033000: oom_victim: victim_comm=ls victim_pid=400 total_vm=1000kB anon_rss=800kB file_rss=100kB shmem_rss=4kB oom_score_adj=-500 memcg=/sys/fs/cgroup/t\n"
"              ls     400 [000] 5.000034000: page_fault: addr=0x5500001000 ip=0x5500000abc write major period=100\n"
"              ls     400 [000] 5.000035000: rss: member=anon bytes=1048576\n"
"               -       0 [000] 5.000036000: net_packet: ifindex=1 len=54 caplen=54 out 127.0.0.1:40000 > 127.0.0.1:80 tcp [S]\n"
"            bash     100 [000] 5.000037000: marker: text=\"step \\\"2\\\"\" value=42\n"
"         swapper       0 [001] 5.000038000: lost: family=syscall count=17\n"
"         swapper       0 [000] 5.000039000: clock_sync: realtime=2026-11-23T10:15:00.123456789Z boottime=5.000000100\n";

KT_TEST(stream_replay_text_every_kind)
{
	struct kt_replay_opts opts = { .proc_comm = true };
	size_t n = build_all();

	EXPECT_STR("text", run_replay(all, n, &S.tab, &opts), want_text);
	return KT_PASS;
}

/* proc_comm lines are text only with --proc-comm; JSON has them */
KT_TEST(stream_replay_proc_comm_hidden)
{
	struct kt_replay_opts opts = { 0 };
	size_t n = build_all();
	char *out = run_replay(all, n, &S.tab, &opts);

	KT_ASSERT(out && !strstr(out, "proc_comm") &&
		  strstr(out, "proc_exec"), "text: %s", out);
	free(out);
	opts.json = true;
	out = run_replay(all, n, &S.tab, &opts);
	KT_ASSERT(out && strstr(out, "\"kind\":\"proc_comm\""), "json: %s",
		  out);
	free(out);
	return KT_PASS;
}

KT_TEST(stream_replay_json_every_kind)
{
	struct kt_replay_opts opts = { .json = true };
	size_t n = build_all();
	char *out = run_replay(all, n, &S.tab, &opts), *line, *save = NULL;
	size_t lines = 0;

	KT_ASSERT(out, "replay failed");
	/* every line is one valid JSON object whose kind matches */
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		json_error_t jerr;
		json_t *j = json_loads(line, 0, &jerr);
		const char *kind;

		KT_ASSERT(j, "line %zu: %s: %s", lines + 1, jerr.text, line);
		kind = json_string_value(json_object_get(j, "kind"));
		KT_ASSERT(kind && !strcmp(kind,
				kt_kind_info(all[lines].kind)->name),
			  "line %zu kind", lines + 1);
		/* ts is the start; spans add their end */
		KT_ASSERT(json_integer_value(json_object_get(j, "ts")) ==
			  (json_int_t)kt_event_start(&all[lines]),
			  "line %zu ts", lines + 1);
		KT_ASSERT(kt_event_is_span(&all[lines]) ?
			  json_integer_value(json_object_get(j, "end_ts")) ==
			  (json_int_t)all[lines].ts :
			  !json_object_get(j, "end_ts"), "line %zu end_ts",
			  lines + 1);
		json_decref(j);
	}
	free(out);
	KT_ASSERT(lines == n, "%zu lines for %zu events", lines, n);
	return KT_PASS;
}

/* Golden JSON for the kinds whose decoded members matter most. */
KT_TEST(stream_replay_json_golden)
{
	struct kt_replay_opts opts = { .json = true };
	size_t n = build_all();
	struct kt_event pick[] = { all[0], all[7], all[11], all[23], all[35] };

	(void)n;
	EXPECT_STR("json", run_replay(pick, 5, &S.tab, &opts),
"{\"ts\":5000001000,\"kind\":\"sched_switch\",\"family\":\"sched\",\"cpu\":1,\"tid\":100,\"pid\":100,\"utid\":2,\"comm\":\"bash\",\"prev_state\":1,\"next_tid\":200,\"next_pid\":200,\"prev_prio\":120,\"next_prio\":120,\"prev_state_name\":\"S\",\"next_comm\":\"cat\"}\n"
"{\"ts\":5000003900,\"end_ts\":5000008000,\"kind\":\"syscall\",\"family\":\"syscall\",\"cpu\":1,\"tid\":400,\"pid\":400,\"nr\":257,\"dur\":4100,\"ret\":3,\"arg0\":-100,\"arg1\":524288,\"arg2\":0,\"str\":\"/etc/passwd\",\"flags\":0,\"syscall\":\"openat\",\"dirfd\":\"AT_FDCWD\",\"open_flags\":\"O_RDONLY|O_CLOEXEC\"}\n"
"{\"ts\":4999962000,\"end_ts\":5000012000,\"kind\":\"syscall\",\"family\":\"syscall\",\"cpu\":1,\"tid\":400,\"pid\":400,\"nr\":42,\"dur\":50000,\"ret\":-111,\"arg0\":4,\"arg1\":0,\"arg2\":0,\"str\":\"02001f900a0000010000000000000000\",\"flags\":0,\"syscall\":\"connect\",\"errno\":\"ECONNREFUSED\",\"addr\":\"10.0.0.1:8080\"}\n"
"{\"ts\":5000024000,\"kind\":\"tcp_state\",\"family\":\"tcp\",\"cpu\":0,\"tid\":0,\"pid\":0,\"comm\":\"swapper\",\"sock\":17592060744244,\"saddr0\":16777343,\"saddr1\":0,\"daddr0\":16777343,\"daddr1\":0,\"addr_family\":2,\"sport\":40000,\"dport\":80,\"netns\":4026531840,\"oldstate\":2,\"newstate\":7,\"flags\":0,\"context\":1,\"owner_tid\":0,\"owner_pid\":0,\"acceptq\":0,\"acceptq_max\":0,\"tx_bytes\":0,\"rx_bytes\":0,\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.1\",\"oldstate_name\":\"SYN_SENT\",\"newstate_name\":\"CLOSE\",\"context_name\":\"softirq\"}\n"
"{\"ts\":5000036000,\"kind\":\"net_packet\",\"family\":\"net\",\"cpu\":0,\"tid\":0,\"pid\":0,\"ifindex\":1,\"len\":54,\"caplen\":54,\"data\":\"00000000000000000000000008004500002800004000400600007f0000017f0000019c40005000000001000000005002ffff00000000\",\"linktype\":1,\"flags\":1,\"summary\":\"127.0.0.1:40000 > 127.0.0.1:80 tcp [S]\"}\n");
	return KT_PASS;
}

KT_TEST(stream_replay_filters)
{
	struct kt_replay_opts opts = { 0 };
	size_t n = build_all(), i, want;
	char *out;

	/* window [5.000010000, 5.000012000): by start, only close(3)
	 * (read started at 5.0000092, bind at 5.0000121) */
	opts.from = 5 * SEC + 10000;
	opts.to = 5 * SEC + 12000;
	out = run_replay(all, n, &S.tab, &opts);
	KT_ASSERT(out && !strcmp(out, "              ls     400 [001] "
				 "5.000010700: syscall: close(3) = 0 "
				 "<0.000000300>\n"), "window: %s", out);
	free(out);
	/* pid 200 = tids 200 and 201 as subject */
	memset(&opts, 0, sizeof(opts));
	opts.proc_comm = true;
	opts.pid = 200;
	out = run_replay(all, n, &S.tab, &opts);
	for (i = 0, want = 0; i < n; i++)
		want += all[i].pid == 200;
	KT_ASSERT(out, "pid");
	for (i = 0; out[i]; i++)
		want -= out[i] == '\n';
	KT_ASSERT(want == 0 && !strstr(out, " bash "), "pid filter: %s", out);
	free(out);
	/* comm (as of each event: cat-worker is cat-io after its rename) */
	memset(&opts, 0, sizeof(opts));
	opts.proc_comm = true;
	opts.comm = "cat-io";
	out = run_replay(all, n, &S.tab, &opts);
	KT_ASSERT(out && strstr(out, "proc_comm") && strstr(out, "futex(") &&
		  !strstr(out, "sched_migrate") && !strstr(out, "     cat "),
		  "comm filter: %s", out);
	free(out);
	/* kinds: block only */
	memset(&opts, 0, sizeof(opts));
	opts.kinds = KT_KIND_BIT(KT_BLOCK_RQ);
	out = run_replay(all, n, &S.tab, &opts);
	for (i = 0, want = 0; out && out[i]; i++)
		want += out[i] == '\n';
	KT_ASSERT(out && want == 2 && strstr(out, "block_rq"), "kinds: %s", out);
	free(out);
	return KT_PASS;
}

/* Records are stamped at their start and printed when they complete
 * (as read, in end order); the window selects by start, reading up to
 * 1 s past --to for the records that start before it and end after. */
KT_TEST(stream_replay_start_window)
{
	struct kt_event ev[] = {
		/* starts before the window, ends inside: not shown */
		ev_sys(10 * SEC + 5 * MS, 0, 100, 100, 0, 10 * MS, 1),
		ev_switch(10 * SEC + 6 * MS, 0, 100, 100, 1, 200, 200),
		/* starts inside, ends inside */
		ev_sys(10 * SEC + 8 * MS, 1, 200, 200, 0, 3 * MS, 2),
		/* starts inside, ends after --to (within 1 s): shown, after
		 * the events that complete before it */
		ev_switch(10 * SEC + 20 * MS, 0, 200, 200, 1, 100, 100),
		ev_sys(10 * SEC + 500 * MS, 1, 100, 100, 1, 495 * MS, 3),
		/* starts after --to: not shown */
		ev_sys(10 * SEC + 600 * MS, 1, 200, 200, 1, 1 * MS, 4),
		/* starts inside, ends more than 1 s after --to: not read */
		ev_sys(12 * SEC, 0, 201, 200, 0, 1995 * MS, 5),
	};
	struct kt_replay_opts opts = { .from = 10 * SEC, .to = 10 * SEC + 10 * MS };
	char *out = run_replay(ev, sizeof(ev) / sizeof(ev[0]), NULL, &opts);

	EXPECT_STR("window", out,
"            bash     100 [000] 10.006000000: sched_switch: prev_prio=120 prev_state=S ==> next_comm=cat next_tid=200 next_prio=120\n"
"             cat     200 [001] 10.005000000: syscall: read(0, 0) = 2 <0.003000000>\n"
"            bash     100 [001] 10.005000000: syscall: write(0, 0) = 3 <0.495000000>\n");
	opts.json = true;
	out = run_replay(ev, sizeof(ev) / sizeof(ev[0]), NULL, &opts);
	KT_ASSERT(out && strstr(out, "{\"ts\":10005000000,\"end_ts\":"
				"10500000000,\"kind\":\"syscall\""),
		  "json: %s", out);
	free(out);
	/* with only kinds that have no span, nothing is read past --to */
	opts.json = false;
	opts.kinds = KT_KIND_BIT(KT_SCHED_SWITCH);
	out = run_replay(ev, sizeof(ev) / sizeof(ev[0]), NULL, &opts);
	KT_ASSERT(out && !strcmp(out, "            bash     100 [000] "
				 "10.006000000: sched_switch: prev_prio=120 "
				 "prev_state=S ==> next_comm=cat next_tid=200 "
				 "next_prio=120\n"), "kinds: %s", out);
	free(out);
	return KT_PASS;
}
