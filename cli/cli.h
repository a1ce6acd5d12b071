/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cli.h - the command line: the subcommands (one file each in cli/, like
 * perf's builtin-*.c) and what they share: exit codes, the one-line error
 * and usage messages, and --help.  Only cli/ and ktrail.c include it;
 * library code returns errors and never prints or exits.
 *
 * Message shapes (lowercase, no full stop, the subject quoted or first):
 *	ktrail info: unknown option '--jsn'
 *	usage: ktrail info FILE [--json]
 *	ktrail: x.ktr: at byte 4096: frame checksum mismatch
 */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stdbool.h>
#include <getopt.h>
#include <linux/types.h>

enum {
	KT_EXIT_OK = 0,
	KT_EXIT_REGRESSION = 1, /* a check or diff found a regression */
	KT_EXIT_USAGE = 2,      /* usage error, unreadable or invalid input */
	KT_EXIT_REFUSED = 3,    /* the system refused: permission, attach */
};

/* kt_usage_error - print "ktrail CMD: MSG" and "usage: USAGE" on stderr;
 * returns KT_EXIT_USAGE. */
int kt_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kt_opt_error - the usage error for getopt_long's '?' or ':' return value
 * @c (call right after getopt_long, with opterr = 0 and ':' first in the
 * optstring).  Returns KT_EXIT_USAGE. */
int kt_opt_error(const char *cmd, const char *usage, char **argv, int c);

/* kt_help - print @text (the man-style help of a subcommand) on stdout;
 * returns KT_EXIT_OK. */
int kt_help(const char *text);

/* kt_error - print "ktrail: MSG" on stderr; returns @code. */
int kt_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kt_cli_reset - reset getopt state before a subcommand parses argv. */
void kt_cli_reset(void);

/* int cmd_<verb>(int argc, char **argv) - in cli/<verb>.c: parse the
 * options (argv[0] is the subcommand name), call into record/, format/,
 * analyze/ and render/, and return the process exit status. */
int cmd_record(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif /* KT_CLI_H */
