/work/main/ktrail stats corpus/scenarios/truth_exit.ktr opensnoop --failed --pid 26066 --json
exit 0
