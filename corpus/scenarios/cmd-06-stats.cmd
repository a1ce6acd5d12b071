/work/main/ktrail stats corpus/scenarios/truth_exit.ktr killsnoop --json
exit 0
