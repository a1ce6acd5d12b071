#!/bin/bash
# Timeline and causal-graph benchmark (issue 5; replay's is
# analyze_replay.sh).
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block`
#     (or takes BASE=FILE, an existing capture).
#  2. Grows it to EVENTS events by repeating it back to back in time
#     (kt-test-tool stream_grow: a real recording grown to size).
#  3. Builds, over every event, the timeline (intervals, spans and wakeups
#     to a counting sink) and the sliding-window causal graph (100 ms
#     window, expired every 25 ms): events/s, peak RSS, and the builders'
#     own high-water marks; then the same on a capture a tenth the size,
#     to show that memory does not grow with the capture; and the reader
#     alone (decoding to a sink) as the baseline of both.
#  4. Times `ktrail why --slowest` on the grown capture for the workload's
#     busiest process (two passes: its syscall records, then the span's
#     window).
#  5. The fd resolver (docs/fds.md): its pass from the start over both
#     captures (records/s, high-water marks), replay text with and without
#     fd names, and `why --at` at the end of the grown capture.
#
#   tests/bench/analyze.sh     (as root; env: EVENTS=50000000 SCALE=1
#                               OUT=/dev/shm/kt-bench-analyze KEEP=0
#                               BASE=capture.ktr SHARED=../shared/bench)
# The machine is shared: figures are noisy.  Validate small (EVENTS=2000000)
# before a full run.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
KTRAIL=${KTRAIL:-$ROOT/ktrail}
KT_TOOL=${KT_TOOL:-$ROOT/build/kt-test-tool}
EVENTS=${EVENTS:-50000000}
SCALE=${SCALE:-1}
OUT=${OUT:-/dev/shm/kt-bench-analyze}
SHARED=${SHARED:-$ROOT/../shared/bench}
BASE=${BASE:-}
KEEP=${KEEP:-0}

die() { echo "analyze: $*" >&2; exit 1; }
[ -x "$KTRAIL" ] && [ -x "$KT_TOOL" ] || die "build first: make test-bins"
command -v /usr/bin/time >/dev/null || die "needs /usr/bin/time (apt-get install time)"
mkdir -p "$OUT" || die "cannot create $OUT"
[ "$KEEP" = 1 ] || trap 'rm -rf "$OUT"' EXIT

# run CMD... : stdout to $OUT/run.out; sets SECS_WALL and RSS_MB
run() {
	/usr/bin/time -f "%M %e" -o "$OUT/time" "$@" >"$OUT/run.out" 2>"$OUT/err" ||
		{ cat "$OUT/err" >&2; die "failed: $*"; }
	read -r rss SECS_WALL < <(tail -1 "$OUT/time")
	RSS_MB=$((rss / 1024))
}

# --- 1. the base capture ---------------------------------------------------
if [ -z "$BASE" ]; then
	[ "$(id -u)" = 0 ] || die "needs root to record (or BASE=capture.ktr)"
	[ -r "$SHARED/workload.sh" ] || die "no standard workload in $SHARED"
	gcc -O2 -o "$OUT/wl" "$SHARED/wl.c" || die "cannot build wl"
	mkdir -p /tmp/kt-bench-work
	echo "recording the standard workload (scale $SCALE), whole host"
	"$KTRAIL" record -q -o "$OUT/base.ktr" -e sched,proc,syscall,tcp,block &
	rec=$!
	sleep 3
	WL=$OUT/wl WORK=/tmp/kt-bench-work bash "$SHARED/workload.sh" "$SCALE" \
		>"$OUT/workload.log" || die "workload failed"
	sleep 1
	kill -INT $rec
	wait $rec
	BASE=$OUT/base.ktr
fi
"$KTRAIL" info "$BASE" | grep -E "^(events|duration|lost)"

# --- 2. grown to size -------------------------------------------------------
grow() {
	"$KT_TOOL" stream_grow "$BASE" "$2" --events "$1" >/dev/null ||
		die "stream_grow failed"
}
echo "growing to $EVENTS events (and $((EVENTS / 10)) for the memory check)"
grow "$EVENTS" "$OUT/big.ktr"
grow $((EVENTS / 10)) "$OUT/tenth.ktr"
EV=$("$KTRAIL" info "$OUT/big.ktr" | sed -n 's/^events: *\([0-9]*\).*/\1/p')
echo "capture: $EV events, $(($(stat -c %s "$OUT/big.ktr") / 1048576)) MB"

# --- 3. builds -------------------------------------------------------------
printf '\n%-24s %12s %10s %10s  %s\n' build events/s "RSS MB" "1/10 RSS" "high-water marks"
# the reader alone (decode to a sink): what the builders add is the rest
run "$KT_TOOL" stream_sink "$OUT/tenth.ktr"
small=$RSS_MB
run "$KT_TOOL" stream_sink "$OUT/big.ktr"
printf '%-24s %12s %10s %10s  %s\n' "read only" \
	"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB" "$small" -
for what in timeline graph; do
	run "$KT_TOOL" causal_bench "$OUT/tenth.ktr" $what
	small=$RSS_MB
	run "$KT_TOOL" causal_bench "$OUT/big.ktr" $what
	rate=$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")
	printf '%-24s %12s %10s %10s  %s\n' "$what" "$rate" "$RSS_MB" "$small" \
		"$(sed -n 2p "$OUT/run.out")"
done

# --- 4. why on the big capture -----------------------------------------------
pid=$("$KTRAIL" stats "$OUT/big.ktr" syscount 2>/dev/null |
	awk '/^ *PID/ { p = 1; next } p && $1 ~ /^[0-9]+$/ { print $1; exit }')
if [ -n "$pid" ]; then
	run "$KTRAIL" why "$OUT/big.ktr" --pid "$pid" --slowest
	printf '\nwhy --slowest --pid %s on %s events: %s s, %s MB peak\n' \
		"$pid" "$EV" "$SECS_WALL" "$RSS_MB"
	grep "^root cause" "$OUT/run.out"
fi

# --- 5. fd names (docs/fds.md) ----------------------------------------------
# the resolver's pass from the capture's start (what why and timeline pay
# before naming the fds of a window), its high-water marks on the capture
# and its tenth, and replay text with and without names
printf '\n%-24s %12s %10s  %s\n' "fd names" "records/s" "RSS MB" "high-water marks"
for f in tenth big; do
	run "$KT_TOOL" fds_pass "$OUT/$f.ktr"
	printf '%-24s %12s %10s  %s\n' "resolver pass ($f)" \
		"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB" \
		"$(sed -n 2p "$OUT/run.out")"
done
for m in --text-bare --text; do
	run "$KT_TOOL" stream_sink "$OUT/tenth.ktr" $m
	printf '%-24s %12s %10s\n' "replay $m (tenth)" \
		"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB"
done
if [ -n "$pid" ]; then
	t=$("$KTRAIL" replay "$OUT/big.ktr" --pid "$pid" -e syscall 2>/dev/null |
		tail -1 | awk '{ sub(":", "", $4); print $4 }')
	run "$KTRAIL" why "$OUT/big.ktr" --pid "$pid" --at "$t"
	printf 'why --at %s (the end of the capture): %s s, %s MB peak (the names pass from the start)\n' \
		"$t" "$SECS_WALL" "$RSS_MB"
fi
echo "(shared 2-core machine: figures are noisy)"
