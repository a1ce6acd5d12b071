# graph -o .dot: the middle stage's neighbourhood drawn, sorted DOT text;
# the critical path of pid's slowest span in red (idle waits included:
# --pid asks for that process)
$KTRAIL graph corpus/scenarios/fsync_pipeline.ktr --window all --pid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids | head -1) -o $KT_TMP/g.dot && cat $KT_TMP/g.dot
