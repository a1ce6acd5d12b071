// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_sys.c - a syscall record as strace would print it:
 *	openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd> <0.000004100>
 *	read(3<pipe:[4711]>, 4096) = -11 EAGAIN <0.000000800>
 * with the arguments the recorder keeps (event.h's table), every fd with
 * its object in <...> like strace -y (the fd resolver, fds.h; the file
 * id of a syscall that blocked or woke when the resolver does not know
 * the fd), errno names, and the duration.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/close_range.h>
#include "analyze/fds.h"
#include "analyze/names.h"
#include "analyze/replay_int.h"

static void sep(struct kt_out *o)
{
	kt_out_mem(o, ", ", 2);
}

static bool fd_args(const struct kt_replay_names *nm)
{
	return nm && kt_fdnames_fd_args(nm->fds);
}

/* What fd @fd of @ev's process named at @ts, into @buf ("" unknown);
 * @fid: the record's file id of it, used when the resolver does not
 * know the fd. */
static size_t fd_name(char *buf, size_t sz, const struct kt_event *ev,
		      const struct kt_replay_names *nm, __s32 fd, __u64 ts,
		      __u64 fid)
{
	size_t n;
	const char *w = kt_fdnames_words(nm ? nm->fds : NULL, ev->pid, fd, ts,
					 fid, &n);

	n = n < sz ? n : sz - 1;
	memcpy(buf, w, n);
	buf[n] = 0;
	return n;
}

/* "3</etc/passwd>", or "3" when nothing is known */
static void fd_out(struct kt_out *o, const struct kt_event *ev,
		   const struct kt_replay_names *nm, __s32 fd, __u64 ts,
		   __u64 fid)
{
	size_t n;
	const char *w = kt_fdnames_words(nm ? nm->fds : NULL, ev->pid, fd, ts,
					 fid, &n);

	kt_out_s64(o, fd);
	if (!n)
		return;
	kt_out_ch(o, '<');
	kt_out_esc(o, w, n);
	kt_out_ch(o, '>');
}

/* the fd argument (arg0) at the call's start */
static void fd_arg(struct kt_out *o, const struct kt_event *ev,
		   const struct kt_replay_names *nm)
{
	enum kt_sysargs a = kt_syscall_args(ev->sys.nr);
	__u64 fid = a == KT_SYSARGS_FD || a == KT_SYSARGS_FD_BYTES ?
		    ev->sys.arg[2] : 0;

	fd_out(o, ev, nm, (__s32)ev->sys.arg[0], kt_event_start(ev), fid);
}

void kt_replay_sys_fds(const struct kt_event *ev,
		       const struct kt_replay_names *nm,
		       struct kt_replay_fds *out)
{
	const struct kt_syscall *s = &ev->sys;
	enum kt_sysargs a = kt_syscall_args(s->nr);
	bool v = fd_args(nm);

	out->arg[0] = out->ret[0] = 0;
	out->pair[0] = out->pair[1] = -1;
	out->pair_name[0][0] = out->pair_name[1][0] = 0;
	if (kt_fds_arg_fd(s->nr, v))
		fd_name(out->arg, sizeof(out->arg), ev, nm, (__s32)s->arg[0],
			kt_event_start(ev), a == KT_SYSARGS_FD ||
			a == KT_SYSARGS_FD_BYTES ? s->arg[2] : 0);
	if (s->flags & KT_SYSCALL_UNFINISHED)
		return;
	if (kt_fds_ret_fd(s->nr, s->arg, s->ret, v))
		fd_name(out->ret, sizeof(out->ret), ev, nm, (__s32)s->ret,
			ev->ts, 0);
	if (kt_fds_pair(s->nr, s->arg, s->ret, v, out->pair))
		for (int i = 0; i < 2; i++)
			fd_name(out->pair_name[i], sizeof(out->pair_name[i]), ev,
				nm, out->pair[i], ev->ts, i ? 0 : s->arg[2]);
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

/* the flags of pipe2 and dup3, as strace: "O_CLOEXEC", "0" */
static void fd_flags(struct kt_out *o, __u64 flags)
{
	char buf[KT_NAME_MAX];
	size_t n = kt_fmt_open_flags(buf, sizeof(buf), flags & ~(__u64)O_ACCMODE);

	if (n > 9 && !memcmp(buf, "O_RDONLY|", 9))
		kt_out_mem(o, buf + 9, n - 9);
	else if (!(flags & ~(__u64)O_ACCMODE))
		kt_out_ch(o, '0');
	else
		kt_out_mem(o, buf, n);
}

/* fcntl(fd, cmd[, arg]) */
static void fcntl_args(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_replay_names *nm)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[KT_NAME_MAX];
	int has_arg;
	const char *c = kt_fcntl_cmd_name(s->arg[1], &has_arg);

	fd_arg(o, ev, nm);
	sep(o);
	c ? kt_out_str(o, c) : kt_out_u64(o, s->arg[1]);
	if (!has_arg)
		return;
	sep(o);
	if (s->arg[1] == F_SETFD && s->arg[2] == FD_CLOEXEC)
		kt_out_str(o, "FD_CLOEXEC");
	else if (s->arg[1] == F_SETFL)
		kt_out_mem(o, buf, kt_fmt_open_flags(buf, sizeof(buf), s->arg[2]));
	else if (has_arg == 2)
		kt_out_hex(o, s->arg[2]);
	else
		kt_out_s64(o, (__s32)s->arg[2]);
}

/* pipe([a, b]), pipe2([a, b], flags), socketpair(domain, type, [a, b]) */
static void pair_args(struct kt_out *o, const struct kt_event *ev,
		      const struct kt_replay_names *nm)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[KT_NAME_MAX];
	const char *af;
	__s32 fd[2];

	if (s->nr == SYS_socketpair) {
		af = kt_af_name((unsigned)(s->arg[1] >> 32));
		af ? kt_out_str(o, af) : kt_out_u64(o, s->arg[1] >> 32);
		sep(o);
		kt_out_mem(o, buf, kt_fmt_socktype(buf, sizeof(buf),
						   (__u32)s->arg[1]));
		sep(o);
	}
	if (kt_fds_pair(s->nr, s->arg, s->ret, true, fd)) {
		kt_out_ch(o, '[');
		fd_out(o, ev, nm, fd[0], ev->ts, s->arg[2]);
		sep(o);
		fd_out(o, ev, nm, fd[1], ev->ts, s->nr == SYS_socketpair ?
		       0 : s->arg[2]);
		kt_out_ch(o, ']');
	} else {
		kt_out_str(o, "?");
	}
	if (s->nr == SYS_pipe2) {
		sep(o);
		fd_flags(o, s->arg[1]);
	}
}

/* an address as strace prints it: NULL, or hex */
static void addr(struct kt_out *o, __u64 a)
{
	a ? kt_out_hex(o, a) : kt_out_str(o, "NULL");
}

static void prot(struct kt_out *o, __u64 p)
{
	char buf[KT_NAME_MAX];

	kt_out_mem(o, buf, kt_fmt_mmap_prot(buf, sizeof(buf), p));
}

/* The arguments of record.more_args captures: mmap(addr, len, prot,
 * flags, fd) (the offset is not recorded), munmap, mprotect, lseek,
 * ioctl, and the *at() calls' dirfd. */
static void more_args(struct kt_out *o, const struct kt_event *ev,
		      const struct kt_replay_names *nm, enum kt_sysargs a)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[KT_NAME_MAX];
	const char *n;

	switch (a) {
	case KT_SYSARGS_MMAP:
		addr(o, s->arg[0]);
		sep(o);
		kt_out_u64(o, s->arg[1]);
		sep(o);
		prot(o, s->arg[2] >> 32 & 0xff);
		sep(o);
		kt_out_mem(o, buf, kt_fmt_mmap_flags(buf, sizeof(buf),
						     s->arg[2] >> 40));
		sep(o);
		if ((__s32)s->arg[2] < 0)
			kt_out_s64(o, (__s32)s->arg[2]);
		else
			fd_out(o, ev, nm, (__s32)s->arg[2], kt_event_start(ev), 0);
		break;
	case KT_SYSARGS_MUNMAP:
	case KT_SYSARGS_MPROTECT:
		addr(o, s->arg[0]);
		sep(o);
		kt_out_u64(o, s->arg[1]);
		if (a == KT_SYSARGS_MUNMAP)
			break;
		sep(o);
		prot(o, s->arg[2]);
		break;
	case KT_SYSARGS_LSEEK:
		fd_arg(o, ev, nm);
		sep(o);
		kt_out_s64(o, (__s64)s->arg[1]);
		sep(o);
		n = kt_lseek_whence_name(s->arg[2]);
		n ? kt_out_str(o, n) : kt_out_u64(o, s->arg[2]);
		break;
	case KT_SYSARGS_IOCTL:
		fd_arg(o, ev, nm);
		sep(o);
		n = kt_ioctl_name((__u32)s->arg[1]);
		n ? kt_out_str(o, n) : kt_out_hex(o, (__u32)s->arg[1]);
		break;
	case KT_SYSARGS_PATHAT:
		if ((__s32)s->arg[0] == AT_FDCWD)
			kt_out_mem(o, buf, kt_fmt_dirfd(buf, sizeof(buf),
							(__s32)s->arg[0]));
		else
			fd_arg(o, ev, nm);
		sep(o);
		path_arg(o, ev);
		break;
	default:
		break;
	}
}

/* The arguments the format 1.2 recorder adds (fd_args). */
static void fd_table_args(struct kt_out *o, const struct kt_event *ev,
			  const struct kt_replay_names *nm, enum kt_sysargs a)
{
	const struct kt_syscall *s = &ev->sys;
	char buf[KT_NAME_MAX];
	const char *n;

	switch (a) {
	case KT_SYSARGS_DUP:
		fd_arg(o, ev, nm);
		if (s->nr == SYS_dup)
			break;
		sep(o);
		kt_out_s64(o, (__s32)s->arg[1]);
		if (s->nr == SYS_dup3) {
			sep(o);
			fd_flags(o, s->arg[2]);
		}
		break;
	case KT_SYSARGS_FCNTL:
		fcntl_args(o, ev, nm);
		break;
	case KT_SYSARGS_SOCKET:
		n = kt_af_name((unsigned)s->arg[0]);
		n ? kt_out_str(o, n) : kt_out_u64(o, s->arg[0]);
		sep(o);
		kt_out_mem(o, buf, kt_fmt_socktype(buf, sizeof(buf), s->arg[1]));
		sep(o);
		n = kt_sock_proto_name((unsigned)s->arg[0], s->arg[2]);
		n ? kt_out_str(o, n) : kt_out_u64(o, s->arg[2]);
		break;
	case KT_SYSARGS_CLONE:  /* format 1.2: the flags */
		if (s->nr != SYS_clone && s->nr != SYS_clone3)
			break;
		kt_out_str(o, s->nr == SYS_clone3 ? "{flags=" : "flags=");
		kt_out_mem(o, buf, kt_fmt_clone_flags(buf, sizeof(buf),
			   s->arg[0], s->nr == SYS_clone3));
		if (s->nr == SYS_clone3)
			kt_out_ch(o, '}');
		break;
	case KT_SYSARGS_FDPAIR:
		pair_args(o, ev, nm);
		break;
	case KT_SYSARGS_CLOSE_RANGE:
		kt_out_u64(o, (__u32)s->arg[0]);
		sep(o);
		kt_out_u64(o, (__u32)s->arg[1]);
		sep(o);
		if (s->arg[2] == CLOSE_RANGE_CLOEXEC)
			kt_out_str(o, "CLOSE_RANGE_CLOEXEC");
		else if (s->arg[2] == CLOSE_RANGE_UNSHARE)
			kt_out_str(o, "CLOSE_RANGE_UNSHARE");
		else
			kt_out_u64(o, s->arg[2]);
		break;
	default:
		break;
	}
}

static void args(struct kt_out *o, const struct kt_event *ev,
		 const struct kt_tasks *tasks,
		 const struct kt_replay_names *nm)
{
	const struct kt_syscall *s = &ev->sys;
	enum kt_sysargs a = kt_syscall_args_v(s->nr, fd_args(nm));
	enum kt_sysargs m = nm && nm->more_args ?
			    kt_syscall_args_more(s->nr) : KT_SYSARGS_NONE;
	char buf[KT_NAME_MAX];
	const char *p, *n;
	size_t len, l;

	if (m && m != KT_SYSARGS_FD) {
		more_args(o, ev, nm, m);
		return;
	}
	if (m)
		a = m;
	switch (a) {
	case KT_SYSARGS_FD_BYTES:
		fd_arg(o, ev, nm);
		sep(o);
		kt_out_u64(o, s->arg[1]);
		break;
	case KT_SYSARGS_FD:
		fd_arg(o, ev, nm);
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
		fd_arg(o, ev, nm);
		sep(o);
		sockaddr_arg(o, ev);
		break;
	case KT_SYSARGS_ACCEPT:
		fd_arg(o, ev, nm);
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
		if (fd_args(nm))
			fd_table_args(o, ev, nm, a);
		break;
	case KT_SYSARGS_NONE:
		break;
	default:
		fd_table_args(o, ev, nm, a);
		break;
	}
}

static void ret(struct kt_out *o, const struct kt_event *ev,
		const struct kt_replay_names *nm)
{
	const struct kt_syscall *s = &ev->sys;
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
	else if (kt_fds_ret_fd(s->nr, s->arg, s->ret, fd_args(nm)))
		fd_out(o, ev, nm, (__s32)s->ret, ev->ts, 0);
	else
		kt_out_s64(o, s->ret);
}

void kt_replay_syscall(struct kt_out *o, const struct kt_event *ev,
		       const struct kt_tasks *tasks,
		       const struct kt_replay_names *nm)
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
	args(o, ev, tasks, nm);
	kt_out_str(o, ") = ");
	ret(o, ev, nm);
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
