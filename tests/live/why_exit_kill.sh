#!/bin/bash
# live/why_exit_kill: a parent forks a child that exits 3 and one it kills
# with SIGKILL.  The causal graph of the capture shows both exit statuses
# on the process nodes, the fork edges and the signal edge.
. "$(dirname "$0")/why_lib.bash"
why_need_bpf why_exit_kill
cap=$WHY_TMP/exit.ktr
"$KTRAIL" record -q -o "$cap" -- "$KT_TOOL" exit_kill >"$cap.out" 2>"$cap.err"
parent=$(why_field "$cap.out" parent)
exited=$(why_field "$cap.out" exited)
killed=$(why_field "$cap.out" killed)
bad=
if [ -z "$killed" ]; then
	bad="the workload printed no ids"
elif ! "$KTRAIL" graph "$cap" --window all --pid "$parent" >"$cap.graph" 2>&1; then
	bad="ktrail graph failed"
elif ! grep -qE "^  process +[^ ]*\[$exited\]: exit 3$" "$cap.graph"; then
	bad="no process $exited with exit 3"
elif ! grep -qE "^  process +[^ ]*\[$killed\]: signal SIGKILL$" "$cap.graph"; then
	bad="no process $killed killed by SIGKILL"
elif ! grep -qE "^  [^ ]*/$parent -signaled SIGKILL-> [^ ]*/$killed " "$cap.graph"; then
	bad="no signal edge from $parent to $killed"
elif [ "$(grep -cE "^  [^ ]*/$parent -forked-> [^ ]*\[($exited|$killed)\] " "$cap.graph")" != 2 ]; then
	bad="the two fork edges are missing"
fi
why_result why_exit_kill "$bad" "$cap.graph"
