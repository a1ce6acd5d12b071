// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cli.c - the exit status and the message shape of every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

int kt_exit_status(int code, enum kt_err_what what)
{
	if (!code)
		return KT_EXIT_OK;
	if (code == -ENOMEM)
		return KT_EXIT_REFUSED;
	if (what == KT_ERR_OUTPUT && code == -EPIPE)
		return KT_EXIT_OK;
	return what == KT_ERR_INPUT ? KT_EXIT_USAGE : KT_EXIT_REFUSED;
}

static void prefix(char *buf, size_t n, const char *cmd)
{
	snprintf(buf, n, "ktrail%s%s", cmd ? " " : "", cmd ? cmd : "");
}

int kt_fail(const char *cmd, const char *subject, int code,
	    enum kt_err_what what, const struct kt_err *e)
{
	struct kt_err own = { .code = code, .what = what, .off = ~0ULL };
	char pre[64];

	if (!e || e->code != code)
		e = &own;
	if (!kt_exit_status(e->code, e->what))
		return KT_EXIT_OK;
	prefix(pre, sizeof(pre), cmd);
	kt_err_print(stderr, pre, subject, e);
	return kt_exit_status(e->code, e->what);
}

static void vmsg(const char *cmd, const char *subject, const char *fmt,
		 va_list ap)
{
	char pre[64];

	prefix(pre, sizeof(pre), cmd);
	fprintf(stderr, "%s: ", pre);
	if (subject)
		fprintf(stderr, "%s: ", subject);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void kt_msg(const char *cmd, const char *subject, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, subject, fmt, ap);
	va_end(ap);
}

int kt_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, NULL, fmt, ap);
	va_end(ap);
	fprintf(stderr, "usage: %s\n", usage);
	return KT_EXIT_USAGE;
}

int kt_opt_error(const char *cmd, const char *usage, char **argv, int c)
{
	/* getopt_long leaves optind past the offending word */
	const char *word = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return kt_usage_error(cmd, usage, "%s: needs a value", word);
	if (optopt && strncmp(word, "--", 2))
		return kt_usage_error(cmd, usage, "-%c: unknown option", optopt);
	return kt_usage_error(cmd, usage, "%s: unknown option", word);
}

int kt_help(const char *text)
{
	fputs(text, stdout);
	return KT_EXIT_OK;
}

#define KT_STDOUT_BUF (64 * 1024)

static ssize_t stdout_write(void *cookie, const char *buf, size_t n)
{
	struct kt_cli_stdout *s = cookie;
	size_t off = 0;
	ssize_t w;

	while (off < n) {
		w = write(STDOUT_FILENO, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!s->err)
				s->err = w < 0 ? -errno : -EIO;
			return -1;
		}
		off += w;
	}
	return n;
}

void kt_cli_stdout_open(struct kt_cli_stdout *s)
{
	cookie_io_functions_t io = { .write = stdout_write };
	FILE *f;

	s->orig = stdout;
	s->err = 0;
	f = fopencookie(s, "w", io);
	if (!f)
		return;
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
		KT_STDOUT_BUF);
	stdout = f;
}

int kt_cli_stdout_close(struct kt_cli_stdout *s, const char *cmd, int rc)
{
	int code = 0;

	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		code = s->err ? s->err : errno ? -errno : -EIO;
	if (stdout != s->orig) {
		fclose(stdout);
		stdout = s->orig;
	}
	if (!code)
		return rc;
	code = kt_fail(cmd, "stdout", code, KT_ERR_OUTPUT, NULL);
	return rc ? rc : code;
}

void kt_cli_reset(void)
{
	optind = 0;     /* 0 also re-initializes glibc's internal state */
	opterr = 0;
}
