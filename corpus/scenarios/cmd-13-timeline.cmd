/work/main/ktrail timeline corpus/scenarios/truth_tcp.ktr --tid 25750 --from 8287010013637ns --to 8287160014781ns --json
exit 0
