# summary --pid: the anomalies of one process or a list; a process with
# none, and one that is not in the capture, say so on stderr and exit 0
S=corpus/scenarios
id() { sed -n "s/^$2=//p" $S/$1.ids | head -1; }
$KTRAIL summary $S/exit_kill.ktr --pid $(id exit_kill parent); echo "exit $?"
$KTRAIL summary $S/exit_kill.ktr --pid $(id exit_kill exited) --json; echo "exit $?"
$KTRAIL summary $S/fsync_pipeline.ktr --pid $(id fsync_pipeline jbd2); echo "exit $?"
$KTRAIL summary $S/exit_kill.ktr --pid 99999; echo "exit $?"
# a list: the anomalies of both
$KTRAIL summary $S/exit_kill.ktr --pid $(id exit_kill exited),$(id exit_kill killed); echo "exit $?"
$KTRAIL summary $S/exit_kill.ktr --pid $(id exit_kill exited),x; echo "exit $?"
