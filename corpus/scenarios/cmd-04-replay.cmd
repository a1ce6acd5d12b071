/work/main/ktrail replay corpus/scenarios/truth_exit.ktr -e sched,meta --json
exit 0
