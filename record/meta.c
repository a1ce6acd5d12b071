// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * meta.c - clock anchors and the capture's start metadata: everything a
 * reader on another machine needs to interpret the file (docs/format.md
 * "Metadata" names the keys).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "format/format.h"
#include "record_int.h"

static __u64 ns_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__u64 kt_mono_ns(void)
{
	return ns_of(CLOCK_MONOTONIC);
}

void kt_clock_now(struct kt_clock *c)
{
	__u64 a, b, best = ~0ULL, real, boot;

	/* the tightest bracket of a few tries: the other clocks were read
	 * within (b - a) of the midpoint */
	for (int i = 0; i < 5; i++) {
		a = ns_of(CLOCK_MONOTONIC);
		real = ns_of(CLOCK_REALTIME);
		boot = ns_of(CLOCK_BOOTTIME);
		b = ns_of(CLOCK_MONOTONIC);
		if (b - a < best) {
			best = b - a;
			c->mono_ns = a + (b - a) / 2;
			c->real_ns = real;
			c->boot_ns = boot;
		}
	}
}

json_t *kt_clock_json(const struct kt_clock *c)
{
	return json_pack("{s:I,s:I,s:I}", "mono_ns", (json_int_t)c->mono_ns,
			 "realtime_ns", (json_int_t)c->real_ns,
			 "boottime_ns", (json_int_t)c->boot_ns);
}

static json_t *read_line_json(const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "re");
	size_t n;

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return json_string(buf);
}

/* "all", or the recorded families as "sched,proc,..." */
static json_t *families_json(__u64 kinds)
{
	char buf[256] = "";
	size_t used = 0;
	__u64 fam_kinds;
	unsigned f, k, n = 0, all = 0;

	for (f = 0; f < KT_FAM_MAX; f++) {
		if (f == KT_FAM_META)
			continue;
		all++;
		fam_kinds = 0;
		for (k = 1; k < KT_KIND_MAX; k++)
			if (kt_kind_info(k) && kt_kind_info(k)->family == f)
				fam_kinds |= KT_KIND_BIT(k);
		if (!(kinds & fam_kinds))
			continue;
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s",
				 n++ ? "," : "", kt_family_name(f));
		if (used >= sizeof(buf))
			break;
	}
	return json_string(n == all ? "all" : buf);
}

static json_t *scope_json(const struct kt_record_opts *o)
{
	char buf[4096] = "";
	size_t used = 0;

	switch (o->scope) {
	case KT_REC_PIDS:
		used = snprintf(buf, sizeof(buf), "pid ");
		for (size_t i = 0; i < o->npids && used < sizeof(buf); i++)
			used += snprintf(buf + used, sizeof(buf) - used, "%s%d",
					 i ? "," : "", o->pids[i]);
		return json_string(buf);
	case KT_REC_CGROUP:
		snprintf(buf, sizeof(buf), "cgroup %s", o->cgroup);
		return json_string(buf);
	case KT_REC_CMD:
		return json_string("command");
	case KT_REC_HOST:
		break;
	}
	return json_string("host");
}

/* record.argv: "ktrail" and the subcommand's argv; with --redact, the
 * words of CMD (after "--") as any exec's argv, ktrail's own options as
 * given (they describe the recording, not the workload). */
static json_t *argv_json(const struct kt_record_opts *o)
{
	json_t *argv = json_array();
	int cmd = o->argc;
	char buf[4096];
	size_t n;

	if (o->cmd && o->cmd >= o->argv && o->cmd < o->argv + o->argc)
		cmd = (int)(o->cmd - o->argv);
	/* the subcommand gets argv from "record" on */
	json_array_append_new(argv, json_string("ktrail"));
	for (int i = 0; i < o->argc; i++) {
		if (i < cmd || !(o->redact & (KT_REDACT_ARGS | KT_REDACT_PATHS))) {
			json_array_append_new(argv, json_string(o->argv[i]));
			continue;
		}
		if (i > cmd && (o->redact & KT_REDACT_ARGS))
			break;
		n = snprintf(buf, sizeof(buf), "%s", o->argv[i]);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		if (memchr(buf, '/', n) && (o->redact & KT_REDACT_PATHS))
			n = kt_redact_path(buf, n, buf);
		json_array_append_new(argv, json_stringn(buf, n));
	}
	return argv;
}

/* host.id: the one given, or this host's default name */
static void host_id_set(json_t *m, const char *given)
{
	json_t *host = json_object_get(m, "host");
	char id[KT_HOST_ID_MAX + 1];
	const char *boot = json_string_value(json_object_get(host, "boot_id"));

	if (given)
		json_object_set_new(host, "id", json_string(given));
	else if (!kt_host_id_default(id, sizeof(id), json_string_value(
			json_object_get(host, "hostname")), boot))
		json_object_set_new(host, "id", json_string(id));
}

json_t *kt_meta_start(const struct kt_record_opts *o, __u64 kinds,
		      const struct kt_clock *anchor, __u32 ncpus)
{
	struct utsname u;
	json_t *m, *rec, *argv = argv_json(o);
	char host[256] = "";

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	rec = json_pack("{s:o,s:o,s:o,s:I,s:b,s:{s:I,s:i},s:I,s:I}",
		"argv", argv,
		"families", families_json(kinds),
		"scope", scope_json(o),
		"start_ns", (json_int_t)anchor->mono_ns,
		"follow", o->follow || o->scope == KT_REC_CMD,
		"buffers", "ring_bytes_per_cpu", (json_int_t)o->ring_bytes,
			   "rings", (int)ncpus,
		"fault_sample", (json_int_t)o->fault_period,
		"flight_ns", (json_int_t)o->flight_ns);
	if (rec && o->flight_ns)
		json_object_set_new(rec, "flight_bytes",
				    json_integer(o->flight_bytes));
	if (rec) {
		/* kernel threads' scheduling events are kept in every scope */
		json_object_set_new(rec, "kthreads", json_true());
		/* tasks in scope carry KT_TASK_INSCOPE (snapshot) or come
		 * from a fork flagged KT_FORK_INSCOPE */
		json_object_set_new(rec, "scope_marks", json_true());
		json_object_set_new(rec, "self_pid", json_integer(getpid()));
		/* syscall records carry what an fd table needs (format 1.2:
		 * pipe and socketpair fds, dup, fcntl, socket, ...) */
		json_object_set_new(rec, "fd_args", json_true());
		/* and mmap, munmap, mprotect, lseek, ioctl and fstat carry
		 * their arguments (format/event.h) */
		json_object_set_new(rec, "more_args", json_true());
		/* and setuid, setgid, setgroups their first (record -u) */
		json_object_set_new(rec, "id_args", json_true());
		/* a TCP socket's move to CLOSE carries its byte counters
		 * (format 1.3, KT_TCP_BYTES) */
		json_object_set_new(rec, "tcp_bytes", json_true());
	}
	if (rec && o->redact)
		json_object_set_new(rec, "redact", kt_redact_json(o->redact));
	if (rec && o->user)
		json_object_set_new(rec, "user", json_string(o->user));
	if (rec && o->syscalls)
		json_object_set_new(rec, "syscalls", json_string(o->syscalls));
	if (rec && o->pcap_iface)
		json_object_set_new(rec, "pcap", json_pack("{s:s,s:i,s:s?}",
			"iface", o->pcap_iface, "snaplen", (int)o->snaplen,
			"filter", o->pcap_filter));
	m = json_pack("{s:s,s:{s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:o},s:{s:s,s:[o]},s:o,s:{s:o}}",
		"ktrail_version", KT_VERSION,
		"host",
		"hostname", host,
		"kernel_release", u.release,
		"kernel_version", u.version,
		"machine", u.machine,
		"boot_id", read_line_json("/proc/sys/kernel/random/boot_id"),
		"cpus", (int)ncpus,
		"online_cpus", (int)sysconf(_SC_NPROCESSORS_ONLN),
		"disks", kt_sys_disks(),
		"clock",
		"source", "CLOCK_MONOTONIC",
		"anchors", kt_clock_json(anchor),
		"record", rec,
		"net", "start", kt_sys_netstat());
	if (m)
		host_id_set(m, o->host_id);
	return m;
}

int kt_meta_end(json_t *m)
{
	json_t *net = json_object_get(m, "net");

	if (!net) {
		net = json_object();
		if (json_object_set_new(m, "net", net))
			return -ENOMEM;
	}
	return json_object_set_new(net, "end", kt_sys_netstat()) ? -ENOMEM : 0;
}
