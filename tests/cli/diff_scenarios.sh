# diff of two different corpus scenarios (an fsync pipeline against the
# truth-issue fsync scenario): what changed, what crossed a default
# threshold, exit 1; then the same as JSON, and every change with --all
S=corpus/scenarios
$KTRAIL diff $S/fsync_pipeline.ktr $S/truth_fsync.ktr; echo "exit $?"
$KTRAIL diff $S/fsync_pipeline.ktr $S/truth_fsync.ktr --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("crossed", d["crossed"], "changes", d["changes_total"], "counts_only", d["counts_only"])
print("thresholds", " ".join(k + ":" + v for k, v in d["thresholds"].items()))
for c in d["changes"]:
    if c["crossed"]:
        print(c["metric"], c["comm"] + ":", c["what"], c["base"], "->", c["cand"], c["threshold"])'
echo "exit $?"
$KTRAIL diff $S/exit_kill.ktr $S/truth_exit.ktr --all; echo "exit $?"
