# verify --json: one object per finding, then the summary
"$KTRAIL" verify --json corpus/scenarios/cpu_contention.ktr; echo "exit $?"
"$KTRAIL" verify --json corpus/scenarios/lock_convoy.ktr; echo "exit $?"
