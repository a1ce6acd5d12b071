# graph with the default window: the last 100 ms of the capture
$KTRAIL graph corpus/scenarios/lock_convoy.ktr
