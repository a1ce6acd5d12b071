# summary of corpus/scenarios/exit_kill.ktr: the text (5 lines a kind), then
# every anomaly as JSON
$KTRAIL summary corpus/scenarios/exit_kill.ktr
$KTRAIL summary corpus/scenarios/exit_kill.ktr --json
