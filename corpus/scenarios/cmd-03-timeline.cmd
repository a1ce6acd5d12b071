/work/i11-report/ktrail timeline corpus/scenarios/truth_exit.ktr --json
exit 0
