/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ktrail.h - the subcommands.  Each cmd_<verb>() parses its options (see
 * format/cli.h) and calls into record/, format/, analyze/ and render/; it
 * returns the process exit status.  argv[0] is the subcommand name.
 */
#ifndef KTRAIL_H
#define KTRAIL_H

#define KT_VERSION "0.1.0"

/* int cmd_<verb>(int argc, char **argv);  -- module/cmd_<verb>.c */
int cmd_record(int argc, char **argv);          /* record/cmd_record.c */
int cmd_info(int argc, char **argv);		/* format/cmd_info.c */
int cmd_recover(int argc, char **argv);		/* format/cmd_recover.c */
int cmd_replay(int argc, char **argv);		/* analyze/cmd_replay.c */
int cmd_stats(int argc, char **argv);		/* analyze/cmd_stats.c */
int cmd_timeline(int argc, char **argv);	/* analyze/cmd_timeline.c */
int cmd_graph(int argc, char **argv);		/* analyze/cmd_graph.c */
int cmd_why(int argc, char **argv);		/* analyze/cmd_why.c */

#endif /* KTRAIL_H */
