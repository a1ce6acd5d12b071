#!/bin/bash
# live/demo: `make demo` (tests/demo/run.sh) records the demo incident and
# prints info, the anomalies and the root cause; run it into a scratch
# directory and check that each part is there and says what the incident
# did, so that the demo cannot rot silently.
. "$(dirname "$0")/why_lib.bash"
why_need_bpf demo
out=$WHY_TMP/demo.out
DEMO_DIR=$WHY_TMP/demo KTRAIL=$KTRAIL KT_TOOL=$KT_TOOL \
	bash "$KT_ROOT/tests/demo/run.sh" >"$out" 2>&1
rc=$?
ids=$WHY_TMP/demo/incident.ids
worker=$(why_field "$ids" worker)
client=$(why_field "$ids" client)
middle=$(why_field "$ids" middle)
bad=
if [ $rc -ne 0 ]; then
	bad="the demo exited $rc"
elif ! grep -q "^events: *[0-9]* in" "$out" ||
     { ! grep -q "^lost: *0$" "$out" &&
       { ! grep -q "^  cause " "$out" || grep "^  cause " "$out" | grep -vq "^  cause switch_gap "; }; }; then
	# switch gaps are the kernel's (tasks it hides from BPF); ring
	# overflows and skipped runs are the recorder's
	bad="no info summary, or events were lost: $(sed -n '/^lost/,/^size/p' "$out" | head -5 | tr '\n' ' ')"
elif ! grep -qE "^ +[0-9.]+ +worker +$worker .* exit 3$" "$out"; then
	bad="the worker's exit 3 is not among the anomalies"
elif ! grep -qE "pid $worker: openat -ENOENT x1" "$out"; then
	bad="the worker's failed open is not among the anomalies"
elif ! grep -qE "^ +[0-9.]+ +$client +client .* refused$" "$out"; then
	bad="the refused connection is not among the anomalies"
elif ! grep -q "^root cause: disk I/O on " "$out"; then
	bad="why does not name the disk: $(grep '^root cause' "$out")"
elif ! grep -A3 "^root cause" "$out" | grep "reached through" | grep -qE "middle/$middle( |$)"; then
	bad="the root is not reached through the middle stage"
elif [ "$(sqlite3 "$WHY_TMP/demo/incident.db" "SELECT count(*) FROM syscalls WHERE pid = $worker AND name = 'openat' AND errno_name = 'ENOENT'" 2>&1)" != 1 ]; then
	bad="demo/incident.db does not hold the worker's failed open"
fi
why_result demo "$bad" "$out"
