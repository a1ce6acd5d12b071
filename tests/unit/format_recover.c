// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Recovery of unfinalized and truncated captures. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kt_test.h"
#include "format_gen.h"

static char *tpath(const char *name)
{
	static char buf[4][256];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, 256, "%s/%s", kt_test_tmpdir(), name);
	return p;
}

/* count_events - read @path to the end; -1 on error. */
static long count_events(const char *path, __u64 *last, char *why, size_t n)
{
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	long c = 0;
	int rc;

	if (kt_reader_open(&r, path, 0, &err)) {
		snprintf(why, n, "open: %s", err.msg);
		return -1;
	}
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		c++;
		*last = ev->ts;
	}
	if (rc) {
		snprintf(why, n, "next: %s", err.msg);
		c = -1;
	}
	kt_reader_close(r);
	return c;
}

/* A writer that dies after flushing 3 frames of 1000 and half a fourth. */
KT_TEST(format_recover_unfinalized)
{
	struct kt_writer_opts o = { .frame_events = 1000 };
	struct kt_recover_report rep;
	struct kt_writer *w;
	struct kt_err err;
	char why[600], *path = tpath("killed.ktr"), *out = tpath("rec.ktr");
	__u64 last = 0;
	struct stat sb;
	long n;

	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	for (int i = 0; i < 3500; i++) {
		struct kt_event e = { .ts = 1000 + i, .tid = 1, .pid = 1,
				      .kind = KT_SYSCALL };

		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
	}
	kt_writer_abort(w);
	/* readable as is, by a scan */
	n = count_events(path, &last, why, sizeof(why));
	KT_ASSERT(n == 3000 && last == 3999, "scan: %ld %s", n, why);
	KT_ASSERT(kt_recover(path, out, &rep, &err) == 0, "recover: %s", err.msg);
	KT_ASSERT(rep.frames_kept == 3 && rep.events_kept == 3000 &&
		  rep.bytes_discarded == 0 && rep.last_ts == 3999, "report");
	KT_ASSERT(stat(out, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode");
	{
		struct kt_reader *r;
		struct kt_info info;

		KT_ASSERT(kt_reader_open(&r, out, 0, &err) == 0, "open rec");
		kt_reader_info(r, &info);
		KT_ASSERT(info.indexed && info.finalized && info.events == 3000 &&
			  info.kind_events[KT_SYSCALL] == 3000, "info");
		KT_ASSERT(json_is_object(json_object_get(kt_reader_meta(r),
							 "recovered")), "marked");
		kt_reader_close(r);
	}
	/* in place */
	KT_ASSERT(kt_recover(path, NULL, &rep, &err) == 0, "in place");
	n = count_events(path, &last, why, sizeof(why));
	KT_ASSERT(n == 3000, "in place: %ld %s", n, why);
	return KT_PASS;
}

/* A capture cut in the middle of its third frame: the strict reader
 * refuses it, KT_READ_PARTIAL reads the two whole frames and says where
 * the damage is; an intact capture reads whole either way. */
KT_TEST(format_read_partial)
{
	struct kt_writer_opts o = { .frame_events = 1000 };
	const struct kt_event *ev;
	struct kt_writer *w;
	struct kt_reader *r;
	struct kt_info info;
	struct kt_err err, why;
	char *path = tpath("partial.ktr");
	struct stat sb;
	long n = 0;
	int rc;

	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	for (int i = 0; i < 3000; i++) {
		struct kt_event e = { .ts = 1000 + i, .tid = 1, .pid = 1,
				      .kind = KT_SYSCALL };

		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
	}
	kt_writer_abort(w);
	KT_ASSERT(stat(path, &sb) == 0 && truncate(path, sb.st_size - 100) == 0,
		  "cut");
	KT_ASSERT(kt_reader_open(&r, path, 0, &err) == -EBADMSG &&
		  strstr(err.msg, "truncated block"), "strict: %s", err.msg);
	KT_ASSERT(kt_reader_open(&r, path, KT_READ_PARTIAL, &err) == 0,
		  "partial: %s", err.msg);
	kt_reader_info(r, &info);
	KT_ASSERT(info.partial && info.frames == 2 && info.events == 2000 &&
		  info.intact_bytes < info.file_bytes, "info: %d %llu %llu",
		  info.partial, (unsigned long long)info.frames,
		  (unsigned long long)info.events);
	KT_ASSERT(kt_reader_damage(r, &why) == -EBADMSG &&
		  why.off == info.intact_bytes &&
		  strstr(why.msg, "truncated block"), "damage: %s", why.msg);
	while ((rc = kt_reader_next(r, &ev, &err)) == 1)
		n++;
	KT_ASSERT(rc == 0 && n == 2000, "read %ld: %s", n, err.msg);
	kt_reader_close(r);
	/* recovered: whole, read the same with or without the flag */
	{
		struct kt_recover_report rep;

		KT_ASSERT(kt_recover(path, NULL, &rep, &err) == 0, "recover");
	}
	KT_ASSERT(kt_reader_open(&r, path, KT_READ_PARTIAL, &err) == 0, "open");
	kt_reader_info(r, &info);
	KT_ASSERT(!info.partial && info.intact_bytes == info.file_bytes &&
		  kt_reader_damage(r, NULL) == 0 && info.events == 2000,
		  "whole");
	kt_reader_close(r);
	return KT_PASS;
}

/* recover leaves a complete capture alone (same bytes, same mtime), and
 * refuses one with no intact frame without touching it. */
KT_TEST(format_recover_complete_nothing)
{
	struct kt_writer_opts o = { .frame_events = 100 };
	struct kt_recover_report rep;
	struct kt_writer *w;
	struct kt_err err;
	char *path = tpath("whole.ktr"), *out = tpath("whole-out.ktr");
	struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };
	struct stat a, b;

	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	for (int i = 0; i < 250; i++) {
		struct kt_event e = { .ts = 1000 + i, .tid = 1, .pid = 1,
				      .kind = KT_SYSCALL };

		KT_ASSERT(kt_writer_add(w, &e) == 0, "add");
	}
	KT_ASSERT(kt_writer_close(w, NULL) == 0, "close");
	KT_ASSERT(utimensat(AT_FDCWD, path, ts, 0) == 0 && stat(path, &a) == 0,
		  "utimes");
	KT_ASSERT(kt_recover(path, NULL, &rep, &err) == 0 && rep.complete &&
		  rep.events_kept == 250, "complete: %s", err.msg);
	KT_ASSERT(kt_recover(path, out, &rep, &err) == 0 && rep.complete &&
		  access(out, F_OK) != 0, "complete -o");
	KT_ASSERT(stat(path, &b) == 0 && a.st_size == b.st_size &&
		  b.st_mtim.tv_sec == 1000000, "untouched");
	/* header and metadata only */
	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open 2");
	kt_writer_abort(w);
	KT_ASSERT(utimensat(AT_FDCWD, path, ts, 0) == 0 && stat(path, &a) == 0,
		  "utimes 2");
	KT_ASSERT(kt_recover(path, NULL, &rep, &err) == -ENODATA &&
		  strstr(err.msg, "nothing to recover"), "nothing: %s", err.msg);
	KT_ASSERT(stat(path, &b) == 0 && a.st_size == b.st_size &&
		  b.st_mtim.tv_sec == 1000000, "nothing: untouched");
	return KT_PASS;
}

/* A finalized capture cut at many points: recovery keeps exactly the
 * frames that are whole, and they read back identical. */
KT_TEST(format_recover_truncations)
{
	struct kt_writer_opts o = { .frame_events = 300 };
	struct gen_pool pool;
	struct gen_ev *evs, *sorted;
	char *path = tpath("full.ktr"), *cut = tpath("cut.ktr");
	char *out = tpath("cut-rec.ktr"), why[600], *data;
	struct kt_recover_report rep;
	struct kt_err err;
	struct stat sb;
	size_t n = 3000, tried = 0;
	bool kept = false;
	FILE *f;
	int rc;

	gen_pool_init(&pool, 8);
	evs = gen_stream(8, n, 100, 0);
	sorted = gen_sorted(evs, n);
	KT_ASSERT(gen_write(path, evs, n, &pool, &o, 0) == 0, "write");
	KT_ASSERT(stat(path, &sb) == 0, "stat");
	data = malloc(sb.st_size);
	f = fopen(path, "rb");
	KT_ASSERT(f && fread(data, 1, sb.st_size, f) == (size_t)sb.st_size, "read");
	fclose(f);
	for (off_t len = 0; len <= sb.st_size; len += 1 + len / 7, tried++) {
		__u64 last = 0;
		long got;
		int fd = open(cut, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		KT_ASSERT(fd >= 0 && write(fd, data, len) == len, "cut");
		close(fd);
		if (len < 32) {
			KT_ASSERT(kt_recover(cut, out, &rep, &err) == -EBADMSG &&
				  err.off == 0, "len %ld: %d", (long)len, err.code);
			continue;
		}
		/* no whole frame yet: nothing to recover, nothing written */
		rc = kt_recover(cut, out, &rep, &err);
		if (rc == -ENODATA && !kept) {
			KT_ASSERT(access(out, F_OK) != 0, "out written");
			continue;
		}
		KT_ASSERT(rc == 0, "len %ld: %s", (long)len, err.msg);
		kept = true;
		KT_ASSERT(rep.bytes_kept + rep.bytes_discarded == (__u64)len,
			  "bytes");
		got = count_events(out, &last, why, sizeof(why));
		KT_ASSERT(got == (long)rep.events_kept, "len %ld: read %ld of %llu: %s",
			  (long)len, got, (unsigned long long)rep.events_kept, why);
		KT_ASSERT(got % 300 == 0, "whole frames only");
		if (got)
			KT_ASSERT(last == sorted[got - 1].ev.ts &&
				  rep.last_ts == last, "last");
	}
	KT_ASSERT(tried > 40, "tried %zu", tried);
	/* the whole file: everything kept */
	KT_ASSERT(kt_recover(path, out, &rep, &err) == 0 && rep.events_kept == n,
		  "whole");
	free(data);
	free(evs);
	free(sorted);
	gen_pool_release(&pool);
	return KT_PASS;
}

KT_TEST(format_recover_bad_header)
{
	struct kt_recover_report rep;
	struct kt_err err;
	char *p = tpath("junk.ktr");
	FILE *f = fopen(p, "w");

	fputs("this is not a capture file at all, really not", f);
	fclose(f);
	KT_ASSERT(kt_recover(p, NULL, &rep, &err) == -EBADMSG && err.off == 0 &&
		  strstr(err.msg, "bad magic"), "%s", err.msg);
	KT_ASSERT(kt_recover(tpath("missing.ktr"), NULL, &rep, &err) == -ENOENT,
		  "missing");
	return KT_PASS;
}

/* A disk that fills up: the writer fails, keeps failing without harm, and
 * what it wrote before is recovered. */
KT_TEST(format_writer_disk_full)
{
	struct kt_writer_opts o = { .frame_events = 500 };
	struct rlimit rl, saved;
	struct kt_recover_report rep;
	struct kt_writer *w;
	struct kt_err err;
	char *path = tpath("full-disk.ktr"), *out = tpath("full-rec.ktr");
	struct sigaction sa = { .sa_handler = SIG_IGN };
	int rc = 0, i;

	KT_ASSERT(sigaction(SIGXFSZ, &sa, NULL) == 0, "sigaction");
	KT_ASSERT(kt_writer_open(&w, path, &o, NULL) == 0, "open");
	KT_ASSERT(getrlimit(RLIMIT_FSIZE, &saved) == 0, "getrlimit");
	rl = saved;
	rl.rlim_cur = 60000;    /* the soft limit only: it can be put back */
	KT_ASSERT(setrlimit(RLIMIT_FSIZE, &rl) == 0, "rlimit");
	for (i = 0; i < 100000 && !rc; i++) {
		struct kt_event e = { .ts = 10 * i, .tid = i % 7, .pid = 1,
				      .kind = KT_SYSCALL };

		e.sys.dur = i * 7919 % 100003;
		rc = kt_writer_add(w, &e);
	}
	KT_ASSERT(rc == -EFBIG, "rc %d after %d events", rc, i);
	{
		struct kt_event e = { .ts = 1, .kind = KT_SYSCALL };

		for (int j = 0; j < 2000; j++)
			KT_ASSERT(kt_writer_add(w, &e) == -EFBIG, "sticky");
		KT_ASSERT(kt_writer_flush(w) == -EFBIG, "flush sticky");
	}
	KT_ASSERT(kt_writer_close(w, NULL) == -EFBIG, "close");
	KT_ASSERT(setrlimit(RLIMIT_FSIZE, &saved) == 0, "restore rlimit");
	/* cut back to whole blocks (the end did not fit under the limit, or
	 * it did, with "write_error"): the strict reader reads it */
	{
		struct kt_reader *r;
		struct kt_info info;

		KT_ASSERT(kt_reader_open(&r, path, 0, &err) == 0, "open: %s",
			  err.msg);
		kt_reader_info(r, &info);
		KT_ASSERT(info.events && info.events % 500 == 0, "events");
		KT_ASSERT(!info.finalized ||
			  json_is_object(json_object_get(kt_reader_meta(r),
							 "write_error")),
			  "write_error");
		kt_reader_close(r);
	}
	KT_ASSERT(kt_recover(path, out, &rep, &err) == 0, "recover: %s", err.msg);
	KT_ASSERT(rep.frames_kept > 0 && rep.events_kept == rep.frames_kept * 500,
		  "kept %llu frames %llu events",
		  (unsigned long long)rep.frames_kept,
		  (unsigned long long)rep.events_kept);
	return KT_PASS;
}
