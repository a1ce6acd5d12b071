// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The unit-test runner: runs every registered test (or those named on the
 * command line) in name order, each in a forked child so that a crash is one
 * FAIL, not the end of the run.  Exit status 1 if any test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt_test.h"

static struct kt_test *tests;
static char reason[1024];
static char tmpdir[64];

void kt_test_register(struct kt_test *t)
{
	struct kt_test **p = &tests;

	while (*p && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

void kt_test_reason(const char *fmt, ...)
{
	size_t used = strlen(reason);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason + used, sizeof(reason) - used, fmt, ap);
	va_end(ap);
}

const char *kt_test_tmpdir(void)
{
	return tmpdir;
}

/* Run one test in a child; the reason travels back through a pipe. */
static int run_one(const struct kt_test *t, char *why, size_t whysz)
{
	int fd[2], status, rc;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return KT_FAIL;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		reason[0] = 0;
		rc = t->fn();
		if (write(fd[1], reason, strlen(reason)) < 0)
			_exit(KT_FAIL);
		_exit(rc);
	}
	close(fd[1]);
	n = read(fd[0], why, whysz - 1);
	why[n > 0 ? n : 0] = 0;
	close(fd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return KT_FAIL;
	if (WIFSIGNALED(status)) {
		snprintf(why, whysz, "killed by signal %d", WTERMSIG(status));
		return KT_FAIL;
	}
	rc = WEXITSTATUS(status);
	return rc == KT_PASS || rc == KT_SKIP ? rc : KT_FAIL;
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const label[] = { "PASS", "FAIL", "SKIP" };
	char why[sizeof(reason)], cmd[96];
	int failed = 0;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kt-unit.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("kt-unit: mkdtemp");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct kt_test *t = tests; t; t = t->next) {
		if (!wanted(t->name, argc, argv))
			continue;
		int rc = run_one(t, why, sizeof(why));
		failed |= rc == KT_FAIL;
		printf("%s unit/%s%s%s\n", label[rc], t->name, why[0] ? ": " : "", why);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "kt-unit: could not remove %s\n", tmpdir);
	return failed;
}
