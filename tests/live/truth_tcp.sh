#!/bin/bash
# live/truth_tcp - issue 10, class 4 (ground truth), in a network namespace
# the workload makes (loopback only; it goes away with the workload):
#   syn: a client's connect() takes ~1 s: its SYN was dropped by a listener
#        with backlog 1 whose accept queue two connections fill, and got in
#        when retransmitted after the initial RTO (the server accepts one
#        after 0.5 s).  `why --slowest` must say SYN retransmission timeout
#        with the 4-tuple (and the server's full accept queue); tcpretrans
#        must show the socket's owner; the server's side must be recorded.
#   rr:  a client's read waits 150 ms for a server computing before it
#        answers: `why --slowest` must follow the peer, not "the network".
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_tcp.sh; re-check with
#   tests/truth/check.py tcp --capture /tmp/kt/truth_tcp/cap.ktr \
#       --truth /tmp/kt/truth_tcp/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init tcp
truth_record "$KT_TOOL" truth_tcp "$D/truth" 500 150
truth_check tcp
