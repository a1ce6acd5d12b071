# every snoop tool on the synthetic capture, NDJSON
cd corpus/synthetic
for t in execsnoop opensnoop exitsnoop killsnoop oomkill tcpconnect tcplife tcpretrans biosnoop; do
	echo "== $t"
	"$KTRAIL" stats small.ktr $t --json | head -5 || echo "exit $?"
done
