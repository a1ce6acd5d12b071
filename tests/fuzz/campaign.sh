#!/bin/bash
# A libFuzzer campaign on the capture reader (`make fuzz FUZZ_SECS=N`):
# runs build/fuzz/fuzz-reader for SECS seconds on a working corpus seeded
# from tests/fuzz/corpus, keeps crashers in build/fuzz/artifacts/, and ends
# with a minimized copy of the working corpus in build/fuzz/min/ (pick
# new seeds from there into tests/fuzz/corpus; add every crasher).
#
#   tests/fuzz/campaign.sh SECS [JOBS]
set -u
cd "$(dirname "$0")/../.."
SECS=${1:-600}
JOBS=${2:-1}
B=build/fuzz
mkdir -p $B/work $B/artifacts $B/min
cp -n tests/fuzz/corpus/* $B/work/ 2>/dev/null
echo "fuzz: $SECS s, $JOBS job(s), corpus $(ls $B/work | wc -l) inputs"
par=
[ "$JOBS" -gt 1 ] && par="-jobs=$JOBS -workers=$JOBS"
# from inside build/fuzz, where libFuzzer leaves its fuzz-N.log files
# shellcheck disable=SC2086
(cd $B && ./fuzz-reader -max_total_time="$SECS" -max_len=65536 -timeout=10 \
	-rss_limit_mb=2048 $par -artifact_prefix=artifacts/ \
	-print_final_stats=1 work > campaign.log 2>&1)
rc=$?
[ -e $B/fuzz-0.log ] && cat $B/fuzz-*.log >> $B/campaign.log
tail -n 15 $B/campaign.log
rm -rf $B/min && mkdir -p $B/min
$B/fuzz-reader -merge=1 -max_len=65536 $B/min $B/work > $B/merge.log 2>&1
echo "fuzz: exit $rc; working corpus $(ls $B/work | wc -l), minimized $(ls $B/min | wc -l); artifacts: $(ls $B/artifacts | wc -l)"
[ $rc -eq 0 ] && [ -z "$(ls $B/artifacts)" ]
