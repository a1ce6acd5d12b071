# The fleet path (docs/sql.md "NDJSON"), for real: the NDJSON of two
# corpus captures loaded into DuckDB (npm @duckdb/node-api, installed by
# `make deps` into build/duckdb) with the loading statement of the docs,
# as written; the docs' three DuckDB queries agree with the SQLite
# export's answers to the same questions (the Examples' queries, run by
# the sqlite3 CLI); both captures in one table give each file's events,
# and u64 values above INT64_MAX exactly.
D=${KT_DUCKDB_DIR:-$PWD/build/duckdb}
export KT_DUCKDB_DIR=$D
T=$KT_TMP
docs=tests/export/docs.py
for c in fsync_pipeline small; do
	f=corpus/scenarios/$c.ktr
	[ -e "$f" ] || f=corpus/synthetic/$c.ktr
	"$KTRAIL" export "$f" --json -o "$T/$c.ndjson" || exit 1
	"$KTRAIL" export "$f" --sqlite "$T/$c.db" || exit 1
done
python3 $docs duckdb-load >"$T/load.sql" || exit 1
qs=
for q in errors busiest blockio; do
	python3 $docs duckdb-query $q >"$T/$q.duck.sql" || exit 1
	python3 $docs sqlite-query $q >"$T/$q.sqlite.sql" || exit 1
	qs="$qs $q=$T/$q.duck.sql"
done
node tests/export/duckdb.mjs "$T/load.sql" "$T" fsync_pipeline small -- $qs \
	>"$T/duck.out" || { echo "duckdb failed"; exit 1; }
for c in fsync_pipeline small; do
	for q in errors busiest blockio; do
		sqlite3 -json "$T/$c.db" "$(cat "$T/$q.sqlite.sql")" >"$T/$c.$q.json" || exit 1
	done
done
python3 - "$T" <<'EOP'
import json, sys
t = sys.argv[1]
duck = [json.loads(l) for l in open(t + '/duck.out')]
def norm(r):
    return {k: None if v is None else str(v) for k, v in r.items()}
for c in ('fsync_pipeline', 'small'):
    for q in ('errors', 'busiest', 'blockio'):
        d = [r['row'] for r in duck if r['capture'] == c and r['query'] == q]
        txt = open('%s/%s.%s.json' % (t, c, q)).read().strip()
        s = [norm(r) for r in json.loads(txt)] if txt else []
        print('%s %s: %d rows, DuckDB %s SQLite' % (c, q, len(d), 'agrees with' if d == s else 'DIFFERS from'))
        for r in d[:4]:
            print('   ', ' '.join('%s=%s' % kv for kv in r.items()))
        if d != s:
            print('    sqlite:', s[:4])
for r in duck:
    if r['capture'] == 'fleet':
        print('fleet:', ' '.join('%s=%s' % kv for kv in r['row'].items()))
EOP
