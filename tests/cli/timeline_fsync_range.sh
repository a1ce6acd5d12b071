# timeline of the middle stage over the front's slow read (times are
# those of corpus/scenarios/fsync_pipeline.ktr): its fsync waits, what ended them
$KTRAIL timeline corpus/scenarios/fsync_pipeline.ktr --tid 11128 --from 3114.0193 --to 3114.0366
