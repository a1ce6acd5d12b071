#!/bin/bash
# Scale benchmark (issue 14 "Scale"): a capture of several GB, grown by
# repeating a real recording, and what reading it costs.
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block`
#     (or takes BASE=FILE), and grows it to GB gigabytes (kt-test-tool
#     stream_grow: the recording repeated back to back in time), and to a
#     tenth of that for the memory comparison; or takes BIG=FILE.
#  2. `info`: wall time, peak RSS and the bytes the reader reads (header,
#     index, metadata), per frame, on both captures: it grows with the
#     number of frames, never with the number of events.
#  3. Seeks to every tenth of the capture (kt-test-tool bench_read seeks):
#     bytes read and frames decoded per seek: only the frames it needs (a
#     keyframe and at most 16 frames skimmed, one decoded).  Then `replay`
#     of 100 ms at the middle (fd names included: docs/fds.md): wall time.
#  4. Every streaming command over the whole capture (output thrown away;
#     timeline's text over a 1 s window: the whole big one's would be
#     ~150 GB of text, see 5): wall
#     time and peak RSS on the big capture and on the tenth.  A grown
#     capture forks its processes anew on every repetition: the big one
#     names ten times the threads too.  What may grow is what each
#     command documents per thread named (the task table, about 150
#     bytes a thread, for every reader; a picture's rows, summary's rows
#     per process, verify's state per thread): bounded when the big
#     capture's RSS is within 25 % + 8 MB of the tenth's plus that per
#     thread it names more; the measured bytes per added thread beside.
#  5. timeline's text over a whole capture of TL_EVENTS events and of ten
#     times that: its items sorted in memory up to --buffer-size, then in
#     runs in a temporary file: the same RSS.
#
#   tests/bench/scale.sh     (as root; env: GB=2 SCALE=1 OUT=/var/tmp/kt-bench-scale
#                             KEEP=0 BASE=capture.ktr BIG=grown.ktr
#                             STREAMS=regex TL_EVENTS=4000000
#                             SHARED=../shared/bench: tests/bench/lib.sh)
# The machine is shared: times are noisy; bytes and frames are exact.
# Validate small (GB=0.2) first: the full run takes about half an hour.
set -u
. "$(dirname "$0")/lib.sh"
bench_init scale /var/tmp/kt-bench-scale
GB=${GB:-2}

# --- 1. the captures ----------------------------------------------------------
bench_base_capture
read -r bev bsz < <("$KTRAIL" info --json "$BASE" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["events"], d["bytes"])')
EVENTS=$(awk -v g="$GB" -v n="$bev" -v s="$bsz" 'BEGIN { printf "%d", g * 1e9 / (s / n) }')
echo "base capture: $bev events, $bsz bytes ($(awk -v n="$bev" -v s="$bsz" 'BEGIN { printf "%.2f", s / n }') bytes/event)"
bench_big " (about $GB GB)"
TENTH=$OUT/tenth.ktr
echo "growing to $((EVENTS / 10)) events (a tenth)"
bench_grow $((EVENTS / 10)) "$TENTH"
sync
for f in "$TENTH" "$BIG"; do
	"$KTRAIL" info "$f" | grep -E "^(events|size|frames)" | tr '\n' ' '
	echo "($(basename "$f"))"
done

# --- 2. info -------------------------------------------------------------------
echo
echo "== info (header, index and metadata)"
printf '%-10s %14s %8s %12s %10s %12s %8s %8s\n' capture events frames "bytes read" "B/frame" \
	"file bytes" "info s" "RSS MB"
for f in "$TENTH" "$BIG"; do
	read -r ev fr < <("$KTRAIL" info --json "$f" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["events"], d["frames"])')
	rd=$("$KT_TOOL" bench_read "$f" info | sed -n 's/.* \([0-9]*\) bytes read of \([0-9]*\).*/\1 \2/p')
	read -r rb fb <<<"$rd"
	bench_run "$KTRAIL" info "$f"
	printf '%-10s %14s %8s %12s %10.1f %12s %8s %8s\n' "$(basename "$f" .ktr)" "$ev" "$fr" "$rb" \
		"$(awk -v b="$rb" -v f="$fr" 'BEGIN { print b / f }')" "$fb" "$SECS_WALL" "$RSS_MB"
done

# --- 3. seeks ------------------------------------------------------------------
echo
echo "== seeks in the big capture (only the frames each needs)"
"$KT_TOOL" bench_read "$BIG" seeks
read -r FIRST LAST < <("$KTRAIL" info --json "$BIG" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["first_ts"], d["last_ts"])')
MID=$(( (FIRST + LAST) / 2 ))
bench_run "$KTRAIL" replay "$BIG" --from "${MID}ns" --to "$((MID + 100000000))ns"
echo "replay of 100 ms at the middle: $SECS_WALL s wall, $RSS_MB MB RSS, $(wc -l <"$OUT/run.out") lines"

# --- 4. streaming commands -----------------------------------------------------
echo
echo "== streaming commands over the whole capture (output to /dev/null)"
THREADS=()
for f in "$TENTH" "$BIG"; do
	echo "$(basename "$f" .ktr): $("$KTRAIL" info --json "$f" 2>/dev/null |
		python3 -c 'import json,sys; k=json.load(sys.stdin)["kinds"]; print(k.get("proc_fork", 0), "forks,", k.get("proc_exec", 0), "execs")')"
	line=$("$KT_TOOL" bench_read "$f" tasks)
	echo "  $line"
	THREADS+=("$(echo "$line" | sed -n 's/.*tasks: \([0-9]*\) threads.*/\1/p')")
done
ADDED=$((THREADS[1] - THREADS[0]))
echo "the big capture names $ADDED threads more than its tenth"
printf '%-22s %8s %8s %8s %8s %9s %9s %8s\n' command "tenth s" "big s" "tenth MB" "big MB" \
	"B/thread" documented bounded
# stream NAME PT SUBCOMMAND [OPTION...]: `ktrail SUBCOMMAND FILE OPTION...`
# on both captures; PT is what the command documents per thread named
# (bytes).  Bounded: the big capture's RSS is within 25 % + 8 MB of the
# tenth's, plus PT for each thread it names more.
stream() {
	local name=$1 pt=$2 sub=$3 ts tm bs bm ok per
	shift 3
	bench_run_to /dev/null "$KTRAIL" "$sub" "$TENTH" "$@"
	ts=$SECS_WALL tm=$RSS_MB
	bench_run_to /dev/null "$KTRAIL" "$sub" "$BIG" "$@"
	bs=$SECS_WALL bm=$RSS_MB
	per=$(awk -v t="$tm" -v b="$bm" -v n="$ADDED" 'BEGIN { printf "%d", (n > 0 ? (b - t) * 1048576 / n : 0) }')
	ok=$(awk -v t="$tm" -v b="$bm" -v n="$ADDED" -v pt="$pt" \
		'BEGIN { print (b <= t * 1.25 + 8 + n * pt / 1048576 ? "yes" : "NO") }')
	printf '%-22s %8s %8s %8s %8s %9s %9s %8s\n' "$name" "$ts" "$bs" "$tm" "$bm" "$per" "$pt" "$ok"
}
# what each documents per thread named: the task table (docs/replay.md:
# about 150 bytes, its distinct strings once) for every reader; summary
# its rows per process (docs/report.md), verify its state per thread
# (docs/verify.md), a picture its rows per thread seen (docs/render.md)
TT=200
# STREAMS: a subset by name (a regex), e.g. STREAMS='stats|verify'
STREAMS=${STREAMS:-.}
want() { [[ $1 =~ $STREAMS ]]; }
want replay && stream "replay" $TT replay
want "replay --json" && stream "replay --json" $TT replay --json
want syscount && stream "stats syscount" $TT stats syscount
want runqlat && stream "stats runqlat" $TT stats runqlat
want execsnoop && stream "stats execsnoop" $TT stats execsnoop
want offcputime && stream "stats offcputime" $TT stats offcputime
want tcplife && stream "stats tcplife" $TT stats tcplife
want "timeline window" && stream "timeline, 1 s window" $TT timeline --from +1s --to +2s
want svg && stream "timeline -o x.svg" $((TT + 3500)) timeline -o "$OUT/t.svg"
want summary && stream "summary" $((TT + 800)) summary
want verify && stream "verify" $((TT + 400)) verify
want "export --json" && stream "export --json" $TT export --json -o /dev/null

# --- 5. timeline's text over a whole capture ---------------------------------
# It prints thread by thread what it reads in time order: its items are
# sorted as sort(1) does, in memory up to --buffer-size, then in runs in
# a temporary file (its --help, MEMORY).  Ten times the events, the same
# memory; the temporary file's size is printed beside.  On captures of
# TL_EVENTS and ten times that (the big one's text would be ~150 GB).
TL_EVENTS=${TL_EVENTS:-4000000}
if want "timeline whole"; then
	echo
	echo "== timeline's text over a whole capture (default --buffer-size 64M, and 4M)"
	printf '%-12s %12s %14s %8s %8s %12s\n' capture events "text bytes" "s" "RSS MB" "RSS MB 4M"
	for n in "$TL_EVENTS" $((TL_EVENTS * 10)); do
		bench_grow "$n" "$OUT/tl.ktr"
		bench_run_to "$OUT/tl.txt" "$KTRAIL" timeline "$OUT/tl.ktr"
		tb=$(stat -c %s "$OUT/tl.txt") ts=$SECS_WALL tm=$RSS_MB
		rm -f "$OUT/tl.txt"
		bench_run_to /dev/null "$KTRAIL" timeline "$OUT/tl.ktr" --buffer-size 4M
		printf '%-12s %12s %14s %8s %8s %12s\n' "x$((n / TL_EVENTS))" "$n" "$tb" "$ts" "$tm" "$RSS_MB"
	done
	rm -f "$OUT/tl.ktr"
fi
