# why -o .scene: the front's slowest read drawn; the disk's lane first
$KTRAIL why corpus/scenarios/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids | head -1) -o $KT_TMP/w.scene && cat $KT_TMP/w.scene
