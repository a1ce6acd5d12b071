/work/main/ktrail timeline corpus/scenarios/truth_msgs.ktr --tid 25991 --from 8289639050612ns --to 8289739051246ns --json
exit 0
