#!/bin/bash
# live/demo: `make demo` (tests/demo/run.sh) records the demo incident and
# prints info, the summary and the root cause, and writes the files for a
# ticket; run it into a scratch directory and check that each part is
# there and says what the incident did, so that the demo cannot rot
# silently: the summary's lines (the worker's exit 3 and failed open, the
# refused connection) with their commands; why's disk root reached
# through the middle stage; the report, whose first text is that root
# cause; the pictures this build writes (why.svg well-formed, timeline.png
# a PNG); and a quiet harness: nothing of it was exec'd while recording
# (the old one ran about twelve stat(1) and sleep(1)).
. "$(dirname "$0")/why_lib.bash"
why_need_bpf demo
out=$WHY_TMP/demo.out
dir=$WHY_TMP/demo
DEMO_DIR=$dir KTRAIL=$KTRAIL KT_TOOL=$KT_TOOL \
	bash "$KT_ROOT/tests/demo/run.sh" >"$out" 2>&1
rc=$?
ids=$dir/incident.ids
worker=$(why_field "$ids" worker)
client=$(why_field "$ids" client)
middle=$(why_field "$ids" middle)
front=$(why_field "$ids" front)
cap=$dir/incident.ktr

# the first lines of why on the front (the report's first text)
sentence=$("$KTRAIL" why "$cap" --pid "$front" 2>/dev/null | head -1)
bad=
if [ $rc -ne 0 ]; then
	bad="the demo exited $rc"
elif ! grep -q "^events: *[0-9]* in" "$out" ||
     { ! grep -q "^lost: *0$" "$out" &&
       { ! grep -q "^  cause " "$out" || grep "^  cause " "$out" | grep -vq "^  cause switch_gap "; }; }; then
	# switch gaps are the kernel's (tasks it hides from BPF); ring
	# overflows and skipped runs are the recorder's
	bad="no info summary, or events were lost: $(sed -n '/^lost/,/^size/p' "$out" | head -5 | tr '\n' ' ')"
elif ! grep -qE "^  worker\[$worker\] exited with status 3 +ktrail why $cap --pid $worker --exit$" "$out"; then
	bad="the worker's exit 3 is not in the summary"
elif ! grep -qE "^  worker\[$worker\] openat failed with ENOENT 1 time +ktrail stats $cap syscount --failed --pid $worker$" "$out"; then
	bad="the worker's failed open is not in the summary"
elif ! grep -qE "^  client\[$client\] connect to 127\.0\.0\.1:[0-9]+ refused, 1 time +ktrail stats $cap tcpconnect --pid $client$" "$out"; then
	bad="the refused connection is not in the summary"
elif ! grep -q "^root cause: disk I/O on " "$out" &&
	! { grep -q "^root cause: CPU contention" "$out" &&
	    grep -A3 "^root cause" "$out" | grep -q "^  next: disk "; }; then
	# on a loaded machine (make check beside other builds) the stages'
	# waits for a cpu can outweigh the disk: then the disk comes next
	bad="why names neither the disk nor, on a loaded machine, cpu contention then the disk: $(grep -A3 '^root cause' "$out" | tr '\n' ' ')"
elif ! grep -A3 "^root cause" "$out" | grep "reached through" | grep -qE "middle/$middle( |$)"; then
	bad="the root is not reached through the middle stage"
elif ! grep -qx "   $dir/report.html" "$out" || [ ! -s "$dir/report.html" ]; then
	bad="no demo/report.html, or its path is not printed"
elif ! python3 "$KT_ROOT/tests/page/pagecheck.py" html "$dir/report.html" "$sentence" >"$WHY_TMP/page" 2>&1; then
	bad="report.html: $(head -2 "$WHY_TMP/page" | tr '\n' ' ')"
elif [ -e "$dir/why.svg" ] && ! xmllint --noout "$dir/why.svg" 2>/dev/null; then
	bad="demo/why.svg is not well-formed"
elif [ -e "$dir/timeline.png" ] && [ "$(head -c 8 "$dir/timeline.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
	bad="demo/timeline.png is not a PNG"
elif "$KTRAIL" stats "$cap" execsnoop | grep -qF "$cap"; then
	bad="the harness exec'd while recording: $("$KTRAIL" stats "$cap" execsnoop | grep -F "$cap" | head -2 | tr '\n' ' ')"
elif [ "$(sqlite3 "$WHY_TMP/demo/incident.db" "SELECT count(*) FROM syscalls WHERE pid = $worker AND name = 'openat' AND errno_name = 'ENOENT'" 2>&1)" != 1 ]; then
	bad="demo/incident.db does not hold the worker's failed open"
fi
why_result demo "$bad" "$out"
