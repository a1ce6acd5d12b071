#!/bin/bash
# sched_cost.sh - what recording the scheduler costs per event, ktrail
# against trace-cmd on the same two tracepoints, side by side in one run.
#
# The workload is ../shared/bench's `wl pingpong N` (two processes and a
# pipe: nothing but context switches and wakeups).  Alternating, REPS
# times: unrecorded; under `ktrail record -e sched`; under `trace-cmd
# record --compression none -e sched:sched_switch -e sched:sched_waking`
# (through tcwrap.sh, see ../shared/bench/README.md).  Prints each run's
# wall-time ratio to the unrecorded run before it, the medians, and the
# cost per recorded event in ns of wall time: (recorded - unrecorded) /
# events, with the events counted in ktrail's capture.  Needs root.
#
#   tests/bench/sched_cost.sh      (env: REPS=7 N=100000 SHARED=../shared/bench)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KTRAIL=${KTRAIL:-$ROOT/ktrail}
SHARED=${SHARED:-$ROOT/../shared/bench}
REPS=${REPS:-7}
N=${N:-100000}
OUT=${BENCH_OUT:-/dev/shm/kt-bench-sched}
WL=$OUT/wl

[ "$(id -u)" = 0 ] || { echo "sched_cost.sh: needs root" >&2; exit 2; }
[ -f "$SHARED/wl.c" ] || { echo "sched_cost.sh: no $SHARED/wl.c (set SHARED=)" >&2; exit 2; }
"$ROOT/tests/deps.sh" trace-cmd bc || exit 2
make -C "$ROOT" --no-print-directory >/dev/null || exit 1
rm -rf "$OUT"
mkdir -p "$OUT"
gcc -O2 -o "$WL" "$SHARED/wl.c" || exit 1
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing

now() { date +%s.%N; }
pingpong() { # prints the seconds it took
	local a b
	a=$(now)
	"$WL" pingpong "$N" >/dev/null
	b=$(now)
	echo "$b - $a" | bc
}
tc_start() {
	rm -f "$OUT"/t.dat*
	unshare -m --propagation private "$SHARED/tcwrap.sh" trace-cmd record \
		--compression none -e sched:sched_switch -e sched:sched_waking \
		-o "$OUT/t.dat" >"$OUT/tc.log" 2>&1 &
	TC=$!
	for _ in $(seq 1 100); do
		[ -e "$OUT/t.dat.cpu1" ] || [ -e "$OUT/t.dat.cpu0" ] && break
		sleep 0.2
	done
	sleep 1
}
tc_stop() {
	pkill -INT -f "trace-cmd record --compression none -e sched:sched_switch"
	wait "$TC" 2>/dev/null
}

: >"$OUT/runs"
for i in $(seq 1 "$REPS"); do
	u=$(pingpong)
	"$KTRAIL" record -q --force -e sched -o "$OUT/k.ktr" -d 120 & K=$!
	sleep 1.5
	k=$(pingpong)
	kill -INT $K
	wait $K
	ev=$("$KTRAIL" info --json "$OUT/k.ktr" | python3 -c '
import json, sys
k = json.load(sys.stdin)["kinds"]
print(sum(v for n, v in k.items() if n.startswith("sched_")))')
	tc_start
	t=$(pingpong)
	tc_stop
	echo "$u $k $t $ev" | tee -a "$OUT/runs" |
		awk '{ printf "run %d: unrecorded %.3f s, ktrail %.3f (%.3fx), trace-cmd %.3f (%.3fx), %d sched events\n", '"$i"', $1, $2, $2 / $1, $3, $3 / $1, $4 }'
done
python3 - "$OUT/runs" <<'EOF'
import statistics as st, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
k = st.median(r[1] / r[0] for r in rows)
t = st.median(r[2] / r[0] for r in rows)
# wall ns per event: the events ktrail recorded during its run (the
# pingpong's plus the host's), both recorders see the same tracepoints
kns = st.median((r[1] - r[0]) / r[3] * 1e9 for r in rows)
tns = st.median((r[2] - r[0]) / r[3] * 1e9 for r in rows)
print("median slowdown: ktrail -e sched %.3fx, trace-cmd --compression none (switch+waking) %.3fx" % (k, t))
print("wall cost per sched event: ktrail %.0f ns, trace-cmd %.0f ns (%d runs)" % (kns, tns, len(rows)))
EOF
