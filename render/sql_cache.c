// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_cache.c - the exports `ktrail sql` queries, kept in a private
 * cache directory (never beside the capture: another user who can write
 * there could plant a database).
 *
 * A cache file is named
 *	<dev>-<ino>-<size>-<mtime ns>-<index crc>-s<schema>.db
 * (hex): the capture's identity and what tells a changed capture, and
 * the export's schema version.  A capture that changed (or a ktrail whose
 * schema changed) finds no file of that name: it is exported again, and
 * the files of older states of the same capture (same dev and ino) are
 * removed.  The export is written to a temporary file in the directory
 * and renamed, so two queries racing both see a whole database.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "export_int.h"

/* mkdir -p @dir, new directories mode 0700 */
static int make_dirs(const char *dir)
{
	char p[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i])
			continue;
		p[i] = 0;
		if (mkdir(p, 0700) && errno != EEXIST)
			return -errno;
		p[i] = i < n ? '/' : 0;
	}
	return 0;
}

/* the cache directory must be ours alone */
static int check_dir(const char *dir, struct kt_err *err)
{
	struct stat st;
	int rc = make_dirs(dir);

	if (rc)
		return kt_err_set(err, rc, KT_ERR_OUTPUT, ~0ULL,
				  "cache directory: %s", strerror(-rc));
	if (lstat(dir, &st))
		return kt_err_set(err, -errno, KT_ERR_OUTPUT, ~0ULL,
				  "cache directory: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return kt_err_set(err, -ENOTDIR, KT_ERR_OUTPUT, ~0ULL,
				  "cache directory: not a directory (a "
				  "symbolic link?)");
	if (st.st_uid != geteuid())
		return kt_err_set(err, -EPERM, KT_ERR_OUTPUT, ~0ULL,
				  "cache directory: owned by uid %u, not by "
				  "this user", (unsigned)st.st_uid);
	if ((st.st_mode & 077) && chmod(dir, 0700))
		return kt_err_set(err, -errno, KT_ERR_OUTPUT, ~0ULL,
				  "cache directory: cannot make it private: "
				  "%s", strerror(errno));
	return 0;
}

/* remove the files of other states of the capture (prefix "dev-ino-") */
static void prune(const char *dir, const char *prefix, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX];
	size_t n = strlen(prefix);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, n) || !strcmp(e->d_name, keep))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) <
		    sizeof(p))
			unlink(p);
	}
	closedir(d);
}

/* a regular file of ours (no link followed) */
static bool usable(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISREG(st.st_mode) &&
	       st.st_uid == geteuid();
}

int kt_sql_cache(const char *capture, const char *dir, char *db_path,
		 size_t n, bool *built, struct kt_err *err)
{
	struct kt_export_opts all = { 0 };
	struct kt_reader *r = NULL;
	char prefix[64], name[160];
	struct kt_info info;
	struct stat st;
	int fd, rc;

	if (built)
		*built = false;
	rc = check_dir(dir, err);
	if (rc)
		return rc;
	fd = open(capture, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kt_err_set(err, -errno, KT_ERR_INPUT, ~0ULL, "%s",
				  strerror(errno));
	if (fstat(fd, &st)) {
		rc = kt_err_set(err, -errno, KT_ERR_INPUT, ~0ULL, "%s",
				strerror(errno));
		goto out;
	}
	rc = kt_reader_open_fd(&r, fd, capture, KT_READ_PARTIAL, err);
	if (rc)
		goto out;
	kt_reader_info(r, &info);
	snprintf(prefix, sizeof(prefix), "%llx-%llx-",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	snprintf(name, sizeof(name), "%s%llx-%llx-%x-s%d.db", prefix,
		 (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
		 (unsigned long long)st.st_mtim.tv_nsec, info.index_crc,
		 KT_SQL_SCHEMA_VERSION);
	if ((size_t)snprintf(db_path, n, "%s/%s", dir, name) >= n) {
		rc = kt_err_set(err, -ENAMETOOLONG, KT_ERR_OUTPUT, ~0ULL,
				"cache directory: name too long");
		goto out;
	}
	if (!usable(db_path)) {
		rc = kt_export_sqlite(r, db_path, &all, NULL, err);
		if (rc)
			goto out;
		prune(dir, prefix, name);
		if (built)
			*built = true;
	}
out:
	kt_reader_close(r);
	close(fd);
	return rc;
}
