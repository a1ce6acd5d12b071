#!/bin/bash
# TCP byte counters (format 1.3): a loopback session of kt-test-tool
# tcp_bytes moves a known number of bytes each way (the workload prints
# what write() and read() moved: its truth), and the close records carry
# the kernel's counters as bcc's tcplife reads them: bytes_acked (TX) and
# bytes_received (RX).  Those count the sequence space, so besides the
# data they count this socket's SYN once acknowledged (the client's: the
# connecting side) and each FIN once acknowledged (TX) or received (RX):
# here the client sends UP bytes and shuts down first, the server then
# sends DOWN bytes and closes, so
#   client TX = UP + 2 (SYN, FIN), client RX = DOWN + 1 (the server's FIN)
#   server TX = DOWN + 1 (its FIN), server RX = UP + 1 (the client's FIN)
# exactly.  Checked in `stats tcplife` (TX_KB/RX_KB as bcc prints them,
# KiB truncated, and the bytes of --json), replay's close records, the
# SQLite export's tcp_connections (built with sched recorded), and the
# metadata's record.tcp_bytes.
. "$(dirname "$0")/lib/record.bash"
kt_init tcp_bytes tcp_bytes_meta tcp_bytes_tcplife tcp_bytes_tcplife_json tcp_bytes_replay tcp_bytes_sql
UP=300000 DOWN=70001

"$KTRAIL" record -q -o "$T/b.ktr" -e tcp,proc,sched -- "$KT_TOOL" tcp_bytes $UP $DOWN >"$T/out" 2>"$T/err"
rc=$?
read -r _ cpid cport csent crecv < <(grep '^client ' "$T/out")
read -r _ spid sport ssent srecv < <(grep '^server ' "$T/out")
if [ $rc != 0 ] || [ "${csent:-}" != $UP ] || [ "${srecv:-}" != $UP ] ||
   [ "${ssent:-}" != $DOWN ] || [ "${crecv:-}" != $DOWN ]; then
	for c in $KT_CASES; do
		kt_fail $c "the workload did not move its bytes: record exited $rc, '$(tr '\n' ' ' <"$T/out")' $(head -c 300 "$T/err")"
	done
	exit 1
fi
ctx=$((csent + 2)) crx=$((crecv + 1)) stx=$((ssent + 1)) srx=$((srecv + 1))

v=$(kt_meta "$T/b.ktr" record.tcp_bytes)
minor=$("$KTRAIL" info "$T/b.ktr" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["format"])' 2>&1)
[ "$v" = True ] && [ "$minor" = 1.3 ] && kt_pass tcp_bytes_meta ||
	kt_fail tcp_bytes_meta "record.tcp_bytes '$v' (want True), format '$minor' (want 1.3)"

# tcplife text: the row of each socket by its local port
"$KTRAIL" stats "$T/b.ktr" tcplife >"$T/life" 2>&1
hdr=$(head -1 "$T/life" | awk '{ print $9, $10 }')
crow=$(awk -v p=$cport '$6 == p { print $2, $9, $10 }' "$T/life")
srow=$(awk -v p=$sport -v c=$cport '$6 == p && $8 == c { print $2, $9, $10 }' "$T/life")
want_c="$cpid $((ctx / 1024)) $((crx / 1024))" want_s="$spid $((stx / 1024)) $((srx / 1024))"
[ "$hdr" = "TX_KB RX_KB" ] && [ "$crow" = "$want_c" ] && [ "$srow" = "$want_s" ] && kt_pass tcp_bytes_tcplife ||
	kt_fail tcp_bytes_tcplife "header '$hdr'; client row '$crow' (want '$want_c'), server row '$srow' (want '$want_s'): $(cat "$T/life")"

"$KTRAIL" stats "$T/b.ktr" tcplife --json >"$T/life.json" 2>&1
got=$(python3 - "$T/life.json" $cport $sport <<'EOP'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for port in sys.argv[2:]:
    r = [x for x in rows if x.get('lport') == int(port)]
    print(' '.join('%s:%s' % (x['tx_bytes'], x['rx_bytes']) for x in r))
EOP
)
want="$ctx:$crx
$stx:$srx"
[ "$got" = "$want" ] && kt_pass tcp_bytes_tcplife_json "client $ctx/$crx, server $stx/$srx bytes" ||
	kt_fail tcp_bytes_tcplife_json "got '$got', want '$want'"

# replay: the two closes of the session (the listener's close says 0)
"$KTRAIL" replay "$T/b.ktr" -e tcp >"$T/replay" 2>&1
rc1=$(awk -v t="127.0.0.1:$cport -> 127.0.0.1:$sport" 'index($0, t) && / -> CLOSE / { for (i = 1; i <= NF; i++) if ($i ~ /^(tx|rx)_bytes=/) printf "%s ", $i }' "$T/replay")
rs1=$(awk -v t="127.0.0.1:$sport -> 127.0.0.1:$cport" 'index($0, t) && / -> CLOSE / { for (i = 1; i <= NF; i++) if ($i ~ /^(tx|rx)_bytes=/) printf "%s ", $i }' "$T/replay")
[ "$rc1" = "tx_bytes=$ctx rx_bytes=$crx " ] && [ "$rs1" = "tx_bytes=$stx rx_bytes=$srx " ] && kt_pass tcp_bytes_replay ||
	kt_fail tcp_bytes_replay "client close '$rc1', server close '$rs1' (want $ctx/$crx, $stx/$srx)"

XDG_CACHE_HOME=$T/cache "$KTRAIL" sql "$T/b.ktr" --csv \
	"select sport, dport, tx_bytes, rx_bytes from tcp_connections where dport != 0 order by sport" >"$T/sql" 2>&1
want=$(printf '%s\n' "$cport,$sport,$ctx,$crx" "$sport,$cport,$stx,$srx" | sort -t, -k1,1n)
got=$(tr -d '\r' <"$T/sql" | grep -v '^sport')
[ "$got" = "$want" ] && kt_pass tcp_bytes_sql ||
	kt_fail tcp_bytes_sql "tcp_connections '$(tr '\n' ' ' <"$T/sql")', want '$(echo $want)'"
