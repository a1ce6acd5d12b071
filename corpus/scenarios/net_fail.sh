#!/bin/bash
# net_fail.sh - records corpus/scenarios/net_fail.ktr: a client in one
# network namespace connects twice to a peer in another, over a veth pair
# (kt-test-tool net_fail 10.213.7.2 7001 7002): port 7001 is closed, the
# peer's kernel answers the SYN with a RST (ECONNREFUSED); on port 7002 an
# nftables rule in the peer's namespace drops every SYN, so the SYN is
# retransmitted once (TCP_SYNCNT 1, after the 1 s initial RTO) and the
# connect fails with ETIMEDOUT after 3 s.  The namespaces, the veth pair
# and the rule are made here and removed at exit.
# Recorded as a user would, `ktrail record -- ip netns exec NS CMD` (the
# workload, and the kernel threads every scope keeps).  Also writes
# net_fail.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`, with nft (Debian
# package nftables: `tests/deps.sh nftables`); it replaces the files.
# The capture is a fixed file: re-recording changes every id and time, so
# the goldens (tests/cli/corpus_*) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/net_fail
a=kt-corpus-a-$$
b=kt-corpus-b-$$
trap 'ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null' EXIT
ip netns add "$a"
ip netns add "$b"
ip link add kt-va-$$ netns "$a" type veth peer name kt-vb-$$ netns "$b"
ip -n "$a" addr add 10.213.7.1/24 dev kt-va-$$
ip -n "$b" addr add 10.213.7.2/24 dev kt-vb-$$
for n in "$a" "$b"; do
	ip -n "$n" link set lo up
done
ip -n "$a" link set kt-va-$$ up
ip -n "$b" link set kt-vb-$$ up
ip netns exec "$b" nft -f - <<'NFT'
table inet kt_corpus {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7002 tcp flags & (syn | ack) == syn drop
	}
}
NFT
corpus_record "$out.ktr" "$out.ids" -- \
	ip netns exec "$a" "$T" net_fail 10.213.7.2 7001 7002
ls -l "$out.ktr"
