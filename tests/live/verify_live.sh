#!/bin/bash
# live/verify_live: record a few real workloads, whole host and scoped,
# and check each capture with `ktrail verify`: a capture that reports no
# lost event must have no violation (findings explained by lost events or
# by tasks the kernel hides are allowed and counted in the PASS line).
#   verify_host       whole host, 1.5 s, while forks, execs, syscalls,
#                     a pinned CPU hog and an fsync'd write run
#   verify_cmd_convoy -- CMD: the lock convoy of issue 10 (a holder
#                     computing 50 ms with a mutex, three waiters)
#   verify_cmd_forks  -- CMD: a shell forking and exec'ing 30 children
#   verify_pid        -p PID --follow on a running process and its children
. "$(dirname "$0")/lib/record.bash"
kt_init verify_live verify_host verify_cmd_convoy verify_cmd_forks verify_pid
bg=()
kt_cleanup() { for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }

# check CASE CAPTURE RECORD_EXIT: verify it; PASS or FAIL with the reason
check() {
	local c=$1 f=$2 rc=$3 v lost expl
	if [ "$rc" -ne 0 ] || [ ! -s "$f" ]; then
		kt_fail "$c" "record exited $rc: $(head -c 300 "$f.err")"
		return
	fi
	"$KTRAIL" verify "$f" >"$f.verify" 2>"$f.verr"
	v=$?
	lost=$(kt_meta "$f" lost.total)
	expl=$(grep -c '^explained ' "$f.verify")
	if [ $v -eq 0 ]; then
		kt_pass "$c" "$(tail -1 "$f.verify" | sed 's/^verify: [^:]*: //'); lost $lost"
	elif [ $v -eq 1 ]; then
		kt_fail "$c" "$(grep -c '^violation ' "$f.verify") violation(s) in a capture that reports $lost lost event(s), $expl explained; first: $(grep -m2 '^violation ' "$f.verify" | tr '\n' ' ')"
	else
		kt_fail "$c" "verify exited $v: $(head -1 "$f.verr")"
	fi
}

# whole host: something of everything while recording
"$KTRAIL" record -q -o "$T/host.ktr" -d 1.5 >"$T/host.ktr.out" 2>"$T/host.ktr.err" &
rec=$!
sleep 0.3
"$KT_TOOL" cpu_hogs 400 >/dev/null 2>&1 &
bg+=($!)
for i in $(seq 20); do /bin/true; done
"$KT_TOOL" writebytes "$T/w.bin" 4194304 >/dev/null 2>&1 && sync "$T/w.bin" 2>/dev/null
wait $rec
check verify_host "$T/host.ktr" $?
kt_cleanup; bg=()

"$KTRAIL" record -q -o "$T/convoy.ktr" -- "$KT_TOOL" lock_convoy 3 50 >/dev/null 2>"$T/convoy.ktr.err"
check verify_cmd_convoy "$T/convoy.ktr" $?

"$KTRAIL" record -q -o "$T/forks.ktr" -- bash -c 'for i in $(seq 30); do /bin/true; (exec /bin/echo x) >/dev/null; done' >/dev/null 2>"$T/forks.ktr.err"
check verify_cmd_forks "$T/forks.ktr" $?

bash -c 'while :; do /bin/true; sleep 0.01; done' >/dev/null 2>&1 &
bg+=($!)
"$KTRAIL" record -q -o "$T/pid.ktr" -p "${bg[0]}" --follow -d 1 >/dev/null 2>"$T/pid.ktr.err"
check verify_pid "$T/pid.ktr" $?
exit 0
