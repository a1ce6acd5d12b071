#!/bin/bash
# live/truth_exit - issue 10, class 8 (ground truth): a parent P forks A,
# which execs and exits 3 after a failed openat, and B, which it SIGKILLs;
# P reaps both and exits 3 (kt-test-tool truth_exit).  exitsnoop,
# killsnoop, opensnoop --failed and the graph must be exact; `why --pid P
# --exit` must name A's exit(3) as the first failure and P as the sender
# of B's SIGKILL.
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_exit.sh; re-check with
#   tests/truth/check.py exit --capture /tmp/kt/truth_exit/cap.ktr \
#       --truth /tmp/kt/truth_exit/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init exit
truth_record "$KT_TOOL" truth_exit "$D/truth"
truth_check exit
