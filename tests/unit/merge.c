// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ktrail merge (analyze/merge.h): the rewriting of every identity field
 * of every kind, the clock offset between two boots and its uncertainty,
 * the refusals, the pairing of TCP sockets by 4-tuple, and a whole merge
 * of two synthetic captures read back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "analyze/merge.h"
#include "analyze/timeline_fmt.h"

#define S 1000000000ULL

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

static const struct kt_merge_host host2 = {
	.id = "b", .tid_base = 2u << 22, .cpu_base = 8, .cpus = 4,
	.offset_ns = 1000, .file_base = 2ULL << 50,
};

/* Every kind, every field, from the schema: a field named *_tid, *_pid,
 * *_cpu is moved to the host's tids or cpus, "since" by the offset, the
 * header too, and nothing else changes (syscall arguments are the next
 * test's).  A kind added with such a field fails here until merge.c's
 * table handles it. */
KT_TEST(merge_rewrites_every_identity_field)
{
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);
		struct kt_event ev, out;
		int rc;

		KT_ASSERT(ki, "kind %u has no schema", k);
		memset(&ev, 0, sizeof(ev));
		ev.kind = k;
		ev.ts = 5 * S;
		ev.tid = 4242;
		ev.pid = 4240;
		ev.cpu = 3;
		for (__u32 i = 0; i < ki->nfields; i++)
			kt_field_set(&ev, &ki->fields[i], 1000 + i);
		if (k == KT_SYSCALL)
			ev.sys.nr = SYS_getpid;
		out = ev;
		rc = kt_merge_event(&out, &host2);
		if (k == KT_CLOCK_SYNC) {
			KT_ASSERT(rc == 1, "a non-reference clock_sync is dropped");
			continue;
		}
		KT_ASSERT(rc == 0, "%s: rc %d", ki->name, rc);
		KT_ASSERT(out.ts == 5 * S + 1000 && out.tid == (2u << 22 | 4242) &&
			  out.pid == (2u << 22 | 4240) && out.cpu == 11,
			  "%s: header", ki->name);
		for (__u32 i = 0; i < ki->nfields; i++) {
			const struct kt_field *f = &ki->fields[i];
			const char *n = f->name;
			__u64 v = kt_field_get(&out, f).u, want = 1000 + i;

			if (ends_with(n, "_tid") || ends_with(n, "_pid"))
				want = 2u << 22 | want;
			else if (ends_with(n, "_cpu"))
				want = 8 + want;
			else if (!strcmp(n, "since"))
				want = want + 1000;
			else if (k == KT_SYSCALL && !strcmp(n, "nr"))
				want = SYS_getpid;
			KT_ASSERT(v == want, "%s.%s: %llu, want %llu", ki->name,
				  n, (unsigned long long)v,
				  (unsigned long long)want);
		}
	}
	return KT_PASS;
}

/* The syscall arguments that hold an identity (merge.c's table): kill's
 * target (a process group negative), wait's pid, clone's child, the file
 * id of an fd syscall; -1 and 0 are no ids; tid 0 is the idle task in
 * every host; a tid past 2^22 cannot be placed. */
static struct kt_event *sys(struct kt_event *ev, __u32 nr, __u64 arg0,
			    __s64 ret)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = S;
	ev->kind = KT_SYSCALL;
	ev->tid = ev->pid = 7;
	ev->sys.nr = nr;
	ev->sys.arg[0] = arg0;
	ev->sys.ret = ret;
	return ev;
}

KT_TEST(merge_rewrites_syscall_ids)
{
	struct kt_event ev;
	const __u32 b = 2u << 22;

	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_kill, 1234, 0), &host2) &&
		  ev.sys.arg[0] == (b | 1234) && ev.tid == (b | 7), "kill pid");
	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_kill, (__u64)-77LL, 0), &host2) &&
		  (__s64)ev.sys.arg[0] == -(__s64)(b | 77), "kill group");
	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_kill, (__u64)-1LL, 0), &host2) &&
		  (__s64)ev.sys.arg[0] == -1, "kill -1");
	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_wait4, 0, 0), &host2) &&
		  ev.sys.arg[0] == 0, "wait 0");
	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_wait4, 55, 55), &host2) &&
		  ev.sys.arg[0] == (b | 55) && ev.sys.ret == 55, "wait pid");
	KT_ASSERT(!kt_merge_event(sys(&ev, SYS_clone, 0, 99), &host2) &&
		  ev.sys.ret == (b | 99), "clone child");
	sys(&ev, SYS_read, 3, 5)->sys.arg[2] = KT_FILE_ID(S_IFSOCK, 777);
	KT_ASSERT(!kt_merge_event(&ev, &host2) &&
		  ev.sys.arg[2] == KT_FILE_ID(S_IFSOCK, 777 | (2ULL << 50)) &&
		  ev.sys.ret == 5 && ev.sys.arg[0] == 3, "file id");
	memset(&ev, 0, sizeof(ev));
	ev.kind = KT_SCHED_SWITCH;
	ev.ts = S;
	ev.sw.next_tid = 0;
	KT_ASSERT(!kt_merge_event(&ev, &host2) && !ev.tid && !ev.sw.next_tid,
		  "idle stays 0");
	ev.tid = 1u << 22;
	KT_ASSERT(kt_merge_event(&ev, &host2) == -ERANGE, "tid too large");
	return KT_PASS;
}

static void anchors(struct kt_anchors *an, struct kt_anchor *a, size_t n)
{
	an->a = a;
	an->n = n;
}

/* Two boots: the reference booted 800 s before the other.  Steady clocks
 * give the exact offset, uncertain by the anchors' own 1 us each; a wall
 * clock that ran 400 us fast over the source's 10 s widens it to half
 * that spread. */
KT_TEST(merge_clock_across_boots)
{
	const __s64 w = 1795428000LL * (__s64)S;
	struct kt_anchor ra[] = { { 1000 * S, w, 0 }, { 1010 * S, w + 10 * (__s64)S, 0 } };
	struct kt_anchor sa[] = { { 200 * S, w + 2 * (__s64)S, 0 },
				  { 210 * S, w + 12 * (__s64)S, 0 } };
	struct kt_anchors ref, src;
	__s64 off;
	__u64 unc;

	anchors(&ref, ra, 2);
	anchors(&src, sa, 2);
	KT_ASSERT(!kt_merge_clock(&ref, &src, &off, &unc), "clock");
	KT_ASSERT(off == 802 * (__s64)S, "offset %lld", (long long)off);
	KT_ASSERT(unc == 2 * KT_MERGE_ANCHOR_NS, "uncertainty %llu",
		  (unsigned long long)unc);
	sa[1].real_ns += 400000;
	KT_ASSERT(!kt_merge_clock(&ref, &src, &off, &unc), "clock");
	KT_ASSERT(off == 802 * (__s64)S + 200000, "offset %lld", (long long)off);
	KT_ASSERT(unc == 200000 + 2 * KT_MERGE_ANCHOR_NS, "uncertainty %llu",
		  (unsigned long long)unc);
	anchors(&src, sa, 0);
	KT_ASSERT(kt_merge_clock(&ref, &src, &off, &unc) == -ENOENT, "none");
	return KT_PASS;
}

/* Sockets pair when their tuples mirror each other on two hosts; not on
 * one host, and not when a tuple mirrors two sockets of the other. */
KT_TEST(merge_pairs_tcp_tuples)
{
	struct kt_merge_tuple t[6];
	json_t *out = json_array();
	int np;

	memset(t, 0, sizeof(t));
	for (int i = 0; i < 6; i++)
		t[i].family = AF_INET;
	/* host 0: 10.0.0.1:40000 -> 10.0.0.2:80, socket 11 */
	t[0].laddr[0] = 0x0100000a; t[0].lport = 40000;
	t[0].raddr[0] = 0x0200000a; t[0].rport = 80;
	t[0].host = 0; t[0].file_id = KT_FILE_ID(S_IFSOCK, 11);
	/* host 1: the mirror, socket 22 */
	t[1].laddr[0] = 0x0200000a; t[1].lport = 80;
	t[1].raddr[0] = 0x0100000a; t[1].rport = 40000;
	t[1].host = 1; t[1].file_id = KT_FILE_ID(S_IFSOCK, 22);
	/* the same socket seen twice: one entry */
	t[2] = t[1];
	/* host 0: 10.0.0.1:40001 -> :80, and two mirrors on hosts 1 and 2 */
	t[3] = t[0]; t[3].lport = 40001; t[3].file_id = KT_FILE_ID(S_IFSOCK, 12);
	t[4] = t[1]; t[4].rport = 40001; t[4].file_id = KT_FILE_ID(S_IFSOCK, 23);
	t[5] = t[4]; t[5].host = 2; t[5].file_id = KT_FILE_ID(S_IFSOCK, 33);
	np = kt_merge_peers(t, 6, out);
	KT_ASSERT(np == 1, "%d pairs", np);
	KT_ASSERT(json_integer_value(json_array_get(json_array_get(out, 0), 0)) == 11 &&
		  json_integer_value(json_array_get(json_array_get(out, 0), 1)) == 22,
		  "the pair 11-22");
	json_decref(out);
	/* one host only: nothing */
	memset(t, 0, sizeof(t));
	t[0].family = t[1].family = AF_INET;
	t[0].laddr[0] = 0x0100000a; t[0].lport = 40000;
	t[0].raddr[0] = 0x0200000a; t[0].rport = 80;
	t[0].file_id = KT_FILE_ID(S_IFSOCK, 11);
	t[1].laddr[0] = 0x0200000a; t[1].lport = 80;
	t[1].raddr[0] = 0x0100000a; t[1].rport = 40000;
	t[1].file_id = KT_FILE_ID(S_IFSOCK, 22);
	out = json_array();
	KT_ASSERT(kt_merge_peers(t, 2, out) == 0, "same host");
	json_decref(out);
	return KT_PASS;
}

/* ------------------------------------------------ synthetic captures */

struct cap {
	const char *id, *boot;
	__u64 mono0;            /* its first anchor's mono */
	__s64 wall0;            /* and wall */
	__u32 tid;
	bool anchors;
};

static int write_cap(const char *path, const struct cap *c)
{
	json_t *meta = json_pack("{s:{s:s,s:s,s:i},s:{s:s}}",
		"host", "hostname", "vm", "boot_id", c->boot, "cpus", 2,
		"record", "scope", "host");
	struct kt_task t = { .tid = c->tid, .pid = c->tid, .comm = "srv",
			     .exe = "", .cmdline = "", .cgroup = "",
			     .flags = KT_TASK_SNAPSHOT };
	struct kt_writer *w;
	struct kt_event e;
	int rc;

	if (c->id)
		json_object_set_new(json_object_get(meta, "host"), "id",
				    json_string(c->id));
	if (c->anchors)
		json_object_set_new(meta, "clock", json_pack("{s:[{s:I,s:I}]}",
			"anchors", "mono_ns", (json_int_t)c->mono0,
			"realtime_ns", (json_int_t)c->wall0));
	json_object_set_new(meta, "lost", json_pack("{s:i,s:[i,i]}", "total", 3,
						    "per_cpu", 1, 2));
	rc = kt_writer_open(&w, path, NULL, meta);
	json_decref(meta);
	if (rc)
		return rc;
	rc = kt_writer_task(w, &t);
	for (int i = 0; !rc && i < 3; i++) {
		memset(&e, 0, sizeof(e));
		e.ts = c->mono0 + (__u64)i * S;
		e.kind = KT_SCHED_WAKING;
		e.tid = c->tid;
		e.pid = c->tid;
		e.cpu = 1;
		e.wake.target_tid = c->tid + 1;
		e.wake.target_pid = c->tid;
		rc = kt_writer_add(w, &e);
		if (!c->anchors)
			continue;
		memset(&e, 0, sizeof(e));
		e.ts = c->mono0 + (__u64)i * S + 1;
		e.kind = KT_CLOCK_SYNC;
		e.clk.realtime_ns = (__u64)(c->wall0 + i * (__s64)S + 1);
		if (!rc)
			rc = kt_writer_add(w, &e);
	}
	if (rc) {
		kt_writer_abort(w);
		return rc;
	}
	return kt_writer_close(w, NULL);
}

static int open_all(struct kt_reader **r, const char *const *p, size_t n)
{
	struct kt_err err;

	for (size_t i = 0; i < n; i++)
		if (kt_reader_open(&r[i], p[i], 0, &err))
			return -1;
	return 0;
}

/* The refusals: a capture without anchors, two with one host id. */
KT_TEST(merge_refuses)
{
	char a[256], b[256], c[256];
	const struct cap ca = { "a", "boot-a", 100 * S, 5000 * (__s64)S, 10, true };
	struct cap cb = ca, cc = ca;
	struct kt_reader *r[2] = { 0 };
	struct kt_merge_host h[2];
	const char *p[2];
	const char *ids[2] = { NULL, "c" };
	struct kt_err err;
	size_t bad = 9;

	cb.id = "b";
	cb.anchors = false;
	snprintf(a, sizeof(a), "%s/ra.ktr", kt_test_tmpdir());
	snprintf(b, sizeof(b), "%s/rb.ktr", kt_test_tmpdir());
	snprintf(c, sizeof(c), "%s/rc.ktr", kt_test_tmpdir());
	KT_ASSERT(!write_cap(a, &ca) && !write_cap(b, &cb) && !write_cap(c, &cc),
		  "write");
	p[0] = a;
	p[1] = b;
	KT_ASSERT(!open_all(r, p, 2), "open");
	KT_ASSERT(kt_merge_plan(h, r, p, NULL, 2, &bad, &err) == -EINVAL &&
		  bad == 1 && strstr(err.msg, "no clock anchors"),
		  "no anchors: %s", err.msg);
	kt_reader_close(r[1]);
	p[1] = c;
	KT_ASSERT(!kt_reader_open(&r[1], c, 0, &err), "open");
	KT_ASSERT(kt_merge_plan(h, r, p, NULL, 2, &bad, &err) == -EINVAL &&
		  bad == 1 && strstr(err.msg, "host id 'a'"),
		  "same id: %s", err.msg);
	/* named apart, they merge; one boot: one clock */
	KT_ASSERT(!kt_merge_plan(h, r, p, ids, 2, &bad, &err) &&
		  !strcmp(h[1].id, "c") && h[1].same_boot &&
		  h[1].offset_ns == 0 && h[1].uncertainty_ns == 0, "--host-id");
	kt_reader_close(r[0]);
	kt_reader_close(r[1]);
	return KT_PASS;
}

/* A whole merge of two boots read back: times moved by the anchors'
 * offset, tids and cpus moved apart, the source's clock_syncs dropped,
 * lost counts summed and laid out per cpu, hosts named in thread names,
 * and a normal capture for the reader. */
KT_TEST(merge_two_boots)
{
	const __s64 w = 1795428000LL * (__s64)S;
	const struct cap ca = { "a", "boot-a", 1000 * S, w, 10, true };
	const struct cap cb = { "b", "boot-b", 200 * S, w + 1 * (__s64)S, 10, true };
	char pa[256], pb[256], po[256], name[KT_TLF_MAX];
	const char *p[2] = { pa, pb };
	struct kt_reader *r[2] = { 0 }, *m;
	struct kt_merge_host h[2];
	struct kt_merge_stats st;
	struct kt_err err;
	const struct kt_event *ev;
	__u64 last = 0, n = 0, nb = 0;
	size_t bad;
	const json_t *meta;

	snprintf(pa, sizeof(pa), "%s/ma.ktr", kt_test_tmpdir());
	snprintf(pb, sizeof(pb), "%s/mb.ktr", kt_test_tmpdir());
	snprintf(po, sizeof(po), "%s/mo.ktr", kt_test_tmpdir());
	KT_ASSERT(!write_cap(pa, &ca) && !write_cap(pb, &cb), "write");
	KT_ASSERT(!open_all(r, p, 2), "open");
	KT_ASSERT(!kt_merge_plan(h, r, p, NULL, 2, &bad, &err), "plan: %s",
		  err.msg);
	/* b's mono 200 s is a's 1001 s: offset 801 s, exact anchors */
	KT_ASSERT(h[1].offset_ns == 801 * (__s64)S && !h[1].same_boot,
		  "offset %lld", (long long)h[1].offset_ns);
	KT_ASSERT(h[1].uncertainty_ns == 2 * KT_MERGE_ANCHOR_NS, "unc %llu",
		  (unsigned long long)h[1].uncertainty_ns);
	KT_ASSERT(!kt_merge_write(po, r, h, 2, &st, &err), "write: %s", err.msg);
	kt_reader_close(r[0]);
	kt_reader_close(r[1]);
	KT_ASSERT(h[1].clock_sync_dropped == 3 && st.events == 9,
		  "dropped %llu, events %llu",
		  (unsigned long long)h[1].clock_sync_dropped,
		  (unsigned long long)st.events);
	KT_ASSERT(!kt_reader_open(&m, po, 0, &err), "reopen: %s", err.msg);
	while (kt_reader_next(m, &ev, &err) == 1) {
		KT_ASSERT(ev->ts >= last, "time order");
		last = ev->ts;
		n++;
		if (ev->kind != KT_SCHED_WAKING || ev->tid == 10)
			continue;
		KT_ASSERT(ev->tid == (1u << 22 | 10) && ev->cpu == 3 &&
			  ev->wake.target_tid == (1u << 22 | 11), "remapped");
		KT_ASSERT(ev->ts == 1001 * S + nb * S, "b's time %llu",
			  (unsigned long long)ev->ts);
		nb++;
	}
	KT_ASSERT(n == 9 && nb == 3, "%llu events, %llu of b",
		  (unsigned long long)n, (unsigned long long)nb);
	meta = kt_reader_meta(m);
	KT_ASSERT(json_integer_value(json_object_get(json_object_get(meta,
		  "lost"), "total")) == 6, "lost summed");
	KT_ASSERT(json_array_size(json_object_get(json_object_get(meta, "lost"),
		  "per_cpu")) == 4, "per cpu laid out");
	KT_ASSERT(kt_merge_hosts(meta, NULL, NULL, 0) == 2, "merge.hosts");
	kt_tlf_thread(name, sizeof(name), kt_reader_tasks(m), 0, 1u << 22 | 10);
	KT_ASSERT(!strcmp(name, "b:srv/10"), "name '%s'", name);
	kt_tlf_thread(name, sizeof(name), kt_reader_tasks(m), 0, 10);
	KT_ASSERT(!strcmp(name, "a:srv/10"), "name '%s'", name);
	kt_reader_close(m);
	return KT_PASS;
}

/* ------------------------------------------- a TCP connection, two boots */

struct tcpcap {
	struct kt_writer *w;
	__u32 pid;
	int err;
};

static struct kt_event *tev(struct kt_event *e, __u64 ts, unsigned kind,
			    __u32 pid)
{
	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->kind = kind;
	e->tid = e->pid = pid;
	return e;
}

static void tadd(struct tcpcap *c, const struct kt_event *e)
{
	if (!c->err)
		c->err = kt_writer_add(c->w, e);
}

static __u32 sockaddr_str(struct kt_writer *w, __u32 ip, __u16 port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };

	sa.sin_addr.s_addr = ip;
	return kt_writer_str(w, &sa, sizeof(sa));
}

static void tstate(struct tcpcap *c, __u64 ts, __u32 sip, __u16 sp,
		   __u32 dip, __u16 dp)
{
	struct kt_event e;

	tev(&e, ts, KT_TCP_STATE, c->pid);
	e.tcp.sock = 0x1000 + c->pid;
	e.tcp.family = AF_INET;
	e.tcp.saddr[0] = sip;
	e.tcp.daddr[0] = dip;
	e.tcp.sport = sp;
	e.tcp.dport = dp;
	e.tcp.oldstate = 2;
	e.tcp.newstate = 1;     /* ESTABLISHED */
	e.tcp.owner_tid = e.tcp.owner_pid = c->pid;
	tadd(c, &e);
}

static void tsys(struct tcpcap *c, __u64 ts, __u32 nr, __u64 fd, __s64 ret,
		 __u64 fid, __u32 str)
{
	struct kt_event e;

	tev(&e, ts, KT_SYSCALL, c->pid);
	e.sys.nr = nr;
	e.sys.dur = 1000;
	e.sys.ret = ret;
	e.sys.arg[0] = fd;
	e.sys.arg[1] = nr == SYS_socket ? SOCK_STREAM : 8;
	e.sys.arg[2] = fid;
	e.sys.str = str;
	e.sys.flags = fid ? KT_SYSCALL_BLOCKED : 0;
	tadd(c, &e);
}

/* client 10.0.0.1:40000 (pid 100, boot a) -> server 10.0.0.2:80 (pid
 * 200, boot b, accepting without asking the peer's address); the
 * server's answer is a write whose record has no file id */
static int write_tcp_cap(const char *path, bool server)
{
	const __u32 cip = 0x0100000a, sip = 0x0200000a;
	const __u64 m0 = server ? 500 * S : 1000 * S;
	json_t *meta = json_pack("{s:{s:s,s:s,s:i,s:s},s:{s:s,s:b},"
				 "s:{s:[{s:I,s:I}]}}",
		"host", "hostname", "vm", "boot_id", server ? "b" : "a",
		"cpus", 2, "id", server ? "srv" : "cli",
		"record", "scope", "host", "fd_args", 1,
		"clock", "anchors", "mono_ns", (json_int_t)m0,
		"realtime_ns", (json_int_t)(7000 * S));
	struct tcpcap c = { .pid = server ? 200 : 100 };
	int rc = kt_writer_open(&c.w, path, NULL, meta);

	json_decref(meta);
	if (rc)
		return rc;
	if (server) {
		tsys(&c, m0 + 1 * S, SYS_socket, AF_INET, 3, 0, 0);
		tsys(&c, m0 + 2 * S, SYS_bind, 3, 0, 0,
		     sockaddr_str(c.w, 0, 80));
		tstate(&c, m0 + 3 * S, sip, 80, cip, 40000);
		tsys(&c, m0 + 3 * S + 10, SYS_accept, 3, 4, 0, 0);
		tsys(&c, m0 + 4 * S, SYS_read, 4, 8,
		     KT_FILE_ID(S_IFSOCK, 22), 0);
		tsys(&c, m0 + 5 * S, SYS_write, 4, 8, 0, 0);
	} else {
		tsys(&c, m0 + 1 * S, SYS_socket, AF_INET, 3, 0, 0);
		tsys(&c, m0 + 3 * S, SYS_connect, 3, 0, 0,
		     sockaddr_str(c.w, sip, 80));
		tstate(&c, m0 + 3 * S + 1, cip, 40000, sip, 80);
		tsys(&c, m0 + 3 * S + 100, SYS_write, 3, 8, 0, 0);
		tsys(&c, m0 + 5 * S + 100, SYS_recvfrom, 3, 8,
		     KT_FILE_ID(S_IFSOCK, 11), 0);
	}
	if (c.err) {
		kt_writer_abort(c.w);
		return c.err;
	}
	return kt_writer_close(c.w, NULL);
}

/* The two ends of one connection, recorded on two boots, are paired by
 * their 4-tuples (the server's from its only open connection: it
 * accepted without the peer's address), and the server's answer, whose
 * record had no file id, gets its socket's from the fd (moved to host 1's
 * inode space). */
KT_TEST(merge_pairs_a_connection_across_boots)
{
	char pa[256], pb[256], po[256];
	const char *p[2] = { pa, pb };
	struct kt_reader *r[2] = { 0 }, *m;
	struct kt_merge_host h[2];
	struct kt_merge_stats st;
	const struct kt_event *ev;
	const json_t *peers;
	struct kt_err err;
	__u64 server_write = 0;
	size_t bad;

	snprintf(pa, sizeof(pa), "%s/tc.ktr", kt_test_tmpdir());
	snprintf(pb, sizeof(pb), "%s/ts.ktr", kt_test_tmpdir());
	snprintf(po, sizeof(po), "%s/to.ktr", kt_test_tmpdir());
	KT_ASSERT(!write_tcp_cap(pa, false) && !write_tcp_cap(pb, true),
		  "write");
	KT_ASSERT(!open_all(r, p, 2), "open");
	KT_ASSERT(!kt_merge_plan(h, r, p, NULL, 2, &bad, &err), "plan: %s",
		  err.msg);
	KT_ASSERT(h[1].offset_ns == 500 * (__s64)S, "offset %lld",
		  (long long)h[1].offset_ns);
	KT_ASSERT(!kt_merge_write(po, r, h, 2, &st, &err), "merge: %s", err.msg);
	kt_reader_close(r[0]);
	kt_reader_close(r[1]);
	KT_ASSERT(st.peers == 1 && h[1].file_ids_filled == 1,
		  "%llu pairs, %llu file ids filled on the server",
		  (unsigned long long)st.peers,
		  (unsigned long long)h[1].file_ids_filled);
	KT_ASSERT(!kt_reader_open(&m, po, 0, &err), "reopen");
	peers = json_object_get(json_object_get(kt_reader_meta(m), "merge"),
				"peers");
	KT_ASSERT(json_array_size(peers) == 1 &&
		  json_integer_value(json_array_get(json_array_get(peers, 0), 0)) == 11 &&
		  json_integer_value(json_array_get(json_array_get(peers, 0), 1)) ==
		  (json_int_t)(22 | 1ULL << 50), "peers [11, 22 | 1 << 50]");
	while (kt_reader_next(m, &ev, &err) == 1)
		if (ev->kind == KT_SYSCALL && ev->sys.nr == SYS_write &&
		    ev->pid == (1u << 22 | 200))
			server_write = ev->sys.arg[2];
	kt_reader_close(m);
	KT_ASSERT(server_write == KT_FILE_ID(S_IFSOCK, 22 | 1ULL << 50),
		  "the server's write names its socket: %llx",
		  (unsigned long long)server_write);
	return KT_PASS;
}
