#!/bin/bash
# SIGKILL at random moments (docs/format.md "Recovery"): short recordings
# of a marker workload under varied loads (none, fork, io, cpu), the
# recorder killed with SIGKILL at a different time in each trial (0 to
# 1.5 s after its first frame).  After `ktrail recover` every capture
# reads without a warning (but for lost events), `ktrail verify` finds it consistent, and it
# holds every event older than its last flushed second:
#   - the workload writes down its own CLOCK_MONOTONIC times around each
#     marker syscall (getppid every 200 us; kt-test-tool markers);
#   - the recorder flushes once a second, right after a clock_sync event
#     at what every ring was drained to, so every marker between the
#     first clock_sync (recording started) and the newest one kept (less
#     100 ms: the exact promise is live/record_horizon's) must be in the
#     capture, matched one to one by time (the event's ts, the end of the
#     syscall, within the marker's BEFORE..AFTER);
#   - and that last flush is at most 1.5 s before the kill (one second,
#     plus the slack of a loaded 2-CPU machine).
# KILL_TRIALS (default 4: make check) sets the number of trials; the
# bench (tests/bench/kill.sh) runs 24 and prints a line per trial.
. "$(dirname "$0")/lib/record.bash"
kt_init record_kill kill_recover kill_readable kill_verify kill_markers
TRIALS=${KILL_TRIALS:-4}
SEED=${KILL_SEED:-$$}
RANDOM=$SEED
LOADS=(none fork io cpu)
W=
R=
kt_cleanup() {
	[ -n "$R" ] && kill -KILL $R 2>/dev/null
	[ -n "$W" ] && kill -KILL $W 2>/dev/null
	:
}
mono() { python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))'; }
frames() { "$KTRAIL" info --json "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["frames"])' 2>/dev/null || echo 0; }
nr=$(kt_sysnr getppid)
bad_rec= bad_read= bad_verify= bad_mark=
for i in $(seq "$TRIALS"); do
	load=${LOADS[$(( (i - 1) % 4 ))]}
	after=$(( RANDOM % 1500 ))            # ms after the first frame
	cap=$T/k$i.ktr
	"$KT_TOOL" markers $(( after + 2500 )) $load "$T/truth$i" >"$T/w$i.out" & W=$!
	sleep 0.05
	"$KTRAIL" record -q -o "$cap" -p $W --follow -e sched,proc,syscall,block 2>"$T/r$i.err" & R=$!
	for j in $(seq 250); do
		[ "$(frames "$cap")" -ge 1 ] && break
		sleep 0.02
	done
	sleep "$(printf '%d.%03d' $((after / 1000)) $((after % 1000)))"
	k=$(mono)
	kill -KILL $R; wait $R 2>/dev/null; R=
	wait $W; W=
	"$KTRAIL" recover "$cap" >"$T/rec$i" 2>&1; rc=$?
	[ $rc = 0 ] || bad_rec="$bad_rec trial $i ($load, +${after}ms): recover exited $rc: $(head -c 200 "$T/rec$i");"
	# lost events are the kernel's to report (a warning of their own);
	# a capture that reads partially or without its index is not rebuilt
	"$KTRAIL" info "$cap" >/dev/null 2>"$T/info$i"; rc=$?
	[ $rc = 0 ] && ! grep -v 'events were lost$' "$T/info$i" | grep -q . || bad_read="$bad_read trial $i: info exited $rc: $(head -c 200 "$T/info$i");"
	"$KTRAIL" verify "$cap" >"$T/verify$i" 2>&1; rc=$?
	[ $rc = 0 ] || bad_verify="$bad_verify trial $i ($load, +${after}ms): verify exited $rc: $(grep -v '^verify:' "$T/verify$i" | head -2 | tr '\n' ' ');"
	kt_dump "$cap" >"$T/dump$i" 2>/dev/null
	res=$(python3 - "$T/truth$i" "$T/dump$i" "$(head -1 "$T/w$i.out" | cut -d' ' -f2)" "nr=$nr" "$k" <<'PY'
import sys
truth, dump, pid, nr, kill = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
marks = [tuple(map(int, l.split())) for l in open(truth)]
evs, syncs = [], []
for l in open(dump):
    f = l.split()
    if len(f) < 5:
        continue
    if f[4] == "clock_sync":
        syncs.append(int(f[0]))
    elif f[4] == "syscall" and f[2] == pid and f[5] == nr:
        evs.append(int(f[0]))
if not syncs:
    print("FAIL no clock_sync kept"); sys.exit()
first, last = min(syncs), max(syncs)
cut = last - 100000000
want = [m for m in marks if m[0] >= first and m[1] <= cut]
evs.sort()
missing, j = 0, 0
for b, a in want:
    while j < len(evs) and evs[j] < b:
        j += 1
    if j < len(evs) and evs[j] <= a:
        j += 1
    else:
        missing += 1
age = (kill - last) / 1e6
ok = missing == 0 and age <= 1500
print("%s kept %d markers, %d expected before the last flush, %d missing; last flush %.0f ms before the kill" %
      ("OK" if ok else "FAIL", len(evs), len(want), missing, age))
PY
)
	echo "trial $i: load $load, killed ${after} ms after the first frame: $(head -1 "$T/rec$i" | sed 's/.*: kept/kept/'); ${res#* }"
	case $res in OK*) ;; *) bad_mark="$bad_mark trial $i ($load, +${after}ms): ${res#* };" ;; esac
done
echo "seed $SEED (KILL_SEED), $TRIALS trials"
[ -z "$bad_rec" ] && kt_pass kill_recover "$TRIALS trials" || kt_fail kill_recover "$bad_rec"
[ -z "$bad_read" ] && kt_pass kill_readable || kt_fail kill_readable "$bad_read"
[ -z "$bad_verify" ] && kt_pass kill_verify || kt_fail kill_verify "$bad_verify"
[ -z "$bad_mark" ] && kt_pass kill_markers || kt_fail kill_markers "$bad_mark"
