// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_exit_print.c - `ktrail why --exit` output: the first failure,
 * then the process's end, the chain down to that failure, the children
 * it reaped, the signals it received and sent, its last failing
 * syscalls; or all of it as one JSON object.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "why.h"
#include "names.h"
#include "timeline_fmt.h"
#include "fmt.h"

#define LINE_MAX_ 512

/* "10106 (exe/10106)" */
static char *pname(char *b, size_t sz, const struct kt_why_exit *x,
		   const struct kt_why_proc *p)
{
	char t[KT_TLF_MAX];

	snprintf(b, sz, "%u (%s)", p->pid,
		 kt_tlf_thread(t, sizeof(t), x->tasks, p->utid, p->pid));
	return b;
}

static const struct kt_why_proc *proc_of(const struct kt_why_exit *x,
					  __u32 pid)
{
	for (size_t i = 0; i < x->nprocs; i++)
		if (x->procs[i].pid == pid)
			return &x->procs[i];
	return NULL;
}

static bool is_fault(unsigned signo)
{
	return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE ||
	       signo == SIGILL || signo == SIGTRAP || signo == SIGSYS;
}

/* Who sent @g: "the kernel (OOM killer)", "the kernel (a fault)",
 * "the kernel (10106 ended)", "the kernel", or the sending thread with
 * its process, and whether that is the process asked about. */
static char *sender(char *b, size_t sz, const struct kt_why_exit *x,
		    const struct kt_why_sig *g)
{
	const struct kt_why_proc *t = proc_of(x, g->target_pid);
	char n[KT_TLF_MAX];

	if (g->by_kernel && g->signo == SIGKILL && t && t->oom)
		snprintf(b, sz, "the kernel (OOM killer)");
	else if (g->by_kernel && is_fault(g->signo))
		snprintf(b, sz, "the kernel (a fault)");
	else if (g->by_kernel && g->signo == SIGCHLD)
		snprintf(b, sz, "the kernel (%u ended)", g->sender_pid);
	else if (g->by_kernel)
		snprintf(b, sz, "the kernel");
	else
		snprintf(b, sz, "%s (pid %u%s)",
			 kt_tlf_thread(n, sizeof(n), x->tasks, g->sender_utid,
				       g->sender_tid), g->sender_pid,
			 g->sender_pid == x->pid ? ", this process" :
			 g->sender_pid == g->target_pid ? ", itself" : "");
	return b;
}

static long fatal_sig_of(const struct kt_why_exit *x, const struct kt_why_proc *p)
{
	unsigned sig = p->exit_code & 0x7f;
	long best = -1;

	for (size_t i = 0; sig && p->ended && i < x->nsigs; i++)
		if (x->sigs[i].target_pid == p->pid && x->sigs[i].signo == sig &&
		    x->sigs[i].ts <= p->end_ts)
			best = (long)i;
	return best;
}

/* "exit 3, after its exec of /bin/x" or "signal SIGKILL, sent by ..." */
static char *how_ended(char *b, size_t sz, const struct kt_why_exit *x,
		       const struct kt_why_proc *p)
{
	char st[64], s[KT_TLF_MAX + 64];
	long g;

	kt_fmt_exit(st, sizeof(st), p->exit_code);
	if (p->exit_code & 0x7f) {
		g = fatal_sig_of(x, p);
		snprintf(b, sz, "%s, sent by %s", st,
			 g < 0 ? "a sender not in the capture" :
				 sender(s, sizeof(s), x, &x->sigs[g]));
	} else if (p->execd) {
		snprintf(b, sz, "%s, after its exec of %s", st, p->exe);
	} else {
		snprintf(b, sz, "%s", st);
	}
	return b;
}

static void root_sentence(char *b, size_t sz, const struct kt_why_exit *x)
{
	const struct kt_why_proc *p = &x->procs[x->first_proc];
	char who[KT_TLF_MAX + 64], n[KT_TLF_MAX + 32], s[KT_TLF_MAX + 64];
	size_t len;

	pname(n, sizeof(n), x, p);
	if (x->first_proc)
		snprintf(who, sizeof(who), "process %s, a child of %u,", n, p->ppid);
	else
		snprintf(who, sizeof(who), "process %s", n);
	switch (x->first_kind) {
	case KT_WHY_F_NONE:
		snprintf(b, sz, "none: %s exited with status 0", who);
		break;
	case KT_WHY_F_EXIT:
		snprintf(b, sz, "%s exited with status %d", who,
			 (p->exit_code >> 8) & 0xff);
		len = strlen(b);
		if (p->execd)
			snprintf(b + len, sz - len, " after its exec of %s", p->exe);
		len = strlen(b);
		snprintf(b + len, sz - len, "%s", x->first_proc ?
			 ": the first failure" :
			 "; no child it reaped failed, no signal killed it");
		break;
	default:
		snprintf(b, sz, "%s was killed by %s", who,
			 kt_signal_name(p->exit_code & 0x7f) ?: "a signal");
		len = strlen(b);
		if (x->first_sig < 0)
			snprintf(b + len, sz - len, "; its sender is not in the capture");
		else
			snprintf(b + len, sz - len, " from %s",
				 sender(s, sizeof(s), x, &x->sigs[x->first_sig]));
		len = strlen(b);
		if (x->first_sig >= 0 && x->sigs[x->first_sig].by_kernel && p->oom)
			snprintf(b + len, sz - len, " in memory cgroup %s at rss %llu kB",
				 p->memcg[0] ? p->memcg : "(unknown)",
				 (unsigned long long)(p->oom_anon_kb +
						      p->oom_file_kb +
						      p->oom_shmem_kb));
	}
}

static const struct kt_why_reap *reap_of(const struct kt_why_exit *x,
					 __u32 parent, __u32 child)
{
	for (size_t i = 0; i < x->nreaps; i++)
		if (x->reaps[i].parent == parent && x->reaps[i].child == child)
			return &x->reaps[i];
	return NULL;
}

static void print_root_details(struct kt_out *o, const struct kt_why_exit *x)
{
	const struct kt_why_proc *p = &x->procs[x->first_proc];
	const struct kt_why_fail *f;
	char a[32], t[KT_TLF_MAX];

	for (size_t i = 1; i < x->nchain; i++) {
		const struct kt_why_proc *k = &x->procs[x->chain[i]];
		const struct kt_why_reap *r = reap_of(x, k->ppid, k->pid);

		if (r && !r->nr)
			kt_out_printf(o, "  (no wait4/waitid record returned %u: it ended before %u, which is taken to have reaped it)\n",
				k->pid, k->ppid);
	}

	if (x->first_kind == KT_WHY_F_SIGNAL && p->oom)
		kt_out_printf(o, "  the OOM killer chose it at %s (in %s): rss anon %llu kB, file %llu kB, shmem %llu kB; total_vm %llu kB; oom_score_adj %d\n",
			kt_out_tstr(o, a, sizeof(a), p->oom_ts),
			kt_tlf_thread(t, sizeof(t), x->tasks, p->oom_killer_utid,
				      p->oom_killer_tid),
			(unsigned long long)p->oom_anon_kb,
			(unsigned long long)p->oom_file_kb,
			(unsigned long long)p->oom_shmem_kb,
			(unsigned long long)p->oom_vm_kb, p->oom_score_adj);
	if (x->first_kind == KT_WHY_F_SIGNAL && x->first_sig >= 0)
		kt_out_printf(o, "  the signal was generated at %s, the process ended at %s\n",
			kt_out_tstr(o, a, sizeof(a), x->sigs[x->first_sig].ts),
			kt_out_tstr(o, t, sizeof(t), p->end_ts));
	for (size_t i = 0; x->first_kind == KT_WHY_F_NONE && i < x->nreaps; i++) {
		const struct kt_why_reap *r = &x->reaps[i];
		const struct kt_why_proc *c = proc_of(x, r->child);
		char n[KT_TLF_MAX + 32], h[2 * KT_TLF_MAX + 64];

		if (r->parent == x->pid && r->failed && c)
			kt_out_printf(o, "  a child it reaped failed, and it exited 0 all the same: %s: %s\n",
				pname(n, sizeof(n), x, c),
				how_ended(h, sizeof(h), x, c));
	}
	if (x->first_kind != KT_WHY_F_EXIT)
		return;
	if (p->nfails) {
		f = &p->fails[(p->nfails - 1) % KT_WHY_EXIT_FAILS];
		kt_out_printf(o, "  its last failing syscall: %s at %s\n", f->text,
			kt_out_tstr(o, a, sizeof(a), f->ts));
	} else if (x->syscalls) {
		kt_out_printf(o, "  no syscall of it failed in the capture\n");
	}
}

/* the chain from the first failure up to the process asked about */
static void print_chain(struct kt_out *o, const struct kt_why_exit *x)
{
	char a[32], n[KT_TLF_MAX + 32], h[2 * KT_TLF_MAX + 64];

	if (x->nchain < 2)
		return;
	kt_out_printf(o, "\nchain (from the first failure up):\n");
	for (size_t i = x->nchain; i-- > 0;) {
		const struct kt_why_proc *p = &x->procs[x->chain[i]];

		kt_out_printf(o, "  %s  %s ended: %s%s\n",
			kt_out_tstr(o, a, sizeof(a), p->end_ts), pname(n, sizeof(n), x, p),
			how_ended(h, sizeof(h), x, p),
			i == x->nchain - 1 ? "  <- the first failure" : "");
	}
}

static void print_reaped(struct kt_out *o, const struct kt_why_exit *x)
{
	char a[32], n[KT_TLF_MAX + 32], h[2 * KT_TLF_MAX + 64];
	size_t k = 0;

	kt_out_printf(o, "\nreaped (wait4/waitid returns):\n");
	for (size_t i = 0; i < x->nreaps; i++) {
		const struct kt_why_reap *r = &x->reaps[i];
		const struct kt_why_proc *c = proc_of(x, r->child);

		if (r->parent != x->pid)
			continue;
		k++;
		if (r->nr)
			kt_out_printf(o, "  %s  %s = ", kt_out_tstr(o, a, sizeof(a), r->ts),
				kt_syscall_name(r->nr));
		else
			kt_out_printf(o, "  %s  (no record, ended before it) ",
				kt_out_tstr(o, a, sizeof(a), r->ts));
		if (!c || !c->ended)
			kt_out_printf(o, "%u: its end is not in the capture\n",
				r->child);
		else
			kt_out_printf(o, "%s: %s%s\n", pname(n, sizeof(n), x, c),
				how_ended(h, sizeof(h), x, c),
				r->failed ? " (failed)" : "");
	}
	if (!k)
		kt_out_printf(o, "  none\n");
}

static void print_signals(struct kt_out *o, const struct kt_why_exit *x,
			  bool received)
{
	char a[32], s[KT_TLF_MAX + 64], n[KT_TLF_MAX];
	size_t k = 0;

	kt_out_printf(o, "\nsignals %s:\n", received ? "received" : "sent");
	for (size_t i = 0; i < x->nsigs; i++) {
		const struct kt_why_sig *g = &x->sigs[i];
		const char *res = kt_signal_result_name(g->result);

		if (received ? g->target_pid != x->pid :
			       g->by_kernel || g->sender_pid != x->pid)
			continue;
		k++;
		kt_out_printf(o, "  %s  %s ", kt_out_tstr(o, a, sizeof(a), g->ts),
			kt_signal_name(g->signo) ?: "?");
		if (received)
			kt_out_printf(o, "from %s", sender(s, sizeof(s), x, g));
		else
			kt_out_printf(o, "to %s (pid %u)",
				kt_tlf_thread(n, sizeof(n), x->tasks, 0,
					      g->target_tid), g->target_pid);
		kt_out_printf(o, ": %s\n", res ? res : "?");
	}
	if (!k)
		kt_out_printf(o, "  none\n");
}

static void print_fails(struct kt_out *o, const struct kt_why_exit *x)
{
	const struct kt_why_proc *p = &x->procs[0];
	__u32 n = p->nfails < KT_WHY_EXIT_FAILS ? p->nfails : KT_WHY_EXIT_FAILS;
	char a[32], t[KT_TLF_MAX];

	if (!x->syscalls) {
		kt_out_printf(o, "\nfailing syscalls: not recorded (no syscall records in the capture)\n");
		return;
	}
	kt_out_printf(o, "\nlast failing syscalls (%u in all):\n", p->nfails);
	for (__u32 i = p->nfails - n; i < p->nfails; i++) {
		const struct kt_why_fail *f = &p->fails[i % KT_WHY_EXIT_FAILS];

		kt_out_printf(o, "  %s  %-24s %s\n", kt_out_tstr(o, a, sizeof(a), f->ts),
			kt_tlf_thread(t, sizeof(t), x->tasks, f->utid, f->tid),
			f->text);
	}
	if (!n)
		kt_out_printf(o, "  none\n");
}

char *kt_why_exit_root_sentence(const struct kt_why_exit *x)
{
	char line[LINE_MAX_], *s;

	root_sentence(line, sizeof(line), x);
	if (asprintf(&s, "root cause: %s", line) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

int kt_why_exit_print(struct kt_out *o, const struct kt_why_exit *x)
{
	const struct kt_why_proc *p = &x->procs[0];
	char line[LINE_MAX_], a[32], n[KT_TLF_MAX + 32], st[64];

	root_sentence(line, sizeof(line), x);
	kt_out_printf(o, "root cause: %s\n", line);
	print_root_details(o, x);
	kt_fmt_exit(st, sizeof(st), p->exit_code);
	kt_out_printf(o, "\nwhy: the end of process %s: %s at %s\n",
		pname(n, sizeof(n), x, p), st, kt_out_tstr(o, a, sizeof(a), p->end_ts));
	if (p->execd)
		kt_out_printf(o, "  it exec'd %s at %s\n", p->exe,
			kt_out_tstr(o, a, sizeof(a), p->exec_ts));
	print_chain(o, x);
	print_reaped(o, x);
	print_signals(o, x, true);
	print_signals(o, x, false);
	print_fails(o, x);
	return o->err;
}

/* ----------------------------------------------------------------- json */

static json_t *jthr(const struct kt_why_exit *x, __u32 utid, __u32 tid,
		    __u32 pid)
{
	char t[KT_TLF_MAX];

	return json_pack("{s:I, s:I, s:s}", "tid", (json_int_t)tid,
			 "pid", (json_int_t)pid,
			 "name", kt_tlf_thread(t, sizeof(t), x->tasks, utid, tid));
}

static json_t *jend(const struct kt_why_exit *x, const struct kt_why_proc *p)
{
	unsigned sig = p->exit_code & 0x7f;
	char st[64], h[2 * KT_TLF_MAX + 64];
	json_t *o;

	kt_fmt_exit(st, sizeof(st), p->exit_code);
	o = json_pack("{s:I, s:o, s:I, s:s, s:s}", "pid", (json_int_t)p->pid,
		      "process", jthr(x, p->utid, p->pid, p->pid),
		      "ts", (json_int_t)p->end_ts, "status", st,
		      "how", how_ended(h, sizeof(h), x, p));
	if (!o)
		return NULL;
	json_object_set_new(o, "exit_status", sig ? json_null() :
			    json_integer((p->exit_code >> 8) & 0xff));
	json_object_set_new(o, "signal", sig && kt_signal_name(sig) ?
			    json_string(kt_signal_name(sig)) : json_null());
	if (p->execd)
		json_object_set_new(o, "exe", json_string(p->exe));
	return o;
}

static json_t *jsig(const struct kt_why_exit *x, const struct kt_why_sig *g)
{
	char s[KT_TLF_MAX + 64];
	const char *res = kt_signal_result_name(g->result);

	return json_pack("{s:I, s:s?, s:I, s:I, s:b, s:s, s:o, s:o, s:s?}",
			 "ts", (json_int_t)g->ts,
			 "signal", kt_signal_name(g->signo),
			 "signo", (json_int_t)g->signo, "code", (json_int_t)g->code,
			 "by_kernel", g->by_kernel,
			 "from", sender(s, sizeof(s), x, g),
			 "sender", g->by_kernel ? json_null() :
				   jthr(x, g->sender_utid, g->sender_tid,
					g->sender_pid),
			 "target", jthr(x, 0, g->target_tid, g->target_pid),
			 "result", res);
}

static json_t *jfail(const struct kt_why_exit *x, const struct kt_why_fail *f)
{
	return json_pack("{s:I, s:o, s:s?, s:I, s:s?, s:s}",
			 "ts", (json_int_t)f->ts,
			 "thread", jthr(x, f->utid, f->tid, 0),
			 "syscall", kt_syscall_name(f->nr), "ret", (json_int_t)f->ret,
			 "errno", kt_errno_ret_name(f->ret), "text", f->text);
}

static json_t *jroot(const struct kt_why_exit *x)
{
	static const char *const kinds[] = { "none", "exit", "signal" };
	const struct kt_why_proc *p = &x->procs[x->first_proc];
	char line[LINE_MAX_];
	json_t *o;

	root_sentence(line, sizeof(line), x);
	o = json_pack("{s:s, s:s, s:o}", "kind", kinds[x->first_kind],
		      "text", line, "end", jend(x, p));
	if (o && x->first_sig >= 0)
		json_object_set_new(o, "signal", jsig(x, &x->sigs[x->first_sig]));
	if (o && p->oom)
		json_object_set_new(o, "oom", json_pack(
			"{s:I, s:s, s:I, s:I, s:I, s:I, s:i, s:o}",
			"ts", (json_int_t)p->oom_ts, "memcg", p->memcg,
			"anon_rss_kb", (json_int_t)p->oom_anon_kb,
			"file_rss_kb", (json_int_t)p->oom_file_kb,
			"shmem_rss_kb", (json_int_t)p->oom_shmem_kb,
			"total_vm_kb", (json_int_t)p->oom_vm_kb,
			"oom_score_adj", p->oom_score_adj,
			"killer", jthr(x, p->oom_killer_utid, p->oom_killer_tid, 0)));
	if (o && x->first_kind == KT_WHY_F_EXIT && p->nfails)
		json_object_set_new(o, "last_failed_syscall",
			jfail(x, &p->fails[(p->nfails - 1) % KT_WHY_EXIT_FAILS]));
	return o;
}

static json_t *jreaped(const struct kt_why_exit *x)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < x->nreaps; i++) {
		const struct kt_why_reap *r = &x->reaps[i];
		const struct kt_why_proc *c = proc_of(x, r->child);

		if (r->parent != x->pid)
			continue;
		json_array_append_new(a, json_pack("{s:I, s:s?, s:I, s:o, s:b}",
			"ts", (json_int_t)r->ts,
			"syscall", r->nr ? kt_syscall_name(r->nr) : NULL,
			"pid", (json_int_t)r->child,
			"end", c && c->ended ? jend(x, c) : json_null(),
			"failed", r->failed));
	}
	return a;
}

static json_t *jsigs(const struct kt_why_exit *x, bool received)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < x->nsigs; i++) {
		const struct kt_why_sig *g = &x->sigs[i];

		if (received ? g->target_pid != x->pid :
			       g->by_kernel || g->sender_pid != x->pid)
			continue;
		json_array_append_new(a, jsig(x, g));
	}
	return a;
}

int kt_why_exit_print_json(struct kt_out *o, const struct kt_why_exit *x)
{
	const struct kt_why_proc *p = &x->procs[0];
	__u32 n = p->nfails < KT_WHY_EXIT_FAILS ? p->nfails : KT_WHY_EXIT_FAILS;
	json_t *root, *chain = json_array(), *fails = json_array();

	for (size_t i = 0; chain && i < x->nchain; i++)
		json_array_append_new(chain, json_integer(x->procs[x->chain[i]].pid));
	for (__u32 i = p->nfails - n; fails && i < p->nfails; i++)
		json_array_append_new(fails, jfail(x, &p->fails[i % KT_WHY_EXIT_FAILS]));
	root = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:b}",
			 "end", jend(x, p), "root", jroot(x), "chain", chain,
			 "reaped", jreaped(x), "signals_received", jsigs(x, true),
			 "signals_sent", jsigs(x, false), "failed_syscalls", fails,
			 "failed_syscalls_total", (json_int_t)p->nfails,
			 "syscalls_recorded", x->syscalls);
	if (!root)
		return -ENOMEM;
	kt_out_jansson(o, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	kt_out_ch(o, '\n');
	json_decref(root);
	return o->err;
}
