# graph -o .dot: the lock convoy's whole capture; the window's slowest
# span that is no idle wait (the main thread's join) and its path in red
$KTRAIL graph corpus/scenarios/lock_convoy.ktr --window all -o $KT_TMP/g.dot && cat $KT_TMP/g.dot
