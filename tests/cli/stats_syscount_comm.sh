# syscount --per-comm: the tables by command and syscall, and by command,
# syscall and errno (what diff compares), text and JSON; with --comm the
# rows of one command
S=corpus/scenarios
$KTRAIL stats $S/fsync_pipeline.ktr syscount --per-comm --top 8
$KTRAIL stats $S/fsync_pipeline.ktr syscount --per-comm --top 0 --json | grep '"table":"comm'
$KTRAIL stats $S/exit_kill.ktr syscount --per-comm --comm kt-test-tool --failed
