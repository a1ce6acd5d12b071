# two boots: a corpus scenario copied as another machine's capture
# (kt-test-tool other_boot: another boot id, its wall clock 5 s behind;
# then also running 3 ms fast over the capture), merged with the
# reference: the offset found from the anchors is -5 s, uncertain by
# the anchors' spread (2 us for steady clocks); 3 ms of skew give 1.5 ms
# and the warning.  Times of the second host move by the offset, and
# the merged capture verifies clean.
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
cp $S/truth_tcp.ktr tcp.ktr
"$KT_TOOL" other_boot $S/truth_fsync.ktr steady.ktr 00000000-other-boot -5000000000 0
"$KT_TOOL" other_boot $S/truth_fsync.ktr skewed.ktr 00000000-other-boot -5000000000 3000000
$KTRAIL merge tcp.ktr steady.ktr -o a.ktr; echo "exit $?"
$KTRAIL info a.ktr 2>/dev/null | sed -n '/^hosts:/,/^clock:/p;/^time:/p'
$KTRAIL verify a.ktr | tail -1; echo "exit ${PIPESTATUS[0]}"
$KTRAIL merge tcp.ktr skewed.ktr -o b.ktr; echo "exit $?"
$KTRAIL info b.ktr 2>/dev/null | sed -n '/^hosts:/,/^clock:/p'
# the first event of each host, on the merged clock
$KTRAIL replay a.ktr -e proc 2>/dev/null | head -1
$KTRAIL replay $S/truth_fsync.ktr -e proc 2>/dev/null | head -1
