# graph -o .dot: cpu contention; a timer on the path (a double circle),
# its wakeups inferred (dashed, confidence 0.90)
$KTRAIL graph corpus/scenarios/cpu_contention.ktr --window all -o $KT_TMP/g.dot && cat $KT_TMP/g.dot
