# a window that ends more than a second (the slack) before the capture
# does: reading stops after the slack, and that is a normal end (it used to
# fail with "Unknown error -1")
$KTRAIL timeline corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^launcher=//p' corpus/scenarios/fsync_pipeline.ids) --from +0.1s --to +0.13s
