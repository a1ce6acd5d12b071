/work/main/ktrail stats corpus/scenarios/truth_exec.ktr syscount --syscall close --top 0 --comm kt-truth-exec --pid 25639 --json
exit 0
