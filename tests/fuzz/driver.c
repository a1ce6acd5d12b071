// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * driver.c - replay fuzz inputs without libFuzzer (fuzz-replay, run by
 * `make check`):
 *
 *	fuzz-replay CORPUS            every CORPUS/NAME/ through target NAME
 *	fuzz-replay -t NAME PATH...   files, or directories of them, through
 *	                              target NAME
 *
 * Each input goes through its target's entry point once.  A crash ends
 * the run (the test runner reports it); otherwise prints "PASS
 * fuzz/replay/NAME: N inputs" per target, or FAIL for a directory named
 * after no target or a target with nothing to replay.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/fuzz/fuzz.h"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	fuzz_fn fn;
} targets[] = {
	{ "reader", kt_fuzz_reader },           /* format/ */
	{ "check", kt_fuzz_check },             /* rules of ktrail check */
	{ "time", kt_fuzz_time },               /* times, ids, families */
	{ "threshold", kt_fuzz_threshold },     /* --threshold of diff */
	{ "meta", kt_fuzz_meta },               /* a capture's metadata */
};

static fuzz_fn target(const char *name)
{
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (!strcmp(targets[i].name, name))
			return targets[i].fn;
	return NULL;
}

static int run_file(fuzz_fn fn, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	uint8_t *buf;
	size_t n;

	if (!f || fstat(fileno(f), &sb)) {
		fprintf(stderr, "fuzz-replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(sb.st_size + 1);
	n = buf ? fread(buf, 1, sb.st_size, f) : 0;
	fclose(f);
	if (!buf || n != (size_t)sb.st_size) {
		free(buf);
		return -1;
	}
	fn(buf, n);
	free(buf);
	return 0;
}

static int run_path(fuzz_fn fn, const char *path, long *count)
{
	struct dirent **ents;
	struct stat sb;
	char sub[4096];
	int n, rc = 0;

	if (stat(path, &sb))
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		rc = run_file(fn, path);
		*count += !rc;
		return rc;
	}
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && !rc) {
			snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
			rc = run_path(fn, sub, count);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* replay - @paths through target @name; prints its result line. */
static int replay(const char *name, char **paths, int n)
{
	fuzz_fn fn = target(name);
	long count = 0;

	if (!fn) {
		printf("FAIL fuzz/replay/%s: no fuzz target of that name\n", name);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (run_path(fn, paths[i], &count)) {
			printf("FAIL fuzz/replay/%s: cannot read %s\n", name,
			       paths[i]);
			return 1;
		}
	}
	if (!count) {
		printf("FAIL fuzz/replay/%s: no inputs\n", name);
		return 1;
	}
	printf("PASS fuzz/replay/%s: %ld inputs\n", name, count);
	fflush(stdout);
	return 0;
}

/* replay_corpus - every directory of @dir through the target it names. */
static int replay_corpus(const char *dir)
{
	struct dirent **ents;
	char sub[4096];
	char *one[1] = { sub };
	int n, rc = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		printf("FAIL fuzz/replay: cannot read %s\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", dir, ents[i]->d_name);
			rc |= replay(ents[i]->d_name, one, 1);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "-t"))
		return replay(argv[2], argv + 3, argc - 3);
	if (argc == 2)
		return replay_corpus(argv[1]);
	fprintf(stderr, "usage: fuzz-replay CORPUS | fuzz-replay -t NAME PATH...\n");
	return 2;
}
