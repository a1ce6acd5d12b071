# a process the capture does not hold: exit 2 with one line
$KTRAIL why corpus/scenarios/exit_kill.ktr --pid 1
