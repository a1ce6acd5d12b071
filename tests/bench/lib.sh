# shellcheck shell=bash
# lib.sh - what the benchmarks on a grown capture share (analyze.sh,
# render.sh, render_graph.sh, report.sh, export.sh).  Sourced, not run:
#
#   . "$(dirname "$0")/lib.sh"
#   bench_init NAME DEFAULT_OUT   the environment below, die, the checks,
#                                 $OUT created (removed at exit unless KEEP=1);
#                                 the working directory is the repository
#   bench_run CMD...              run once, stdout to $OUT/run.out
#   bench_run_to FILE CMD...      the same, stdout to FILE
#                                 (both: stderr to $OUT/err; set SECS_WALL
#                                 and RSS_MB, the peak RSS)
#   bench_base_capture            BASE: as given, or the standard workload
#                                 (../shared/bench/workload.sh) recorded on
#                                 the whole host into $OUT/base.ktr (with
#                                 KEEP=1 an existing one is reused)
#   bench_grow N FILE             BASE grown to N events into FILE by
#                                 repeating it back to back in time
#                                 (kt-test-tool stream_grow)
#   bench_big [NOTE]              BIG: as given (a capture already grown),
#                                 or $OUT/big.ktr grown from the base capture
#                                 to EVENTS events ("growing to EVENTS
#                                 events NOTE"); with KEEP=1 an existing
#                                 $OUT/big.ktr is reused as it is (whatever
#                                 EVENTS was then).  Give BIG= with the
#                                 BASE= it was grown from when a script
#                                 also grows a tenth (analyze, export)
#   bench_events FILE             the capture's event count
#
# Environment (all optional): EVENTS=50000000 SCALE=1 RUNS=3 OUT KEEP=0
# BASE=capture.ktr BIG=grown.ktr SHARED=../shared/bench KTRAIL KT_TOOL.
# Relative paths are taken from the repository's top.

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# die MESSAGE: "NAME: MESSAGE" on stderr, exit 1
die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

bench_init() {
	BENCH_NAME=$1
	cd "$BENCH_LIB_DIR/../.." || exit 1
	ROOT=$PWD
	KTRAIL=${KTRAIL:-$ROOT/ktrail}
	KT_TOOL=${KT_TOOL:-$ROOT/build/kt-test-tool}
	EVENTS=${EVENTS:-50000000}
	SCALE=${SCALE:-1}       # an integer: workload.sh multiplies its counts
	RUNS=${RUNS:-3}
	OUT=${OUT:-$2}
	SHARED=${SHARED:-$ROOT/../shared/bench}
	BASE=${BASE:-}
	BIG=${BIG:-}
	KEEP=${KEEP:-0}
	[ -x "$KTRAIL" ] && [ -x "$KT_TOOL" ] || die "build first: make test-bins"
	command -v /usr/bin/time >/dev/null || die "needs /usr/bin/time (apt-get install time)"
	mkdir -p "$OUT" || die "cannot create $OUT"
	[ "$KEEP" = 1 ] || trap 'rm -rf "$OUT"' EXIT
}

# shellcheck disable=SC2034 # SECS_WALL and RSS_MB are for the caller
bench_run_to() {
	local o=$1 rss
	shift
	/usr/bin/time -f "%M %e" -o "$OUT/time" "$@" >"$o" 2>"$OUT/err" ||
		{ cat "$OUT/err" >&2; die "failed: $*"; }
	read -r rss SECS_WALL < <(tail -1 "$OUT/time")
	RSS_MB=$((rss / 1024))
}

bench_run() { bench_run_to "$OUT/run.out" "$@"; }

bench_base_capture() {
	local rec
	[ -n "$BASE" ] && return
	if [ "$KEEP" = 1 ] && [ -s "$OUT/base.ktr" ]; then
		echo "reusing $OUT/base.ktr (KEEP=1)"
		BASE=$OUT/base.ktr
		return
	fi
	[ "$(id -u)" = 0 ] || die "needs root to record (or BASE=capture.ktr)"
	[ -r "$SHARED/workload.sh" ] || die "no standard workload in $SHARED"
	gcc -O2 -o "$OUT/wl" "$SHARED/wl.c" || die "cannot build wl"
	mkdir -p /tmp/kt-bench-work
	echo "recording the standard workload (scale $SCALE), whole host"
	"$KTRAIL" record -q --force -o "$OUT/base.ktr" -e sched,proc,syscall,tcp,block &
	rec=$!
	sleep 3
	WL=$OUT/wl WORK=/tmp/kt-bench-work bash "$SHARED/workload.sh" "$SCALE" \
		>"$OUT/workload.log" || die "workload failed"
	sleep 1
	kill -INT $rec
	wait $rec
	BASE=$OUT/base.ktr
}

bench_grow() {
	"$KT_TOOL" stream_grow "$BASE" "$2" --events "$1" >/dev/null ||
		die "stream_grow failed"
}

# shellcheck disable=SC2120 # NOTE is optional
bench_big() {
	if [ -n "$BIG" ]; then
		[ -s "$BIG" ] || die "BIG=$BIG: no such capture"
		return
	fi
	BIG=$OUT/big.ktr
	if [ "$KEEP" = 1 ] && [ -s "$BIG" ]; then
		echo "reusing $BIG (KEEP=1)"
		return
	fi
	bench_base_capture
	echo "growing to $EVENTS events${1:-}"
	bench_grow "$EVENTS" "$BIG"
}

bench_events() {
	"$KTRAIL" info "$1" | sed -n 's/^events: *\([0-9]*\).*/\1/p'
}
