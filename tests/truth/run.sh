#!/bin/bash
# tests/truth/run.sh - `make truth`: every ground-truth scenario of issue 10
# (tests/live/truth_*.sh) RUNS times on a quiet machine, then RUNS times
# beside a CPU hog (one busy process per cpu, started and killed here; not
# in the recording's scope).  Prints each run's result as it goes, then a
# table of every `why` answer (scenario, run, question, right/wrong,
# confidence, root-cause line), each scenario's pass count, and the
# calibration table: every answer printed with confidence >= 0.9 must be
# right.  Exit 1 unless every run of every scenario passed.
#
#   tests/truth/run.sh [-n RUNS] [SCENARIO...]      (default: 5, all eight)
#   KEEP=DIR tests/truth/run.sh ...   keeps each run in DIR/MODE-N/truth_S
#
# Needs the test binaries (make -j2 test-bins) and root.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=5
while getopts n: o; do
	case $o in
	n) RUNS=$OPTARG ;;
	*) echo "usage: tests/truth/run.sh [-n RUNS] [SCENARIO...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
SCEN=${*:-fsync convoy exec tcp oom cpu msgs exit}
export KT_ROOT=$ROOT KTRAIL=${KTRAIL:-$ROOT/ktrail} KT_BUILD=${KT_BUILD:-$ROOT/build}
export KT_TOOL=${KT_TOOL:-$KT_BUILD/kt-test-tool}
for s in $SCEN; do
	[ -f "tests/live/truth_$s.sh" ] || { echo "tests/truth/run.sh: no scenario '$s'" >&2; exit 2; }
done
LOG=$(mktemp -d /tmp/kt-truth-run.XXXXXX)
HOGS=()

stop_hogs() {
	local p
	for p in "${HOGS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	HOGS=()
}

start_hogs() {
	local i n
	n=$(nproc)
	for ((i = 0; i < n; i++)); do
		(while :; do :; done) &
		HOGS+=($!)
	done
}
trap 'stop_hogs; rm -rf "$LOG"' EXIT
trap 'exit 130' INT TERM

: >"$LOG/answers"
: >"$LOG/results"
for mode in quiet hog; do
	[ $mode = hog ] && start_hogs
	for s in $SCEN; do
		for ((i = 1; i <= RUNS; i++)); do
			out=$(KEEP=${KEEP:+$KEEP/$mode-$i} bash "tests/live/truth_$s.sh" 2>&1)
			printf '%s\n' "$out" | sed -n "s/^TRUTH /$mode $i /p" >>"$LOG/answers"
			res=$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP) ' | head -1)
			[ -n "$res" ] || res="FAIL live/truth_$s: printed no result"
			printf '%s %s %s\n' "$mode" "$i" "$res" >>"$LOG/results"
			printf '%-5s %d  %s\n' "$mode" "$i" "$res" | cut -c1-200
		done
	done
	stop_hogs
done
python3 tests/truth/table.py "$LOG/answers" "$LOG/results"
