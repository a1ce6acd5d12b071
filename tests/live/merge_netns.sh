#!/bin/bash
# ktrail merge across two "hosts" (issue 13 "merge"): two network
# namespaces joined by a veth pair, each side recorded by its own ktrail
# with its own --host-id.  The server answers the client's one request
# after an 80 ms timer sleep of its own.  The client's capture alone can
# only say "the network"; merged, `why` on the client's slow read follows
# the TCP connection (paired by 4-tuple) to the server's thread and names
# the server's cause, the timer, on host "server"; `graph` has the
# cross-host edge (the server's write -> the client's read), and the
# merged capture verifies clean.
. "$(dirname "$0")/lib/record.bash"
kt_init merge_netns merge_netns_alone merge_netns_merge merge_netns_why merge_netns_graph
NC=kt-mc-$$ NS=kt-ms-$$ VC=ktvc$$ VS=ktvs$$
PORT=45873 DELAY_MS=80

kt_cleanup() {
	ip netns del "$NC" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
skip_all() {
	for c in merge_netns_alone merge_netns_merge merge_netns_why merge_netns_graph; do
		kt_skip $c "$1"
	done
	exit 0
}
command -v ip >/dev/null || skip_all "no ip command (iproute2)"
ip netns add "$NC" 2>"$T/ip.err" && ip netns add "$NS" 2>>"$T/ip.err" ||
	skip_all "ip netns add failed: $(head -1 "$T/ip.err")"
if ! { ip link add "$VC" netns "$NC" type veth peer name "$VS" netns "$NS" &&
       ip -n "$NC" addr add 10.213.0.1/24 dev "$VC" &&
       ip -n "$NS" addr add 10.213.0.2/24 dev "$VS" &&
       ip -n "$NC" link set "$VC" up && ip -n "$NS" link set "$VS" up &&
       ip -n "$NC" link set lo up && ip -n "$NS" link set lo up; } 2>"$T/ip.err"; then
	skip_all "no veth pair between namespaces: $(head -1 "$T/ip.err")"
fi

# the server first, recorded as host "server"; the client once it listens
"$KTRAIL" record -q --host-id server -o "$T/s.ktr" -e sched,proc,syscall,tcp -- \
	ip netns exec "$NS" "$KT_TOOL" slow_serve $PORT $DELAY_MS >"$T/srv.out" 2>"$T/srv.err" &
srec=$!
for i in $(seq 200); do grep -qs listening "$T/srv.out" && break; sleep 0.05; done
"$KTRAIL" record -q --host-id client -o "$T/c.ktr" -e sched,proc,syscall,tcp -- \
	ip netns exec "$NC" "$KT_TOOL" slow_client 10.213.0.2 $PORT "$T/truth" >"$T/cli.out" 2>"$T/cli.err"
crc=$?
wait $srec
src=$?
pid=$(awk '$1 == "pid" { print $2 }' "$T/truth" 2>/dev/null)
tid=$(awk '$1 == "tid" { print $2 }' "$T/truth" 2>/dev/null)
t0=$(awk '$1 == "send_ns" { print $2 }' "$T/truth" 2>/dev/null)
t1=$(awk '$1 == "answer_ns" { print $2 }' "$T/truth" 2>/dev/null)
if [ $crc != 0 ] || [ $src != 0 ] || [ -z "$pid" ]; then
	for c in merge_netns_alone merge_netns_merge merge_netns_why merge_netns_graph; do
		kt_fail $c "recording failed: client $crc ($(head -c 200 "$T/cli.err")), server $src ($(head -c 200 "$T/srv.err"))"
	done
	exit 1
fi
srvpid=$(awk '$1 == "listening" { print $2 }' "$T/srv.out")

# the client alone: its read waits for "the network"
"$KTRAIL" why "$T/c.ktr" --pid "$pid" >"$T/why1" 2>"$T/why1.err"
if grep -q "^root cause: the network" "$T/why1"; then
	kt_pass merge_netns_alone "$(grep -m1 '^why:' "$T/why1")"
else
	kt_fail merge_netns_alone "why on the client alone: $(head -3 "$T/why1" "$T/why1.err" | tr '\n' ';')"
fi

# merged: one TCP connection paired, one boot: one clock; verify clean
"$KTRAIL" merge "$T/c.ktr" "$T/s.ktr" -o "$T/all.ktr" >"$T/merge.out" 2>"$T/merge.err"
mrc=$?
"$KTRAIL" verify "$T/all.ktr" >"$T/verify" 2>&1
vrc=$?
"$KTRAIL" info "$T/all.ktr" >"$T/info" 2>/dev/null
if [ $mrc = 0 ] && [ $vrc = 0 ] && grep -q "1 TCP connection paired" "$T/merge.out" &&
   grep -q "^  server .* +0 *0 " "$T/info" &&
   grep -q "aligned to within 0 ns" "$T/info"; then
	kt_pass merge_netns_merge "$(head -1 "$T/merge.out"); $(grep '^clock:' "$T/info")"
else
	kt_fail merge_netns_merge "merge $mrc ($(cat "$T/merge.out" "$T/merge.err" | tr '\n' ';')), verify $vrc ($(tail -2 "$T/verify" | tr '\n' ';'))"
fi

# why on the client's slow read: the server's timer, on host server,
# reached through the server's thread; the read is the one the client
# timed (its span inside the ground truth's send .. answer)
"$KTRAIL" why "$T/all.ktr" --pid "$pid" >"$T/why2" 2>"$T/why2.err"
"$KTRAIL" why "$T/all.ktr" --pid "$pid" --json >"$T/why2.json" 2>/dev/null
read -r root_kind root_ns srv_timer_ns hop_host span_s span_e <<<"$(python3 - "$T/why2.json" <<'EOP'
import json, sys
w = json.load(open(sys.argv[1]))
r = w.get("root") or {}
hops = [h for h in w.get("hops", []) if h.get("via") == "peer"]
timer = sum(s["ns"] for s in w.get("segments", [])
            if s.get("kind") == "timer" and s["thread"]["name"].startswith("server:"))
print(r.get("kind", "-"), r.get("ns", 0), timer,
      hops[0]["thread"]["name"].split(":")[0] if hops else "-",
      w["span"]["start"], w["span"]["end"])
EOP
)"
want_ns=$((DELAY_MS * 1000000 * 9 / 10))
if grep -q "^root cause: a timer" "$T/why2" && grep -q "server:" "$T/why2" &&
   [ "$root_kind" = timer ] && [ "${srv_timer_ns:-0}" -ge $want_ns ] &&
   [ "$hop_host" = server ] &&
   [ "${span_s:-0}" -ge "$t0" ] && [ "${span_e:-0}" -le "$t1" ]; then
	kt_pass merge_netns_why "$(head -1 "$T/why2"); $(grep -m1 'inferred' "$T/why2" | sed 's/^ *//' | cut -c1-120)"
else
	kt_fail merge_netns_why "root $root_kind ${root_ns}ns, the server's timer ${srv_timer_ns}ns (want >= ${want_ns}ns), peer hop on '$hop_host', span $span_s..$span_e in truth $t0..$t1: $(head -12 "$T/why2" "$T/why2.err" | tr '\n' ';')"
fi

# graph: the server's write -> the client's read, across the hosts
"$KTRAIL" graph "$T/all.ktr" --window all --json >"$T/g.json" 2>"$T/g.err"
edge=$(python3 - "$T/g.json" <<'EOP'
import json, sys
g = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in g["nodes"]}
for e in g["edges"]:
    a, b = nodes[e["src"]]["label"], nodes[e["dst"]]["label"]
    if e["kind"] == "wrote->read" and a.startswith("server:") and b.startswith("client:"):
        print("%s -> %s (%s bytes)" % (a, b, e.get("bytes")))
EOP
)
if [ -n "$edge" ]; then
	kt_pass merge_netns_graph "$(echo "$edge" | head -1)"
else
	kt_fail merge_netns_graph "no wrote_read edge from a server thread to a client thread: $(head -c 300 "$T/g.err")"
fi
