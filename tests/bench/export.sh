#!/bin/bash
# Export benchmark (issue 12): a grown recording as in analyze.sh.
#
#  1. Records the standard workload (../shared/bench/workload.sh) on the
#     whole host with `ktrail record -e sched,proc,syscall,tcp,block`
#     (or takes BASE=FILE), and grows it to EVENTS events (kt-test-tool
#     stream_grow; or takes BIG=FILE, grown already from BASE), and to
#     EVENTS/10 for the .import comparison.
#  2. `ktrail export --sqlite` of the grown capture: rows/s (every table,
#     indexes and critical paths included), peak RSS, size.
#  3. The same rows loaded by sqlite3's own `.import` from CSV into the
#     same tables, on the tenth-size capture (the CSV of the full one is
#     several GB): rows/s of the import alone, against ours on the same
#     capture.
#  4. `ktrail export --json`: MB/s of NDJSON written.
#  5. `ktrail sql` on a cold cache (it exports first) and a warm one.
#
#   tests/bench/export.sh     (as root; env: EVENTS=50000000 SCALE=1
#                              OUT=/tmp/kt-bench-export KEEP=0
#                              BASE=capture.ktr BIG=grown.ktr
#                              SHARED=../shared/bench: tests/bench/lib.sh)
# The machine is shared: figures are noisy.  Validate small (EVENTS=2000000)
# before a full run.
set -u
. "$(dirname "$0")/lib.sh"
bench_init export /tmp/kt-bench-export
command -v sqlite3 >/dev/null || die "needs sqlite3 (make deps)"

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# --- 1. the captures ---------------------------------------------------------
bench_base_capture
"$KTRAIL" info "$BASE" | grep -E "^(events|duration|lost)"
bench_big " (and $((EVENTS / 10)) for the .import comparison)"
bench_grow $((EVENTS / 10)) "$OUT/tenth.ktr"
EV=$(bench_events "$BIG")
echo "capture: $EV events, $(($(stat -c %s "$BIG") / 1048576)) MB"

# --- 2. SQLite -----------------------------------------------------------------
# export FILE DB: sets ROWS, SECS, RSS_MB
export_db() {
	rm -f "$2"
	bench_run "$KTRAIL" export "$1" --sqlite "$2" --stats
	ROWS=$(sed -n 's/.*events, \([0-9]*\) rows.*/\1/p' "$OUT/err")
	SECS=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$OUT/err")
}
echo
export_db "$BIG" "$OUT/big.db"
printf 'sqlite export:  %s rows in %s s = %s rows/s, %s MB peak RSS, %s MB file\n' \
	"$ROWS" "$SECS" "$(rate "$ROWS" "$SECS")" "$RSS_MB" \
	$(($(stat -c %s "$OUT/big.db") / 1048576))
sqlite3 "$OUT/big.db" "SELECT 'rows: ' || group_concat(name || ' ' || n, ', ') FROM
	(SELECT 'ev_syscall' name, count(*) n FROM ev_syscall UNION ALL
	 SELECT 'thread_state', count(*) FROM thread_state UNION ALL
	 SELECT 'sched_slice', count(*) FROM sched_slice UNION ALL
	 SELECT 'ev_sched_switch', count(*) FROM ev_sched_switch UNION ALL
	 SELECT 'critical_paths', count(*) FROM critical_paths)"

# --- 3. sqlite3 .import of the same rows as CSV ------------------------------
export_db "$OUT/tenth.ktr" "$OUT/tenth.db"
ours_rows=$ROWS ours_secs=$SECS
mkdir -p "$OUT/csv"
tables=$(sqlite3 "$OUT/tenth.db" "SELECT name FROM sqlite_master WHERE type = 'table'")
sqlite3 "$OUT/tenth.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table'" >"$OUT/schema.sql"
imported=0
{
	echo "PRAGMA journal_mode = OFF;"
	echo "PRAGMA synchronous = OFF;"
	echo ".read $OUT/schema.sql"
	for t in $tables; do
		sqlite3 -csv "$OUT/tenth.db" "SELECT * FROM $t" >"$OUT/csv/$t.csv"
		echo ".import --csv $OUT/csv/$t.csv $t"
	done
} >"$OUT/import.sql"
rm -f "$OUT/import.db"
bench_run sqlite3 "$OUT/import.db" ".read $OUT/import.sql"
for t in $tables; do
	imported=$((imported + $(sqlite3 "$OUT/import.db" "SELECT count(*) FROM $t")))
done
printf 'on %s events: ktrail export %s rows in %s s = %s rows/s (indexes, views, critical paths included);\n' \
	"$((EVENTS / 10))" "$ours_rows" "$ours_secs" "$(rate "$ours_rows" "$ours_secs")"
printf '   sqlite3 .import of the same %s rows as CSV: %s s = %s rows/s (tables only)\n' \
	"$imported" "$SECS_WALL" "$(rate "$imported" "$SECS_WALL")"
rm -rf "$OUT/csv" "$OUT/import.db" "$OUT/tenth.db"

# --- 4. NDJSON ------------------------------------------------------------------
# to stdout, into /dev/null: tens of GB (an -o file would be renamed
# into place: never point -o at a device)
bench_run_to /dev/null "$KTRAIL" export "$BIG" --json --stats
bytes=$(sed -n 's/.* rows, \([0-9]*\) bytes.*/\1/p' "$OUT/err")
printf '\nndjson export:  %s MB in %s s = %s MB/s, %s lines, %s MB peak RSS\n' \
	$((bytes / 1048576)) "$SECS_WALL" "$(rate $((bytes / 1048576)) "$SECS_WALL")" \
	"$(sed -n 's/.*events, \([0-9]*\) rows.*/\1/p' "$OUT/err")" "$RSS_MB"

# --- 5. ktrail sql, cold and warm cache ------------------------------------------
q1="SELECT nr, count(*), max(dur) FROM ev_syscall GROUP BY nr ORDER BY 2 DESC LIMIT 3"
q2="SELECT name, count(*), max(dur) FROM syscalls GROUP BY name ORDER BY 2 DESC LIMIT 3"
q3="SELECT count(*), sum(dur) FROM ev_syscall WHERE utid = (SELECT utid FROM ev_syscall WHERE id = 1000) AND ts < (SELECT value FROM meta WHERE key = 'first_ts') + 1000000000"
export XDG_CACHE_HOME=$OUT/cache
rm -rf "$XDG_CACHE_HOME"
bench_run "$KTRAIL" sql "$BIG" "$q3"
printf '\nsql, cold cache (export + an indexed query): %s s, %s MB peak RSS\n' "$SECS_WALL" "$RSS_MB"
bench_run "$KTRAIL" sql "$BIG" "$q3"
printf 'sql, warm cache, a thread in 1 s (index):    %s s, %s MB peak RSS\n' "$SECS_WALL" "$RSS_MB"
bench_run "$KTRAIL" sql "$BIG" "$q1"
printf 'sql, warm cache, syscalls by nr (a scan):    %s s\n' "$SECS_WALL"
bench_run "$KTRAIL" sql "$BIG" "$q2"
printf 'sql, warm cache, the syscalls view by name:  %s s\n' "$SECS_WALL"
sed 's/^/    /' "$OUT/run.out"
echo "(shared 2-core machine: figures are noisy)"
