// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_events.c - one row of ev_<kind> per exported event, its columns
 * taken from the kind's schema (format/event.h) by kt_field_get: a field
 * added to the format becomes a column without a change here.
 *
 * Values: integers as SQLite INTEGER (a u64 above INT64_MAX as its two's
 * complement, the bits kept); strings as TEXT up to their first NUL,
 * except bytes (packet data, the raw sockaddr of connect/bind/accept)
 * as BLOB and NUL-separated lists (exec's argv, rename's "old\0new") as
 * a JSON array of strings, which SQLite's json_each() reads.
 */
#include <errno.h>
#include <string.h>
#include "export_int.h"
#include "analyze/names.h"

/* How a string field is stored. */
enum str_form { STR_TEXT, STR_BLOB, STR_LIST };

static enum str_form str_form(const struct kt_event *ev,
			      const struct kt_field *f)
{
	enum kt_sysargs a;

	if (ev->kind == KT_NET_PACKET)
		return STR_BLOB;
	if (ev->kind == KT_PROC_EXEC)
		return f->off == offsetof(struct kt_event, exec.argv_str) ?
		       STR_LIST : STR_TEXT;
	if (ev->kind != KT_SYSCALL)
		return STR_TEXT;
	a = kt_syscall_args(ev->sys.nr);
	if (a == KT_SYSARGS_SOCKADDR || a == KT_SYSARGS_ACCEPT)
		return STR_BLOB;
	return a == KT_SYSARGS_RENAME ? STR_LIST : STR_TEXT;
}

/* @n bytes of NUL-terminated strings as a JSON array, into sq->js */
static void json_list(struct kt_sq *sq, const char *s, size_t n)
{
	struct kt_out *o = &sq->js;
	size_t i, l;

	o->len = 0;
	kt_out_jopen(o, '[');
	for (i = 0; i < n; i += l + 1) {
		l = strnlen(s + i, n - i);
		kt_out_jsep(o);
		kt_out_json(o, s + i, l);
	}
	kt_out_jclose(o, ']');
}

static int bind_str(struct kt_sq *sq, struct kt_sq_ins *ins,
		    const struct kt_event *ev, const struct kt_field *f,
		    __u32 h)
{
	size_t n;
	const char *s = kt_event_str(ev, h, &n);

	if (!h) {
		kt_sq_null(ins);
		return 0;
	}
	switch (str_form(ev, f)) {
	case STR_BLOB:
		kt_sq_blob(ins, s, n);
		break;
	case STR_LIST:
		json_list(sq, s, n);
		if (sq->js.err)
			return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
		kt_sq_text(ins, sq->js.buf, sq->js.len);
		break;
	default:
		kt_sq_text(ins, s, strnlen(s, n));
	}
	return 0;
}

/*
 * kt_sq_sys_path - the path column of a syscall row, or NULL (OUT @len):
 * the path argument of open/openat/stat/execve/unlink..., the old path
 * of a rename.  THE place where the fd resolver of analyze/ plugs in:
 * it will also give the path of the fd a read, write or close worked on
 * when the capture knows it (its open, or the /proc snapshot).
 */
static const char *kt_sq_sys_path(struct kt_sq *sq, const struct kt_event *ev,
				  size_t *len)
{
	const char *s;
	size_t n;

	(void)sq;
	switch (kt_syscall_args(ev->sys.nr)) {
	case KT_SYSARGS_OPENAT:
	case KT_SYSARGS_OPEN:
	case KT_SYSARGS_PATH:
	case KT_SYSARGS_RENAME:
		if (!ev->sys.str)
			return NULL;
		s = kt_event_str(ev, ev->sys.str, &n);
		*len = strnlen(s, n);
		return s;
	default:
		return NULL;
	}
}

int kt_sq_event(struct kt_sq *sq, const struct kt_event *ev, __u64 id)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	struct kt_sq_ins *ins;
	const char *path;
	size_t plen = 0;
	int rc;

	if (!ki)
		return 0;       /* a kind of a newer format: no table */
	ins = &sq->ev[ev->kind];
	kt_sq_int(ins, (__s64)id);
	kt_sq_int(ins, (__s64)kt_event_start(ev));
	kt_sq_int(ins, ev->cpu);
	kt_sq_int(ins, ev->tid);
	kt_sq_int(ins, ev->pid);
	kt_sq_utid(ins, ev->utid, ev->tid);
	for (__u32 i = 0; i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];
		struct kt_value v = kt_field_get(ev, f);

		if (f->type == KT_F_STR) {
			rc = bind_str(sq, ins, ev, f, (__u32)v.u);
			if (rc)
				return rc;
		} else {
			kt_sq_int(ins, v.s);
		}
	}
	if (ev->kind == KT_SYSCALL) {
		path = kt_sq_sys_path(sq, ev, &plen);
		if (path)
			kt_sq_text(ins, path, plen);
		else
			kt_sq_null(ins);
	}
	return kt_sq_row(sq, ins);
}
