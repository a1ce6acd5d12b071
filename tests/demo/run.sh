#!/bin/bash
# tests/demo/run.sh - `make demo`: record the bundled demo incident into
# demo/incident.ktr and explain it.
#
# The incident (kt-test-tool demo_incident): a worker that fails to open
# its configuration and exits 3; a client whose TCP connection is refused;
# a pipe chain producer | filter | consumer; and a small request pipeline
# front -> middle -> back over unix sockets whose middle stage fsyncs
# 16 MB to the disk before forwarding one request.  Recorded on the whole
# host (the kernel threads that do the I/O are part of the story), then:
#   1. ktrail info
#   2. the anomalies of the demo's processes: non-zero exits, failed
#      syscalls, refused connections, their slowest syscalls, lost events
#   3. ktrail why --slowest on the front process: the root cause of its
#      slowest request (the fsync's disk I/O)
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

echo "== recording the demo incident into $cap"
"$KTRAIL" record -q -o "$cap" 2>"$DEMO_DIR/record.err" &
rec=$!
# the recorder writes a frame at least once a second once attached
for i in $(seq 50); do [ -s "$cap" ] && break; sleep 0.1; done
size0=$(stat -c %s "$cap" 2>/dev/null || echo 0)
for i in $(seq 150); do
	[ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -gt "$size0" ] && break
	kill -0 $rec 2>/dev/null || break
	sleep 0.1
done
"$KT_TOOL" demo_incident "$DEMO_DIR/work" >"$ids" || echo "demo: the workload failed" >&2
sleep 0.3
kill -INT $rec 2>/dev/null
wait $rec || die "ktrail record failed: $(head -3 "$DEMO_DIR/record.err")"
rm -rf "$DEMO_DIR/work"

id() { sed -n "s/^$1=//p" "$ids"; }
pids=$(sed -n 's/^[a-z]*=\([0-9]*\)$/\1/p' "$ids" | grep -v "^$(id refused_port)\$")
is_demo() { grep -qx "$1" <<<"$pids"; }

echo
echo "== ktrail info $cap"
"$KTRAIL" info "$cap"

echo
echo "== anomalies of the demo's processes"
echo "-- non-zero exits (ktrail stats exitsnoop):"
"$KTRAIL" stats "$cap" exitsnoop | awk -v p=" $(echo $pids) " '
	NR == 1 || (index(p, " " $3 " ") && $NF != "0") { print "   " $0 }'
echo "-- failed syscalls (ktrail stats syscount --failed --pid P):"
for p in $pids; do
	"$KTRAIL" stats "$cap" syscount --failed --pid "$p" |
		awk -v p="$p" '/^SYSCALL +ERRNO/ { e = 1; next } e && NF == 3 { print "   pid " p ": " $1 " -" $2 " x" $3 }'
done
echo "-- refused or failed TCP connections (ktrail stats tcpconnect):"
"$KTRAIL" stats "$cap" tcpconnect | awk -v p=" $(echo $pids) " '
	NR == 1 || (index(p, " " $2 " ") && $NF != "ok") { print "   " $0 }'
echo "-- slowest syscall of each demo process (ktrail stats syscount --pid P):"
for p in $pids; do
	"$KTRAIL" stats "$cap" syscount --pid "$p" | awk -v p="$p" '
		/^SYSCALL +COUNT/ { t = 1; next } t && NF == 0 { t = 0 }
		t && $8 + 0 > max { max = $8 + 0; name = $1 }
		/^PID +COMM/ { c = 1; next } c && NF > 1 && !comm { comm = $2 }
		END { if (name != "") printf "%.3f\t   %-12s pid %-7s %-12s max %.3f ms\n", max / 1000, comm, p, name, max / 1000 }'
done | sort -rn | cut -f2- | head -6
echo "-- lost events: $("$KTRAIL" info "$cap" | sed -n 's/^lost: *//p')"

echo
echo "== ktrail why $cap --pid $(id front) --slowest"
"$KTRAIL" why "$cap" --pid "$(id front)" --slowest
"$KTRAIL" export "$cap" --sqlite "$DEMO_DIR/incident.db" && echo && echo "== wrote $DEMO_DIR/incident.db (ktrail sql $cap \"SELECT ...\", docs/sql.md)"
