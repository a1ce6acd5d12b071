# summary of the corpus captures that summary_*.sh do not cover: sleep
# recorded with every family and without syscalls (the note says what it
# cannot tell); net_fail (a refused connect and a connect whose SYNs the
# far side drops, across two network namespaces: the refusal, the
# failure, the reset the far kernel sent for no socket, the two SYN
# retransmits); sleep_pipe (timer sleeps beside pipe waits: nothing
# failed)
for s in sleep_all sleep_nosys net_fail sleep_pipe; do
	"$KTRAIL" summary corpus/scenarios/$s.ktr; echo "exit $?"
	echo
done
"$KTRAIL" summary corpus/scenarios/net_fail.ktr --json | python3 -c '
import json, sys
for a in json.load(sys.stdin)["anomalies"]:
    if a["kind"] == "tcp":
        print(a["pid"], a["comm"], a["what"], "->", a["command"])'
