// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_snoop.c - the tools that print one row per event: execsnoop,
 * opensnoop, exitsnoop, killsnoop, oomkill, biosnoop.  They keep no state
 * (killsnoop a few rows for 10 ms), so they run in constant memory over
 * any capture.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "analyze/names.h"
#include "analyze/replay.h"
#include "analyze/stats_int.h"

static void row_end(struct kt_st *st)
{
	if (st->opts->json)
		kt_out_jclose(st->o, '}');
	kt_out_ch(st->o, '\n');
}

/* Start a JSON row with the fields every row has. */
static void jrow(struct kt_st *st, const struct kt_event *ev)
{
	struct kt_out *o = st->o;

	kt_out_jopen(o, '{');
	kt_out_jkv_u64(o, "ts", ev->ts);
	kt_out_jkv_cstr(o, "comm", kt_st_comm(st, ev->tid));
	kt_out_jkv_u64(o, "pid", ev->pid);
	kt_out_jkv_u64(o, "tid", ev->tid);
}

static void text_prefix(struct kt_st *st, const struct kt_event *ev,
			bool comm_first)
{
	struct kt_out *o = st->o;

	kt_st_time(st, ev->ts);
	if (comm_first) {
		kt_out_escw(o, kt_st_comm(st, ev->tid), -16);
		kt_out_ch(o, ' ');
		kt_out_u64w(o, ev->pid, -7);
	} else {
		kt_out_u64w(o, ev->pid, -7);
		kt_out_ch(o, ' ');
		kt_out_escw(o, kt_st_comm(st, ev->tid), -16);
	}
	kt_out_ch(o, ' ');
}

static void errname(struct kt_out *o, __s64 ret, int width)
{
	const char *n = kt_errno_ret_name(ret);

	if (ret >= 0)
		kt_out_strw(o, "0", width);
	else if (n)
		kt_out_strw(o, n, width);
	else
		kt_out_s64w(o, ret, width);
}

/* ------------------------------------------------------------ execsnoop */

static int exec_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PCOMM            PID     "
			   "PPID    RET ARGS\n");
	}
	return 0;
}

/* argv bytes are NUL-terminated arguments */
static void exec_args(struct kt_st *st, const char *a, size_t n)
{
	struct kt_out *o = st->o;
	size_t i = 0, l;

	if (st->opts->json) {
		kt_out_jkey(o, "argv");
		kt_out_jopen(o, '[');
	}
	while (i < n) {
		l = strnlen(a + i, n - i);
		if (st->opts->json) {
			kt_out_jsep(o);
			kt_out_json(o, a + i, l);
		} else {
			if (i)
				kt_out_ch(o, ' ');
			kt_out_esc(o, a + i, l);
		}
		i += l + 1;
	}
	if (st->opts->json)
		kt_out_jclose(o, ']');
}

static int exec_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_task *t;
	const char *path, *argv;
	size_t plen, alen = 0;
	__s64 ret = 0;

	if (ev->kind == KT_SYSCALL) {
		if ((ev->sys.nr != SYS_execve && ev->sys.nr != SYS_execveat) ||
		    ev->sys.ret >= 0)
			return 0;
		ret = ev->sys.ret;
		path = kt_replay_cstr(ev, ev->sys.str, &plen);
		argv = "";
	} else {
		path = kt_replay_cstr(ev, ev->exec.filename_str, &plen);
		argv = kt_event_str(ev, ev->exec.argv_str, &alen);
	}
	if (!kt_st_match(st, ev->tid, ev->pid))
		return 0;
	t = kt_st_task(st, ev->tid);
	if (st->opts->json) {
		jrow(st, ev);
		kt_out_jkv_u64(st->o, "ppid", t ? t->ppid : 0);
		kt_out_jkv_s64(st->o, "ret", ret);
		if (ret < 0)
			kt_out_jkv_cstr(st->o, "errno",
					kt_errno_ret_name(ret) ?: "?");
		kt_out_jkv_str(st->o, "filename", path, plen);
		exec_args(st, argv, alen);
		if (ev->kind == KT_PROC_EXEC &&
		    (ev->exec.flags & KT_EXEC_ARGV_TRUNCATED)) {
			kt_out_jkey(st->o, "truncated");
			kt_out_str(st->o, "true");
		}
	} else {
		text_prefix(st, ev, true);
		kt_out_u64w(st->o, t ? t->ppid : 0, -7);
		kt_out_ch(st->o, ' ');
		kt_out_s64w(st->o, ret, 3);
		kt_out_ch(st->o, ' ');
		if (alen)
			exec_args(st, argv, alen);
		else
			kt_out_esc(st->o, path, plen);
		if (ev->kind == KT_PROC_EXEC &&
		    (ev->exec.flags & KT_EXEC_ARGV_TRUNCATED))
			kt_out_str(st->o, " ...");
	}
	row_end(st);
	return 0;
}

const struct kt_stats_tool kt_st_execsnoop = {
	.name = "execsnoop",
	.options = "",
	.summary = "new processes (exec), failed execs included",
	.kinds = KT_KIND_BIT(KT_PROC_EXEC) | KT_KIND_BIT(KT_SYSCALL),
	.subject = true,
	.init = exec_init,
	.event = exec_event,
};

/* ------------------------------------------------------------ opensnoop */

static int open_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PID     COMM             "
			   "  FD ERR     FLAGS                    PATH\n");
	}
	return 0;
}

static int open_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_syscall *s = &ev->sys;
	struct kt_out *o = st->o;
	char flags[KT_NAME_MAX];
	const char *path;
	size_t plen;

	if (s->nr != SYS_open && s->nr != SYS_openat && s->nr != SYS_openat2)
		return 0;
	if ((st->opts->syscall >= 0 && s->nr != (unsigned)st->opts->syscall) ||
	    (st->opts->failed && s->ret >= 0) ||
	    !kt_st_match(st, ev->tid, ev->pid))
		return 0;
	path = kt_replay_cstr(ev, s->str, &plen);
	kt_fmt_open_flags(flags, sizeof(flags), s->arg[1]);
	if (st->opts->json) {
		jrow(st, ev);
		kt_out_jkv_cstr(o, "syscall", kt_syscall_name(s->nr) ?: "?");
		kt_out_jkv_s64(o, "fd", s->ret < 0 ? -1 : s->ret);
		kt_out_jkv_s64(o, "ret", s->ret);
		if (s->ret < 0)
			kt_out_jkv_cstr(o, "errno",
					kt_errno_ret_name(s->ret) ?: "?");
		kt_out_jkv_u64(o, "flags", s->arg[1]);
		kt_out_jkv_cstr(o, "flags_str", flags);
		kt_out_jkv_u64(o, "dur_ns", s->dur);
		kt_out_jkv_str(o, "path", path, plen);
	} else {
		text_prefix(st, ev, false);
		kt_out_s64w(o, s->ret < 0 ? -1 : s->ret, 4);
		kt_out_ch(o, ' ');
		errname(o, s->ret, -7);
		kt_out_ch(o, ' ');
		kt_out_strw(o, flags, -24);
		kt_out_ch(o, ' ');
		kt_out_esc(o, path, plen);
	}
	row_end(st);
	return 0;
}

const struct kt_stats_tool kt_st_opensnoop = {
	.name = "opensnoop",
	.options = "failed,syscall",
	.summary = "file opens with flags, fd or error",
	.kinds = KT_KIND_BIT(KT_SYSCALL),
	.subject = true,
	.init = open_init,
	.event = open_event,
};

/* ------------------------------------------------------------ exitsnoop */

static int exit_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PCOMM            PID     "
			   "PPID    TID     AGE(s)      EXIT_CODE\n");
	}
	return 0;
}

/* EXIT_CODE as bcc's exitsnoop prints it: "0", "code 3", "signal 9
 * (KILL)", "signal 11 (SEGV), core dumped" (its names drop "SIG") */
static void bcc_exit(char *b, size_t sz, __s32 exit_code)
{
	unsigned sig = exit_code & 0x7f;
	const char *name = kt_signal_name(sig);

	if (!exit_code)
		snprintf(b, sz, "0");
	else if (!sig)
		snprintf(b, sz, "code %d", (exit_code >> 8) & 0xff);
	else if (name)
		snprintf(b, sz, "signal %u (%s)%s", sig,
			 strncmp(name, "SIG", 3) ? name : name + 3,
			 exit_code & 0x80 ? ", core dumped" : "");
	else
		snprintf(b, sz, "signal %u%s", sig,
			 exit_code & 0x80 ? ", core dumped" : "");
}

static int exit_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_task *t = kt_st_task(st, ev->tid);
	struct kt_out *o = st->o;
	char status[KT_NAME_MAX];
	bool age = t && t->start_ns && t->start_ns <= ev->ts;

	if ((!(ev->exit.flags & KT_EXIT_GROUP) && !st->opts->all) ||
	    !kt_st_match(st, ev->tid, ev->pid))
		return 0;
	if (st->opts->json) {
		/* JSON keeps ktrail's words ("exit 3", as replay and why
		 * say them; analyze/diff.c reads them), beside code/signal */
		if (ev->exit.exit_code)
			kt_fmt_exit(status, sizeof(status), ev->exit.exit_code);
		else
			memcpy(status, "0", 2);
		jrow(st, ev);
		kt_out_jkv_u64(o, "ppid", t ? t->ppid : 0);
		if (age)
			kt_out_jkv_u64(o, "age_ns", ev->ts - t->start_ns);
		kt_out_jkv_s64(o, "exit_code", ev->exit.exit_code);
		kt_out_jkv_u64(o, "code", (ev->exit.exit_code >> 8) & 0xff);
		kt_out_jkv_u64(o, "signal", ev->exit.exit_code & 0x7f);
		kt_out_jkv_cstr(o, "status", status);
		kt_out_jkey(o, "process");
		kt_out_str(o, ev->exit.flags & KT_EXIT_GROUP ? "true" : "false");
	} else {
		bcc_exit(status, sizeof(status), ev->exit.exit_code);
		text_prefix(st, ev, true);
		kt_out_u64w(o, t ? t->ppid : 0, -7);
		kt_out_ch(o, ' ');
		kt_out_u64w(o, ev->tid, -7);
		kt_out_ch(o, ' ');
		if (age)
			kt_out_decw(o, ev->ts - t->start_ns, 9, 6, -11);
		else
			kt_out_strw(o, "-", -11);
		kt_out_ch(o, ' ');
		kt_out_str(o, status);
	}
	row_end(st);
	return 0;
}

const struct kt_stats_tool kt_st_exitsnoop = {
	.name = "exitsnoop",
	.options = "all",
	.summary = "process exits with age and exit code or signal",
	.kinds = KT_KIND_BIT(KT_PROC_EXIT),
	.subject = true,
	.init = exit_init,
	.event = exit_event,
};

/* ------------------------------------------------------------ killsnoop */

/*
 * A signal the kernel sent (si_code > 0, kt_signal_by_kernel) has no
 * sender task: its row says "kernel", why when known, and the task in
 * whose context it was sent.  The OOM killer sends SIGKILL (SI_KERNEL)
 * and then marks its victim (oom_victim) in the same call, so such a row
 * is held until that event or KILL_OOM_NS have passed.  Rows stay in
 * time order: a row to print first prints what is held.
 */
#define KILL_HELD 16
#define KILL_OOMS 8
#define KILL_OOM_NS 10000000ULL
#define SI_KERNEL_CODE 0x80

struct kill_held {
	struct kt_event ev;     /* a signal_generate (no strings) */
	const char *cause;      /* static; NULL unknown */
};

struct kill_st {
	struct kill_held held[KILL_HELD];
	size_t nheld;
	struct {
		__u32 pid;
		__u64 ts;
	} oom[KILL_OOMS];       /* the latest oom_victim events, a ring */
	size_t noom;
};

static int kill_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PID     COMM             "
			   "SIG         TPID    TCOMM            RESULT\n");
	}
	return 0;
}

/* The sender's columns: the task, or the kernel in a task's context. */
static void kill_sender(struct kt_st *st, const struct kt_event *ev,
			const char *cause)
{
	struct kt_out *o = st->o;

	if (!cause) {
		if (st->opts->json) {
			jrow(st, ev);
			kt_out_jkv_cstr(o, "sender", "task");
		} else {
			text_prefix(st, ev, false);
		}
		return;
	}
	if (st->opts->json) {
		kt_out_jopen(o, '{');
		kt_out_jkv_u64(o, "ts", ev->ts);
		kt_out_jkv_cstr(o, "comm", "kernel");
		kt_out_jkv_u64(o, "pid", 0);
		kt_out_jkv_u64(o, "tid", 0);
		kt_out_jkv_cstr(o, "sender", "kernel");
		if (*cause)
			kt_out_jkv_cstr(o, "cause", cause);
		if (ev->sig.context == KT_CTX_TASK) {
			kt_out_jkv_cstr(o, "context_comm",
					kt_st_comm(st, ev->tid));
			kt_out_jkv_u64(o, "context_pid", ev->pid);
			kt_out_jkv_u64(o, "context_tid", ev->tid);
		} else {
			kt_out_jkv_cstr(o, "context",
					kt_context_name(ev->sig.context) ?: "?");
		}
	} else {
		kt_st_time(st, ev->ts);
		kt_out_strw(o, "-", -7);
		kt_out_ch(o, ' ');
		kt_out_strw(o, "kernel", -16);
		kt_out_ch(o, ' ');
	}
}

/* @cause: NULL for a task's signal, "" or why for the kernel's */
static void kill_row(struct kt_st *st, const struct kt_event *ev,
		     unsigned sig, __s64 tpid, const char *result,
		     const char *cause)
{
	struct kt_out *o = st->o;
	const char *sname = kt_signal_name(sig);
	const char *tcomm = tpid > 0 ? kt_st_comm(st, (__u32)tpid) : "-";

	kill_sender(st, ev, cause);
	if (st->opts->json) {
		kt_out_jkv_u64(o, "signo", sig);
		kt_out_jkv_cstr(o, "signal", sname ?: "?");
		kt_out_jkv_s64(o, "target_pid", tpid);
		kt_out_jkv_cstr(o, "target_comm", tcomm);
		kt_out_jkv_cstr(o, "result", result);
	} else {
		if (sname)
			kt_out_strw(o, sname, -11);
		else
			kt_out_u64w(o, sig, -11);
		kt_out_ch(o, ' ');
		kt_out_s64w(o, tpid, -7);
		kt_out_ch(o, ' ');
		kt_out_escw(o, tcomm, -16);
		kt_out_ch(o, ' ');
		kt_out_str(o, result);
		if (cause) {    /* the kernel's: why, and in whose context */
			kt_out_str(o, " (");
			kt_out_str(o, cause);
			kt_out_str(o, *cause ? ", in " : "in ");
			if (ev->sig.context == KT_CTX_TASK) {
				kt_out_str(o, "pid ");
				kt_out_u64(o, ev->pid);
			} else {
				kt_out_str(o, kt_context_name(ev->sig.context) ?: "?");
			}
			kt_out_ch(o, ')');
		}
	}
	row_end(st);
}

static void kill_gen_row(struct kt_st *st, const struct kt_event *ev,
			 const char *cause)
{
	kill_row(st, ev, ev->sig.signo, ev->sig.target_pid,
		 kt_signal_result_name(ev->sig.result) ?: "?", cause);
}

/* print held rows: all, or those older than @before */
static void kill_flush(struct kt_st *st, __u64 before)
{
	struct kill_st *k = st->priv;
	size_t i = 0;

	while (i < k->nheld && (!before ||
				k->held[i].ev.ts + KILL_OOM_NS < before))
		i++;
	for (size_t j = 0; j < i; j++)
		kill_gen_row(st, &k->held[j].ev, k->held[j].cause ?: "");
	memmove(k->held, k->held + i, (k->nheld - i) * sizeof(k->held[0]));
	k->nheld -= i;
}

static bool oom_near(__u64 a, __u64 b)
{
	return (a > b ? a - b : b - a) <= KILL_OOM_NS;
}

static bool is_oom_kill(const struct kt_event *ev)
{
	return ev->sig.signo == SIGKILL && ev->sig.code == SI_KERNEL_CODE;
}

static void kill_oom(struct kt_st *st, const struct kt_event *ev)
{
	struct kill_st *k = st->priv;

	for (size_t i = 0; i < k->nheld; i++)
		if (k->held[i].ev.sig.target_pid == ev->oom.victim_pid &&
		    oom_near(k->held[i].ev.ts, ev->ts))
			k->held[i].cause = "OOM killer";
	k->oom[k->noom % KILL_OOMS].pid = ev->oom.victim_pid;
	k->oom[k->noom % KILL_OOMS].ts = ev->ts;
	k->noom++;
}

/* A kernel SIGKILL: the OOM killer's when its victim was marked already,
 * else held until it is (or is not). */
static void kill_kernel(struct kt_st *st, const struct kt_event *ev)
{
	struct kill_st *k = st->priv;
	size_t n = k->noom < KILL_OOMS ? k->noom : KILL_OOMS;

	for (size_t i = 0; i < n; i++)
		if (k->oom[i].pid == ev->sig.target_pid &&
		    oom_near(k->oom[i].ts, ev->ts)) {
			kill_flush(st, 0);
			kill_gen_row(st, ev, "OOM killer");
			return;
		}
	if (k->nheld == KILL_HELD) {
		kill_gen_row(st, &k->held[0].ev, k->held[0].cause ?: "");
		memmove(k->held, k->held + 1, --k->nheld * sizeof(k->held[0]));
	}
	k->held[k->nheld].ev = *ev;
	k->held[k->nheld].cause = NULL;
	k->nheld++;
}

static int kill_event(struct kt_st *st, const struct kt_event *ev)
{
	__u64 have = st->opts->have_kinds;
	bool gen = !have || (have & KT_KIND_BIT(KT_SIGNAL_GEN));
	const struct kt_syscall *s = &ev->sys;
	const char *res;

	kill_flush(st, ev->ts);
	if (ev->kind == KT_OOM_VICTIM) {
		kill_oom(st, ev);
		return 0;
	}
	if (!kt_st_match(st, ev->tid, ev->pid))
		return 0;
	if (ev->kind == KT_SIGNAL_GEN) {
		/* user-sent signals have si_code <= 0 (SI_USER, SI_TKILL,
		 * SI_QUEUE); the kernel's own (SIGCHLD, faults) are > 0 */
		if (!kt_signal_by_kernel(ev->sig.code)) {
			kill_flush(st, 0);
			kill_gen_row(st, ev, NULL);
		} else if (st->opts->all && is_oom_kill(ev)) {
			kill_kernel(st, ev);
		} else if (st->opts->all) {
			kill_flush(st, 0);
			kill_gen_row(st, ev, kt_signal_kernel_cause(
				ev->sig.signo, ev->sig.code) ?: "");
		}
		return 0;
	}
	if (s->nr != SYS_kill && s->nr != SYS_tkill && s->nr != SYS_tgkill)
		return 0;
	/* A kill that generated a signal is reported by its signal_generate
	 * event; the syscall adds the ones that failed before that. */
	if (gen && s->ret >= 0)
		return 0;
	res = s->ret < 0 ? kt_errno_ret_name(s->ret) ?: "error" : "ok";
	kill_flush(st, 0);
	kill_row(st, ev, (unsigned)s->arg[1], (__s32)s->arg[0], res, NULL);
	return 0;
}

static int kill_finish(struct kt_st *st)
{
	kill_flush(st, 0);
	return 0;
}

/* subject: the sender; not pushed into the reader, which would drop the
 * oom_victim events of other tasks */
const struct kt_stats_tool kt_st_killsnoop = {
	.name = "killsnoop",
	.options = "all",
	.summary = "signals sent by kill/tkill/tgkill (--all: and by the kernel), with result",
	.kinds = KT_KIND_BIT(KT_SIGNAL_GEN) | KT_KIND_BIT(KT_SYSCALL) |
		 KT_KIND_BIT(KT_OOM_VICTIM),
	.subject = false,
	.priv_size = sizeof(struct kill_st),
	.init = kill_init,
	.event = kill_event,
	.finish = kill_finish,
};

/* -------------------------------------------------------------- oomkill */

/* the header, as every snoop prints one: an empty answer is visibly one
 * (bcc's oomkill prints "Tracing OOM kills..." before any) */
static int oom_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "MESSAGE\n");
	}
	return 0;
}

static int oom_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_oom *m = &ev->oom;
	struct kt_out *o = st->o;
	const char *vcomm, *memcg;
	size_t vlen, mlen;

	if (!kt_st_match(st, m->victim_tid, m->victim_pid))
		return 0;
	vcomm = kt_replay_cstr(ev, m->victim_comm_str, &vlen);
	if (!vlen) {
		vcomm = kt_st_comm(st, m->victim_tid);
		vlen = strlen(vcomm);
	}
	memcg = kt_replay_cstr(ev, m->memcg_str, &mlen);
	if (st->opts->json) {
		jrow(st, ev);
		kt_out_jkv_u64(o, "victim_pid", m->victim_pid);
		kt_out_jkv_u64(o, "victim_tid", m->victim_tid);
		kt_out_jkv_str(o, "victim_comm", vcomm, vlen);
		kt_out_jkv_u64(o, "total_vm_kb", m->total_vm_kb);
		kt_out_jkv_u64(o, "anon_rss_kb", m->anon_rss_kb);
		kt_out_jkv_u64(o, "file_rss_kb", m->file_rss_kb);
		kt_out_jkv_u64(o, "shmem_rss_kb", m->shmem_rss_kb);
		kt_out_jkv_s64(o, "oom_score_adj", m->oom_score_adj);
		kt_out_jkv_str(o, "memcg", memcg, mlen);
	} else {
		kt_st_time(st, ev->ts);
		kt_out_str(o, "Triggered by PID ");
		kt_out_u64(o, ev->pid);
		kt_out_str(o, " (\"");
		kt_out_esc(o, kt_st_comm(st, ev->tid),
			   strlen(kt_st_comm(st, ev->tid)));
		kt_out_str(o, "\"), OOM kill of PID ");
		kt_out_u64(o, m->victim_pid);
		kt_out_str(o, " (\"");
		kt_out_esc(o, vcomm, vlen);
		kt_out_str(o, "\"), total-vm ");
		kt_out_u64(o, m->total_vm_kb);
		kt_out_str(o, " kB, anon-rss ");
		kt_out_u64(o, m->anon_rss_kb);
		kt_out_str(o, " kB, file-rss ");
		kt_out_u64(o, m->file_rss_kb);
		kt_out_str(o, " kB, shmem-rss ");
		kt_out_u64(o, m->shmem_rss_kb);
		kt_out_str(o, " kB, oom_score_adj ");
		kt_out_s64(o, m->oom_score_adj);
		kt_out_str(o, ", memcg ");
		if (mlen)
			kt_out_esc(o, memcg, mlen);
		else
			kt_out_ch(o, '-');
	}
	row_end(st);
	return 0;
}

const struct kt_stats_tool kt_st_oomkill = {
	.name = "oomkill",
	.options = "",
	.summary = "OOM kills: trigger, victim, memory, cgroup",
	.kinds = KT_KIND_BIT(KT_OOM_VICTIM),
	.subject = false,        /* --pid selects the victim */
	.init = oom_init,
	.event = oom_event,
};

/* ------------------------------------------------------------- biosnoop */

#define KT_NO_SECTOR ((__u64)-1)        /* a request without one: a flush */

static int bio_init(struct kt_st *st)
{
	if (st->opts->json)
		return 0;
	kt_st_time_head(st);
	kt_out_str(st->o, "COMM             PID     DISK         "
		   "T     SECTOR       BYTES    ");
	if (st->opts->queued)
		kt_out_str(st->o, "  QUE(ms) ");
	kt_out_str(st->o, "  LAT(ms)\n");
	return 0;
}

static int bio_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_block_rq *b = &ev->blk;
	const char *name = kt_disks_name(st->opts->disks, b->dev);
	struct kt_out *o = st->o;
	char dev[64], rwbs[16];

	if (!kt_st_match(st, ev->tid, ev->pid))
		return 0;
	kt_fmt_rwbs(rwbs, sizeof(rwbs), b->op);
	if (st->opts->json) {
		kt_fmt_dev(dev, sizeof(dev), b->dev);
		jrow(st, ev);
		kt_out_jkv_cstr(o, "disk", dev);
		if (name)
			kt_out_jkv_cstr(o, "disk_name", name);
		kt_out_jkv_cstr(o, "rwbs", rwbs);
		kt_out_jkv_cstr(o, "op", kt_block_op_name(b->op) ?: "?");
		if (b->sector == KT_NO_SECTOR) {
			kt_out_jkey(o, "sector");
			kt_out_str(o, "null");
		} else {
			kt_out_jkv_u64(o, "sector", b->sector);
		}
		kt_out_jkv_u64(o, "bytes", b->bytes);
		kt_out_jkv_u64(o, "queue_ns", b->queue_ns);
		kt_out_jkv_u64(o, "service_ns", b->service_ns);
		if (b->error)
			kt_out_jkv_cstr(o, "error",
					kt_errno_ret_name(b->error) ?: "?");
		if (b->flags & KT_BLOCK_INCOMPLETE) {
			kt_out_jkey(o, "incomplete");
			kt_out_str(o, "true");
		}
	} else {
		kt_st_time(st, ev->ts);
		kt_out_escw(o, kt_st_comm(st, ev->tid), -16);
		kt_out_ch(o, ' ');
		kt_out_u64w(o, ev->pid, -7);
		kt_out_ch(o, ' ');
		kt_fmt_disk(dev, sizeof(dev), st->opts->disks, b->dev, true);
		kt_out_strw(o, dev, -12);
		kt_out_ch(o, ' ');
		kt_out_strw(o, rwbs, -5);
		kt_out_ch(o, ' ');
		/* a flush has no sector (the kernel's -1): "-" as bcc */
		if (b->sector == KT_NO_SECTOR)
			kt_out_strw(o, "-", -12);
		else
			kt_out_u64w(o, b->sector, -12);
		kt_out_ch(o, ' ');
		kt_out_u64w(o, b->bytes, -8);
		kt_out_ch(o, ' ');
		if (st->opts->queued) {
			kt_out_decw(o, b->queue_ns, 6, 3, 9);
			kt_out_ch(o, ' ');
		}
		kt_out_decw(o, b->service_ns, 6, 3, 9);
		if (b->error) {
			kt_out_ch(o, ' ');
			kt_out_str(o, kt_errno_ret_name(b->error) ?: "error");
		}
	}
	row_end(st);
	return 0;
}

const struct kt_stats_tool kt_st_biosnoop = {
	.name = "biosnoop",
	.options = "queued",
	.summary = "block I/O requests with issuer, disk, size, latency",
	.kinds = KT_KIND_BIT(KT_BLOCK_RQ),
	.subject = true,
	.init = bio_init,
	.event = bio_event,
};
