#!/bin/bash
# ktrail diff: the false-positive rate of its default thresholds on real
# recordings (issue 13; docs/ci.md "How the defaults were tuned").
#
#  1. Records PAIRS pairs of the same scenario (tests/live/lib/diff_work.sh
#     same), each pair back to back, and diffs each pair: a pair that exits
#     1 is a false positive; the metrics that crossed are counted.
#  2. Records REGRESS runs of each planted regression (an added fsync, a
#     second refused connect, sleeps 5 times longer) and diffs each with a
#     baseline of its pair: a run that exits 0 is a miss.
#  3. Prints the rates, and how close the same-scenario pairs came to the
#     latency thresholds (their largest p50 and p99 increase where both
#     sides had 20 samples).
#
#   tests/bench/diff.sh        (as root; env: PAIRS=10 REGRESS=3
#                               HOG=0: with HOG=1, two CPU hogs run
#                               during the recordings)
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
KTRAIL=${KTRAIL:-$ROOT/ktrail}
PAIRS=${PAIRS:-10}
REGRESS=${REGRESS:-3}
HOG=${HOG:-0}
WORK=$ROOT/tests/live/lib/diff_work.sh
T=$(mktemp -d /tmp/kt-bench-diff.XXXXXX)
hogs=
cleanup() { [ -n "$hogs" ] && kill $hogs 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	echo "SKIP bench/diff: needs root to record"
	exit 0
fi
if [ "$HOG" = 1 ]; then
	for i in 1 2; do (while :; do :; done) & hogs="$hogs $!"; done
fi

rec() {
	mkdir -p "$T/w"
	"$KTRAIL" record -q --force -o "$T/$1.ktr" -- bash "$WORK" "$2" "$T/w" \
		>/dev/null 2>"$T/rec.err" || { echo "record $1 failed: $(cat "$T/rec.err")"; exit 1; }
}

fp=0
: >"$T/crossed"
: >"$T/lat"
for i in $(seq "$PAIRS"); do
	rec base$i same
	rec cand$i same
	"$KTRAIL" diff "$T/base$i.ktr" "$T/cand$i.ktr" --json >"$T/d.json" 2>/dev/null
	rc=$?
	if [ $rc = 1 ]; then
		fp=$((fp + 1))
		python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["changes"]:
    if c["crossed"]: print(c["metric"], c["comm"]+": "+c["what"], c["change"])' "$T/d.json" >>"$T/crossed"
	elif [ $rc != 0 ]; then
		echo "diff pair $i: exit $rc"; exit 1
	fi
	python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["changes"]:
    if c["metric"] in ("p50", "p99") and c["cand"] > c["base"]:
        print(c["metric"], c["cand"] - c["base"], (c["cand"] - c["base"]) * 100 // max(c["base"], 1), c["comm"]+": "+c["what"])' "$T/d.json" >>"$T/lat"
done

declare -A miss
for mode in fsync connect slow; do
	miss[$mode]=0
	for i in $(seq "$REGRESS"); do
		rec reg-$mode-$i $mode
		"$KTRAIL" diff "$T/base$(( (i - 1) % PAIRS + 1 )).ktr" "$T/reg-$mode-$i.ktr" >/dev/null 2>&1
		[ $? = 1 ] || miss[$mode]=$((miss[$mode] + 1))
	done
done

echo "ktrail diff, default thresholds, workload tests/live/lib/diff_work.sh, HOG=$HOG"
printf 'same scenario:   %d pairs, %d crossed a threshold: false-positive rate %d%%\n' \
	"$PAIRS" "$fp" $((100 * fp / PAIRS))
if [ -s "$T/crossed" ]; then
	echo "  what crossed:"
	sed 's/^/    /' "$T/crossed"
fi
for mode in fsync connect slow; do
	printf 'regression %-8s %d runs, %d missed: detection rate %d%%\n' "$mode" \
		"$REGRESS" "${miss[$mode]}" $((100 * (REGRESS - miss[$mode]) / REGRESS))
done
for m in p50 p99; do
	worst=$(awk -v m=$m '$1 == m' "$T/lat" | sort -k2 -n | tail -1)
	echo "largest $m increase between same-scenario runs (ns, %, item): ${worst:-none}"
done
