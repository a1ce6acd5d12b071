# tests/truth/lib.bash - sourced by tests/live/truth_*.sh, the ground-truth
# scenarios of issue 10 (tests/truth/README.md).  A scenario script:
#
#   . "$(dirname "$0")/../truth/lib.bash"
#   truth_init NAME                # scratch dir $D; SKIP when not root/no BTF
#   ...set-up (cgroups); TRUTH_CLEANUP+=("command") undoes it at exit
#   truth_record CMD ARGS...       # ktrail record -q -o $D/cap.ktr -- CMD;
#                                  # SKIP when record exits 3 (system refused)
#   truth_check SCENARIO           # tests/truth/check.py: PASS/FAIL line
#
# The workload writes its truth to $D/truth.  Environment: KTRAIL, KT_TOOL,
# KT_BUILD (tests/run.sh sets them; defaults: ./ktrail and build/ of this
# checkout); KEEP=DIR keeps the capture, the truth, record's output and
# every ktrail command the checker ran (cmd-NN.cmd/.out/.err) in
# DIR/truth_NAME instead of a scratch directory removed at exit.
set -u
: "${KT_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${KTRAIL:=$KT_ROOT/ktrail}" "${KT_BUILD:=$KT_ROOT/build}"
: "${KT_TOOL:=$KT_BUILD/kt-test-tool}"
TRUTH_CLEANUP=()
TRUTH_NAME=
TRUTH_RC=0

truth_cleanup() {
	local i
	for ((i = ${#TRUTH_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${TRUTH_CLEANUP[i]}" >/dev/null 2>&1
	done
	[ -n "${KEEP:-}" ] || rm -rf "$D"
}

truth_skip() {
	echo "SKIP live/truth_$TRUTH_NAME: $1"
	exit 0
}

truth_fail() {
	echo "FAIL live/truth_$TRUTH_NAME: $1"
	exit 0
}

# truth_init NAME: $D, and SKIP when the system cannot record at all
truth_init() {
	TRUTH_NAME=$1
	if [ -n "${KEEP:-}" ]; then
		D=$KEEP/truth_$1
		rm -rf "$D" && mkdir -p "$D" || { D=; truth_fail "cannot make KEEP directory $KEEP/truth_$1"; }
		D=$(cd "$D" && pwd)
	else
		D=$(mktemp -d /tmp/kt-truth-"$1".XXXXXX)
	fi
	trap truth_cleanup EXIT
	[ "$(id -u)" = 0 ] || truth_skip "needs root (CAP_BPF, CAP_PERFMON)"
	[ -r /sys/kernel/btf/vmlinux ] || truth_skip "no kernel BTF (/sys/kernel/btf/vmlinux)"
	command -v python3 >/dev/null || truth_fail "python3 is missing (the checker)"
	[ -x "$KT_TOOL" ] || truth_fail "no $KT_TOOL (make test-bins)"
}

# truth_record CMD ARGS...: record CMD the way a user would, scoped; a
# recording that is not over in TRUTH_TIMEOUT (60) seconds gets SIGINT (the
# whole process group: recorder and workload), then SIGKILL
truth_record() {
	timeout -s INT -k 10 "${TRUTH_TIMEOUT:-60}" \
		"$KTRAIL" record -q -o "$D/cap.ktr" -- "$@" >"$D/record.out" 2>"$D/record.err"
	TRUTH_RC=$?
	if [ $TRUTH_RC = 124 ] || [ $TRUTH_RC = 137 ]; then
		echo "ktrail record: timed out after ${TRUTH_TIMEOUT:-60} s (exit $TRUTH_RC)" >>"$D/record.err"
	elif [ $TRUTH_RC = 3 ]; then
		truth_skip "ktrail record: the system refused: $(head -1 "$D/record.err")"
	fi
}

# truth_check SCENARIO: compare ktrail's answers with the truth
truth_check() {
	python3 "$KT_ROOT/tests/truth/check.py" "$1" --capture "$D/cap.ktr" \
		--truth "$D/truth" --ktrail "$KTRAIL" --record-rc "$TRUTH_RC" \
		--record-err "$D/record.err" --out "$D" --name "$TRUTH_NAME" ||
		echo "FAIL live/truth_$TRUTH_NAME: the checker exited $?"
}
