# a capture diffed with itself: no change at all, exit 0; and two
# recordings of other scenarios with every threshold off: exit 0
for s in fsync_pipeline lock_convoy truth_tcp truth_oom; do
	$KTRAIL diff corpus/scenarios/$s.ktr corpus/scenarios/$s.ktr; echo "exit $?"
done
off=
for m in syscalls new errors p50 p99 exits oom tcp connects io edges processes; do
	off="$off --threshold $m:off"
done
$KTRAIL diff corpus/scenarios/truth_fsync.ktr corpus/scenarios/truth_tcp.ktr $off | head -3; echo "exit ${PIPESTATUS[0]}"
