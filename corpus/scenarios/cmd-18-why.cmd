/work/main/ktrail why corpus/scenarios/truth_exec.ktr --pid 25604 --tid 25604 --slowest --syscall clock_nanosleep --json
exit 0
