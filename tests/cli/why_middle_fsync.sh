# why --syscall fsync: the middle stage's own fsync
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids | head -1) --syscall fsync
