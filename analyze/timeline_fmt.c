// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <sys/syscall.h>
#include "timeline_fmt.h"
#include "names.h"

char *kt_tlf_thread(char *buf, size_t sz, const struct kt_tasks *tasks,
		    __u32 utid, __u32 tid)
{
	const struct kt_task *t = NULL;

	if (!tid) {
		snprintf(buf, sz, "-");
		return buf;
	}
	if (tasks && utid)
		t = kt_tasks_get(tasks, utid);
	if (!t && tasks)
		t = kt_tasks_find(tasks, tid);
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

char *kt_tlf_sys(char *buf, size_t sz, const struct kt_tl_sys *s)
{
	const char *name = kt_syscall_name(s->nr);
	char nb[24], obj[64], op[64], d[32];
	__u64 fid = kt_tl_sys_file_id(s);

	if (s->nr == KT_TL_NOSYS) {
		snprintf(buf, sz, "(no syscall)");
		return buf;
	}
	if (!name) {
		snprintf(nb, sizeof(nb), "syscall_%u", s->nr);
		name = nb;
	}
	if (fid) {
		kt_fmt_file_id(obj, sizeof(obj), fid);
		snprintf(buf, sz, "%s(fd %lld %s)", name, (long long)s->arg[0], obj);
	} else if (s->nr == SYS_futex) {
		kt_fmt_futex_op(op, sizeof(op), s->arg[1]);
		snprintf(buf, sz, "%s(0x%llx, %s)", name,
			 (unsigned long long)s->arg[0], op);
	} else if (s->nr == SYS_nanosleep || s->nr == SYS_clock_nanosleep) {
		snprintf(buf, sz, "%s(%s)", name, kt_tlf_dur(d, sizeof(d), s->arg[0]));
	} else {
		switch (kt_syscall_args(s->nr)) {
		case KT_SYSARGS_FD_BYTES:
		case KT_SYSARGS_FD:
		case KT_SYSARGS_SOCKADDR:
		case KT_SYSARGS_ACCEPT:
			snprintf(buf, sz, "%s(fd %lld)", name, (long long)s->arg[0]);
			break;
		case KT_SYSARGS_WAIT:
			snprintf(buf, sz, "%s(%lld)", name, (long long)s->arg[0]);
			break;
		default:
			snprintf(buf, sz, "%s()", name);
		}
	}
	return buf;
}

char *kt_tlf_blk(char *buf, size_t sz, const struct kt_tl_blk *b)
{
	char dev[32], rwbs[16];

	kt_fmt_dev(dev, sizeof(dev), b->dev);
	kt_fmt_rwbs(rwbs, sizeof(rwbs), b->op);
	if (b->bytes)
		snprintf(buf, sz, "%s %s %u B at sector %llu", dev, rwbs, b->bytes,
			 (unsigned long long)b->sector);
	else
		snprintf(buf, sz, "%s %s (cache flush)", dev, rwbs);
	return buf;
}
