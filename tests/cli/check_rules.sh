# check on corpus scenarios: rules that hold (exit 0), rules that fail
# with the offending events (exit 1), the same as JSON
S=corpus/scenarios
cat >"$KT_TMP/pass.json" <<'R'
{ "rules": [
  { "rule": "no-oom" },
  { "rule": "no-retransmits" },
  { "rule": "no-refused-connects" },
  { "rule": "max-syscall", "ms": 50, "syscall": "fsync" },
  { "rule": "exit-codes", "allow": [0, 3], "signals": ["SIGKILL"] },
  { "rule": "max-dropped", "events": 0 }
] }
R
cat >"$KT_TMP/fail.json" <<'R'
{ "rules": [
  { "rule": "no-oom" },
  { "rule": "max-syscall", "ms": 5 },
  { "rule": "max-syscall", "ms": 1, "syscall": "fsync", "comm": "middle" },
  { "rule": "no-retransmits" },
  { "rule": "no-refused-connects", "comm": "kt-test-tool" },
  { "rule": "exit-codes" },
  { "rule": "max-dropped", "events": 0 }
] }
R
for s in exit_kill fsync_pipeline; do
	$KTRAIL check $S/$s.ktr --rules "$KT_TMP/pass.json"; echo "exit $?"
done
for s in fsync_pipeline truth_oom truth_tcp exit_kill; do
	$KTRAIL check $S/$s.ktr --rules "$KT_TMP/fail.json"; echo "exit $?"
done
$KTRAIL check $S/truth_tcp.ktr --rules "$KT_TMP/fail.json" --json; echo "exit $?"
