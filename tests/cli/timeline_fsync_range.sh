# timeline of the middle stage over the front's slowest read (the range
# why explains), named from the capture itself so that a re-recorded
# scenario keeps the test meaningful
F=corpus/scenarios/fsync_pipeline.ktr
front=$(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids)
span=$($KTRAIL why $F --pid $front --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["span"]; print("%dns %dns" % (s["start"], s["end"]))')
set -- $span
$KTRAIL timeline $F --tid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids) --from $1 --to $2
