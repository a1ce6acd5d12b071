# why --at: the span in progress at a time inside the front's slow read
# (times are those of corpus/scenarios/fsync_pipeline.ktr)
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid 11145 --at 3114.025
