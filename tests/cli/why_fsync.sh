# why: the front's slowest read, through the middle stage and jbd2 to the disk
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids | head -1)
