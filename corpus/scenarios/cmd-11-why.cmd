/work/main/ktrail why corpus/scenarios/truth_msgs.ktr --pid 25992 --slowest --json
exit 0
