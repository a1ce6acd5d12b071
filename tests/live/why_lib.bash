# why_lib.bash - sourced by tests/live/why_*.sh: recording scenario
# workloads with the real recorder.  Needs $KTRAIL and $KT_TOOL (set by
# tests/run.sh).  Every helper that cannot go on prints the test's SKIP or
# FAIL line itself and exits.

# a scratch directory on the real disk (/tmp is /dev/vda here, not tmpfs)
WHY_TMP=$(mktemp -d /tmp/kt-why.XXXXXX)
WHY_CLEANUP=()
why_cleanup() {
	local i
	for ((i = ${#WHY_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${WHY_CLEANUP[i]}" >/dev/null 2>&1
	done
	rm -rf "$WHY_TMP"
}
trap why_cleanup EXIT

# why_need_bpf NAME...: SKIP every named case unless recording works here
why_need_bpf() {
	local rc n
	"$KTRAIL" record -q -o "$WHY_TMP/probe.ktr" -- true 2>"$WHY_TMP/probe.err"
	rc=$?
	[ $rc -eq 0 ] && return 0
	for n in "$@"; do
		if [ $rc -eq 3 ]; then
			echo "SKIP live/$n: no BPF permission: $(head -1 "$WHY_TMP/probe.err")"
		else
			echo "FAIL live/$n: ktrail record exited $rc: $(head -1 "$WHY_TMP/probe.err")"
		fi
	done
	exit 0
}

# why_record_host OUT CMD...: record the whole host (kernel threads such
# as jbd2 and kworkers included) while CMD runs; CMD's stdout goes to
# OUT.out.  Waits for the recorder's first frame before starting CMD.
why_record_host() {
	local out=$1 rec i
	shift
	"$KTRAIL" record -q -o "$out" -d 60s 2>"$out.err" &
	rec=$!
	# the recorder creates its file before loading, writes the header
	# before attaching and its first frame once attached: wait for that
	# frame (read partially while the recorder writes)
	for ((i = 0; i < 150; i++)); do
		"$KTRAIL" info --json "$out" 2>/dev/null | grep -q '"frames":[1-9]' && break
		kill -0 $rec 2>/dev/null || break
		sleep 0.1
	done
	"$@" >"$out.out"
	sleep 0.3
	kill -INT $rec
	wait $rec
}

# why_field FILE NAME: the value of a "NAME=value" line the workload printed
why_field() {
	sed -n "s/^$2=//p" "$1" | head -1
}

# why_check NAME COND MESSAGE: PASS or FAIL line; on FAIL shows OUTPUT
why_result() {
	local name=$1 why=$2 out=$3
	if [ -z "$why" ]; then
		echo "PASS live/$name"
	else
		echo "FAIL live/$name: $why"
		[ -n "$out" ] && sed 's/^/    /' "$out" | head -40 >&2
	fi
}
