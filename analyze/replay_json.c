// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_json.c - one NDJSON object per event.  The members come from the
 * kind's schema (kt_kind_info), so a field added to the format shows up
 * without a change here; string handles are resolved (binary ones, packet
 * bytes and raw sockaddrs, as hex); then decoded names follow under their
 * own keys (docs/replay.md lists them):
 *
 *	{"ts":12000341578,"end_ts":12000345678,"kind":"syscall",
 *	 "family":"syscall","cpu":1,"tid":1234,"pid":1234,"utid":7,
 *	 "comm":"cat","nr":257,"dur":4100,
 *	 "ret":3,"arg0":-100,"arg1":524288,"arg2":0,
 *	 "str":"/etc/passwd","flags":0,"syscall":"openat",
 *	 "open_flags":"O_RDONLY|O_CLOEXEC","dirfd":"AT_FDCWD"}
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include "analyze/fds.h"
#include "analyze/names.h"
#include "analyze/replay_int.h"

/* String fields that hold bytes rather than text. */
static bool binary_str(const struct kt_event *ev)
{
	enum kt_sysargs a;

	if (ev->kind == KT_NET_PACKET)
		return true;
	if (ev->kind != KT_SYSCALL)
		return false;
	a = kt_syscall_args(ev->sys.nr);
	return a == KT_SYSARGS_SOCKADDR || a == KT_SYSARGS_ACCEPT;
}

/* String fields that hold NUL-terminated lists (argv, rename's
 * "old\0new"): a JSON array of strings. */
static bool list_str(const struct kt_event *ev, const struct kt_field *f)
{
	if (ev->kind == KT_PROC_EXEC)
		return f->off == offsetof(struct kt_event, exec.argv_str);
	return ev->kind == KT_SYSCALL &&
	       kt_syscall_args(ev->sys.nr) == KT_SYSARGS_RENAME;
}

static void json_list(struct kt_out *o, const char *s, size_t n)
{
	size_t i, l;

	kt_out_jopen(o, '[');
	for (i = 0; i < n; i += l + 1) {
		l = strnlen(s + i, n - i);
		kt_out_jsep(o);
		kt_out_json(o, s + i, l);
	}
	kt_out_jclose(o, ']');
}

/* The key of a schema field: its schema name, unless that is one of the
 * members every object starts with (an object must not repeat a key):
 * proc_comm's and proc_exec's comm (the new name) is new_comm, the
 * address family of the tcp kinds is addr_family, lost's family is
 * lost_family. */
const char *kt_replay_field_key(unsigned kind, const struct kt_field *f)
{
	switch (kind) {        /* the kinds that have such a field */
	case KT_PROC_COMM:
	case KT_PROC_EXEC:
		return strcmp(f->name, "comm") ? f->name : "new_comm";
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		return strcmp(f->name, "family") ? f->name : "addr_family";
	case KT_LOST:
		return strcmp(f->name, "family") ? f->name : "lost_family";
	}
	return f->name;
}

/* Rename's "old\0new" in columns mode: the old path under the field's
 * key (the new one follows as newpath, rename_newpath) */
static bool rename_str(const struct kt_event *ev, bool columns)
{
	return columns && ev->kind == KT_SYSCALL &&
	       kt_syscall_args(ev->sys.nr) == KT_SYSARGS_RENAME;
}

static void rename_newpath(struct kt_out *o, const struct kt_event *ev)
{
	size_t n, l;
	const char *s = kt_event_str(ev, ev->sys.str, &n);

	l = strnlen(s, n);
	if (l < n)
		kt_out_jkv_str(o, "newpath", s + l + 1, strnlen(s + l + 1,
							     n - l - 1));
}

static void schema_fields(struct kt_out *o, const struct kt_event *ev,
			  const struct kt_kind_info *ki, bool columns)
{
	struct kt_value v;
	const char *s;
	size_t n;

	for (__u32 i = 0; i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];

		v = kt_field_get(ev, f);
		kt_out_jkey(o, kt_replay_field_key(ev->kind, f));
		if (f->type != KT_F_STR) {
			/* a u64 above INT64_MAX prints as its two's complement
			 * (-100 for AT_FDCWD in arg0), so that int64 parsers
			 * read every number; columns print it exact */
			(kt_ftype_signed(v.type) || (v.s < 0 && !columns)) ?
				kt_out_s64(o, v.s) : kt_out_u64(o, v.u);
			continue;
		}
		s = kt_event_str(ev, (__u32)v.u, &n);
		if (rename_str(ev, columns)) {
			kt_out_json(o, s, strnlen(s, n));
		} else if (list_str(ev, f)) {
			json_list(o, s, n);
		} else if (binary_str(ev)) {
			kt_out_ch(o, '"');
			kt_out_hexbytes(o, s, n);
			kt_out_ch(o, '"');
		} else {
			kt_out_json(o, s, strnlen(s, n));
		}
	}
}

static void jname(struct kt_out *o, const char *k, const char *v)
{
	if (v)
		kt_out_jkv_cstr(o, k, v);
}

static void jbuf(struct kt_out *o, const char *k, const char *buf, size_t n)
{
	kt_out_jkv_str(o, k, buf, n);
}

static void jcomm(struct kt_out *o, const char *k,
		  const struct kt_tasks *tasks, __u32 tid)
{
	jname(o, k, kt_replay_task_comm(tasks, tid, 0));
}

/* the fds of a syscall: its argument's object, the fd it made, a pair */
static void syscall_fds(struct kt_out *o, const struct kt_event *ev,
			const struct kt_replay_names *nm)
{
	struct kt_replay_fds f;

	kt_replay_sys_fds(ev, nm, &f);
	if (f.arg[0])
		jname(o, "file", f.arg);
	if (f.ret[0])
		jname(o, "ret_file", f.ret);
	if (f.pair[0] < 0)
		return;
	kt_out_jkey(o, "fds");
	kt_out_ch(o, '[');
	kt_out_s64(o, f.pair[0]);
	kt_out_ch(o, ',');
	kt_out_s64(o, f.pair[1]);
	kt_out_ch(o, ']');
	kt_out_jkey(o, "files");
	kt_out_ch(o, '[');
	kt_out_json(o, f.pair_name[0], strlen(f.pair_name[0]));
	kt_out_ch(o, ',');
	kt_out_json(o, f.pair_name[1], strlen(f.pair_name[1]));
	kt_out_ch(o, ']');
}

static void syscall_names(struct kt_out *o, const struct kt_event *ev,
			  bool columns, const struct kt_replay_names *nm)
{
	const struct kt_syscall *s = &ev->sys;
	bool v = nm && kt_fdnames_fd_args(nm->fds);
	char buf[KT_SOCKADDR_MAX];
	const char *p;
	size_t n;

	jname(o, "syscall", kt_syscall_name(s->nr));
	if (kt_replay_failed(s->ret) && !(s->flags & KT_SYSCALL_UNFINISHED))
		jname(o, "errno", kt_errno_ret_name(s->ret));
	syscall_fds(o, ev, nm);
	switch (kt_syscall_args_v(s->nr, v)) {
	case KT_SYSARGS_OPENAT:
		jbuf(o, "dirfd", buf, kt_fmt_dirfd(buf, sizeof(buf),
						   (__s32)s->arg[0]));
		/* fall through */
	case KT_SYSARGS_OPEN:
		jbuf(o, "open_flags", buf,
		     kt_fmt_open_flags(buf, sizeof(buf), s->arg[1]));
		break;
	case KT_SYSARGS_FCNTL:
		jname(o, "fcntl_cmd", kt_fcntl_cmd_name(s->arg[1], NULL));
		break;
	case KT_SYSARGS_SOCKET:
		jname(o, "domain", kt_af_name((unsigned)s->arg[0]));
		jbuf(o, "socket_type", buf,
		     kt_fmt_socktype(buf, sizeof(buf), s->arg[1]));
		break;
	case KT_SYSARGS_FDPAIR:
		if (s->nr != SYS_socketpair)
			break;
		jname(o, "domain", kt_af_name((unsigned)(s->arg[1] >> 32)));
		jbuf(o, "socket_type", buf,
		     kt_fmt_socktype(buf, sizeof(buf), (__u32)s->arg[1]));
		break;
	case KT_SYSARGS_SOCKADDR:
	case KT_SYSARGS_ACCEPT:
		p = kt_event_str(ev, s->str, &n);
		if (n)
			jbuf(o, columns ? "sockaddr" : "addr", buf,
			     kt_fmt_sockaddr(buf, sizeof(buf), p, n));
		break;
	case KT_SYSARGS_RENAME:
		if (columns)
			rename_newpath(o, ev);
		break;
	case KT_SYSARGS_FUTEX:
		jbuf(o, "futex_op", buf,
		     kt_fmt_futex_op(buf, sizeof(buf), s->arg[1]));
		break;
	case KT_SYSARGS_KILL:
		jname(o, "signal", kt_signal_name((unsigned)s->arg[1]));
		break;
	default:
		break;
	}
}

static void tcp_names(struct kt_out *o, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	char buf[64];

	jbuf(o, "saddr", buf, kt_fmt_ip(buf, sizeof(buf), t->family, t->saddr));
	jbuf(o, "daddr", buf, kt_fmt_ip(buf, sizeof(buf), t->family, t->daddr));
	if (ev->kind == KT_TCP_STATE)
		jname(o, "oldstate_name", kt_tcp_state_name(t->oldstate));
	jname(o, "newstate_name", ev->kind == KT_TCP_STATE ?
	      kt_tcp_state_name(t->newstate) : kt_tcp_sock_state_name(t));
	jname(o, "context_name", kt_context_name(t->context));
}

static void decoded(struct kt_out *o, const struct kt_event *ev,
		    const struct kt_tasks *tasks, bool columns,
		    const struct kt_replay_names *nm)
{
	char buf[KT_SOCKADDR_MAX];
	const char *s;
	size_t n;

	switch (ev->kind) {
	case KT_SCHED_SWITCH:
		buf[0] = kt_task_state_letter(ev->sw.prev_state);
		jbuf(o, "prev_state_name", buf, 1);
		jcomm(o, "next_comm", tasks, ev->sw.next_tid);
		break;
	case KT_SCHED_WAKING:
	case KT_SCHED_WAKEUP_NEW:
		jcomm(o, "target_comm", tasks, ev->wake.target_tid);
		jname(o, "context_name", kt_context_name(ev->wake.context));
		break;
	case KT_SCHED_MIGRATE:
		jcomm(o, "target_comm", tasks, ev->mig.target_tid);
		break;
	case KT_PROC_EXIT:
		jbuf(o, "status", buf,
		     kt_fmt_exit(buf, sizeof(buf), ev->exit.exit_code));
		break;
	case KT_SYSCALL:
		syscall_names(o, ev, columns, nm);
		break;
	case KT_TCP_STATE:
	case KT_TCP_RETRANS:
	case KT_TCP_RESET:
		tcp_names(o, ev);
		if (ev->tcp.owner_tid)
			jcomm(o, "owner_comm", tasks, ev->tcp.owner_tid);
		break;
	case KT_BLOCK_RQ:
		jbuf(o, "disk", buf, kt_fmt_dev(buf, sizeof(buf), ev->blk.dev));
		if (nm)
			jname(o, "disk_name", kt_disks_name(nm->disks,
							    ev->blk.dev));
		jbuf(o, "rwbs", buf, kt_fmt_rwbs(buf, sizeof(buf), ev->blk.op));
		jname(o, "op_name", kt_block_op_name(ev->blk.op));
		if (ev->blk.error)
			jname(o, "error_name", kt_errno_ret_name(ev->blk.error));
		break;
	case KT_SIGNAL_GEN:
	case KT_SIGNAL_DELIVER:
		jname(o, "signal", kt_signal_name(ev->sig.signo));
		jname(o, "code_name", kt_si_code_name(ev->sig.code));
		if (ev->kind == KT_SIGNAL_GEN) {
			jname(o, "result_name",
			      kt_signal_result_name(ev->sig.result));
			jcomm(o, "target_comm", tasks, ev->sig.target_tid);
			if (kt_signal_by_kernel(ev->sig.code)) {
				jname(o, "sender", "kernel");
				jname(o, columns ? "kernel_cause" : "cause",
				      kt_signal_kernel_cause(
					ev->sig.signo, ev->sig.code));
			}
		}
		break;
	case KT_RSS:
		jname(o, "member_name", kt_rss_member_name(ev->rss.member));
		break;
	case KT_NET_PACKET:
		s = kt_event_str(ev, ev->pkt.data_str, &n);
		jbuf(o, "summary", buf, kt_fmt_packet(buf, sizeof(buf),
						      ev->pkt.linktype, s, n));
		break;
	case KT_LOST:
		jname(o, "family_name", kt_family_name(ev->lost.family));
		jname(o, "cause_name", kt_lost_cause_name(ev->lost.cause));
		break;
	}
}

static void json_event(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_tasks *tasks, bool columns,
		       const struct kt_replay_names *nm)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	const char *comm = kt_replay_task_comm(tasks, ev->tid, ev->utid);
	char kbuf[24];

	kt_out_jopen(o, '{');
	kt_out_jkv_u64(o, "ts", kt_event_start(ev));
	if (kt_event_is_span(ev))
		kt_out_jkv_u64(o, "end_ts", ev->ts);
	if (ki) {
		kt_out_jkv_cstr(o, "kind", ki->name);
		jname(o, "family", kt_family_name(ki->family));
	} else if (columns) {
		snprintf(kbuf, sizeof(kbuf), "kind_%u", ev->kind);
		kt_out_jkv_cstr(o, "kind", kbuf);
	} else {
		kt_out_jkv_u64(o, "kind", ev->kind);
	}
	kt_out_jkv_u64(o, "cpu", ev->cpu);
	kt_out_jkv_u64(o, "tid", ev->tid);
	kt_out_jkv_u64(o, "pid", ev->pid);
	if (ev->utid)
		kt_out_jkv_u64(o, "utid", ev->utid);
	if (comm && ev->kind != KT_NET_PACKET)
		kt_out_jkv_cstr(o, "comm", comm);
	if (ki) {
		schema_fields(o, ev, ki, columns);
		decoded(o, ev, tasks, columns, nm);
	}
	kt_out_jclose(o, '}');
	kt_out_ch(o, '\n');
}

void kt_replay_json(struct kt_out *o, const struct kt_event *ev,
		    const struct kt_tasks *tasks,
		    const struct kt_replay_names *nm)
{
	json_event(o, ev, tasks, false, nm);
}

void kt_replay_json_columns(struct kt_out *o, const struct kt_event *ev,
			    const struct kt_tasks *tasks)
{
	json_event(o, ev, tasks, true, NULL);
}
