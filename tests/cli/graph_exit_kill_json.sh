# graph --json of the same
$KTRAIL graph corpus/scenarios/exit_kill.ktr --window all --pid $(sed -n 's/^parent=//p' corpus/scenarios/exit_kill.ids | head -1) --json
