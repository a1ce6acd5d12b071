// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * info.c - `ktrail info FILE [--json]`: what a capture holds, from its
 * header, index and metadata only (no frame is read).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/capture.h"
#include "format/format.h"
#include "analyze/names.h"
#include "record/record.h"

static const char info_usage[] = "ktrail info FILE [--json]";

static const char info_help[] =
"NAME\n"
"    ktrail info - summarize a capture\n"
"\n"
"SYNOPSIS\n"
"    ktrail info FILE [--json]\n"
"\n"
"DESCRIPTION\n"
"    Prints the host, kernel and command line of the recording, its time\n"
"    range on the capture clock and on the wall clock, the events per kind,\n"
"    the events the kernel lost, the number of frames and the size per\n"
"    event.  Reads only the file's header, index and metadata, so it is\n"
"    instant on captures of any size.  A capture without an index (the\n"
"    recorder did not finish) is read by scanning its blocks, with a\n"
"    warning; 'ktrail recover' rebuilds the index.  A capture cut in the\n"
"    middle of a block (a copy cut short, a recorder killed mid-write) is\n"
"    read up to its last intact frame and shown as partial, with the\n"
"    offset of the incomplete block.  A capture rebuilt by recover says\n"
"    so, with what recover kept and discarded.\n"
"\n"
"OPTIONS\n"
"    --json    one JSON object on one line, with the whole metadata\n"
"    -h, --help\n"
"              this text\n"
"\n"
"EXIT STATUS\n"
"    0 success (also when the reader of stdout goes away); 2 usage error,\n"
"    or FILE missing, unreadable or not a valid capture; 3 out of memory,\n"
"    or stdout could not be written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail info incident.ktr\n"
"    ktrail info incident.ktr --json | jq .lost\n";

static const char *str_at(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long int_at(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* wall_clock - @ts on the wall clock, as ISO-8601 UTC with nanoseconds;
 * 0 when the capture has no clock anchors. */
static int wall_clock(const struct kt_anchors *an, __u64 ts, char *buf,
		      size_t n)
{
	__s64 wall;

	return !kt_anchors_to_wall(an, ts, &wall) && kt_wall_fmt(buf, n, wall);
}

static void secs(char *buf, size_t n, __u64 ns)
{
	snprintf(buf, n, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000));
}

/* command_line - record.argv as a shell would run it again. */
static void command_line(const json_t *meta, char *buf, size_t n)
{
	kt_fmt_shell_argv(buf, n, json_object_get(json_object_get(meta,
		"record"), "argv"));
}

static __u64 lost_total(const json_t *meta, const struct kt_info *info)
{
	long long t = int_at(meta, "lost", "total");

	return t > (long long)info->lost ? (__u64)t : info->lost;
}

/* lost.causes (format 1.1 recorders): each cause with a count, and the
 * programs whose runs were skipped. */
static void print_causes(const json_t *meta)
{
	const json_t *causes = json_object_get(json_object_get(meta, "lost"),
					       "causes");
	const char *key, *prog;
	json_t *v, *n;

	json_object_foreach((json_t *)causes, key, v) {
		if (int_at(v, "total", NULL) <= 0)
			continue;
		printf("  cause %-12s %12lld  %s\n", key, int_at(v, "total", NULL),
		       kt_lost_cause_help(key));
		json_object_foreach(json_object_get(v, "per_prog"), prog, n)
			if (json_is_integer(n) && json_integer_value(n))
				printf("    %-20s %10lld\n", prog,
				       json_integer_value(n));
	}
}

/* recovered - the "recovered" object `ktrail recover` writes in the end
 * metadata, or NULL. */
static const json_t *recovered(const json_t *meta)
{
	const json_t *rec = json_object_get(meta, "recovered");

	return json_is_object(rec) ? rec : NULL;
}

static void print_recovered(const json_t *meta)
{
	const json_t *rec = recovered(meta);

	if (!rec)
		return;
	printf("recovered:  yes, %lld frames kept, %lld events, %lld bytes "
	       "discarded at the tail", int_at(rec, "frames", NULL),
	       int_at(rec, "events", NULL), int_at(rec, "bytes_discarded", NULL));
	if (str_at(rec, "at", NULL))
		printf(", at %s", str_at(rec, "at", NULL));
	printf("\n");
}

/* record.redact and record.missing: what the capture was recorded
 * without, on purpose or for lack of a capability (one line each). */
static void print_privacy(const json_t *meta)
{
	const json_t *rec = json_object_get(meta, "record"), *v;
	const json_t *red = json_object_get(rec, "redact");
	size_t i;

	if (json_array_size(red)) {
		printf("redacted:   ");
		json_array_foreach(red, i, v)
			printf("%s%s", i ? ", " : "", json_string_value(v) ?: "?");
		printf(" (record --redact)\n");
	}
	if (json_is_string(json_object_get(rec, "user")))
		printf("run as:     %s (record -u)\n",
		       json_string_value(json_object_get(rec, "user")));
	json_array_foreach(json_object_get(rec, "missing"), i, v)
		if (json_is_string(v))
			printf("missing:    %s\n", json_string_value(v));
}

/* merge.hosts of a merged capture (ktrail merge): one line per host, and
 * the clock's uncertainty, the largest of the hosts' */
static void print_hosts(const json_t *meta)
{
	const json_t *hosts = json_object_get(json_object_get(meta, "merge"),
					      "hosts"), *h;
	long long unc = 0;
	size_t i;

	if (!json_is_array(hosts) || !json_array_size(hosts))
		return;
	printf("hosts:      %zu, merged (clock of %s; thread ids host << 22 | tid)\n",
	       json_array_size(hosts),
	       str_at(json_array_get(hosts, 0), "id", NULL) ?: "?");
	printf("  %-16s %-5s %-9s %-8s %14s %14s %10s %6s  %s\n", "host",
	       "index", "boot", "cpus", "offset_ns", "uncertainty_ns",
	       "events", "lost", "source");
	json_array_foreach(hosts, i, h) {
		char cpus[32];
		long long cb = int_at(h, "cpu_base", NULL);

		snprintf(cpus, sizeof(cpus), "%lld-%lld", cb,
			 cb + int_at(h, "cpus", NULL) - 1);
		printf("  %-16s %-5zu %-9.8s %-8s %+14lld %14lld %10lld %6lld  %s\n",
		       str_at(h, "id", NULL) ?: "?", i,
		       str_at(h, "boot_id", NULL) ?: "?", cpus,
		       int_at(h, "offset_ns", NULL),
		       int_at(h, "uncertainty_ns", NULL),
		       int_at(h, "events", NULL), int_at(h, "lost", NULL),
		       str_at(h, "source", NULL) ?: "?");
		if (int_at(h, "uncertainty_ns", NULL) > unc)
			unc = int_at(h, "uncertainty_ns", NULL);
	}
	printf("clock:      aligned to within %lld ns (%s)\n", unc,
	       unc ? "wall-clock anchors; time sync between machines not included"
		   : "one boot: one monotonic clock");
}

/* print_flight - what wrote a flight dump (flight.trigger), and its
 * window. */
static void print_flight(const json_t *meta)
{
	const json_t *fl = json_object_get(meta, "flight");
	const json_t *t = json_object_get(fl, "trigger");
	char why[256];

	if (!json_is_object(fl))
		return;
	printf("flight:     dump of the last %.3g s",
	       int_at(fl, "window_ns", NULL) / 1e9);
	if (json_is_object(t)) {
		kt_trigger_describe(t, why, sizeof(why));
		printf(", written by %s", why);
	}
	printf("\n");
}

static void print_text(const char *path, const struct kt_info *in,
		       const json_t *meta, const struct kt_anchors *an)
{
	const json_t *host = json_object_get(meta, "host");
	const json_t *pf = json_object_get(json_object_get(meta, "lost"),
					   "per_family");
	char a[64], b[64], cmd[1024];
	__u64 lost = lost_total(meta, in);
	const char *key;
	json_t *v;

	printf("file:       %s\n", path);
	printf("format:     %u.%u, %llu bytes%s%s\n", in->major, in->minor,
	       (unsigned long long)in->file_bytes,
	       in->indexed ? "" : ", no index (scanned)",
	       in->finalized ? "" : ", not finalized");
	if (in->partial)
		printf("partial:    yes, read up to byte %llu (%llu bytes at the "
		       "tail unreadable): 'ktrail recover' rebuilds its end\n",
		       (unsigned long long)in->intact_bytes,
		       (unsigned long long)(in->file_bytes - in->intact_bytes));
	print_recovered(meta);
	print_flight(meta);
	if (host) {
		printf("host:       %s (%s, %lld cpus)\n",
		       str_at(host, "hostname", NULL) ?: "?",
		       str_at(host, "machine", NULL) ?: "?",
		       int_at(host, "cpus", NULL));
		printf("kernel:     %s %s\n", str_at(host, "kernel_release", NULL) ?: "?",
		       str_at(host, "kernel_version", NULL) ?: "");
		if (str_at(host, "boot_id", NULL))
			printf("boot id:    %s\n", str_at(host, "boot_id", NULL));
	}
	print_hosts(meta);
	command_line(meta, cmd, sizeof(cmd));
	if (cmd[0])
		printf("command:    %s\n", cmd);
	if (str_at(meta, "ktrail_version", NULL))
		printf("recorder:   ktrail %s\n", str_at(meta, "ktrail_version", NULL));
	if (str_at(meta, "record", "families") || str_at(meta, "record", "scope"))
		printf("selection:  families %s, scope %s\n",
		       str_at(meta, "record", "families") ?: "?",
		       str_at(meta, "record", "scope") ?: "?");
	print_privacy(meta);
	if (in->frames) {
		secs(a, sizeof(a), in->first_ts);
		secs(b, sizeof(b), in->last_ts);
		printf("time:       %s .. %s s (capture clock)\n", a, b);
		if (!an->n)
			printf("wall clock: unknown (no clock anchors in the "
			       "metadata)\n");
		else if (wall_clock(an, in->first_ts, a, sizeof(a)) &&
			 wall_clock(an, in->last_ts, b, sizeof(b)))
			printf("wall clock: %s .. %s\n", a, b);
		secs(a, sizeof(a), in->last_ts - in->first_ts);
		printf("duration:   %s s\n", a);
	}
	printf("events:     %llu in %llu frames\n", (unsigned long long)in->events,
	       (unsigned long long)in->frames);
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (in->kind_events[k])
			printf("  %-18s %12llu\n", kt_kind_info(k)->name,
			       (unsigned long long)in->kind_events[k]);
	if (lost) {
		printf("lost:       %llu events: THE CAPTURE IS INCOMPLETE\n",
		       (unsigned long long)lost);
		json_object_foreach((json_t *)pf, key, v)
			if (json_is_integer(v) && json_integer_value(v))
				printf("  %-18s %12lld\n", key, json_integer_value(v));
		print_causes(meta);
	} else {
		printf("lost:       0\n");
	}
	if (int_at(meta, "record", "bad_records") > 0)
		printf("bad:        %lld ring records did not parse (a recorder bug): THE CAPTURE IS INCOMPLETE\n",
		       int_at(meta, "record", "bad_records"));
	printf("size:       %llu bytes of frames, %.2f bytes/event\n",
	       (unsigned long long)in->frame_bytes,
	       in->events ? (double)in->frame_bytes / in->events : 0.0);
}

static int print_json(const char *path, const struct kt_info *in,
		      const json_t *meta, const struct kt_anchors *an)
{
	json_t *o = json_object(), *kinds = json_object();
	char a[64];
	char *s;

	if (!o || !kinds)
		goto err;
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (in->kind_events[k])
			json_object_set_new(kinds, kt_kind_info(k)->name,
					    json_integer(in->kind_events[k]));
	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "bytes", json_integer(in->file_bytes));
	snprintf(a, sizeof(a), "%u.%u", in->major, in->minor);
	json_object_set_new(o, "format", json_string(a));
	json_object_set_new(o, "indexed", json_boolean(in->indexed));
	json_object_set_new(o, "finalized", json_boolean(in->finalized));
	json_object_set_new(o, "partial", json_boolean(in->partial));
	if (in->partial)
		json_object_set_new(o, "intact_bytes",
				    json_integer(in->intact_bytes));
	json_object_set_new(o, "recovered", json_boolean(recovered(meta)));
	json_object_set_new(o, "first_ts", json_integer(in->first_ts));
	json_object_set_new(o, "last_ts", json_integer(in->last_ts));
	json_object_set_new(o, "duration_ns",
			    json_integer(in->last_ts - in->first_ts));
	if (in->frames && wall_clock(an, in->first_ts, a, sizeof(a)))
		json_object_set_new(o, "wall_start", json_string(a));
	if (in->frames && wall_clock(an, in->last_ts, a, sizeof(a)))
		json_object_set_new(o, "wall_end", json_string(a));
	json_object_set_new(o, "events", json_integer(in->events));
	json_object_set_new(o, "kinds", kinds);
	json_object_set_new(o, "lost", json_integer(lost_total(meta, in)));
	json_object_set_new(o, "frames", json_integer(in->frames));
	json_object_set_new(o, "frame_bytes", json_integer(in->frame_bytes));
	snprintf(a, sizeof(a), "%.2f",
		 in->events ? (double)in->frame_bytes / in->events : 0.0);
	json_object_set_new(o, "bytes_per_event", json_real(strtod(a, NULL)));
	json_object_set(o, "meta", (json_t *)meta);
	s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(o);
	if (!s)
		return kt_fail("info", path, -ENOMEM, KT_ERR_SYSTEM, NULL);
	puts(s);
	free(s);
	return KT_EXIT_OK;
err:
	json_decref(o);
	json_decref(kinds);
	return kt_fail("info", path, -ENOMEM, KT_ERR_SYSTEM, NULL);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kt_reader *r;
	struct kt_info info;
	const char *path;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return kt_help(info_help);
		default:
			return kt_opt_error("info", info_usage, argv, c);
		}
	}
	if (optind >= argc)
		return kt_usage_error("info", info_usage, "missing FILE");
	if (optind + 1 < argc)
		return kt_usage_error("info", info_usage, "'%s': unexpected argument",
				      argv[optind + 1]);
	path = argv[optind];
	rc = kt_cli_open("info", path, &r);
	if (rc)
		return rc;
	kt_reader_info(r, &info);
	if (!info.indexed && !info.partial)
		kt_msg("info", path, "warning: no index (the recording did not "
		       "finish?): read by scanning; 'ktrail recover' rebuilds it");
	if (lost_total(kt_reader_meta(r), &info))
		kt_msg("info", path, "warning: %llu events were lost",
		       (unsigned long long)lost_total(kt_reader_meta(r), &info));
	if (json) {
		rc = print_json(path, &info, kt_reader_meta(r),
				kt_reader_anchors(r));
	} else {
		print_text(path, &info, kt_reader_meta(r),
			   kt_reader_anchors(r));
		rc = KT_EXIT_OK;
	}
	kt_reader_close(r);
	return rc;
}
