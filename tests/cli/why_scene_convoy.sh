# why -o .scene: the last waiter of the convoy; the holder's lane first
$KTRAIL why corpus/scenarios/lock_convoy.ktr --pid $(sed -n 's/^pid=//p' corpus/scenarios/lock_convoy.ids | head -1) --tid $(sed -n 's/^waiter=//p' corpus/scenarios/lock_convoy.ids | tail -1) --slowest -o $KT_TMP/w.scene && cat $KT_TMP/w.scene
