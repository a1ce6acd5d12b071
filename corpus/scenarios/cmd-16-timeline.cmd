/work/main/ktrail timeline corpus/scenarios/truth_exec.ktr --tid 25604 --json
exit 0
