# why -o .scene: the parent's slowest span (a cpu stretch)
$KTRAIL why corpus/scenarios/exit_kill.ktr --pid $(sed -n 's/^parent=//p' corpus/scenarios/exit_kill.ids | head -1) -o $KT_TMP/w.scene && cat $KT_TMP/w.scene
