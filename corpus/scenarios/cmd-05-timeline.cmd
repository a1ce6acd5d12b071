/work/main/ktrail timeline corpus/scenarios/truth_cpu.ktr --tid 25901 --from 8287988050756ns --to 8289200015683ns --json
exit 0
