# --rel and --wall for the text commands (issue 15): seconds since the
# capture's first event, or ISO-8601 UTC through the clock anchors, in
# replay, timeline, why and the stats snoops; both at once, or --wall on
# a capture without anchors, is a usage error (exit 2).
F=corpus/synthetic/small.ktr
S=corpus/scenarios/sleep_all.ktr
pid=$(sed -n 's/^all=//p' corpus/scenarios/sleep.ids)
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1; echo "exit $?"; }
k replay $F --rel --to +2us -e sched
k replay $F --wall --to +2us -e sched
echo "== a syscall that began before the first event: negative --rel"
"$KTRAIL" replay $F --rel -e syscall --pid 1319 | head -2
k stats $F execsnoop --rel
k stats $F tcpretrans --wall
k timeline $S --pid $pid --rel --to +4.1ms
k why $S --pid $pid --rel
k why $S --pid $pid --wall
k replay $F --rel --wall
k replay corpus/compat/exit_kill-1.0.ktr --wall
