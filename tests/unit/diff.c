// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* diff and check on hand-built captures with known answers: processes
 * matched by command across pids, kernel thread names normalized,
 * latencies compared only from 20 samples, the thresholds; the rules of
 * check and the events that break them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "analyze/check.h"
#include "analyze/diff.h"

#define MS 1000000ULL

/* What one run of the workload does, in a capture at @path:
 *   two processes "app" (pids @pid and @pid + 1) make @reads reads of
 *   @read_ms each, and one openat that fails ENOENT each (@enoent more
 *   in the second);
 *   a kernel thread kworker/u8:@kw issues a block write;
 *   @fsync: the first app also fsyncs;
 *   the second app exits with @code. */
struct run {
	__u32 pid, kw;
	unsigned reads;
	__u64 read_ms;
	unsigned enoent;
	bool fsync;
	int code;
};

static int capture_meta(const char *name, const struct run *w, char *path,
			size_t sz, const json_t *meta)
{
	char kw[32];
	struct cs s;
	__u64 t = 10 * MS;
	int rc;

	snprintf(path, sz, "%s/%s.ktr", kt_test_tmpdir(), name);
	snprintf(kw, sizeof(kw), "kworker/u8:%u", w->kw);
	cs_init(&s);
	cs_task(&s, w->pid, w->pid, "app");
	cs_task(&s, w->pid + 1, w->pid + 1, "app");
	cs_task(&s, w->kw, w->kw, kw);
	s.tasks[s.ntasks - 1].flags |= KT_TASK_KTHREAD;
	for (unsigned i = 0; i < w->reads; i++) {
		t += w->read_ms * MS + MS;
		cs_sys(&s, t, 0, w->pid + i % 2, SYS_read, w->read_ms * MS, 8,
		       3, 0, 0);
	}
	for (unsigned i = 0; i < 2 + w->enoent; i++)
		cs_sys(&s, t += MS, 0, w->pid + (i > 0), SYS_openat, 2000,
		       -ENOENT, 0, 0, 0);
	if (w->fsync)
		cs_sys(&s, t += MS, 0, w->pid, SYS_fsync, 3 * MS, 0, 3, 0, 0);
	cs_blk(&s, t += MS, 1, w->kw, 8 << 20, 2048, 4096, 100000);
	cs_exit(&s, t += MS, 0, w->pid + 1, w->code << 8, 1);
	rc = meta ? cs_write_meta(&s, path, 0, meta) : cs_write(&s, path, 0);
	cs_release(&s);
	return rc;
}

static int capture(const char *name, const struct run *w, char *path,
		   size_t sz)
{
	return capture_meta(name, w, path, sz, NULL);
}

static int profile(const char *path, struct kt_profile *p)
{
	struct kt_reader *r;
	struct kt_err err = { 0 };
	int rc = kt_reader_open(&r, path, 0, &err);

	if (rc)
		return rc;
	rc = kt_profile_build(r, p, &err);
	kt_reader_close(r);
	return rc;
}

/* The diff of two runs: the crossed rows as "metric comm: key base->cand"
 * lines into @buf; the diff in @d (released by the caller). */
static int diff_runs(const struct run *a, const struct run *b,
		     const struct kt_diff_rule *rules, struct kt_diff *d,
		     char *buf, size_t sz)
{
	struct kt_profile pa, pb;
	struct kt_diff_rule def[KT_DM_N];
	char p1[256], p2[256];
	size_t used = 0;
	int rc;

	if (!rules) {
		kt_diff_rules_default(def);
		rules = def;
	}
	if ((rc = capture("base", a, p1, sizeof(p1))) ||
	    (rc = capture("cand", b, p2, sizeof(p2))))
		return rc;
	if ((rc = profile(p1, &pa)))
		return rc;
	if ((rc = profile(p2, &pb))) {
		kt_profile_release(&pa);
		return rc;
	}
	rc = kt_diff_compare(&pa, &pb, rules, d);
	buf[0] = 0;
	for (size_t i = 0; !rc && i < d->crossed && used < sz; i++)
		used += snprintf(buf + used, sz - used, "%s %s: %s %llu->%llu\n",
				 kt_diff_metric_name(d->v[i].metric), d->v[i].comm,
				 d->v[i].key, (unsigned long long)d->v[i].base,
				 (unsigned long long)d->v[i].cand);
	kt_profile_release(&pa);
	kt_profile_release(&pb);
	return rc;
}

static const struct run base_run = {
	.pid = 100, .kw = 7, .reads = 40, .read_ms = 1, .enoent = 0,
};

/* Other pids, another kworker of the same pool: nothing changed. */
KT_TEST(diff_same_workload_other_pids)
{
	struct run b = base_run;
	struct kt_diff d;
	char got[1024];

	b.pid = 5000;
	b.kw = 9;
	KT_ASSERT(!diff_runs(&base_run, &b, NULL, &d, got, sizeof(got)), "diff");
	KT_ASSERT(d.n == 0 && d.crossed == 0, "%zu changes, %zu crossed:\n%s",
		  d.n, d.crossed, got);
	KT_ASSERT(d.counts_only == 1, "openat (2 and 2 calls): counts only, "
		  "got %zu", d.counts_only);
	kt_diff_release(&d);
	return KT_PASS;
}

/* An fsync more, an error more, reads 9 times longer (p50 and p99 +8
 * ms: past p50's +150%,+5ms, under p99's +50 ms), a failing exit: each
 * crosses its threshold, named with its values. */
KT_TEST(diff_regressions_cross)
{
	struct run b = base_run;
	struct kt_diff d;
	char got[1024];

	b.pid = 300;
	b.fsync = true;
	b.enoent = 1;
	b.read_ms = 9;
	b.code = 2;
	KT_ASSERT(!diff_runs(&base_run, &b, NULL, &d, got, sizeof(got)), "diff");
	KT_ASSERT(!strcmp(got,
		"new app: fsync 0->1\n"
		"p50 app: read 1000000->9000000\n"
		"errors app: openat ENOENT 2->3\n"
		"exits app: exit 2 0->1\n"), "crossed:\n%s", got);
	kt_diff_release(&d);
	return KT_PASS;
}

/* Fewer than 20 samples on a side: counts only, the latency never
 * crosses; with 20 it does. */
KT_TEST(diff_latency_needs_samples)
{
	struct run a = base_run, b = base_run;
	struct kt_diff d;
	char got[1024];

	a.reads = b.reads = 38;         /* 19 per process, 38 for "app" */
	b.read_ms = 10;
	KT_ASSERT(!diff_runs(&a, &b, NULL, &d, got, sizeof(got)), "diff");
	KT_ASSERT(strstr(got, "p50 app: read"), "38 reads by app: compared:\n%s",
		  got);
	kt_diff_release(&d);
	a.reads = b.reads = 19;
	KT_ASSERT(!diff_runs(&a, &b, NULL, &d, got, sizeof(got)), "diff");
	KT_ASSERT(!got[0] && d.counts_only == 2, "19 reads: counts only (%zu), "
		  "crossed:\n%s", d.counts_only, got);
	kt_diff_release(&d);
	return KT_PASS;
}

/* --threshold: a rule replaces the default; off silences a metric; the
 * latency's absolute limit is a duration. */
KT_TEST(diff_threshold_rules)
{
	struct kt_diff_rule rules[KT_DM_N];
	struct run b = base_run;
	struct kt_diff d;
	char got[1024], why[256], w[64];

	kt_diff_rules_default(rules);
	KT_ASSERT(!kt_diff_rule_parse("new:off", rules, why, sizeof(why)), "%s", why);
	KT_ASSERT(!kt_diff_rule_parse("p50:+300%,+1ms", rules, why, sizeof(why)),
		  "%s", why);
	KT_ASSERT(!kt_diff_rule_parse("p99:off", rules, why, sizeof(why)), "%s", why);
	KT_ASSERT(!strcmp(kt_diff_rule_words(w, sizeof(w), KT_DM_P50,
			  &rules[KT_DM_P50]), "+300%,+1ms"), "words %s", w);
	b.fsync = true;
	b.read_ms = 3;          /* +200%: under +300% */
	KT_ASSERT(!diff_runs(&base_run, &b, rules, &d, got, sizeof(got)), "diff");
	KT_ASSERT(!got[0], "nothing crosses:\n%s", got);
	kt_diff_release(&d);
	b.read_ms = 5;          /* +400% */
	KT_ASSERT(!diff_runs(&base_run, &b, rules, &d, got, sizeof(got)), "diff");
	KT_ASSERT(!strcmp(got, "p50 app: read 1000000->5000000\n"), "%s", got);
	kt_diff_release(&d);

	static const char *const bad[] = {
		"p99", "p99:", "bogus:+1", "p99:+2", "errors:+1ms", "errors:-1",
		"syscalls:+x%", "syscalls:lots",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KT_ASSERT(kt_diff_rule_parse(bad[i], rules, why, sizeof(why)) ==
			  -EINVAL && why[0], "'%s' accepted", bad[i]);
	return KT_PASS;
}

KT_TEST(diff_kthread_names)
{
	static const char *const cases[][3] = {
		/* comm, kthread?, name */
		{ "kworker/u8:9", "1", "kworker/u8:*" },
		{ "kworker/3:1H", "1", "kworker/3:*H" },
		{ "kworker/u8:3-writeback", "1", "kworker/u8:*" },
		{ "ksoftirqd/0", "1", "ksoftirqd/*" },
		{ "jbd2/vda1-8", "1", "jbd2/vda1-*" },
		{ "rcu_preempt", "1", "rcu_preempt" },
		{ "worker:3", "0", "worker:3" },
		{ "python3", "0", "python3" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kt_diff_name(buf, sizeof(buf), cases[i][0], cases[i][1][0] == '1');
		KT_ASSERT(!strcmp(buf, cases[i][2]), "%s: %s, want %s",
			  cases[i][0], buf, cases[i][2]);
	}
	return KT_PASS;
}

/* A reset the kernel sent for a SYN that matched no socket (a connect to
 * a closed port) is the kernel's, not the command of the task the soft
 * irq interrupted (the client, over loopback or veth); the reset the
 * client received is the client's. */
KT_TEST(diff_reset_no_socket)
{
	struct kt_profile p;
	struct kt_event *e;
	char path[256];
	struct cs s;
	int rc, found = 0;

	snprintf(path, sizeof(path), "%s/reset.ktr", kt_test_tmpdir());
	cs_init(&s);
	cs_task(&s, 40, 40, "client");
	e = cs_add(&s, 1000, 0, KT_TCP_RESET, 40);
	e->tcp.family = AF_INET;
	e->tcp.flags = KT_TCP_RESET_SENT;       /* no socket: state 0 */
	e = cs_add(&s, 2000, 0, KT_TCP_RESET, 40);
	e->tcp.family = AF_INET;
	e->tcp.flags = KT_TCP_RESET_RECEIVED;
	e->tcp.sock = 7;
	e->tcp.oldstate = e->tcp.newstate = 2;  /* SYN_SENT */
	e->tcp.owner_tid = e->tcp.owner_pid = 40;
	rc = cs_write(&s, path, 0);
	cs_release(&s);
	KT_ASSERT(!rc && !profile(path, &p), "capture and profile");
	for (size_t i = 0; i < p.n; i++) {
		const struct kt_prof_item *it = &p.v[i];

		if (it->fam != KT_DF_TCP)
			continue;
		found++;
		KT_ASSERT(!strcmp(it->key, "reset sent") ?
			  !strcmp(it->comm, KT_DIFF_KERNEL) :
			  !strcmp(it->key, "reset received") &&
			  !strcmp(it->comm, "client"), "%s: %s", it->comm,
			  it->key);
	}
	kt_profile_release(&p);
	KT_ASSERT(found == 2, "%d tcp items", found);
	return KT_PASS;
}

/* A candidate recorded with fewer families (-e sched,proc): its syscalls
 * errors and block requests are not compared, whatever it holds (a
 * regression there cannot be seen, a note says so), nor the causal edges; what both
 * recorded still is: the failing exit crosses. */
KT_TEST(diff_other_families)
{
	json_t *meta = json_pack("{s:s,s:{s:s}}", "ktrail_version", "test",
				 "record", "families", "sched,proc");
	struct run b = base_run;
	struct kt_profile pa, pb;
	struct kt_diff_rule rules[KT_DM_N];
	struct kt_diff d;
	char p1[256], p2[256];

	b.fsync = true;
	b.enoent = 3;
	b.code = 2;
	KT_ASSERT(meta && !capture("base", &base_run, p1, sizeof(p1)) &&
		  !capture_meta("cand", &b, p2, sizeof(p2), meta), "captures");
	json_decref(meta);
	KT_ASSERT(!profile(p1, &pa) && !profile(p2, &pb), "profiles");
	kt_diff_rules_default(rules);
	KT_ASSERT(!kt_diff_compare(&pa, &pb, rules, &d), "compare");
	KT_ASSERT(d.not_compared == (1u << KT_DF_SYSCALL | 1u << KT_DF_ERRNO |
				     1u << KT_DF_BLOCK | 1u << KT_DF_EDGE),
		  "not compared: %#x", d.not_compared);
	KT_ASSERT(d.cand_fams == (1u << KT_FAM_SCHED | 1u << KT_FAM_PROC),
		  "candidate families %#x", d.cand_fams);
	for (size_t i = 0; i < d.n; i++)
		KT_ASSERT(d.v[i].fam != KT_DF_SYSCALL && d.v[i].fam != KT_DF_ERRNO &&
			  d.v[i].fam != KT_DF_BLOCK && d.v[i].fam != KT_DF_EDGE,
			  "compared: %s %s",
			  d.v[i].comm, d.v[i].key);
	KT_ASSERT(d.crossed == 1 && d.v[0].metric == KT_DM_EXITS &&
		  !strcmp(d.v[0].key, "exit 2"), "%zu crossed", d.crossed);
	kt_diff_release(&d);
	kt_profile_release(&pa);
	kt_profile_release(&pb);
	return KT_PASS;
}

/* ---------------------------------------------------------------- check */

static int check(const char *rules_text, const struct run *w,
		 struct kt_check *c, char *why, size_t sz)
{
	json_error_t jerr;
	json_t *root = json_loads(rules_text, 0, &jerr);
	struct kt_reader *r;
	struct kt_err err = { 0 };
	char path[256];
	int rc;

	if (!root)
		return -EINVAL;
	rc = kt_check_parse(root, c, why, sz);
	json_decref(root);
	if (rc || (rc = capture("check", w, path, sizeof(path))) ||
	    (rc = kt_reader_open(&r, path, 0, &err)))
		return rc;
	rc = kt_check_run(r, c, &err);
	kt_reader_close(r);
	return rc;
}

KT_TEST(check_rules_events)
{
	struct run w = base_run;
	struct kt_check c;
	char why[256];

	w.fsync = true;
	w.code = 3;
	KT_ASSERT(!check("{\"rules\": ["
		"{\"rule\": \"max-syscall\", \"ms\": 2},"
		"{\"rule\": \"max-syscall\", \"ms\": 0.5, \"syscall\": \"read\","
		" \"comm\": \"nobody\"},"
		"{\"rule\": \"exit-codes\", \"allow\": [0, 1]},"
		"{\"rule\": \"exit-codes\", \"allow\": [3]},"
		"{\"rule\": \"no-oom\"},"
		"{\"rule\": \"max-dropped\", \"events\": 0}]}", &w, &c, why,
		sizeof(why)), "check: %s", why);
	KT_ASSERT(c.n == 6, "%zu rules", c.n);
	/* the fsync of 3 ms, not the reads of 1 ms */
	KT_ASSERT(c.v[0].violations == 1 && c.v[0].hits[0].pid == 100 &&
		  !strcmp(c.v[0].hits[0].comm, "app") &&
		  strstr(c.v[0].hits[0].what, "fsync took 3.000 ms"),
		  "max-syscall: %llu, %s", (unsigned long long)c.v[0].violations,
		  c.v[0].hits[0].what);
	KT_ASSERT(c.v[1].violations == 0, "another command's reads");
	KT_ASSERT(c.v[2].violations == 1 && c.v[2].hits[0].pid == 101 &&
		  !strcmp(c.v[2].hits[0].what, "exited with status 3"),
		  "exit-codes: %llu", (unsigned long long)c.v[2].violations);
	KT_ASSERT(c.v[3].violations == 0 && c.v[4].violations == 0 &&
		  c.v[5].violations == 0, "rules that hold");
	KT_ASSERT(c.violations == 2, "%llu violations",
		  (unsigned long long)c.violations);
	kt_check_release(&c);
	return KT_PASS;
}

KT_TEST(check_bad_rules)
{
	static const char *const bad[] = {
		"{}", "{\"rules\": []}", "{\"rules\": [1]}",
		"{\"rules\": [{\"rule\": \"no-such\"}]}",
		"{\"rules\": [{\"rule\": \"max-syscall\"}]}",
		"{\"rules\": [{\"rule\": \"max-syscall\", \"ms\": -1}]}",
		"{\"rules\": [{\"rule\": \"max-syscall\", \"ms\": 1, \"syscall\": \"nope\"}]}",
		"{\"rules\": [{\"rule\": \"no-oom\", \"ms\": 1}]}",
		"{\"rules\": [{\"rule\": \"exit-codes\", \"allow\": [256]}]}",
		"{\"rules\": [{\"rule\": \"exit-codes\", \"signals\": [\"SIGNOPE\"]}]}",
		"{\"rules\": [{\"rule\": \"max-dropped\"}]}",
		"{\"rules\": [{\"rule\": \"no-oom\"}], \"extra\": 1}",
	};
	struct kt_check c;
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *root = json_loads(bad[i], 0, NULL);
		int rc;

		KT_ASSERT(root, "test json %zu", i);
		why[0] = 0;
		rc = kt_check_parse(root, &c, why, sizeof(why));
		json_decref(root);
		kt_check_release(&c);
		KT_ASSERT(rc == -EINVAL && why[0], "accepted: %s", bad[i]);
	}
	return KT_PASS;
}

/* A rule about a family the capture was recorded without cannot be
 * asserted: kt_check_missing names it. */
KT_TEST(check_missing_family)
{
	static const struct {
		const char *families;
		bool missing;
	} cases[] = {
		{ "all", false }, { "sched,proc", true }, { "syscall", false },
		{ "proc,syscall,sched", false }, { "syscalls", true },
	};
	json_t *root = json_loads("{\"rules\": [{\"rule\": \"max-syscall\", "
				  "\"ms\": 5}]}", 0, NULL);
	struct kt_check c;
	char why[256];

	KT_ASSERT(root && !kt_check_parse(root, &c, why, sizeof(why)), "parse");
	json_decref(root);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *meta = json_pack("{s:{s:s}}", "record", "families",
					 cases[i].families);

		why[0] = 0;
		KT_ASSERT(kt_check_missing(&c, meta, why, sizeof(why)) ==
			  cases[i].missing, "-e %s: %s", cases[i].families, why);
		KT_ASSERT(!cases[i].missing || strstr(why, "needs the syscall "
			  "family"), "why: %s", why);
		json_decref(meta);
	}
	kt_check_release(&c);
	return KT_PASS;
}
