# verify on every checked-in capture.  cpu_contention.ktr is consistent;
# the others are not, and verify says where:
#  - exit_kill and lock_convoy were recorded (-- CMD) before the recorder
#    named tasks out of scope and kept kernel threads' switches: tids
#    without a name, and kernel threads (in scope) switching to tasks out
#    of scope without a record;
#  - fsync_pipeline is a whole-host recording filtered by kt-test-tool
#    scenario_filter, which drops the switches between the processes it
#    leaves out and their names, while the metadata still says "host";
#  - small.ktr is synthetic: its generator stamps syscalls with durations
#    drawn apart from the thread's previous syscall, so they overlap.
for f in corpus/scenarios/*.ktr corpus/synthetic/small.ktr; do
	"$KTRAIL" verify "$f" >"$KT_TMP/out"
	echo "$f: exit $?"
	grep -v "^verify:" "$KT_TMP/out" | head -5
	tail -1 "$KT_TMP/out"
done
