# info of every recorded scenario of corpus/scenarios (issue 13 "The
# corpus"): host, command, selection, times, counts per kind, lost
# events (and a warning on stderr when some were), size
for s in cpu_contention exit_kill fsync_pipeline lock_convoy net_fail \
	sleep_all sleep_nosys sleep_pipe truth_convoy truth_cpu truth_exec \
	truth_exit truth_fsync truth_msgs truth_oom truth_tcp; do
	echo "== $s"
	"$KTRAIL" info corpus/scenarios/$s.ktr; echo "exit $?"
done
