#!/bin/bash
# Run every test: unit tests, CLI golden tests, live recording tests, the
# page tests (reports opened in headless Chromium) and the fuzz corpus
# replay; then all of it again against the ASan+UBSan build.
# Each test prints one line "PASS|FAIL|SKIP name[: reason]"; the last line
# is "N passed, N failed, N skipped".  Exit 1 if anything failed.
#
#   tests/run.sh [-k PATTERN] [--no-asan] [--asan-only]
#
# PATTERN (a grep -E regex) selects test groups/scripts by path (unit,
# cli, live/NAME, page/NAME, fuzz).  KT_TIMES=1 prints on stderr how long
# each group took.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
PATTERN=.
PASSES="plain asan"
while [ $# -gt 0 ]; do
	case $1 in
	-k) PATTERN=$2; shift ;;
	--no-asan) PASSES=plain ;;
	--asan-only) PASSES=asan ;;
	*) echo "usage: tests/run.sh [-k PATTERN] [--no-asan] [--asan-only]" >&2; exit 2 ;;
	esac
	shift
done
LOG=$(mktemp /tmp/kt-run.XXXXXX)
trap 'rm -f "$LOG"' EXIT

# run_group NAME CMD... : run one test program, keep its result lines; a
# program that fails without printing a FAIL line is itself a FAIL.
run_group() {
	local name=$1 out rc
	shift
	echo "$name" | grep -qE "$PATTERN" || return 0
	local t0=$SECONDS
	out=$("$@" 2>&1)
	rc=$?
	# KT_TIMES=1: how long each group took, for the 20-minute budget
	[ "${KT_TIMES:-0}" = 1 ] && echo "time $PFX$name: $((SECONDS - t0)) s" >&2
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP) ' | sed "s|^\(PASS\|FAIL\|SKIP\) |\1 $PFX|" | tee -a "$LOG"
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
		echo "FAIL $PFX$name: exited $rc" | tee -a "$LOG"
		printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
	fi
	if [ $rc -eq 0 ] && ! printf '%s\n' "$out" | grep -qE '^(PASS|FAIL|SKIP) '; then
		echo "FAIL $PFX$name: printed no result" | tee -a "$LOG"
	fi
}

for pass in $PASSES; do
	if [ $pass = asan ]; then
		B=build/asan PFX=asan/
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
		# fontconfig's caches, which LeakSanitizer cannot follow
		# (each entry says why): never a leak of ours
		export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	else
		B=build PFX=
	fi
	export KTRAIL=$ROOT/$B/ktrail
	[ $pass = plain ] && KTRAIL=$ROOT/ktrail
	export KT_TOOL=$ROOT/$B/kt-test-tool KT_BUILD=$ROOT/$B KT_ROOT=$ROOT PFX
	run_group unit "$B/test-unit"
	run_group cli tests/cli/run.sh
	for t in tests/live/*.sh; do
		[ -e "$t" ] || continue
		run_group "live/$(basename "$t" .sh)" bash "$t"
	done
	for t in tests/page/*.sh; do
		[ -e "$t" ] || continue
		run_group "page/$(basename "$t" .sh)" bash "$t"
	done
	run_group fuzz "$B/fuzz-replay" tests/fuzz/corpus
done

p=$(grep -c '^PASS ' "$LOG")
f=$(grep -c '^FAIL ' "$LOG")
s=$(grep -c '^SKIP ' "$LOG")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
