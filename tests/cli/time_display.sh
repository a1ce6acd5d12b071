# --rel and --wall for the text commands (issue 15): seconds since the
# capture's first event, or ISO-8601 UTC through the clock anchors, in
# replay, timeline, why, summary and the stats snoops; both at once, or
# --wall on a capture without anchors, is a usage error (exit 2).  A
# table's time column says what it holds: TIME(s) for seconds (the
# capture clock, or since the start with --rel), TIME for the wall
# clock, the header as wide as the times under it: every snoop with a
# time column, its header and first rows, in each display.
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
echo "== every stats tool with a time column: header and first rows"
for t in execsnoop opensnoop exitsnoop killsnoop oomkill tcpconnect tcplife tcpretrans biosnoop; do
	for m in "" --rel --wall; do
		echo "\$ ktrail stats $F $t $m | head -3"
		"$KTRAIL" stats $F $t $m | head -3
	done
done
"$KTRAIL" stats $F biosnoop --queued --wall | head -2
echo "== summary: the instants of its sentences (commands keep --from/--to)"
G=corpus/scenarios/fsync_pipeline.ktr
for m in "" --rel --wall; do
	echo "\$ ktrail summary $G $m | grep ' at '"
	"$KTRAIL" summary $G $m | grep ' at '
done
k summary $G --rel --wall
k summary corpus/compat/exit_kill-1.0.ktr --wall
