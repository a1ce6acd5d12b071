/work/main/ktrail stats corpus/scenarios/truth_msgs.ktr syscount --syscall read --top 0 --tid 25991 --json
exit 0
