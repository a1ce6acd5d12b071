# --comm: only the threads named kt-test-tool of the exit/kill scenario
# (and those on their slowest span's critical path)
$KTRAIL timeline corpus/scenarios/exit_kill.ktr --comm kt-test-tool --width 700 -o $KT_TMP/k.scene &&
cat $KT_TMP/k.scene
