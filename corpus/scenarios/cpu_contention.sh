#!/bin/bash
# cpu_contention.sh - records corpus/scenarios/cpu_contention.ktr: two CPU hogs and a latency thread that sleeps 200 us in a loop, all
# pinned to the last cpu, for 300 ms (kt-test-tool cpu_hogs 300).
# Recorded with `ktrail record -- CMD` (the workload and its threads),
# then passed through `kt-test-tool scenario_filter`, which drops the
# recorder's /proc snapshot of the machine's other processes.  Also writes
# cpu_contention.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*cpu_contention*) must be regenerated.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/corpus/scenarios/cpu_contention
tmp=$(mktemp -d /tmp/kt-scenario.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$top/ktrail" record -q -o "$tmp/raw.ktr" -- "$top/build/kt-test-tool" cpu_hogs 300 >"$out.ids"
"$top/build/kt-test-tool" scenario_filter "$tmp/raw.ktr" "$out.ktr" \
	"$(sed -n 's/^pid=//p' "$out.ids")"
ls -l "$out.ktr"
