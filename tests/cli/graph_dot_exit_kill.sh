# graph -o .dot: a parent, a child that exits 3 and one that is killed:
# processes with their exit status, signals from the kernel; the default
# window (the last 100 ms)
$KTRAIL graph corpus/scenarios/exit_kill.ktr -o $KT_TMP/g.dot && cat $KT_TMP/g.dot
