#!/bin/bash
# truth.sh - records corpus/scenarios/truth_NAME.ktr and truth_NAME.truth
# for each ground-truth scenario of issue 10 (tests/truth/README.md): the
# capture the way a user records it (`ktrail record -- CMD`), and the
# truth its workload measured from user space.  tests/cli/truth_corpus.sh
# runs the checker over these fixed files, so the answers it judges are
# exact on every machine.
#
#   corpus/scenarios/truth.sh [NAME...]    (default: every scenario)
#
# Run as root after `make test-bins`; it replaces the files (the golden
# tests/cli/truth_corpus.* must then be regenerated).  A recording that
# does not verify clean, or whose checker fails, is not kept; one that
# lost events is recorded again (3 tries in all, as lib.bash says).
set -u
. "$(dirname "$0")/lib.bash"
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(fsync convoy exec tcp oom cpu msgs exit)
keep=$(mktemp -d /tmp/kt-truth-corpus.XXXXXX)
trap 'rm -rf "$keep"' EXIT
rc=0
for n in "${names[@]}"; do
	d=$keep/truth_$n
	for try in 1 2 3; do
		rm -rf "$d"
		out=$(KEEP=$keep KTRAIL=$top/ktrail KT_TOOL=$top/build/kt-test-tool \
			KT_BUILD=$top/build bash "$top/tests/live/truth_$n.sh" 2>&1 | tail -1)
		lost=$(corpus_lost "$d/cap.ktr")
		[ "$lost" = 0 ] && break
		echo "truth_$n: ${lost:-?} events lost (try $try of 3)" >&2
	done
	if ! echo "$out" | grep -q "^PASS " || ! "$top/ktrail" verify "$d/cap.ktr" >/dev/null; then
		echo "truth_$n: not kept: $out"
		rc=1
		continue
	fi
	cp "$d/cap.ktr" "$top/corpus/scenarios/truth_$n.ktr"
	cp "$d/truth" "$top/corpus/scenarios/truth_$n.truth"
	ls -l "$top/corpus/scenarios/truth_$n.ktr"
done
exit $rc
