#!/bin/bash
# Flight recorder: --flight keeps only the last DURATION; a trigger
# (exit!=0), SIGUSR1 and the exit each write a self-contained capture
# (FILE, then FILE.1, FILE.2, ...).
. "$(dirname "$0")/lib/record.bash"
kt_init record_flight flight_trigger flight_window flight_sigusr1 flight_signal_trigger
"$KTRAIL" record -q -o "$T/f.ktr" -e proc,syscall --flight 1s --trigger 'exit!=0' -- \
	sh -c "sh -c 'exit 3'; \"$KT_TOOL\" steady 3 >/dev/null" 2>"$T/err"; rc=$?
kt_dump "$T/f.ktr" >"$T/d0" 2>&1
kt_dump "$T/f.ktr.1" >"$T/d1" 2>&1
x=$(awk '$5 == "proc_exit" && / exit_code=768 /' "$T/d0")
w=$(kt_meta "$T/f.ktr" flight.window_ns)
[ $rc = 0 ] && [ -n "$x" ] && [ "$w" = 1000000000 ] && kt_pass flight_trigger ||
	kt_fail flight_trigger "record exited $rc; exit 3 in the trigger dump: '$x', flight.window_ns '$w' $(head -c 200 "$T/err")"
# the exit dump holds about the last second of a 3 s workload, not all of it
span=$(awk '$5 == "syscall" { if (!f) f = $1; l = $1 } END { printf "%d", (l - f) / 1000000 }' "$T/d1")
x1=$(awk '$5 == "proc_exit" && / exit_code=768 /' "$T/d1")
[ -n "$span" ] && [ "$span" -ge 500 ] && [ "$span" -le 2200 ] && [ -z "$x1" ] && kt_pass flight_window ||
	kt_fail flight_window "the exit dump spans $span ms of syscalls (want 0.5..2.2 s) and holds the early exit: '$x1'"
"$KTRAIL" record -q -o "$T/u.ktr" -e syscall --flight 2s -d 3 2>"$T/err" & R=$!
sleep 1.5
kill -USR1 $R
sleep 1
early=no; [ -s "$T/u.ktr" ] && early=yes
wait $R; rc=$?
kt_dump "$T/u.ktr" >/dev/null 2>&1 && kt_dump "$T/u.ktr.1" >/dev/null 2>&1 && ok=yes || ok=no
[ $rc = 0 ] && [ $early = yes ] && [ $ok = yes ] && kt_pass flight_sigusr1 ||
	kt_fail flight_sigusr1 "record exited $rc; dump written before exit: $early; both readable: $ok $(head -c 200 "$T/err")"
"$KTRAIL" record -q -o "$T/s.ktr" -e signal,proc --flight 5s --trigger signal=12 -- \
	sh -c 'trap "" USR2; sleep 0.3; kill -USR2 $$; sleep 1.6' 2>"$T/err"; rc=$?
g=$(kt_dump "$T/s.ktr" 2>&1 | awk '$5 == "signal_generate" && / signo=12 /')
[ $rc = 0 ] && [ -n "$g" ] && [ -s "$T/s.ktr.1" ] && kt_pass flight_signal_trigger ||
	kt_fail flight_signal_trigger "record exited $rc; SIGUSR2 in the trigger dump: '$g'; exit dump: $(ls "$T" | tr '\n' ' ')"
