// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * render/: the timeline picture.  Its pixel columns (intervals narrower
 * than a pixel merge into one summary a column, runs of alike columns:
 * memory does not grow with the intervals), its time axis (exact labels
 * down to the nanosecond), its lane order (culprit, critical path,
 * busiest, then folded), the drawn states, the window's slowest span
 * (never an idle wait unless asked), and a whole picture of a written
 * capture, checked from its scene.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "render/render_int.h"

/* ------------------------------------------------------------ columns */

/* 10 columns of 100 ns over [1000, 2000) */
KT_TEST(render_tl_columns)
{
	struct kt_rgeom g;
	struct kt_rcols c;
	const struct kt_rrun *r;

	kt_rgeom_init(&g, 1000, 2000, 10);
	kt_rcols_init(&c);
	/* columns 0-1 running on cpu 1, column 2 running 90 % */
	KT_ASSERT(!kt_rcols_add(&c, &g, 900, 1250, KT_RS_RUNNING, 1), "add");
	KT_ASSERT(!kt_rcols_add(&c, &g, 1250, 1260, KT_RS_RUNNABLE, KT_RCPU_NONE), "add");
	KT_ASSERT(!kt_rcols_add(&c, &g, 1260, 1300, KT_RS_RUNNING, 1), "add");
	/* column 3: disk 40, runnable 60: runnable, mixed */
	KT_ASSERT(!kt_rcols_add(&c, &g, 1300, 1340, KT_RS_DISK, KT_RCPU_NONE), "add");
	KT_ASSERT(!kt_rcols_add(&c, &g, 1340, 1400, KT_RS_RUNNABLE, KT_RCPU_NONE), "add");
	/* columns 4-7 disk, pure; 8 nothing (a gap); 9 lock to the end */
	KT_ASSERT(!kt_rcols_add(&c, &g, 1400, 1800, KT_RS_DISK, KT_RCPU_NONE), "add");
	KT_ASSERT(!kt_rcols_add(&c, &g, 1900, 2500, KT_RS_LOCK, KT_RCPU_NONE), "add");
	KT_ASSERT(!kt_rcols_flush(&c), "flush");
	KT_ASSERT(c.n == 4, "runs %zu", c.n);
	r = c.runs;
	KT_ASSERT(r[0].c0 == 0 && r[0].n == 3 && r[0].st == KT_RS_RUNNING &&
		  !r[0].mixed && r[0].cpu == 1,
		  "run 0: %u+%u st %u mixed %u cpu %u: running, 90 %% is pure",
		  r[0].c0, r[0].n, r[0].st, r[0].mixed, r[0].cpu);
	KT_ASSERT(r[1].c0 == 3 && r[1].n == 1 && r[1].st == KT_RS_RUNNABLE &&
		  r[1].mixed && r[1].cpu == KT_RCPU_NONE, "run 1: mixed runnable");
	KT_ASSERT(r[2].c0 == 4 && r[2].n == 4 && r[2].st == KT_RS_DISK &&
		  !r[2].mixed, "run 2: %u+%u disk", r[2].c0, r[2].n);
	KT_ASSERT(r[3].c0 == 9 && r[3].n == 1 && r[3].st == KT_RS_LOCK,
		  "run 3: lock in the last column, cut at the window's end");
	kt_rcols_release(&c);

	/* nanosecond zoom: 10 ns over 1000 columns, one ns is 100 of them */
	kt_rgeom_init(&g, 5000, 5010, 1000);
	kt_rcols_init(&c);
	KT_ASSERT(!kt_rcols_add(&c, &g, 5003, 5004, KT_RS_RUNNING, 0), "add");
	KT_ASSERT(!kt_rcols_add(&c, &g, 5004, 5005, KT_RS_RUNNABLE, KT_RCPU_NONE), "add");
	KT_ASSERT(!kt_rcols_flush(&c), "flush");
	KT_ASSERT(c.n == 2 && c.runs[0].c0 == 300 && c.runs[0].n == 100 &&
		  c.runs[1].c0 == 400 && c.runs[1].n == 100 && !c.runs[0].mixed,
		  "1 ns = columns 300..399 exactly: %u+%u", c.runs[0].c0,
		  c.runs[0].n);
	KT_ASSERT(kt_rgeom_col(&g, 5003) == 300 && kt_rgeom_col(&g, 5010) == 999,
		  "columns of instants");
	kt_rcols_release(&c);
	return KT_PASS;
}

/* The syscall row: covered less than half of a column (level 1) or more;
 * a window's last nanosecond at nanosecond zoom reaches its last pixel. */
KT_TEST(render_tl_syscall_row)
{
	struct kt_rgeom g;
	struct kt_rcov c;

	kt_rgeom_init(&g, 1000, 2000, 10);
	kt_rcov_init(&c);
	KT_ASSERT(!kt_rcov_add(&c, &g, 1000, 1010) && !kt_rcov_add(&c, &g, 1020, 1030) &&
		  !kt_rcov_add(&c, &g, 1100, 1190) && !kt_rcov_add(&c, &g, 1250, 1450) &&
		  !kt_rcov_flush(&c), "add");
	KT_ASSERT(c.n == 2 && c.runs[0].c0 == 0 && c.runs[0].n == 1 &&
		  c.runs[0].lvl == 1 && c.runs[1].c0 == 1 && c.runs[1].n == 4 &&
		  c.runs[1].lvl == 2, "runs %zu: %u+%u/%u", c.n, c.runs[0].c0,
		  c.runs[0].n, c.runs[0].lvl);
	kt_rcov_release(&c);
	kt_rgeom_init(&g, 5000, 5010, 1000);
	kt_rcov_init(&c);
	KT_ASSERT(!kt_rcov_add(&c, &g, 4990, 5010) && !kt_rcov_flush(&c), "add");
	KT_ASSERT(c.n == 1 && c.runs[0].c0 == 0 && c.runs[0].n == 1000 &&
		  c.runs[0].lvl == 2, "the whole window: %u+%u", c.runs[0].c0,
		  c.runs[0].n);
	KT_ASSERT(kt_rgeom_last(&g, 5010) == 999 && kt_rgeom_last(&g, 5004) == 399,
		  "the last column a nanosecond reaches");
	kt_rcov_release(&c);
	return KT_PASS;
}

/* A million intervals in 100 columns: the runs, not the intervals, are
 * what is kept; the column shows the dominant state, hatched. */
KT_TEST(render_tl_columns_bounded)
{
	struct kt_rgeom g;
	struct kt_rcols c;
	__u64 t = 0;

	kt_rgeom_init(&g, 0, 1000000000ULL, 100);
	kt_rcols_init(&c);
	for (int i = 0; i < 1000000; i++, t += 1000)
		KT_ASSERT(!kt_rcols_add(&c, &g, t, t + (i % 2 ? 300 : 700),
					i % 2 ? KT_RS_RUNNABLE : KT_RS_RUNNING,
					i % 4 ? 0 : 1) || 0, "add");
	KT_ASSERT(!kt_rcols_flush(&c), "flush");
	KT_ASSERT(c.n == 1 && c.cap <= 8 && c.runs[0].n == 100 &&
		  c.runs[0].st == KT_RS_RUNNING && c.runs[0].mixed,
		  "one run of 100 mixed running columns, %zu runs", c.n);
	KT_ASSERT(c.runs[0].cpu == 0 || c.runs[0].cpu == 1, "a cpu");
	kt_rcols_release(&c);
	return KT_PASS;
}

/* A thread that changes state at every pixel: its runs are grouped in
 * blocks until they fit, covering the same columns, hatched. */
KT_TEST(render_tl_coarsen)
{
	struct kt_rrun r[1000];
	struct kt_rcrun c[1000];
	size_t n;
	__u32 end = 0;

	for (__u32 i = 0; i < 1000; i++) {
		r[i] = (struct kt_rrun){ i, 1, i % 2 ? KT_RS_RUNNABLE : KT_RS_RUNNING,
					 0, (__u16)(i % 2 ? KT_RCPU_NONE : 1) };
		c[i] = (struct kt_rcrun){ i, 1, (__u8)(1 + i % 2) };
	}
	n = kt_rruns_coarsen(r, 1000, 120);
	KT_ASSERT(n >= 1 && n <= 120, "%zu runs", n);
	for (size_t i = 0; i < n; i++) {
		KT_ASSERT(r[i].c0 == end && r[i].mixed &&
			  (r[i].st == KT_RS_RUNNING || r[i].st == KT_RS_RUNNABLE),
			  "run %zu: %u+%u st %u mixed %u", i, r[i].c0, r[i].n,
			  r[i].st, r[i].mixed);
		end = r[i].c0 + r[i].n;
	}
	KT_ASSERT(end == 1000, "the same columns: to %u", end);
	KT_ASSERT(r[0].st == KT_RS_RUNNING && r[0].cpu == 1,
		  "ties go to running, with its cpu");
	n = kt_rcruns_coarsen(c, 1000, 120);
	KT_ASSERT(n >= 1 && n <= 120 && c[0].c0 == 0 &&
		  c[n - 1].c0 + c[n - 1].n == 1000 && c[0].lvl == 2,
		  "coverage: %zu runs, half covered is level 2", n);
	/* runs that fit stay as they are */
	r[0] = (struct kt_rrun){ 5, 10, KT_RS_DISK, 0, KT_RCPU_NONE };
	KT_ASSERT(kt_rruns_coarsen(r, 1, 120) == 1 && r[0].c0 == 5 &&
		  r[0].n == 10 && r[0].st == KT_RS_DISK, "one run kept");
	return KT_PASS;
}

/* The worst a picture holds (40 lanes, every row at its most runs,
 * alternating states, half of them hatched, emitted as a lane emits
 * them: alike together): its SVG stays under 2 MB, since alike
 * rectangles are drawn as one path. */
KT_TEST(render_tl_svg_bound)
{
	struct kt_scene s;
	char *buf;
	size_t len;

	kt_scene_init(&s, 1200, 40 * 28 + 200);
	for (int lane = 0; lane < 40; lane++) {
		float y = 150 + lane * 28.0f;

		kt_scene_rect(&s, "lane", 12, y, 1176, 27, 0xfafafa, 0, "x/1");
		kt_scene_text(&s, "lane:label", 22, y + 14, 10, 0x202020, 0,
			      "a-thread-name/%d", 1000 + lane);
		/* in the order a lane emits them: by state, then hatching */
		for (int k = 0; k < 2; k++)
			for (int h = 0; h < 2; h++)
				for (int i = k; i < KT_RTL_RUNS_MAX / 40; i += 2)
					if ((i % 4 < 2) == h)
						kt_scene_rect(&s, "state", 252 + i * 8.0f,
							      y + 3, 8, 14,
							      k ? 0x99ba36 : 0x317d31,
							      h ? KT_SI_HATCH : 0, NULL);
		for (int row = 0; row < 2; row++)
			for (int k = 0; k < 2; k++)
				for (int i = k; i < KT_RTL_RUNS_MAX / 40; i += 2)
					kt_scene_rect(&s, "sys", 252 + i * 8.0f,
						      y + 19 + row * 3.6f, 8, 3,
						      k ? 0x555555 : 0xbbbbbb, 0, NULL);
	}
	KT_ASSERT(!s.err && !kt_scene_draw(&s, KT_RF_SVG, &buf, &len), "draw");
	KT_ASSERT(len < 2 * 1024 * 1024, "svg of %zu bytes", len);
	free(buf);
	kt_scene_release(&s);
	return KT_PASS;
}

/* ---------------------------------------------------------------- axis */

/* the ns a label says: "1.25 µs" -> 1250 */
static __u64 label_ns(const char *s)
{
	static const struct { const char *u; __u64 ns; } units[] = {
		{ " s", 1000000000ULL }, { " ms", 1000000ULL },
		{ " \u00b5s", 1000ULL }, { " ns", 1ULL },
	};
	__u64 whole = 0, frac = 0, scale = 1;
	const char *p = s;

	if (!strcmp(s, "0"))
		return 0;
	while (*p >= '0' && *p <= '9')
		whole = whole * 10 + (__u64)(*p++ - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++) {
			frac = frac * 10 + (__u64)(*p - '0');
			scale *= 10;
		}
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(p, units[i].u))
			return whole * units[i].ns + frac * units[i].ns / scale;
	return ~0ULL;
}

KT_TEST(render_tl_ticks)
{
	static const __u64 spans[] = {
		1, 7, 10, 33, 999, 1000, 1234, 65536, 999999, 1000001,
		21768510, 141531440, 1000000003ULL, 1826055972ULL,
		60000000000ULL, 3600000000123ULL,
	};
	struct kt_rtick t[KT_RTICKS_MAX];
	char b[32];
	__u64 step;

	KT_ASSERT(!strcmp(kt_rtick_label(b, sizeof(b), 1500000000, 500000000,
					 2000000000), "1.5 s"), "%s", b);
	KT_ASSERT(!strcmp(kt_rtick_label(b, sizeof(b), 3, 1, 10), "3 ns"), "%s", b);
	KT_ASSERT(!strcmp(kt_rtick_label(b, sizeof(b), 1250, 250, 5000),
			  "1.25 \u00b5s"), "%s", b);
	KT_ASSERT(!strcmp(kt_rtick_label(b, sizeof(b), 123456789, 1, 2000000000),
			  "0.123456789 s"), "%s", b);
	KT_ASSERT(!strcmp(kt_rtick_label(b, sizeof(b), 20000000, 10000000,
					 141531440), "20 ms"), "%s", b);
	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		size_t n = kt_rticks(spans[i], 900, 10, t, KT_RTICKS_MAX, &step);
		__u64 m = step;
		float gap = (float)step * 900 / (float)spans[i];

		while (m % 10 == 0)
			m /= 10;
		KT_ASSERT(n >= 1 && (m == 1 || m == 2 || m == 5),
			  "span %llu: step %llu is 1, 2 or 5 x 10^k",
			  (unsigned long long)spans[i], (unsigned long long)step);
		for (size_t k = 0; k < n; k++) {
			KT_ASSERT(t[k].ns == k * step && t[k].ns <= spans[i],
				  "tick %zu at %llu", k, (unsigned long long)t[k].ns);
			KT_ASSERT(label_ns(t[k].label) == t[k].ns,
				  "span %llu: label '%s' says %llu, not %llu",
				  (unsigned long long)spans[i], t[k].label,
				  (unsigned long long)label_ns(t[k].label),
				  (unsigned long long)t[k].ns);
			KT_ASSERT(n < 2 || gap >= kt_scene_text_width(
					strlen(t[k].label), 10) + 10,
				  "span %llu: '%s' wider than %.1f px between ticks",
				  (unsigned long long)spans[i], t[k].label, gap);
		}
	}
	/* nanosecond zoom: every nanosecond has its tick */
	KT_ASSERT(kt_rticks(7, 900, 10, t, KT_RTICKS_MAX, &step) == 8 && step == 1 &&
		  !strcmp(t[7].label, "7 ns"), "7 ns over 900 px");
	return KT_PASS;
}

/* ---------------------------------------------------------- lane order */

KT_TEST(render_tl_lane_order)
{
	/* pid 10: 11 (hop 0, the slow span's thread), 12 and 13 (busy);
	 * pid 20: 21 (hop 1, the culprit), 22 (busiest); pid 30: 31 */
	struct kt_rlane l[] = {
		{ .tid = 11, .pid = 10, .busy = 5, .hop = 0 },
		{ .tid = 12, .pid = 10, .busy = 50, .hop = -1 },
		{ .tid = 13, .pid = 10, .busy = 40, .hop = -1 },
		{ .tid = 21, .pid = 20, .busy = 1, .hop = 1, .culprit = true },
		{ .tid = 22, .pid = 20, .busy = 90, .hop = -1 },
		{ .tid = 31, .pid = 30, .busy = 60, .hop = -1 },
	};
	static const __u32 all[] = { 21, 22, 11, 12, 13, 31 };
	static const __u32 four[] = { 21, 22, 11, 31, 12, 13 };
	size_t n = sizeof(l) / sizeof(l[0]), shown;

	shown = kt_rlane_order(l, n, 40);
	KT_ASSERT(shown == n, "all drawn: %zu", shown);
	for (size_t i = 0; i < n; i++)
		KT_ASSERT(l[i].tid == all[i], "lane %zu is %u, not %u: culprit, "
			  "its process, then by choice", i, l[i].tid, all[i]);
	/* four drawn: culprit 21, hop 0 (11), then the busiest 22, 31; 12
	 * and 13 fold */
	shown = kt_rlane_order(l, n, 4);
	KT_ASSERT(shown == 4, "four drawn");
	for (size_t i = 0; i < n; i++)
		KT_ASSERT(l[i].tid == four[i], "lane %zu is %u, not %u", i,
			  l[i].tid, four[i]);
	return KT_PASS;
}

/* -------------------------------------------------------------- states */

static unsigned st_of(unsigned state, __u32 nr, __u64 fid, unsigned cause,
		      unsigned flags)
{
	struct kt_tl_interval iv;

	memset(&iv, 0, sizeof(iv));
	iv.start = 1;
	iv.end = 2;
	iv.state = state;
	iv.flags = flags;
	iv.sys.nr = nr;
	iv.sys.arg[2] = fid;
	iv.wake.cause = cause;
	return kt_rstate_of(&iv);
}

KT_TEST(render_tl_states)
{
	const unsigned S = KT_TL_SLEEPING, D = KT_TL_BLOCKED, N = KT_TL_NOSYS;

	KT_ASSERT(st_of(KT_TL_RUNNING, N, 0, 0, 0) == KT_RS_RUNNING, "running");
	KT_ASSERT(st_of(KT_TL_RUNNABLE, N, 0, 0, 0) == KT_RS_RUNNABLE, "runnable");
	KT_ASSERT(st_of(KT_TL_UNKNOWN, N, 0, 0, 0) == KT_RS_UNKNOWN, "unknown");
	KT_ASSERT(st_of(KT_TL_DEAD, N, 0, 0, 0) == KT_RS_NONE, "dead: not drawn");
	KT_ASSERT(st_of(S, SYS_futex, 0, KT_CAUSE_TIMER, 0) == KT_RS_LOCK,
		  "futex is a lock, even timed out");
	KT_ASSERT(st_of(S, SYS_wait4, 0, KT_CAUSE_TASK, 0) == KT_RS_CHILD, "wait4");
	KT_ASSERT(st_of(S, SYS_clock_nanosleep, 0, KT_CAUSE_TIMER, 0) == KT_RS_TIMER,
		  "sleep");
	KT_ASSERT(st_of(D, SYS_fsync, KT_FILE_ID(S_IFREG, 5), 0, 0) == KT_RS_DISK,
		  "fsync");
	KT_ASSERT(st_of(S, SYS_read, KT_FILE_ID(S_IFIFO, 5), KT_CAUSE_TASK, 0) ==
		  KT_RS_IPC, "a pipe read");
	KT_ASSERT(st_of(S, SYS_read, KT_FILE_ID(S_IFSOCK, 5), KT_CAUSE_TASK, 0) ==
		  KT_RS_IPC, "a socket a task wrote");
	KT_ASSERT(st_of(S, SYS_recvfrom, KT_FILE_ID(S_IFSOCK, 5), KT_CAUSE_NET, 0) ==
		  KT_RS_NET, "a socket the network filled");
	KT_ASSERT(st_of(D, SYS_read, KT_FILE_ID(S_IFREG, 5), KT_CAUSE_DISK, 0) ==
		  KT_RS_DISK, "a file read");
	KT_ASSERT(st_of(S, SYS_epoll_wait, 0, KT_CAUSE_TASK, 0) == KT_RS_IDLE,
		  "epoll_wait is idle");
	KT_ASSERT(st_of(D, N, 0, KT_CAUSE_DISK, 0) == KT_RS_DISK,
		  "no syscall, woken by a block completion");
	KT_ASSERT(st_of(S, N, 0, KT_CAUSE_TASK, KT_TL_F_KTHREAD) == KT_RS_IDLE,
		  "a kernel thread's main loop");
	KT_ASSERT(st_of(S, N, 0, KT_CAUSE_TASK, 0) == KT_RS_WAIT,
		  "a user thread's wait that nothing tells: waiting, no guess");
	KT_ASSERT(st_of(S, SYS_ioctl, 0, KT_CAUSE_TASK, 0) == KT_RS_WAIT,
		  "ioctl: waiting");
	KT_ASSERT(kt_why_idle_syscall(SYS_epoll_wait) &&
		  kt_why_idle_syscall(SYS_wait4) && kt_why_idle_syscall(SYS_pause) &&
		  kt_why_idle_syscall(SYS_nanosleep) && !kt_why_idle_syscall(SYS_futex) &&
		  !kt_why_idle_syscall(SYS_read), "the idle list");
	return KT_PASS;
}

/* ------------------------------------------------------ slowest, picture */

/*
 * Process 10: main 10 idles in epoll_wait [100, 20100) on cpu1; waiter 11
 * waits in futex [150, 5100) on cpu0 until holder 21 (process 20), which
 * runs [200, 5000), wakes it; 11 runs at 5050.  Process 30: 31 waits in
 * no syscall, D, [300, 400).
 */
static struct kt_reader *convoy(const char *name)
{
	struct kt_reader *r = NULL;
	struct kt_err err;
	char path[256];
	struct cs s;

	cs_init(&s);
	cs_task(&s, 10, 10, "main");
	cs_task(&s, 11, 10, "waiter");
	cs_task(&s, 21, 20, "holder");
	cs_task(&s, 31, 30, "other");
	cs_switch(&s, 50, 1, 0, KT_STATE_RUNNABLE, 10);
	cs_switch(&s, 100, 1, 10, KT_STATE_SLEEPING, 31);
	cs_switch(&s, 120, 0, 0, KT_STATE_RUNNABLE, 11);
	cs_switch(&s, 150, 0, 11, KT_STATE_SLEEPING, 21);
	cs_switch(&s, 300, 1, 31, KT_STATE_DISK, 0);
	cs_wake(&s, 400, 1, 0, 31, KT_CTX_HARDIRQ);
	cs_switch(&s, 410, 1, 0, KT_STATE_RUNNABLE, 31);
	cs_switch(&s, 450, 1, 31, KT_STATE_SLEEPING, 0);
	cs_wake(&s, 5000, 0, 21, 11, KT_CTX_TASK);
	cs_switch(&s, 5050, 0, 21, KT_STATE_RUNNABLE, 11);
	cs_sys(&s, 5100, 0, 11, SYS_futex, 4950, 0, 0, 0, KT_SYSCALL_BLOCKED);
	cs_switch(&s, 6000, 0, 11, KT_STATE_SLEEPING, 21);
	cs_wake(&s, 20050, 0, 21, 10, KT_CTX_TASK);
	cs_switch(&s, 20080, 1, 0, KT_STATE_RUNNABLE, 10);
	cs_sys(&s, 20100, 1, 10, SYS_epoll_wait, 20000, 1, 0, 0,
	       KT_SYSCALL_BLOCKED);
	cs_switch(&s, 21000, 1, 10, KT_STATE_SLEEPING, 0);
	snprintf(path, sizeof(path), "%s/%s.ktr", kt_test_tmpdir(), name);
	if (cs_write(&s, path, 0) || kt_reader_open(&r, path, 0, &err))
		r = NULL;
	cs_release(&s);
	return r;
}

KT_TEST(render_tl_slowest)
{
	struct kt_reader *r = convoy("tl_slowest");
	struct kt_window w = { .from = 50, .to = 21000 };
	struct kt_why_span sp;
	struct kt_err err;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_why_pick_window(r, &w, 0, 0, &sp, &err), "pick");
	KT_ASSERT(sp.kind == KT_WHY_SYSCALL && sp.tid == 11 &&
		  sp.sys.nr == SYS_futex && sp.start == 150 && sp.end == 5100,
		  "the futex, not the longer epoll_wait: kind %u tid %u nr %u",
		  sp.kind, sp.tid, sp.sys.nr);
	KT_ASSERT(!kt_why_pick_window(r, &w, 10, 10, &sp, &err), "pick pid 10");
	KT_ASSERT(sp.tid == 10 && sp.sys.nr == SYS_epoll_wait,
		  "asked for: the idle wait is its slowest");
	/* cut to the window, ranked by what is inside it */
	w.from = 4000;
	w.to = 6000;
	KT_ASSERT(!kt_why_pick_window(r, &w, 0, 0, &sp, &err), "pick cut");
	KT_ASSERT(sp.tid == 11 && sp.start == 4000 && sp.end == 5100 &&
		  sp.sys.start == 150, "cut to [4000, 5100), the syscall whole");
	w.from = 310;
	w.to = 390;
	KT_ASSERT(!kt_why_pick_window(r, &w, 30, 0, &sp, &err), "pick D");
	KT_ASSERT(sp.kind == KT_WHY_WAIT && sp.tid == 31, "a D wait in no syscall");
	kt_reader_close(r);
	return KT_PASS;
}

static const struct kt_sitem *first_role(const struct kt_scene *s,
					 const char *prefix)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->items[i].role, prefix, strlen(prefix)))
			return &s->items[i];
	return NULL;
}

static size_t count_role(const struct kt_scene *s, const char *role)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += !strcmp(s->items[i].role, role);
	return n;
}

/* The picture: the culprit (21, another process) is the first lane,
 * highlighted, then the slow span's thread; --lanes 1 folds the rest; a
 * pid that is not there draws "no events". */
KT_TEST(render_tl_picture)
{
	struct kt_reader *r = convoy("tl_picture");
	struct kt_rtl_opts o = { .w = { .from = 50, .to = 21000 }, .width = 800,
				 .title = "convoy" };
	struct kt_rtl_result res;
	const struct kt_sitem *it;
	struct kt_scene s;
	struct kt_err err;
	char *a, *b;
	size_t na, nb;

	KT_ASSERT(r, "capture");
	KT_ASSERT(!kt_render_timeline(r, &o, &s, &res, &err), "render");
	KT_ASSERT(!res.empty && res.threads == 4 && res.lanes == 4 &&
		  !res.folded && res.culprit && res.culprit_tid == 21,
		  "threads %zu lanes %zu culprit %d tid %u", res.threads,
		  res.lanes, res.culprit, res.culprit_tid);
	it = first_role(&s, "lane");
	KT_ASSERT(it && !strcmp(it->role, "lane:culprit") &&
		  !strcmp(it->text, "holder/21"), "the first lane: %s %s",
		  it ? it->role : "-", it && it->text ? it->text : "-");
	it = first_role(&s, "lane:label");
	KT_ASSERT(it && !strcmp(it->text, "holder/21") && (it->flags & KT_SI_BOLD),
		  "its label, bold");
	KT_ASSERT(count_role(&s, "lane:path") == 2 && count_role(&s, "span:slowest") == 1,
		  "two lanes on the path, one slowest span");
	KT_ASSERT(count_role(&s, "arrow:wakeup-path") >= 1, "the wakeup drawn");
	KT_ASSERT(s.width == 800 && s.height > 100, "size %.0fx%.0f", s.width,
		  s.height);
	/* the same picture twice: the same bytes */
	KT_ASSERT(!kt_scene_dump(&s, &a, &na), "dump");
	kt_scene_release(&s);
	KT_ASSERT(!kt_render_timeline(r, &o, &s, &res, &err), "again");
	KT_ASSERT(!kt_scene_dump(&s, &b, &nb) && na == nb && !memcmp(a, b, na),
		  "deterministic");
	free(a);
	free(b);
	kt_scene_release(&s);

	o.lanes = 1;
	KT_ASSERT(!kt_render_timeline(r, &o, &s, &res, &err), "render 1 lane");
	KT_ASSERT(res.lanes == 1 && res.folded == 3 && res.culprit &&
		  count_role(&s, "lane:fold") == 1, "one lane, three folded");
	kt_scene_release(&s);

	o.lanes = 0;
	o.pid = 99;
	KT_ASSERT(!kt_render_timeline(r, &o, &s, &res, &err), "render pid 99");
	it = first_role(&s, "empty");
	KT_ASSERT(res.empty && (it = first_role(&s, "empty")) && s.n &&
		  strstr(s.items[s.n - 1].text, "no events for pid 99 in ["),
		  "no events: %s", s.n ? s.items[s.n - 1].text : "-");
	kt_scene_release(&s);
	kt_reader_close(r);
	return KT_PASS;
}
