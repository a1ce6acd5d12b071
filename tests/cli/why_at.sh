# why --at: the front's read in progress in the middle of its slowest one
# is that read (the time named from the capture itself)
F=corpus/scenarios/fsync_pipeline.ktr
front=$(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids)
mid=$($KTRAIL why $F --pid $front --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["span"]; print("%dns" % ((s["start"] + s["end"]) // 2))')
$KTRAIL why $F --pid $front --at $mid
