// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stats: biolatency, syscount, faults, and the containers under them. */
#include <sys/syscall.h>
#include "stream_util.h"
#include "analyze/names.h"
#include "analyze/stats_int.h"

KT_TEST(stream_stats_map)
{
	struct kt_map m;
	__u64 *v, key;
	bool created;
	size_t n = 0;

	kt_map_init(&m, sizeof(__u64));
	for (__u64 k = 0; k < 5000; k++) {
		v = kt_map_put(&m, k * 7919, &created);
		KT_ASSERT(v && created && *v == 0, "put %llu",
			  (unsigned long long)k);
		*v = k;
	}
	/* delete every third key: the rest must stay findable */
	for (__u64 k = 0; k < 5000; k += 3)
		kt_map_del(&m, k * 7919);
	for (__u64 k = 0; k < 5000; k++) {
		v = kt_map_get(&m, k * 7919);
		KT_ASSERT(k % 3 ? v && *v == k : !v, "get %llu",
			  (unsigned long long)k);
	}
	KT_ASSERT(m.n == 5000 - 1667, "n %zu", m.n);
	for (size_t i = 0; i < m.cap; i++)
		if ((v = kt_map_slot(&m, i, &key))) {
			KT_ASSERT(key == *v * 7919, "slot key");
			n++;
		}
	KT_ASSERT(n == m.n, "slots %zu", n);
	v = kt_map_put(&m, 7919, &created);
	KT_ASSERT(v && !created && *v == 1, "existing");
	kt_map_release(&m);
	return KT_PASS;
}

KT_TEST(stream_stats_lhist)
{
	struct kt_lhist h = { 0 };

	KT_ASSERT(kt_lhist_pct(&h, 50) == 0, "empty");
	/* 0..31 are exact */
	for (__u64 v = 0; v < 32; v++)
		KT_ASSERT(!kt_lhist_add(&h, v), "add");
	KT_ASSERT(kt_lhist_pct(&h, 50) == 15 && kt_lhist_pct(&h, 100) == 31 &&
		  kt_lhist_pct(&h, 1) == 0, "linear: %llu",
		  (unsigned long long)kt_lhist_pct(&h, 50));
	kt_lhist_release(&h);
	memset(&h, 0, sizeof(h));
	/* equal values are exact at any size; neighbours share a bucket
	 * (1000 and 1006 both fall in [992, 1008)) and report its mean */
	for (int i = 0; i < 45; i++) {
		kt_lhist_add(&h, 1000);
		kt_lhist_add(&h, 1006);
	}
	for (int i = 0; i < 10; i++)
		kt_lhist_add(&h, 1000000007ULL);
	KT_ASSERT(h.n == 100 && h.min == 1000 && h.max == 1000000007ULL,
		  "n/min/max");
	KT_ASSERT(kt_lhist_pct(&h, 50) == 1003 && kt_lhist_pct(&h, 90) == 1003,
		  "p50 %llu", (unsigned long long)kt_lhist_pct(&h, 50));
	KT_ASSERT(kt_lhist_pct(&h, 91) == 1000000007ULL &&
		  kt_lhist_pct(&h, 99) == 1000000007ULL, "p99");
	kt_lhist_add(&h, ~0ULL);
	KT_ASSERT(kt_lhist_pct(&h, 100) == ~0ULL, "max u64");
	kt_lhist_release(&h);
	return KT_PASS;
}

static struct kt_event blk(__u64 ts, __u32 tid, __u32 dev, __u64 svc,
			   __u64 queue)
{
	struct kt_event e = ev_base(KT_BLOCK_RQ, ts, 0, tid, tid);

	e.blk.dev = dev;
	e.blk.service_ns = svc;
	e.blk.queue_ns = queue;
	e.blk.bytes = 4096;
	return e;
}

KT_TEST(stream_stats_biolatency)
{
	struct kt_stats_opts opts;
	struct kt_event ev[8];
	__u32 sda = 8 << 20, nvme = 259 << 20;

	ev[0] = blk(1, 200, sda, 500, 0);              /* 0 us */
	ev[1] = blk(2, 200, sda, 1500, 0);             /* 1 us */
	ev[2] = blk(3, 200, sda, 3999, 0);             /* 3 us */
	ev[3] = blk(4, 100, nvme, 100 * US, 0);
	ev[4] = blk(5, 100, nvme, 100 * US, 0);
	ev[5] = blk(6, 100, nvme, 127 * US, 900 * US); /* 1027 with --queued */
	ev[6] = blk(7, 200, sda, 1 * MS, 0);           /* 1000 us */
	ev[7] = blk(8, 200, sda, 3 * SEC, 0);
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("biolatency", ev, 7, NULL, &opts),
"     usecs               : count    distribution\n"
"         0 -> 1          : 2        |**************************              |\n"
"         2 -> 3          : 1        |*************                           |\n"
"         4 -> 7          : 0        |                                        |\n"
"         8 -> 15         : 0        |                                        |\n"
"        16 -> 31         : 0        |                                        |\n"
"        32 -> 63         : 0        |                                        |\n"
"        64 -> 127        : 3        |****************************************|\n"
"       128 -> 255        : 0        |                                        |\n"
"       256 -> 511        : 0        |                                        |\n"
"       512 -> 1023       : 1        |*************                           |\n");
	return KT_PASS;
}

KT_TEST(stream_stats_biolatency_options)
{
	json_t *meta = json_pack("{s:{s:{s:s}}}", "host", "disks", "259:0",
				 "nvme0n1");
	struct kt_disks *disks = kt_disks_new(meta);
	struct kt_stats_opts opts;
	struct kt_event ev[8];
	__u32 sda = 8 << 20, nvme = 259 << 20;

	json_decref(meta);
	KT_ASSERT(disks, "disks");
	ev[0] = blk(1, 200, sda, 500, 0);
	ev[1] = blk(2, 100, nvme, 100 * US, 0);
	ev[2] = blk(3, 100, nvme, 127 * US, 900 * US);
	ev[3] = blk(4, 200, sda, 3 * SEC, 0);
	kt_stats_opts_init(&opts);
	opts.per_disk = true;
	opts.ms = true;
	opts.queued = true;
	opts.disks = disks;     /* sda is not named: a capture before names */
	EXPECT_STR("per disk", run_stats("biolatency", ev, 4, NULL, &opts),
"disk = 8:0\n"
"     msecs               : count    distribution\n"
"         0 -> 1          : 1        |****************************************|\n"
"         2 -> 3          : 0        |                                        |\n"
"         4 -> 7          : 0        |                                        |\n"
"         8 -> 15         : 0        |                                        |\n"
"        16 -> 31         : 0        |                                        |\n"
"        32 -> 63         : 0        |                                        |\n"
"        64 -> 127        : 0        |                                        |\n"
"       128 -> 255        : 0        |                                        |\n"
"       256 -> 511        : 0        |                                        |\n"
"       512 -> 1023       : 0        |                                        |\n"
"      1024 -> 2047       : 0        |                                        |\n"
"      2048 -> 4095       : 1        |****************************************|\n"
"\n"
"disk = nvme0n1 (259:0)\n"
"     msecs               : count    distribution\n"
"         0 -> 1          : 2        |****************************************|\n");
	opts.json = true;
	opts.pid = 100;
	EXPECT_STR("json", run_stats("biolatency", ev, 4, NULL, &opts),
"{\"disk\":\"259:0\",\"disk_name\":\"nvme0n1\",\"unit\":\"msecs\",\"count\":2,\"buckets\":[{\"low\":0,\"high\":1,\"count\":2}]}\n");
	kt_disks_free(disks);
	kt_stats_opts_init(&opts);
	opts.json = true;
	EXPECT_STR("empty", run_stats("biolatency", ev, 0, NULL, &opts),
"{\"unit\":\"usecs\",\"count\":0,\"buckets\":[]}\n");
	return KT_PASS;
}

static size_t sys_events(struct kt_event *ev)
{
	size_t n = 0;

	ev[n++] = ev_sys(10, 0, 200, 200, SYS_read, 1000, 10);
	ev[n++] = ev_sys(20, 0, 200, 200, SYS_read, 2000, 10);
	ev[n++] = ev_sys(30, 1, 201, 200, SYS_read, 3000, -11);
	ev[n++] = ev_sys(40, 1, 100, 100, SYS_openat, 50 * US, 3);
	ev[n++] = ev_sys(50, 1, 100, 100, SYS_openat, 20 * US, -2);
	for (int i = 0; i < 5; i++)
		ev[n++] = ev_sys(60 + i, 0, 300, 300, SYS_getppid, 100, 1);
	ev[n++] = ev_sys(70, 0, 300, 300, SYS_futex, 5 * SEC, 0);
	ev[n - 1].sys.flags = KT_SYSCALL_UNFINISHED;
	ev[n++] = ev_sys(80, 0, 300, 300, SYS_openat, 30 * US, -2);
	ev[n++] = ev_sys(90, 0, 300, 300, SYS_openat, 40 * US, -13);
	return n;
}

KT_TEST(stream_stats_syscount)
{
	struct kt_stats_opts opts;
	struct kt_event ev[16];
	size_t n = sys_events(ev);

	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("syscount", ev, n, NULL, &opts),
"SYSCALL                  COUNT   ERRORS      TOTAL(us)     P50(us)     P90(us)     P99(us)     MAX(us)\n"
"getppid                      5        0          0.500       0.100       0.100       0.100       0.100\n"
"openat                       4        3        140.000      30.000      50.000      50.000      50.000\n"
"read                         3        1          6.000       2.000       3.000       3.000       3.000\n"
"futex                        1        0          0.000       0.000       0.000       0.000       0.000\n"
"\n"
"PID     COMM                 COUNT   ERRORS      TOTAL(us)     P50(us)     P90(us)     P99(us)     MAX(us)\n"
"300     server                   8        2         70.500       0.100      40.000      40.000      40.000\n"
"200     cat-worker               3        1          6.000       2.000       3.000       3.000       3.000\n"
"100     bash                     2        1         70.000      20.000      50.000      50.000      50.000\n"
"\n"
"SYSCALL              ERRNO               COUNT\n"
"openat               ENOENT                  2\n"
"read                 EAGAIN                  1\n"
"openat               EACCES                  1\n");
	opts.top = 1;
	opts.failed = true;
	EXPECT_STR("failed top 1", run_stats("syscount", ev, n, NULL, &opts),
"SYSCALL                  COUNT   ERRORS      TOTAL(us)     P50(us)     P90(us)     P99(us)     MAX(us)\n"
"openat                       3        3         90.000      30.000      40.000      40.000      40.000\n"
"\n"
"PID     COMM                 COUNT   ERRORS      TOTAL(us)     P50(us)     P90(us)     P99(us)     MAX(us)\n"
"300     server                   2        2         70.000      30.000      40.000      40.000      40.000\n"
"\n"
"SYSCALL              ERRNO               COUNT\n"
"openat               ENOENT                  2\n");
	kt_stats_opts_init(&opts);
	opts.syscall = SYS_read;
	opts.json = true;
	EXPECT_STR("json", run_stats("syscount", ev, n, NULL, &opts),
"{\"table\":\"syscall\",\"syscall\":\"read\",\"nr\":0,\"count\":3,\"errors\":1,\"total_ns\":6000,\"p50_ns\":2000,\"p90_ns\":3000,\"p99_ns\":3000,\"max_ns\":3000}\n"
"{\"table\":\"process\",\"pid\":200,\"comm\":\"cat-worker\",\"count\":3,\"errors\":1,\"total_ns\":6000,\"p50_ns\":2000,\"p90_ns\":3000,\"p99_ns\":3000,\"max_ns\":3000}\n"
"{\"table\":\"errno\",\"syscall\":\"read\",\"nr\":0,\"errno\":\"EAGAIN\",\"count\":1}\n");
	return KT_PASS;
}

/* --per-process: the errno table by process, the name it had */
KT_TEST(stream_stats_syscount_per_process)
{
	char *text, *errtab;
	struct kt_stats_opts opts;
	struct kt_event ev[16];
	size_t n = sys_events(ev);

	kt_stats_opts_init(&opts);
	opts.failed = true;
	opts.per_process = true;
	opts.json = true;
	EXPECT_STR("json", run_stats("syscount", ev, n, NULL, &opts),
"{\"table\":\"syscall\",\"syscall\":\"openat\",\"nr\":257,\"count\":3,\"errors\":3,\"total_ns\":90000,\"p50_ns\":30000,\"p90_ns\":40000,\"p99_ns\":40000,\"max_ns\":40000}\n"
"{\"table\":\"syscall\",\"syscall\":\"read\",\"nr\":0,\"count\":1,\"errors\":1,\"total_ns\":3000,\"p50_ns\":3000,\"p90_ns\":3000,\"p99_ns\":3000,\"max_ns\":3000}\n"
"{\"table\":\"process\",\"pid\":300,\"comm\":\"server\",\"count\":2,\"errors\":2,\"total_ns\":70000,\"p50_ns\":30000,\"p90_ns\":40000,\"p99_ns\":40000,\"max_ns\":40000}\n"
"{\"table\":\"process\",\"pid\":100,\"comm\":\"bash\",\"count\":1,\"errors\":1,\"total_ns\":20000,\"p50_ns\":20000,\"p90_ns\":20000,\"p99_ns\":20000,\"max_ns\":20000}\n"
"{\"table\":\"process\",\"pid\":200,\"comm\":\"cat-worker\",\"count\":1,\"errors\":1,\"total_ns\":3000,\"p50_ns\":3000,\"p90_ns\":3000,\"p99_ns\":3000,\"max_ns\":3000}\n"
"{\"table\":\"errno\",\"pid\":100,\"comm\":\"bash\",\"syscall\":\"openat\",\"nr\":257,\"errno\":\"ENOENT\",\"count\":1}\n"
"{\"table\":\"errno\",\"pid\":200,\"comm\":\"cat-worker\",\"syscall\":\"read\",\"nr\":0,\"errno\":\"EAGAIN\",\"count\":1}\n"
"{\"table\":\"errno\",\"pid\":300,\"comm\":\"server\",\"syscall\":\"openat\",\"nr\":257,\"errno\":\"ENOENT\",\"count\":1}\n"
"{\"table\":\"errno\",\"pid\":300,\"comm\":\"server\",\"syscall\":\"openat\",\"nr\":257,\"errno\":\"EACCES\",\"count\":1}\n");
	opts.json = false;
	opts.top = 2;
	text = run_stats("syscount", ev, n, NULL, &opts);
	KT_ASSERT(text && strstr(text, "\n\nPID     COMM             SYSCALL"),
		  "no errno table by process: %s", text ? text : "");
	errtab = strdup(strstr(text, "\n\nPID     COMM             SYSCALL"));
	free(text);
	EXPECT_STR("text", errtab,
"\n\nPID     COMM             SYSCALL              ERRNO               COUNT\n"
"100     bash             openat               ENOENT                  1\n"
"200     cat-worker       read                 EAGAIN                  1\n");
	return KT_PASS;
}

/* Several tools in one pass print what each prints alone. */
KT_TEST(stream_stats_jobs)
{
	const char *names[] = { "syscount", "exitsnoop", "biolatency" };
	struct kt_stats_opts opts[3];
	struct kt_stats_job jobs[3];
	struct kt_out o[3];
	struct kt_event ev[16];
	struct kt_err err = { 0 };
	struct kt_source *src;
	size_t n = sys_events(ev);

	for (int i = 0; i < 3; i++) {
		kt_stats_opts_init(&opts[i]);
		opts[i].json = i == 1;
		KT_ASSERT(!kt_out_init(&o[i], -1, 64), "out");
		jobs[i] = (struct kt_stats_job){ .tool = kt_stats_find(names[i]),
						 .opts = &opts[i], .o = &o[i] };
	}
	opts[0].failed = true;
	opts[2].from = 45;
	src = kt_source_mem(ev, n, NULL, stream_tasks, NSTREAM_TASKS);
	KT_ASSERT(src, "source");
	KT_ASSERT(!kt_stats_run_jobs(jobs, 3, src, &err), "run: %s", err.msg);
	kt_source_free(src);
	for (int i = 0; i < 3; i++) {
		char *alone = run_stats(names[i], ev, n, NULL, &opts[i]);

		kt_out_ch(&o[i], 0);
		KT_ASSERT(alone && !strcmp(o[i].buf, alone),
			  "%s: in jobs:\n%s\nalone:\n%s", names[i], o[i].buf,
			  alone ? alone : "(failed)");
		free(alone);
		kt_out_release(&o[i]);
	}
	KT_ASSERT(jobs[0].matched == 4, "syscount matched %llu",
		  (unsigned long long)jobs[0].matched);
	return KT_PASS;
}

KT_TEST(stream_stats_faults)
{
	struct kt_stats_opts opts;
	struct kt_event ev[4];

	for (int i = 0; i < 4; i++) {
		ev[i] = ev_base(KT_PAGE_FAULT, 100 + i, 0, i < 3 ? 201 : 100,
				i < 3 ? 200 : 100);
		ev[i].fault.period = 100;
	}
	ev[0].fault.flags = KT_FAULT_WRITE | KT_FAULT_MAJOR;
	ev[1].fault.flags = KT_FAULT_WRITE;
	ev[3].fault.period = 0;         /* unsampled: stands for one */
	kt_stats_opts_init(&opts);
	EXPECT_STR("text", run_stats("faults", ev, 4, NULL, &opts),
"PID     COMM                   FAULTS      MAJOR      WRITE    SAMPLES\n"
"200     cat-worker                300        100        200          3\n"
"100     bash                        1          0          0          1\n");
	opts.json = true;
	opts.top = 1;
	EXPECT_STR("json", run_stats("faults", ev, 4, NULL, &opts),
"{\"pid\":200,\"comm\":\"cat-worker\",\"faults\":300,\"major\":100,\"write\":200,\"samples\":3}\n");
	return KT_PASS;
}

/* x86-64 returns errors as -4095..-1: a larger magnitude is a value (an
 * address from mmap, an offset), never an error. */
KT_TEST(stream_stats_errno_bound)
{
	struct kt_stats_opts opts;
	struct kt_event ev[3];

	ev[0] = ev_sys(10, 0, 200, 200, SYS_mmap, 1000, -4095);
	ev[1] = ev_sys(20, 0, 200, 200, SYS_mmap, 1000, -4096);
	ev[2] = ev_sys(30, 0, 200, 200, SYS_mmap, 1000, -(1LL << 40));
	kt_stats_opts_init(&opts);
	opts.json = true;
	EXPECT_STR("json", run_stats("syscount", ev, 3, NULL, &opts),
"{\"table\":\"syscall\",\"syscall\":\"mmap\",\"nr\":9,\"count\":3,\"errors\":1,\"total_ns\":3000,\"p50_ns\":1000,\"p90_ns\":1000,\"p99_ns\":1000,\"max_ns\":1000}\n"
"{\"table\":\"process\",\"pid\":200,\"comm\":\"cat\",\"count\":3,\"errors\":1,\"total_ns\":3000,\"p50_ns\":1000,\"p90_ns\":1000,\"p99_ns\":1000,\"max_ns\":1000}\n"
"{\"table\":\"errno\",\"syscall\":\"mmap\",\"nr\":9,\"errno\":\"?\",\"count\":1}\n");
	return KT_PASS;
}
