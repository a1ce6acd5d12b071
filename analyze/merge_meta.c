// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * merge_meta.c - the metadata of a merged capture (merge.h
 * kt_merge_meta): the reference's, with what every source must add up
 * to (cpus, lost counts, fd snapshots) and merge.hosts; and the pairing
 * of TCP sockets across hosts by their 4-tuples (merge.peers).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/merge.h"

static long long int_of(const json_t *v)
{
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* a += b for integers, recursively for objects; arrays of @b appended
 * (lost.causes' per_cpu: counted at the cpu bases by the caller) */
static void add_counts(json_t *a, const json_t *b)
{
	const char *k;
	json_t *v, *av;

	json_object_foreach((json_t *)b, k, v) {
		av = json_object_get(a, k);
		if (json_is_integer(v))
			json_object_set_new(a, k, json_integer(int_of(av) +
							       int_of(v)));
		else if (json_is_object(v) && json_is_object(av))
			add_counts(av, v);
		else if (json_is_object(v) && !av)
			json_object_set_new(a, k, json_deep_copy(v));
	}
}

/* lost.per_cpu (and a cause's per_cpu) laid out at the cpu bases */
static json_t *per_cpu(const json_t *const *m, const struct kt_merge_host *h,
		       size_t n, const char *cause)
{
	json_t *out = json_array();
	bool any = false;

	for (size_t i = 0; out && i < n; i++) {
		const json_t *lost = json_object_get(m[i], "lost");
		const json_t *pc = cause ? json_object_get(json_object_get(
			json_object_get(lost, "causes"), cause), "per_cpu") :
			json_object_get(lost, "per_cpu");

		any |= json_is_array(pc);
		for (__u32 c = 0; c < h[i].cpus; c++)
			json_array_append_new(out, json_integer(
				int_of(json_array_get(pc, c))));
	}
	if (!any) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *lost_of(const json_t *const *m, const struct kt_merge_host *h,
		       size_t n)
{
	json_t *lost = json_object(), *causes, *pc;
	const char *k;
	json_t *v;
	__u64 total = 0;

	if (!lost)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const json_t *l = json_object_get(m[i], "lost");
		json_t *c = json_deep_copy(l ? l : json_object());

		json_object_del(c, "per_cpu");
		json_object_foreach(json_object_get(c, "causes"), k, v)
			json_object_del(v, "per_cpu");
		add_counts(lost, c);
		json_decref(c);
		total += h[i].lost;
	}
	json_object_set_new(lost, "total", json_integer((json_int_t)total));
	if ((pc = per_cpu(m, h, n, NULL)))
		json_object_set_new(lost, "per_cpu", pc);
	causes = json_object_get(lost, "causes");
	json_object_foreach(causes, k, v)
		if ((pc = per_cpu(m, h, n, k)))
			json_object_set_new(v, "per_cpu", pc);
	return lost;
}

/* attempts (the BPF programs' own count, ktrail verify's accounting):
 * per_cpu_family laid out at the cpu bases and the totals summed, when
 * every source has them; else none (a source without cannot be
 * accounted for) */
static json_t *attempts_of(const json_t *const *m,
			   const struct kt_merge_host *h, size_t n)
{
	json_t *pcf = json_array(), *one;
	long long total = 0;

	for (size_t i = 0; pcf && i < n; i++) {
		const json_t *a = json_object_get(m[i], "attempts");
		const json_t *pc = json_object_get(a, "per_cpu_family");

		if (!json_is_array(pc) || !json_is_integer(json_object_get(a, "total")))
			goto none;
		total += int_of(json_object_get(a, "total"));
		for (__u32 c = 0; c < h[i].cpus; c++) {
			one = json_is_object(json_array_get(pc, c)) ?
			      json_deep_copy(json_array_get(pc, c)) : json_object();
			if (!one || json_array_append_new(pcf, one))
				goto none;
		}
	}
	return pcf ? json_pack("{s:o,s:I}", "per_cpu_family", pcf, "total",
			       (json_int_t)total) : NULL;
none:
	json_decref(pcf);
	return NULL;
}

/* "socket:[INO]" / "pipe:[INO]" with the host's inode base */
static json_t *fd_target(const char *s, const struct kt_merge_host *h)
{
	unsigned long long ino;
	char end, buf[64];

	if (h->file_base) {
		if (sscanf(s, "socket:[%llu%c", &ino, &end) == 2 && end == ']') {
			snprintf(buf, sizeof(buf), "socket:[%llu]",
				 ino | (unsigned long long)h->file_base);
			return json_string(buf);
		}
		if (sscanf(s, "pipe:[%llu%c", &ino, &end) == 2 && end == ']') {
			snprintf(buf, sizeof(buf), "pipe:[%llu]",
				 ino | (unsigned long long)h->file_base);
			return json_string(buf);
		}
	}
	return json_string(s);
}

/* one process of a source's proc.fds, rewritten */
static json_t *fds_proc(const json_t *p, const struct kt_merge_host *h)
{
	json_t *o = json_deep_copy(p), *fds = json_object_get(o, "fds"), *fd;
	long long ns = int_of(json_object_get(o, "ns"));
	size_t i;

	if (!o)
		return NULL;
	if (ns > 0)
		json_object_set_new(o, "ns", json_integer(ns + h->offset_ns));
	json_array_foreach(fds, i, fd) {
		json_t *t = json_array_get(fd, 2);

		if (json_is_string(t))
			json_array_set_new(fd, 2, fd_target(json_string_value(t), h));
	}
	return o;
}

static json_t *proc_fds(const json_t *const *m, const struct kt_merge_host *h,
			size_t n)
{
	json_t *out = json_pack("{s:{},s:b}", "pids", "truncated", 0);
	json_t *pids = json_object_get(out, "pids"), *v;
	const char *k;
	bool any = false, trunc = false;
	char key[16];

	for (size_t i = 0; out && i < n; i++) {
		const json_t *f = json_object_get(json_object_get(m[i], "proc"),
						  "fds");

		if (!f)
			continue;
		any = true;
		trunc |= json_is_true(json_object_get(f, "truncated"));
		json_object_foreach(json_object_get(f, "pids"), k, v) {
			char *e;
			unsigned long p = strtoul(k, &e, 10);

			if (*e || !p || p >= 1u << KT_MERGE_TID_BITS)
				continue;
			snprintf(key, sizeof(key), "%u",
				 kt_merge_tid(&h[i], (__u32)p));
			json_object_set_new(pids, key, fds_proc(v, &h[i]));
		}
	}
	if (!any) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "truncated", json_boolean(trunc));
	return out;
}

static json_t *host_json(const struct kt_merge_host *h)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:I,s:I}",
		"id", h->id, "hostname", h->hostname, "boot_id", h->boot_id,
		"source", h->source,
		"tid_base", (json_int_t)h->tid_base,
		"cpu_base", (json_int_t)h->cpu_base,
		"cpus", (json_int_t)h->cpus,
		"offset_ns", (json_int_t)h->offset_ns,
		"uncertainty_ns", (json_int_t)h->uncertainty_ns,
		"events", (json_int_t)h->events,
		"lost", (json_int_t)h->lost,
		"clock_sync_dropped", (json_int_t)h->clock_sync_dropped,
		"same_boot", h->same_boot,
		"file_base", (json_int_t)h->file_base,
		"file_ids_filled", (json_int_t)h->file_ids_filled);
}

/* record keys an analysis reads as "every record carries this": true
 * only when every source's has it */
static const char *const shared_flags[] = {
	"fd_args", "more_args", "kthreads", "scope_marks",
};

static void record_of(json_t *meta, const json_t *const *m,
		      const struct kt_merge_host *h, size_t n)
{
	json_t *rec = json_object_get(meta, "record");
	long long start = 0, stop = 0, v;
	bool marks = false;

	if (!json_is_object(rec))
		return;
	for (size_t f = 0; f < sizeof(shared_flags) / sizeof(*shared_flags); f++) {
		bool all = true;

		for (size_t i = 0; i < n; i++)
			all &= json_is_true(json_object_get(json_object_get(
				m[i], "record"), shared_flags[f]));
		if (!all)
			json_object_del(rec, shared_flags[f]);
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *r = json_object_get(m[i], "record");

		marks |= h[i].mark_scope;
		v = int_of(json_object_get(r, "start_ns"));
		if (v > 0 && (!start || v + h[i].offset_ns < start))
			start = v + h[i].offset_ns;
		v = int_of(json_object_get(r, "stop_ns"));
		if (v > 0 && v + h[i].offset_ns > stop)
			stop = v + h[i].offset_ns;
	}
	if (start)
		json_object_set_new(rec, "start_ns", json_integer(start));
	if (stop)
		json_object_set_new(rec, "stop_ns", json_integer(stop));
	/* a host-wide source among scoped ones: its tasks carry the scope
	 * mark, so the merge is scoped as a whole */
	if (marks)
		json_object_set_new(rec, "scope", json_string("merged"));
}

json_t *kt_merge_meta(const json_t *const *m, const struct kt_merge_host *h,
		      size_t n)
{
	json_t *meta = json_deep_copy(m[0]), *host, *hosts, *lost, *fds, *att;
	__u32 cpus = 0;

	if (!meta)
		goto nomem;
	host = json_object_get(meta, "host");
	if (!json_is_object(host)) {
		host = json_object();
		json_object_set_new(meta, "host", host);
	}
	for (size_t i = 0; i < n; i++)
		cpus += h[i].cpus;
	json_object_set_new(host, "id", json_string(h[0].id));
	json_object_set_new(host, "cpus", json_integer(cpus));
	lost = lost_of(m, h, n);
	if (!lost)
		goto nomem;
	json_object_set_new(meta, "lost", lost);
	json_object_del(meta, "attempts");
	if ((att = attempts_of(m, h, n)))
		json_object_set_new(meta, "attempts", att);
	json_object_del(json_object_get(meta, "proc"), "fds");
	if ((fds = proc_fds(m, h, n))) {
		if (!json_object_get(meta, "proc"))
			json_object_set_new(meta, "proc", json_object());
		json_object_set_new(json_object_get(meta, "proc"), "fds", fds);
	}
	record_of(meta, m, h, n);
	hosts = json_array();
	if (!hosts)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(hosts, host_json(&h[i]));
	json_object_set_new(meta, "merge", json_pack("{s:o}", "hosts", hosts));
	if (!json_object_get(meta, "merge"))
		goto nomem;
	return meta;
nomem:
	json_decref(meta);
	errno = ENOMEM;
	return NULL;
}

size_t kt_merge_hosts(const json_t *meta, const char **id, __u32 *tid_base,
		      size_t max)
{
	const json_t *hosts = json_object_get(json_object_get(meta, "merge"),
					      "hosts"), *h;
	size_t i;

	if (!json_is_array(hosts))
		return 0;
	json_array_foreach(hosts, i, h) {
		if (i >= max)
			break;
		if (id)
			id[i] = json_string_value(json_object_get(h, "id")) ?: "?";
		if (tid_base)
			tid_base[i] = (__u32)int_of(json_object_get(h, "tid_base"));
	}
	return json_array_size(hosts);
}

/* ---------------------------------------------------------------- peers */

static int cmp_tuple(const struct kt_merge_tuple *a,
		     const struct kt_merge_tuple *b, bool mirror)
{
	const __u64 *al = a->laddr, *ar = a->raddr;
	__u16 alp = a->lport, arp = a->rport;
	int c;

	if (mirror) {
		al = a->raddr;
		ar = a->laddr;
		alp = a->rport;
		arp = a->lport;
	}
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(al, b->laddr, 16)))
		return c;
	if (alp != b->lport)
		return alp < b->lport ? -1 : 1;
	if ((c = memcmp(ar, b->raddr, 16)))
		return c;
	if (arp != b->rport)
		return arp < b->rport ? -1 : 1;
	return 0;
}

static int cmp_sort(const void *x, const void *y)
{
	const struct kt_merge_tuple *a = x, *b = y;
	int c = cmp_tuple(a, b, false);

	if (c)
		return c;
	if (a->host != b->host)
		return a->host < b->host ? -1 : 1;
	return a->file_id < b->file_id ? -1 : a->file_id > b->file_id;
}

/* the tuples equal to @key (mirrored when @mirror) on hosts other than
 * @host: their range [*lo, *hi) in the sorted @t */
static void find(const struct kt_merge_tuple *t, size_t n,
		 const struct kt_merge_tuple *key, size_t *lo, size_t *hi)
{
	size_t a = 0, b = n;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cmp_tuple(key, &t[mid], true) > 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < n && !cmp_tuple(key, &t[a], true))
		a++;
	*hi = a;
}

/* how many sockets mirror @key on hosts other than its own; the last
 * in @match */
static size_t mirrors(const struct kt_merge_tuple *t, size_t n,
		      const struct kt_merge_tuple *key,
		      const struct kt_merge_tuple **match)
{
	size_t lo, hi, c = 0;

	find(t, n, key, &lo, &hi);
	for (size_t k = lo; k < hi; k++)
		if (t[k].host != key->host) {
			*match = &t[k];
			c++;
		}
	return c;
}

int kt_merge_peers(struct kt_merge_tuple *t, size_t n, json_t *out)
{
	const struct kt_merge_tuple *m = NULL, *back = NULL;
	size_t pairs = 0, u = 0;

	if (!n)
		return 0;
	/* one entry per (tuple, host, socket) */
	qsort(t, n, sizeof(*t), cmp_sort);
	for (size_t i = 0; i < n; i++)
		if (!u || cmp_sort(&t[u - 1], &t[i]))
			t[u++] = t[i];
	n = u;
	for (size_t i = 0; i < n; i++) {
		if (mirrors(t, n, &t[i], &m) != 1 ||
		    mirrors(t, n, m, &back) != 1 || back != &t[i])
			continue;
		/* each pair once: from its lower (host, file id) end */
		if (m->host < t[i].host ||
		    (m->host == t[i].host && m->file_id < t[i].file_id))
			continue;
		if (json_array_append_new(out, json_pack("[I,I]",
				(json_int_t)KT_FILE_ID_INO(t[i].file_id),
				(json_int_t)KT_FILE_ID_INO(m->file_id))))
			return -ENOMEM;
		pairs++;
	}
	return (int)pairs;
}
