#!/bin/bash
# Packets (--pcap lo) line up in time with the TCP events of the same
# connection: CLOSE -> SYN_SENT <= SYN packet <= SYN-ACK packet <= the
# client's ESTABLISHED, all within a few milliseconds, on one clock.
. "$(dirname "$0")/lib/record.bash"
kt_init record_pcap pcap_packets pcap_timeline
PORT=45693
cat >"$T/pair.sh" <<EOS
"$KT_TOOL" serve $PORT >"$T/serve.out" &
for i in \$(seq 300); do grep -q listening "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
"$KT_TOOL" connect 127.0.0.1 $PORT 100 >"$T/conn.out"
wait
EOS
"$KTRAIL" record -q -o "$T/p.ktr" -e tcp,proc --pcap lo --snaplen 128 --pcap-filter "tcp port $PORT" -- sh "$T/pair.sh" 2>"$T/err"
rc=$?
kt_dump "$T/p.ktr" >"$T/dump" 2>&1
sport=$(awk '/^sport/{print $2}' "$T/conn.out")
python3 - "$T/dump" "$sport" "$PORT" >"$T/res" 2>&1 <<'EOP'
import re, sys
dump, sport, port = sys.argv[1], int(sys.argv[2] or 0), int(sys.argv[3])
def fields(l):
    return dict(kv.split("=", 1) for kv in l.split()[5:] if "=" in kv)
def unesc(s):
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode("latin1"))
pk, st = [], []
for l in open(dump):
    p = l.split()
    if len(p) < 5:
        continue
    f = fields(l)
    if p[4] == "net_packet":
        d = unesc(f["data"])
        if f["linktype"] != "1" or len(d) < 14 + 20 + 20 or d[12:14] != b"\x08\x00":
            continue
        ihl = (d[14] & 15) * 4
        t = d[14 + ihl:]
        pk.append((int(p[0]), int.from_bytes(t[0:2], "big"), int.from_bytes(t[2:4], "big"), t[13], int(f["len"]), int(f["caplen"])))
    elif p[4] == "tcp_state":
        st.append((int(p[0]), f))
if not pk:
    print("FAIL pcap_packets: no TCP packets captured on lo"); print("FAIL pcap_timeline: no packets"); sys.exit()
bad = [x for x in pk if x[5] > 128 or x[5] > x[4]]
ok = sport and any(x[1] == sport and x[2] == port for x in pk) and any(x[1] == port and x[2] == sport for x in pk)
print("PASS pcap_packets" if ok and not bad else "FAIL pcap_packets: %d packets, none both ways between :%d and :%d, or caplen > snaplen: %s" % (len(pk), sport, port, bad[:2]))
syn = [x[0] for x in pk if x[1] == sport and x[3] & 0x12 == 0x02]
synack = [x[0] for x in pk if x[2] == sport and x[3] & 0x12 == 0x12]
cookie = next((f["sock"] for ts, f in st if f["sport"] == str(sport) and f["dport"] == str(port)), None)
ss = [ts for ts, f in st if f["sock"] == cookie and f["newstate"] == "2"]
est = [ts for ts, f in st if f["sock"] == cookie and f["newstate"] == "1"]
if syn and synack and ss and est and ss[0] <= syn[0] <= synack[0] <= est[0] and est[0] - ss[0] < 5000000:
    print("PASS pcap_timeline")
else:
    print("FAIL pcap_timeline: SYN_SENT %s SYN %s SYN-ACK %s ESTABLISHED %s" % (ss[:1], syn[:1], synack[:1], est[:1]))
EOP
# a recording that failed fails every case, whatever its capture holds
while read -r res name reason; do
	name=${name%:}
	if [ $rc != 0 ]; then
		kt_fail "$name" "record exited $rc: $(head -c 200 "$T/err" | tr '\n' ' ')"
	elif [ "$res" = PASS ]; then
		kt_pass "$name"
	else
		kt_fail "$name" "$reason"
	fi
done <"$T/res"
