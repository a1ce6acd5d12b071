# --threshold replaces a metric's default: with new:off and exits:off the
# added syscalls and the failing exits of the candidate no longer cross;
# the rules in force are those given (JSON)
S=corpus/scenarios
$KTRAIL diff $S/truth_exit.ktr $S/exit_kill.ktr 2>&1 | sed -n '1,/^$/p'; echo "exit ${PIPESTATUS[0]}"
$KTRAIL diff $S/truth_exit.ktr $S/exit_kill.ktr --threshold new:off --threshold exits:off 2>&1 | sed -n '1,/^$/p'; echo "exit ${PIPESTATUS[0]}"
$KTRAIL diff $S/truth_exit.ktr $S/exit_kill.ktr --threshold new:off --threshold exits:off --threshold p50:+1%,+1us --json |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["crossed"], d["thresholds"]["p50"], d["thresholds"]["new"])'
