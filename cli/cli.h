/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cli.h - the command line: the subcommands (one file each in cli/, like
 * perf's builtin-*.c) and what they share: the exit status, the one-line
 * messages, and --help.  Only cli/ and ktrail.c include it; library code
 * returns errors and never prints or exits.
 *
 * Every message is one line on stderr of one shape (docs/cli.md):
 *	ktrail CMD: SUBJECT: REASON
 * where SUBJECT is the file (or stdout) or the option at fault, and is
 * left out only when there is none:
 *	ktrail info: x.ktr: at byte 4096: frame checksum mismatch
 *	ktrail info: --jsn: unknown option
 *	ktrail stats: --top '-1': not a number in 0..1000000000
 *	ktrail graph: stdout: No space left on device
 *	ktrail info: x.ktr: warning: 31 events were lost
 * Usage errors add a second line "usage: ...".
 */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <getopt.h>
#include <linux/types.h>
#include "format/format.h"

/* The exit status of every command (docs/cli.md, "Exit status"). */
enum {
	KT_EXIT_OK = 0,         /* success, also a selection that matches
				 * nothing, and a reader that went away */
	KT_EXIT_FINDING = 1,    /* verify, check, diff found something */
	KT_EXIT_USAGE = 2,      /* usage error, unreadable or invalid input */
	KT_EXIT_REFUSED = 3,    /* the system refused while ktrail worked:
				 * permission, attach, memory, an output */
};

/*
 * kt_exit_status - the one mapping from a failure to an exit status:
 * @code (a negative errno) met while doing @what.  -ENOMEM is
 * KT_EXIT_REFUSED whatever was being done; -EPIPE on an output (the
 * reader went away: `| head`) is KT_EXIT_OK; otherwise an input is
 * KT_EXIT_USAGE and an output or the system KT_EXIT_REFUSED.  0 is 0.
 */
int kt_exit_status(int code, enum kt_err_what what);

/*
 * kt_fail - report the failure @code (negative errno) of command @cmd on
 * @subject (a file, "stdout" or an option; NULL: none) and return its
 * exit status.  When @e holds @code (an error record filled by format/
 * or record/), its reason, byte offset and kind are used; otherwise
 * strerror() and @what.  A closed pipe prints nothing (status 0).
 */
int kt_fail(const char *cmd, const char *subject, int code,
	    enum kt_err_what what, const struct kt_err *e);

/* kt_msg - print "ktrail CMD: SUBJECT: MSG" (SUBJECT left out when NULL)
 * on stderr: notes and warnings, and errors that are not an errno. */
void kt_msg(const char *cmd, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kt_usage_error - print "ktrail CMD: MSG" and "usage: USAGE" on stderr;
 * returns KT_EXIT_USAGE.  MSG starts with the option at fault. */
int kt_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kt_opt_error - the usage error for getopt_long's '?' or ':' return value
 * @c (call right after getopt_long, with opterr = 0 and ':' first in the
 * optstring).  Returns KT_EXIT_USAGE. */
int kt_opt_error(const char *cmd, const char *usage, char **argv, int c);

/* kt_help - print @text (the man-style help of a subcommand) on stdout;
 * returns KT_EXIT_OK (write errors are kt_cli_stdout_close's). */
int kt_help(const char *text);

/*
 * The stdout of every command: a stdio stream on fd 1 that keeps the
 * errno of its first failed write.  Plain stdio forgets it: after a write
 * error glibc may drop its buffer, so that the last fflush() succeeds and
 * nothing tells a full disk from a reader that went away.
 */
struct kt_cli_stdout {
	FILE *orig;             /* the stdout it replaces */
	int err;                /* first write error, negative errno, or 0 */
};

/* kt_cli_stdout_open - make stdout such a stream (line-buffered on a
 * terminal); on failure stdout stays as it was. */
void kt_cli_stdout_open(struct kt_cli_stdout *s);

/*
 * kt_cli_stdout_close - flush and close it when command @cmd (NULL:
 * ktrail itself) ends with status @rc, and give stdout back.  A write
 * error (a full disk) prints "ktrail CMD: stdout: REASON" and turns a
 * success into KT_EXIT_REFUSED; a closed pipe is a normal end.  Returns
 * the status.  main() calls it after every command, so a command that
 * prints with stdio only checks for errors that are not stdout's.
 */
int kt_cli_stdout_close(struct kt_cli_stdout *s, const char *cmd, int rc);

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
int cmd_summary(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sql(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif /* KT_CLI_H */
