# --min: the middle stage's runs of short intervals fold into one line
# each, that says how many and their time per state; a lone short
# interval stays; the thread's total per state ends it
$KTRAIL timeline corpus/scenarios/fsync_pipeline.ktr --tid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids) --min 1ms
