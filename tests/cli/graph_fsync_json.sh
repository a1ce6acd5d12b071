# graph --json of the pipeline's middle stage: messages with their bytes
# (wrote->read, one per write/read pair, not per wakeup), freed-space
# edges, confidences as the decimals they mean (0.9)
$KTRAIL graph corpus/scenarios/fsync_pipeline.ktr --window all --pid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids | head -1) --json
