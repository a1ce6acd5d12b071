# why --exit --json: the killed child's end, its sender, the parent's
# reaps and signals
F=corpus/scenarios/exit_kill.ktr
$KTRAIL why $F --pid $(sed -n 's/^parent=//p' corpus/scenarios/exit_kill.ids) --exit --json
