# replay filters: pid, tid, comm, families; each count and the first lines
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" > "$KT_TMP/out" 2>&1; echo "exit $? lines $(wc -l < "$KT_TMP/out")"; head -3 "$KT_TMP/out"; }
cd corpus/synthetic
k replay small.ktr --pid 2390
k replay small.ktr --tid 2404 -e syscall
k replay small.ktr --comm nginx -e sched
k replay small.ktr --pid 11670 --comm postgres --from +3ms
k replay small.ktr -e net,meta
k replay small.ktr -e all --pid 999999
