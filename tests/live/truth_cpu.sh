#!/bin/bash
# live/truth_cpu - issue 10, class 6 (ground truth): a thread pins itself to
# the last cpu and computes 1.2 s with no syscall while three threads spin
# there (kt-test-tool truth_cpu).  The timeline must match its CPU time and
# run-queue wait; `why --slowest`, `why --at` the middle of the loop and
# `why --from A --to B` over the loop must name cpu contention on that cpu
# with >= 80 % of the run-queue wait; offcputime must give it no disk time.
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_cpu.sh; re-check with
#   tests/truth/check.py cpu --capture /tmp/kt/truth_cpu/cap.ktr \
#       --truth /tmp/kt/truth_cpu/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init cpu
truth_record "$KT_TOOL" truth_cpu "$D/truth" 1200 3
truth_check cpu
