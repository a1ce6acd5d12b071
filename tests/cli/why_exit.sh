# why --exit (issue 10 §8) on a parent that forks a child that exits 3 and
# one it SIGKILLs, reaps both and exits 0: no failure of its own (the
# child's is noted); the child that exited 3; the child it killed (the
# sender is the parent)
F=corpus/scenarios/exit_kill.ktr
ids=corpus/scenarios/exit_kill.ids
$KTRAIL why $F --pid $(sed -n 's/^parent=//p' $ids) --exit
echo "---"
$KTRAIL why $F --pid $(sed -n 's/^exited=//p' $ids) --exit
echo "---"
$KTRAIL why $F --pid $(sed -n 's/^killed=//p' $ids) --exit
