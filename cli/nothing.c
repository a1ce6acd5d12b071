// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nothing.c - why a selection matched nothing (cli/capture.h,
 * kt_cli_nothing): the first reason that holds, in the order a user
 * would check: the window against the capture's span, the families
 * asked for against those recorded, the process and thread against the
 * capture's task table.  Without one, the plain note.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/capture.h"
#include "analyze/why.h"

/* "+1.76 s": @ts from the capture's first event @first, with @prec
 * decimals (1..9), trailing zeros dropped. */
static void rel(char *b, size_t n, __u64 ts, __u64 first, unsigned prec)
{
	__u64 d = ts >= first ? ts - first : first - ts, unit = 1, sec, frac;
	char num[48];
	size_t len;

	for (unsigned i = prec; i < 9; i++)
		unit *= 10;
	d = (d + unit / 2) / unit;              /* in units of 10^-prec s */
	for (sec = 1, frac = 0; frac < prec; frac++)
		sec *= 10;
	snprintf(num, sizeof(num), "%llu.%0*llu", (unsigned long long)(d / sec),
		 (int)prec, (unsigned long long)(d % sec));
	len = strlen(num);
	while (len && num[len - 1] == '0')
		num[--len] = '\0';
	if (len && num[len - 1] == '.')
		num[--len] = '\0';
	snprintf(b, n, "%c%s s", ts >= first ? '+' : '-', num);
}

/* "[+2 s, …]": the window as given, its open ends as "…" */
static void window(char *b, size_t n, const struct kt_cli_sel *sel,
		   __u64 first, unsigned prec)
{
	char f[64] = "…", t[64] = "…";

	if (sel->from)
		rel(f, sizeof(f), sel->from, first, prec);
	if (sel->to)
		rel(t, sizeof(t), sel->to, first, prec);
	snprintf(b, n, "[%s, %s]", f, t);
}

static bool outside(const char *cmd, const char *path,
		    const struct kt_cli_sel *sel, const struct kt_info *in)
{
	char w[160], e[64], f[64];

	if (!in->events)
		return false;
	window(w, sizeof(w), sel, in->first_ts, 3);
	if (sel->from && sel->from > in->last_ts) {
		/* as many decimals as tell the two apart */
		for (unsigned p = 3; p <= 9; p++) {
			window(w, sizeof(w), sel, in->first_ts, p);
			rel(e, sizeof(e), in->last_ts, in->first_ts, p);
			rel(f, sizeof(f), sel->from, in->first_ts, p);
			if (strcmp(e, f))
				break;
		}
		kt_msg(cmd, path, "note: window %s is after the capture's end "
		       "(%s)", w, e);
		return true;
	}
	if (sel->to && sel->to <= in->first_ts) {
		kt_msg(cmd, path, "note: window %s ends before the capture's "
		       "first event", w);
		return true;
	}
	return false;
}

/* The families of @kinds (meta left out: every capture has it). */
static unsigned families(__u64 kinds, bool fam[KT_FAM_MAX])
{
	unsigned n = 0;

	memset(fam, 0, KT_FAM_MAX * sizeof(fam[0]));
	for (unsigned k = 1; k < KT_KIND_MAX && k < 64; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		if (!ki || !(kinds & KT_KIND_BIT(k)) ||
		    ki->family >= KT_FAM_MAX || ki->family == KT_FAM_META)
			continue;
		n += !fam[ki->family];
		fam[ki->family] = true;
	}
	return n;
}

/* "family syscall was not recorded (-e sched,proc)", or, when the
 * metadata does not say what was recorded, "the capture holds no
 * syscall event": the families asked for that the capture lacks. */
static bool unrecorded(const char *cmd, const char *path,
		       const struct kt_cli_sel *sel, const struct kt_reader *r,
		       const struct kt_info *in)
{
	const char *rec = json_string_value(json_object_get(json_object_get(
		kt_reader_meta(r), "record"), "families"));
	bool want[KT_FAM_MAX], have[KT_FAM_MAX];
	__u64 mask = 0;
	char names[256] = "";
	size_t used = 0;
	unsigned n = 0;
	char bad[32];

	if (!sel->kinds || !families(sel->kinds, want))
		return false;
	if (rec && !kt_families_parse(rec, &mask, bad, sizeof(bad))) {
		families(mask, have);
	} else {
		rec = NULL;
		for (unsigned k = 1; k < KT_KIND_MAX && k < 64; k++)
			if (in->kind_events[k])
				mask |= KT_KIND_BIT(k);
		families(mask, have);
	}
	for (unsigned f = 0; f < KT_FAM_MAX; f++) {
		if (!want[f] || have[f])
			continue;
		used += snprintf(names + used, used < sizeof(names) ?
				 sizeof(names) - used : 0, "%s%s",
				 n++ ? ", " : "", kt_family_name(f));
		if (used >= sizeof(names))
			used = sizeof(names) - 1;
	}
	if (!n)
		return false;
	if (rec)
		kt_msg(cmd, path, "note: %s %s %s not recorded (-e %s)",
		       n > 1 ? "families" : "family", names,
		       n > 1 ? "were" : "was", rec);
	else
		kt_msg(cmd, path, "note: the capture holds no %s event", names);
	return true;
}

/* The process and thread against the capture's task table, read on a
 * reader of its own (@r's position and task table are the caller's). */
static bool absent(const char *cmd, const char *path,
		   const struct kt_cli_sel *sel, struct kt_reader *r)
{
	struct kt_why_ident id = { 0 };
	struct kt_reader *all = NULL;
	struct kt_err err = { 0 };
	int rc;

	if (!sel->pid && !sel->tid)
		return false;
	if (kt_reader_reopen(r, &all, &err))
		return false;
	rc = kt_why_identify(all, sel->pid, sel->tid, &id, &err);
	kt_reader_close(all);
	if (rc)
		return false;
	if (sel->pid && !id.pid_seen) {
		kt_msg(cmd, path, "note: process %u is not in the capture",
		       sel->pid);
		return true;
	}
	if (sel->tid && !id.tid_seen) {
		kt_msg(cmd, path, "note: thread %u is not in the capture",
		       sel->tid);
		return true;
	}
	if (sel->pid && sel->tid && !id.tid_in_pid) {
		kt_msg(cmd, path, "note: thread %u is not a thread of process "
		       "%u (it is one of process %u)", sel->tid, sel->pid,
		       id.tid_pid);
		return true;
	}
	return false;
}

void kt_cli_nothing(const char *cmd, const char *path, struct kt_reader *r,
		    const struct kt_cli_sel *sel)
{
	struct kt_info in;

	kt_reader_info(r, &in);
	if (outside(cmd, path, sel, &in) || unrecorded(cmd, path, sel, r, &in) ||
	    absent(cmd, path, sel, r))
		return;
	if (sel->given || sel->from || sel->to || sel->pid || sel->tid ||
	    sel->comm)
		kt_msg(cmd, path, "note: no event matches the selection");
}

void kt_cli_fd_horizon(const char *cmd, const char *path,
		       const struct kt_reader *r, __u64 since)
{
	struct kt_info in;
	char t[64];

	if (!since)
		return;
	kt_reader_info(r, &in);
	rel(t, sizeof(t), since, in.first_ts, 3);
	kt_msg(cmd, path, "note: fd names from %s on: the capture before is not "
	       "read for them (fds made earlier show their numbers; "
	       "--fd-history reads it all)", t);
}
