/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * record.h - the recorder: loads the BPF programs of bpf/, drains their
 * per-CPU rings into a capture file through format/'s writer, and stops on
 * a duration, a signal or the end of a command.  This header is the whole
 * interface of record/; cli/record.c is only option parsing around it.
 */
#ifndef KT_RECORD_H
#define KT_RECORD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>
#include "format/format.h"

enum kt_rec_scope {
	KT_REC_HOST = 0,        /* whole host (ktrail itself excluded) */
	KT_REC_PIDS,            /* -p PID[,PID...] (+ --follow) */
	KT_REC_CGROUP,          /* --cgroup PATH (cgroup v2) */
	KT_REC_CMD,             /* -- CMD ARGS: the command and descendants */
};

/* --trigger conditions (flight mode) */
#define KT_TRIG_OOM 0x1         /* an OOM victim was chosen */
#define KT_TRIG_EXIT 0x2        /* a process in scope exited non-zero */
#define KT_TRIG_SIGNAL 0x4      /* signal trigger_signo was generated */
/* what else writes a flight dump (flight.trigger.kind, never --trigger) */
#define KT_TRIG_REQUEST 0x100   /* SIGUSR1 to the recorder */
#define KT_TRIG_END 0x200       /* the recording ended */

/*
 * kt_trigger_describe - one line for the flight.trigger object @t of a
 * dump's metadata (docs/format.md): "exit: pid 123 exited with code 3",
 * "oom: victim pid 9 (memhog)", "end: the command (pid 7) exited with
 * code 0", ...  Used by the recorder's announcement and by `info`.
 */
void kt_trigger_describe(const json_t *t, char *buf, size_t n);

/* --redact: what record drops before anything reaches the file
 * (docs/record.md "Redaction") */
#define KT_REDACT_ARGS 0x1      /* argv beyond argv[0] */
#define KT_REDACT_PATHS 0x2     /* path strings, keeping their depth */
#define KT_REDACT_PAYLOAD 0x4   /* packet bytes past the headers */

struct kt_record_opts {
	const char *out;        /* capture path, created with O_EXCL */
	bool force;             /* remove an existing @out first */
	bool keep_old;          /* rename an existing @out to @out.old
				 * first (record without -o) */
	__u64 kind_mask;        /* KT_KIND_BIT()s to record */
	enum kt_rec_scope scope;
	const pid_t *pids;      /* KT_REC_PIDS */
	size_t npids;
	bool follow;            /* KT_REC_PIDS: add descendants as they fork */
	const char *cgroup;     /* KT_REC_CGROUP */
	char *const *cmd;       /* KT_REC_CMD: NULL-terminated argv */
	__u64 duration_ns;      /* 0 = until a signal (or CMD's end) */
	__u64 ring_bytes;       /* per CPU, a power of two */
	const char *syscalls;   /* --syscalls: comma-separated names, NULL =
				 * all */
	__u32 fault_period;     /* one fault sample per this many faults */
	__u64 flight_ns;        /* >0: flight recorder of this length */
	__u64 flight_bytes;     /* ... keeping at most this many bytes of
				 * frames (0: no bound but the length) */
	unsigned triggers;      /* KT_TRIG_* */
	__u32 trigger_signo;
	const char *pcap_iface; /* net family: capture packets here */
	__u32 snaplen;
	const char *pcap_filter;
	int zstd_level;         /* 0 = the writer's default */
	unsigned redact;        /* KT_REDACT_* */
	const char *user;       /* -u: run CMD as this user (name or uid) */
	const char *host_id;    /* metadata host.id (kt_host_id_valid), NULL
				 * = kt_host_id_default() of this host */
	bool quiet;             /* no progress line, no summary */
	FILE *msg;              /* warnings, progress, summary (stderr) */
	int argc;               /* the exact command line, for the metadata */
	char **argv;
};

struct kt_record_result {
	bool cmd_ran;           /* KT_REC_CMD: the command was started */
	int exit_status;        /* KT_REC_CMD: its exit status, 128+N if
				 * killed by signal N */
	__u64 events;
	__u64 lost;             /* events the kernel could not deliver */
	__u64 bytes;            /* capture size */
};

/*
 * kt_record - record until a stop condition, finalize the capture, print
 * the summary (unless quiet).  Returns 0 (the capture is complete, @res
 * filled), or a negative errno with @err filled: err->msg is one line
 * that names the option, file or program at fault, and err->what says
 * whether the input was bad (KT_ERR_INPUT: a pid, cgroup, interface or
 * filter), the capture could not be created or written (KT_ERR_OUTPUT),
 * or the system refused (KT_ERR_SYSTEM: capabilities, load, attach).  A
 * capture opened before the failure is finalized with what it holds.
 */
int kt_record(const struct kt_record_opts *o, struct kt_record_result *res,
	      struct kt_err *err);

/*
 * kt_record_syscalls_parse - check a --syscalls list ("read,write,openat")
 * against this architecture's syscall names.  Returns 0, or -EINVAL with
 * the unknown name copied to @bad.
 */
int kt_record_syscalls_parse(const char *list, char *bad, size_t badsz);

/*
 * kt_redact_parse - add the KT_REDACT_* bits of a --redact list
 * ("args,paths") to @mask.  Returns 0, or -EINVAL with the unknown word
 * copied to @bad.
 */
int kt_redact_parse(const char *list, unsigned *mask, char *bad,
		    size_t badsz);

/* kt_wait_status_exit - a waitpid() status as an exit status: the exit
 * code, or 128 + the signal that killed it (as shells, time and strace
 * report it). */
int kt_wait_status_exit(int st);

/* kt_record_size_parse - "64M", "512k", "1G", bytes; rounded up to a power
 * of two of at least one page.  Returns 0 or -EINVAL. */
int kt_record_size_parse(const char *s, __u64 *bytes);

#endif /* KT_RECORD_H */
