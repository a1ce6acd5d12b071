#!/bin/bash
# live/truth_convoy - issue 10, class 2 (ground truth): a holder computes
# 200 ms with a mutex held while 3 waiters block in futex (kt-test-tool
# truth_convoy).  For each waiter, `why --slowest` must pick its lock wait
# and name the holder's work (or, when the machine kept the holder waiting
# for a cpu longer, cpu contention of the holder) with >= 80 % of what the
# kernel counted; the holder's running/runnable totals in the timeline must
# match its CPU time and schedstat run-queue wait (a lost switch shows).
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_convoy.sh; re-check with
#   tests/truth/check.py convoy --capture /tmp/kt/truth_convoy/cap.ktr \
#       --truth /tmp/kt/truth_convoy/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init convoy
truth_record "$KT_TOOL" truth_convoy "$D/truth" 3 200
truth_check convoy
