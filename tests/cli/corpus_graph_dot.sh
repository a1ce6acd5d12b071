# graph -o .dot (sorted DOT text) over the whole capture, around the
# scenario's process (--pid: its threads, its process, their neighbours),
# for the corpus captures that graph_dot_*.sh do not draw; the critical
# path of the slowest span in red.  Truth scenarios: the process the
# scenario is about (corpus/scenarios/truth_*.truth).
S=corpus/scenarios
truth() {
	grep "^task role=$2 " $S/truth_$1.truth | head -1 |
		sed 's/.* pid=\([0-9]*\) tid=.*/\1/'
}
dot() {
	echo "== $1 --pid $2"
	"$KTRAIL" graph $S/$1.ktr --window all --pid $2 -o $KT_TMP/g.dot; echo "exit $?"
	cat $KT_TMP/g.dot
}
dot truth_fsync $(truth fsync middle)
dot truth_convoy $(truth convoy main)
dot truth_exec $(truth exec exec)
dot truth_tcp $(truth tcp syn_client)
dot truth_oom $(truth oom victim)
dot truth_cpu $(truth cpu main)
dot truth_msgs $(truth msgs client)
dot truth_exit $(truth exit parent)
dot sleep_all $(sed -n 's/^all=//p' $S/sleep.ids)
dot sleep_nosys $(sed -n 's/^nosys=//p' $S/sleep.ids)
dot net_fail $(sed -n 's/^pid=//p' $S/net_fail.ids)
dot sleep_pipe $(sed -n 's/^pid=//p' $S/sleep_pipe.ids)
