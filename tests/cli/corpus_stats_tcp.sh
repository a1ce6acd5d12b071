# the TCP tools on the two network scenarios of the corpus: net_fail (a
# connect refused by the far side's kernel, a reset sent for no socket;
# a connect whose SYN the far side's firewall drops: two retransmits,
# then ETIMEDOUT) and truth_tcp (a SYN dropped at a full accept queue,
# retransmitted, accepted; a slow server)
for s in net_fail truth_tcp; do
	for t in tcpconnect tcpretrans tcplife; do
		echo "== $s $t"
		"$KTRAIL" stats corpus/scenarios/$s.ktr $t; echo "exit $?"
	done
done
