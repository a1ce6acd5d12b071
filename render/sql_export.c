// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_export.c - `ktrail export --sqlite`: the driver.
 *
 * The load pattern of RENDER-NOTES §5: a temporary file beside the
 * target (kt_render_tmp), journal off, synchronous off, an exclusive
 * lock, one transaction, one prepared statement per table bound and
 * stepped per row, the indexes built after the rows, then a rename.  A
 * failed export leaves nothing behind.
 *
 * One pass over the events of the selection's window reach (window.h:
 * the timeline needs the states before the window and the syscall
 * records after it) writes the ev_<kind> rows of the selected events
 * and feeds the timeline (thread_state, tcp_connections, signals), the
 * switches (sched_slice), the names and the causal graph; the task
 * table then gives process and thread, and the critical paths are
 * explained last, each from its own window.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "export_int.h"

/* ---------------------------------------------------------------- meta */

static int meta_int(struct kt_sq *sq, const char *key, __s64 v)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_META];

	kt_sq_cstr(i, key);
	kt_sq_int(i, v);
	return kt_sq_row(sq, i);
}

static int meta_str(struct kt_sq *sq, const char *key, const char *v)
{
	struct kt_sq_ins *i = &sq->tab[KT_SQ_META];

	kt_sq_cstr(i, key);
	kt_sq_cstr(i, v);
	return kt_sq_row(sq, i);
}

/* the capture's metadata as dotted keys ("host.hostname"); arrays as
 * their JSON text */
static int meta_json(struct kt_sq *sq, const char *prefix, const json_t *j)
{
	char key[256];
	const char *k;
	json_t *v;
	char *text;
	int rc = 0;

	if (!json_is_object(j)) {
		switch (json_typeof(j)) {
		case JSON_STRING:
			return meta_str(sq, prefix, json_string_value(j));
		case JSON_INTEGER:
			return meta_int(sq, prefix, json_integer_value(j));
		case JSON_TRUE:
		case JSON_FALSE:
			return meta_int(sq, prefix, json_is_true(j));
		case JSON_NULL:
			return meta_str(sq, prefix, NULL);
		default:
			text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
					  JSON_ENCODE_ANY);
			if (!text)
				return kt_sq_fail(sq, SQLITE_NOMEM,
						  "out of memory");
			rc = meta_str(sq, prefix, text);
			free(text);
			return rc;
		}
	}
	json_object_foreach((json_t *)j, k, v) {
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "",
			 k);
		rc = meta_json(sq, key, v);
		if (rc)
			break;
	}
	return rc;
}

static int families(struct kt_sq *sq)
{
	char buf[256];
	size_t len = 0;

	buf[0] = 0;
	for (unsigned f = 0; f < KT_FAM_MAX && len < sizeof(buf); f++)
		if (kt_xsel_family(&sq->sel, f))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%s%s", len ? "," : "",
						kt_family_name(f));
	return meta_str(sq, "export.families", buf);
}

int kt_sq_meta(struct kt_sq *sq, struct kt_reader *r)
{
	const struct kt_xsel *s = &sq->sel;
	struct kt_info info;
	int rc;

	kt_reader_info(r, &info);
	rc = meta_json(sq, "", kt_reader_meta(r));
	if (!rc)
		rc = meta_int(sq, "first_ts", (__s64)s->first_ts);
	if (!rc)
		rc = meta_int(sq, "last_ts", (__s64)s->last_ts);
	if (!rc)
		rc = meta_int(sq, "capture.events", (__s64)info.events);
	if (!rc)
		rc = meta_int(sq, "capture.format_minor", info.minor);
	if (!rc)
		rc = meta_int(sq, "export.from", (__s64)s->w.from);
	if (!rc)
		rc = meta_int(sq, "export.to", (__s64)s->w.to);
	if (!rc)
		rc = s->o.pid ? meta_int(sq, "export.pid", s->o.pid) :
		     meta_str(sq, "export.pid", NULL);
	if (!rc)
		rc = families(sq);
	if (!rc)
		rc = meta_int(sq, "export.events", (__s64)sq->events);
	if (!rc)
		rc = meta_int(sq, "export.schema_version",
			      KT_SQL_SCHEMA_VERSION);
	if (!rc)
		rc = meta_str(sq, "export.ktrail_version", KT_VERSION);
	return rc;
}

/* wall_clock: the pieces of kt_anchors_to_wall's map (sql_schema.c
 * WALL_NS); before the first anchor and after the last, that anchor's
 * offset (drift 0). */
static int wall_row(struct kt_sq *sq, struct kt_sq_ins *i, __s64 lo,
		    const struct kt_anchor *a, __s64 span, __s64 drift)
{
	__int128 n = drift ? ((__int128)lo - (__int128)a->mono_ns) * drift : 0;
	__int128 q = n / span, r = n % span;

	if (r < 0) {            /* floor division */
		q--;
		r += span;
	}
	kt_sq_int(i, lo);
	kt_sq_int(i, (__s64)a->mono_ns);
	kt_sq_int(i, a->real_ns);
	kt_sq_int(i, span);
	kt_sq_int(i, drift);
	kt_sq_int(i, (__s64)q);
	kt_sq_int(i, (__s64)r);
	return kt_sq_row(sq, i);
}

/* the piece from anchor @a to @b, split so that e * drift (e < the
 * split's length) and r + e * drift stay within 62 bits */
static int wall_piece(struct kt_sq *sq, struct kt_sq_ins *i,
		      const struct kt_anchor *a, const struct kt_anchor *b)
{
	__s64 span = (__s64)(b->mono_ns - a->mono_ns);
	__s64 drift = (b->real_ns - a->real_ns) - span;
	__u64 mag = drift < 0 ? -(__u64)drift : (__u64)drift;
	__u64 step = mag ? (1ULL << 61) / mag : (__u64)span;
	int rc = 0;

	if (!step)
		step = 1;
	for (__u64 off = 0; !rc && off < (__u64)span; off += step)
		rc = wall_row(sq, i, (__s64)(a->mono_ns + off), a, span, drift);
	return rc;
}

static int wall_clock(struct kt_sq *sq, struct kt_reader *r)
{
	const struct kt_anchors *an = kt_reader_anchors(r);
	struct kt_sq_ins ins;
	int rc;

	if (!an || !an->n)
		return 0;
	rc = kt_sq_ins_prepare(sq, &ins, "INSERT OR REPLACE INTO wall_clock "
			       "VALUES(?,?,?,?,?,?,?)", false);
	/* capture-clock times are >= 0: the first piece starts there */
	if (!rc && an->a[0].mono_ns > 0)
		rc = wall_row(sq, &ins, 0, &an->a[0], 1, 0);
	for (size_t k = 0; !rc && k + 1 < an->n; k++)
		if (an->a[k + 1].mono_ns > an->a[k].mono_ns)
			rc = wall_piece(sq, &ins, &an->a[k], &an->a[k + 1]);
	if (!rc)
		rc = wall_row(sq, &ins, (__s64)an->a[an->n - 1].mono_ns,
			      &an->a[an->n - 1], 1, 0);
	kt_sq_ins_release(&ins);
	return rc;
}

/* ---------------------------------------------------------------- pass */

/* Whether the timeline tables are built: sched is selected and the
 * capture has switches. */
static bool derive(const struct kt_sq *sq, const struct kt_info *info)
{
	return kt_xsel_family(&sq->sel, KT_FAM_SCHED) &&
	       info->kind_events[KT_SCHED_SWITCH];
}

static int setup(struct kt_sq *sq, struct kt_reader *r, __u64 *start,
		 __u64 *stop)
{
	struct kt_graph_opts go = { 0 };
	struct kt_tl_opts to = { 0 };
	struct kt_info info;

	kt_reader_info(r, &info);
	sq->derive = derive(sq, &info);
	sq->span_id = info.events + 1;
	kt_window_reach(&sq->sel.w, &info, start, stop);
	if (!sq->derive) {
		/* no timeline: only the selected events are read */
		*start = sq->sel.w.from;
		kt_reader_filter(r, sq->sel.o.kinds, sq->sel.o.pid, 0);
		return 0;
	}
	kt_reader_filter(r, 0, 0, 0);
	kt_window_tl_opts(r, &sq->sel.w, &to);
	sq->tl = kt_tl_new(&to, &kt_sq_tl_ops, sq);
	go.from = sq->sel.w.from;
	go.to = sq->sel.w.to;
	go.tl = to;
	sq->graph = kt_graph_new(&go);
	if (!sq->tl || !sq->graph)
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	return 0;
}

/* what an event feeds besides its own row */
static int derived(struct kt_sq *sq, const struct kt_event *ev)
{
	int rc;

	rc = kt_tl_event(sq->tl, ev, sq->tasks);
	if (rc > 0)
		rc = -ECANCELED;
	if (rc < 0)
		return sq->err->code == rc ? rc :
		       kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	if (kt_graph_event(sq->graph, ev, sq->tasks))
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	if (ev->kind == KT_SCHED_SWITCH)
		return kt_sq_sched(sq, ev);
	return 0;
}

static int one_event(struct kt_sq *sq, const struct kt_event *ev)
{
	int rc = 0;

	if (sq->derive && (rc = derived(sq, ev)))
		return rc;
	rc = kt_sq_names(sq, ev);
	if (rc || !kt_xsel_event(&sq->sel, ev))
		return rc;
	sq->events++;
	rc = kt_sq_event(sq, ev, ++sq->next_id);
	if (!rc && ev->kind == KT_SYSCALL && sq->derive)
		rc = kt_sq_span_note(sq, ev, sq->next_id);
	if (!rc && ev->kind == KT_LOST)
		rc = kt_sq_lost_note(sq, ev);
	return rc;
}

static int read_events(struct kt_sq *sq, struct kt_reader *r)
{
	const struct kt_event *ev;
	__u64 start, stop, last = 0;
	int rc;

	rc = setup(sq, r, &start, &stop);
	if (!rc)
		rc = kt_reader_seek(r, start, sq->err);
	sq->tasks = kt_reader_tasks(r);
	if (!rc)
		rc = kt_sq_names_start(sq, start);
	while (!rc && (rc = kt_reader_next(r, &ev, sq->err)) > 0) {
		if (ev->ts > stop) {
			rc = 0;
			break;
		}
		sq->tasks = kt_reader_tasks(r);
		last = ev->ts;
		rc = one_event(sq, ev);
	}
	if (rc < 0)
		return rc;
	if (sq->derive) {
		rc = kt_tl_finish(sq->tl);
		if (!rc)
			rc = kt_sq_sched_finish(sq, last);
	}
	return rc;
}

static const char pragmas[] =
	"PRAGMA journal_mode = OFF;"
	"PRAGMA synchronous = OFF;"
	"PRAGMA locking_mode = EXCLUSIVE;"
	/* 128 MiB of pages; the index builds sort in it and spill to
	 * temporary files (not temp_store MEMORY: sorting 50 M rows in
	 * memory took 2.5 GB) */
	"PRAGMA cache_size = -131072;"
	"BEGIN;";

/* Large pages load a third faster (fewer, fuller B-tree pages to
 * balance) but make the smallest database 64 KiB a table: small captures
 * keep SQLite's default. */
static int page_size(struct kt_sq *sq, struct kt_reader *r)
{
	struct kt_info info;

	kt_reader_info(r, &info);
	return kt_sq_exec(sq, info.events > 1000000 ?
			  "PRAGMA page_size = 65536;" :
			  "PRAGMA page_size = 4096;");
}

static int build(struct kt_sq *sq, struct kt_reader *r)
{
	int rc = page_size(sq, r);

	if (!rc)
		rc = kt_sq_exec(sq, pragmas);

	if (!rc)
		rc = kt_sq_schema(sq);
	if (!rc)
		rc = kt_sq_prepare(sq);
	if (!rc)
		rc = kt_sq_lookups(sq);
	if (!rc)
		rc = read_events(sq, r);
	if (!rc)
		rc = kt_sq_tasks(sq);
	if (!rc)
		rc = kt_sq_lost(sq);
	if (!rc)
		rc = kt_sq_graph(sq);
	if (!rc)
		rc = kt_sq_paths(sq, r);
	if (!rc)
		rc = kt_sq_meta(sq, r);
	if (!rc)
		rc = wall_clock(sq, r);
	if (!rc)
		rc = kt_sq_flush_all(sq);
	if (!rc)
		rc = kt_sq_views(sq);
	if (!rc)
		rc = kt_sq_indexes(sq);
	kt_sq_finalize(sq);
	if (!rc)
		rc = kt_sq_exec(sq, "COMMIT;");
	return rc;
}

static void release(struct kt_sq *sq)
{
	kt_sq_finalize(sq);
	kt_tl_free(sq->tl);
	kt_graph_free(sq->graph);
	kt_sq_paths_release(&sq->paths);
	free(sq->cpus);
	free(sq->lost);
	kt_out_release(&sq->js);
}

int kt_export_sqlite(struct kt_reader *r, const char *path,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err)
{
	struct kt_sq sq = { .err = err };
	struct kt_render_tmp t;
	int rc;

	kt_xsel_init(&sq.sel, r, o);
	if (kt_out_special(path) > 0)
		return kt_err_set(err, -ESPIPE, KT_ERR_OUTPUT, ~0ULL,
				  "not a regular file: a SQLite database needs "
				  "one (--json streams)");
	rc = kt_render_tmp_open(&t, path);
	if (rc)
		return kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s",
				  strerror(-rc));
	if (kt_out_init(&sq.js, -1, 4096)) {
		kt_render_tmp_abort(&t);
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	}
	rc = sqlite3_open_v2(t.tmp, &sq.db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
	rc = rc == SQLITE_OK ? build(&sq, r) :
	     kt_sq_fail(&sq, rc, sq.db ? sqlite3_errmsg(sq.db) : "open");
	release(&sq);
	if (sqlite3_close(sq.db) != SQLITE_OK && !rc)
		rc = kt_sq_fail(&sq, SQLITE_IOERR, "close");
	if (!rc && st) {
		st->events = sq.events;
		st->rows = sq.rows;
		st->bytes = (__u64)lseek(t.fd, 0, SEEK_END);
	}
	if (!rc && (rc = kt_render_tmp_commit(&t)))
		return kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL, "%s",
				  strerror(-rc));
	if (rc)
		kt_render_tmp_abort(&t);
	return rc;
}
