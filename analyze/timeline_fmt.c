// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "timeline_fmt.h"
#include "fds.h"
#include "names.h"

char *kt_tlf_thread(char *buf, size_t sz, const struct kt_tasks *tasks,
		    __u32 utid, __u32 tid)
{
	const struct kt_task *t = NULL;
	const char *host;
	__u32 htid;

	if (!tid) {
		snprintf(buf, sz, "-");
		return buf;
	}
	if (tasks && utid)
		t = kt_tasks_get(tasks, utid);
	if (!t && tasks)
		t = kt_tasks_find(tasks, tid);
	host = kt_tasks_host(tasks, tid, &htid);
	if (host)       /* a merged capture: the host, and its own tid */
		snprintf(buf, sz, "%s:%s/%u", host,
			 t && t->comm[0] ? t->comm : "?", htid);
	else
		snprintf(buf, sz, "%s/%u", t && t->comm[0] ? t->comm : "?", tid);
	return buf;
}

char *kt_tlf_ts(char *buf, size_t sz, __u64 ns)
{
	snprintf(buf, sz, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000));
	return buf;
}

char *kt_tlf_dur(char *buf, size_t sz, __u64 ns)
{
	if (ns < 1000)
		snprintf(buf, sz, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, sz, "%llu.%03llu us", (unsigned long long)(ns / 1000),
			 (unsigned long long)(ns % 1000));
	else if (ns < 1000000000)
		snprintf(buf, sz, "%llu.%03llu ms",
			 (unsigned long long)(ns / 1000000),
			 (unsigned long long)(ns / 1000 % 1000));
	else
		snprintf(buf, sz, "%llu.%03llu s",
			 (unsigned long long)(ns / 1000000000),
			 (unsigned long long)(ns / 1000000 % 1000));
	return buf;
}

int kt_tlf_names_init(struct kt_tlf_names *n, const struct kt_reader *r)
{
	memset(n, 0, sizeof(*n));
	n->disks = kt_disks_new(kt_reader_meta(r));
	n->fds = kt_fdnames_batch();
	if (!n->disks || !n->fds) {
		kt_tlf_names_release(n);
		return -ENOMEM;
	}
	return 0;
}

int kt_tlf_names_each(__u32 pid, const struct kt_tl_sys *s,
		      int (*fn)(void *arg, __u32 pid, __s32 fd, __u64 ts),
		      void *arg)
{
	__s32 fd[2];
	int rc = 0;

	if (s->nr == KT_TL_NOSYS)
		return 0;
	/* the 1.2 layouts are asked about whatever the capture: answers to
	 * blanks are never printed (kt_fdnames_fd_args) */
	if (kt_fds_arg_fd(s->nr, true))
		rc = fn(arg, pid, (__s32)s->arg[0], s->start);
	if (!rc && s->end > s->start && kt_fds_ret_fd(s->nr, s->arg, s->ret, true))
		rc = fn(arg, pid, (__s32)s->ret, s->end);
	if (!rc && kt_fds_pair(s->nr, s->arg, s->ret, true, fd) &&
	    !(rc = fn(arg, pid, fd[0], s->end)))
		rc = fn(arg, pid, fd[1], s->end);
	return rc;
}

static int ask(void *arg, __u32 pid, __s32 fd, __u64 ts)
{
	return kt_fdnames_ask(arg, pid, fd, ts);
}

int kt_tlf_names_ask(struct kt_tlf_names *n, __u32 pid,
		     const struct kt_tl_sys *s)
{
	if (!n || !n->fds)
		return 0;
	return kt_tlf_names_each(pid, s, ask, n->fds);
}

void kt_tlf_names_release(struct kt_tlf_names *n)
{
	kt_disks_free(n->disks);
	kt_fdnames_free(n->fds);
	n->disks = NULL;
	n->fds = NULL;
}

static bool fd_args(const struct kt_tlf_names *n)
{
	return n && kt_fdnames_fd_args(n->fds);
}

/* "3</etc/passwd>", "3<pipe:[9]>" (@fid, a file id), or "3" */
static char *fd_words(char *buf, size_t sz, __u32 pid, __s32 fd, __u64 ts,
		      __u64 fid, const struct kt_tlf_names *n)
{
	size_t len;
	const char *obj = kt_fdnames_words(n ? n->fds : NULL, pid, fd, ts, fid,
					   &len);

	if (len)
		snprintf(buf, sz, "%d<%s>", fd, obj);
	else
		snprintf(buf, sz, "%d", fd);
	return buf;
}

/* The arguments of a syscall that made fds: the path it opened, or the
 * pair it made; false when there is nothing to say. */
static bool made_words(char *buf, size_t sz, const struct kt_tl_sys *s,
		       __u32 pid, const struct kt_tlf_names *n)
{
	char a[KT_TLF_MAX], b[KT_TLF_MAX];
	struct kt_fd x;
	__s32 fd[2];

	if (kt_fds_pair(s->nr, s->arg, s->ret, fd_args(n), fd)) {
		snprintf(buf, sz, "[%s, %s]",
			 fd_words(a, sizeof(a), pid, fd[0], s->end, s->arg[2], n),
			 fd_words(b, sizeof(b), pid, fd[1], s->end, 0, n));
		return true;
	}
	if ((s->nr != SYS_open && s->nr != SYS_openat && s->nr != SYS_openat2 &&
	     s->nr != SYS_creat) || s->ret < 0 || !n ||
	    kt_fdnames_get(n->fds, pid, (__s32)s->ret, s->end, &x) ||
	    x.kind != KT_FDK_FILE)
		return false;
	snprintf(buf, sz, "\"%s\"", x.name);
	return true;
}

char *kt_tlf_sys(char *buf, size_t sz, const struct kt_tl_sys *s, __u32 pid,
		 const struct kt_tlf_names *n)
{
	const char *name = kt_syscall_name(s->nr);
	char nb[24], obj[KT_TLF_MAX], op[64], d[32];

	if (s->nr == KT_TL_NOSYS) {
		snprintf(buf, sz, "(no syscall)");
		return buf;
	}
	if (!name) {
		snprintf(nb, sizeof(nb), "syscall_%u", s->nr);
		name = nb;
	}
	if (kt_fds_arg_fd(s->nr, fd_args(n))) {
		fd_words(obj, sizeof(obj), pid, (__s32)s->arg[0], s->start,
			 kt_tl_sys_file_id(s), n);
		snprintf(buf, sz, "%s(%s)", name, obj);
	} else if (made_words(obj, sizeof(obj), s, pid, n)) {
		snprintf(buf, sz, "%s(%s)", name, obj);
	} else if (s->nr == SYS_futex) {
		kt_fmt_futex_op(op, sizeof(op), s->arg[1]);
		snprintf(buf, sz, "%s(0x%llx, %s)", name,
			 (unsigned long long)s->arg[0], op);
	} else if (s->nr == SYS_nanosleep || s->nr == SYS_clock_nanosleep) {
		snprintf(buf, sz, "%s(%s)", name, kt_tlf_dur(d, sizeof(d), s->arg[0]));
	} else if (kt_syscall_args(s->nr) == KT_SYSARGS_WAIT) {
		snprintf(buf, sz, "%s(%lld)", name, (long long)s->arg[0]);
	} else {
		snprintf(buf, sz, "%s()", name);
	}
	return buf;
}

char *kt_tlf_ret(char *buf, size_t sz, const struct kt_tl_sys *s, __u32 pid,
		 const struct kt_tlf_names *n)
{
	const char *e = s->ret < 0 ? kt_errno_ret_name(s->ret) : NULL;

	if (s->flags & KT_SYSCALL_UNFINISHED)
		snprintf(buf, sz, "?");
	else if (e)
		snprintf(buf, sz, "-%s", e);
	else if (kt_fds_ret_fd(s->nr, s->arg, s->ret, fd_args(n)))
		fd_words(buf, sz, pid, (__s32)s->ret, s->end, 0, n);
	else
		snprintf(buf, sz, "%lld", (long long)s->ret);
	return buf;
}

void kt_tlf_json_files(json_t *j, const struct kt_tl_sys *s, __u32 pid,
		       const struct kt_tlf_names *n)
{
	char x[KT_TLF_MAX];
	struct kt_fd f;

	if (!n || s->nr == KT_TL_NOSYS)
		return;
	if (kt_fds_arg_fd(s->nr, fd_args(n)) &&
	    !kt_fdnames_get(n->fds, pid, (__s32)s->arg[0], s->start, &f)) {
		kt_fd_fmt(x, sizeof(x), &f);
		json_object_set_new(j, "file", json_string(x));
	}
	if (s->end > s->start && kt_fds_ret_fd(s->nr, s->arg, s->ret, fd_args(n)) &&
	    !kt_fdnames_get(n->fds, pid, (__s32)s->ret, s->end, &f)) {
		kt_fd_fmt(x, sizeof(x), &f);
		json_object_set_new(j, "ret_file", json_string(x));
	}
}

char *kt_tlf_dev(char *buf, size_t sz, __u32 dev,
		 const struct kt_tlf_names *n)
{
	kt_fmt_disk(buf, sz, n ? n->disks : NULL, dev, false);
	return buf;
}

char *kt_tlf_blk(char *buf, size_t sz, const struct kt_tl_blk *b,
		 const struct kt_tlf_names *n)
{
	char dev[64], rwbs[16];

	kt_tlf_dev(dev, sizeof(dev), b->dev, n);
	kt_fmt_rwbs(rwbs, sizeof(rwbs), b->op);
	if (b->bytes)
		snprintf(buf, sz, "%s %s %u B at sector %llu", dev, rwbs, b->bytes,
			 (unsigned long long)b->sector);
	else
		snprintf(buf, sz, "%s %s (cache flush)", dev, rwbs);
	return buf;
}
