#!/bin/bash
# exit_kill.sh - records corpus/scenarios/exit_kill.ktr: a parent forks a child that exits 3 and one it kills with SIGKILL
# (kt-test-tool exit_kill).
# Recorded with `ktrail record -- CMD` (the workload and its threads),
# then passed through `kt-test-tool scenario_filter`, which drops the
# recorder's /proc snapshot of the machine's other processes.  Also writes
# exit_kill.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*exit_kill*) must be regenerated.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/corpus/scenarios/exit_kill
tmp=$(mktemp -d /tmp/kt-scenario.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$top/ktrail" record -q -o "$tmp/raw.ktr" -- "$top/build/kt-test-tool" exit_kill >"$out.ids"
"$top/build/kt-test-tool" scenario_filter "$tmp/raw.ktr" "$out.ktr" \
	"$(sed -n 's/^parent=//p' "$out.ids")"
ls -l "$out.ktr"
