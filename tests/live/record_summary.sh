#!/bin/bash
# record's end-of-run summary gives the capture's size as `info` does:
# "N events in S s, M MB (B bytes/event)" with M the file's size (the last
# frame, index and end metadata included, which only close writes) and B
# info's bytes/event (frame bytes over events).  Issue 15: it printed
# "0.00 MB (0.1 bytes/event)" for a 59 KB file of 5.73 bytes/event.
. "$(dirname "$0")/lib/record.bash"
kt_init record_summary summary_size summary_bytes_per_event
kt_cleanup() { :; }
"$KTRAIL" record -o "$T/s.ktr" -- python3 -c 'import socket' >"$T/out" 2>"$T/err"
rc=$?
line=$(grep -E '^ktrail record: [0-9,]+ events in ' "$T/err")
if [ $rc -ne 0 ] || [ -z "$line" ]; then
	kt_fail summary_size "record exited $rc: $(head -c 300 "$T/err")"
	kt_fail summary_bytes_per_event "no summary line"
	exit 0
fi
mb=$(sed -E 's/.* s, ([0-9.]+) MB .*/\1/' <<<"$line")
bpe=$(sed -E 's/.*MB \(([0-9.]+) bytes\/event\).*/\1/' <<<"$line")
size=$(stat -c %s "$T/s.ktr")
want=$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1e6 }')
[ "$mb" = "$want" ] && kt_pass summary_size "$mb MB" ||
	kt_fail summary_size "summary says $mb MB, the file has $size bytes ($want MB): $line"
info=$("$KTRAIL" info "$T/s.ktr" 2>/dev/null | sed -nE 's/^size: .*, ([0-9.]+) bytes\/event$/\1/p')
[ -n "$info" ] && [ "$bpe" = "$info" ] && kt_pass summary_bytes_per_event "$bpe" ||
	kt_fail summary_bytes_per_event "summary says $bpe bytes/event, info says '$info': $line"
