#!/bin/bash
# TCP: a connect to a closed loopback port (CLOSE -> SYN_SENT -> CLOSE and
# the reset, sent and received), and a completed connection between two
# network namespaces this test creates (veth pair), seen from both sides
# with the right 4-tuple and each side's namespace.  TCP events belong to
# the socket's owner: a server recorded with `-- CMD` keeps its child
# socket's SYN_RECV and ESTABLISHED although they run in soft irq on the
# client's time (the client is out of scope), with the server as owner,
# and none of the client socket's events; the same for a server that
# listened before the recording started (-p: the listener is found at
# start, its owner by its socket inode); a SYN retransmitted to a full
# accept queue carries that queue (1 waiting, backlog 0) and its owner
# (tcpretrans shows it, not the task the timer interrupted), and the
# metadata's TcpExt ListenOverflows grew.
. "$(dirname "$0")/lib/record.bash"
kt_init record_tcp tcp_refused_states tcp_refused_reset tcp_server_owner tcp_server_before_start tcp_syn_full_queue tcp_netns_client tcp_netns_server
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
rc=$?
sport=$(awk '/^sport/{print $2}' "$T/out"); res=$(awk '/^result/{print $2}' "$T/out")
kt_dump "$T/r.ktr" >"$T/dump" 2>&1
lo=$(ipnum 127.0.0.1)
# the local port is chosen after CLOSE -> SYN_SENT: follow the socket cookie
cookie=$(awk -v s="sport=$sport" '$5 == "tcp_state" && index($0, " " s " dport=1 ") { print $6; exit }' "$T/dump")
st=$(awk -v c="$cookie" '$5 == "tcp_state" && $6 == c { for (i = 7; i <= NF; i++) if ($i ~ /^(old|new)state=/) printf "%s ", $i; print "" }' "$T/dump")
# the command fails (connection refused: exit 1), the recording must not
if [ $rc = 1 ] && [ "$res" = -111 ] && echo "$st" | grep -q "oldstate=7 newstate=2" && echo "$st" | grep -q "oldstate=2 newstate=7"; then
	kt_pass tcp_refused_states
else
	kt_fail tcp_refused_states "record exited $rc (want the command's 1), connect result '$res' (want -111), states of :$sport: '$st' $(head -c 200 "$T/err")"
fi
sent=$(awk -v d="dport=$sport " '$5 == "tcp_reset" && index($0, "sport=1 " d) && / flags=1 /' "$T/dump")
recv=$(awk -v s="sport=$sport " '$5 == "tcp_reset" && index($0, s "dport=1 ") && / flags=2 /' "$T/dump")
if [ $rc = 1 ] && [ -n "$sent" ] && [ -n "$recv" ] && echo "$sent" | grep -q "saddr0=$lo " ; then
	kt_pass tcp_refused_reset
else
	kt_fail tcp_refused_reset "record exited $rc; reset sent: '$sent' received: '$recv'"
fi

# kt_reap PID: wait up to 5 s for PID (a server whose client may have
# failed), then SIGINT it (a recorder passes it on to its command)
kt_reap() {
	local i
	for i in $(seq 50); do kill -0 $1 2>/dev/null || break; sleep 0.1; done
	kill -INT $1 2>/dev/null
	wait $1
}

# --- a server in scope, its client out of scope
P2=45682
"$KTRAIL" record -q -o "$T/s.ktr" -e tcp -- "$KT_TOOL" serve $P2 >"$T/srv.out" 2>"$T/err" & R=$!
for i in $(seq 50); do grep -q listening "$T/srv.out" 2>/dev/null && break; sleep 0.1; done
timeout 10 "$KT_TOOL" connect 127.0.0.1 $P2 100 >"$T/cl.out"
kt_reap $R; rc=$?
srv=$(awk '/^listening/{print $2}' "$T/srv.out"); csport=$(awk '/^sport/{print $2}' "$T/cl.out")
kt_dump "$T/s.ktr" >"$T/dump" 2>&1
own=" owner_tid=$srv owner_pid=$srv "
sr=$(awk -v t="sport=$P2 dport=$csport " -v o="$own" '$5 == "tcp_state" && index($0, t) && index($0, o) && / oldstate=10 newstate=3 /' "$T/dump")
es=$(awk -v t="sport=$P2 dport=$csport " -v o="$own" '$5 == "tcp_state" && index($0, t) && index($0, o) && / oldstate=3 newstate=1 /' "$T/dump")
cl=$(awk -v t="sport=$csport dport=$P2 " '$5 ~ /^tcp_/ && index($0, t)' "$T/dump" | head -1)
[ $rc = 0 ] && [ -n "$csport" ] && [ -n "$sr" ] && [ -n "$es" ] && [ -z "$cl" ] && kt_pass tcp_server_owner ||
	kt_fail tcp_server_owner "record exited $rc; server $srv, client port $csport: SYN_RECV '$sr' ESTABLISHED '$es' client socket event '$cl'"

# --- a server that listened before the recording started, recorded with -p
P4=45684
"$KT_TOOL" serve $P4 >"$T/pre.out" & S=$!
for i in $(seq 50); do grep -q listening "$T/pre.out" 2>/dev/null && break; sleep 0.1; done
"$KTRAIL" record -q -o "$T/pre.ktr" -e tcp -p $S -d 1.5 2>"$T/err" & R=$!
sleep 0.7
timeout 10 "$KT_TOOL" connect 127.0.0.1 $P4 100 >"$T/cl.out"
wait $R; rc=$?
kt_reap $S
csport=$(awk '/^sport/{print $2}' "$T/cl.out")
kt_dump "$T/pre.ktr" >"$T/dump" 2>&1
own=" owner_tid=$S owner_pid=$S "
sr=$(awk -v t="sport=$P4 dport=$csport " -v o="$own" '$5 == "tcp_state" && index($0, t) && index($0, o) && / oldstate=10 newstate=3 /' "$T/dump")
es=$(awk -v t="sport=$P4 dport=$csport " -v o="$own" '$5 == "tcp_state" && index($0, t) && index($0, o) && / oldstate=3 newstate=1 /' "$T/dump")
[ $rc = 0 ] && [ -n "$csport" ] && [ -n "$sr" ] && [ -n "$es" ] && kt_pass tcp_server_before_start ||
	kt_fail tcp_server_before_start "record exited $rc; server $S, client port $csport: SYN_RECV '$sr' ESTABLISHED '$es' $(head -c 200 "$T/err")"

# --- a SYN dropped at a full accept queue and retransmitted
P3=45683
"$KTRAIL" record -q -o "$T/q.ktr" -e tcp -- "$KT_TOOL" listen_full $P3 >"$T/q.out" 2>"$T/err"
rc=$?
qp=$(awk '/^pid/{print $2}' "$T/q.out"); second=$(awk '/^second/{print $2}' "$T/q.out")
kt_dump "$T/q.ktr" >"$T/dump" 2>&1
rt=$(awk -v t="sport=$second dport=$P3 " -v o=" owner_tid=$qp owner_pid=$qp " '$5 == "tcp_retrans" && index($0, t) && index($0, o) && / oldstate=2 newstate=2 / && / acceptq=1 acceptq_max=0( |$)/ { for (i = 6; i <= NF; i++) if ($i ~ /^flags=/) { sub("flags=", "", $i); if (int($i / 4) % 2) print } }' "$T/dump" | head -1)
"$KTRAIL" stats "$T/q.ktr" tcpretrans >"$T/retrans" 2>&1
st=$(awk -v p="$qp" -v s=":$second" '$2 == p && $5 == "T>" && index($4, s)' "$T/retrans")
lo=$(kt_meta "$T/q.ktr" net.start.TcpExt.ListenOverflows) hi=$(kt_meta "$T/q.ktr" net.end.TcpExt.ListenOverflows)
[ $rc = 0 ] && grep -q "^pending yes" "$T/q.out" && [ -n "$rt" ] && [ -n "$st" ] && [ "$hi" -gt "$lo" ] 2>/dev/null && kt_pass tcp_syn_full_queue ||
	kt_fail tcp_syn_full_queue "record exited $rc; pid $qp port $second: retransmit '$rt'; tcpretrans '$st' ($(head -2 "$T/retrans" | tail -1)); ListenOverflows $lo -> $hi"

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
for i in \$(seq 300); do grep -q listening "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
ip netns exec $NA "$KT_TOOL" connect 10.201.7.2 $PORT 100 >"$T/conn.out"
wait
EOS
"$KTRAIL" record -q -o "$T/n.ktr" -e tcp,proc -- sh "$T/pair.sh" 2>"$T/err"
rc=$?
kt_dump "$T/n.ktr" >"$T/dump" 2>&1
sport=$(awk '/^sport/{print $2}' "$T/conn.out")
a=$(ipnum 10.201.7.1) b=$(ipnum 10.201.7.2)
c=$(awk -v t="saddr0=$a saddr1=0 daddr0=$b daddr1=0 family=2 sport=$sport dport=$PORT netns=$insa oldstate=2 newstate=1 " '$5 == "tcp_state" && index($0, t)' "$T/dump")
s=$(awk -v t="saddr0=$b saddr1=0 daddr0=$a daddr1=0 family=2 sport=$PORT dport=$sport netns=$insb oldstate=3 newstate=1 " '$5 == "tcp_state" && index($0, t)' "$T/dump")
[ $rc = 0 ] && [ -n "$sport" ] && [ -n "$c" ] && kt_pass tcp_netns_client ||
	kt_fail tcp_netns_client "record exited $rc; no SYN_SENT -> ESTABLISHED of 10.201.7.1:$sport -> 10.201.7.2:$PORT in netns $insa: $(grep tcp_state "$T/dump" | head -3)"
[ $rc = 0 ] && [ -n "$sport" ] && [ -n "$s" ] && kt_pass tcp_netns_server ||
	kt_fail tcp_netns_server "record exited $rc; no SYN_RECV -> ESTABLISHED of 10.201.7.2:$PORT <- 10.201.7.1:$sport in netns $insb"
