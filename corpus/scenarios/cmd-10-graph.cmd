/work/i11-report/ktrail graph corpus/scenarios/truth_tcp.ktr --window all --json
exit 0
