/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * capture.h - what the commands that read a capture share: opening it,
 * placing the time window, parsing ids, finishing the output.  Each
 * helper prints its one-line error itself and
 * returns the exit status to use (0 = go on).
 */
#ifndef KT_CLI_CAPTURE_H
#define KT_CLI_CAPTURE_H

#include "format/format.h"

/* kt_cli_id - parse a pid/tid option value (1..4294967295) into @v, or
 * print "ktrail CMD: OPT 'S': not an id in 1..4294967295" and return
 * KT_EXIT_USAGE. */
int kt_cli_id(const char *cmd, const char *opt, const char *s, __u32 *v);

/* kt_cli_open - open @path; on failure print the reader's error line
 * and return its exit status (KT_EXIT_USAGE: a missing, unreadable or
 * invalid capture; KT_EXIT_REFUSED: out of memory). */
int kt_cli_open(const char *cmd, const char *path, struct kt_reader **r);

/*
 * A partial capture (a copy cut short, a recorder killed in the middle
 * of a block: format.h KT_READ_PARTIAL) is read up to its last intact
 * frame by kt_cli_open, which warns once:
 *	ktrail CMD: PATH: warning: partial capture, read up to its last
 *	intact frame: at byte OFF: REASON (N intact frames before it);
 *	'ktrail recover PATH' rebuilds its end
 * kt_cli_open_whole - the open of the commands that judge a capture
 * (verify, check, diff): a partial capture is refused with
 *	ktrail CMD: PATH: partial capture: at byte OFF: REASON (...);
 *	'ktrail recover PATH' rebuilds its end, --allow-partial reads ...
 * and KT_EXIT_USAGE (*@r NULL), unless @allow_partial: then it is read
 * with kt_cli_open's warning.  Other failures as kt_cli_open.
 */
int kt_cli_open_whole(const char *cmd, const char *path, bool allow_partial,
		      struct kt_reader **r);

/* kt_cli_time - parse the time @s of option @opt (kt_time_parse against
 * @meta and the first event @first) into @ts, or print "ktrail CMD: OPT
 * 'S': not a time (...)" and return KT_EXIT_USAGE. */
int kt_cli_time(const char *cmd, const char *opt, const char *s,
		const json_t *meta, __u64 first, __u64 *ts);

/*
 * kt_cli_window - resolve --from/--to (NULL = open end) against @r's
 * metadata and first event into @from/@to (0 = open), then seek @r to
 * @from.  Prints one line and returns KT_EXIT_USAGE for a bad time or
 * an empty window, the reader's error for a failed seek.
 */
int kt_cli_window(const char *cmd, const char *path, struct kt_reader *r,
		  const char *from_s, const char *to_s, __u64 *from, __u64 *to);

/* kt_cli_finish - flush @o and turn a source error (@rc, @err) or a write
 * error on stdout into the exit status, printing its one line.  A closed
 * pipe (EPIPE: `| head`) is a normal end. */
struct kt_out;
int kt_cli_finish(const char *cmd, const char *path, int rc,
		  const struct kt_err *err, struct kt_out *o);

/* What a listing command selected (every field 0/NULL: not given). */
struct kt_cli_sel {
	__u64 from, to;         /* the window, resolved (kt_cli_window) */
	__u32 pid, tid;
	const char *comm;
	__u64 kinds;            /* the kinds asked for: -e, or what a stats
				 * tool reads */
	bool given;             /* another narrowing (a tool's option) */
};

/*
 * kt_cli_nothing - the note of a listing command whose output is empty
 * (it still exits 0): says on stderr why when it can tell, the first
 * that holds of
 *	window [+2 s, …] is after the capture's end (+1.76 s)
 *	window […, -1 s] ends before the capture's first event
 *	family syscall was not recorded (-e sched,proc)
 *	the capture holds no tcp event (older captures: no list of families)
 *	process P is not in the capture / thread T is not in the capture
 *	thread T is not a thread of process P (it is one of process Q)
 * and otherwise "no event matches the selection" when @sel narrowed
 * anything (an empty output without a selection is no mismatch).  @r is
 * the command's reader (a second reader of its file reads the task
 * table; @r's position is not disturbed).
 */
void kt_cli_nothing(const char *cmd, const char *path, struct kt_reader *r,
		    const struct kt_cli_sel *sel);

/* kt_cli_fd_horizon - the note of a command whose fd names read only
 * from @since on (kt_fdnames_limit; nothing when @since is 0): the fds
 * made earlier print as numbers, --fd-history reads it all. */
void kt_cli_fd_horizon(const char *cmd, const char *path,
		       const struct kt_reader *r, __u64 since);

/*
 * kt_cli_timemode - how the text output @o prints instants: --rel (@rel:
 * seconds since @r's first event) or --wall (@wall: ISO-8601 UTC through
 * @r's clock anchors); neither: the capture clock.  Prints one line and
 * returns KT_EXIT_USAGE when both are given or when --wall meets a
 * capture without anchors; 0 otherwise.
 */
struct kt_out;
int kt_cli_timemode(const char *cmd, struct kt_reader *r, bool rel,
		    bool wall, struct kt_out *o);

/* The --rel and --wall lines of a command's --help. */
#define KT_CLI_TIME_HELP \
"    --rel           times in seconds since the capture's first event\n" \
"                    (default: seconds on the capture clock, since boot)\n" \
"    --wall          times as ISO-8601 UTC wall clock, through the\n" \
"                    capture's clock anchors\n"

/* kt_cli_write - write the picture @buf to -o @path whole (render.h,
 * kt_render_write); on failure print "ktrail CMD: PATH: REASON" and
 * return its status (3: an output that cannot be written).  0 on
 * success. */
int kt_cli_write(const char *cmd, const char *path, const void *buf,
		 size_t len);

#endif /* KT_CLI_CAPTURE_H */
