#!/bin/bash
# Replay benchmark (issue 5; the timeline/graph one is analyze.sh).
#
#  1. Records the standard workload (../shared/bench/workload.sh) with
#     `ktrail record` and `perf record` (the equivalent tracepoints) at the
#     same time, system-wide, then times `perf script` and `ktrail replay`
#     (text, to /dev/null) on what each recorded: events/s and the ratio.
#  2. Grows ktrail's recording to EVENTS events by repeating it back to back
#     in time (kt-test-tool stream_grow), and on that capture measures
#     decoding to a sink, text replay, JSON replay and `stats syscount`:
#     events/s and peak RSS; and peak RSS on a capture a tenth the size, to
#     show that memory does not grow with the capture.
#
#   tests/bench/analyze_replay.sh     (as root; env: EVENTS=50000000 SCALE=1
#                                      OUT=/dev/shm/kt-bench-replay KEEP=0
#                                      SHARED=../shared/bench)
# The machine is shared: figures are noisy; compare ratios from one run.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
KTRAIL=${KTRAIL:-$ROOT/ktrail}
KT_TOOL=${KT_TOOL:-$ROOT/build/kt-test-tool}
EVENTS=${EVENTS:-50000000}
SCALE=${SCALE:-1}      # an integer: workload.sh multiplies its counts
OUT=${OUT:-/dev/shm/kt-bench-replay}
SHARED=${SHARED:-$ROOT/../shared/bench}
KEEP=${KEEP:-0}

die() { echo "analyze_replay: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (recording)"
[ -x "$KTRAIL" ] && [ -x "$KT_TOOL" ] || die "build first: make test-bins"
[ -r "$SHARED/workload.sh" ] || die "no standard workload in $SHARED"
command -v perf >/dev/null || die "perf is not installed"
mkdir -p "$OUT" || die "cannot create $OUT"
[ "$KEEP" = 1 ] || trap 'rm -rf "$OUT"' EXIT
gcc -O2 -o "$OUT/wl" "$SHARED/wl.c" || die "cannot build wl"
mkdir -p /tmp/kt-bench-work

now() { date +%s.%N; }
# timed CMD... : run with stdout to /dev/null; sets SECS (wall), CPU
# (user + system seconds) and RSS_KB (peak)
timed() {
	local a b
	a=$(now)
	/usr/bin/time -f "%M %U %S" -o "$OUT/time" "$@" >/dev/null 2>"$OUT/err" ||
		{ cat "$OUT/err" >&2; die "failed: $*"; }
	b=$(now)
	SECS=$(echo "$b - $a" | bc)
	read -r RSS_KB u s < <(tail -1 "$OUT/time")
	CPU=$(echo "$u + $s" | bc)
	[ "$(echo "$CPU > 0" | bc)" = 1 ] || CPU=0.01
}
rate() { echo "$1 / $2" | bc; }

# --- 1. one workload, recorded by both ------------------------------------
PEV=sched:sched_switch,sched:sched_wakeup,sched:sched_process_fork,sched:sched_process_exec,sched:sched_process_exit,raw_syscalls:sys_enter,raw_syscalls:sys_exit,sock:inet_sock_set_state,block:block_rq_issue,block:block_rq_complete
echo "recording the standard workload (scale $SCALE) with ktrail and perf at once"
# perf resolves tracepoints through tracefs: mount it in a private mount
# namespace so the machine's mounts stay as they are
unshare -m --propagation private sh -c '
	mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
	exec perf record -a -m 64M -e "$1" --exclude-perf -o "$2" 2>"$2.log"' \
	sh "$PEV" "$OUT/perf.data" &
PERF=$!
"$KTRAIL" record -q --force -o "$OUT/wl.ktr" -e sched,proc,syscall,tcp,block &
KTR=$!
sleep 3
WL=$OUT/wl WORK=/tmp/kt-bench-work bash "$SHARED/workload.sh" "$SCALE" >"$OUT/workload.log" ||
	die "workload failed"
sleep 1
kill -INT $PERF $KTR
wait $PERF $KTR
grep -E "^total" "$OUT/workload.log"
grep -q "lost\|LOST" "$OUT/perf.data.log" && echo "perf: $(grep -i lost "$OUT/perf.data.log")"

P_EV=$(perf script -i "$OUT/perf.data" 2>/dev/null | wc -l)
timed perf script -i "$OUT/perf.data"
P_S=$SECS
K_EV=$("$KTRAIL" replay "$OUT/wl.ktr" | wc -l)
timed "$KTRAIL" replay "$OUT/wl.ktr"
K_S=$SECS
P_R=$(rate "$P_EV" "$P_S")
K_R=$(rate "$K_EV" "$K_S")
printf '\n%-28s %12s %9s %12s\n' "text output, same workload" events seconds events/s
printf '%-28s %12s %9.3f %12s\n' "perf script" "$P_EV" "$P_S" "$P_R"
printf '%-28s %12s %9.3f %12s\n' "ktrail replay" "$K_EV" "$K_S" "$K_R"
echo "ratio ktrail/perf: $(echo "scale=1; $K_R / $P_R" | bc)x events/s," \
     "$(echo "scale=1; $P_S / $K_S" | bc)x less time for the whole workload"
echo "(perf stores syscall enter and exit as two events; ktrail pairs them" \
     "into one record)"

# --- 2. a grown capture -------------------------------------------------------
echo
echo "growing the recording to $EVENTS events (and $((EVENTS / 10)))"
"$KT_TOOL" stream_grow "$OUT/wl.ktr" "$OUT/big.ktr" --events "$EVENTS" >"$OUT/grow.log" ||
	die "stream_grow failed"
"$KT_TOOL" stream_grow "$OUT/wl.ktr" "$OUT/tenth.ktr" --events $((EVENTS / 10)) >/dev/null ||
	die "stream_grow failed"
N=$(awk '{ print $2 }' "$OUT/grow.log")
echo "capture: $N events, $(stat -c %s "$OUT/big.ktr") bytes"

printf '\n%-24s %10s %8s %11s %13s %8s %10s\n' "on the grown capture" \
	events seconds events/s "events/CPU-s" "RSS MB" "RSS(1/10)"
cmd_for() {     # MODE FILE: the command line (paths have no spaces)
	case $1 in
	sink) echo "$KT_TOOL stream_sink $2" ;;
	text) echo "$KTRAIL replay $2" ;;
	json) echo "$KTRAIL replay $2 --json" ;;
	syscount) echo "$KTRAIL stats $2 syscount" ;;
	offcpu) echo "$KTRAIL stats $2 offcputime" ;;
	esac
}
row() {         # LABEL MODE: on the tenth for its RSS, then on the big one
	local rss10
	# shellcheck disable=SC2046
	timed $(cmd_for "$2" "$OUT/tenth.ktr")
	rss10=$RSS_KB
	# shellcheck disable=SC2046
	timed $(cmd_for "$2" "$OUT/big.ktr")
	printf '%-24s %10s %8.2f %11s %13s %8.1f %10.1f\n' "$1" "$N" "$SECS" \
		"$(rate "$N" "$SECS")" "$(rate "$N" "$CPU")" \
		"$(echo "scale=1; $RSS_KB / 1024" | bc)" \
		"$(echo "scale=1; $rss10 / 1024" | bc)"
}
row "decode to a sink" sink
row "ktrail replay (text)" text
row "ktrail replay --json" json
row "ktrail stats syscount" syscount
row "ktrail stats offcputime" offcpu
echo
echo "RSS(1/10): the same command on a capture a tenth the size"
