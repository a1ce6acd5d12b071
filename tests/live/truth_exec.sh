#!/bin/bash
# live/truth_exec - issue 10, class 3 (ground truth): bash (pid P) reads a
# file, waits 1.2 s (past a frame boundary), runs the static kt-truth-exec
# as a child Q, then execs it itself (kt-test-tool truth_exec).  Each
# kt-truth-exec makes exactly 5000 openat, 5000 close and 1000 getcpu
# calls and sleeps 150 ms.  execsnoop/exitsnoop must name kt-truth-exec
# after the exec, `syscount --comm kt-truth-exec` and `--pid` must count
# exactly, the timeline must name P kt-truth-exec after its exec, and
# `why` on its sleep must say timer, in kt-truth-exec/P.
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_exec.sh; re-check with
#   tests/truth/check.py exec --capture /tmp/kt/truth_exec/cap.ktr \
#       --truth /tmp/kt/truth_exec/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init exec
[ -x "$KT_BUILD/kt-truth-exec" ] || truth_fail "no $KT_BUILD/kt-truth-exec (make test-bins)"
truth_record "$KT_TOOL" truth_exec "$D/truth" "$KT_BUILD/kt-truth-exec" 5000 1000 150 1200
truth_check exec
