# diff between pairs of corpus captures (issue 13 "The corpus"): the
# table of what crossed a threshold (exit 1), the other changes counted;
#  - sleep recorded with every family and without syscalls, both ways;
#  - the two cpu contention scenarios, the two lock convoys, the two
#    fsync pipelines (diff_scenarios shows that one in full);
#  - the SYN dropped at a full accept queue (truth_tcp) against the SYN
#    dropped by a firewall and the refused connect (net_fail);
#  - timer sleeps beside pipe waits against sleep alone;
# and every new scenario against itself: no change, exit 0.
S=corpus/scenarios
pair() {
	echo "== diff $1 $2"
	"$KTRAIL" diff $S/$1.ktr $S/$2.ktr >$KT_TMP/out 2>$KT_TMP/err
	rc=$?
	sed -n '1,/^$/p' $KT_TMP/out
	grep -E '^[0-9]+ other change|^note' $KT_TMP/out
	cat $KT_TMP/err
	echo "exit $rc"
}
pair sleep_all sleep_nosys
pair sleep_nosys sleep_all
pair cpu_contention truth_cpu
pair lock_convoy truth_convoy
pair truth_tcp net_fail
pair sleep_all sleep_pipe
for s in net_fail sleep_pipe sleep_all; do
	"$KTRAIL" diff $S/$s.ktr $S/$s.ktr; echo "exit $?"
done
