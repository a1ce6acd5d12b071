// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_sys.c - a syscall record as strace would print it:
 *	openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 <0.000004100>
 *	read(3<pipe:[4711]>, 4096) = -11 EAGAIN <0.000000800>
 * with the arguments the recorder keeps (event.h's table), an fd's file
 * id in <...> like strace -y, errno names, and the duration.
 */
#include <fcntl.h>
#include "analyze/names.h"
#include "analyze/replay_int.h"

static void sep(struct kt_out *o)
{
	kt_out_mem(o, ", ", 2);
}

static void fd_arg(struct kt_out *o, const struct kt_syscall *s)
{
	kt_out_s64(o, (__s32)s->arg[0]);
	if (s->arg[2]) {        /* as kt_fmt_file_id, without snprintf */
		kt_out_ch(o, '<');
		kt_out_str(o, kt_file_type_name(s->arg[2]));
		kt_out_mem(o, ":[", 2);
		kt_out_u64(o, KT_FILE_ID_INO(s->arg[2]));
		kt_out_mem(o, "]>", 2);
	}
}

static void path_arg(struct kt_out *o, const struct kt_event *ev)
{
	size_t n;
	const char *p = kt_replay_cstr(ev, ev->sys.str, &n);

	kt_replay_quoted(o, p, n);
}

/* mode in octal with a leading 0, as strace prints it */
static void octal(struct kt_out *o, __u64 m)
{
	char oct[24], *e = oct + sizeof(oct);

	while (m) {
		*--e = '0' + (m & 7);
		m >>= 3;
	}
	*--e = '0';
	kt_out_mem(o, e, oct + sizeof(oct) - e);
}

static void flags_mode(struct kt_out *o, const struct kt_syscall *s)
{
	char buf[KT_NAME_MAX];

	kt_out_mem(o, buf, kt_fmt_open_flags(buf, sizeof(buf), s->arg[1]));
	if (s->arg[1] & (O_CREAT | __O_TMPFILE)) {
		sep(o);
		octal(o, s->arg[2]);
	}
}

static void sockaddr_arg(struct kt_out *o, const struct kt_event *ev)
{
	char buf[KT_SOCKADDR_MAX];
	size_t n;
	const char *p = kt_event_str(ev, ev->sys.str, &n);

	kt_out_mem(o, buf, kt_fmt_sockaddr(buf, sizeof(buf), p, n));
}

static void args(struct kt_out *o, const struct kt_event *ev,
		 const struct kt_tasks *tasks)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[KT_NAME_MAX];
	const char *p, *n;
	size_t len, l;

	switch (kt_syscall_args(s->nr)) {
	case KT_SYSARGS_FD_BYTES:
		fd_arg(o, s);
		sep(o);
		kt_out_u64(o, s->arg[1]);
		break;
	case KT_SYSARGS_FD:
		fd_arg(o, s);
		break;
	case KT_SYSARGS_OPENAT:
		kt_out_mem(o, buf, kt_fmt_dirfd(buf, sizeof(buf),
						(__s32)s->arg[0]));
		sep(o);
		/* fall through */
	case KT_SYSARGS_OPEN:
		path_arg(o, ev);
		sep(o);
		flags_mode(o, s);
		break;
	case KT_SYSARGS_PATH:
		path_arg(o, ev);
		break;
	case KT_SYSARGS_RENAME:
		p = kt_event_str(ev, s->str, &len);
		l = strnlen(p, len);
		kt_replay_quoted(o, p, l);
		sep(o);
		kt_replay_quoted(o, l < len ? p + l + 1 : "",
				 l < len ? len - l - 1 : 0);
		break;
	case KT_SYSARGS_SOCKADDR:
		fd_arg(o, s);
		sep(o);
		sockaddr_arg(o, ev);
		break;
	case KT_SYSARGS_ACCEPT:
		fd_arg(o, s);
		if (s->str) {
			sep(o);
			sockaddr_arg(o, ev);
		}
		break;
	case KT_SYSARGS_FUTEX:
		kt_out_hex(o, s->arg[0]);
		sep(o);
		kt_out_mem(o, buf, kt_fmt_futex_op(buf, sizeof(buf), s->arg[1]));
		sep(o);
		kt_out_u64(o, (__u32)s->arg[2]);
		break;
	case KT_SYSARGS_SLEEP:
		kt_out_dur(o, s->arg[0]);
		break;
	case KT_SYSARGS_TIMEOUT:
		kt_out_str(o, "timeout_ms=");
		kt_out_s64(o, (__s64)s->arg[1]);
		break;
	case KT_SYSARGS_KILL:
		kt_out_s64(o, (__s32)s->arg[0]);
		sep(o);
		n = kt_signal_name((unsigned)s->arg[1]);
		n ? kt_out_str(o, n) : kt_out_u64(o, s->arg[1]);
		if (s->arg[0] && (__s32)s->arg[0] > 0) {
			kt_out_str(o, " /* ");
			kt_replay_comm(o, tasks, (__u32)s->arg[0]);
			kt_out_str(o, " */");
		}
		break;
	case KT_SYSARGS_WAIT:
		kt_out_s64(o, (__s32)s->arg[0]);
		break;
	case KT_SYSARGS_CLONE:
	case KT_SYSARGS_NONE:
		break;
	}
}

static void ret(struct kt_out *o, const struct kt_syscall *s)
{
	const char *e;

	if (s->flags & KT_SYSCALL_UNFINISHED) {
		kt_out_ch(o, '?');
		return;
	}
	if (kt_replay_failed(s->ret)) {
		kt_out_s64(o, s->ret);
		e = kt_errno_ret_name(s->ret);
		if (e) {
			kt_out_ch(o, ' ');
			kt_out_str(o, e);
		}
		return;
	}
	if (kt_syscall_ret_ptr(s->nr))
		kt_out_hex(o, (__u64)s->ret);
	else
		kt_out_s64(o, s->ret);
}

void kt_replay_syscall(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_tasks *tasks)
{
	const struct kt_syscall *s = &ev->sys;
	const char *name = kt_syscall_name(s->nr);
	char *p;

	if (name) {
		kt_out_str(o, name);
	} else {
		kt_out_str(o, "sys_");
		kt_out_u64(o, s->nr);
	}
	kt_out_ch(o, '(');
	args(o, ev, tasks);
	kt_out_str(o, ") = ");
	ret(o, s);
	if (!(p = kt_out_need(o, 2)))
		return;
	memcpy(p, " <", 2);
	o->len += 2;
	kt_out_dur(o, s->dur);
	kt_out_ch(o, '>');
	if (s->flags & KT_SYSCALL_UNFINISHED)
		kt_out_str(o, " unfinished");
	if (s->flags & KT_SYSCALL_BLOCKED)
		kt_out_str(o, " blocked");
	if (s->flags & KT_SYSCALL_WOKE)
		kt_out_str(o, " woke");
	if (s->flags & KT_SYSCALL_WOKE_NET)
		kt_out_str(o, " woke_net");
}
