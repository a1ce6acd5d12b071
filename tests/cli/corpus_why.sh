# why on the corpus captures that no other why golden explains in full:
#  - each truth scenario (corpus/scenarios/truth_*.truth names its
#    threads): the slowest span of the thread the scenario is about, or
#    --exit for a process that ended badly;
#  - sleep_all and sleep_nosys in full (why_sleep_blind: the first lines);
#  - net_fail: the slowest span (the connect whose SYNs were dropped: a
#    SYN retransmission timeout) and the refused connect (--at its SYN);
#  - sleep_pipe: the reader's slowest read (the feeder's work), the
#    sleeper's slowest sleep (a timer), and the process's slowest span
#    (the main thread's join, ended by the sleeper's exit).
S=corpus/scenarios
# truth NAME ROLE [N]: "pid tid" of the Nth task of ROLE in NAME's truth
truth() {
	grep "^task role=$2 " $S/truth_$1.truth | sed -n "${3:-1}p" |
		sed 's/.* pid=\([0-9]*\) tid=\([0-9]*\).*/\1 \2/'
}
why() {
	echo "== ktrail why $*" | sed "s|$S/||"
	"$KTRAIL" why "$@"; echo "exit $?"
}
set -- $(truth fsync front); why $S/truth_fsync.ktr --pid $1
set -- $(truth convoy waiter 3); why $S/truth_convoy.ktr --pid $1 --tid $2
set -- $(truth exec exec); why $S/truth_exec.ktr --pid $1 --exit
set -- $(truth tcp syn_client); why $S/truth_tcp.ktr --pid $1
set -- $(truth oom victim); why $S/truth_oom.ktr --pid $1 --exit
set -- $(truth cpu worker); why $S/truth_cpu.ktr --pid $1 --tid $2
set -- $(truth msgs client); why $S/truth_msgs.ktr --pid $1
set -- $(truth exit parent); why $S/truth_exit.ktr --pid $1 --exit
set -- $(truth exit killed); why $S/truth_exit.ktr --pid $1 --exit
why $S/sleep_all.ktr --pid $(sed -n 's/^all=//p' $S/sleep.ids)
why $S/sleep_nosys.ktr --pid $(sed -n 's/^nosys=//p' $S/sleep.ids)
pid=$(sed -n 's/^pid=//p' $S/net_fail.ids)
why $S/net_fail.ktr --pid $pid
syn=$("$KTRAIL" stats $S/net_fail.ktr tcpconnect --json | head -1 |
	python3 -c 'import json, sys; t = json.load(sys.stdin)["ts"]; print("%d.%09d" % (t // 10**9, t % 10**9))')
why $S/net_fail.ktr --pid $pid --at $syn
pid=$(sed -n 's/^pid=//p' $S/sleep_pipe.ids)
why $S/sleep_pipe.ktr --pid $pid --tid $(sed -n 's/^reader=//p' $S/sleep_pipe.ids)
why $S/sleep_pipe.ktr --pid $pid --tid $(sed -n 's/^sleeper=//p' $S/sleep_pipe.ids)
why $S/sleep_pipe.ktr --pid $pid
