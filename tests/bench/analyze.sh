#!/bin/bash
# Timeline and causal-graph benchmark (issue 5; replay's is
# analyze_replay.sh).
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block`
#     (or takes BASE=FILE, an existing capture).
#  2. Grows it to EVENTS events by repeating it back to back in time
#     (kt-test-tool stream_grow: a real recording grown to size), or
#     takes BIG=FILE, grown already from BASE; and grows BASE to EVENTS/10.
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
#                               BASE=capture.ktr BIG=grown.ktr
#                               SHARED=../shared/bench: tests/bench/lib.sh)
# The machine is shared: figures are noisy.  Validate small (EVENTS=2000000)
# before a full run.
set -u
. "$(dirname "$0")/lib.sh"
bench_init analyze /dev/shm/kt-bench-analyze

# --- 1. the base capture ---------------------------------------------------
bench_base_capture
"$KTRAIL" info "$BASE" | grep -E "^(events|duration|lost)"

# --- 2. grown to size -------------------------------------------------------
bench_big " (and $((EVENTS / 10)) for the memory check)"
bench_grow $((EVENTS / 10)) "$OUT/tenth.ktr"
EV=$(bench_events "$BIG")
echo "capture: $EV events, $(($(stat -c %s "$BIG") / 1048576)) MB"

# --- 3. builds -------------------------------------------------------------
printf '\n%-24s %12s %10s %10s  %s\n' build events/s "RSS MB" "1/10 RSS" "high-water marks"
# the reader alone (decode to a sink): what the builders add is the rest
bench_run "$KT_TOOL" stream_sink "$OUT/tenth.ktr"
small=$RSS_MB
bench_run "$KT_TOOL" stream_sink "$BIG"
printf '%-24s %12s %10s %10s  %s\n' "read only" \
	"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB" "$small" -
for what in timeline graph; do
	bench_run "$KT_TOOL" causal_bench "$OUT/tenth.ktr" $what
	small=$RSS_MB
	bench_run "$KT_TOOL" causal_bench "$BIG" $what
	rate=$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")
	printf '%-24s %12s %10s %10s  %s\n' "$what" "$rate" "$RSS_MB" "$small" \
		"$(sed -n 2p "$OUT/run.out")"
done

# --- 4. why on the big capture -----------------------------------------------
pid=$("$KTRAIL" stats "$BIG" syscount 2>/dev/null |
	awk '/^ *PID/ { p = 1; next } p && $1 ~ /^[0-9]+$/ { print $1; exit }')
if [ -n "$pid" ]; then
	bench_run "$KTRAIL" why "$BIG" --pid "$pid" --slowest
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
	file=$OUT/tenth.ktr
	[ "$f" = big ] && file=$BIG
	bench_run "$KT_TOOL" fds_pass "$file"
	printf '%-24s %12s %10s  %s\n' "resolver pass ($f)" \
		"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB" \
		"$(sed -n 2p "$OUT/run.out")"
done
for m in --text-bare --text; do
	bench_run "$KT_TOOL" stream_sink "$OUT/tenth.ktr" $m
	printf '%-24s %12s %10s\n' "replay $m (tenth)" \
		"$(sed -n 's/.*events\/s \([0-9]*\).*/\1/p' "$OUT/run.out")" "$RSS_MB"
done
if [ -n "$pid" ]; then
	t=$("$KTRAIL" replay "$BIG" --pid "$pid" -e syscall 2>/dev/null |
		tail -1 | awk '{ sub(":", "", $4); print $4 }')
	bench_run "$KTRAIL" why "$BIG" --pid "$pid" --at "$t"
	printf 'why --at %s (the end of the capture): %s s, %s MB peak (the names pass from the start)\n' \
		"$t" "$SECS_WALL" "$RSS_MB"
fi
echo "(shared 2-core machine: figures are noisy)"
