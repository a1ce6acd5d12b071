/work/main/ktrail graph corpus/scenarios/truth_msgs.ktr --window all --pid 25992 --json
exit 0
