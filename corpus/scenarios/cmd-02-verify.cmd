/work/i11-report/ktrail verify corpus/scenarios/truth_exit.ktr --json
exit 0
