/work/main/ktrail timeline corpus/scenarios/truth_exit.ktr --json
exit 0
