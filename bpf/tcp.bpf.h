/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tcp.bpf.h - TCP state changes, retransmits and resets, with the 4-tuple,
 * network namespace and socket cookie.  These often run in soft-irq context
 * on behalf of no task in particular; a scoped recording keeps the events
 * of sockets that a task in scope touched (scope_socks), so a connection's
 * states after the SYN are kept even when another task is current.
 */
#ifndef KT_TCP_BPF_H
#define KT_TCP_BPF_H

#define KT_AF_INET 2
#define KT_AF_INET6 10
#define KT_IPPROTO_TCP 6

static __always_inline void kt_tcp_sk(struct ktr_tcp *r, const struct sock *sk)
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
	r->cookie = bpf_get_socket_cookie((void *)sk);
}

/* Is this socket's event in scope?  Scoped recordings remember sockets
 * touched by a task in scope. */
static __always_inline bool kt_tcp_scope(__u64 pt, __u64 cookie)
{
	__u8 one = 1;

	if (scope_mode == KTR_SCOPE_ALL)
		return (__u32)(pt >> 32) != self_tgid;
	if (kt_cur_in_scope(pt)) {
		bpf_map_update_elem(&scope_socks, &cookie, &one, BPF_ANY);
		return true;
	}
	return bpf_map_lookup_elem(&scope_socks, &cookie) != NULL;
}

static __always_inline int kt_tcp_emit(const struct sock *sk, __u16 kind,
				       __u32 oldstate, __u32 newstate,
				       __u32 flags)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_tcp *r;
	struct kt_out o;

	kt_meet_cur();
	r = kt_reserve(&o, sizeof(*r), KT_FAM_TCP);
	if (!r)
		return 0;
	kt_hdr_cur(&r->h, pt, kind);
	kt_tcp_sk(r, sk);
	if (!kt_tcp_scope(pt, r->cookie)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return 0;
	}
	r->h.a16 = kt_context();
	r->h.a32 = flags;
	r->oldstate = oldstate;
	r->newstate = newstate;
	r->pad = 0;
	kt_submit(&o, r);
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
