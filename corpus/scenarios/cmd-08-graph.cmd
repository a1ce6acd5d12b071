/work/main/ktrail graph corpus/scenarios/truth_exit.ktr --window all --json
exit 0
