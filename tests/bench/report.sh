#!/bin/bash
# Summary and report benchmark (issue 11): what `ktrail summary` and
# `ktrail report -o` cost next to the analyses they repeat, their output's
# size, and peak RSS, on a capture of >= 50 M events.
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block` (or
#     takes BASE=FILE), and grows it to EVENTS events as
#     tests/bench/analyze.sh does (kt-test-tool stream_grow); or takes
#     BIG=FILE, a capture already grown.
#  2. The stats tools the summary reads, each alone (what a person would
#     run instead), then `summary` (one pass for all of them) and
#     `summary --json`.
#  3. The report's analysis - the summary, then `why` of the worst span
#     (the summary's first slowest syscall, by its command) - then
#     `report -o OUT.html` and `-o OUT.svg`: wall time, peak RSS
#     (/usr/bin/time) and size.  Goals: the report takes at most 1.2x its
#     analysis (summary + why); every file <= 2 MB whatever the capture's
#     size; RSS within the analysis bound of docs/causal.md.
#
#   tests/bench/report.sh      (as root; env: EVENTS=50000000 SCALE=1
#                               OUT=/dev/shm/kt-bench-report KEEP=0
#                               BASE=capture.ktr BIG=grown.ktr
#                               SHARED=../shared/bench RUNS=3:
#                               tests/bench/lib.sh)
# Validate small (EVENTS=2000000) first.  The machine is shared: figures
# are noisy (each command runs RUNS times, the fastest is kept).
set -u
. "$(dirname "$0")/lib.sh"
bench_init report /dev/shm/kt-bench-report

# --- 1. the capture ----------------------------------------------------------
bench_big
"$KTRAIL" info "$BIG" | grep -E "^(events|duration|size)"

# best CMD...: the fastest of RUNS runs: sets SECS and RSS_MB (of that
# run); stdout to $OUT/run.out
best() {
	local s r
	SECS= RSS_MB=
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >"$OUT/run.out" 2>"$OUT/err" ||
			{ cat "$OUT/err" >&2; die "failed: $*"; }
		read -r s r < <(tail -1 "$OUT/time")
		if [ -z "$SECS" ] || awk "BEGIN { exit !($s < $SECS) }"; then
			SECS=$s RSS_MB=$((r / 1024))
		fi
	done
}
row() { printf '%-40s %8s %8s %10s\n' "$@"; }
sum() { awk "BEGIN { printf \"%.2f\", $1 + $2 }"; }

# --- 2. the summary and the tools it reads ----------------------------------
printf '\n'
row "command" "s" "RSS MB" "out KB"
tools=0
for t in exitsnoop "killsnoop --all" oomkill "syscount --failed --per-process" \
	 tcpconnect tcpretrans biolatency runqlat; do
	best "$KTRAIL" stats "$BIG" $t --json
	row "stats $t" "$SECS" "$RSS_MB" $(( $(stat -c %s "$OUT/run.out") / 1024 ))
	tools=$(sum "$tools" "$SECS")
done
row "  the tools one by one, in all" "$tools" "" ""
best "$KTRAIL" summary "$BIG"
sum_s=$SECS
row "summary" "$SECS" "$RSS_MB" $(( $(stat -c %s "$OUT/run.out") / 1024 ))
best "$KTRAIL" summary "$BIG" --json
row "summary --json" "$SECS" "$RSS_MB" $(( $(stat -c %s "$OUT/run.out") / 1024 ))

# --- 3. the report and its analysis -------------------------------------------
why=$("$KTRAIL" summary "$BIG" --json | python3 -c '
import json, sys
for a in json.load(sys.stdin)["anomalies"]:
    if a["kind"] == "slow":
        print(a["command"].split(None, 3)[3]); break')
[ -n "$why" ] || die "the capture has no slow syscall to explain"
best "$KTRAIL" why "$BIG" $why
why_s=$SECS
row "why $why" "$SECS" "$RSS_MB" ""
base=$(sum "$sum_s" "$why_s")
row "  the report's analysis (summary + why)" "$base" "" ""
for f in html svg; do
	best "$KTRAIL" report "$BIG" -o "$OUT/report.$f"
	row "report -o report.$f" "$SECS" "$RSS_MB" $(( $(stat -c %s "$OUT/report.$f") / 1024 ))
	printf '  %s of its analysis\n' \
		"$(awk "BEGIN { printf \"%.2fx\", $SECS / ($base > 0 ? $base : 0.001) }")"
done
echo "(shared 2-core machine: figures are noisy; KEEP=1 keeps $OUT)"
