# why --at: the span in progress at a time inside the front's slow read
# (times are those of corpus/scenarios/fsync_pipeline.ktr)
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids) --at 3403.088547762
