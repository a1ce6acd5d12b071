# summary of corpus/scenarios/fsync_pipeline.ktr: the text (5 lines a kind), then
# every anomaly as JSON
$KTRAIL summary corpus/scenarios/fsync_pipeline.ktr
$KTRAIL summary corpus/scenarios/fsync_pipeline.ktr --json
