# signals the kernel sent (si_code > 0: each child's SIGCHLD) say so, with
# the cause and the task in whose context: killsnoop --all (text, json)
# and replay (text, json); the parent's own SIGKILL stays its own
cd corpus/scenarios
"$KTRAIL" stats exit_kill.ktr killsnoop --all
"$KTRAIL" stats exit_kill.ktr killsnoop --all --json
"$KTRAIL" stats exit_kill.ktr killsnoop --json
"$KTRAIL" replay exit_kill.ktr -e signal | grep signal_generate
"$KTRAIL" replay exit_kill.ktr -e signal --json | grep signal_generate
