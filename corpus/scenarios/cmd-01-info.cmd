/work/i11-report/ktrail info corpus/scenarios/truth_exit.ktr --json
exit 0
