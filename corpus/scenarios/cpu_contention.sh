#!/bin/bash
# cpu_contention.sh - records corpus/scenarios/cpu_contention.ktr: two CPU hogs and a latency thread that sleeps 200 us in a loop, all
# pinned to the last cpu, for 300 ms (kt-test-tool cpu_hogs 300).
# Recorded as a user would, `ktrail record -- CMD` (the workload and its
# threads, and the kernel threads every scope keeps).  Also writes
# cpu_contention.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*cpu_contention*) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/cpu_contention
corpus_record "$out.ktr" "$out.ids" -- "$T" cpu_hogs 300
ls -l "$out.ktr"
