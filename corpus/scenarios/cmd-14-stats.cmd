/work/main/ktrail stats corpus/scenarios/truth_exec.ktr syscount --syscall openat --top 0 --pid 25604 --json
exit 0
