# the lock convoy drawn whole (the scene the picture is drawn from): the
# main thread's futex wait is the slowest span; the holder, on its
# critical path, is the culprit: its lane comes first, highlighted
$KTRAIL timeline corpus/scenarios/lock_convoy.ktr --width 900 -o $KT_TMP/c.scene &&
cat $KT_TMP/c.scene
