// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * summary_rows.c - the stats tools' NDJSON rows as the summary reads
 * them, one row at a time as the tools print it (summary.h): exits and
 * the signals that caused them, OOM kills, failed syscalls, TCP
 * failures grouped by process and peer, the latency distributions.
 * What needs every row first (the sender of a fatal signal, whether an
 * OOM victim's end is in the capture) is joined after the pass
 * (kt_sum_join).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/summary_int.h"
#include "analyze/names.h"

static __u64 ju(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (__u64)json_integer_value(v) : 0;
}

static const char *js(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* a task the capture never named is "?" (as `why` names it) */
static void set_comm(char *dst, size_t sz, const char *comm)
{
	snprintf(dst, sz, "%s", *comm ? comm : "?");
}

/* -------------------------------------------------- exits and signals */

/* Signals whose default is not to end the process: never the cause of
 * a death, and the bulk of the kernel's (a SIGCHLD per exit). */
static bool harmless(unsigned signo)
{
	return signo == SIGCHLD || signo == SIGCONT || signo == SIGURG ||
	       signo == SIGWINCH || signo == SIGSTOP || signo == SIGTSTP ||
	       signo == SIGTTIN || signo == SIGTTOU;
}

int kt_sum_on_kill(struct kt_sum_build *b, const json_t *row)
{
	struct kt_sum_sig *g;

	if (harmless(ju(row, "signo")))
		return 0;
	if (b->nsigs == b->capsigs) {
		size_t cap = b->capsigs ? 2 * b->capsigs : 64;

		g = realloc(b->sigs, cap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		b->sigs = g;
		b->capsigs = cap;
	}
	g = &b->sigs[b->nsigs++];
	g->ts = ju(row, "ts");
	g->target = ju(row, "target_pid");
	g->signo = ju(row, "signo");
	if (!strcmp(js(row, "sender"), "kernel"))
		snprintf(g->from, sizeof(g->from), "the kernel%s%s%s",
			 *js(row, "cause") ? " (" : "", js(row, "cause"),
			 *js(row, "cause") ? ")" : "");
	else
		snprintf(g->from, sizeof(g->from), "%s[%llu]",
			 *js(row, "comm") ? js(row, "comm") : "?",
			 (unsigned long long)ju(row, "pid"));
	return 0;
}

/* The sender of the signal @signo that killed @pid at @ts: the latest
 * one generated for it before. */
static const struct kt_sum_sig *sender(const struct kt_sum_build *b,
				       __u32 pid, unsigned signo, __u64 ts)
{
	for (size_t i = b->nsigs; i-- > 0;)
		if (b->sigs[i].target == pid && b->sigs[i].signo == signo &&
		    b->sigs[i].ts <= ts)
			return &b->sigs[i];
	return NULL;
}

int kt_sum_on_exit(struct kt_sum_build *b, const json_t *row)
{
	__s64 code = (__s64)ju(row, "exit_code");
	unsigned sig = code & 0x7f;
	struct kt_anom *a;

	if (!kt_map_put(&b->ended, ju(row, "pid"), NULL))
		return -ENOMEM;
	if (!code)
		return 0;
	a = kt_sum_add(&b->list, sig ? KT_AN_SIGNAL : KT_AN_EXIT);
	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "pid");
	a->tid = ju(row, "tid");
	a->ts = ju(row, "ts");
	a->rank = a->ts;
	a->count = (__u64)code;     /* the status, until kt_sum_join words it */
	set_comm(a->comm, sizeof(a->comm), js(row, "comm"));
	snprintf(a->verb, sizeof(a->verb), "why");
	snprintf(a->args, sizeof(a->args), "--pid %u --exit", a->pid);
	return 0;
}

int kt_sum_on_oom(struct kt_sum_build *b, const json_t *row)
{
	struct kt_anom *a = kt_sum_add(&b->list, KT_AN_OOM);

	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "victim_pid");
	a->tid = ju(row, "victim_tid");
	a->ts = ju(row, "ts");
	a->rank = a->ts;
	set_comm(a->comm, sizeof(a->comm), js(row, "victim_comm"));
	snprintf(a->what, sizeof(a->what), "%s[%u] was OOM-killed at anon-rss %llu kB "
		 "in memory cgroup %s (triggered by %s[%llu])", a->comm, a->pid,
		 (unsigned long long)ju(row, "anon_rss_kb"),
		 *js(row, "memcg") ? js(row, "memcg") : "-", js(row, "comm"),
		 (unsigned long long)ju(row, "pid"));
	return 0;
}

/* The words of the exits and the commands of the OOM kills, now that
 * every signal and every end is known. */
void kt_sum_join(struct kt_sum_build *b)
{
	struct kt_summary *s = b->list.s;

	for (size_t i = 0; i < s->n; i++) {
		struct kt_anom *a = &s->v[i];
		unsigned sig = a->count & 0x7f;
		const struct kt_sum_sig *g;
		const char *sname;

		if (a->kind == KT_AN_EXIT) {
			snprintf(a->what, sizeof(a->what), "%s[%u] exited with "
				 "status %u", a->comm, a->pid,
				 (unsigned)(a->count >> 8) & 0xff);
		} else if (a->kind == KT_AN_SIGNAL) {
			g = sender(b, a->pid, sig, a->ts);
			sname = kt_signal_name(sig);
			snprintf(a->what, sizeof(a->what), "%s[%u] was killed by "
				 "%s%s from %s", a->comm, a->pid,
				 sname ? sname : "a signal",
				 a->count & 0x80 ? " (core dumped)" : "",
				 g ? g->from : "a sender the capture did not record");
		} else if (a->kind == KT_AN_OOM && kt_map_get(&b->ended, a->pid)) {
			snprintf(a->verb, sizeof(a->verb), "why");
			snprintf(a->args, sizeof(a->args), "--pid %u --exit", a->pid);
		} else if (a->kind == KT_AN_OOM) {
			snprintf(a->verb, sizeof(a->verb), "stats");
			snprintf(a->args, sizeof(a->args), "oomkill --pid %u",
				 a->pid);
		}
		if (a->kind == KT_AN_EXIT || a->kind == KT_AN_SIGNAL)
			a->count = 0;
	}
}

/* ------------------------------------------------------ failed syscalls */

int kt_sum_on_errno(struct kt_sum_build *b, const json_t *row)
{
	const char *en = js(row, "errno");
	struct kt_anom *a;
	__u64 n = ju(row, "count");

	/* ERESTART* (512..): a signal interrupted the call, which the
	 * kernel restarts or turns into EINTR; not a failure */
	if (strcmp(js(row, "table"), "errno") ||
	    kt_errno_from_name(en) >= 512)
		return 0;
	a = kt_sum_add(&b->list, KT_AN_ERRNO);
	if (!a)
		return -ENOMEM;
	a->pid = ju(row, "pid");
	a->count = n;
	set_comm(a->comm, sizeof(a->comm), js(row, "comm"));
	snprintf(a->what, sizeof(a->what), "%s[%u] %s failed with %s %llu time%s",
		 a->comm, a->pid, js(row, "syscall"), en,
		 (unsigned long long)n, n == 1 ? "" : "s");
	snprintf(a->verb, sizeof(a->verb), "stats");
	snprintf(a->args, sizeof(a->args), "syscount --failed --pid %u", a->pid);
	return 0;
}

/* ------------------------------------------------------------------ tcp */

static const char *proc_comm(const struct kt_sum_build *b, __u32 pid)
{
	const struct kt_task *t = pid ? kt_tasks_find(kt_reader_tasks(b->r), pid)
				      : NULL;

	return t ? t->comm : "?";
}

/* FNV-1a of the group's key and process: where it is in the map */
static __u64 group_hash(__u32 pid, const char *key)
{
	__u64 h = 0xcbf29ce484222325ULL ^ pid;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	return h;
}

static int tcp_add(struct kt_sum_build *b, const json_t *row, __u32 pid,
		   const char *comm, const char *key, unsigned sev,
		   const char *tool)
{
	__u64 h = group_hash(pid, key), idx;
	struct kt_sum_tcp *g;

	/* a hash that collides with another group's is looked for by hand */
	if (kt_map_get_u64(&b->tcp_index, h, &idx)) {
		if (b->tcp[idx].pid == pid && !strcmp(b->tcp[idx].key, key)) {
			b->tcp[idx].count++;
			return 0;
		}
		for (size_t i = 0; i < b->ntcp; i++)
			if (b->tcp[i].pid == pid && !strcmp(b->tcp[i].key, key)) {
				b->tcp[i].count++;
				return 0;
			}
	}
	if (b->ntcp == b->captcp) {
		size_t cap = b->captcp ? 2 * b->captcp : 16;

		g = realloc(b->tcp, cap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		b->tcp = g;
		b->captcp = cap;
	}
	if (!kt_map_get(&b->tcp_index, h) &&
	    kt_map_put_u64(&b->tcp_index, h, b->ntcp))
		return -ENOMEM;
	g = &b->tcp[b->ntcp++];
	memset(g, 0, sizeof(*g));
	g->pid = pid;
	g->sev = sev;
	g->ts = ju(row, "ts");
	g->count = 1;
	g->tool = tool;
	snprintf(g->comm, sizeof(g->comm), "%s", *comm ? comm : "?");
	snprintf(g->key, sizeof(g->key), "%s", key);
	return 0;
}

int kt_sum_on_connect(struct kt_sum_build *b, const json_t *row)
{
	const char *res = js(row, "result");
	char key[160];

	if (strcmp(res, "refused") && strcmp(res, "failed"))
		return 0;
	snprintf(key, sizeof(key), "connect to %s:%llu %s", js(row, "daddr"),
		 (unsigned long long)ju(row, "dport"), res);
	return tcp_add(b, row, ju(row, "pid"), js(row, "comm"), key, 0,
		       "tcpconnect");
}

int kt_sum_on_retrans(struct kt_sum_build *b, const json_t *row)
{
	const char *type = js(row, "type");
	bool rt = !strcmp(type, "retransmit");
	__u32 pid = ju(row, "pid");
	char key[160];

	/* a reset the kernel sent for a segment that matched no socket (a
	 * connect to a closed port) belongs to no process: the row's pid
	 * is the task the soft irq interrupted, often the connecting
	 * client itself (loopback, veth) */
	if (!strcmp(type, "reset_sent") && !strcmp(js(row, "state"), "NO_SOCKET")) {
		snprintf(key, sizeof(key), "reset sent from %s:%llu (no socket "
			 "there) to %s:%llu", js(row, "laddr"),
			 (unsigned long long)ju(row, "lport"), js(row, "raddr"),
			 (unsigned long long)ju(row, "rport"));
		return tcp_add(b, row, 0, "kernel", key, 1, "tcpretrans");
	}
	snprintf(key, sizeof(key), "%s %s %s:%llu",
		 rt ? "retransmit" : !strcmp(type, "reset_sent") ? "reset sent" :
		 "reset received", !strcmp(type, "reset_received") ? "from" : "to",
		 js(row, "raddr"), (unsigned long long)ju(row, "rport"));
	return tcp_add(b, row, pid, proc_comm(b, pid), key, rt ? 2 : 1,
		       "tcpretrans");
}

/* The groups as anomalies. */
int kt_sum_tcp_anoms(struct kt_sum_build *b)
{
	for (size_t i = 0; i < b->ntcp; i++) {
		const struct kt_sum_tcp *g = &b->tcp[i];
		struct kt_anom *a = kt_sum_add(&b->list, KT_AN_TCP);

		if (!a)
			return -ENOMEM;
		a->pid = g->pid;
		a->ts = g->ts;
		a->count = g->count;
		a->rank = (__u64)g->sev << 48 | (0xffffffffffffULL - g->count);
		memcpy(a->comm, g->comm, sizeof(a->comm));
		if (g->pid)
			snprintf(a->what, sizeof(a->what), "%s[%u] %s, %llu time%s",
				 g->comm, g->pid, g->key,
				 (unsigned long long)g->count,
				 g->count == 1 ? "" : "s");
		else
			snprintf(a->what, sizeof(a->what), "%s: %s, %llu time%s",
				 strcmp(g->comm, "kernel") ?
				 "a socket of no known process" :
				 "the kernel", g->key,
				 (unsigned long long)g->count,
				 g->count == 1 ? "" : "s");
		snprintf(a->verb, sizeof(a->verb), "stats");
		if (g->pid)
			snprintf(a->args, sizeof(a->args), "%s --pid %u",
				 g->tool, g->pid);
		else
			snprintf(a->args, sizeof(a->args), "%s", g->tool);
	}
	return 0;
}

/* ------------------------------------------------------- distributions */

static void hist_of(struct kt_summary_hist *h, const json_t *row)
{
	const json_t *bk = json_object_get(row, "buckets"), *v;
	size_t i;

	h->count = ju(row, "count");
	json_array_foreach((json_t *)bk, i, v)
		if (i < 64)
			h->slot[i] = ju(v, "count");
}

int kt_sum_on_biolat(struct kt_sum_build *b, const json_t *row)
{
	hist_of(&b->list.s->hist[KT_SH_BLOCK], row);
	return 0;
}

int kt_sum_on_runq(struct kt_sum_build *b, const json_t *row)
{
	hist_of(&b->list.s->hist[KT_SH_RUNQ], row);
	return 0;
}
