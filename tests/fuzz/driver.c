// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * driver.c - replay fuzz inputs without libFuzzer: every file named, or in
 * the directories named, goes through LLVMFuzzerTestOneInput once.  A crash
 * ends the run (the test runner reports it); otherwise prints
 * "PASS fuzz/replay: N inputs", or FAIL when there was nothing to replay.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
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
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int run_path(const char *path, long *count)
{
	struct dirent **ents;
	struct stat sb;
	char sub[4096];
	int n, rc = 0;

	if (stat(path, &sb))
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		rc = run_file(path);
		*count += !rc;
		return rc;
	}
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && !rc) {
			snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
			rc = run_path(sub, count);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	long count = 0;

	for (int i = 1; i < argc; i++) {
		if (run_path(argv[i], &count)) {
			printf("FAIL fuzz/replay: cannot read %s\n", argv[i]);
			return 1;
		}
	}
	if (!count) {
		printf("FAIL fuzz/replay: no inputs\n");
		return 1;
	}
	printf("PASS fuzz/replay: %ld inputs\n", count);
	return 0;
}
