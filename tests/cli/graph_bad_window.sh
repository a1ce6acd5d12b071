# a bad --window: exit 2 with one line
$KTRAIL graph corpus/scenarios/lock_convoy.ktr --window soon
