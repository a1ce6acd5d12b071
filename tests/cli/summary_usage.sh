# usage errors: no FILE, a bad --top or --pid, an extra argument
$KTRAIL summary; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --top -1; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 0; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr extra; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --bogus; echo "exit $?"
