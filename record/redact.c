// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * redact.c - `record --redact args|paths|payload`: what is dropped before
 * anything reaches the file.  Pure functions on bytes, used at
 * conversion (exec records, syscall strings), in the /proc snapshots
 * (the task table's exe and cmdline, proc.fds) and on packets.
 *
 * The conventions (docs/record.md "Redaction"):
 *  - a path keeps its shape: every component but "." and ".." becomes
 *    a star, the slashes stay (with % standing for the star here,
 *    "/home/alice/secret.txt" -> "/%/%/%", "../a/b" -> "../%/%"); an
 *    empty path stays empty;
 *  - args: an argument list keeps argv[0] only;
 *  - paths: an argument holding a '/' is redacted as a path, argv[0]
 *    included ("/usr/bin/cat" -> "/%/%/%");
 *  - a unix socket address keeps its family; its path is redacted, an
 *    abstract name becomes "*";
 *  - payload: a packet keeps its link, network and transport headers
 *    (caplen cut after them; len, the size on the wire, stays).
 * Every output is no longer than its input, so callers redact into a
 * buffer the size of the original.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "record_int.h"

static const struct {
	const char *name;
	unsigned bit;
} redact_names[] = {
	{ "args", KT_REDACT_ARGS },
	{ "paths", KT_REDACT_PATHS },
	{ "payload", KT_REDACT_PAYLOAD },
};

#define NNAMES (sizeof(redact_names) / sizeof(redact_names[0]))

int kt_redact_parse(const char *list, unsigned *mask, char *bad, size_t badsz)
{
	const char *p = list, *e;
	size_t n, i;

	do {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < NNAMES; i++)
			if (strlen(redact_names[i].name) == n &&
			    !strncmp(redact_names[i].name, p, n))
				break;
		if (i == NNAMES) {
			if (bad)
				snprintf(bad, badsz, "%.*s", (int)n, p);
			return -EINVAL;
		}
		*mask |= redact_names[i].bit;
		p = e ? e + 1 : NULL;
	} while (p);
	return 0;
}

json_t *kt_redact_json(unsigned mask)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < NNAMES; i++)
		if ((mask & redact_names[i].bit) &&
		    json_array_append_new(a, json_string(redact_names[i].name))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

size_t kt_redact_path(const char *p, size_t n, char *out)
{
	size_t i = 0, o = 0, c;

	while (i < n) {
		if (p[i] == '/') {
			out[o++] = p[i++];
			continue;
		}
		for (c = i; c < n && p[c] != '/'; c++)
			;
		if ((c - i == 1 && p[i] == '.') ||
		    (c - i == 2 && p[i] == '.' && p[i + 1] == '.')) {
			memmove(out + o, p + i, c - i);
			o += c - i;
		} else {
			out[o++] = '*';
		}
		i = c;
	}
	return o;
}

size_t kt_redact_argv(const char *v, size_t n, unsigned mask, char *out)
{
	size_t i = 0, o = 0, len;
	unsigned idx = 0;

	while (i < n) {
		const char *a = v + i, *nul = memchr(a, 0, n - i);

		len = nul ? (size_t)(nul - a) : n - i;
		if (idx && (mask & KT_REDACT_ARGS))
			break;
		if ((mask & KT_REDACT_PATHS) && memchr(a, '/', len)) {
			o += kt_redact_path(a, len, out + o);
		} else {
			memmove(out + o, a, len);
			o += len;
		}
		i += len;
		if (nul) {
			out[o++] = 0;
			i++;
		}
		idx++;
	}
	return o;
}

size_t kt_redact_sockaddr(const void *sa, size_t n, void *out)
{
	const char *s = sa;
	char *d = out;
	size_t off = offsetof(struct sockaddr_un, sun_path), len;
	sa_family_t fam;

	memmove(d, s, n);
	if (n <= off)
		return n;
	memcpy(&fam, s, sizeof(fam));
	if (fam != AF_UNIX)
		return n;
	if (!s[off]) {          /* abstract: "\0name" */
		if (n == off + 1)
			return n;
		d[off + 1] = '*';
		return off + 2;
	}
	len = strnlen(s + off, n - off);
	len = kt_redact_path(s + off, len, d + off);
	if (off + len < n)
		d[off + len++] = 0;
	return off + len;
}

/* ------------------------------------------------------------- packets */

#define DLT_NULL 0
#define DLT_EN10MB 1
#define DLT_RAW 12
#define DLT_LINUX_SLL 113
#define DLT_LINUX_SLL2 276
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The bytes of the transport header at @off for IP protocol @proto, or 0
 * for one we do not know (its bytes are payload to us). */
static __u32 l4_len(const unsigned char *d, __u32 caplen, __u32 off,
		    unsigned proto)
{
	switch (proto) {
	case 6:         /* TCP: data offset */
		return off + 13 <= caplen ? (d[off + 12] >> 4) * 4u : 20;
	case 17:        /* UDP */
	case 136:       /* UDP-Lite */
		return 8;
	case 1:         /* ICMP */
	case 58:        /* ICMPv6 */
		return 8;
	}
	return 0;
}

/* The end of the IP, IPv6 and transport headers at @off. */
static __u32 ip_end(const unsigned char *d, __u32 caplen, __u32 off,
		    unsigned ethertype)
{
	unsigned proto, hl;
	int ext;

	if (off >= caplen)
		return off;
	if (ethertype == ETH_P_IP) {
		hl = (d[off] & 0xf) * 4u;
		if (hl < 20 || off + 10 > caplen)
			return off + 20;
		proto = d[off + 9];
		/* a fragment past the first has no transport header */
		if (off + 8 <= caplen && (be16(d + off + 6) & 0x1fff))
			return off + hl;
		off += hl;
	} else if (ethertype == ETH_P_IPV6) {
		if (off + 40 > caplen)
			return off + 40;
		proto = d[off + 6];
		off += 40;
		/* hop-by-hop, routing, destination options, fragment */
		for (ext = 0; ext < 8; ext++) {
			if (proto != 0 && proto != 43 && proto != 60 &&
			    proto != 44)
				break;
			if (off + 8 > caplen)
				return off + 8;
			hl = proto == 44 ? 8 : (d[off + 1] + 1u) * 8;
			if (proto == 44 && (be16(d + off + 2) & 0xfff8))
				return off + hl;
			proto = d[off];
			off += hl;
		}
	} else {
		return off;
	}
	return off + l4_len(d, caplen, off, proto);
}

__u32 kt_redact_headers(__u32 linktype, const unsigned char *d, __u32 caplen)
{
	unsigned et = 0;
	__u32 off = 0, end;

	switch (linktype) {
	case DLT_EN10MB:
		if (caplen < 14)
			return caplen;
		et = be16(d + 12);
		off = 14;
		while ((et == ETH_P_8021Q || et == ETH_P_8021AD) &&
		       off + 4 <= caplen) {
			et = be16(d + off + 2);
			off += 4;
		}
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return caplen;
		et = be16(d + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return caplen;
		et = be16(d);
		off = 20;
		break;
	case DLT_RAW:
		if (!caplen)
			return 0;
		et = (d[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP;
		break;
	case DLT_NULL:
		if (caplen < 4)
			return caplen;
		/* host-order AF_INET (2) or one of the AF_INET6 values */
		et = d[0] == 2 || d[3] == 2 ? ETH_P_IP : ETH_P_IPV6;
		off = 4;
		break;
	default:
		return 0;       /* a link we cannot parse: keep nothing */
	}
	end = ip_end(d, caplen, off, et);
	return end < caplen ? end : caplen;
}
