# two corpus scenarios recorded at once on this VM (one boot: one clock,
# offset and uncertainty 0), merged as two hosts: the merge's summary,
# `info` with its hosts table and the clock uncertainty, verify clean,
# and `why` naming threads as HOST:comm/tid with their own tids.
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
cp $S/truth_tcp.ktr tcp.ktr
cp $S/truth_fsync.ktr fsync.ktr
$KTRAIL merge tcp.ktr fsync.ktr --host-id client,server -o all.ktr; echo "exit $?"
# (the file's format version and bytes are the writer's: left out, so
# that a new minor version of the format leaves this test alone)
$KTRAIL info all.ktr | grep -v '^format:\|^size:'; echo "exit ${PIPESTATUS[0]}"
$KTRAIL info all.ktr --json | python3 -c '
import json, sys
m = json.load(sys.stdin)["meta"]
for h in m["merge"]["hosts"]:
    print(h["id"], h["tid_base"], h["cpu_base"], h["cpus"], h["offset_ns"], h["uncertainty_ns"], h["events"], h["lost"], h["same_boot"], h["file_ids_filled"])
print("lost.total", m["lost"]["total"], "per_cpu", m["lost"]["per_cpu"])
print("peers", m["merge"]["peers"])'
$KTRAIL verify all.ktr | tail -1; echo "exit ${PIPESTATUS[0]}"
$KTRAIL why all.ktr --pid $(( (1 << 22) | 25406 )) | head -9; echo "exit ${PIPESTATUS[0]}"
