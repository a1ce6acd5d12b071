# why -o .scene: the latency thread's sleep, late by cpu contention
$KTRAIL why corpus/scenarios/cpu_contention.ktr --pid $(sed -n 's/^pid=//p' corpus/scenarios/cpu_contention.ids | head -1) --tid $(sed -n 's/^latency=//p' corpus/scenarios/cpu_contention.ids | head -1) --slowest --syscall clock_nanosleep -o $KT_TMP/w.scene && cat $KT_TMP/w.scene
