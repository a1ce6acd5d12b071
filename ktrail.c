// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ktrail - a flight recorder for Linux hosts.  This file is only the
 * command table and the dispatch; each command lives in cli/<verb>.c.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "format/format.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd commands[] = {
	/* { "name", cmd_name, "one-line summary" }, in the order of a tour */
	{ "record", cmd_record, "record kernel events into a capture file" },
	{ "info", cmd_info, "summarize a capture: host, time range, events, drops" },
	{ "summary", cmd_summary, "the anomalies of a capture, each with the command that explains it" },
	{ "verify", cmd_verify, "check that a capture agrees with itself (exit 1 if not)" },
	{ "replay", cmd_replay, "print the events in time order (text or NDJSON)" },
	{ "stats", cmd_stats, "bcc-style tools answered from a capture" },
	{ "timeline", cmd_timeline, "per-thread state intervals and spans" },
	{ "graph", cmd_graph, "the causal graph of a time window" },
	{ "why", cmd_why, "the critical path of a slow span, to its root cause" },
	{ "report", cmd_report, "one self-contained HTML or SVG file for an incident ticket" },
	{ "export", cmd_export, "write a capture as SQLite, NDJSON, Chrome trace JSON or pcapng" },
	{ "sql", cmd_sql, "run an SQL query on a capture (its SQLite export, cached)" },
	{ "diff", cmd_diff, "compare two captures of one workload (exit 1 past a threshold)" },
	{ "check", cmd_check, "assert rules on a capture (exit 1 on a violation)" },
	{ "merge", cmd_merge, "join captures of several hosts into one (clocks aligned, TCP paired)" },
	{ "recover", cmd_recover, "rebuild the index of an unfinished capture" },
	{ NULL, NULL, NULL }
};

static const char usage[] = "ktrail [--version] [--help] <command> [<args>]";

static void list_commands(FILE *f)
{
	fprintf(f, "usage: %s\n\ncommands:\n", usage);
	for (const struct cmd *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'ktrail <command> --help' for a command's manual.\n");
}

static const struct cmd *find_command(const char *name)
{
	for (const struct cmd *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void unknown_command(const char *name)
{
	kt_msg(NULL, NULL, "'%s': unknown command", name);
	fprintf(stderr, "usage: %s\n", usage);
}

/* "ktrail help CMD" is "ktrail CMD --help". */
static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;
	char *hargv[] = { NULL, "--help", NULL };

	if (argc < 2) {
		list_commands(stdout);
		return KT_EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return KT_EXIT_USAGE;
	}
	hargv[0] = argv[1];
	kt_cli_reset();
	return c->fn(2, hargv);
}

/*
 * A reader that goes away (`ktrail replay x.ktr | head`) is a normal end,
 * not a signal to die of: writes then fail with EPIPE, which commands
 * treat as the end of their output (exit 0).  `record` must not die of
 * it either with its capture unfinished; the command it runs gets the
 * default back (record/spawn.c).
 */
static void ignore_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

/* Run the command argv[1]; @c is set to the command that ran. */
static int dispatch(int argc, char **argv, const struct cmd **c)
{
	if (argc < 2) {
		list_commands(stderr);
		return KT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("ktrail %s\n", KT_VERSION);
		return KT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		*c = argc > 2 ? find_command(argv[2]) : NULL;
		return cmd_help(argc - 1, argv + 1);
	}
	*c = find_command(argv[1]);
	if (!*c) {
		unknown_command(argv[1]);
		return KT_EXIT_USAGE;
	}
	kt_cli_reset();
	return (*c)->fn(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	struct kt_cli_stdout out;
	const struct cmd *c = NULL;
	int rc;

	ignore_sigpipe();
	kt_cli_stdout_open(&out);
	rc = dispatch(argc, argv, &c);
	return kt_cli_stdout_close(&out, c ? c->name : NULL, rc);
}
