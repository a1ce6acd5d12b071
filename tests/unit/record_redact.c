// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * record_redact.c - `record --redact`: the path, argument, socket address
 * and packet rules of record/redact.c, and kt_convert applying them to
 * hand-made exec and syscall records before anything is interned.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "kt_test.h"
#include "convert_util.h"
#include "record/record_int.h"

static size_t path(const char *in, char *out)
{
	size_t n = kt_redact_path(in, strlen(in), out);

	out[n] = 0;
	return n;
}

KT_TEST(record_redact_path)
{
	static const char *const cases[][2] = {
		{ "/home/alice/secret.txt", "/*/*/*" },
		{ "secret.txt", "*" },
		{ "../alice/./x", "../*/./*" },
		{ "/", "/" },
		{ "//a//b/", "//*//*/" },
		{ "", "" },
		{ "/tmp/x (deleted)", "/*/*" },
		{ "..hidden/...", "*/*" },
	};
	char out[64], same[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path(cases[i][0], out);
		KT_ASSERT(!strcmp(out, cases[i][1]), "'%s' -> '%s', want '%s'",
			  cases[i][0], out, cases[i][1]);
		/* in place, as the snapshots redact */
		snprintf(same, sizeof(same), "%s", cases[i][0]);
		path(same, same);
		KT_ASSERT(!strcmp(same, cases[i][1]), "in place '%s' -> '%s'",
			  cases[i][0], same);
	}
	return KT_PASS;
}

KT_TEST(record_redact_argv)
{
	static const char v[] = "/usr/bin/curl\0-u\0alice:hunter2\0"
				"https://x.example/a\0--data\0plain";
	char out[sizeof(v)];
	size_t n;

	n = kt_redact_argv(v, sizeof(v) - 1, KT_REDACT_ARGS, out);
	KT_ASSERT(n == 14 && !memcmp(out, "/usr/bin/curl\0", 14),
		  "args: %zu bytes", n);
	n = kt_redact_argv(v, sizeof(v) - 1, KT_REDACT_PATHS, out);
	KT_ASSERT(n == 43 && !memcmp(out, "/*/*/*\0-u\0alice:hunter2\0*//*/*\0"
				     "--data\0plain", n), "paths: %zu bytes '%.*s'",
		  n, (int)n, out);
	n = kt_redact_argv(v, sizeof(v) - 1, KT_REDACT_ARGS | KT_REDACT_PATHS,
			   out);
	KT_ASSERT(n == 7 && !memcmp(out, "/*/*/*\0", 7), "both: %zu", n);
	/* the NUL-terminated list as exec records it */
	n = kt_redact_argv("sh\0-c\0echo secret\0", 18, KT_REDACT_ARGS, out);
	KT_ASSERT(n == 3 && !memcmp(out, "sh\0", 3), "sh -c: %zu", n);
	KT_ASSERT(kt_redact_argv("", 0, KT_REDACT_ARGS, out) == 0, "empty");
	return KT_PASS;
}

KT_TEST(record_redact_sockaddr)
{
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	struct sockaddr_un out;
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	snprintf(su.sun_path, sizeof(su.sun_path), "/run/user/1000/bus");
	n = kt_redact_sockaddr(&su, off + 19, &out);
	KT_ASSERT(n == off + 9 && out.sun_family == AF_UNIX &&
		  !memcmp(out.sun_path, "/*/*/*/*", 9), "unix path: %zu '%s'",
		  n, out.sun_path);
	memset(su.sun_path, 0, sizeof(su.sun_path));
	memcpy(su.sun_path + 1, "secret-name", 11);
	n = kt_redact_sockaddr(&su, off + 12, &out);
	KT_ASSERT(n == off + 2 && !out.sun_path[0] && out.sun_path[1] == '*',
		  "abstract: %zu", n);
	{
		struct sockaddr_storage in = { .ss_family = AF_INET };
		struct sockaddr_storage o2;

		memset((char *)&in + 2, 0x5a, 14);
		n = kt_redact_sockaddr(&in, 16, &o2);
		KT_ASSERT(n == 16 && !memcmp(&in, &o2, 16), "inet kept");
	}
	return KT_PASS;
}

/* An Ethernet frame with IPv4 and TCP (options: 32-byte header) and a
 * payload; returns its length. */
static size_t eth_ip_tcp(unsigned char *p, int vlan)
{
	size_t o = 12;

	memset(p, 0, 200);
	if (vlan) {
		p[o++] = 0x81;
		p[o++] = 0x00;
		o += 2;
	}
	p[o++] = 0x08;
	p[o++] = 0x00;
	p[o] = 0x45;            /* IPv4, 20 bytes */
	p[o + 9] = 6;           /* TCP */
	o += 20;
	p[o + 12] = 8 << 4;     /* 32 bytes */
	o += 32;
	memcpy(p + o, "GET /secret HTTP/1.1\r\n", 22);
	return o + 22;
}

KT_TEST(record_redact_headers)
{
	unsigned char p[200];
	size_t n;

	n = eth_ip_tcp(p, 0);
	KT_ASSERT(kt_redact_headers(1, p, n) == 14 + 20 + 32, "eth/ip/tcp: %u",
		  kt_redact_headers(1, p, n));
	n = eth_ip_tcp(p, 1);
	KT_ASSERT(kt_redact_headers(1, p, n) == 18 + 20 + 32, "vlan: %u",
		  kt_redact_headers(1, p, n));
	/* a capture cut inside the headers keeps what it has */
	KT_ASSERT(kt_redact_headers(1, p, 30) == 30, "short");
	/* IPv6 + hop-by-hop (8 bytes) + UDP on "any" (Linux cooked) */
	memset(p, 0, sizeof(p));
	p[14] = 0x86;
	p[15] = 0xdd;
	p[16] = 0x60;
	p[16 + 6] = 0;          /* hop-by-hop next */
	p[56] = 17;             /* then UDP */
	p[57] = 0;              /* 8 bytes */
	KT_ASSERT(kt_redact_headers(113, p, 120) == 16 + 40 + 8 + 8,
		  "sll/ipv6/udp: %u", kt_redact_headers(113, p, 120));
	/* ARP: the Ethernet header only */
	p[12] = 0x08;
	p[13] = 0x06;
	KT_ASSERT(kt_redact_headers(1, p, 60) == 14, "arp");
	/* a link type we cannot parse keeps nothing */
	KT_ASSERT(kt_redact_headers(147, p, 60) == 0, "unknown link");
	return KT_PASS;
}

KT_TEST(record_redact_parse)
{
	unsigned m = 0;
	char bad[16];
	json_t *j;

	KT_ASSERT(!kt_redact_parse("args,payload", &m, bad, sizeof(bad)) &&
		  m == (KT_REDACT_ARGS | KT_REDACT_PAYLOAD), "list");
	KT_ASSERT(!kt_redact_parse("paths", &m, bad, sizeof(bad)) &&
		  m == 7, "repeated adds");
	KT_ASSERT(kt_redact_parse("args,secrets", &m, bad, sizeof(bad)) ==
		  -EINVAL && !strcmp(bad, "secrets"), "bad word '%s'", bad);
	KT_ASSERT(kt_redact_parse("args,", &m, bad, sizeof(bad)) == -EINVAL,
		  "empty word accepted");
	j = kt_redact_json(KT_REDACT_ARGS | KT_REDACT_PATHS);
	KT_ASSERT(j && json_array_size(j) == 2 &&
		  !strcmp(json_string_value(json_array_get(j, 1)), "paths"),
		  "json");
	json_decref(j);
	return KT_PASS;
}

/* ------------------------------------------------------------ convert */


/* No secret was ever interned: redaction came before the string table. */
static int leaked(const struct strs *t, const char *secret)
{
	return memmem(t->buf, t->used, secret, strlen(secret)) != NULL;
}

static __u8 classes[KTR_NR_MAX];

KT_TEST(record_redact_convert)
{
	struct ktr_exec ex = { 0 };
	struct ktr_syscall_ext x = { 0 };
	struct kt_conv c = { .intern = intern, .sys_class = classes,
			     .redact = KT_REDACT_ARGS | KT_REDACT_PATHS };
	struct kt_event ev;
	struct strs t = { 0 };
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	size_t off = offsetof(struct sockaddr_un, sun_path);

	c.ctx = &t;
	kt_sys_class_table(classes, NULL);
	ex.h.kind = KT_PROC_EXEC;
	ex.h.tid = ex.h.pid = 7;
	memcpy(ex.filename, "/home/alice/bin/deploy", 22);
	ex.filename_len = 22;
	memcpy(ex.argv, "deploy\0--token=hunter2\0/home/alice/keys\0", 40);
	ex.argv_len = 40;
	memcpy(ex.comm, "deploy", 6);
	KT_ASSERT(kt_convert(&c, &ex, sizeof(ex), 0, &ev) == 1, "exec");
	KT_ASSERT(str_is(&t, ev.exec.filename_str, "/*/*/*/*", 8),
		  "exec filename");
	KT_ASSERT(str_is(&t, ev.exec.argv_str, "deploy\0", 7), "exec argv");
	KT_ASSERT(str_is(&t, ev.exec.comm_str, "deploy", 6), "comm kept");
	/* openat */
	x.s.h.kind = KT_SYSCALL;
	x.s.h.a16 = kt_sys_nr("openat", 6);
	x.s.h.a32 = KTR_SYS_ARGS | KTR_SYS_STR | 21;
	memcpy(x.str, "/home/alice/.netrc.x", 21);
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == 1, "openat");
	KT_ASSERT(str_is(&t, ev.sys.str, "/*/*/*", 6), "openat path");
	/* renameat2: both halves */
	memset(x.str, 0, sizeof(x.str));
	memcpy(x.str, "/home/alice/a", 13);
	memcpy(x.str + KTR_PATH_MAX, "/home/alice/b", 13);
	x.s.h.a16 = kt_sys_nr("renameat2", 9);
	x.s.h.a32 = KTR_SYS_ARGS | KTR_SYS_STR | KTR_STR_MAX;
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == 1, "rename");
	KT_ASSERT(str_is(&t, ev.sys.str, "/*/*/*\0/*/*/*", 13), "rename");
	/* connect to a unix socket */
	memset(x.str, 0, sizeof(x.str));
	snprintf(su.sun_path, sizeof(su.sun_path), "/home/alice/sock");
	memcpy(x.str, &su, off + 17);
	x.s.h.a16 = kt_sys_nr("connect", 7);
	x.s.h.a32 = KTR_SYS_ARGS | KTR_SYS_STR | (off + 17);
	KT_ASSERT(kt_convert(&c, &x, sizeof(x), 0, &ev) == 1, "connect");
	KT_ASSERT(t.len[ev.sys.str - 1] == off + 7, "connect address");
	KT_ASSERT(!leaked(&t, "alice") && !leaked(&t, "hunter2") &&
		  !leaked(&t, "netrc"), "a secret reached the string table");
	/* without --redact nothing changes */
	c.redact = 0;
	KT_ASSERT(kt_convert(&c, &ex, sizeof(ex), 0, &ev) == 1 &&
		  str_is(&t, ev.exec.argv_str, ex.argv, 40), "unredacted");
	return KT_PASS;
}
