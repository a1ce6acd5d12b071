#!/bin/bash
# live/truth_oom - issue 10, class 5 (ground truth): a child joins a memory
# cgroup limited to 32 MiB (made here, removed at exit) and touches memory
# until the OOM killer sends it SIGKILL (kt-test-tool truth_oom).
# oomkill, exitsnoop, killsnoop --all and the graph must say the kernel
# sent it, not the victim; `why --pid VICTIM --exit` must name the kernel's
# OOM killer.
#
# By hand: KEEP=/tmp/kt bash tests/live/truth_oom.sh; re-check with
#   tests/truth/check.py oom --capture /tmp/kt/truth_oom/cap.ktr \
#       --truth /tmp/kt/truth_oom/truth --ktrail ./ktrail
. "$(dirname "$0")/../truth/lib.bash"
truth_init oom
CG=kt-truth-oom-$$
if [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
	CGDIR=/sys/fs/cgroup/memory/$CG
	mkdir "$CGDIR" || truth_fail "cannot make cgroup $CGDIR"
	TRUTH_CLEANUP+=("rmdir '$CGDIR'")
	echo $((32 << 20)) >"$CGDIR/memory.limit_in_bytes" || truth_fail "cannot limit $CGDIR"
	echo 0 >"$CGDIR/memory.swappiness" 2>/dev/null
else
	V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$V2" ] && grep -qw memory "$V2/cgroup.subtree_control" 2>/dev/null ||
		truth_skip "no memory cgroup controller (v1, or enabled in v2)"
	CGDIR=$V2/$CG
	mkdir "$CGDIR" || truth_fail "cannot make cgroup $CGDIR"
	TRUTH_CLEANUP+=("rmdir '$CGDIR'")
	echo $((32 << 20)) >"$CGDIR/memory.max" || truth_fail "cannot limit $CGDIR"
	echo 0 >"$CGDIR/memory.swap.max" 2>/dev/null
fi
truth_record "$KT_TOOL" truth_oom "$D/truth" "$CGDIR" 512
truth_check oom
