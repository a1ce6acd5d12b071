// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * verify.c - `ktrail verify FILE [--json]`: whether a capture agrees with
 * itself (analyze/verify.h), one line per finding, exit 1 on a violation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/capture.h"
#include "analyze/fmt.h"
#include "analyze/verify.h"

static const char verify_usage[] = "ktrail verify FILE [--json] [--allow-partial]";

static const char verify_help[] =
"NAME\n"
"    ktrail verify - check that a capture agrees with itself\n"
"\n"
"SYNOPSIS\n"
"    ktrail verify FILE [--json] [--allow-partial]\n"
"\n"
"DESCRIPTION\n"
"    Reads every event of FILE once, in time order, and checks what the\n"
"    analyses rely on:\n"
"\n"
"    time_order       a CPU's timestamps never go back\n"
"    continuity       the task a context switch puts on a CPU is the one\n"
"                     the next switch on that CPU takes off it\n"
"    two_cpus         no thread is put on a CPU while it is on another\n"
"    unknown_task     switches and wakeups name tasks the capture knows\n"
"                     (reported once per tid)\n"
"    syscall_overlap  a thread's syscalls do not overlap (a syscall\n"
"                     record is stamped at its end: start = end - dur)\n"
"    block            a block completion carries its issue, or is marked\n"
"                     as issued before the recorder saw it; no issue the\n"
"                     recorder saw is before the recording started\n"
"    identity         an exec or rename is of the identity the thread's\n"
"                     other events have (one identity per thread)\n"
"    accounting       when the metadata counts the events the kernel\n"
"                     programs attempted (attempts.per_cpu_family): for\n"
"                     every CPU and family, the events from them in the\n"
"                     file plus those reported lost (ring full) equal\n"
"                     the attempts\n"
"\n"
"    Scoped recordings (-- CMD, -p, --cgroup) leave out by design the\n"
"    switches between two tasks out of scope, so continuity and two_cpus\n"
"    apply to the tasks in scope: one that a recorded switch put on a CPU\n"
"    must leave it by a recorded switch.  In scope are the tasks of the\n"
"    /proc snapshot, kernel threads, followed children, and any task that\n"
"    made a syscall, fork, exec or exit in the capture.\n"
"\n"
"    Lost events explain some findings: a continuity break or a thread on\n"
"    two CPUs after the capture reports sched events lost on that CPU (a\n"
"    KT_LOST record between the two events that disagree and 2 s after,\n"
"    the recorder's reporting lag), an unknown task after lost proc\n"
"    events, a completion without its issue after lost block events.\n"
"    Those are printed as 'explained', with the loss that explains them,\n"
"    and do not fail the check.  A capture that reports no loss must have\n"
"    no finding at all.\n"
"\n"
"OUTPUT\n"
"    One line per finding, in the order the pass meets them:\n"
"        violation TIME cpu CPU CHECK: WHAT\n"
"        explained TIME cpu CPU CHECK: WHAT [N FAMILY events lost on cpu\n"
"                  C, reported at T]\n"
"    (cpu - when no CPU is involved), then a summary line.  Memory is\n"
"    bounded by the number of CPUs and threads, not by the events.\n"
"\n"
"OPTIONS\n"
"    --json    NDJSON: one object per finding (verdict, check, ts, since,\n"
"              cpu, tasks with role, tid, pid, utid and comm, detail,\n"
"              and lost: family, cpu, count, ts), then {\"summary\": ...}\n"
"              (with the accounting check: \"accounting\", one object\n"
"              per CPU and family: attempts, events, lost)\n"
"    --allow-partial\n"
"              check a partial capture (cut in the middle of a block, a\n"
"              recorder killed mid-write) up to its last intact frame;\n"
"              without it such a capture is refused (exit 2): run\n"
"              'ktrail recover' on it first\n"
"    -h, --help\n"
"              this text\n"
"\n"
"EXIT STATUS\n"
"    0   the capture is consistent (findings explained by lost events\n"
"        included)\n"
"    1   at least one violation\n"
"    2   usage error, or the capture is unreadable, invalid or partial\n"
"        (without --allow-partial)\n"
"    3   out of memory, or stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail verify incident.ktr\n"
"    ktrail verify incident.ktr --json | jq 'select(.verdict)'\n";

struct vctx {
	struct kt_out *o;
	bool json;
};

static const char *fam_name(__u32 fam)
{
	return kt_family_name(fam) ?: "unknown";
}

static void text_why(struct kt_out *o, const struct kt_violation *x)
{
	if (x->explained == KT_VEXPL_CUT) {
		kt_out_str(o, " [cut: after the last flush of a recorder that "
			   "died; the other CPUs' rings were not all written]");
		return;
	}
	if (x->explained == KT_VEXPL_HIDDEN) {
		kt_out_str(o, " [hidden: the capture shows no event made while "
			   "this task ran (");
		kt_out_u64(o, x->hidden_count);
		kt_out_str(o, x->hidden_count == 1 ? " finding" : " findings");
		kt_out_str(o, "): the kernel emits none for it]");
		return;
	}
	kt_out_str(o, " [");
	if (x->lost_count) {
		kt_out_u64(o, x->lost_count);
		kt_out_ch(o, ' ');
	}
	if (x->lost_family < KT_FAM_MAX) {
		kt_out_str(o, fam_name(x->lost_family));
		kt_out_ch(o, ' ');
	}
	kt_out_str(o, "events lost");
	if (x->lost_cpu != KT_VCPU_NONE) {
		kt_out_str(o, " on cpu ");
		kt_out_u64(o, x->lost_cpu);
	} else {
		kt_out_str(o, " (cpu unknown)");
	}
	if (x->lost_ts) {
		kt_out_str(o, ", reported at ");
		kt_out_ts(o, x->lost_ts);
	} else {
		kt_out_str(o, ", counted in the metadata");
	}
	kt_out_ch(o, ']');
}

static void text_finding(struct kt_out *o, const struct kt_violation *x)
{
	kt_out_str(o, x->explained ? "explained " : "violation ");
	kt_out_ts(o, x->ts);
	kt_out_str(o, " cpu ");
	if (x->cpu == KT_VCPU_NONE)
		kt_out_ch(o, '-');
	else
		kt_out_u64(o, x->cpu);
	kt_out_ch(o, ' ');
	kt_out_str(o, kt_vcheck_name(x->check));
	kt_out_str(o, ": ");
	kt_out_esc(o, x->detail, strlen(x->detail));
	if (x->explained)
		text_why(o, x);
	kt_out_ch(o, '\n');
}

static void json_finding(struct kt_out *o, const struct kt_violation *x)
{
	kt_out_jopen(o, '{');
	kt_out_jkv_cstr(o, "verdict", x->explained ? "explained" : "violation");
	kt_out_jkv_cstr(o, "check", kt_vcheck_name(x->check));
	kt_out_jkv_u64(o, "ts", x->ts);
	if (x->since)
		kt_out_jkv_u64(o, "since", x->since);
	if (x->cpu != KT_VCPU_NONE)
		kt_out_jkv_u64(o, "cpu", x->cpu);
	kt_out_jkey(o, "tasks");
	kt_out_jopen(o, '[');
	for (__u32 i = 0; i < x->ntasks; i++) {
		const struct kt_vtask *t = &x->task[i];

		kt_out_jsep(o);
		kt_out_jopen(o, '{');
		kt_out_jkv_cstr(o, "role", t->role);
		kt_out_jkv_u64(o, "tid", t->tid);
		kt_out_jkv_u64(o, "pid", t->pid);
		if (t->utid)
			kt_out_jkv_u64(o, "utid", t->utid);
		kt_out_jkv_cstr(o, "comm", t->comm);
		kt_out_jclose(o, '}');
	}
	kt_out_jclose(o, ']');
	kt_out_jkv_cstr(o, "detail", x->detail);
	if (x->explained == KT_VEXPL_CUT) {
		kt_out_jkey(o, "cut");
		kt_out_jopen(o, '{');
		kt_out_jkv_cstr(o, "reason", "after the last flush of a recorder that died");
		kt_out_jclose(o, '}');
	} else if (x->explained == KT_VEXPL_HIDDEN) {
		kt_out_jkey(o, "hidden");
		kt_out_jopen(o, '{');
		kt_out_jkv_u64(o, "findings", x->hidden_count);
		kt_out_jclose(o, '}');
	} else if (x->explained) {
		kt_out_jkey(o, "lost");
		kt_out_jopen(o, '{');
		kt_out_jkv_cstr(o, "family", fam_name(x->lost_family));
		if (x->lost_cpu != KT_VCPU_NONE)
			kt_out_jkv_u64(o, "cpu", x->lost_cpu);
		kt_out_jkv_u64(o, "count", x->lost_count);
		if (x->lost_ts)
			kt_out_jkv_u64(o, "ts", x->lost_ts);
		kt_out_jclose(o, '}');
	}
	kt_out_jclose(o, '}');
	kt_out_ch(o, '\n');
}

static int on_finding(const struct kt_violation *x, void *arg)
{
	struct vctx *c = arg;

	if (c->json)
		json_finding(c->o, x);
	else
		text_finding(c->o, x);
	return c->o->err;
}

static __u64 total(const __u64 *n)
{
	__u64 t = 0;

	for (unsigned i = 0; i < KT_V_NCHECKS; i++)
		t += n[i];
	return t;
}

static void text_summary(struct kt_out *o, const char *path,
			 const struct kt_verify_stats *st, bool scoped)
{
	__u64 bad = total(st->violations), ok = total(st->explained);
	bool first = true;

	kt_out_str(o, "verify: ");
	kt_out_esc(o, path, strlen(path));
	if (!bad) {
		kt_out_str(o, ": consistent");
	} else {
		kt_out_str(o, ": ");
		kt_out_u64(o, bad);
		kt_out_str(o, bad == 1 ? " violation (" : " violations (");
		for (unsigned i = 0; i < KT_V_NCHECKS; i++) {
			if (!st->violations[i])
				continue;
			kt_out_str(o, first ? "" : ", ");
			kt_out_str(o, kt_vcheck_name(i));
			kt_out_ch(o, ' ');
			kt_out_u64(o, st->violations[i]);
			first = false;
		}
		kt_out_ch(o, ')');
	}
	if (ok) {
		kt_out_str(o, ", ");
		kt_out_u64(o, ok);
		kt_out_str(o, " explained (lost events, hidden tasks)");
	}
	if (st->accounting && !st->violations[KT_V_ACCOUNTING]) {
		kt_out_str(o, "; every attempt accounted for (");
		kt_out_u64(o, st->accounted);
		kt_out_str(o, " events and losses)");
	}
	kt_out_str(o, "; ");
	kt_out_u64(o, st->events);
	kt_out_str(o, " events, ");
	kt_out_u64(o, st->switches);
	kt_out_str(o, " switches, ");
	kt_out_u64(o, st->threads);
	kt_out_str(o, scoped ? " threads, scoped recording\n" :
		   " threads, whole host\n");
}

static void json_account(void *arg, __u32 cpu, __u32 fam, __u64 attempts,
			 __u64 events, __u64 lost)
{
	struct kt_out *o = arg;

	kt_out_jsep(o);
	kt_out_jopen(o, '{');
	kt_out_jkv_u64(o, "cpu", cpu);
	kt_out_jkv_cstr(o, "family", fam_name(fam));
	kt_out_jkv_u64(o, "attempts", attempts);
	kt_out_jkv_u64(o, "events", events);
	kt_out_jkv_u64(o, "lost", lost);
	kt_out_jclose(o, '}');
}

static void json_summary(struct kt_out *o, const char *path,
			 const struct kt_verify_stats *st, bool scoped,
			 const struct kt_verify *v)
{
	kt_out_jopen(o, '{');
	kt_out_jkey(o, "summary");
	kt_out_jopen(o, '{');
	kt_out_jkv_cstr(o, "file", path);
	kt_out_jkey(o, "consistent");
	kt_out_str(o, total(st->violations) ? "false" : "true");
	kt_out_jkv_u64(o, "violations", total(st->violations));
	kt_out_jkv_u64(o, "explained", total(st->explained));
	kt_out_jkey(o, "by_check");
	kt_out_jopen(o, '{');
	for (unsigned i = 0; i < KT_V_NCHECKS; i++)
		if (st->violations[i] || st->explained[i]) {
			kt_out_jkey(o, kt_vcheck_name(i));
			kt_out_jopen(o, '{');
			kt_out_jkv_u64(o, "violations", st->violations[i]);
			kt_out_jkv_u64(o, "explained", st->explained[i]);
			kt_out_jclose(o, '}');
		}
	kt_out_jclose(o, '}');
	kt_out_jkv_cstr(o, "scope", scoped ? "scoped" : "host");
	kt_out_jkv_u64(o, "events", st->events);
	kt_out_jkv_u64(o, "switches", st->switches);
	kt_out_jkv_u64(o, "wakeups", st->wakeups);
	kt_out_jkv_u64(o, "syscalls", st->syscalls);
	kt_out_jkv_u64(o, "block_requests", st->blocks);
	kt_out_jkv_u64(o, "threads", st->threads);
	kt_out_jkv_u64(o, "lost_records", st->lost_records);
	if (st->accounting) {
		kt_out_jkv_u64(o, "accounted", st->accounted);
		kt_out_jkey(o, "accounting");
		kt_out_jopen(o, '[');
		kt_verify_accounting(v, json_account, o);
		kt_out_jclose(o, ']');
	}
	kt_out_jclose(o, '}');
	kt_out_jclose(o, '}');
	kt_out_ch(o, '\n');
}

/* run - the loss pass (only the KT_LOST records: the index skips every
 * frame without one), then the main pass from the start. */
static int run(struct kt_reader *r, struct kt_verify *v, struct kt_err *err)
{
	struct kt_source *src = kt_source_reader(r);
	int rc;

	if (!src)
		return -ENOMEM;
	kt_reader_filter(r, KT_KIND_BIT(KT_LOST), 0, 0);
	rc = kt_reader_seek(r, 0, err) ?: kt_verify_losses(v, src, err);
	if (!rc) {
		kt_reader_filter(r, 0, 0, 0);
		rc = kt_reader_seek(r, 0, err) ?: kt_verify_run(v, src, err);
	}
	kt_source_free(src);
	return rc;
}

static int verify_file(const char *path, bool json, bool allow_partial)
{
	struct kt_verify_opts *opts = calloc(1, sizeof(*opts));
	struct kt_err err = { 0 };
	struct kt_verify_stats st;
	struct kt_verify *v = NULL;
	struct kt_reader *r = NULL;
	struct kt_info info;
	struct kt_out o = { 0 };
	struct vctx c = { &o, json };
	int rc, ex;

	if (!opts || kt_out_init(&o, STDOUT_FILENO, 0)) {
		free(opts);
		return kt_fail("verify", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	}
	ex = kt_cli_open_whole("verify", path, allow_partial, &r);
	if (ex)
		goto out;
	kt_reader_info(r, &info);
	if (!info.indexed && !info.partial)
		kt_msg("verify", path, "warning: no index (the recording did not "
		       "finish?): read by scanning");
	kt_verify_opts_meta(kt_reader_meta(r), opts);
	v = kt_verify_new(opts, on_finding, &c);
	if (!v) {
		ex = kt_fail("verify", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	rc = run(r, v, &err);
	kt_verify_stats(v, &st);
	if (rc >= 0 || rc == o.err) {
		if (json)
			json_summary(&o, path, &st, opts->scoped, v);
		else
			text_summary(&o, path, &st, opts->scoped);
	}
	ex = kt_cli_finish("verify", path, rc, &err, &o);
	if (!ex && total(st.violations))
		ex = KT_EXIT_FINDING;
out:
	kt_verify_free(v);
	kt_reader_close(r);
	kt_out_release(&o);
	free(opts);
	return ex;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "allow-partial", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, allow_partial = false;
	int c;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'P':
			allow_partial = true;
			break;
		case 'h':
			return kt_help(verify_help);
		default:
			return kt_opt_error("verify", verify_usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("verify", verify_usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("verify", verify_usage,
				      "'%s': unexpected argument", argv[optind + 1]);
	return verify_file(argv[optind], json, allow_partial);
}
