# why --json: the same path with every segment in exact ns
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids | head -1) --json
