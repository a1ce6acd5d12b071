#!/bin/bash
# lock_convoy.sh - records corpus/scenarios/lock_convoy.ktr: three threads queue on a pthread mutex that a holder keeps for 50 ms
# of computing (kt-test-tool lock_convoy 3 50).
# Recorded as a user would, `ktrail record -- CMD` (the workload and its
# threads, and the kernel threads every scope keeps).  Also writes
# lock_convoy.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/*lock_convoy*) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/lock_convoy
corpus_record "$out.ktr" "$out.ids" -- "$T" lock_convoy 3 50
ls -l "$out.ktr"
