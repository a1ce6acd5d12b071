/work/main/ktrail why corpus/scenarios/truth_exit.ktr --pid 26065 --exit --json
exit 0
