/work/main/ktrail graph corpus/scenarios/truth_tcp.ktr --window all --json
exit 0
