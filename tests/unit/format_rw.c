// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Writer and reader: round trips, seeks, filters, tasks, flight mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kt_test.h"
#include "format_gen.h"
#include "format/reader_int.h"

static char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, 256, "%s/%s", kt_test_tmpdir(), name);
	return p;
}

/* read_all - every event of @path compared with @want (sorted). */
static int check_all(const char *path, const struct gen_ev *want, size_t n,
		     const struct gen_pool *pool, unsigned flags)
{
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	char why[256];
	size_t i = 0;
	int rc;

	rc = kt_reader_open(&r, path, flags, &err);
	KT_ASSERT(rc == 0, "open: %s at %llu", err.msg, (unsigned long long)err.off);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		KT_ASSERT(i < n, "more events than written");
		KT_ASSERT(gen_same(&want[i], ev, pool, why, sizeof(why)),
			  "event %zu: %s", i, why);
		i++;
	}
	KT_ASSERT(rc == 0, "next: %s at %llu", err.msg,
		  (unsigned long long)err.off);
	KT_ASSERT(i == n, "read %zu of %zu", i, n);
	kt_reader_close(r);
	return KT_PASS;
}

static int roundtrip(__u64 seed, size_t n, unsigned late, __u32 fe,
		     size_t flush_every)
{
	struct kt_writer_opts o = { .frame_events = fe };
	struct gen_pool pool;
	struct gen_ev *evs, *sorted;
	char *path = tmp_path("rt.ktr");
	struct stat sb;
	int rc;

	gen_pool_init(&pool, seed);
	evs = gen_stream(seed, n, 1000, late);
	sorted = gen_sorted(evs, n);
	rc = gen_write(path, evs, n, &pool, &o, flush_every);
	KT_ASSERT(rc == 0, "write: %s", strerror(-rc));
	KT_ASSERT(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
		  "mode %o", sb.st_mode & 0777);
	rc = check_all(path, sorted, n, &pool, 0);
	if (getenv("KT_KEEP")) { char c[512]; snprintf(c, sizeof(c), "cp %s %s", path, getenv("KT_KEEP")); if (system(c)) {} }
	if (rc == KT_PASS)      /* the same without the index */
		rc = check_all(path, sorted, n, &pool, KT_READ_SCAN);
	free(evs);
	free(sorted);
	gen_pool_release(&pool);
	return rc;
}

KT_TEST(format_roundtrip_one_frame)
{
	for (__u64 seed = 1; seed <= 5; seed++)
		if (roundtrip(seed, 3000, 0, 0, 0) != KT_PASS)
			return KT_FAIL;
	return KT_PASS;
}

/* late arrival inside the documented bound, many overlapping frames */
KT_TEST(format_roundtrip_overlap)
{
	for (__u64 seed = 10; seed <= 14; seed++)
		if (roundtrip(seed, 20000, 40, 97, 0) != KT_PASS)
			return KT_FAIL;
	return KT_PASS;
}

KT_TEST(format_roundtrip_flushes)
{
	return roundtrip(21, 10000, 5, 1000, 333);
}

KT_TEST(format_roundtrip_tiny_frames)
{
	return roundtrip(31, 2000, 3, 1, 0);
}

/* The same events give the same bytes. */
KT_TEST(format_deterministic)
{
	struct kt_writer_opts o = { .frame_events = 500 };
	struct gen_pool pool;
	struct gen_ev *evs;
	char cmd[600];
	int rc;

	gen_pool_init(&pool, 5);
	evs = gen_stream(5, 4000, 7, 10);
	rc = gen_write(tmp_path("d1.ktr"), evs, 4000, &pool, &o, 0);
	KT_ASSERT(rc == 0, "write 1");
	rc = gen_write(tmp_path("d2.ktr"), evs, 4000, &pool, &o, 0);
	KT_ASSERT(rc == 0, "write 2");
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", tmp_path("d1.ktr"),
		 tmp_path("d2.ktr"));
	KT_ASSERT(system(cmd) == 0, "files differ");
	free(evs);
	gen_pool_release(&pool);
	return KT_PASS;
}

KT_TEST(format_writer_rejects)
{
	struct kt_writer *w;
	struct kt_event e = { .kind = KT_KIND_MAX };
	int rc = kt_writer_open(&w, tmp_path("rej.ktr"), NULL, NULL);

	KT_ASSERT(rc == 0, "open");
	KT_ASSERT(kt_writer_add(w, &e) == -EINVAL, "unknown kind");
	e.kind = KT_PROC_COMM;
	e.comm.comm_str = 1;
	KT_ASSERT(kt_writer_add(w, &e) == -EINVAL, "unknown string handle");
	e.comm.comm_str = kt_writer_str(w, "x", 1);
	KT_ASSERT(e.comm.comm_str == 1 && kt_writer_str(w, "x", 1) == 1 &&
		  kt_writer_str(w, "", 0) == 0, "interning");
	KT_ASSERT(kt_writer_add(w, &e) == 0, "good");
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(kt_writer_open(&w, "/nonexistent/x.ktr", NULL, NULL) == -ENOENT,
		  "bad path");
	return KT_PASS;
}

/* ------------------------------------------------------------- seeking */

struct seekfile {
	struct gen_pool pool;
	struct gen_ev *evs, *sorted;
	size_t n;
	char *path;
};

static int make_seekfile(struct seekfile *s, __u64 seed, size_t n,
			 unsigned late, __u32 fe)
{
	struct kt_writer_opts o = { .frame_events = fe, .keyframe_ns = 50000000 };

	gen_pool_init(&s->pool, seed);
	s->n = n;
	s->evs = gen_stream(seed, n, 5000, late);
	s->sorted = gen_sorted(s->evs, n);
	s->path = tmp_path("seek.ktr");
	return gen_write(s->path, s->evs, n, &s->pool, &o, 0);
}

static void free_seekfile(struct seekfile *s)
{
	free(s->evs);
	free(s->sorted);
	gen_pool_release(&s->pool);
}

static size_t lower_bound(const struct gen_ev *v, size_t n, __u64 ts)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = (lo + hi) / 2;

		if (v[m].ev.ts < ts)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* seek_check - seek to @ts; the next @k events are the expected ones and
 * at most @maxdec frames were decoded for the first. */
static int seek_check(struct kt_reader *r, struct seekfile *s, __u64 ts,
		      size_t k, __u64 maxdec)
{
	size_t i = lower_bound(s->sorted, s->n, ts);
	struct kt_read_stats a, b;
	const struct kt_event *ev;
	struct kt_err err;
	char why[256];
	int rc;

	kt_reader_stats(r, &a);
	KT_ASSERT(kt_reader_seek(r, ts, &err) == 0, "seek %llu: %s",
		  (unsigned long long)ts, err.msg);
	for (size_t j = 0; j < k; j++, i++) {
		rc = kt_reader_next(r, &ev, &err);
		if (i >= s->n) {
			KT_ASSERT(rc == 0, "seek %llu: event past the end",
				  (unsigned long long)ts);
			break;
		}
		KT_ASSERT(rc == 1, "seek %llu: rc %d %s", (unsigned long long)ts,
			  rc, err.msg);
		KT_ASSERT(gen_same(&s->sorted[i], ev, &s->pool, why, sizeof(why)),
			  "seek %llu, event %zu: %s", (unsigned long long)ts, j, why);
		if (j == 0) {
			kt_reader_stats(r, &b);
			KT_ASSERT(b.frames_decoded - a.frames_decoded <= maxdec,
				  "seek %llu decoded %llu frames",
				  (unsigned long long)ts,
				  (unsigned long long)(b.frames_decoded -
						       a.frames_decoded));
		}
	}
	return KT_PASS;
}

KT_TEST(format_seek_boundaries)
{
	struct seekfile s;
	struct kt_reader *r;
	struct kt_err err;
	struct kt_info info;
	__u64 first, last;
	size_t nb = 0;

	KT_ASSERT(make_seekfile(&s, 77, 20000, 0, 1000) == 0, "write");
	KT_ASSERT(kt_reader_open(&r, s.path, 0, &err) == 0, "open %s", err.msg);
	kt_reader_info(r, &info);
	KT_ASSERT(info.frames == 20 && info.events == 20000 && info.indexed,
		  "info frames %llu", (unsigned long long)info.frames);
	first = s.sorted[0].ev.ts;
	last = s.sorted[s.n - 1].ev.ts;
	KT_ASSERT(info.first_ts == first && info.last_ts == last, "range");
	if (seek_check(r, &s, 0, 5, 1) || seek_check(r, &s, first, 5, 1) ||
	    seek_check(r, &s, last, 2, 1) || seek_check(r, &s, last + 1, 1, 0) ||
	    seek_check(r, &s, UINT64_MAX, 1, 0))
		return KT_FAIL;
	/* every frame boundary: its first event, its last, and just after */
	for (size_t i = 0; i < s.n; i += 1000, nb++) {
		if (seek_check(r, &s, s.sorted[i].ev.ts, 3, 1) ||
		    seek_check(r, &s, s.sorted[i].ev.ts - 1, 3, 2) ||
		    seek_check(r, &s, s.sorted[i + 999].ev.ts, 3, 2) ||
		    seek_check(r, &s, s.sorted[i + 999].ev.ts + 1, 3, 2))
			return KT_FAIL;
	}
	KT_ASSERT(nb == 20, "boundaries %zu", nb);
	/* backwards after the end */
	if (seek_check(r, &s, first + 1, 3000, 5))
		return KT_FAIL;
	kt_reader_close(r);
	free_seekfile(&s);
	return KT_PASS;
}

/* Seeks in a file whose frames overlap (late events). */
KT_TEST(format_seek_overlap)
{
	struct seekfile s;
	struct kt_reader *r;
	struct kt_err err;
	__u64 seed = 99;

	KT_ASSERT(make_seekfile(&s, 78, 20000, 60, 500) == 0, "write");
	KT_ASSERT(kt_reader_open(&r, s.path, 0, &err) == 0, "open %s", err.msg);
	for (int i = 0; i < 200; i++) {
		size_t at = gen_rand(&seed) % s.n;

		if (seek_check(r, &s, s.sorted[at].ev.ts - (i & 1), 50, 4))
			return KT_FAIL;
	}
	kt_reader_close(r);
	free_seekfile(&s);
	return KT_PASS;
}

/* Frames open at once hold at most max_open_bytes decoded (a hostile
 * file of many overlapping frames, each as large as a frame may be, must
 * not take the reader's memory): the same overlapping file reads whole
 * under the bound the reader sets, and fails with a message under one
 * its overlapping frames exceed. */
static int read_all(struct kt_reader *r, __u64 *n, struct kt_err *err)
{
	const struct kt_event *ev;
	int rc;

	*n = 0;
	while ((rc = kt_reader_next(r, &ev, err)) == 1)
		(*n)++;
	return rc;
}

KT_TEST(format_open_frames_bounded)
{
	struct seekfile s;
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_err err;
	__u64 n, one;

	KT_ASSERT(make_seekfile(&s, 79, 20000, 60, 500) == 0, "write");
	KT_ASSERT(kt_reader_open(&r, s.path, 0, &err) == 0, "open %s", err.msg);
	KT_ASSERT(r->max_open_bytes == KT_MAX_OPEN_RAW, "default bound");
	KT_ASSERT(read_all(r, &n, &err) == 0 && n == s.n && r->open_bytes == 0,
		  "read %llu of %zu: %s", (unsigned long long)n, s.n, err.msg);
	kt_reader_close(r);
	/* one frame's worth: the first frame opens, an overlapping second
	 * would pass the bound */
	KT_ASSERT(kt_reader_open(&r, s.path, 0, &err) == 0, "open %s", err.msg);
	KT_ASSERT(kt_reader_seek(r, 0, &err) == 0, "seek: %s", err.msg);
	KT_ASSERT(kt_reader_next(r, &ev, &err) == 1, "first event");
	one = r->open_bytes;
	kt_reader_close(r);
	KT_ASSERT(one > 0, "an open frame holds bytes");
	KT_ASSERT(kt_reader_open(&r, s.path, 0, &err) == 0, "open %s", err.msg);
	r->max_open_bytes = one + one / 2;
	KT_ASSERT(read_all(r, &n, &err) == -EBADMSG &&
		  strstr(err.msg, "hold more than"),
		  "overlapping frames past the bound: read %llu, '%s'",
		  (unsigned long long)n, err.msg);
	kt_reader_close(r);
	free_seekfile(&s);
	return KT_PASS;
}

/* --------------------------------------------------------------- filters */

KT_TEST(format_filter_kinds)
{
	struct kt_writer_opts o = { .frame_events = 100 };
	struct kt_writer *w;
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_read_stats st;
	struct kt_err err;
	char *path = tmp_path("filt.ktr");
	size_t n = 0;
	int rc;

	/* 10 frames of sched, then 10 frames of syscalls */
	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	for (int i = 0; i < 2000; i++) {
		struct kt_event e = { .ts = 100 + i, .tid = 5 + i % 3, .pid = 5 };

		e.kind = i < 1000 ? KT_SCHED_SWITCH : KT_SYSCALL;
		e.sys.nr = i;   /* overlaps sw.prev_state: fine, one union */
		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
	}
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open");
	kt_reader_filter(r, KT_KIND_BIT(KT_SYSCALL), 0, 0);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		KT_ASSERT(ev->kind == KT_SYSCALL && ev->sys.nr == 1000 + n,
			  "event %zu", n);
		n++;
	}
	KT_ASSERT(rc == 0 && n == 1000, "n %zu", n);
	kt_reader_stats(r, &st);
	KT_ASSERT(st.frames_decoded == 10 && st.frames_skimmed == 0,
		  "decoded %llu frames", (unsigned long long)st.frames_decoded);
	/* pid/tid filters */
	kt_reader_filter(r, 0, 5, 6);
	KT_ASSERT(kt_reader_seek(r, 0, &err) == 0, "seek");
	n = 0;
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		KT_ASSERT(ev->tid == 6 && ev->pid == 5, "tid");
		n++;
	}
	KT_ASSERT(rc == 0 && n == 667, "tid n %zu", n);
	kt_reader_close(r);
	return KT_PASS;
}

/* In frames holding several kinds, only the wanted kinds' columns (and
 * the proc columns, for the task table) are decompressed. */
KT_TEST(format_filter_columns)
{
	struct kt_writer_opts o = { .frame_events = 300 };
	struct kt_writer *w;
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_read_stats st;
	struct kt_err err;
	char *path = tmp_path("filtc.ktr");
	size_t n = 0;
	int rc;

	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	for (int i = 0; i < 3000; i++) {
		struct kt_event e = { .ts = 100 + i, .tid = 5, .pid = 5 };

		e.kind = i % 3 == 0 ? KT_SYSCALL : i % 3 == 1 ? KT_SCHED_SWITCH :
			 KT_TCP_STATE;
		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
	}
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open");
	kt_reader_filter(r, KT_KIND_BIT(KT_SCHED_SWITCH), 0, 0);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1)
		n++;
	KT_ASSERT(rc == 0 && n == 1000, "n %zu", n);
	kt_reader_stats(r, &st);
	/* 10 frames, each: 7 global columns + 5 of sched_switch (not the 8
	 * of syscall nor the 13 of tcp_state) */
	KT_ASSERT(st.frames_decoded == 10 && st.columns_decoded == 10 * (7 + 5),
		  "decoded %llu frames, %llu columns",
		  (unsigned long long)st.frames_decoded,
		  (unsigned long long)st.columns_decoded);
	kt_reader_close(r);
	return KT_PASS;
}

/* ----------------------------------------------------------------- tasks */

/* A stream with many forks, execs, exits, renames and tid reuse. */
static int write_proc_stream(const char *path, __u64 seed, size_t n,
			     unsigned late)
{
	struct kt_writer_opts o = { .frame_events = 256, .keyframe_ns = 20000 };
	static const char *const names[] = { "sh", "make", "cc1", "ld", "as" };
	__u32 live[64], nlive = 0, next_tid = 100;
	struct kt_writer *w;
	struct kt_event *evs = calloc(n, sizeof(*evs));
	int err;

	err = kt_writer_open(&w, path, &o, NULL);
	if (err)
		return err;
	for (int i = 0; i < 8; i++) {
		struct kt_task t = { .tid = next_tid, .pid = next_tid, .ppid = 1,
				     .comm = "init", .exe = "/sbin/init",
				     .cgroup = "/" };

		live[nlive++] = next_tid++;
		kt_writer_task(w, &t);
	}
	for (size_t i = 0; i < n; i++) {
		struct kt_event *e = &evs[i];
		__u32 r = gen_rand(&seed) % 100, who = live[gen_rand(&seed) % nlive];

		e->ts = 1000 + i * 10;
		e->tid = e->pid = who;
		if (r < 5 && nlive < 64) {
			e->kind = KT_PROC_FORK;
			/* reuse small tids often */
			e->fork.child_tid = gen_rand(&seed) % 2 ? next_tid++ :
					    50 + gen_rand(&seed) % 20;
			e->fork.child_pid = e->fork.child_tid;
			live[nlive++] = e->fork.child_tid;
		} else if (r < 8 && nlive > 4) {
			e->kind = KT_PROC_EXIT;
			e->exit.exit_code = r;
			for (__u32 j = 0; j < nlive; j++)
				if (live[j] == who) {
					live[j] = live[--nlive];
					break;
				}
		} else if (r < 11) {
			e->kind = KT_PROC_EXEC;
			e->exec.old_tid = who;
		} else if (r < 13) {
			e->kind = KT_PROC_COMM;
		} else {
			e->kind = KT_SCHED_SWITCH;
			e->sw.next_tid = live[gen_rand(&seed) % nlive];
		}
	}
	/* late arrival */
	for (size_t i = 0; late && i + 1 < n; i++) {
		size_t j = i + 1 + gen_rand(&seed) % late;
		struct kt_event t;

		if (gen_rand(&seed) % 3 || j >= n)
			continue;
		t = evs[i];
		memmove(&evs[i], &evs[i + 1], (j - i) * sizeof(*evs));
		evs[j] = t;
	}
	for (size_t i = 0; i < n && !err; i++) {
		const char *nm = names[(evs[i].ts / 10) % 5];

		if (evs[i].kind == KT_PROC_FORK) {
			/* the recorder names every child at its fork */
			evs[i].fork.child_comm_str = kt_writer_str(w, nm, strlen(nm));
		} else if (evs[i].kind == KT_PROC_EXEC) {
			evs[i].exec.comm_str = kt_writer_str(w, nm, strlen(nm));
			evs[i].exec.filename_str = kt_writer_str(w, "/usr/bin/x", 10);
		} else if (evs[i].kind == KT_PROC_COMM) {
			evs[i].comm.comm_str = kt_writer_str(w, nm, strlen(nm));
		}
		err = kt_writer_add(w, &evs[i]);
	}
	free(evs);
	if (err) {
		kt_writer_abort(w);
		return err;
	}
	return kt_writer_close(w, NULL);
}

/*
 * same_tasks - the table after a seek agrees with the sequential one: the
 * same utids, tids, pids, exits and names, whatever order the writer got
 * the proc events in (updates are last-writer-wins by event time, and a
 * keyframe carries the times: docs/format.md "Task table").  The image
 * (exe) a child inherits from its parent at fork is compared only when
 * @images: a late fork applied after its parent's next exec inherits the
 * newer image (the one documented caveat).
 */
static int same_tasks(const struct kt_tasks *seek, const struct kt_tasks *seq,
		      bool images)
{
	__u32 live = 0;

	for (__u32 u = 1; u < kt_tasks_next_utid(seq) + 5; u++) {
		const struct kt_task *a = kt_tasks_get(seek, u);
		const struct kt_task *b = kt_tasks_get(seq, u);

		if (b && !b->end_ns) {
			live++;
			KT_ASSERT(a, "live utid %u missing after seek", u);
		}
		if (!a)
			continue;
		KT_ASSERT(b, "utid %u only after seek", u);
		KT_ASSERT(a->tid == b->tid && a->pid == b->pid &&
			  a->end_ns == b->end_ns && !strcmp(a->comm, b->comm) &&
			  (!images || !strcmp(a->exe, b->exe)),
			  "utid %u differs (after seek/sequential): tid %u/%u "
			  "pid %u/%u end %llu/%llu comm %s/%s exe %s/%s", u,
			  a->tid, b->tid, a->pid, b->pid,
			  (unsigned long long)a->end_ns,
			  (unsigned long long)b->end_ns, a->comm, b->comm,
			  a->exe, b->exe);
	}
	KT_ASSERT(live > 0, "no live tasks");
	return KT_PASS;
}

static int tasks_consistency(unsigned late)
{
	char *path = tmp_path("tasks.ktr");
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	struct kt_read_stats st;
	__u64 *ts, seed = 3;
	__u32 *utid;
	size_t n = 0, cap = 20000;
	int rc;

	KT_ASSERT(write_proc_stream(path, 42, cap, late) == 0, "write");
	if (getenv("KT_KEEP")) { char c[512]; snprintf(c, sizeof(c), "cp %s %s", path, getenv("KT_KEEP")); if (system(c)) {} }
	ts = calloc(cap, sizeof(*ts));
	utid = calloc(cap, sizeof(*utid));
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open");
	KT_ASSERT(kt_tasks_count(kt_reader_tasks(r)) == 8, "snapshot");
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		KT_ASSERT(n < cap, "too many");
		ts[n] = ev->ts;
		utid[n++] = ev->utid;
	}
	KT_ASSERT(rc == 0 && n == cap, "read %zu: %s", n, err.msg);
	for (int i = 0; i < 150; i++) {
		size_t at = gen_rand(&seed) % n, j;
		struct kt_tasks *snap;
		struct kt_reader *seq;

		/* the sequential state after the event at @at */
		KT_ASSERT(kt_reader_open(&seq, path, 0, &err) == 0, "open");
		for (j = 0; j <= at; j++)
			KT_ASSERT(kt_reader_next(seq, &ev, &err) == 1, "seq");
		snap = kt_tasks_dup(kt_reader_tasks(seq));
		kt_reader_close(seq);
		KT_ASSERT(kt_reader_seek(r, ts[at], &err) == 0, "seek");
		for (j = at; j < at + 100 && j < n; j++) {
			KT_ASSERT(kt_reader_next(r, &ev, &err) == 1, "next");
			KT_ASSERT(ev->ts == ts[j] && ev->utid == utid[j],
				  "seek to %zu: event %zu utid %u, sequential %u",
				  at, j, ev->utid, utid[j]);
			if (j == at &&
			    same_tasks(kt_reader_tasks(r), snap, !late)) {
				kt_tasks_free(snap);
				return KT_FAIL;
			}
		}
		kt_tasks_free(snap);
	}
	kt_reader_stats(r, &st);
	KT_ASSERT(st.frames_skimmed > 0, "no frame was skimmed");
	kt_reader_close(r);
	free(ts);
	free(utid);
	return KT_PASS;
}

KT_TEST(format_tasks_seek_consistent)
{
	return tasks_consistency(0);
}

KT_TEST(format_tasks_seek_consistent_late)
{
	return tasks_consistency(30);
}

/* ------------------------------------------------------------------ scale */

/* What opening a capture and asking its summary reads (header, index,
 * metadata): bytes read, and the file's size, for @n events in frames of
 * @fe (keyframes only by the 16-frame rule). */
static int info_bytes(__u64 seed, size_t n, __u32 fe, __u64 *read,
		      __u64 *size, __u64 *frames)
{
	struct kt_writer_opts o = { .frame_events = fe,
				    .keyframe_ns = 1ULL << 60 };
	struct gen_pool pool;
	struct gen_ev *evs = gen_stream(seed, n, 5000, 0);
	char *path = tmp_path("info.ktr");
	struct kt_read_stats st;
	struct kt_reader *r;
	struct kt_info info;
	struct kt_err err;
	size_t m = 0;
	int rc;

	/* the random stream's clock_sync events each make an anchor of the
	 * end metadata (a random clock is never steady): leave them out, as
	 * a steady clock's keep two however long the recording */
	for (size_t i = 0; evs && i < n; i++)
		if (evs[i].ev.kind != KT_CLOCK_SYNC)
			evs[m++] = evs[i];
	gen_pool_init(&pool, seed);
	rc = evs ? gen_write(path, evs, m, &pool, &o, 0) : -ENOMEM;
	free(evs);
	gen_pool_release(&pool);
	if (rc || kt_reader_open(&r, path, 0, &err))
		return -1;
	kt_reader_info(r, &info);
	kt_reader_stats(r, &st);
	*read = st.bytes_read;
	*size = info.file_bytes;
	*frames = info.frames;
	kt_reader_close(r);
	return 0;
}

/* issue 14 "Scale": info reads the header, the index and the metadata:
 * what it reads grows with the number of frames, never with events. */
KT_TEST(format_info_reads_frames_not_events)
{
	__u64 r20, s20, f20, rbig, sbig, fbig, r40, s40, f40;

	KT_ASSERT(info_bytes(5, 2000, 100, &r20, &s20, &f20) == 0, "write 20");
	KT_ASSERT(info_bytes(5, 60000, 3000, &rbig, &sbig, &fbig) == 0,
		  "write 20 big");
	KT_ASSERT(info_bytes(5, 4000, 100, &r40, &s40, &f40) == 0, "write 40");
	KT_ASSERT(f20 == fbig && f40 > f20 + 10, "frames %llu %llu %llu",
		  (unsigned long long)f20, (unsigned long long)fbig,
		  (unsigned long long)f40);
	KT_ASSERT(sbig > 5 * s20, "sizes %llu %llu", (unsigned long long)s20,
		  (unsigned long long)sbig);
	/* 30 times the events, the same frames: the same reads, give or
	 * take the varints of larger counts in the index */
	KT_ASSERT(rbig <= r20 + f20 * 8, "20 frames of 100 read %llu bytes, "
		  "of 3000 %llu", (unsigned long long)r20,
		  (unsigned long long)rbig);
	KT_ASSERT(rbig * 20 < sbig, "read %llu of %llu bytes",
		  (unsigned long long)rbig, (unsigned long long)sbig);
	/* more frames: about 56 bytes of index each */
	KT_ASSERT(r40 > r20 && r40 - r20 <= (f40 - f20) * 80,
		  "%llu frames read %llu bytes, %llu frames %llu",
		  (unsigned long long)f20, (unsigned long long)r20,
		  (unsigned long long)f40, (unsigned long long)r40);
	return KT_PASS;
}

/* ---------------------------------------------------------------- flight */

KT_TEST(format_flight_window)
{
	struct kt_writer_opts o = { .frame_events = 100, .flight_ns = 5000,
				    .keyframe_ns = 1000 };
	struct kt_writer *w;
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	struct kt_info info;
	struct stat sb;
	char *path = tmp_path("flight.ktr"), *dump2 = tmp_path("flight2.ktr");
	json_t *end = json_pack("{s:{s:I}}", "record", "stop_ns", (json_int_t)9);
	struct kt_task t = { .tid = 1, .pid = 1, .comm = "init" };
	__u64 first = 0;
	size_t n = 0;
	int rc;

	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	KT_ASSERT(stat(path, &sb) != 0, "flight mode wrote before a dump");
	kt_writer_task(w, &t);
	for (int i = 0; i < 10000; i++) {
		struct kt_event e = { .ts = 10 * i, .tid = 1, .pid = 1,
				      .kind = KT_SYSCALL };

		e.sys.nr = i;
		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
		if (i == 5000)
			KT_ASSERT(kt_writer_dump(w, dump2, NULL) == 0, "dump 1");
	}
	KT_ASSERT(kt_writer_dump(w, NULL, end) == 0, "dump");
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "read %s", err.msg);
	kt_reader_info(r, &info);
	/* window 5000 ns = 500 events; frames of 100: 5 to 7 frames kept */
	KT_ASSERT(info.frames >= 5 && info.frames <= 7, "frames %llu",
		  (unsigned long long)info.frames);
	KT_ASSERT(info.last_ts == 99990, "last %llu",
		  (unsigned long long)info.last_ts);
	KT_ASSERT(info.last_ts - info.first_ts <= 5000 + 1000, "window");
	KT_ASSERT(json_integer_value(json_object_get(json_object_get(
		  kt_reader_meta(r), "record"), "stop_ns")) == 9, "end meta");
	KT_ASSERT(json_integer_value(json_object_get(json_object_get(
		  kt_reader_meta(r), "flight"), "dropped_events")) ==
		  (json_int_t)(10000 - info.events), "dropped");
	KT_ASSERT(kt_tasks_find(kt_reader_tasks(r), 1), "snapshot task kept");
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		if (!n)
			first = ev->ts;
		KT_ASSERT(ev->sys.nr == ev->ts / 10 && ev->utid == 1, "event");
		n++;
	}
	KT_ASSERT(rc == 0 && n == info.events && first == info.first_ts, "n");
	kt_reader_close(r);
	/* the earlier dump has the window of its time */
	KT_ASSERT(kt_reader_open(&r, dump2, 0, &err) == 0, "read2");
	kt_reader_info(r, &info);
	KT_ASSERT(info.last_ts == 50000 && info.first_ts >= 50000 - 6000,
		  "dump 1 range %llu..%llu", (unsigned long long)info.first_ts,
		  (unsigned long long)info.last_ts);
	kt_reader_close(r);
	json_decref(end);
	return KT_PASS;
}

/* The reader behind the event-source interface gives the same stream. */
KT_TEST(format_source_reader)
{
	struct gen_pool pool;
	struct gen_ev *evs, *sorted;
	struct kt_writer_opts o = { .frame_events = 200 };
	struct kt_reader *r;
	struct kt_source *src;
	const struct kt_event *ev;
	struct kt_err err;
	char why[256], *path = tmp_path("src.ktr");
	size_t n = 0;
	int rc;

	gen_pool_init(&pool, 4);
	evs = gen_stream(4, 1500, 10, 7);
	sorted = gen_sorted(evs, 1500);
	KT_ASSERT(gen_write(path, evs, 1500, &pool, &o, 0) == 0, "write");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open");
	src = kt_source_reader(r);
	KT_ASSERT(src && src->tasks(src) == kt_reader_tasks(r), "source");
	while ((rc = src->next(src, &ev, &err)) == 1) {
		KT_ASSERT(gen_same(&sorted[n], ev, &pool, why, sizeof(why)),
			  "event %zu: %s", n, why);
		n++;
	}
	KT_ASSERT(rc == 0 && n == 1500, "n %zu", n);
	kt_source_free(src);
	kt_reader_close(r);
	free(evs);
	free(sorted);
	gen_pool_release(&pool);
	return KT_PASS;
}
