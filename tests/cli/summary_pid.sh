# summary --pid: the anomalies of one process; a process with none, and
# one that is not in the capture, say so on stderr and exit 0
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 20863; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 20873 --json; echo "exit $?"
$KTRAIL summary corpus/scenarios/fsync_pipeline.ktr --pid 20897; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 99999; echo "exit $?"
# a list: the anomalies of both
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 20873,20874; echo "exit $?"
$KTRAIL summary corpus/scenarios/exit_kill.ktr --pid 20873,x; echo "exit $?"
