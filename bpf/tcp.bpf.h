/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tcp.bpf.h - TCP state changes, retransmits and resets, with the 4-tuple,
 * network namespace, socket cookie and the socket's owner.  These often
 * run in soft-irq context on behalf of no task in particular (a server's
 * SYN_RECV and ESTABLISHED run on whatever task the packet interrupted,
 * often the idle task), so the owner is remembered per socket
 * (sock_owner): the task acting on it in task context, or for a socket a
 * listener spawned, the listener's.  A scoped recording keeps the events
 * of sockets whose owner is in scope.
 */
#ifndef KT_TCP_BPF_H
#define KT_TCP_BPF_H

#define KT_AF_INET 2
#define KT_AF_INET6 10
#define KT_IPPROTO_TCP 6
#define KT_TCP_SYN_SENT 2
#define KT_TCP_SYN_RECV 3
#define KT_TCP_CLOSE 7
#define KT_TCP_LISTEN 10

static __always_inline void kt_tcp_sk(struct ktr_tcp *r, const struct sock *sk,
				      __u64 cookie)
{
	const struct sock_common *c = &sk->__sk_common;

	r->family = c->skc_family;
	/* inet_sport, not skc_num: closing a socket zeroes its skc_num
	 * (inet_put_port) before the CLOSE state change is traced */
	r->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	r->dport = bpf_ntohs(c->skc_dport);
	__builtin_memset(r->saddr, 0, sizeof(r->saddr));
	__builtin_memset(r->daddr, 0, sizeof(r->daddr));
	if (r->family == KT_AF_INET6) {
		BPF_CORE_READ_INTO(&r->saddr, c, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->daddr, c, skc_v6_daddr);
	} else {
		*(__u32 *)r->saddr = c->skc_rcv_saddr;
		*(__u32 *)r->daddr = c->skc_daddr;
	}
	r->netns = BPF_CORE_READ(c, skc_net.net, ns.inum);
	r->cookie = cookie;
}

/* Key of the listeners map. */
static __always_inline __u64 kt_listen_key(__u32 netns, __u16 port)
{
	return (__u64)netns << 16 | port;
}

/* The accept queue of listener @sk into @r (KT_TCP_ACCEPTQ). */
static __always_inline void kt_tcp_acceptq(struct ktr_tcp *r, __u64 sk)
{
	r->acceptq = BPF_CORE_READ((struct sock *)sk, sk_ack_backlog);
	r->acceptq_max = BPF_CORE_READ((struct sock *)sk, sk_max_ack_backlog);
	r->h.a32 |= KT_TCP_ACCEPTQ;
}

/* 127.0.0.0/8 in network order, read as a little-endian u32 */
static __always_inline bool kt_loopback4(__u32 a)
{
	return (a & 0xff) == 127;
}

/*
 * kt_tcp_listener_of - for a SYN retransmit: the local listener its SYN
 * goes to, when one is known (same network namespace and port, bound to
 * the destination address, or to any address with a loopback or own
 * destination).  IPv4 only.
 */
static __always_inline struct ktr_listener *
kt_tcp_listener_of(const struct ktr_tcp *r)
{
	__u64 key = kt_listen_key(r->netns, r->dport);
	struct ktr_listener *l;
	__u32 daddr = *(__u32 *)r->daddr;

	if (r->family != KT_AF_INET)
		return NULL;
	l = bpf_map_lookup_elem(&listeners, &key);
	if (!l)
		return NULL;
	if (l->addr ? l->addr == daddr :
	    kt_loopback4(daddr) || daddr == *(__u32 *)r->saddr)
		return l;
	return NULL;
}

/* Does current act on the socket (task context)?  Without the preempt
 * count (pc_delta 0) only connect and listen are surely in task context. */
static __always_inline bool kt_tcp_by_task(const struct ktr_tcp *r, __u64 pt,
					   __u32 ctx)
{
	if (!(__u32)pt)
		return false;   /* the idle task */
	if (!pc_delta)
		return r->h.kind == KT_TCP_STATE &&
		       (r->newstate == KT_TCP_SYN_SENT ||
			r->newstate == KT_TCP_LISTEN);
	return ctx == KT_CTX_TASK;
}

/* The owner of the socket of @r into @ow: current when it acts on the
 * socket, else the one remembered, else (a listener's new child) the
 * listener's. */
static __always_inline void kt_tcp_owner(const struct ktr_tcp *r, __u64 pt,
					 __u32 ctx, struct ktr_owner *ow)
{
	struct ktr_listener *l;
	struct ktr_owner *o;
	__u64 key;

	__builtin_memset(ow, 0, sizeof(*ow));
	if (kt_tcp_by_task(r, pt, ctx)) {
		ow->tid = pt;
		ow->pid = pt >> 32;
		ow->in_scope = kt_cur_in_scope(pt);
		bpf_map_update_elem(&sock_owner, &r->cookie, ow, BPF_ANY);
		return;
	}
	o = bpf_map_lookup_elem(&sock_owner, &r->cookie);
	if (o) {
		*ow = *o;
		return;
	}
	if (r->h.kind != KT_TCP_STATE || r->oldstate != KT_TCP_LISTEN ||
	    r->newstate != KT_TCP_SYN_RECV)
		return;
	key = kt_listen_key(r->netns, r->sport);
	l = bpf_map_lookup_elem(&listeners, &key);
	if (!l)
		return;
	*ow = l->owner;
	bpf_map_update_elem(&sock_owner, &r->cookie, ow, BPF_ANY);
}

/* Listeners: registered at CLOSE -> LISTEN, forgotten when they leave
 * LISTEN (other than by spawning a child, which the tracepoint shows as
 * the child's LISTEN -> SYN_RECV); the accept queue goes with the
 * listener's own events and its children's first. */
static __always_inline void kt_tcp_listener(struct ktr_tcp *r,
					    const struct sock *sk,
					    const struct ktr_owner *ow)
{
	__u64 key = kt_listen_key(r->netns, r->sport);
	struct ktr_listener *l, nl;

	if (r->h.kind != KT_TCP_STATE)
		return;
	if (r->newstate == KT_TCP_LISTEN) {
		__builtin_memset(&nl, 0, sizeof(nl));
		nl.sk = (__u64)sk;
		nl.cookie = r->cookie;
		nl.addr = r->family == KT_AF_INET ? *(__u32 *)r->saddr : 0;
		nl.ino = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
		nl.owner = *ow;
		bpf_map_update_elem(&listeners, &key, &nl, BPF_ANY);
		kt_tcp_acceptq(r, (__u64)sk);
		return;
	}
	if (r->oldstate != KT_TCP_LISTEN)
		return;
	l = bpf_map_lookup_elem(&listeners, &key);
	if (r->newstate == KT_TCP_SYN_RECV) {
		if (l)
			kt_tcp_acceptq(r, l->sk);
		return;
	}
	kt_tcp_acceptq(r, (__u64)sk);
	if (l && l->cookie == r->cookie)
		bpf_map_delete_elem(&listeners, &key);
}

/*
 * The byte counters of a socket moving to CLOSE (KT_TCP_BYTES), as bcc's
 * tcplife reads them: TX the bytes the peer acknowledged (bytes_acked),
 * RX the bytes received in order (bytes_received); neither counts the
 * SYN, the FIN or retransmissions.  Every socket of sk_protocol TCP is a
 * tcp_sock by then (a timewait socket is not traced: its full socket
 * moved to CLOSE when it was made).
 */
static __always_inline void kt_tcp_bytes(struct ktr_tcp *r,
					 const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	r->tx_bytes = BPF_CORE_READ(tp, bytes_acked);
	r->rx_bytes = BPF_CORE_READ(tp, bytes_received);
	r->h.a32 |= KT_TCP_BYTES;
}

static __always_inline int kt_tcp_emit(const struct sock *sk, __u16 kind,
				       __u32 oldstate, __u32 newstate,
				       __u32 flags)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 ctx = kt_context();
	struct ktr_listener *l;
	struct ktr_owner ow;
	struct ktr_tcp *r;
	struct kt_out o;

	/* ktrail's own sockets (it has none today) */
	if (ctx == KT_CTX_TASK && (__u32)(pt >> 32) == self_tgid)
		return 0;
	r = kt_reserve(&o, sizeof(*r), KT_FAM_TCP);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, kind);
	r->h.a16 = ctx;
	r->h.a32 = flags;
	r->oldstate = oldstate;
	r->newstate = newstate;
	r->acceptq = r->acceptq_max = 0;
	r->pad = 0;
	r->tx_bytes = r->rx_bytes = 0;
	if (kind == KT_TCP_STATE && newstate == KT_TCP_CLOSE)
		kt_tcp_bytes(r, sk);
	kt_tcp_sk(r, sk, bpf_get_socket_cookie((void *)sk));
	kt_tcp_owner(r, pt, ctx, &ow);
	/* listeners out of scope too: a SYN to one may be retransmitted */
	kt_tcp_listener(r, sk, &ow);
	if (scope_mode != KTR_SCOPE_ALL && !ow.in_scope) {
		kt_discard(&o, r);
		return 0;
	}
	r->owner_tid = ow.tid;
	r->owner_pid = ow.pid;
	if (kind == KT_TCP_RETRANS && oldstate == KT_TCP_SYN_SENT &&
	    (l = kt_tcp_listener_of(r)))
		kt_tcp_acceptq(r, l->sk);
	/* the name of current goes before the event: stamp it after */
	kt_meet_cur();
	r->h.ts = bpf_ktime_get_ns();
	kt_submit(&o, r);
	return 0;
}

/*
 * The listeners that exist at start (record/ runs this iterator once,
 * after attaching): a SYN retransmitted to one of them reads its queue,
 * and its children get its owner, which record/ finds from the socket
 * inode in /proc/PID/fd.  A listener that went CLOSE -> LISTEN meanwhile
 * is not overwritten.
 */
SEC("iter/tcp")
int kt_iter_listeners(struct bpf_iter__tcp *ctx)
{
	struct sock_common *c = ctx->sk_common;
	struct ktr_listener nl;
	__u64 key;

	if (!c || c->skc_state != KT_TCP_LISTEN)
		return 0;
	__builtin_memset(&nl, 0, sizeof(nl));
	nl.sk = (__u64)c;
	nl.cookie = bpf_get_socket_cookie(c);
	nl.addr = c->skc_family == KT_AF_INET ? c->skc_rcv_saddr : 0;
	nl.ino = BPF_CORE_READ((struct sock *)c, sk_socket, file, f_inode,
			       i_ino);
	key = kt_listen_key(BPF_CORE_READ(c, skc_net.net, ns.inum),
			    c->skc_num);
	bpf_map_update_elem(&listeners, &key, &nl, BPF_NOEXIST);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(kt_tcp_state, const struct sock *sk, int oldstate, int newstate)
{
	if (sk->sk_protocol != KT_IPPROTO_TCP)
		return 0;
	return kt_tcp_emit(sk, KT_TCP_STATE, oldstate, newstate, 0);
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(kt_tcp_retrans, const struct sock *sk, const struct sk_buff *skb)
{
	__u32 st;

	if (!sk)
		return 0;
	st = sk->__sk_common.skc_state;
	return kt_tcp_emit(sk, KT_TCP_RETRANS, st, st, 0);
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(kt_tcp_recv_reset, struct sock *sk)
{
	__u32 st;

	if (!sk)
		return 0;
	st = sk->__sk_common.skc_state;
	return kt_tcp_emit(sk, KT_TCP_RESET, st, st, KT_TCP_RESET_RECEIVED);
}

/*
 * A reset sent for a segment that matched no socket (a connect to a closed
 * port) has no sk: the tuple comes from the segment, reversed so that it
 * reads from the resetting side, as the tracepoint itself prints it.
 */
static __always_inline int kt_tcp_reset_skb(const struct sk_buff *skb)
{
	__u64 pt = bpf_get_current_pid_tgid();
	unsigned char *head = BPF_CORE_READ(skb, head);
	struct tcphdr *th = (struct tcphdr *)BPF_CORE_READ(skb, data);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	struct ktr_tcp *r;
	struct kt_out o;
	__u8 ver = 0;
	__be16 sport = 0, dport = 0;

	if (scope_mode != KTR_SCOPE_ALL ? !kt_cur_in_scope(pt)
					 : (__u32)(pt >> 32) == self_tgid)
		return 0;
	kt_meet_cur();
	r = kt_reserve(&o, sizeof(*r), KT_FAM_TCP);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, KT_TCP_RESET);
	__builtin_memset(r->saddr, 0, sizeof(r->saddr));
	__builtin_memset(r->daddr, 0, sizeof(r->daddr));
	bpf_probe_read_kernel(&ver, 1, head + nh);
	ver >>= 4;
	if (ver == 6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(head + nh);

		r->family = KT_AF_INET6;
		bpf_probe_read_kernel(r->saddr, 16, &ip6->daddr);
		bpf_probe_read_kernel(r->daddr, 16, &ip6->saddr);
	} else {
		struct iphdr *ip = (struct iphdr *)(head + nh);

		r->family = KT_AF_INET;
		bpf_probe_read_kernel(r->saddr, 4, &ip->daddr);
		bpf_probe_read_kernel(r->daddr, 4, &ip->saddr);
	}
	bpf_probe_read_kernel(&sport, 2, &th->dest);
	bpf_probe_read_kernel(&dport, 2, &th->source);
	r->sport = bpf_ntohs(sport);
	r->dport = bpf_ntohs(dport);
	r->netns = BPF_CORE_READ(skb, dev, nd_net.net, ns.inum);
	r->cookie = 0;
	r->h.a16 = kt_context();
	r->h.a32 = KT_TCP_RESET_SENT;
	r->oldstate = r->newstate = 0;
	r->pad = 0;
	r->owner_tid = r->owner_pid = 0;
	r->acceptq = r->acceptq_max = 0;
	r->tx_bytes = r->rx_bytes = 0;
	kt_submit(&o, r);
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(kt_tcp_send_reset, const struct sock *sk,
	     const struct sk_buff *skb)
{
	__u32 st;

	if (!sk)
		return skb ? kt_tcp_reset_skb(skb) : 0;
	st = sk->__sk_common.skc_state;
	return kt_tcp_emit(sk, KT_TCP_RESET, st, st, KT_TCP_RESET_SENT);
}

#endif /* KT_TCP_BPF_H */
