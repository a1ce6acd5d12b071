/work/main/ktrail timeline corpus/scenarios/truth_convoy.ktr --tid 26682 --from 8304549337642ns --to 8304749338903ns --json
exit 0
