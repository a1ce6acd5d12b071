# summary of corpus/scenarios/lock_convoy.ktr: the text (5 lines a kind), then
# every anomaly as JSON
$KTRAIL summary corpus/scenarios/lock_convoy.ktr
$KTRAIL summary corpus/scenarios/lock_convoy.ktr --json
