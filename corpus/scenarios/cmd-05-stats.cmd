/work/main/ktrail stats corpus/scenarios/truth_exit.ktr exitsnoop --json
exit 0
