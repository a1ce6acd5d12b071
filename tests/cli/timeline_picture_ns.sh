# nanosecond zoom: a 40 ns window of the cpu contention capture; the axis
# labels stay exact (every 5 ns), a nanosecond is many pixels wide
$KTRAIL timeline corpus/scenarios/cpu_contention.ktr --from 8156.300000000 --to 8156.300000040 --width 600 -o $KT_TMP/n.scene &&
cat $KT_TMP/n.scene
