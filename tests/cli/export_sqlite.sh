# ktrail export --sqlite over the corpus: the same capture gives the same
# bytes; the rows of every table; every table and column documented in
# docs/sql.md; the selections (--from/--to, --pid, -e) and what they
# keep; the output is mode 0600.
T=$KT_TMP
counts() {
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
		n=$(sqlite3 "$1" "SELECT count(*) FROM $t")
		[ "$n" != 0 ] && printf ' %s=%s' "$t" "$n"
	done
	echo
}
for c in scenarios/fsync_pipeline scenarios/exit_kill scenarios/lock_convoy synthetic/small; do
	f=corpus/$c.ktr
	echo "== $c"
	"$KTRAIL" export "$f" --sqlite "$T/a.db"; echo "exit $?"
	"$KTRAIL" export "$f" --sqlite "$T/b.db"
	cmp -s "$T/a.db" "$T/b.db" && echo "same capture, same options: same bytes"
	echo "mode $(stat -c %a "$T/a.db"), no temporary file left: $(ls -A "$T" | grep -c '^\.')"
	echo "rows:$(counts "$T/a.db")"
	python3 tests/export/docs.py columns "$T/a.db"
done
f=corpus/scenarios/fsync_pipeline.ktr
echo "== selections of fsync_pipeline"
"$KTRAIL" export $f --sqlite "$T/w.db" --from +0.30s --to +0.32s; echo "exit $?"
echo "--from +0.30s --to +0.32s:$(counts "$T/w.db")"
sqlite3 "$T/w.db" "SELECT 'syscalls start in the window: ' || (min(ts) >= (SELECT value FROM meta WHERE key = 'export.from')) || (max(ts) < (SELECT value FROM meta WHERE key = 'export.to')) FROM ev_syscall"
"$KTRAIL" export $f --sqlite "$T/p.db" --pid "$(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids)"; echo "exit $?"
echo "--pid MIDDLE:$(counts "$T/p.db")"
sqlite3 "$T/p.db" "SELECT 'pids of events, states, slices: ' || (SELECT group_concat(DISTINCT pid) FROM events) || ' ' || (SELECT group_concat(DISTINCT pid) FROM thread_state) || ' ' || (SELECT group_concat(DISTINCT pid) FROM sched_slice)"
"$KTRAIL" export $f --sqlite "$T/e.db" -e syscall,block; echo "exit $?"
echo "-e syscall,block:$(counts "$T/e.db")"
sqlite3 "$T/e.db" "SELECT key, value FROM meta WHERE key LIKE 'export.%' AND key != 'export.ktrail_version' ORDER BY key"
# a window that ends before the capture: both readings stop early
"$KTRAIL" export $f --sqlite "$T/t.db" --to +0.3s; echo "--to +0.3s: exit $?"
echo "   $(counts "$T/t.db" | tr ' ' '\n' | grep -E '^(ev_syscall|thread_state|critical_paths)=' | tr '\n' ' ')"
"$KTRAIL" export $f --sqlite "$T/t.db" --to +0.3s -e syscall; echo "--to +0.3s -e syscall: exit $?"
echo "   $(counts "$T/t.db" | tr ' ' '\n' | grep -E '^(ev_syscall|thread_state)=' | tr '\n' ' ')"
