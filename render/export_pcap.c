// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_pcap.c - `ktrail export --pcap`: the recorded packets as pcapng
 * (draft-ietf-opsawg-pcapng; RENDER-NOTES §4).
 *
 * One section: a Section Header Block, then for each (interface,
 * link type) the packets came from an Interface Description Block
 * before its first packet, then one Enhanced Packet Block per packet in
 * capture order.  Blocks are written in the host's byte order (the SHB's
 * magic tells readers which).  Timestamps are ns (if_tsresol 9) since
 * the epoch, mapped from the capture clock through the clock anchors
 * (kt_anchors_to_wall); a capture without anchors keeps capture-clock
 * ns, and the section's comment says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_MAGIC 0x1A2B3C4Du

#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_TSRESOL 9
#define IF_FILTER 11
#define EPB_FLAGS 2

#define PCAP_MAX_IFACES 64

struct pcap_iface {
	__u32 ifindex, linktype;
};

struct pcap_ctx {
	struct kt_out *o;
	const struct kt_anchors *an;
	const char *iface;      /* record.pcap.iface */
	const char *filter;     /* record.pcap.filter */
	__u32 snaplen;
	struct pcap_iface ifs[PCAP_MAX_IFACES];
	unsigned nifs;
	__u64 packets;
};

static void put32(struct kt_out *o, __u32 v)
{
	kt_out_mem(o, &v, 4);
}

static void put16(struct kt_out *o, __u16 v)
{
	kt_out_mem(o, &v, 2);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* an option's size, padding included */
static size_t opt_size(size_t len)
{
	return 4 + pad4(len);
}

static void opt(struct kt_out *o, __u16 code, const void *v, size_t len)
{
	static const char zero[4];

	put16(o, code);
	put16(o, (__u16)len);
	if (len)
		kt_out_mem(o, v, len);
	kt_out_mem(o, zero, pad4(len) - len);
}

static size_t str_opt_size(const char *s)
{
	return s ? opt_size(strlen(s)) : 0;
}

static void str_opt(struct kt_out *o, __u16 code, const char *s)
{
	if (s)
		opt(o, code, s, strlen(s));
}

static void shb(struct pcap_ctx *c, const char *os, const char *comment)
{
	static const char appl[] = "ktrail " KT_VERSION;
	size_t len = 28 + str_opt_size(comment) + str_opt_size(os) +
		     str_opt_size(appl) + 4;

	put32(c->o, PCAPNG_SHB);
	put32(c->o, (__u32)len);
	put32(c->o, PCAPNG_MAGIC);
	put16(c->o, 1);
	put16(c->o, 0);
	put32(c->o, 0xffffffffu);       /* section length: unknown */
	put32(c->o, 0xffffffffu);
	str_opt(c->o, OPT_COMMENT, comment);
	str_opt(c->o, SHB_OS, os);
	str_opt(c->o, SHB_USERAPPL, appl);
	opt(c->o, OPT_END, NULL, 0);
	put32(c->o, (__u32)len);
}

/* the name of interface @ifindex: the recorded one's (a recording has
 * one --pcap interface), else "ifindex N" */
static void idb(struct pcap_ctx *c, const struct pcap_iface *f)
{
	const __u8 tsresol = 9;
	char name[64], filt[512];
	size_t len, flen = 0;

	if (c->iface && c->nifs == 1)
		snprintf(name, sizeof(name), "%s", c->iface);
	else
		snprintf(name, sizeof(name), "ifindex %u", f->ifindex);
	if (c->filter) {        /* if_filter: type 0 = libpcap string */
		flen = (size_t)snprintf(filt, sizeof(filt), "%c%s", 0,
					c->filter);
		if (flen >= sizeof(filt))
			flen = sizeof(filt) - 1;
	}
	len = 20 + str_opt_size(name) + opt_size(1) +
	      (flen ? opt_size(flen) : 0) + 4;
	put32(c->o, PCAPNG_IDB);
	put32(c->o, (__u32)len);
	put16(c->o, (__u16)f->linktype);
	put16(c->o, 0);
	put32(c->o, c->snaplen);
	str_opt(c->o, IF_NAME, name);
	opt(c->o, IF_TSRESOL, &tsresol, 1);
	if (flen)
		opt(c->o, IF_FILTER, filt, flen);
	opt(c->o, OPT_END, NULL, 0);
	put32(c->o, (__u32)len);
}

/* the interface id of the packet's (ifindex, linktype), writing its IDB
 * the first time; -ENOSPC past PCAP_MAX_IFACES */
static int iface_id(struct pcap_ctx *c, const struct kt_event *ev)
{
	struct pcap_iface f = { ev->pkt.ifindex, ev->pkt.linktype };

	for (unsigned i = 0; i < c->nifs; i++)
		if (c->ifs[i].ifindex == f.ifindex &&
		    c->ifs[i].linktype == f.linktype)
			return (int)i;
	if (c->nifs == PCAP_MAX_IFACES)
		return -ENOSPC;
	c->ifs[c->nifs++] = f;
	idb(c, &f);
	return (int)c->nifs - 1;
}

static int epb(struct pcap_ctx *c, const struct kt_event *ev, __u64 ts)
{
	static const char zero[4];
	size_t n, len;
	const char *data = kt_event_str(ev, ev->pkt.data_str, &n);
	__u32 flags = ev->pkt.flags & KT_PKT_OUTGOING ? 2 : 1;
	int id = iface_id(c, ev);

	if (id < 0)
		return id;
	len = 32 + pad4(n) + opt_size(4) + 4;
	put32(c->o, PCAPNG_EPB);
	put32(c->o, (__u32)len);
	put32(c->o, (__u32)id);
	put32(c->o, (__u32)(ts >> 32));
	put32(c->o, (__u32)ts);
	put32(c->o, (__u32)n);
	put32(c->o, ev->pkt.len > n ? ev->pkt.len : (__u32)n);
	kt_out_mem(c->o, data, n);
	kt_out_mem(c->o, zero, pad4(n) - n);
	opt(c->o, EPB_FLAGS, &flags, 4);
	opt(c->o, OPT_END, NULL, 0);
	put32(c->o, (__u32)len);
	c->packets++;
	return 0;
}

static void meta(struct pcap_ctx *c, const json_t *m, const char **os)
{
	const json_t *p = json_object_get(json_object_get(m, "record"),
					  "pcap");

	c->iface = json_string_value(json_object_get(p, "iface"));
	c->filter = json_string_value(json_object_get(p, "filter"));
	c->snaplen = (__u32)json_integer_value(json_object_get(p, "snaplen"));
	*os = json_string_value(json_object_get(json_object_get(m, "host"),
						"kernel_release"));
}

int kt_export_pcapng(struct kt_reader *r, struct kt_out *out,
		     const struct kt_export_opts *o, struct kt_export_stats *st,
		     struct kt_err *err)
{
	struct pcap_ctx c = { .o = out, .an = kt_reader_anchors(r) };
	const struct kt_event *ev;
	__u64 before = out->written + out->len, ts;
	struct kt_xsel sel;
	const char *os = NULL;
	__s64 wall;
	int rc;

	kt_xsel_init(&sel, r, o);
	meta(&c, kt_reader_meta(r), &os);
	shb(&c, os, c.an->n ? "exported by ktrail; timestamps: wall clock "
	    "(UTC) from the capture's clock anchors" : "exported by ktrail; "
	    "timestamps: the capture clock (CLOCK_MONOTONIC): the capture "
	    "has no clock anchors");
	kt_reader_filter(r, KT_KIND_BIT(KT_NET_PACKET), 0, 0);
	rc = kt_reader_seek(r, o->from, err);
	while (!rc && (rc = kt_reader_next(r, &ev, err)) > 0) {
		rc = 0;
		if (o->to && ev->ts >= o->to)
			break;
		if (!kt_xsel_event(&sel, ev))
			continue;
		ts = ev->ts;
		if (c.an->n) {
			rc = kt_anchors_to_wall(c.an, ev->ts, &wall);
			if (!rc && wall < 0)
				rc = -ERANGE;
			if (rc) {
				rc = kt_err_set(err, -EBADMSG, KT_ERR_INPUT,
						~0ULL, "packet at %llu ns: no "
						"wall-clock time",
						(unsigned long long)ev->ts);
				break;
			}
			ts = (__u64)wall;
		}
		rc = epb(&c, ev, ts);
		if (rc == -ENOSPC)
			rc = kt_err_set(err, -EINVAL, KT_ERR_INPUT, ~0ULL,
					"packets of more than %d interfaces",
					PCAP_MAX_IFACES);
		if (!rc && out->err)
			rc = out->err;
	}
	kt_reader_filter(r, 0, 0, 0);
	if (st) {
		st->events = st->rows = c.packets;
		st->bytes = out->written + out->len - before;
	}
	return rc < 0 ? rc : out->err;
}
