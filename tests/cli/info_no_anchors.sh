# a capture of the older metadata layout (no host, no clock anchors):
# info says the wall clock is unknown, a wall-clock --from is refused with
# the reason, a capture-clock one works; a capture with two anchors gets
# its wall clock interpolated between them
cd corpus
echo "\$ ktrail info compat/exit_kill-1.0.ktr"
"$KTRAIL" info compat/exit_kill-1.0.ktr 2>&1 | sed -n '/^host/p;/^time/p;/^wall/p'; echo "exit ${PIPESTATUS[0]}"
echo "\$ ktrail replay compat/exit_kill-1.0.ktr --from 2026-11-23T11:25:04Z"
"$KTRAIL" replay compat/exit_kill-1.0.ktr --from 2026-11-23T11:25:04Z 2>&1 | head -2; echo "exit ${PIPESTATUS[0]}"
echo "\$ ktrail replay compat/exit_kill-1.0.ktr --from 3400.55 -e meta"
"$KTRAIL" replay compat/exit_kill-1.0.ktr --from 3400.55 -e meta 2>&1; echo "exit $?"
echo "\$ ktrail info scenarios/cpu_contention.ktr"
"$KTRAIL" info scenarios/cpu_contention.ktr 2>&1 | sed -n '/^time/p;/^wall/p'
echo "\$ ktrail replay scenarios/cpu_contention.ktr --from 2026-12-06T06:53:26.3Z -e meta"
"$KTRAIL" replay scenarios/cpu_contention.ktr --from 2026-12-06T06:53:26.3Z -e meta 2>&1; echo "exit $?"
