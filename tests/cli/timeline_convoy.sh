# timeline of the convoy's holder thread
$KTRAIL timeline corpus/scenarios/lock_convoy.ktr --tid $(sed -n 's/^holder=//p' corpus/scenarios/lock_convoy.ids | head -1)
