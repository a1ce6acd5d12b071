#!/bin/bash
# sleep_pipe.sh - records corpus/scenarios/sleep_pipe.ktr: timer sleeps
# beside pipe waits, three threads of one process (kt-test-tool
# sleep_pipe 10 20 15): "sleeper" sleeps 20 ms on a timer 10 times;
# "reader" reads 10 messages from a pipe that "feeder" fills, sleeping
# 15 ms on a timer before each (60 ms before the middle one).  The
# sleeper's waits are its timer's; the reader's are the pipe, whose
# writer waited for its own timer.
# Recorded as a user would, `ktrail record -- CMD` (the workload and its
# threads, and the kernel threads every scope keeps).  Also writes
# sleep_pipe.ids with the ids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every id and
# time, so the goldens (tests/cli/corpus_*) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/sleep_pipe
corpus_record "$out.ktr" "$out.ids" -- "$T" sleep_pipe 10 20 15
ls -l "$out.ktr"
