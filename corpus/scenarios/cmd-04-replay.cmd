/work/i11-report/ktrail replay corpus/scenarios/truth_exit.ktr -e sched,meta --json
exit 0
