#!/bin/bash
# tests/demo/run.sh - `make demo`: record the bundled demo incident into
# demo/incident.ktr, explain it, and write the files for a ticket.
#
# The incident (kt-test-tool demo_incident): a worker that fails to open
# its configuration and exits 3; a client whose TCP connection is refused;
# a pipe chain producer | filter | consumer; and a small request pipeline
# front -> middle -> back over unix sockets whose middle stage fsyncs
# 16 MB to the disk before forwarding one request.  Recorded on the whole
# host (the kernel threads that do the I/O are part of the story), then:
#   1. ktrail info
#   2. ktrail summary --pid of the incident's processes: the anomalies,
#      each with the command that explains it (the worker's exit 3 and
#      failed open, the refused connection, the slowest syscalls, lost
#      events)
#   3. ktrail why --slowest on the front process: the root cause of its
#      slowest request (the fsync's disk I/O)
#   4. the files for a ticket, with their paths: demo/report.html (ktrail
#      report), demo/why.svg (why -o), demo/timeline.png (timeline -o) and
#      demo/incident.db (export --sqlite), each that this build's ktrail
#      writes (a command without the option is named, not faked)
#
# The harness starts no process while the recorder runs before the
# workload, so that the capture's execsnoop, opensnoop and syscount show
# the incident and not the harness: it waits for the recorder's first
# frame with bash's own tests (-s, -N: written since last read) and
# pauses with a timed read on a FIFO instead of sleep(1) and stat(1).
#
#   tests/demo/run.sh    (as root; env DEMO_DIR=demo KTRAIL=./ktrail
#                         KT_TOOL=build/kt-test-tool)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
DEMO_DIR=${DEMO_DIR:-$top/demo}
KTRAIL=${KTRAIL:-$top/ktrail}
KT_TOOL=${KT_TOOL:-$top/build/kt-test-tool}
cap=$DEMO_DIR/incident.ktr
ids=$DEMO_DIR/incident.ids

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "recording kernel events needs root: run 'make demo' as root"
[ -x "$KTRAIL" ] && [ -x "$KT_TOOL" ] || die "build first: make all build/kt-test-tool"
mkdir -p "$DEMO_DIR/work" || die "cannot create $DEMO_DIR"
rm -f "$cap"

# pause SECS: a read that times out on a FIFO nobody writes (opened
# read-write once, then unlinked): a sleep without a process
fifo=$DEMO_DIR/.pause.$$
mkfifo "$fifo" && exec 9<>"$fifo" && rm -f "$fifo" || die "cannot make $fifo"
pause() { read -r -t "$1" -u 9 _ || :; }

# wait_recorder PID: until the recorder has written its header, then a
# frame after it (it writes one at least once a second once attached):
# the first read of the file sets its access time after the header, and
# -N is true once a write came after that read
wait_recorder() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -s "$cap" ] && break
		kill -0 "$1" 2>/dev/null || return 1
		pause 0.05
	done
	pause 0.05
	read -r -n 1 _ <"$cap"
	for ((i = 0; i < 300; i++)); do
		[ -N "$cap" ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		pause 0.05
	done
	echo "demo: no frame from the recorder after 15 s; going on" >&2
}

echo "== recording the demo incident into $cap"
"$KTRAIL" record -q -o "$cap" 2>"$DEMO_DIR/record.err" &
rec=$!
wait_recorder $rec || die "ktrail record failed: $(head -3 "$DEMO_DIR/record.err")"
"$KT_TOOL" demo_incident "$DEMO_DIR/work" >"$ids" || echo "demo: the workload failed" >&2
pause 0.3
kill -INT $rec 2>/dev/null
wait $rec || die "ktrail record failed: $(head -3 "$DEMO_DIR/record.err")"
exec 9<&-
rm -rf "$DEMO_DIR/work"

id() { sed -n "s/^$1=//p" "$ids"; }
front=$(id front)
# the incident's processes (the ids but the refused port's number)
pids=$(sed -n 's/^[a-z]*=\([0-9]*\)$/\1/p' "$ids" | grep -v "^$(id refused_port)\$" |
       paste -sd, -)

echo
echo "== ktrail info $cap"
"$KTRAIL" info "$cap"

echo
echo "== ktrail summary $cap --pid $pids"
echo "   (the incident's processes; the whole host's: ktrail summary $cap)"
"$KTRAIL" summary "$cap" --pid "$pids"

echo
echo "== ktrail why $cap --pid $front --slowest"
"$KTRAIL" why "$cap" --pid "$front" --slowest

# the span's window for the timeline: the span and a quarter of it on
# each side, in capture-clock seconds
window() {
	"$KTRAIL" why "$cap" --pid "$front" --slowest --json | python3 -c '
import json, sys
s = json.load(sys.stdin)["span"]
pad = max((s["end"] - s["start"]) // 4, 1000000)
print("%.9f %.9f" % ((s["start"] - pad) / 1e9, (s["end"] + pad) / 1e9))'
}

echo
echo "== the files for a ticket"
wrote=()
if "$KTRAIL" report "$cap" -o "$DEMO_DIR/report.html" --pid "$front" >/dev/null; then
	wrote+=("$DEMO_DIR/report.html")
fi
"$KTRAIL" why "$cap" --pid "$front" --slowest -o "$DEMO_DIR/why.svg" >/dev/null &&
	wrote+=("$DEMO_DIR/why.svg")
set -- $(window)
"$KTRAIL" timeline "$cap" --from "$1" --to "$2" -o "$DEMO_DIR/timeline.png" >/dev/null &&
	wrote+=("$DEMO_DIR/timeline.png")
rm -f "$DEMO_DIR/incident.db"
"$KTRAIL" export "$cap" --sqlite "$DEMO_DIR/incident.db" >/dev/null &&
	wrote+=("$DEMO_DIR/incident.db")
for f in "$cap" "${wrote[@]}"; do
	echo "   $f"
done
