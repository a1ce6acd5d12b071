/work/main/ktrail stats corpus/scenarios/truth_cpu.ktr offcputime --tid 25901 --json
exit 0
