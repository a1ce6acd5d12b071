// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * summary_print.c - the summary for people (a heading per kind, one line
 * per anomaly with its command) and as one JSON object.
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "analyze/summary.h"
#include "analyze/fmt.h"
#include "analyze/names.h"
#include "analyze/timeline_fmt.h"

#define WHAT_W 64               /* the column of the commands, at most */

static const struct {
	const char *name, *title, *more;
} kinds[KT_AN_NKINDS] = {
	[KT_AN_SIGNAL] = { "signal", "fatal signals", "exitsnoop" },
	[KT_AN_OOM] = { "oom", "OOM kills", "oomkill" },
	[KT_AN_EXIT] = { "exit", "non-zero exits", "exitsnoop" },
	[KT_AN_ERRNO] = { "errno",
			  "failed syscalls (by process, syscall and errno)",
			  "syscount --failed --per-process" },
	[KT_AN_SLOW] = { "slow",
			 "slowest syscalls (one per process, 1 ms or more; idle "
			 "waits such as epoll_wait, poll, wait4 and sleeps left "
			 "out)", "syscount --per-process" },
	[KT_AN_TCP] = { "tcp", "TCP: refused or failed connections, resets, "
			"retransmits", "tcpretrans" },
	[KT_AN_DISK] = { "disk", "block I/O latency outliers (1 ms or more, "
			 "and 8 times the disk's median)", "biosnoop" },
	[KT_AN_LOST] = { "lost", "lost events", NULL },
};

const char *kt_anom_kind_name(unsigned kind)
{
	return kind < KT_AN_NKINDS ? kinds[kind].name : "?";
}

const char *kt_anom_title(unsigned kind)
{
	return kind < KT_AN_NKINDS ? kinds[kind].title : "?";
}

char *kt_anom_command(char *buf, size_t sz, const struct kt_anom *a,
		      const char *file)
{
	char f[512];

	kt_fmt_shell_word(f, sizeof(f), file);
	snprintf(buf, sz, "ktrail %s %s%s%s", a->verb, f, a->args[0] ? " " : "",
		 a->args);
	return buf;
}

char *kt_anom_more(char *buf, size_t sz, unsigned kind, const char *file)
{
	char f[512];

	buf[0] = 0;
	if (kind >= KT_AN_NKINDS || !kinds[kind].more)
		return buf;
	kt_fmt_shell_word(f, sizeof(f), file);
	snprintf(buf, sz, "ktrail stats %s %s", f, kinds[kind].more);
	return buf;
}

/* The width of the "what" column: the longest shown, at most WHAT_W. */
static int what_width(const struct kt_summary *s, unsigned top)
{
	size_t w = 0, shown[KT_AN_NKINDS] = { 0 };

	for (size_t i = 0; i < s->n; i++) {
		const struct kt_anom *a = &s->v[i];
		size_t n = strlen(a->what);

		if (top && shown[a->kind]++ >= top)
			continue;
		if (n > w)
			w = n;
	}
	return w > WHAT_W ? WHAT_W : (int)w;
}

static void head(struct kt_out *o, const char *file,
		 const struct kt_summary *s)
{
	char d[32];

	kt_out_printf(o, "%s: %llu events in %s, ", file,
		      (unsigned long long)s->events,
		      kt_tlf_dur(d, sizeof(d), s->last_ts - s->first_ts));
	if (s->lost)
		kt_out_printf(o, "%llu LOST\n", (unsigned long long)s->lost);
	else
		kt_out_printf(o, "none lost\n");
	for (size_t i = 0; i < s->nnotes; i++)
		kt_out_printf(o, "note: %s\n", s->notes[i]);
}

int kt_summary_print(struct kt_out *o, const struct kt_summary *s,
		     const char *file, unsigned top)
{
	int w = what_width(s, top);
	char cmd[1024];
	size_t i = 0;

	head(o, file, s);
	if (!s->n)
		kt_out_printf(o, "\nno anomaly: no non-zero exit, fatal signal, OOM "
			      "kill, failed or slow syscall, TCP failure, slow "
			      "block request or lost event\n");
	while (i < s->n) {
		unsigned k = s->v[i].kind;
		size_t shown = 0;

		kt_out_printf(o, "\n%s:\n", kt_anom_title(k));
		for (; i < s->n && s->v[i].kind == k; i++) {
			if (top && shown >= top)
				continue;
			shown++;
			kt_out_printf(o, "  %-*s  %s\n", w, s->v[i].what,
				      kt_anom_command(cmd, sizeof(cmd), &s->v[i],
						      file));
		}
		if (shown < s->nkind[k]) {
			char more[48];

			snprintf(more, sizeof(more), "(%zu more)",
				 s->nkind[k] - shown);
			kt_out_printf(o, "  %-*s  %s\n", w, more,
				      kt_anom_more(cmd, sizeof(cmd), k, file));
		}
	}
	return o->err;
}

/* ----------------------------------------------------------------- json */

static json_t *janom(const struct kt_anom *a, const char *file)
{
	char cmd[1024];
	json_t *j;

	j = json_pack("{s:s, s:s, s:s}", "kind", kt_anom_kind_name(a->kind),
		      "what", a->what, "command",
		      kt_anom_command(cmd, sizeof(cmd), a, file));
	if (!j)
		return NULL;
	if (a->pid || a->kind != KT_AN_LOST) {
		json_object_set_new(j, "pid", json_integer(a->pid));
		json_object_set_new(j, "comm", json_string(a->comm));
	}
	if (a->tid)
		json_object_set_new(j, "tid", json_integer(a->tid));
	if (a->ts)
		json_object_set_new(j, "ts", json_integer(a->ts));
	if (a->kind == KT_AN_SLOW || a->kind == KT_AN_DISK)
		json_object_set_new(j, "ns", json_integer(a->ns));
	if (a->kind == KT_AN_ERRNO || a->kind == KT_AN_TCP ||
	    a->kind == KT_AN_LOST)
		json_object_set_new(j, "count", json_integer(a->count));
	return j;
}

static json_t *jhist(const struct kt_summary_hist *h)
{
	json_t *b = json_array();
	int last = -1;

	for (int i = 0; i < 64; i++)
		if (h->slot[i])
			last = i;
	for (int i = 0; b && i <= last; i++)
		json_array_append_new(b, json_pack("{s:I, s:I, s:I}",
			"low", (json_int_t)(i ? 1ULL << i : 0),
			"high", (json_int_t)((2ULL << i) - 1),
			"count", (json_int_t)h->slot[i]));
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "name", h->name,
			 "tool", h->tool, "unit", "usecs",
			 "count", (json_int_t)h->count, "buckets", b);
}

int kt_summary_print_json(struct kt_out *o, const struct kt_summary *s,
			  const char *file)
{
	json_t *root, *an = json_array(), *counts = json_object(),
	       *hists = json_array(), *notes = json_array();

	for (size_t i = 0; an && i < s->n; i++)
		json_array_append_new(an, janom(&s->v[i], file));
	for (unsigned k = 0; counts && k < KT_AN_NKINDS; k++)
		json_object_set_new(counts, kt_anom_kind_name(k),
				    json_integer(s->nkind[k]));
	for (int i = 0; hists && i < KT_SH_N; i++)
		json_array_append_new(hists, jhist(&s->hist[i]));
	for (size_t i = 0; notes && i < s->nnotes; i++)
		json_array_append_new(notes, json_string(s->notes[i]));
	root = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
			 "file", file, "events", (json_int_t)s->events,
			 "first_ts", (json_int_t)s->first_ts,
			 "last_ts", (json_int_t)s->last_ts,
			 "duration_ns", (json_int_t)(s->last_ts - s->first_ts),
			 "lost", (json_int_t)s->lost, "counts", counts,
			 "anomalies", an, "latency", hists, "notes", notes);
	if (!root)
		return -ENOMEM;
	kt_out_jansson(o, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	kt_out_ch(o, '\n');
	json_decref(root);
	return o->err;
}
