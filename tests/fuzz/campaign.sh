#!/bin/bash
# libFuzzer campaigns (`make fuzz FUZZ_SECS=N FUZZ_TARGETS="..."`): runs
# build/fuzz/fuzz-NAME for SECS seconds per target, one target after the
# other, on a working corpus build/fuzz/work/NAME seeded from
# tests/fuzz/corpus/NAME; keeps crashers, leaks and timeouts in
# build/fuzz/artifacts/NAME/, and ends each with a minimized copy of its
# working corpus in build/fuzz/min/NAME/ (pick new seeds from there into
# tests/fuzz/corpus/NAME; add every crasher, once fixed).  Prints one
# line of figures per target (also in build/fuzz/figures.txt), SECS the
# time it ran (a finding stops it early):
#   NAME: SECS s, EXECS execs (RATE/s), cov C, ft F, corpus N (min M), K findings
#
#   tests/fuzz/campaign.sh SECS [JOBS [TARGET...]]
set -u
cd "$(dirname "$0")/../.."
SECS=${1:-600}
JOBS=${2:-1}
shift 2 2>/dev/null
TARGETS=${*:-reader check time threshold meta}
B=build/fuzz
: > $B/figures.txt
fail=0

# max_len per target: captures and metadata are files, the others one
# argument or a rules file
maxlen() {
	case $1 in
	reader|meta) echo 65536 ;;
	check) echo 8192 ;;
	*) echo 256 ;;
	esac
}

for t in $TARGETS; do
	[ -x $B/fuzz-$t ] || { echo "fuzz: no $B/fuzz-$t (make fuzz builds it)"; fail=1; continue; }
	mkdir -p $B/work/$t $B/artifacts/$t
	cp -n tests/fuzz/corpus/$t/* $B/work/$t/ 2>/dev/null
	par=
	[ "$JOBS" -gt 1 ] && par="-jobs=$JOBS -workers=$JOBS"
	echo "fuzz $t: $SECS s, $JOBS job(s), corpus $(ls $B/work/$t | wc -l) inputs"
	# from inside build/fuzz, where libFuzzer leaves its fuzz-N.log files
	rm -f $B/fuzz-*.log
	t0=$SECONDS
	# shellcheck disable=SC2086
	(cd $B && ./fuzz-$t -max_total_time="$SECS" -max_len="$(maxlen $t)" \
		-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 $par \
		-artifact_prefix=artifacts/$t/ -print_final_stats=1 \
		work/$t > campaign-$t.log 2>&1)
	rc=$?
	secs=$((SECONDS - t0))
	ls $B/fuzz-*.log >/dev/null 2>&1 && cat $B/fuzz-*.log >> $B/campaign-$t.log
	rm -rf $B/min/$t && mkdir -p $B/min/$t
	$B/fuzz-$t -merge=1 -max_len="$(maxlen $t)" $B/min/$t $B/work/$t > $B/merge-$t.log 2>&1
	execs=$(grep -h 'stat::number_of_executed_units' $B/campaign-$t.log | awk '{s += $2} END {print s + 0}')
	last=$(grep -hE '^#[0-9]+' $B/campaign-$t.log | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	found=$(ls $B/artifacts/$t | wc -l)
	line="$t: $secs s, $execs execs ($((execs / (secs > 0 ? secs : 1)))/s), cov ${cov:-?}, ft ${ft:-?}, corpus $(ls $B/work/$t | wc -l) (min $(ls $B/min/$t | wc -l)), $found findings (exit $rc)"
	echo "$line" | tee -a $B/figures.txt
	[ $rc -eq 0 ] && [ "$found" -eq 0 ] || fail=1
done
exit $fail
