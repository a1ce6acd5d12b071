#!/bin/bash
# A recorder killed with SIGKILL mid-run loses at most the last second:
# after `ktrail recover`, the file is readable and holds every event of a
# steady workload (a getppid every ~100 us) older than one second before
# the kill, without a gap.
. "$(dirname "$0")/lib/record.bash"
kt_init record_recover recover_readable recover_last_second
mono() { python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))'; }
W=
kt_cleanup() { [ -n "$W" ] && kill $W 2>/dev/null; :; }
"$KT_TOOL" steady 20 >"$T/steady.out" & W=$!
sleep 0.2
"$KTRAIL" record -q -o "$T/k.ktr" -p $W -e syscall 2>"$T/err" & R=$!
sleep 3.5
k=$(mono)
kill -KILL $R
wait $R 2>/dev/null
"$KTRAIL" recover "$T/k.ktr" >"$T/rec.out" 2>&1; rc=$?
kt_dump "$T/k.ktr" >"$T/dump" 2>"$T/dump.err"; drc=$?
[ $rc = 0 ] && [ $drc = 0 ] && [ -s "$T/dump" ] && kt_pass recover_readable ||
	kt_fail recover_readable "recover exited $rc, dump $drc: $(head -c 300 "$T/rec.out" "$T/dump.err")"
nr=$(kt_sysnr getppid)
# a gap: 50 ms between two syscalls of the workload that no syscall
# covers (a nanosleep that overslept on a busy machine is no gap: its own
# record spans the time)
res=$(awk -v p=$W -v nr="nr=$nr" -v k=$k '$4 == p && $5 == "syscall" {
		d = $7; sub("dur=", "", d)
		if (seen && $1 - d - end > 50000000) gap = gap " " end "->" $1 - d
		if ($1 > end) end = $1
		seen = 1
		if ($6 == nr) { n++; last = $1 } }
	END { printf "%d %d %s\n", n, (k - last) / 1000000, gap ? "gaps:" gap : "" }' "$T/dump")
set -- $res
# newest event kept at most 1 s (plus the 100 ms drain) before the kill
[ "${1:-0}" -gt 1000 ] && [ "${2:-9999}" -le 1100 ] && [ -z "${3:-}" ] && kt_pass recover_last_second ||
	kt_fail recover_last_second "$1 getppid events kept, the newest $2 ms before the kill ${*:3}"
