# graph: exit statuses on the process nodes, fork and signal edges
$KTRAIL graph corpus/scenarios/exit_kill.ktr --window all --pid $(sed -n 's/^parent=//p' corpus/scenarios/exit_kill.ids | head -1)
