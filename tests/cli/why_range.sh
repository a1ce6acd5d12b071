# why --from/--to (issue 10 §6): any range of a thread.  Without --tid the
# thread of the process with the most time not running in the range is
# chosen, and the output says so; with --tid that thread (a hog: its own
# work and the wait for its cpu).  (Times are those of
# corpus/scenarios/cpu_contention.ktr.)
F=corpus/scenarios/cpu_contention.ktr
P=$(sed -n 's/^pid=//p' corpus/scenarios/cpu_contention.ids | head -1)
H=$(sed -n 's/^hog2=//p' corpus/scenarios/cpu_contention.ids | head -1)
$KTRAIL why $F --pid $P --from +0.15s --to +0.25s
echo "---"
$KTRAIL why $F --pid $P --tid $H --from +0.15s --to +0.25s --json | sed -n '/"span"/,/^ },/p;/"root"/,/^ },/p'
