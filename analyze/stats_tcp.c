// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stats_tcp.c - tcpconnect, tcplife, tcpretrans from inet_sock_set_state,
 * retransmit and reset events, matched per socket by its cookie.
 *
 * State transitions of one socket happen in whatever context the kernel
 * is in: connect() runs CLOSE -> SYN_SENT in the connecting task, but the
 * answer (SYN_SENT -> ESTABLISHED or CLOSE) comes in softirq on top of an
 * unrelated task.  So the owner of a socket is taken from its first event
 * in task context, never from the event that happens to close it.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include "analyze/names.h"
#include "analyze/stats_int.h"

#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_CLOSE 7
#define TCP_LISTEN 10

struct owner {
	__u32 pid, tid;
	char comm[32];
};

static void owner_set(struct kt_st *st, struct owner *w, __u32 pid,
		      __u32 tid)
{
	w->pid = pid;
	w->tid = tid;
	kt_st_copy_comm(st, tid, w->comm, sizeof(w->comm));
}

static void addr_cols(struct kt_out *o, const struct kt_tcp *t, bool json,
		      const char *lk, const char *lpk, const char *rk,
		      const char *rpk)
{
	char a[64];

	kt_fmt_ip(a, sizeof(a), t->family, t->saddr);
	if (json) {
		kt_out_jkv_u64(o, "ip", t->family == AF_INET6 ? 6 : 4);
		kt_out_jkv_cstr(o, lk, a);
		kt_out_jkv_u64(o, lpk, t->sport);
		kt_fmt_ip(a, sizeof(a), t->family, t->daddr);
		kt_out_jkv_cstr(o, rk, a);
		kt_out_jkv_u64(o, rpk, t->dport);
		kt_out_jkv_u64(o, "netns", t->netns);
		return;
	}
	kt_out_ch(o, t->family == AF_INET6 ? '6' : '4');
	kt_out_strw(o, "", -2);
	kt_out_strw(o, a, -15);
	kt_out_ch(o, ' ');
	kt_out_u64w(o, t->sport, -6);
	kt_out_ch(o, ' ');
	kt_fmt_ip(a, sizeof(a), t->family, t->daddr);
	kt_out_strw(o, a, -15);
	kt_out_ch(o, ' ');
	kt_out_u64w(o, t->dport, -6);
	kt_out_ch(o, ' ');
}

static void owner_cols(struct kt_st *st, const struct owner *w)
{
	struct kt_out *o = st->o;

	if (st->opts->json) {
		kt_out_jkv_u64(o, "pid", w->pid);
		kt_out_jkv_u64(o, "tid", w->tid);
		kt_out_jkv_cstr(o, "comm", w->pid ? w->comm : "");
		return;
	}
	kt_out_u64w(o, w->pid, -7);
	kt_out_ch(o, ' ');
	kt_out_escw(o, w->pid ? w->comm : "-", -16);
	kt_out_ch(o, ' ');
}

/* ----------------------------------------------------------- tcpconnect */

/*
 * Attempts are printed in the order they started, each once its outcome
 * is known: a queue from the oldest unresolved attempt on, and a map from
 * socket cookie to queue position.
 */
struct conn {
	__u64 start, end;
	struct owner who;
	struct kt_tcp tcp;      /* addresses; sport from the outcome */
	const char *result;     /* NULL while pending */
};

struct connect_st {
	struct conn *q;
	size_t head, n, cap;    /* live entries q[head..n) */
	__u64 seq0;             /* sequence number of q[0] */
	struct kt_map pending;  /* sock -> sequence number (__u64) */
};

static int connect_init(struct kt_st *st)
{
	struct connect_st *c = st->priv;

	kt_map_init(&c->pending, sizeof(__u64));
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PID     COMM             "
			   "IP SADDR           SPORT  DADDR           DPORT  "
			   "  LAT(ms) RESULT\n");
	}
	return 0;
}

static void connect_print(struct kt_st *st, const struct conn *e)
{
	struct kt_out *o = st->o;
	const char *res = e->result ? e->result : "pending";

	if (st->opts->json) {
		kt_out_jopen(o, '{');
		kt_out_jkv_u64(o, "ts", e->start);
		owner_cols(st, &e->who);
		addr_cols(o, &e->tcp, true, "saddr", "sport", "daddr", "dport");
		if (e->result)
			kt_out_jkv_u64(o, "lat_ns", e->end - e->start);
		kt_out_jkv_cstr(o, "result", res);
		kt_out_jclose(o, '}');
	} else {
		kt_st_time(st, e->start);
		owner_cols(st, &e->who);
		addr_cols(o, &e->tcp, false, NULL, NULL, NULL, NULL);
		if (e->result)
			kt_out_decw(o, e->end - e->start, 6, 3, 9);
		else
			kt_out_strw(o, "-", 9);
		kt_out_ch(o, ' ');
		kt_out_str(o, res);
	}
	kt_out_ch(o, '\n');
}

static void connect_drain(struct kt_st *st, bool all)
{
	struct connect_st *c = st->priv;

	while (c->head < c->n && (all || c->q[c->head].result))
		connect_print(st, &c->q[c->head++]);
	if (c->head == c->n) {
		c->seq0 += c->n;
		c->head = c->n = 0;
	}
}

static int connect_push(struct kt_st *st, const struct kt_event *ev)
{
	struct connect_st *c = st->priv;
	struct conn *e;
	bool created;
	__u64 *seq;

	if (c->head && c->n == c->cap) {        /* compact before growing */
		memmove(c->q, c->q + c->head, (c->n - c->head) * sizeof(*e));
		c->seq0 += c->head;
		c->n -= c->head;
		c->head = 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;

		e = realloc(c->q, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		c->q = e;
		c->cap = cap;
	}
	seq = kt_map_put(&c->pending, ev->tcp.sock, &created);
	if (!seq)
		return -ENOMEM;
	if (!created) {         /* cookie reused before we saw an outcome */
		c->q[*seq - c->seq0].result = "unknown";
		c->q[*seq - c->seq0].end = ev->ts;
	}
	*seq = c->seq0 + c->n;
	e = &c->q[c->n++];
	memset(e, 0, sizeof(*e));
	e->start = ev->ts;
	e->tcp = ev->tcp;
	owner_set(st, &e->who, ev->pid, ev->tid);
	return 0;
}

static int connect_event(struct kt_st *st, const struct kt_event *ev)
{
	struct connect_st *c = st->priv;
	const struct kt_tcp *t = &ev->tcp;
	__u64 *seq;
	struct conn *e;

	if (ev->kind == KT_TCP_STATE && t->newstate == TCP_SYN_SENT) {
		if (!kt_st_match(st, ev->tid, ev->pid))
			return 0;
		return connect_push(st, ev);
	}
	seq = kt_map_get(&c->pending, t->sock);
	if (!seq)
		return 0;
	e = &c->q[*seq - c->seq0];
	if (ev->kind == KT_TCP_RESET) {
		if (t->flags & KT_TCP_RESET_RECEIVED)
			e->tcp.flags |= KT_TCP_RESET_RECEIVED;
		if (t->sport)   /* gone by the move to CLOSE */
			e->tcp.sport = t->sport;
		return 0;
	}
	if (ev->kind != KT_TCP_STATE || t->oldstate != TCP_SYN_SENT)
		return 0;
	e->end = ev->ts;
	if (t->sport)
		e->tcp.sport = t->sport;
	if (t->newstate == TCP_ESTABLISHED)
		e->result = "established";
	else if (e->tcp.flags & KT_TCP_RESET_RECEIVED)
		e->result = "refused";
	else if (t->newstate == TCP_CLOSE)
		e->result = "failed";
	else
		e->result = kt_tcp_state_name(t->newstate) ?: "?";
	kt_map_del(&c->pending, t->sock);
	connect_drain(st, false);
	return 0;
}

static int connect_finish(struct kt_st *st)
{
	connect_drain(st, true);
	return 0;
}

static void connect_release(struct kt_st *st)
{
	struct connect_st *c = st->priv;

	kt_map_release(&c->pending);
	free(c->q);
}

const struct kt_stats_tool kt_st_tcpconnect = {
	.name = "tcpconnect",
	.options = "",
	.summary = "active TCP connects with latency and outcome",
	.kinds = KT_KIND_BIT(KT_TCP_STATE) | KT_KIND_BIT(KT_TCP_RESET),
	.priv_size = sizeof(struct connect_st),
	.init = connect_init,
	.event = connect_event,
	.finish = connect_finish,
	.release = connect_release,
};

/* -------------------------------------------------------------- tcplife */

struct life {
	__u64 birth;
	struct owner who;
	struct kt_tcp addr;     /* the last event that still had both ports:
				 * the kernel releases the local port before
				 * the move to CLOSE */
	bool listen, established;
};

/* TX_KB and RX_KB as bcc's tcplife prints them (KiB, truncated), "-"
 * when the close record has no counters (a capture before format 1.3);
 * JSON: tx_bytes and rx_bytes, null then. */
static void life_bytes(struct kt_out *o, const struct kt_tcp *t, bool json)
{
	bool known = t->flags & KT_TCP_BYTES;

	if (json) {
		kt_out_jkey(o, "tx_bytes");
		known ? kt_out_u64(o, t->tx_bytes) : kt_out_str(o, "null");
		kt_out_jkey(o, "rx_bytes");
		known ? kt_out_u64(o, t->rx_bytes) : kt_out_str(o, "null");
		return;
	}
	if (known) {
		kt_out_u64w(o, t->tx_bytes / 1024, 5);
		kt_out_ch(o, ' ');
		kt_out_u64w(o, t->rx_bytes / 1024, 5);
	} else {
		kt_out_str(o, "    -     -");
	}
}

static int life_init(struct kt_st *st)
{
	kt_map_init(st->priv, sizeof(struct life));
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PID     COMM             "
			   "IP LADDR           LPORT  RADDR           RPORT  "
			   "TX_KB RX_KB        MS\n");
	}
	return 0;
}

static int life_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	struct kt_out *o = st->o;
	struct life *l;
	bool created;

	l = kt_map_put(st->priv, t->sock, &created);
	if (!l)
		return -ENOMEM;
	if (created)
		l->birth = ev->ts;
	if (!l->who.pid && t->context == KT_CTX_TASK && ev->pid)
		owner_set(st, &l->who, ev->pid, ev->tid);
	/* a listener's children start in LISTEN -> SYN_RECV: only a move
	 * to LISTEN makes a listener */
	if (t->newstate == TCP_LISTEN)
		l->listen = true;
	if (t->newstate == TCP_ESTABLISHED)
		l->established = true;
	if (t->sport && t->dport)
		l->addr = *t;
	if (t->newstate != TCP_CLOSE)
		return 0;
	/* sessions only: a connect that failed is tcpconnect's */
	if (!l->listen && l->established &&
	    kt_st_match(st, l->who.tid, l->who.pid)) {
		const struct kt_tcp *a = l->addr.family ? &l->addr : t;

		if (st->opts->json) {
			kt_out_jopen(o, '{');
			kt_out_jkv_u64(o, "ts", ev->ts);
			owner_cols(st, &l->who);
			addr_cols(o, a, true, "laddr", "lport", "raddr",
				  "rport");
			kt_out_jkv_u64(o, "start_ts", l->birth);
			kt_out_jkv_u64(o, "dur_ns", ev->ts - l->birth);
			life_bytes(o, t, true);
			kt_out_jclose(o, '}');
		} else {
			kt_st_time(st, ev->ts);
			owner_cols(st, &l->who);
			addr_cols(o, a, false, NULL, NULL, NULL, NULL);
			life_bytes(o, t, false);
			kt_out_decw(o, ev->ts - l->birth, 6, 3, 10);
		}
		kt_out_ch(o, '\n');
	}
	kt_map_del(st->priv, t->sock);
	return 0;
}

static void life_release(struct kt_st *st)
{
	kt_map_release(st->priv);
}

const struct kt_stats_tool kt_st_tcplife = {
	.name = "tcplife",
	.options = "",
	.summary = "TCP sessions with endpoints, owner and lifespan",
	.kinds = KT_KIND_BIT(KT_TCP_STATE),
	.priv_size = sizeof(struct kt_map),
	.init = life_init,
	.event = life_event,
	.release = life_release,
};

/* ----------------------------------------------------------- tcpretrans */

static int retrans_init(struct kt_st *st)
{
	if (!st->opts->json) {
		kt_st_time_head(st);
		kt_out_str(st->o, "PID     IP "
			   "LADDR:LPORT            T> RADDR:RPORT            "
			   "STATE\n");
	}
	return 0;
}

static int retrans_event(struct kt_st *st, const struct kt_event *ev)
{
	const struct kt_tcp *t = &ev->tcp;
	struct kt_out *o = st->o;
	const char *type, *state = kt_tcp_sock_state_name(t) ?: "?";
	/* the socket's owner (format 1.1), not the task the soft irq
	 * interrupted */
	__u32 pid = t->owner_tid ? t->owner_pid : ev->pid;
	__u32 tid = t->owner_tid ? t->owner_tid : ev->tid;
	char l[80], r[80];

	if (!kt_st_match(st, tid, pid))
		return 0;
	if (ev->kind == KT_TCP_RETRANS)
		type = "T>";
	else
		type = t->flags & KT_TCP_RESET_RECEIVED ? "R<" : "R>";
	kt_fmt_ipport(l, sizeof(l), t->family, t->saddr, t->sport);
	kt_fmt_ipport(r, sizeof(r), t->family, t->daddr, t->dport);
	if (st->opts->json) {
		kt_out_jopen(o, '{');
		kt_out_jkv_u64(o, "ts", ev->ts);
		kt_out_jkv_u64(o, "pid", pid);
		kt_out_jkv_cstr(o, "type", ev->kind == KT_TCP_RETRANS ?
				"retransmit" : t->flags & KT_TCP_RESET_RECEIVED ?
				"reset_received" : "reset_sent");
		addr_cols(o, t, true, "laddr", "lport", "raddr", "rport");
		kt_out_jkv_cstr(o, "state", state);
		kt_out_jclose(o, '}');
	} else {
		kt_st_time(st, ev->ts);
		kt_out_u64w(o, pid, -7);
		kt_out_ch(o, ' ');
		kt_out_ch(o, t->family == AF_INET6 ? '6' : '4');
		kt_out_strw(o, "", -2);
		kt_out_strw(o, l, -22);
		kt_out_ch(o, ' ');
		kt_out_str(o, type);
		kt_out_ch(o, ' ');
		kt_out_strw(o, r, -22);
		kt_out_ch(o, ' ');
		kt_out_str(o, state);
	}
	kt_out_ch(o, '\n');
	return 0;
}

const struct kt_stats_tool kt_st_tcpretrans = {
	.name = "tcpretrans",
	.options = "",
	.summary = "TCP retransmits (T>) and resets sent (R>) or received (R<)",
	.kinds = KT_KIND_BIT(KT_TCP_RETRANS) | KT_KIND_BIT(KT_TCP_RESET),
	/* rows are about the socket's owner, not the subject */
	.subject = false,
	.init = retrans_init,
	.event = retrans_event,
};
