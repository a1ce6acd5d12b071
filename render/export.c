// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export.c - what every export shares: the selection of events (time
 * window, process, kinds), the syscalls counted as idle waits, a small
 * hash map; and the NDJSON export, which is `replay --json` in its
 * column form (analyze/replay.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"
#include "analyze/names.h"
#include "analyze/replay.h"

void kt_xsel_init(struct kt_xsel *s, struct kt_reader *r,
		  const struct kt_export_opts *o)
{
	struct kt_info info;

	memset(s, 0, sizeof(*s));
	s->o = *o;
	kt_reader_info(r, &info);
	s->first_ts = info.first_ts;
	s->last_ts = info.last_ts;
	s->open_to = !o->to;
	s->w.from = o->from;
	s->w.to = o->to;
	kt_window_place(&s->w, &info, 0);
	if (s->w.to < s->w.from)
		s->w.to = s->w.from;
}

bool kt_xsel_event(const struct kt_xsel *s, const struct kt_event *ev)
{
	__u64 start = kt_event_start(ev);

	if (start < s->o.from || (s->o.to && start >= s->o.to))
		return false;
	if (s->o.kinds && !(s->o.kinds & KT_KIND_BIT(ev->kind)))
		return false;
	return kt_xsel_pid(s, ev->pid);
}

bool kt_xsel_family(const struct kt_xsel *s, unsigned fam)
{
	if (!s->o.kinds)
		return true;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if ((s->o.kinds & KT_KIND_BIT(k)) &&
		    kt_kind_info(k)->family == fam)
			return true;
	return false;
}

bool kt_export_idle_wait(unsigned nr)
{
	static const char *const idle[] = {
		"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll",
		"select", "pselect6", "wait4", "waitid", "pause", "nanosleep",
		"clock_nanosleep", "rt_sigsuspend", "rt_sigtimedwait",
	};
	static bool table[1024], ready;

	if (!ready) {
		for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++) {
			int n = kt_syscall_nr(idle[i]);

			if (n >= 0 && n < 1024)
				table[n] = true;
		}
		ready = true;
	}
	return nr < 1024 && table[nr];
}

/* ---------------------------------------------------------------- map */

static size_t slot(const struct kt_map32 *m, __u32 key)
{
	return (size_t)((key * 2654435761u) & (m->cap - 1));
}

static int grow(struct kt_map32 *m)
{
	struct kt_map32 n = { .cap = m->cap ? m->cap * 2 : 256 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	n.used = calloc(n.cap, sizeof(*n.used));
	if (!n.keys || !n.vals || !n.used) {
		kt_map32_release(&n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->used[i] && kt_map32_put(&n, m->keys[i], m->vals[i]))
			return -ENOMEM; /* cannot happen: room was made */
	kt_map32_release(m);
	*m = n;
	return 0;
}

int kt_map32_put(struct kt_map32 *m, __u32 key, __u32 val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	for (i = slot(m, key); m->used[i] && m->keys[i] != key;
	     i = (i + 1) & (m->cap - 1))
		;
	if (!m->used[i]) {
		m->used[i] = 1;
		m->keys[i] = key;
		m->n++;
	}
	m->vals[i] = val;
	return 0;
}

bool kt_map32_get(const struct kt_map32 *m, __u32 key, __u32 *val)
{
	if (!m->cap)
		return false;
	for (size_t i = slot(m, key); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	return false;
}

void kt_map32_release(struct kt_map32 *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

/* --------------------------------------------------------------- json */

int kt_export_json(struct kt_reader *r, struct kt_out *out,
		   const struct kt_export_opts *o, struct kt_export_stats *st,
		   struct kt_err *err)
{
	struct kt_replay_opts ro = {
		.from = o->from, .to = o->to, .kinds = o->kinds, .pid = o->pid,
		.json = true, .columns = true,
	};
	struct kt_source *src;
	__u64 before = out->written + out->len, n = 0;
	int rc;

	kt_reader_filter(r, o->kinds, o->pid, 0);
	rc = kt_reader_seek(r, o->from, err);
	if (rc)
		return rc;
	src = kt_source_reader(r);
	if (!src)
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	rc = kt_replay_run(src, &ro, out, &n, err);
	kt_source_free(src);
	if (st) {
		st->events = st->rows = n;
		st->bytes = out->written + out->len - before;
	}
	return rc;
}
