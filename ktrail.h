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

#endif /* KTRAIL_H */
