# timeline of the middle stage over the front's slow read (times are
# those of corpus/scenarios/fsync_pipeline.ktr): its fsync waits, what ended them
$KTRAIL timeline corpus/scenarios/fsync_pipeline.ktr --tid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids) --from 3403.077663507 --to 3403.099432017
