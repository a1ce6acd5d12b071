# check's usage errors and bad rules files: exit 2, the file with the
# line and column of a parse error, the rule at fault otherwise
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
$KTRAIL check; echo "exit $?"
$KTRAIL check $S/exit_kill.ktr; echo "exit $?"
$KTRAIL check $S/exit_kill.ktr --rules; echo "exit $?"
$KTRAIL check $S/exit_kill.ktr extra --rules x.json; echo "exit $?"
$KTRAIL check $S/exit_kill.ktr --rules no-such.json; echo "exit $?"
printf '{ "rules": [\n  { "rule": "no-oom" },\n  { "rule" "max-dropped" }\n] }\n' > syntax.json
$KTRAIL check $S/exit_kill.ktr --rules syntax.json; echo "exit $?"
printf '{ "rules": [\n  { "rule": "no-oom" }\n  { "rule": "max-dropped" }\n] }\n' > comma.json
$KTRAIL check $S/exit_kill.ktr --rules comma.json; echo "exit $?"
printf '' > empty.json
$KTRAIL check $S/exit_kill.ktr --rules empty.json; echo "exit $?"
printf '{ "rules": [ { "rule": "max-syscall", "ms": "fast" } ] }' > value.json
$KTRAIL check $S/exit_kill.ktr --rules value.json; echo "exit $?"
printf '{ "rules": [ { "rule": "no-oom", "comm": "a", "typo": 1 } ] }' > key.json
$KTRAIL check $S/exit_kill.ktr --rules key.json; echo "exit $?"
printf '{ "rules": [ { "rule": "no-oom" } ] }' > ok.json
$KTRAIL check no-such.ktr --rules ok.json; echo "exit $?"
cut=$("$KT_TOOL" blocks "$ROOT/corpus/synthetic/small.ktr" | awk '$2 == "index" { print $1; exit }')
"$KT_TOOL" mangle "$ROOT/corpus/synthetic/small.ktr" partial.ktr truncate="$cut"
$KTRAIL check partial.ktr --rules ok.json; echo "exit $?"
$KTRAIL check partial.ktr --rules ok.json --allow-partial; echo "exit $?"
