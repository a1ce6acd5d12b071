# usage errors: no --pid, an unknown syscall, --at with --slowest
$KTRAIL why corpus/scenarios/exit_kill.ktr; echo "exit $?"
$KTRAIL why corpus/scenarios/exit_kill.ktr --pid 5 --syscall nosuchcall; echo "exit $?"
$KTRAIL why corpus/scenarios/exit_kill.ktr --pid 5 --at +1s --slowest
