# graph: the middle stage's neighbourhood: sockets, wakeups, the disk
$KTRAIL graph corpus/scenarios/fsync_pipeline.ktr --window all --pid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids | head -1)
