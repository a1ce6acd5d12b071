#!/bin/bash
# What is still going on at stop is recorded as such: a sleep blocked in
# clock_nanosleep when recording stops gives one syscall record flagged
# KT_SYSCALL_UNFINISHED, stamped at the stop, with its duration so far.
. "$(dirname "$0")/lib/record.bash"
kt_init record_unfinished unfinished_syscall
# the sleep must start after recording does: a syscall entered before has
# no enter time and is not recorded at all
mkfifo "$T/go"
sh -c "read x <\"$T/go\"; exec sleep 30" & S=$!
kt_cleanup() { kill $S 2>/dev/null; :; }
"$KTRAIL" record -q -o "$T/u.ktr" -p $S -e syscall -d 2.5 2>"$T/err" & R=$!
sleep 1.5
echo go >"$T/go"
wait $R; rc=$?
kt_dump "$T/u.ktr" >"$T/dump" 2>&1
nr=$(kt_sysnr clock_nanosleep)
u=$(awk -v p=$S -v nr="nr=$nr" '$4 == p && $5 == "syscall" && $6 == nr && / flags=[0-9]+$/ { f = $NF; sub("flags=", "", f); d = $7; sub("dur=", "", d); if (f % 2 == 1 && d + 0 > 200000000) print }' "$T/dump")
stop=$(kt_meta "$T/u.ktr" record.stop_ns)
ts=$(echo "$u" | awk '{print $1; exit}')
[ $rc = 0 ] && [ -n "$u" ] && [ "$ts" = "$stop" ] && kt_pass unfinished_syscall ||
	kt_fail unfinished_syscall "record exited $rc; no unfinished clock_nanosleep of $S stamped at stop $stop: '$(grep " $S syscall" "$T/dump" | head -2)'"
