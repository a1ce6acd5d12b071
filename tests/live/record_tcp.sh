#!/bin/bash
# TCP: a connect to a closed loopback port (CLOSE -> SYN_SENT -> CLOSE and
# the reset, sent and received), and a completed connection between two
# network namespaces this test creates (veth pair), seen from both sides
# with the right 4-tuple and each side's namespace.
. "$(dirname "$0")/lib/record.bash"
kt_init record_tcp tcp_refused_states tcp_refused_reset tcp_netns_client tcp_netns_server
NA=kta$$ NB=ktb$$ VA=kva$$ VB=kvb$$ PORT=45681
kt_cleanup() {
	ip netns del $NA 2>/dev/null
	ip netns del $NB 2>/dev/null
	ip link del $VA 2>/dev/null
	:
}
# an IPv4 address as the u64 the dump prints (network-order bytes, memcpy'd)
ipnum() { echo "$1" | awk -F. '{ printf "%d\n", $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 }'; }

# --- refused: nothing listens on port 1 of loopback
"$KTRAIL" record -q -o "$T/r.ktr" -e tcp -- "$KT_TOOL" connect 127.0.0.1 1 >"$T/out" 2>"$T/err"
sport=$(awk '/^sport/{print $2}' "$T/out"); res=$(awk '/^result/{print $2}' "$T/out")
kt_dump "$T/r.ktr" >"$T/dump" 2>&1
lo=$(ipnum 127.0.0.1)
# the local port is chosen after CLOSE -> SYN_SENT: follow the socket cookie
cookie=$(awk -v s="sport=$sport" '$5 == "tcp_state" && index($0, " " s " dport=1 ") { print $6; exit }' "$T/dump")
st=$(awk -v c="$cookie" '$5 == "tcp_state" && $6 == c { for (i = 7; i <= NF; i++) if ($i ~ /^(old|new)state=/) printf "%s ", $i; print "" }' "$T/dump")
if [ "$res" = -111 ] && echo "$st" | grep -q "oldstate=7 newstate=2" && echo "$st" | grep -q "oldstate=2 newstate=7"; then
	kt_pass tcp_refused_states
else
	kt_fail tcp_refused_states "connect result '$res' (want -111), states of :$sport: '$st'"
fi
sent=$(awk -v d="dport=$sport " '$5 == "tcp_reset" && index($0, "sport=1 " d) && / flags=1 /' "$T/dump")
recv=$(awk -v s="sport=$sport " '$5 == "tcp_reset" && index($0, s "dport=1 ") && / flags=2 /' "$T/dump")
if [ -n "$sent" ] && [ -n "$recv" ] && echo "$sent" | grep -q "saddr0=$lo " ; then
	kt_pass tcp_refused_reset
else
	kt_fail tcp_refused_reset "reset sent: '$sent' received: '$recv'"
fi

# --- two namespaces joined by a veth pair
if ! ip netns add $NA || ! ip netns add $NB || ! ip link add $VA type veth peer name $VB ||
   ! ip link set $VA netns $NA || ! ip link set $VB netns $NB ||
   ! ip -n $NA addr add 10.201.7.1/24 dev $VA || ! ip -n $NB addr add 10.201.7.2/24 dev $VB ||
   ! ip -n $NA link set $VA up || ! ip -n $NB link set $VB up ||
   ! ip -n $NA link set lo up || ! ip -n $NB link set lo up; then
	kt_skip tcp_netns_client "cannot create network namespaces here"
	kt_skip tcp_netns_server "cannot create network namespaces here"
	exit 0
fi
insa=$(stat -L -c %i /run/netns/$NA) insb=$(stat -L -c %i /run/netns/$NB)
cat >"$T/pair.sh" <<EOS
ip netns exec $NB "$KT_TOOL" serve $PORT >"$T/serve.out" &
for i in \$(seq 50); do grep -q listening "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
ip netns exec $NA "$KT_TOOL" connect 10.201.7.2 $PORT 100 >"$T/conn.out"
wait
EOS
"$KTRAIL" record -q -o "$T/n.ktr" -e tcp,proc -- sh "$T/pair.sh" 2>"$T/err"
kt_dump "$T/n.ktr" >"$T/dump" 2>&1
sport=$(awk '/^sport/{print $2}' "$T/conn.out")
a=$(ipnum 10.201.7.1) b=$(ipnum 10.201.7.2)
c=$(awk -v t="saddr0=$a saddr1=0 daddr0=$b daddr1=0 family=2 sport=$sport dport=$PORT netns=$insa oldstate=2 newstate=1 " '$5 == "tcp_state" && index($0, t)' "$T/dump")
s=$(awk -v t="saddr0=$b saddr1=0 daddr0=$a daddr1=0 family=2 sport=$PORT dport=$sport netns=$insb oldstate=3 newstate=1 " '$5 == "tcp_state" && index($0, t)' "$T/dump")
[ -n "$sport" ] && [ -n "$c" ] && kt_pass tcp_netns_client ||
	kt_fail tcp_netns_client "no SYN_SENT -> ESTABLISHED of 10.201.7.1:$sport -> 10.201.7.2:$PORT in netns $insa: $(grep tcp_state "$T/dump" | head -3)"
[ -n "$sport" ] && [ -n "$s" ] && kt_pass tcp_netns_server ||
	kt_fail tcp_netns_server "no SYN_RECV -> ESTABLISHED of 10.201.7.2:$PORT <- 10.201.7.1:$sport in netns $insb"
