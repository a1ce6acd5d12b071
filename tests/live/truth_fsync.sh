#!/bin/bash
# live/truth_fsync - issue 10, class 1 (ground truth): front -> middle ->
# back over unix sockets; the middle dirties 8 MiB and fsyncs it before it
# forwards request 3 (kt-test-tool truth_fsync).  The fsync's wait ends
# through a kworker outside the recording's scope.  `why --slowest` on the
# front must name the disk under the file, with >= 80 % of the time the
# middle spent blocked in fsync; the timeline of the middle in its fsync
# must match what the kernel counted (tests/truth/README.md).
#
# By hand, keeping the capture, the truth and every ktrail output:
#   make -j2 test-bins && KEEP=/tmp/kt bash tests/live/truth_fsync.sh
# then re-check that capture (after a rebuild) without recording again:
#   tests/truth/check.py fsync --capture /tmp/kt/truth_fsync/cap.ktr \
#       --truth /tmp/kt/truth_fsync/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init fsync
# the data file goes where the capture goes: on the disk (/tmp is /dev/vda)
truth_record "$KT_TOOL" truth_fsync "$D/truth" "$D"
truth_check fsync
