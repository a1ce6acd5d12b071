#!/bin/bash
# graph of recorded TCP connections (issue 10 §4): a connect to a closed
# loopback port, answered by a reset, is the only connection called
# refused, with an edge from the thread that connected; a completed
# connection to a local echo server is established, its server side
# belongs to the server (owner_tid) although its SYN_RECV and ESTABLISHED
# ran in soft irq on the client's time, and the listener is a listener.
. "$(dirname "$0")/lib/record.bash"
kt_init graph_tcp graph_tcp_refused graph_tcp_established
PORT=45691

cat >"$T/run.sh" <<EOS
"$KT_TOOL" connect 127.0.0.1 1
"$KT_TOOL" serve $PORT >"$T/srv.out" & srv=\$!
for i in \$(seq 100); do grep -q listening "$T/srv.out" && break; sleep 0.05; done
"$KT_TOOL" connect 127.0.0.1 $PORT 64
wait \$srv
EOS
"$KTRAIL" record -q -o "$T/c.ktr" -e tcp,proc,sched,syscall -- sh "$T/run.sh" >"$T/out" 2>"$T/err"
rc=$?
"$KTRAIL" graph "$T/c.ktr" --window all --json >"$T/g.json" 2>"$T/g.err"
grc=$?
# one line per tcp node: "sport dport detail | edge kinds and labels into it"
python3 - "$T/g.json" >"$T/tcp" <<'EOP'
import json, sys
g = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in g["nodes"]}
for n in g["nodes"]:
    if n["kind"] != "tcp":
        continue
    into = sorted("%s from %s" % (e["kind"] + (" refused" if e["kind"] == "connect" and e["value"] else ""),
                                  nodes[e["src"]]["label"]) for e in g["edges"] if e["dst"] == n["id"])
    print("%s | %s | %s" % (n["label"], n["detail"], "; ".join(into)))
EOP
refused=$(grep -c "refused" "$T/tcp")      # lines: node and edge share one
line=$(grep -- "->127.0.0.1:1 " "$T/tcp")
if [ $grc = 0 ] && [ "$refused" = 1 ] && echo "$line" | grep -q "refused: a reset answered the SYN" &&
   echo "$line" | grep -q "connect refused from kt-test-tool/"; then
	kt_pass graph_tcp_refused
else
	kt_fail graph_tcp_refused "record $rc, graph $grc; $(head -c 300 "$T/g.err"); refused in $refused lines (want 1: the node and its edge): $(tr '\n' ';' <"$T/tcp" | head -c 600)"
fi
cli=$(grep -- "->127.0.0.1:$PORT " "$T/tcp")
srv=$(grep -- "127.0.0.1:$PORT->127.0.0.1:[1-9]" "$T/tcp")
lst=$(grep -- "0.0.0.0:$PORT->0.0.0.0:0" "$T/tcp")
if echo "$cli" | grep -q "established, closed | connect from kt-test-tool/" &&
   echo "$srv" | grep -q "established, closed | accept from kt-test-tool/" &&
   echo "$lst" | grep -q "listening, closed | listen from kt-test-tool/" &&
   [ "$(echo "$srv" | grep -o 'accept from [^;]*' | cut -d' ' -f3)" = \
     "$(echo "$lst" | grep -o 'listen from [^;]*' | cut -d' ' -f3)" ]; then
	kt_pass graph_tcp_established
else
	kt_fail graph_tcp_established "client: '$cli'; server side: '$srv'; listener: '$lst'"
fi
