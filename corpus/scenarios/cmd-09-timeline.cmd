/work/main/ktrail timeline corpus/scenarios/truth_fsync.ktr --tid 25407 --from 8281798694173ns --to 8281804657251ns --json
exit 0
