// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cli.h: the one mapping from a failure to an exit status (the table of
 * docs/cli.md), and stdout that remembers why a write failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kt_test.h"
#include "cli/cli.h"

KT_TEST(cli_exit_status_table)
{
	static const struct {
		int code;
		enum kt_err_what what;
		int status;
	} rows[] = {
		{ 0, KT_ERR_INPUT, 0 }, { 0, KT_ERR_OUTPUT, 0 },
		{ -ENOENT, KT_ERR_INPUT, 2 }, { -EACCES, KT_ERR_INPUT, 2 },
		{ -EISDIR, KT_ERR_INPUT, 2 }, { -EBADMSG, KT_ERR_INPUT, 2 },
		{ -EPROTONOSUPPORT, KT_ERR_INPUT, 2 }, { -EIO, KT_ERR_INPUT, 2 },
		{ -EPIPE, KT_ERR_INPUT, 2 },
		{ -ENOMEM, KT_ERR_INPUT, 3 }, { -ENOMEM, KT_ERR_OUTPUT, 3 },
		{ -ENOMEM, KT_ERR_SYSTEM, 3 },
		{ -EACCES, KT_ERR_OUTPUT, 3 }, { -ENOENT, KT_ERR_OUTPUT, 3 },
		{ -ENOSPC, KT_ERR_OUTPUT, 3 }, { -EIO, KT_ERR_OUTPUT, 3 },
		{ -EPIPE, KT_ERR_OUTPUT, 0 },
		{ -EPERM, KT_ERR_SYSTEM, 3 }, { -EINVAL, KT_ERR_SYSTEM, 3 },
		{ -EPIPE, KT_ERR_SYSTEM, 3 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		KT_ASSERT(kt_exit_status(rows[i].code, rows[i].what) ==
			  rows[i].status, "errno %d, what %d: %d, want %d",
			  -rows[i].code, rows[i].what,
			  kt_exit_status(rows[i].code, rows[i].what),
			  rows[i].status);
	return KT_PASS;
}

/* kt_fail takes the kind from an error record that holds the code, and
 * says nothing about a closed pipe. */
KT_TEST(cli_fail_status)
{
	struct kt_err e = { 0 };
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	int a, b, c, d;

	KT_ASSERT(saved >= 0 && null >= 0, "dup: %d %d", saved, null);
	fflush(stderr);
	dup2(null, STDERR_FILENO);
	kt_err_set(&e, -EACCES, KT_ERR_OUTPUT, ~0ULL, "%s", "");
	a = kt_fail("test", "x", -EACCES, KT_ERR_INPUT, &e);
	b = kt_fail("test", "x", -EACCES, KT_ERR_INPUT, NULL);
	c = kt_fail("test", "x", -ENOENT, KT_ERR_INPUT, &e);  /* not e's */
	d = kt_fail("test", "stdout", -EPIPE, KT_ERR_OUTPUT, NULL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(null);
	KT_ASSERT(a == 3 && b == 2 && c == 2 && d == 0, "%d %d %d %d",
		  a, b, c, d);
	return KT_PASS;
}

/* stdout on a full disk: the reason survives glibc dropping its buffer
 * (one write larger than the buffer fails inside fputs, and the last
 * fflush then succeeds). */
KT_TEST(cli_stdout_full)
{
	static char big[200000];
	struct kt_cli_stdout out;
	int saved_out, saved_err, full, null, rc;

	full = open("/dev/full", O_WRONLY);
	KT_SKIP_IF(full < 0, "no /dev/full");
	null = open("/dev/null", O_WRONLY);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(full, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	memset(big, 'x', sizeof(big) - 1);
	kt_cli_stdout_open(&out);
	fputs(big, stdout);
	rc = kt_cli_stdout_close(&out, "test", KT_EXIT_OK);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	close(full);
	close(null);
	KT_ASSERT(rc == KT_EXIT_REFUSED && out.err == -ENOSPC,
		  "status %d, err %d", rc, out.err);
	return KT_PASS;
}
