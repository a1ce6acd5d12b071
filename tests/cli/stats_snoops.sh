# every snoop tool on the synthetic capture, text
cd corpus/synthetic
for t in execsnoop opensnoop exitsnoop killsnoop oomkill tcpconnect tcplife tcpretrans biosnoop; do
	echo "== $t"
	"$KTRAIL" stats small.ktr $t || echo "exit $?"
done
"$KTRAIL" stats small.ktr opensnoop --failed
"$KTRAIL" stats small.ktr exitsnoop --all --pid 20005
"$KTRAIL" stats small.ktr killsnoop --all
"$KTRAIL" stats small.ktr biosnoop --queued
