/work/main/ktrail info corpus/scenarios/truth_exit.ktr --json
exit 0
