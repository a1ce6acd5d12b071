#!/bin/bash
# Packets recorded with `record --pcap lo` (a TCP exchange on loopback),
# exported with `export --pcap` and read back by `tshark -r`: the same
# packet count as the capture's net_packet events, and the same first and
# last times to the nanosecond as the SQLite export computes them from
# the clock anchors (its SQL arithmetic, not the pcapng writer's C).
. "$(dirname "$0")/lib/record.bash"
kt_init export_pcap pcap_tshark_count pcap_tshark_times
PORT=45697
cat >"$T/pair.sh" <<EOS
"$KT_TOOL" serve $PORT >"$T/serve.out" &
for i in \$(seq 300); do grep -q listening "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
"$KT_TOOL" connect 127.0.0.1 $PORT 20 >"$T/conn.out"
wait
EOS
"$KTRAIL" record -q -o "$T/p.ktr" -e tcp,proc --pcap lo --snaplen 96 \
	--pcap-filter "tcp port $PORT" -- sh "$T/pair.sh" 2>"$T/err"
rc=$?
if [ $rc != 0 ]; then
	for c in pcap_tshark_count pcap_tshark_times; do
		kt_fail $c "record exited $rc: $(head -c 200 "$T/err" | tr '\n' ' ')"
	done
	exit
fi
"$KTRAIL" export "$T/p.ktr" --pcap "$T/p.pcapng" 2>"$T/xerr" ||
	{ kt_fail pcap_tshark_count "export: $(cat "$T/xerr")"; kt_fail pcap_tshark_times "no export"; exit; }
"$KTRAIL" export "$T/p.ktr" --sqlite "$T/p.db" 2>>"$T/xerr"
want=$("$KTRAIL" replay "$T/p.ktr" -e net | wc -l)
tshark -r "$T/p.pcapng" -T fields -e frame.time_epoch 2>"$T/terr" >"$T/times"
got=$(wc -l <"$T/times")
if [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
	kt_pass pcap_tshark_count "$got packets"
else
	kt_fail pcap_tshark_count "tshark read $got packets of $want: $(head -c 200 "$T/terr")"
fi
# wall-clock seconds with 9 decimals, as tshark prints frame.time_epoch
# (text: awk's doubles would round the ns away)
sec() { sed 's/\(.........\)$/.\1/'; }
first=$(sqlite3 "$T/p.db" "SELECT wall_ns FROM events WHERE kind = 'net_packet' ORDER BY ts, id LIMIT 1" | sec)
last=$(sqlite3 "$T/p.db" "SELECT wall_ns FROM events WHERE kind = 'net_packet' ORDER BY ts DESC, id DESC LIMIT 1" | sec)
t1=$(sort "$T/times" | head -1)
t2=$(sort "$T/times" | tail -1)
if [ -n "$first" ] && [ "$t1" = "$first" ] && [ "$t2" = "$last" ]; then
	kt_pass pcap_tshark_times "$t1 .. $t2"
else
	kt_fail pcap_tshark_times "tshark $t1 .. $t2, the capture's anchors give $first .. $last"
fi
