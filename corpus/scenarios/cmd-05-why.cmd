/work/main/ktrail why corpus/scenarios/truth_tcp.ktr --pid 25719 --slowest
exit 0
