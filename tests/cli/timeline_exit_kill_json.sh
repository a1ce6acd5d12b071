# timeline --json of the exit/kill scenario's processes
$KTRAIL timeline corpus/scenarios/exit_kill.ktr --pid $(sed -n 's/^killed=//p' corpus/scenarios/exit_kill.ids | head -1) --json
