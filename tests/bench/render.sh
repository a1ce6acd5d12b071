#!/bin/bash
# Pictures benchmark (issue 11): what drawing adds to the analysis it
# draws, the output's size, and peak RSS, on a capture of >= 50 M events.
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block`
#     (or takes BASE=FILE), and grows it to EVENTS events as
#     tests/bench/analyze.sh does (kt-test-tool stream_grow); or takes
#     BIG=FILE, a capture already grown.
#  2. For every picture in the table below: the analysis it draws (its
#     baseline, output thrown away), the picture, and their wall time,
#     peak RSS (/usr/bin/time) and the picture's size.  Goals: the
#     picture takes at most 1.2x its baseline; every file <= 2 MB
#     whatever the capture's size; RSS within the analysis bound of
#     docs/causal.md.
#
#   tests/bench/render.sh      (as root; env: EVENTS=50000000 SCALE=1
#                               RUNS=3 OUT=/dev/shm/kt-bench-render KEEP=0
#                               BASE=capture.ktr BIG=grown.ktr
#                               SHARED=../shared/bench: tests/bench/lib.sh)
# Validate small (EVENTS=2000000) first.  The machine is shared: figures
# are noisy (each command runs RUNS=3 times, the fastest is kept).
set -u
. "$(dirname "$0")/lib.sh"
bench_init render /dev/shm/kt-bench-render

# --- 1. the capture ----------------------------------------------------------
bench_big
"$KTRAIL" info "$BIG" | grep -E "^(events|duration|size)"
# a 100 ms window in the middle of the capture
read -r FIRST LAST < <("$KTRAIL" info --json "$BIG" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["first_ts"], d["last_ts"])')
W0=$(( (FIRST + LAST) / 2 ))
W1=$(( W0 + 100000000 ))
W="--from ${W0}ns --to ${W1}ns"

# --- 2. the pictures -----------------------------------------------------------
# best of RUNS by CPU time (user + sys: the machine is shared, wall time
# swings): sets CPU, SECS (wall) and RSS_MB of that run; stdout to /dev/null
best() {
	local e u s r c
	CPU= SECS= RSS_MB=
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %U %S %M" -o "$OUT/time" "$@" >/dev/null 2>"$OUT/err" ||
			{ cat "$OUT/err" >&2; die "failed: $*"; }
		read -r e u s r < <(tail -1 "$OUT/time")
		c=$(awk "BEGIN { print $u + $s }")
		if [ -z "$CPU" ] || awk "BEGIN { exit !($c < $CPU) }"; then
			CPU=$c SECS=$e RSS_MB=$((r / 1024))
		fi
	done
}

printf '\n%-28s %8s %8s %6s %8s %8s %9s %8s %7s\n' picture "base cpu" "pic cpu" "+%" \
	"base s" "pic s" "size KB" "base MB" "pic MB"
# pic NAME FILE BASELINE... -- PICTURE...: the picture command writes FILE
pic() {
	local name=$1 file=$2 base=() bc bs bm
	shift 2
	while [ "$1" != -- ]; do base+=("$1"); shift; done
	shift
	best "${base[@]}"
	bc=$CPU bs=$SECS bm=$RSS_MB
	best "$@"
	printf '%-28s %8s %8s %5s%% %8s %8s %9s %8s %7s\n' "$name" "$bc" "$CPU" \
		"$(awk "BEGIN { printf \"%+.0f\", ($CPU / ($bc > 0 ? $bc : 0.001) - 1) * 100 }")" \
		"$bs" "$SECS" $(( $(stat -c %s "$file") / 1024 )) "$bm" "$RSS_MB"
}

# One line a picture: its name, the file it writes, the analysis it draws
# (the baseline), --, the picture.  The whole capture's baseline is the
# timeline pass into a counting sink (the text timeline of 50 M events
# keeps every interval: it does not fit); the window's is the JSON
# timeline of the same window.  .scene is the picture without Cairo.
pic "timeline, all, .scene" "$OUT/tl-all.scene" "$KT_TOOL" causal_bench "$BIG" timeline -- "$KTRAIL" timeline "$BIG" -o "$OUT/tl-all.scene"
pic "timeline, all, .png" "$OUT/tl-all.png" "$KT_TOOL" causal_bench "$BIG" timeline -- "$KTRAIL" timeline "$BIG" -o "$OUT/tl-all.png"
pic "timeline, all, .svg" "$OUT/tl-all.svg" "$KT_TOOL" causal_bench "$BIG" timeline -- "$KTRAIL" timeline "$BIG" -o "$OUT/tl-all.svg"
pic "timeline, 100 ms, .scene" "$OUT/tl-100.scene" "$KTRAIL" timeline "$BIG" $W --json -- "$KTRAIL" timeline "$BIG" $W -o "$OUT/tl-100.scene"
pic "timeline, 100 ms, .png" "$OUT/tl-100.png" "$KTRAIL" timeline "$BIG" $W --json -- "$KTRAIL" timeline "$BIG" $W -o "$OUT/tl-100.png"
pic "timeline, 100 ms, .svg" "$OUT/tl-100.svg" "$KTRAIL" timeline "$BIG" $W --json -- "$KTRAIL" timeline "$BIG" $W -o "$OUT/tl-100.svg"
pic "timeline, 100 ms, 4000 px" "$OUT/tl-100w.svg" "$KTRAIL" timeline "$BIG" $W --json -- "$KTRAIL" timeline "$BIG" $W --width 4000 --lanes 200 -o "$OUT/tl-100w.svg"

echo "(shared 2-core machine: figures are noisy; KEEP=1 keeps $OUT)"
