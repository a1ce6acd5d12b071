/work/main/ktrail why corpus/scenarios/truth_cpu.ktr --pid 25897 --tid 25901 --at 8288594033219ns
exit 0
