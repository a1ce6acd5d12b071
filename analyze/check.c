// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * check.c - the rules of `ktrail check` (check.h): parsing them, and
 * asserting them in one pass of the stats tools whose rows they read
 * (stats_rows.c) beside the check's own tool for slow syscalls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/check.h"
#include "analyze/names.h"
#include "analyze/stats_int.h"
#include "analyze/timeline_fmt.h"
#include "analyze/why.h"


static const char *const kind_names[KT_CK_N] = {
	[KT_CK_NO_OOM] = "no-oom", [KT_CK_MAX_SYSCALL] = "max-syscall",
	[KT_CK_NO_RETRANS] = "no-retransmits",
	[KT_CK_NO_REFUSED] = "no-refused-connects",
	[KT_CK_EXIT_CODES] = "exit-codes", [KT_CK_MAX_DROPPED] = "max-dropped",
};

/* ------------------------------------------------------------- parsing */

/* The keys each kind accepts besides "rule". */
static const char *const kind_keys[KT_CK_N] = {
	[KT_CK_NO_OOM] = ",comm,", [KT_CK_MAX_SYSCALL] = ",ms,syscall,comm,idle,",
	[KT_CK_NO_RETRANS] = ",comm,", [KT_CK_NO_REFUSED] = ",comm,",
	[KT_CK_EXIT_CODES] = ",comm,allow,signals,",
	[KT_CK_MAX_DROPPED] = ",events,",
};

static int bad(char *why, size_t sz, size_t i, const char *fmt, const char *a)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, a);
	snprintf(why, sz, "rules[%zu]: %s", i, msg);
	return -EINVAL;
}

static int parse_ints(const json_t *arr, int *v, size_t *n, bool sig,
		      char *why, size_t sz, size_t i)
{
	size_t k;
	json_t *x;

	if (!json_is_array(arr) || json_array_size(arr) > KT_CHECK_ALLOW)
		return bad(why, sz, i, "'%s': not a list of at most 32 values",
			   sig ? "signals" : "allow");
	json_array_foreach(arr, k, x) {
		long long val = -1;

		if (json_is_integer(x))
			val = json_integer_value(x);
		for (int s = 1; sig && json_is_string(x) && s < 65; s++)
			if (kt_signal_name(s) &&
			    !strcmp(kt_signal_name(s), json_string_value(x)))
				val = s;
		if (val < 0 || val > (sig ? 64 : 255))
			return bad(why, sz, i, sig ? "'signals': %s" : "'allow': %s",
				   sig ? "not a list of signal names (\"SIGTERM\") "
				   "or numbers" : "not a list of exit codes 0..255");
		v[(*n)++] = (int)val;
	}
	return 0;
}

static int parse_max_syscall(const json_t *o, struct kt_check_rule *r,
			     char *why, size_t sz, size_t i)
{
	const json_t *ms = json_object_get(o, "ms");
	const json_t *sc = json_object_get(o, "syscall");
	const json_t *idle = json_object_get(o, "idle");

	if (!json_is_number(ms) || json_number_value(ms) <= 0 ||
	    json_number_value(ms) > 1e9)
		return bad(why, sz, i, "%s", "'ms': a number of milliseconds "
			   "above 0 is required");
	r->max = (__u64)(json_number_value(ms) * 1e6);
	if (sc && (!json_is_string(sc) ||
		   (r->nr = kt_syscall_nr(json_string_value(sc))) < 0))
		return bad(why, sz, i, "'syscall': %s", "not a syscall name");
	if (idle && !json_is_boolean(idle))
		return bad(why, sz, i, "'idle': %s", "not true or false");
	r->idle = json_is_true(idle) || r->nr >= 0;
	return 0;
}

/* The rule's words: "max-syscall 20 ms, syscall fsync, comm dd". */
static void title(struct kt_check_rule *r)
{
	char d[32];
	size_t n = snprintf(r->title, sizeof(r->title), "%s", kind_names[r->kind]);

	if (r->kind == KT_CK_MAX_SYSCALL)
		n += snprintf(r->title + n, sizeof(r->title) - n, " %s",
			      kt_tlf_dur(d, sizeof(d), r->max));
	if (r->kind == KT_CK_MAX_DROPPED && n < sizeof(r->title))
		n += snprintf(r->title + n, sizeof(r->title) - n, " %llu events",
			      (unsigned long long)r->max);
	if (r->nr >= 0 && n < sizeof(r->title))
		n += snprintf(r->title + n, sizeof(r->title) - n, ", syscall %s",
			      kt_syscall_name(r->nr));
	if (r->comm[0] && n < sizeof(r->title))
		n += snprintf(r->title + n, sizeof(r->title) - n, ", comm %s",
			      r->comm);
	if (r->kind == KT_CK_MAX_SYSCALL && r->nr < 0 && n < sizeof(r->title))
		n += snprintf(r->title + n, sizeof(r->title) - n, ", %s",
			      r->idle ? "idle waits too" : "idle waits left out");
	for (size_t k = 0; k < r->nallow && n < sizeof(r->title); k++)
		n += snprintf(r->title + n, sizeof(r->title) - n, "%s%d",
			      k ? "," : ", allow ", r->allow[k]);
	for (size_t k = 0; k < r->nsignals && n < sizeof(r->title); k++)
		n += snprintf(r->title + n, sizeof(r->title) - n, "%s%s",
			      k ? "," : ", signals ", kt_signal_name(r->signals[k]));
}

static int parse_rule(const json_t *o, struct kt_check_rule *r, char *why,
		      size_t sz, size_t i)
{
	const char *kind = json_string_value(json_object_get(o, "rule"));
	const json_t *comm, *v;
	const char *key;
	char k[40];

	memset(r, 0, sizeof(*r));
	r->nr = -1;
	if (!json_is_object(o))
		return bad(why, sz, i, "%s", "not an object");
	for (r->kind = 0; kind && r->kind < KT_CK_N; r->kind++)
		if (!strcmp(kind, kind_names[r->kind]))
			break;
	if (!kind || r->kind == KT_CK_N)
		return bad(why, sz, i, "'rule': %s", "not one of no-oom, "
			   "max-syscall, no-retransmits, no-refused-connects, "
			   "exit-codes, max-dropped");
	json_object_foreach((json_t *)o, key, v) {
		snprintf(k, sizeof(k), ",%s,", key);
		if (strcmp(key, "rule") && !strstr(kind_keys[r->kind], k))
			return bad(why, sz, i, "'%s': unknown key for this rule",
				   key);
	}
	comm = json_object_get(o, "comm");
	if (comm && (!json_is_string(comm) || !json_string_length(comm) ||
		     json_string_length(comm) > 31))
		return bad(why, sz, i, "'comm': %s", "not a name of 1 to 31 bytes");
	if (comm)
		snprintf(r->comm, sizeof(r->comm), "%s", json_string_value(comm));
	if (r->kind == KT_CK_MAX_SYSCALL &&
	    parse_max_syscall(o, r, why, sz, i))
		return -EINVAL;
	if (r->kind == KT_CK_EXIT_CODES) {
		if (!json_object_get(o, "allow"))
			r->allow[r->nallow++] = 0;
		else if (parse_ints(json_object_get(o, "allow"), r->allow,
				    &r->nallow, false, why, sz, i))
			return -EINVAL;
		if (json_object_get(o, "signals") &&
		    parse_ints(json_object_get(o, "signals"), r->signals,
			       &r->nsignals, true, why, sz, i))
			return -EINVAL;
	}
	if (r->kind == KT_CK_MAX_DROPPED) {
		v = json_object_get(o, "events");
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(why, sz, i, "'events': %s", "a count of 0 or "
				   "more is required");
		r->max = (__u64)json_integer_value(v);
	}
	title(r);
	return 0;
}

int kt_check_parse(const json_t *root, struct kt_check *c, char *why,
		   size_t sz)
{
	const json_t *rules = json_object_get(root, "rules");
	const char *key;
	json_t *v;
	size_t i;

	memset(c, 0, sizeof(*c));
	json_object_foreach((json_t *)root, key, v)
		if (strcmp(key, "rules")) {
			snprintf(why, sz, "'%s': unknown key (the file is "
				 "{\"rules\": [...]})", key);
			return -EINVAL;
		}
	if (!json_is_array(rules) || !json_array_size(rules)) {
		snprintf(why, sz, "'rules': a list of at least one rule is "
			 "required");
		return -EINVAL;
	}
	c->v = calloc(json_array_size(rules), sizeof(*c->v));
	if (!c->v)
		return -ENOMEM;
	json_array_foreach(rules, i, v) {
		if (parse_rule(v, &c->v[i], why, sz, i))
			return -EINVAL;
		c->n++;
	}
	return 0;
}

void kt_check_release(struct kt_check *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

bool kt_check_missing(const struct kt_check *c, const json_t *meta,
		      char *why, size_t sz)
{
	static const char *const fam[KT_CK_N] = {
		[KT_CK_NO_OOM] = "oom", [KT_CK_MAX_SYSCALL] = "syscall",
		[KT_CK_NO_RETRANS] = "tcp", [KT_CK_NO_REFUSED] = "tcp",
		[KT_CK_EXIT_CODES] = "proc",
	};
	const char *f = json_string_value(json_object_get(
		json_object_get(meta, "record"), "families"));

	if (!f || !strcmp(f, "all"))
		return false;
	for (size_t i = 0; i < c->n; i++) {
		const char *want = fam[c->v[i].kind], *p;
		size_t n = want ? strlen(want) : 0;

		if (!want)
			continue;
		for (p = strstr(f, want); p; p = strstr(p + 1, want))
			if ((p == f || p[-1] == ',') && (!p[n] || p[n] == ','))
				break;
		if (!p) {
			snprintf(why, sz, "rules[%zu] (%s) needs the %s family, "
				 "which was not recorded (-e %s)", i,
				 c->v[i].title, want, f);
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------ asserting */

static bool comm_ok(const struct kt_check_rule *r, const char *comm)
{
	return !r->comm[0] || !strcmp(r->comm, comm);
}

static void hit(struct kt_check *c, struct kt_check_rule *r, __u64 ts,
		__u32 pid, __u32 tid, const char *comm, const char *what)
{
	struct kt_check_hit *h;

	r->violations++;
	c->violations++;
	if (r->nhits == KT_CHECK_HITS)
		return;
	h = &r->hits[r->nhits++];
	h->ts = ts;
	h->pid = pid;
	h->tid = tid;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
	snprintf(h->what, sizeof(h->what), "%s", what);
}

/* What the row readers share. */
struct run {
	struct kt_check *c;
	struct kt_reader *r;
};

/* One row of a tool to every rule of @kind. */
static void row_hits(struct kt_check *c, unsigned kind, const json_t *row,
		     const char *comm, __u32 pid, const char *what)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == kind && comm_ok(&c->v[i], comm))
			hit(c, &c->v[i], kt_st_ju(row, "ts"), pid,
			    (__u32)kt_st_ju(row, "tid"), comm, what);
}

static int on_oom(void *arg, const json_t *row)
{
	char what[192];

	snprintf(what, sizeof(what), "OOM-killed (anon rss %llu kB, memcg %s)",
		 (unsigned long long)kt_st_ju(row, "anon_rss_kb"),
		 kt_st_js(row, "memcg"));
	row_hits(((struct run *)arg)->c, KT_CK_NO_OOM, row, kt_st_js(row, "victim_comm"),
		 (__u32)kt_st_ju(row, "victim_pid"), what);
	return 0;
}

static int on_retrans(void *arg, const json_t *row)
{
	struct run *x = arg;
	__u32 pid = (__u32)kt_st_ju(row, "pid");
	const struct kt_task *t = kt_tasks_find(kt_reader_tasks(x->r), pid);
	char what[192];

	if (strcmp(kt_st_js(row, "type"), "retransmit"))
		return 0;
	snprintf(what, sizeof(what), "TCP retransmit %s:%llu -> %s:%llu (%s)",
		 kt_st_js(row, "laddr"), (unsigned long long)kt_st_ju(row, "lport"),
		 kt_st_js(row, "raddr"), (unsigned long long)kt_st_ju(row, "rport"),
		 kt_st_js(row, "state"));
	row_hits(x->c, KT_CK_NO_RETRANS, row, t ? t->comm : "?", pid, what);
	return 0;
}

static int on_connect(void *arg, const json_t *row)
{
	const char *res = kt_st_js(row, "result");
	char what[192];

	if (strcmp(res, "refused") && strcmp(res, "failed"))
		return 0;
	snprintf(what, sizeof(what), "connect to %s:%llu %s",
		 kt_st_js(row, "daddr"), (unsigned long long)kt_st_ju(row, "dport"),
		 res);
	row_hits(((struct run *)arg)->c, KT_CK_NO_REFUSED, row, kt_st_js(row, "comm"),
		 (__u32)kt_st_ju(row, "pid"), what);
	return 0;
}

static bool allowed(const struct kt_check_rule *r, unsigned code, unsigned sig)
{
	for (size_t k = 0; sig && k < r->nsignals; k++)
		if ((unsigned)r->signals[k] == sig)
			return true;
	for (size_t k = 0; !sig && k < r->nallow; k++)
		if ((unsigned)r->allow[k] == code)
			return true;
	return false;
}

static int on_exit_row(void *arg, const json_t *row)
{
	struct kt_check *c = ((struct run *)arg)->c;
	const char *comm = kt_st_js(row, "comm");
	unsigned code = (unsigned)kt_st_ju(row, "code");
	unsigned sig = (unsigned)kt_st_ju(row, "signal");
	char what[192];

	if (sig)
		snprintf(what, sizeof(what), "killed by %s%s",
			 kt_signal_name(sig) ?: "signal ?",
			 kt_st_ju(row, "exit_code") & 0x80 ? " (core dumped)" : "");
	else
		snprintf(what, sizeof(what), "exited with status %u", code);
	for (size_t i = 0; i < c->n; i++) {
		struct kt_check_rule *r = &c->v[i];

		if (r->kind != KT_CK_EXIT_CODES || !comm_ok(r, comm))
			continue;
		c->matched_exits++;
		if (!allowed(r, code, sig))
			hit(c, r, kt_st_ju(row, "ts"), (__u32)kt_st_ju(row, "pid"),
			    (__u32)kt_st_ju(row, "tid"), comm, what);
	}
	return 0;
}

/* The check's own tool: every syscall to the max-syscall rules. */
static int slow_event(struct kt_st *st, const struct kt_event *ev)
{
	struct kt_check *c = st->priv;
	const struct kt_syscall *s = &ev->sys;
	const char *comm = kt_st_comm(st, ev->tid);
	const char *name = kt_syscall_name(s->nr);
	char what[192], d[32], m[32];

	for (size_t i = 0; i < c->n; i++) {
		struct kt_check_rule *r = &c->v[i];

		if (r->kind != KT_CK_MAX_SYSCALL || s->dur <= r->max ||
		    (r->nr >= 0 && (unsigned)r->nr != s->nr) ||
		    (!r->idle && kt_why_idle_syscall(s->nr)) || !comm_ok(r, comm))
			continue;
		snprintf(what, sizeof(what), "%s%s took %s (over %s)",
			 name ? name : "syscall ", name ? "" : "?",
			 kt_tlf_dur(d, sizeof(d), s->dur),
			 kt_tlf_dur(m, sizeof(m), r->max));
		if (s->flags & KT_SYSCALL_UNFINISHED)
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
				 ", unfinished at the end of the capture");
		hit(c, r, ev->ts - s->dur, ev->pid, ev->tid, comm, what);
	}
	return 0;
}

static const struct kt_stats_tool slow_tool = {
	.name = "check",
	.options = "",
	.summary = "syscalls over a rule's limit",
	.kinds = KT_KIND_BIT(KT_SYSCALL),
	.priv_size = sizeof(struct kt_check),
	.event = slow_event,
};

static const struct {
	const char *tool;       /* NULL: slow_tool */
	int (*row)(void *arg, const json_t *row);
	unsigned kind;          /* the rules it serves */
} jobs[] = {
	{ "oomkill", on_oom, KT_CK_NO_OOM },
	{ "tcpretrans", on_retrans, KT_CK_NO_RETRANS },
	{ "tcpconnect", on_connect, KT_CK_NO_REFUSED },
	{ "exitsnoop", on_exit_row, KT_CK_EXIT_CODES },
	{ NULL, NULL, KT_CK_MAX_SYSCALL },
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))


static bool wants(const struct kt_check *c, unsigned kind)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == kind)
			return true;
	return false;
}

static int run_tools(struct run *x, struct kt_st_rowjobs *t,
		     const struct kt_info *info, struct kt_err *err)
{
	for (size_t i = 0; i < NJOBS; i++) {
		if (!wants(x->c, jobs[i].kind))
			continue;
		if (!kt_st_rowjobs_add(t, jobs[i].tool ?
				       kt_stats_find(jobs[i].tool) : &slow_tool,
				       jobs[i].tool ? NULL : x->c, jobs[i].row,
				       x, info))
			return -ENOMEM;
	}
	return kt_st_rowjobs_run(t, x->r, info, err);
}

static void dropped(struct kt_check *c, struct kt_reader *r,
		    const struct kt_info *info)
{
	const json_t *lost = json_object_get(kt_reader_meta(r), "lost");
	__u64 n = kt_st_ju(lost, "total");
	char what[192];

	if (info->lost > n)
		n = info->lost;
	for (size_t i = 0; i < c->n; i++) {
		struct kt_check_rule *rl = &c->v[i];

		if (rl->kind != KT_CK_MAX_DROPPED || n <= rl->max)
			continue;
		snprintf(what, sizeof(what), "%llu events were lost (at most "
			 "%llu allowed; `ktrail info` says by which cause)",
			 (unsigned long long)n, (unsigned long long)rl->max);
		hit(c, rl, 0, 0, 0, "", what);
	}
}

int kt_check_run(struct kt_reader *r, struct kt_check *c, struct kt_err *err)
{
	struct kt_st_rowjobs *t = calloc(1, sizeof(*t));
	struct run x = { .c = c, .r = r };
	struct kt_info info;
	int rc;

	if (!t)
		return -ENOMEM;
	kt_reader_info(r, &info);
	rc = info.events ? run_tools(&x, t, &info, err) : 0;
	kt_st_rowjobs_release(t);
	free(t);
	if (!rc)
		dropped(c, r, &info);
	return rc;
}
