# What the error-path goldens (tests/cli/errors_*.sh) share: run ktrail
# with its stdout somewhere that fails, and print what it said on stderr
# and its own exit status (docs/cli.md).  Sourced, not a case: run.sh
# runs *.sh.

# k ARGS...: ktrail ARGS with stdout dropped: its messages, its status
k() {
	echo "\$ ktrail $*"
	"$KTRAIL" "$@" 2>&1 >/dev/null
	echo "exit $?"
}

# full ARGS...: stdout on /dev/full, a disk that is full: exit 3 and a
# line that gives the reason
full() {
	echo "\$ ktrail $* >/dev/full"
	"$KTRAIL" "$@" 2>&1 >/dev/full
	echo "exit $?"
}

# head1 ARGS...: ktrail ARGS | head -1, with pipefail; PIPESTATUS gives
# ktrail's own status (141 if SIGPIPE killed it), not head's
head1() {
	local st
	echo "\$ ktrail $* | head -1"
	set -o pipefail
	"$KTRAIL" "$@" 2>"$KT_TMP/err" | head -1 >/dev/null
	st=${PIPESTATUS[0]}
	set +o pipefail
	cat "$KT_TMP/err"
	echo "exit $st"
}

# gone ARGS...: stdout a pipe whose reader went away before ktrail wrote
# anything: a FIFO opened read-write (fd 4), opened again for writing (fd
# 5), then fd 4 closed.  Every write fails with EPIPE whatever the
# output's length, where `| head -1` fails only the writes past what the
# pipe buffers (64 KiB) and so tests nothing on short outputs.
gone() {
	local st
	echo "\$ ktrail $* | (reader gone)"
	rm -f "$KT_TMP/fifo" &&
	mkfifo "$KT_TMP/fifo" || return
	exec 4<>"$KT_TMP/fifo" 5>"$KT_TMP/fifo" 4<&-
	"$KTRAIL" "$@" 2>&1 >&5
	st=$?
	exec 5>&-
	echo "exit $st"
}
