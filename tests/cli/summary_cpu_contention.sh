# summary of corpus/scenarios/cpu_contention.ktr: the text (5 lines a kind), then
# every anomaly as JSON
$KTRAIL summary corpus/scenarios/cpu_contention.ktr
$KTRAIL summary corpus/scenarios/cpu_contention.ktr --json
