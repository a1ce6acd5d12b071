// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_rows.c - rows into SQLite: prepared INSERTs, one row or
 * KT_SQ_BATCH rows per statement run, and SQLite's errors as errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"

int kt_sq_fail(struct kt_sq *sq, int rc, const char *what)
{
	int code;

	switch (rc & 0xff) {
	case SQLITE_FULL: code = -ENOSPC; break;
	case SQLITE_NOMEM: code = -ENOMEM; break;
	case SQLITE_READONLY: code = -EROFS; break;
	case SQLITE_PERM:
	case SQLITE_CANTOPEN: code = -EACCES; break;
	default: code = -EIO;
	}
	if (sq->err && sq->err->code == code)
		return code;    /* the first reason stays */
	return kt_err_set(sq->err, code, KT_ERR_OUTPUT, ~0ULL, "sqlite: %s",
			  what);
}

int kt_sq_exec(struct kt_sq *sq, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(sq->db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	rc = kt_sq_fail(sq, rc, msg ? msg : sqlite3_errmsg(sq->db));
	sqlite3_free(msg);
	return rc;
}

/* "INSERT INTO t VALUES(?,?)" -> "INSERT INTO t VALUES(?,?),(?,?),..." */
static char *batch_sql(const char *insert, int rows)
{
	const char *tuple = strstr(insert, "VALUES");
	size_t head, tl;
	char *s, *p;

	if (!tuple)
		return NULL;
	tuple += 6;
	head = (size_t)(tuple - insert);
	tl = strlen(tuple);
	s = malloc(head + (size_t)rows * (tl + 1) + 1);
	if (!s)
		return NULL;
	memcpy(s, insert, head);
	p = s + head;
	for (int r = 0; r < rows; r++) {
		if (r)
			*p++ = ',';
		memcpy(p, tuple, tl);
		p += tl;
	}
	*p = 0;
	return s;
}

int kt_sq_ins_prepare(struct kt_sq *sq, struct kt_sq_ins *i,
		      const char *insert, bool batch)
{
	char *many = NULL;
	int rc;

	memset(i, 0, sizeof(*i));
	rc = sqlite3_prepare_v3(sq->db, insert, -1, SQLITE_PREPARE_PERSISTENT,
				&i->one, NULL);
	if (rc != SQLITE_OK)
		return kt_sq_fail(sq, rc, sqlite3_errmsg(sq->db));
	i->ncols = sqlite3_bind_parameter_count(i->one);
	if (batch && !(many = batch_sql(insert, KT_SQ_BATCH)))
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	if (many) {
		rc = sqlite3_prepare_v3(sq->db, many, -1,
					SQLITE_PREPARE_PERSISTENT, &i->many,
					NULL);
		free(many);
		if (rc != SQLITE_OK)
			return kt_sq_fail(sq, rc, sqlite3_errmsg(sq->db));
	}
	i->v = calloc((size_t)KT_SQ_BATCH * (size_t)i->ncols, sizeof(*i->v));
	if (!i->v || kt_out_init(&i->bytes, -1, 4096))
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	return 0;
}

void kt_sq_ins_release(struct kt_sq_ins *i)
{
	sqlite3_finalize(i->one);
	sqlite3_finalize(i->many);
	free(i->v);
	kt_out_release(&i->bytes);
	memset(i, 0, sizeof(*i));
}

/* bind @rows rows of values from row @from to @st, run it */
static int run(struct kt_sq *sq, struct kt_sq_ins *i, sqlite3_stmt *st,
	       int from, int rows)
{
	const struct kt_sqv *v = &i->v[from * i->ncols];
	int n = rows * i->ncols, rc = SQLITE_OK;

	for (int k = 0; k < n && rc == SQLITE_OK; k++) {
		const char *p = v[k].type == SQLITE_TEXT ||
				v[k].type == SQLITE_BLOB ?
				i->bytes.buf + v[k].i : NULL;

		switch (v[k].type) {
		case SQLITE_INTEGER:
			rc = sqlite3_bind_int64(st, k + 1, v[k].i);
			break;
		case SQLITE_TEXT:
			rc = sqlite3_bind_text(st, k + 1, p, (int)v[k].n,
					       SQLITE_STATIC);
			break;
		case SQLITE_BLOB:
			rc = sqlite3_bind_blob(st, k + 1, p, (int)v[k].n,
					       SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, k + 1);
		}
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kt_sq_fail(sq, rc, sqlite3_errmsg(sq->db));
	sq->rows += (__u64)rows;
	return 0;
}

int kt_sq_flush(struct kt_sq *sq, struct kt_sq_ins *i)
{
	int rc = 0;

	if (i->bytes.err)
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	if (i->many && i->rows == KT_SQ_BATCH)
		rc = run(sq, i, i->many, 0, i->rows);
	else
		for (int r = 0; !rc && r < i->rows; r++)
			rc = run(sq, i, i->one, r, 1);
	i->rows = 0;
	i->bytes.len = 0;
	return rc;
}

int kt_sq_row(struct kt_sq *sq, struct kt_sq_ins *i)
{
	i->col = 0;
	i->rows++;
	if (i->rows < (i->many ? KT_SQ_BATCH : 1))
		return 0;
	return kt_sq_flush(sq, i);
}
