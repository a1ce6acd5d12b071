# why: the last waiter of a mutex convoy; the root is the holder's work
$KTRAIL why corpus/scenarios/lock_convoy.ktr --pid $(sed -n 's/^pid=//p' corpus/scenarios/lock_convoy.ids | head -1) --tid $(sed -n 's/^waiter=//p' corpus/scenarios/lock_convoy.ids | tail -1) --slowest
