#!/bin/bash
# live/truth_msgs - issue 10, class 7 (ground truth): exactly 20 requests
# and 20 responses of 64 bytes over a unix stream socket; the server
# computes 100 ms before answering request 10 (kt-test-tool truth_msgs).
# The graph must count 20 messages (1280 bytes) each way, not wakeups;
# syscount must count each side's reads and writes exactly; `why
# --slowest` on the client must name the server's work.
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_msgs.sh; re-check with
#   tests/truth/check.py msgs --capture /tmp/kt/truth_msgs/cap.ktr \
#       --truth /tmp/kt/truth_msgs/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init msgs
truth_record "$KT_TOOL" truth_msgs "$D/truth" 20 10 100
truth_check msgs
