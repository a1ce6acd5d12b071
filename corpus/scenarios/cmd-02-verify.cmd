/work/main/ktrail verify corpus/scenarios/truth_exit.ktr --json
exit 0
