# the fsync pipeline over the front's slow read, 8 lanes before the rest
# fold: the journal thread (culprit: the disk's waiter) first, then the
# path through the middle stage; syscall and block rows, wakeup arrows
$KTRAIL timeline corpus/scenarios/fsync_pipeline.ktr --from 8155.5190 --to 8155.5300 --lanes 8 --width 1000 -o $KT_TMP/f.scene &&
cat $KT_TMP/f.scene
