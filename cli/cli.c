// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

int kt_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ktrail %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage);
	return KT_EXIT_USAGE;
}

int kt_opt_error(const char *cmd, const char *usage, char **argv, int c)
{
	/* getopt_long leaves optind past the offending word */
	const char *word = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return kt_usage_error(cmd, usage, "option '%s' needs a value",
				      word);
	if (optopt && strncmp(word, "--", 2))
		return kt_usage_error(cmd, usage, "unknown option '-%c'", optopt);
	return kt_usage_error(cmd, usage, "unknown option '%s'", word);
}

int kt_help(const char *text)
{
	fputs(text, stdout);
	return KT_EXIT_OK;
}

int kt_error(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("ktrail: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void kt_cli_reset(void)
{
	optind = 0;     /* 0 also re-initializes glibc's internal state */
	opterr = 0;
}
