# why --segments: every merged stretch of the fsync pipeline's path
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids | head -1) --segments
