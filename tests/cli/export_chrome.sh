# ktrail export --chrome: the format's rules (tests/export/chrome.py: B
# and E pair on each thread, b and e by id, flows pair up and bind to a
# slice, ts and dur in µs with three decimals, time order, every track
# named, clock-sync metadata) on every corpus capture; the same bytes
# twice; one small trace whole.
T=$KT_TMP
for c in corpus/scenarios/*.ktr corpus/synthetic/small.ktr; do
	echo "== $c"
	"$KTRAIL" export "$c" --chrome "$T/a.json"; echo "exit $?"
	"$KTRAIL" export "$c" --chrome "$T/b.json"
	cmp -s "$T/a.json" "$T/b.json" && echo "same bytes twice"
	python3 tests/export/chrome.py "$T/a.json"
done
echo "== a window of fsync_pipeline, -e sched,syscall"
"$KTRAIL" export corpus/scenarios/fsync_pipeline.ktr --chrome "$T/w.json" --from +0.30s --to +0.32s -e sched,syscall
python3 tests/export/chrome.py "$T/w.json"
echo "== exit_kill, whole"
cat "$T/exit_kill.json" 2>/dev/null || { "$KTRAIL" export corpus/scenarios/exit_kill.ktr --chrome "$T/e.json"; cat "$T/e.json"; }
