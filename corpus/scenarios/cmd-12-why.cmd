/work/main/ktrail why corpus/scenarios/truth_tcp.ktr --pid 25751 --slowest --json
exit 0
