// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stats: the one-row-per-event tools, with exact expected output. */
#include <fcntl.h>
#include <sys/syscall.h>
#include "stream_util.h"
#include "analyze/names.h"

KT_TEST(stream_stats_execsnoop)
{
	struct kt_stats_opts opts;
	struct tstrs S = { 0 };
	struct kt_event ev[5];

	ev[0] = ev_base(KT_PROC_FORK, 1 * SEC, 0, 100, 100);
	ev[0].fork.child_tid = 400;
	ev[0].fork.child_pid = 400;
	ev[1] = ev_base(KT_PROC_EXEC, 1 * SEC + 100 * MS, 0, 400, 400);
	ev[1].exec.filename_str = tstr(&S, "/bin/ls");
	ev[1].exec.argv_str = tstr_n(&S, "ls\0-l\0my file\0", 14);
	ev[1].exec.comm_str = tstr(&S, "ls");
	ev[2] = ev_sys(1 * SEC + 150 * MS, 0, 400, 400, SYS_execve, 5000, 0);
	ev[2].sys.str = tstr(&S, "/bin/ls");
	ev[3] = ev_sys(1 * SEC + 200 * MS, 1, 100, 100, SYS_execve, 7000, -2);
	ev[3].sys.str = tstr(&S, "/nope");
	ev[4] = ev_base(KT_PROC_EXEC, 2 * SEC, 1, 201, 200);
	ev[4].exec.filename_str = tstr(&S, "/usr/bin/env");
	ev[4].exec.flags = KT_EXEC_ARGV_TRUNCATED;
	ev[4].exec.argv_str = tstr_n(&S, "env\0", 4);
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("execsnoop", ev, 5, &S.tab, &opts),
"TIME(s)           PCOMM            PID     PPID    RET ARGS\n"
"1.100000000       ls               400     100       0 ls -l my file\n"
"1.200000000       bash             100     1        -2 /nope\n"
"2.000000000       cat-worker       200     100       0 env ...\n");
	opts.pid = 100;
	EXPECT_STR("pid", run_stats("execsnoop", ev, 5, &S.tab, &opts),
"TIME(s)           PCOMM            PID     PPID    RET ARGS\n"
"1.200000000       bash             100     1        -2 /nope\n");
	kt_stats_opts_init(&opts);
	opts.json = true;
	opts.comm = "ls";
	EXPECT_STR("json", run_stats("execsnoop", ev, 5, &S.tab, &opts),
"{\"ts\":1100000000,\"comm\":\"ls\",\"pid\":400,\"tid\":400,\"ppid\":100,\"ret\":0,\"filename\":\"/bin/ls\",\"argv\":[\"ls\",\"-l\",\"my file\"]}\n");
	return KT_PASS;
}

KT_TEST(stream_stats_opensnoop)
{
	struct kt_stats_opts opts;
	struct tstrs S = { 0 };
	struct kt_event ev[4];

	ev[0] = ev_sys(3 * SEC, 0, 200, 200, SYS_openat, 4000, 3);
	ev[0].sys.arg[0] = (__u64)(__s64)AT_FDCWD;
	ev[0].sys.arg[1] = O_RDONLY | O_CLOEXEC;
	ev[0].sys.str = tstr(&S, "/etc/passwd");
	ev[1] = ev_sys(3 * SEC + 1, 0, 200, 200, SYS_read, 100, 10);
	ev[2] = ev_sys(3 * SEC + 2, 1, 201, 200, SYS_openat, 1500, -2);
	ev[2].sys.arg[1] = O_RDONLY;
	ev[2].sys.str = tstr(&S, "/missing");
	ev[3] = ev_sys(3 * SEC + 3, 1, 100, 100, SYS_open, 9000, 4);
	ev[3].sys.arg[1] = O_WRONLY | O_CREAT | O_TRUNC;
	ev[3].sys.arg[2] = 0644;
	ev[3].sys.str = tstr(&S, "out.txt");
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("opensnoop", ev, 4, &S.tab, &opts),
"TIME(s)           PID     COMM               FD ERR     FLAGS                    PATH\n"
"3.000000000       200     cat                 3 0       O_RDONLY|O_CLOEXEC       /etc/passwd\n"
"3.000000002       200     cat-worker         -1 ENOENT  O_RDONLY                 /missing\n"
"3.000000003       100     bash                4 0       O_WRONLY|O_CREAT|O_TRUNC out.txt\n");
	opts.failed = true;
	EXPECT_STR("failed", run_stats("opensnoop", ev, 4, &S.tab, &opts),
"TIME(s)           PID     COMM               FD ERR     FLAGS                    PATH\n"
"3.000000002       200     cat-worker         -1 ENOENT  O_RDONLY                 /missing\n");
	kt_stats_opts_init(&opts);
	opts.syscall = SYS_open;
	opts.json = true;
	EXPECT_STR("json", run_stats("opensnoop", ev, 4, &S.tab, &opts),
"{\"ts\":3000000003,\"comm\":\"bash\",\"pid\":100,\"tid\":100,\"syscall\":\"open\",\"fd\":4,\"ret\":4,\"flags\":577,\"flags_str\":\"O_WRONLY|O_CREAT|O_TRUNC\",\"dur_ns\":9000,\"path\":\"out.txt\"}\n");
	return KT_PASS;
}

KT_TEST(stream_stats_exitsnoop)
{
	struct kt_stats_opts opts;
	struct kt_event ev[4];

	ev[0] = ev_base(KT_PROC_EXIT, 3 * SEC, 1, 201, 200);
	ev[1] = ev_base(KT_PROC_EXIT, 3 * SEC + 500 * MS, 1, 200, 200);
	ev[1].exit.exit_code = 3 << 8;
	ev[1].exit.flags = KT_EXIT_GROUP;
	ev[2] = ev_base(KT_PROC_EXIT, 4 * SEC, 0, 300, 300);
	ev[2].exit.exit_code = 9;
	ev[2].exit.flags = KT_EXIT_GROUP;
	ev[3] = ev_base(KT_PROC_EXIT, 5 * SEC, 0, 100, 100);
	ev[3].exit.exit_code = 0;
	ev[3].exit.flags = KT_EXIT_GROUP;
	kt_stats_opts_init(&opts);
	/* cat started at 1 s: age 2.5 s; the others started before */
	EXPECT_STR("text", run_stats("exitsnoop", ev, 4, NULL, &opts),
"TIME(s)           PCOMM            PID     PPID    TID     AGE(s)      EXIT_CODE\n"
"3.500000000       cat              200     100     200     2.500000    code 3\n"
"4.000000000       server           300     1       300     -           signal 9 (KILL)\n"
"5.000000000       bash             100     1       100     -           0\n");
	opts.all = true;
	opts.pid = 200;
	opts.json = true;
	EXPECT_STR("all", run_stats("exitsnoop", ev, 4, NULL, &opts),
"{\"ts\":3000000000,\"comm\":\"cat-worker\",\"pid\":200,\"tid\":201,\"ppid\":100,\"exit_code\":0,\"code\":0,\"signal\":0,\"status\":\"0\",\"process\":false}\n"
"{\"ts\":3500000000,\"comm\":\"cat\",\"pid\":200,\"tid\":200,\"ppid\":100,\"age_ns\":2500000000,\"exit_code\":768,\"code\":3,\"signal\":0,\"status\":\"exit 3\",\"process\":true}\n");
	return KT_PASS;
}

static size_t kill_events(struct kt_event *ev)
{
	ev[0] = ev_base(KT_SIGNAL_GEN, 6 * SEC, 0, 100, 100);
	ev[0].sig.target_tid = 200;
	ev[0].sig.target_pid = 200;
	ev[0].sig.signo = 15;
	ev[1] = ev_sys(6 * SEC + 10, 0, 100, 100, SYS_kill, 800, 0);
	ev[1].sys.arg[0] = 200;
	ev[1].sys.arg[1] = 15;
	ev[2] = ev_base(KT_SIGNAL_GEN, 6 * SEC + 20, 1, 200, 200);
	ev[2].sig.target_tid = 100;
	ev[2].sig.target_pid = 100;
	ev[2].sig.signo = 17;
	ev[2].sig.code = 1;     /* CLD_EXITED: sent by the kernel */
	ev[3] = ev_sys(6 * SEC + 30, 0, 300, 300, SYS_kill, 600, -3);
	ev[3].sys.arg[0] = 999;
	ev[3].sys.arg[1] = 9;
	ev[4] = ev_base(KT_SIGNAL_GEN, 6 * SEC + 40, 0, 201, 200);
	ev[4].sig.target_tid = 300;
	ev[4].sig.target_pid = 300;
	ev[4].sig.signo = 10;
	ev[4].sig.code = -6;
	ev[4].sig.result = 1;
	return 5;
}

KT_TEST(stream_stats_killsnoop)
{
	struct kt_stats_opts opts;
	struct kt_event ev[5];
	size_t n = kill_events(ev);

	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("killsnoop", ev, n, NULL, &opts),
"TIME(s)           PID     COMM             SIG         TPID    TCOMM            RESULT\n"
"6.000000000       100     bash             SIGTERM     200     cat              delivered\n"
"6.000000030       300     server           SIGKILL     999     ?                ESRCH\n"
"6.000000040       200     cat-worker       SIGUSR1     300     server           ignored\n");
	opts.all = true;
	opts.pid = 200;
	EXPECT_STR("all", run_stats("killsnoop", ev, n, NULL, &opts),
"TIME(s)           PID     COMM             SIG         TPID    TCOMM            RESULT\n"
"6.000000020       -       kernel           SIGCHLD     100     bash             delivered (child exited, in pid 200)\n"
"6.000000040       200     cat-worker       SIGUSR1     300     server           ignored\n");
	/* a capture without signal events: the kill syscalls tell it */
	kt_stats_opts_init(&opts);
	opts.have_kinds = KT_KIND_BIT(KT_SYSCALL);
	opts.json = true;
	ev[0] = ev[1];
	ev[1] = ev[3];
	EXPECT_STR("syscalls", run_stats("killsnoop", ev, 2, NULL, &opts),
"{\"ts\":6000000010,\"comm\":\"bash\",\"pid\":100,\"tid\":100,\"sender\":\"task\",\"signo\":15,\"signal\":\"SIGTERM\",\"target_pid\":200,\"target_comm\":\"cat\",\"result\":\"ok\"}\n"
"{\"ts\":6000000030,\"comm\":\"server\",\"pid\":300,\"tid\":300,\"sender\":\"task\",\"signo\":9,\"signal\":\"SIGKILL\",\"target_pid\":999,\"target_comm\":\"?\",\"result\":\"ESRCH\"}\n");
	return KT_PASS;
}

/* The kernel's SIGKILL (SI_KERNEL) is the OOM killer's when an oom_victim
 * event names its target right after (the killer signals, then marks);
 * another one is just the kernel's.  Rows stay in time order. */
KT_TEST(stream_stats_killsnoop_kernel)
{
	struct kt_stats_opts opts;
	struct kt_event ev[5];

	ev[0] = ev_base(KT_SIGNAL_GEN, 6 * SEC, 1, 200, 200);
	ev[0].sig.target_tid = ev[0].sig.target_pid = 200;
	ev[0].sig.signo = 9;
	ev[0].sig.code = 0x80;
	ev[1] = ev_base(KT_OOM_VICTIM, 6 * SEC + 2000, 1, 200, 200);
	ev[1].oom.victim_tid = ev[1].oom.victim_pid = 200;
	ev[2] = ev_base(KT_SIGNAL_GEN, 7 * SEC, 0, 300, 300);
	ev[2].sig.target_tid = ev[2].sig.target_pid = 300;
	ev[2].sig.signo = 9;
	ev[2].sig.code = 0x80;
	ev[3] = ev_base(KT_SIGNAL_GEN, 7 * SEC + 10, 0, 100, 100);
	ev[3].sig.target_tid = ev[3].sig.target_pid = 200;
	ev[3].sig.signo = 15;
	ev[4] = ev_base(KT_SIGNAL_GEN, 8 * SEC, 0, 300, 300);
	ev[4].sig.target_tid = ev[4].sig.target_pid = 300;
	ev[4].sig.signo = 9;
	ev[4].sig.code = 0x80;
	kt_stats_opts_init(&opts);
	opts.all = true;
	EXPECT_STR("text", run_stats("killsnoop", ev, 5, NULL, &opts),
"TIME(s)           PID     COMM             SIG         TPID    TCOMM            RESULT\n"
"6.000000000       -       kernel           SIGKILL     200     cat              delivered (OOM killer, in pid 200)\n"
"7.000000000       -       kernel           SIGKILL     300     server           delivered (in pid 300)\n"
"7.000000010       100     bash             SIGTERM     200     cat              delivered\n"
"8.000000000       -       kernel           SIGKILL     300     server           delivered (in pid 300)\n");
	opts.json = true;
	EXPECT_STR("json", run_stats("killsnoop", ev, 2, NULL, &opts),
"{\"ts\":6000000000,\"comm\":\"kernel\",\"pid\":0,\"tid\":0,\"sender\":\"kernel\",\"cause\":\"OOM killer\",\"context_comm\":\"cat\",\"context_pid\":200,\"context_tid\":200,\"signo\":9,\"signal\":\"SIGKILL\",\"target_pid\":200,\"target_comm\":\"cat\",\"result\":\"delivered\"}\n");
	/* not --all: only the signals tasks sent */
	opts.all = false;
	EXPECT_STR("user", run_stats("killsnoop", ev, 5, NULL, &opts),
"{\"ts\":7000000010,\"comm\":\"bash\",\"pid\":100,\"tid\":100,\"sender\":\"task\",\"signo\":15,\"signal\":\"SIGTERM\",\"target_pid\":200,\"target_comm\":\"cat\",\"result\":\"delivered\"}\n");
	return KT_PASS;
}

KT_TEST(stream_stats_oomkill)
{
	struct kt_stats_opts opts;
	struct tstrs S = { 0 };
	struct kt_event ev[2];

	ev[0] = ev_base(KT_OOM_VICTIM, 7 * SEC, 0, 300, 300);
	ev[0].oom.victim_tid = 200;
	ev[0].oom.victim_pid = 200;
	ev[0].oom.victim_comm_str = tstr(&S, "cat");
	ev[0].oom.memcg_str = tstr(&S, "/sys/fs/cgroup/memory/t");
	ev[0].oom.total_vm_kb = 2048;
	ev[0].oom.anon_rss_kb = 1024;
	ev[0].oom.file_rss_kb = 12;
	ev[0].oom.shmem_rss_kb = 0;
	ev[1] = ev_base(KT_OOM_VICTIM, 8 * SEC, 0, 100, 100);
	ev[1].oom.victim_tid = 100;
	ev[1].oom.victim_pid = 100;
	ev[1].oom.oom_score_adj = 1000;
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("oomkill", ev, 2, &S.tab, &opts),
"TIME(s)           MESSAGE\n"
"7.000000000       Triggered by PID 300 (\"server\"), OOM kill of PID 200 (\"cat\"), total-vm 2048 kB, anon-rss 1024 kB, file-rss 12 kB, shmem-rss 0 kB, oom_score_adj 0, memcg /sys/fs/cgroup/memory/t\n"
"8.000000000       Triggered by PID 100 (\"bash\"), OOM kill of PID 100 (\"bash\"), total-vm 0 kB, anon-rss 0 kB, file-rss 0 kB, shmem-rss 0 kB, oom_score_adj 1000, memcg -\n");
	opts.pid = 200;         /* the victim */
	opts.json = true;
	EXPECT_STR("json", run_stats("oomkill", ev, 2, &S.tab, &opts),
"{\"ts\":7000000000,\"comm\":\"server\",\"pid\":300,\"tid\":300,\"victim_pid\":200,\"victim_tid\":200,\"victim_comm\":\"cat\",\"total_vm_kb\":2048,\"anon_rss_kb\":1024,\"file_rss_kb\":12,\"shmem_rss_kb\":0,\"oom_score_adj\":0,\"memcg\":\"/sys/fs/cgroup/memory/t\"}\n");
	/* no kill: the header alone, as every snoop (issue 15) */
	kt_stats_opts_init(&opts);
	EXPECT_STR("empty", run_stats("oomkill", ev, 0, &S.tab, &opts),
		   "TIME(s)           MESSAGE\n");
	return KT_PASS;
}

KT_TEST(stream_stats_biosnoop)
{
	json_t *meta = json_pack("{s:{s:{s:s}}}", "host", "disks", "8:0", "sda");
	struct kt_disks *disks = kt_disks_new(meta);
	struct kt_stats_opts opts;
	struct kt_event ev[3];

	json_decref(meta);
	KT_ASSERT(disks, "disks");
	ev[0] = ev_base(KT_BLOCK_RQ, 9 * SEC, 0, 200, 200);
	ev[0].blk.dev = 8 << 20;
	ev[0].blk.op = 1 | 1u << 11;
	ev[0].blk.sector = 2048;
	ev[0].blk.bytes = 4096;
	ev[0].blk.queue_ns = 20 * US;
	ev[0].blk.service_ns = 1234567;
	ev[1] = ev_base(KT_BLOCK_RQ, 9 * SEC + 5 * MS, 1, 100, 100);
	ev[1].blk.dev = 259 << 20 | 1;
	ev[1].blk.op = 0;
	ev[1].blk.sector = 77;
	ev[1].blk.bytes = 512;
	ev[1].blk.service_ns = 80 * US;
	ev[1].blk.error = -5;
	/* a cache flush has no sector: the kernel's -1 prints "-" as bcc */
	ev[2] = ev_base(KT_BLOCK_RQ, 9 * SEC + 6 * MS, 1, 100, 100);
	ev[2].blk.dev = 8 << 20;
	ev[2].blk.op = 2;
	ev[2].blk.sector = ~0ULL;
	ev[2].blk.service_ns = 30 * US;
	kt_stats_opts_init(&opts);
	opts.queued = true;
	opts.disks = disks;
	EXPECT_STR("text", run_stats("biosnoop", ev, 3, NULL, &opts),
"TIME(s)           COMM             PID     DISK         T     SECTOR       BYTES      QUE(ms)   LAT(ms)\n"
"9.000000000       cat              200     sda(8:0)     WS    2048         4096         0.020     1.234\n"
"9.005000000       bash             100     259:1        R     77           512          0.000     0.080 EIO\n"
"9.006000000       bash             100     sda(8:0)     F     -            0            0.000     0.030\n");
	opts.json = true;
	EXPECT_STR("json", run_stats("biosnoop", ev + 2, 1, NULL, &opts),
"{\"ts\":9006000000,\"comm\":\"bash\",\"pid\":100,\"tid\":100,\"disk\":\"8:0\",\"disk_name\":\"sda\",\"rwbs\":\"F\",\"op\":\"FLUSH\",\"sector\":null,\"bytes\":0,\"queue_ns\":0,\"service_ns\":30000}\n");
	kt_disks_free(disks);
	return KT_PASS;
}
