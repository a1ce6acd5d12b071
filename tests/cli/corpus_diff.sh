# diff between pairs of corpus captures (issue 13 "The corpus"): the
# table of what crossed a threshold (exit 1), the other changes counted;
#  - sleep recorded with every family and without syscalls, both ways:
#    what only one recorded is not compared (a note and a warning say
#    which families), no change crosses;
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
	# the crossed changes, then only the count of the others and notes
	awk 'b { if (/^[0-9]+ other change|^note/) print; next }
	     { print } /^$/ { b = 1 }' $KT_TMP/out
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
