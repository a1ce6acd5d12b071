#!/bin/bash
# lock_convoy.sh - records corpus/scenarios/lock_convoy.ktr: three threads queue on a pthread mutex that a holder keeps for 50 ms
# of computing (kt-test-tool lock_convoy 3 50).
# Recorded with `ktrail record -- CMD` (the workload and its threads),
# then passed through `kt-test-tool scenario_filter`, which drops the
# recorder's /proc snapshot of the machine's other processes.  Also writes
# lock_convoy.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*lock_convoy*) must be regenerated.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/corpus/scenarios/lock_convoy
tmp=$(mktemp -d /tmp/kt-scenario.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$top/ktrail" record -q -o "$tmp/raw.ktr" -- "$top/build/kt-test-tool" lock_convoy 3 50 >"$out.ids"
"$top/build/kt-test-tool" scenario_filter "$tmp/raw.ktr" "$out.ktr" \
	"$(sed -n 's/^pid=//p' "$out.ids")"
ls -l "$out.ktr"
