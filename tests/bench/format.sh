#!/bin/bash
# Benchmark of the capture format (tests/bench/, run by `make bench`):
# bytes per event per kind and overall at zstd levels 1, 3, 9 and the
# default; writer events/s; reader events/s to a sink; time and bytes read
# by `info` and by one seek on a file of at least 1 GB.
#
# The stream is the synthetic model of corpus/synthetic/README.md (kt-test-
# tool gen_synthetic): a 4-CPU host, sched switch/waking heavy, syscalls
# from per-thread loops, every other family rarely, per-CPU batches
# arriving out of order, a flush every simulated second.
#
# BENCH_CAPTURE=FILE also breaks down the bytes of a real capture (e.g.
# `ktrail record -o wl.ktr -- ../shared/bench/workload.sh`).
#
#   BENCH_EVENTS=50000000 BENCH_BIG_BYTES=1100000000 tests/bench/format.sh
set -eu
cd "$(dirname "$0")/../.."
N=${BENCH_EVENTS:-50000000}
BIG_BYTES=${BENCH_BIG_BYTES:-1100000000}
T=build/kt-test-tool
D=$(mktemp -d "${TMPDIR:-/tmp}/kt-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT
echo "format bench: $N events per run (machine: $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
if [ -n "${BENCH_CAPTURE:-}" ]; then
	echo
	echo "== real capture $BENCH_CAPTURE: $(stat -c %s "$BENCH_CAPTURE") bytes"
	$T frame_stats "$BENCH_CAPTURE" | sed 's/^/   /'
	for z in 1 3 9; do
		echo "   rewritten at zstd $z: $($T bench_write "$BENCH_CAPTURE" "$D/cap$z.ktr" --zstd $z) -> $(stat -c %s "$D/cap$z.ktr") bytes"
		rm -f "$D/cap$z.ktr"
	done
	echo "   reader: $($T bench_read "$BENCH_CAPTURE" all)"
fi
for z in 1 3 9 default; do
	opt=; [ $z != default ] && opt="--zstd $z"
	# shellcheck disable=SC2086
	w=$($T gen_synthetic "$D/z$z.ktr" --events "$N" $opt --stats)
	size=$(stat -c %s "$D/z$z.ktr")
	echo
	echo "== zstd $z: $size bytes, $(awk -v s="$size" -v n="$N" 'BEGIN { printf "%.3f", s / n }') bytes/event (whole file)"
	echo "   writer: $w"
	$T frame_stats "$D/z$z.ktr" | sed -n '/^kind (own/,/^total/p' | sed 's/^/   /'
	[ $z = default ] || rm -f "$D/z$z.ktr"
done
echo
echo "== reader, every event to a sink (zstd default file)"
$T bench_read "$D/zdefault.ktr" all
rm -f "$D/zdefault.ktr"
# a file of at least BIG_BYTES: events from the per-event size just measured
per=$(awk -v s="$size" -v n="$N" 'BEGIN { print s / n }')
big=$(awk -v b="$BIG_BYTES" -v p="$per" 'BEGIN { printf "%d", b / p + 1 }')
echo
echo "== info and seek on a file of at least $BIG_BYTES bytes ($big events)"
$T gen_synthetic "$D/big.ktr" --events "$big" --stats
ls -l "$D/big.ktr" | awk '{ print "   size", $5 }'
sync
$T bench_read "$D/big.ktr" info
$T bench_read "$D/big.ktr" seek
/usr/bin/time -f "   ktrail info: %e s wall, %M KB max RSS" ./ktrail info "$D/big.ktr" > /dev/null
$T bench_read "$D/big.ktr" all
