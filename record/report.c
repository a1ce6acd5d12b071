// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report.c - what a recording says about itself: losses turned into
 * KT_LOST events and end metadata, the progress line, the summary.  Loss
 * is never silent: the summary's loss line is printed even with --quiet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "format/format.h"
#include "record_int.h"

static int add_lost(struct kt_session *s, __u64 now, __u32 cpu, __u32 fam,
		    __u32 cause, __u64 count)
{
	struct kt_event ev = { .kind = KT_LOST, .ts = now, .cpu = cpu };
	int ret;

	ev.lost.family = fam;
	ev.lost.cause = cause;
	ev.lost.count = count;
	ret = kt_writer_add(s->w, &ev);
	if (!ret) {
		s->events++;
		s->kind_events[KT_LOST]++;
		s->lost_fam[fam < KT_FAM_MAX ? fam : KT_FAM_META] += count;
		s->lost_cause[cause] += count;
	}
	return ret;
}

void kt_report_placed(struct kt_session *s, const struct kt_event *ev)
{
	__u32 fam = ev->lost.family < KT_FAM_MAX ? ev->lost.family :
						   KT_FAM_META;

	s->lost_fam[fam] += ev->lost.count;
	s->lost_cause[ev->lost.cause] += ev->lost.count;
	if (ev->cpu < kt_bpf_ncpus(s->b))
		s->lost_placed[ev->cpu * KT_LOST_CAUSES + ev->lost.cause] +=
			ev->lost.count;
}

/*
 * Ring overflows come per CPU and family from the BPF side; programs
 * skipped because they were already running on a CPU (recursion misses)
 * only per program, so they are reported with cpu 0xffff ("unknown");
 * pcap drops are the net family's.  Switch gaps and filtered switches
 * come as KT_LOST records in the rings themselves (kt_report_placed).
 */
int kt_report_lost(struct kt_session *s, __u64 now)
{
	__u64 cur[KT_FAM_MAX], *seen;
	__u32 cpu, f, ncpus = kt_bpf_ncpus(s->b);
	__u32 ifx, lt;
	__u64 d;
	int ret = 0;

	for (cpu = 0; cpu < ncpus && !ret; cpu++) {
		kt_bpf_lost(s->b, cpu, cur);
		seen = &s->lost_seen[cpu * KT_FAM_MAX];
		for (f = 0; f < KT_FAM_MAX && !ret; f++)
			if (cur[f] > seen[f]) {
				ret = add_lost(s, now, cpu, f, KT_LOST_RING,
					       cur[f] - seen[f]);
				seen[f] = cur[f];
			}
	}
	kt_bpf_misses(s->b, cur);
	for (f = 0; f < KT_FAM_MAX && !ret; f++)
		if (cur[f] > s->misses_seen[f]) {
			ret = add_lost(s, now, 0xffff, f, KT_LOST_RECURSION,
				       cur[f] - s->misses_seen[f]);
			s->misses_seen[f] = cur[f];
		}
	if (s->pcap && !ret) {
		kt_pcap_info(s->pcap, &ifx, &lt, &d);
		if (d > s->pcap_lost_seen) {
			ret = add_lost(s, now, 0, KT_FAM_NET, KT_LOST_PCAP,
				       d - s->pcap_lost_seen);
			s->pcap_lost_seen = d;
		}
	}
	return ret;
}

static __u64 total_lost(const struct kt_session *s)
{
	__u64 t = 0;

	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		t += s->lost_fam[f];
	return t;
}

static double cpu_s(const struct rusage *r)
{
	return r->ru_utime.tv_sec + r->ru_utime.tv_usec / 1e6 +
	       r->ru_stime.tv_sec + r->ru_stime.tv_usec / 1e6;
}

void kt_report_progress(struct kt_session *s, __u64 now)
{
	struct kt_writer_stats st;
	struct rusage ru;
	double dt = (now - s->last_tick_ns) / 1e9;

	if (!s->tty || dt <= 0)
		return;
	kt_writer_stats(s->w, &st);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(s->o->msg,
		"\r\033[Kktrail record: %6.1f s  %9.0f events/s  %6.2f MB/s  drops %llu  cpu %4.1f%%",
		(now - s->start.mono_ns) / 1e9,
		(s->events - s->last_events) / dt,
		(st.bytes - s->last_bytes) / dt / 1e6,
		(unsigned long long)total_lost(s),
		100 * (cpu_s(&ru) - cpu_s(&s->last_ru)) / dt);
	fflush(s->o->msg);
	s->progress_shown = true;
	s->last_tick_ns = now;
	s->last_events = s->events;
	s->last_bytes = st.bytes;
	s->last_ru = ru;
}

static void prog_misses(void *ctx, const char *prog, __u32 fam,
			__u64 misses)
{
	(void)fam;
	json_object_set_new(ctx, prog, json_integer(misses));
}

/* lost.causes: each cause's total, per CPU where the kernel side counts
 * it per CPU, per program for recursion misses. */
static json_t *causes_json(struct kt_session *s)
{
	__u32 ncpus = kt_bpf_ncpus(s->b), cpu, f, c;
	json_t *o = json_object(), *cause, *cpus, *progs;
	__u64 n;

	for (c = 0; c < KT_LOST_CAUSES; c++) {
		cause = json_pack("{s:I}", "total", (json_int_t)s->lost_cause[c]);
		if (c == KT_LOST_RECURSION) {
			progs = json_object();
			kt_bpf_misses_foreach(s->b, prog_misses, progs);
			json_object_set_new(cause, "per_prog", progs);
		} else if (c != KT_LOST_PCAP) {
			cpus = json_array();
			for (cpu = 0; cpu < ncpus; cpu++) {
				n = s->lost_placed[cpu * KT_LOST_CAUSES + c];
				for (f = 0; c == KT_LOST_RING && f < KT_FAM_MAX; f++)
					n += s->lost_seen[cpu * KT_FAM_MAX + f];
				json_array_append_new(cpus, json_integer(n));
			}
			json_object_set_new(cause, "per_cpu", cpus);
		}
		json_object_set_new(o, kt_lost_cause_name(c), cause);
	}
	return o;
}

/*
 * attempts.per_cpu_family: what the programs tried to emit, by CPU and
 * family (families with none left out), read once every program stopped
 * and the rings were drained.  Only a capture that holds every event
 * recorded gets it: not a flight dump (a window of the recording), nor one
 * whose recording stopped on an error.
 */
static json_t *attempts_json(struct kt_session *s)
{
	__u32 ncpus = kt_bpf_ncpus(s->b), cpu, f;
	json_t *cpus = json_array(), *row;
	__u64 a[KT_FAM_MAX], total = 0;

	for (cpu = 0; cpus && cpu < ncpus; cpu++) {
		kt_bpf_attempts(s->b, cpu, a);
		row = json_object();
		for (f = 0; row && f < KT_FAM_MAX; f++) {
			if (!a[f] || !kt_family_name(f))
				continue;
			json_object_set_new(row, kt_family_name(f),
					    json_integer(a[f]));
			total += a[f];
		}
		if (json_array_append_new(cpus, row)) {
			json_decref(cpus);
			return NULL;
		}
	}
	return json_pack("{s:o*,s:I}", "per_cpu_family", cpus,
			 "total", (json_int_t)total);
}

json_t *kt_report_end_meta(struct kt_session *s)
{
	__u32 ncpus = kt_bpf_ncpus(s->b), cpu, f;
	json_t *m, *fam, *cpus, *anchors;
	struct kt_clock end;
	__u64 misses = 0, c;

	kt_clock_now(&end);
	fam = json_object();
	cpus = json_array();
	anchors = json_array();
	for (f = 0; f < KT_FAM_MAX; f++) {
		misses += s->misses_seen[f];
		if (kt_family_name(f))
			json_object_set_new(fam, kt_family_name(f),
					    json_integer(s->lost_fam[f]));
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		for (f = 0, c = 0; f < KT_FAM_MAX; f++)
			c += s->lost_seen[cpu * KT_FAM_MAX + f];
		for (f = 0; f < KT_LOST_CAUSES; f++)
			c += s->lost_placed[cpu * KT_LOST_CAUSES + f];
		json_array_append_new(cpus, json_integer(c));
	}
	json_array_append_new(anchors, kt_clock_json(&s->start));
	json_array_append_new(anchors, kt_clock_json(&end));
	m = json_pack("{s:{s:o},s:{s:I,s:I,s:I,s:{s:I,s:I}},s:{s:I,s:o,s:o,s:I,s:I,s:o}}",
		"clock", "anchors", anchors,
		"record",
		"stop_ns", (json_int_t)(s->stop_ns ? s->stop_ns : end.mono_ns),
		"events", (json_int_t)s->events,
		"bad_records", (json_int_t)s->bad_records,
		"unfinished", "syscalls", (json_int_t)s->unfinished,
			      "block_requests", (json_int_t)s->incomplete,
		"lost",
		"total", (json_int_t)total_lost(s),
		"per_cpu", cpus,
		"per_family", fam,
		"recursion_misses", (json_int_t)misses,
		"pcap_dropped", (json_int_t)s->pcap_lost_seen,
		"causes", causes_json(s));
	if (m && s->have_child && s->child_exited)
		json_object_set_new(json_object_get(m, "record"), "exit_status",
				    json_integer(kt_wait_status_exit(s->child_status)));
	if (m && s->missing)
		json_object_set_new(json_object_get(m, "record"), "missing",
				    kt_caps_missing_json(s->missing, s->denied));
	if (m && s->fds)
		json_object_set_new(m, "proc", json_pack("{s:O}", "fds", s->fds));
	if (m && s->stopped && !s->o->flight_ns &&
	    json_object_set_new(m, "attempts", attempts_json(s))) {
		json_decref(m);
		return NULL;
	}
	if (m && kt_meta_end(m)) {
		json_decref(m);
		m = NULL;
	}
	return m;
}

static void print_count(FILE *f, __u64 v)
{
	if (v >= 1000000)
		fprintf(f, "%llu,%03llu,%03llu", (unsigned long long)v / 1000000,
			(unsigned long long)v / 1000 % 1000,
			(unsigned long long)v % 1000);
	else if (v >= 1000)
		fprintf(f, "%llu,%03llu", (unsigned long long)v / 1000,
			(unsigned long long)v % 1000);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

void kt_report_summary(struct kt_session *s, const char *path,
		       const struct kt_rec_size *sz)
{
	FILE *f = s->o->msg;
	__u64 fam[KT_FAM_MAX] = {0}, lost = total_lost(s);
	double secs = ((s->stop_ns ? s->stop_ns : kt_mono_ns()) -
		       s->start.mono_ns) / 1e9;
	unsigned k, n = 0;

	for (k = 1; k < KT_KIND_MAX; k++)
		if (kt_kind_info(k))
			fam[kt_kind_info(k)->family] += s->kind_events[k];
	if (s->progress_shown)
		fputc('\n', f);
	if (!s->o->quiet) {
		fprintf(f, "ktrail record: ");
		print_count(f, s->events);
		fprintf(f, " events in %.1f s, %.2f MB (%.2f bytes/event) -> %s\n",
			secs, sz->file / 1e6,
			s->events ? (double)sz->frames / s->events : 0.0,
			s->o->flight_ns ? "flight dumps" : path);
		fprintf(f, "  ");
		for (k = 0; k < KT_FAM_MAX; k++) {
			if (!fam[k])
				continue;
			fprintf(f, "%s%s ", n++ ? ", " : "", kt_family_name(k));
			print_count(f, fam[k]);
		}
		fprintf(f, "\n");
	}
	if (!lost) {
		if (!s->o->quiet)
			fprintf(f, "  lost: none\n");
		return;
	}
	fprintf(f, "ktrail record: WARNING: ");
	print_count(f, lost);
	fprintf(f, " events were LOST (the kernel could not deliver them):");
	for (k = 0; k < KT_FAM_MAX; k++)
		if (s->lost_fam[k]) {
			fprintf(f, " %s ", kt_family_name(k));
			print_count(f, s->lost_fam[k]);
		}
	fprintf(f, ";");
	for (k = 0, n = 0; k < KT_LOST_CAUSES; k++)
		if (s->lost_cause[k]) {
			fprintf(f, "%s %s ", n++ ? "," : "",
				kt_lost_cause_name(k));
			print_count(f, s->lost_cause[k]);
		}
	if (s->lost_cause[KT_LOST_RING])
		fprintf(f, "; a larger -m (now %llu KiB per CPU) may help",
			(unsigned long long)s->o->ring_bytes >> 10);
	fprintf(f, "\n");
}
