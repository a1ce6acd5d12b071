#!/bin/bash
# exit_kill.sh - records corpus/scenarios/exit_kill.ktr: a parent forks a child that exits 3 and one it kills with SIGKILL
# (kt-test-tool exit_kill).
# Recorded as a user would, `ktrail record -- CMD` (the workload and its
# threads, and the kernel threads every scope keeps).  Also writes
# exit_kill.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*exit_kill*) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/exit_kill
corpus_record "$out.ktr" "$out.ids" -- "$T" exit_kill
ls -l "$out.ktr"
