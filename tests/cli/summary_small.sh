# summary of the synthetic capture: an OOM kill, exits, failed opens, TCP
# resets and retransmits, lost events (31, no cause recorded); all of
# them with --top 0
$KTRAIL summary corpus/synthetic/small.ktr
$KTRAIL summary corpus/synthetic/small.ktr --top 0
$KTRAIL summary corpus/synthetic/small.ktr --json
