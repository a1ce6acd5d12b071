// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_query.c - `ktrail sql`: a query on an export, read-only.
 *
 * The database is opened read-only (SQLITE_OPEN_READONLY, no symbolic
 * link), with PRAGMA query_only, SQLITE_DBCONFIG_DEFENSIVE (no writes to
 * the schema or shadow tables, no fts3_tokenizer) and an authorizer that
 * allows reading only: SELECT, reads of columns, functions, recursive
 * CTEs and the pragmas that describe the schema.  ATTACH (which would
 * create or write files), writes and every other pragma are refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"

struct kt_sql_db {
	sqlite3 *db;
};

static const char *const read_pragmas[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", "function_list", "pragma_list",
	"collation_list", "database_list", "compile_options",
};

static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *db, const char *trigger)
{
	(void)arg, (void)b, (void)db, (void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		for (size_t i = 0; a && i < sizeof(read_pragmas) /
					   sizeof(read_pragmas[0]); i++)
			if (!strcmp(a, read_pragmas[i]))
				return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

int kt_sql_open(struct kt_sql_db **out, const char *path, struct kt_err *err)
{
	struct kt_sql_db *d = calloc(1, sizeof(*d));
	int rc;

	*out = NULL;
	if (!d)
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	rc = sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READONLY |
			     SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(d->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
				       NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(d->db, "PRAGMA query_only = 1", NULL, NULL,
				  NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_set_authorizer(d->db, authorize, NULL);
	if (rc != SQLITE_OK) {
		rc = kt_err_set(err, rc == SQLITE_NOMEM ? -ENOMEM : -EIO,
				KT_ERR_INPUT, ~0ULL, "sqlite: %s",
				d->db ? sqlite3_errmsg(d->db) : "open");
		kt_sql_close(d);
		return rc;
	}
	sqlite3_limit(d->db, SQLITE_LIMIT_ATTACHED, 0);
	*out = d;
	return 0;
}

void kt_sql_close(struct kt_sql_db *d)
{
	if (!d)
		return;
	sqlite3_close(d->db);
	free(d);
}

/* ------------------------------------------------------------- values */

static void hex(struct kt_out *o, sqlite3_stmt *st, int c)
{
	kt_out_hexbytes(o, sqlite3_column_blob(st, c),
			(size_t)sqlite3_column_bytes(st, c));
}

static void csv_field(struct kt_out *o, const char *s, size_t n)
{
	bool quote = false;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (!quote) {
		kt_out_mem(o, s, n);
		return;
	}
	kt_out_ch(o, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			kt_out_ch(o, '"');
		kt_out_ch(o, s[i]);
	}
	kt_out_ch(o, '"');
}

/* column @c as text for the text and CSV forms (NULL: nothing) */
static void value_text(struct kt_out *o, sqlite3_stmt *st, int c, bool csv)
{
	const char *s;

	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		return;
	case SQLITE_INTEGER:
		kt_out_s64(o, sqlite3_column_int64(st, c));
		return;
	case SQLITE_BLOB:
		hex(o, st, c);
		return;
	default:        /* REAL as SQLite prints it, TEXT */
		s = (const char *)sqlite3_column_text(st, c);
		if (!s)
			return;
		if (csv)
			csv_field(o, s, (size_t)sqlite3_column_bytes(st, c));
		else
			kt_out_esc(o, s, (size_t)sqlite3_column_bytes(st, c));
	}
}

static void value_json(struct kt_out *o, sqlite3_stmt *st, int c)
{
	const char *s;

	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		kt_out_str(o, "null");
		return;
	case SQLITE_INTEGER:
		kt_out_s64(o, sqlite3_column_int64(st, c));
		return;
	case SQLITE_BLOB:
		kt_out_ch(o, '"');
		hex(o, st, c);
		kt_out_ch(o, '"');
		return;
	case SQLITE_FLOAT:
		s = (const char *)sqlite3_column_text(st, c);
		/* JSON has no Inf or NaN */
		if (!s || strpbrk(s, "IiNn"))
			kt_out_str(o, "null");
		else
			kt_out_str(o, s);
		return;
	default:
		s = (const char *)sqlite3_column_text(st, c);
		kt_out_json(o, s ? s : "", (size_t)sqlite3_column_bytes(st, c));
	}
}

/* --------------------------------------------------------------- forms */

static void csv_row(struct kt_out *o, sqlite3_stmt *st, bool header)
{
	int n = sqlite3_column_count(st);

	for (int c = 0; c < n; c++) {
		if (c)
			kt_out_ch(o, ',');
		if (header) {
			const char *h = sqlite3_column_name(st, c);

			csv_field(o, h ? h : "", h ? strlen(h) : 0);
		} else {
			value_text(o, st, c, true);
		}
	}
	kt_out_str(o, "\r\n");
}

static void json_row(struct kt_out *o, sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st);

	kt_out_jopen(o, '{');
	for (int c = 0; c < n; c++) {
		const char *h = sqlite3_column_name(st, c);

		kt_out_jsep(o);
		kt_out_json(o, h ? h : "", h ? strlen(h) : 0);
		kt_out_ch(o, ':');
		value_json(o, st, c);
	}
	kt_out_jclose(o, '}');
	kt_out_ch(o, '\n');
}

/* The text form: the rows are held (as text, in @cells) to align the
 * columns; numbers right-aligned, the rest left. */
struct table {
	struct kt_out cells;    /* every cell's text, NUL-separated */
	size_t *off;            /* cell offsets, row-major */
	bool *num;
	size_t ncells, cap;
	int ncols;
};

static int table_cell(struct table *t, sqlite3_stmt *st, int c, bool header)
{
	if (t->ncells == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 256;
		size_t *o = realloc(t->off, n * sizeof(*o));
		bool *b = o ? realloc(t->num, n * sizeof(*b)) : NULL;

		if (o)
			t->off = o;
		if (!b)
			return -ENOMEM;
		t->num = b;
		t->cap = n;
	}
	t->off[t->ncells] = t->cells.len;
	if (header) {
		const char *h = sqlite3_column_name(st, c);

		kt_out_str(&t->cells, h ? h : "");
		t->num[t->ncells] = false;
	} else {
		int ty = sqlite3_column_type(st, c);

		value_text(&t->cells, st, c, false);
		t->num[t->ncells] = ty == SQLITE_INTEGER || ty == SQLITE_FLOAT;
	}
	kt_out_ch(&t->cells, 0);
	t->ncells++;
	return t->cells.err;
}

static void table_print(struct table *t, struct kt_out *o)
{
	int *w = calloc((size_t)t->ncols + 1, sizeof(*w));
	size_t rows = t->ncols ? t->ncells / (size_t)t->ncols : 0;

	if (!w) {
		o->err = o->err ? o->err : -ENOMEM;
		return;
	}
	for (size_t k = 0; k < t->ncells; k++) {
		int len = (int)strlen(t->cells.buf + t->off[k]);
		int c = (int)(k % (size_t)t->ncols);

		if (len > w[c])
			w[c] = len;
	}
	for (size_t r = 0; r < rows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			size_t k = r * (size_t)t->ncols + (size_t)c;
			bool last = c + 1 == t->ncols;

			if (c)
				kt_out_str(o, "  ");
			kt_out_strw(o, t->cells.buf + t->off[k],
				    t->num[k] ? w[c] : last ? 0 : -w[c]);
		}
		kt_out_ch(o, '\n');
	}
	free(w);
}

static void table_release(struct table *t)
{
	kt_out_release(&t->cells);
	free(t->off);
	free(t->num);
}

/* ---------------------------------------------------------------- run */

static int step_all(struct kt_sql_db *d, sqlite3_stmt *st, enum kt_sql_fmt fmt,
		    struct kt_out *o, __u64 *rows, struct kt_err *err)
{
	struct table t = { .ncols = sqlite3_column_count(st) };
	int rc = SQLITE_DONE, ret = 0;

	if (fmt == KT_SQL_TEXT && kt_out_init(&t.cells, -1, 4096))
		return kt_err_set(err, -ENOMEM, KT_ERR_SYSTEM, ~0ULL,
				  "out of memory");
	/* the header, also over no rows */
	for (int c = 0; fmt == KT_SQL_TEXT && c < t.ncols; c++)
		if (table_cell(&t, st, c, true))
			ret = -ENOMEM;
	if (fmt == KT_SQL_CSV && t.ncols)
		csv_row(o, st, true);
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW && !o->err) {
		if (fmt == KT_SQL_CSV)
			csv_row(o, st, false);
		else if (fmt == KT_SQL_JSON)
			json_row(o, st);
		for (int c = 0; fmt == KT_SQL_TEXT && c < t.ncols; c++)
			if (table_cell(&t, st, c, false))
				ret = -ENOMEM;
		if (ret)
			break;
		if (rows)
			(*rows)++;
	}
	if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = kt_err_set(err, rc == SQLITE_NOMEM ? -ENOMEM : -EIO,
				 KT_ERR_INPUT, ~0ULL, "%s",
				 sqlite3_errmsg(d->db));
	else if (ret)
		kt_err_set(err, ret, KT_ERR_SYSTEM, ~0ULL, "out of memory");
	if (!ret && fmt == KT_SQL_TEXT)
		table_print(&t, o);
	table_release(&t);
	return ret ? ret : o->err;
}

int kt_sql_run(struct kt_sql_db *d, const char *sql, enum kt_sql_fmt fmt,
	       struct kt_out *o, __u64 *rows, struct kt_err *err)
{
	const char *tail = sql;
	sqlite3_stmt *st;
	int rc = 0;

	while (!rc && tail && *tail) {
		rc = sqlite3_prepare_v2(d->db, tail, -1, &st, &tail);
		if (rc != SQLITE_OK)
			return kt_err_set(err, rc == SQLITE_AUTH ? -EPERM :
					  rc == SQLITE_NOMEM ? -ENOMEM :
					  -EINVAL, KT_ERR_INPUT, ~0ULL, "%s",
					  sqlite3_errmsg(d->db));
		if (!st)        /* only a comment or white space left */
			break;
		rc = step_all(d, st, fmt, o, rows, err);
		sqlite3_finalize(st);
	}
	return rc;
}
