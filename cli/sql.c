// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sql.c - `ktrail sql`: a query on a capture's cached SQLite export. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "analyze/fmt.h"
#include "cli/capture.h"
#include "render/render.h"

static const char usage[] =
	"ktrail sql FILE QUERY [--csv | --json]";

static const char help[] =
"NAME\n"
"    ktrail sql - run an SQL query on a capture\n"
"\n"
"SYNOPSIS\n"
"    ktrail sql FILE QUERY [--csv | --json]\n"
"\n"
"DESCRIPTION\n"
"    Runs QUERY (one or more SQLite statements) on the SQLite export of\n"
"    FILE (`ktrail export --sqlite`: the tables and views of docs/sql.md)\n"
"    and prints the rows: aligned columns with a header, CSV, or NDJSON.\n"
"\n"
"    The export is built on first use into a cache directory,\n"
"    $XDG_CACHE_HOME/ktrail (~/.cache/ktrail when XDG_CACHE_HOME is not\n"
"    set), created mode 0700; a cache directory owned by another user\n"
"    is refused.  Nothing is written beside the capture.  The cached\n"
"    export is keyed by the capture's device, inode, size, modification\n"
"    time and index checksum: when the capture changes it is exported\n"
"    again (and the older export removed).\n"
"\n"
"    The query runs read-only: it cannot write, attach a database or\n"
"    create a file (an authorizer allows SELECT, functions and the\n"
"    pragmas that describe the schema; SQLITE_DBCONFIG_DEFENSIVE is on).\n"
"\n"
"    Integers print exact (64-bit); a u64 field above INT64_MAX is\n"
"    stored as its two's complement (docs/sql.md \"Values\").  Reals\n"
"    print as SQLite does (15 significant digits), blobs as hex, NULL as\n"
"    nothing (text, CSV) or null (JSON).\n"
"\n"
"OPTIONS\n"
"    --csv           CSV (RFC 4180: CRLF line ends, a header line)\n"
"    --json          one JSON object per row (NDJSON)\n"
"    -h, --help      this page\n"
"\n"
"EXIT STATUS\n"
"    0 success (also a query that returns no row); 2 usage error (no\n"
"    QUERY), a query that SQLite refuses (a syntax error, an unknown\n"
"    table or column: SQLite's message is printed), a statement that is\n"
"    not read-only, or FILE missing, unreadable or not a valid capture;\n"
"    3 out of memory, the cache directory cannot be created or is not\n"
"    private, or stdout cannot be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail sql x.ktr 'SELECT * FROM errors_by_syscall'\n"
"    ktrail sql x.ktr 'SELECT name, count(*) FROM syscalls GROUP BY 1' --csv\n"
"    ktrail sql x.ktr 'SELECT * FROM slow_syscalls LIMIT 5' --json\n";

struct sql_args {
	const char *file, *query;
	enum kt_sql_fmt fmt;
};

static int parse(int argc, char **argv, struct sql_args *a)
{
	static const struct option lo[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum kt_sql_fmt f;
	int c;

	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'j':
			f = c == 'c' ? KT_SQL_CSV : KT_SQL_JSON;
			if (a->fmt && a->fmt != f)
				return kt_usage_error("sql", usage, "--csv and "
						      "--json: choose one");
			a->fmt = f;
			break;
		case 'h':
			return -1;
		default:
			return kt_opt_error("sql", usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("sql", usage, "missing FILE");
	a->file = argv[optind];
	if (optind + 1 >= argc || !argv[optind + 1][0])
		return kt_usage_error("sql", usage, "missing QUERY");
	if (optind + 2 < argc)
		return kt_usage_error("sql", usage, "'%s': unexpected argument",
				      argv[optind + 2]);
	a->query = argv[optind + 1];
	return 0;
}

/* $XDG_CACHE_HOME/ktrail, or ~/.cache/ktrail (the XDG base directory
 * rules: a relative XDG_CACHE_HOME is ignored) */
static int cache_dir(char *buf, size_t n)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	int len;

	if (x && x[0] == '/') {
		len = snprintf(buf, n, "%s/ktrail", x);
	} else {
		if (!home || home[0] != '/') {
			pw = getpwuid(geteuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return -ENOENT;
		len = snprintf(buf, n, "%s/.cache/ktrail", home);
	}
	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

int cmd_sql(int argc, char **argv)
{
	struct sql_args a = { 0 };
	struct kt_sql_db *db = NULL;
	struct kt_reader *r = NULL;
	struct kt_err err = { 0 };
	struct kt_out o = { 0 };
	char dir[PATH_MAX], path[PATH_MAX];
	bool built = false;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? kt_help(help) : rc;
	if (cache_dir(dir, sizeof(dir))) {
		kt_msg("sql", NULL, "no cache directory: set XDG_CACHE_HOME or "
		       "HOME");
		return KT_EXIT_REFUSED;
	}
	/* the partial capture's warning (the cache reads what it reads) */
	rc = kt_cli_open("sql", a.file, &r);
	if (rc)
		return rc;
	kt_reader_close(r);
	if (isatty(STDERR_FILENO) && access(a.file, R_OK) == 0)
		fprintf(stderr, "ktrail sql: %s: exporting to %s (once)...\r",
			a.file, dir);
	rc = kt_sql_cache(a.file, dir, path, sizeof(path), &built, &err);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\033[K");
	if (rc)
		return kt_fail("sql", err.what == KT_ERR_INPUT ? a.file : dir,
			       rc, err.what, &err);
	rc = kt_sql_open(&db, path, &err);
	if (rc)
		return kt_fail("sql", path, rc, KT_ERR_OUTPUT, &err);
	if (kt_out_init(&o, STDOUT_FILENO, 0)) {
		kt_sql_close(db);
		return kt_fail("sql", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	}
	rc = kt_sql_run(db, a.query, a.fmt, &o, NULL, &err);
	if (rc && rc != o.err && err.code == rc)
		rc = kt_fail("sql", "query", rc, KT_ERR_INPUT, &err);
	else
		rc = kt_cli_finish("sql", a.file, rc, &err, &o);
	kt_out_release(&o);
	kt_sql_close(db);
	return rc;
}
