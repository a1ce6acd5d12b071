#!/bin/bash
# Pictures benchmark for `graph -o` and `why -o` (issue 11 "Performance";
# the timeline pictures have their own in tests/bench/render.sh).
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host, or takes BASE=FILE, and grows it to EVENTS events as
#     tests/bench/analyze.sh does (kt-test-tool stream_grow); or takes
#     BIG=FILE, a capture already grown.
#  2. Times against the analysis they draw, and reports each output's size
#     and the peak RSS:
#     - graph of the last 100 ms and of the whole capture: `--json` (the
#       graph's analysis), `-o .dot` (that analysis, the window's slowest
#       span found and its critical path, the DOT text: everything but
#       the drawing), `-o .svg` and `-o .png` (plus graphviz's layout);
#     - why --slowest of the busiest process: the text answer, then `-o`
#       .svg, .png and .scene.
#     Wall times, best of RUNS; output sizes (at most 2 MB); peak RSS.
#  3. What drawing adds to the analysis it draws (the goal: at most
#     20 %), phase by phase in cpu time (kt-test-tool render_bench), which
#     other work on the machine disturbs far less than wall time: graph
#     (build, then the window's slowest span and its critical path) vs the
#     DOT text and graphviz's SVG or PNG; why (pick, explain) vs the scene
#     and Cairo's SVG or PNG.
#
#   tests/bench/render_graph.sh   (as root; env: EVENTS=50000000 SCALE=1
#                                  RUNS=3 OUT=/dev/shm/kt-bench-render-graph
#                                  KEEP=0 BASE=capture.ktr BIG=grown.ktr
#                                  SHARED=../shared/bench:
#                                  tests/bench/lib.sh)
# The machine is shared: figures are noisy.  Validate small
# (EVENTS=2000000) before a full run.
set -u
. "$(dirname "$0")/lib.sh"
bench_init render_graph /dev/shm/kt-bench-render-graph

# best CMD... : run it RUNS times, stdout to $OUT/run.out; sets SECS (the
# fastest wall time) and RSS_MB (the largest peak RSS)
best() {
	local rss s i
	SECS= RSS_MB=0
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f "%M %e" -o "$OUT/time" "$@" >"$OUT/run.out" 2>"$OUT/err" ||
			{ cat "$OUT/err" >&2; die "failed: $*"; }
		read -r rss s < <(tail -1 "$OUT/time")
		[ $((rss / 1024)) -gt "$RSS_MB" ] && RSS_MB=$((rss / 1024))
		if [ -z "$SECS" ] || awk -v a="$s" -v b="$SECS" 'BEGIN { exit !(a < b) }'; then
			SECS=$s
		fi
	done
}

# --- 1. the capture ----------------------------------------------------------
bench_big
EV=$(bench_events "$BIG")
echo "capture: $EV events, $(($(stat -c %s "$BIG") / 1048576)) MB ($RUNS runs each, best)"

# --- 2. the pictures ---------------------------------------------------------
row() {         # WHAT OUTPUT: one line of the table
	local size=-
	[ -n "$2" ] && [ -e "$2" ] && size=$(stat -c %s "$2")
	printf '%-34s %9s %8s %12s\n' "$1" "$SECS" "$RSS_MB" "$size"
	[ "$size" = - ] || [ "$size" -le 2097152 ] || echo "  OVER 2 MB: $2"
}
printf '\n%-34s %9s %8s %12s\n' command "best s" "RSS MB" "bytes"
for win in 100ms all; do
	best "$KTRAIL" graph "$BIG" --window $win --json
	row "graph --window $win --json" ""
	for f in dot svg png; do
		best "$KTRAIL" graph "$BIG" --window $win -o "$OUT/g.$f"
		row "graph --window $win -o .$f" "$OUT/g.$f"
	done
	grep -o 'red: [^\\]*' "$OUT/g.dot" | cut -c1-150 | sed 's/^/  /'
done
pid=$("$KTRAIL" stats "$BIG" syscount 2>/dev/null |
	awk '/^ *PID/ { p = 1; next } p && $1 ~ /^[0-9]+$/ { print $1; exit }')
[ -n "$pid" ] || die "no process in the capture's syscount"
best "$KTRAIL" why "$BIG" --pid "$pid" --slowest
row "why --pid $pid --slowest" ""
head -1 "$OUT/run.out" | cut -c1-150 | sed 's/^/  /'
for f in scene svg png; do
	best "$KTRAIL" why "$BIG" --pid "$pid" --slowest -o "$OUT/w.$f"
	row "why --pid $pid -o .$f" "$OUT/w.$f"
done

# --- 3. drawing's share, in cpu time ----------------------------------------
for a in "graph 100" "graph 0" "why $pid"; do
	printf '\nrender_bench %s\n' "$a"
	"$KT_TOOL" render_bench "$BIG" $a | sed 's/^/  /' ||
		die "render_bench $a failed"
done
echo "(shared 2-core machine: wall times are noisy, cpu times less so)"
