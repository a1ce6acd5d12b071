# Every query of docs/sql.md "Examples", exactly as written, through the
# sqlite3 CLI on the exports of two corpus captures (their answers are
# this golden).
T=$KT_TMP
"$KTRAIL" export corpus/scenarios/fsync_pipeline.ktr --sqlite "$T/fsync_pipeline.db" || exit 1
"$KTRAIL" export corpus/synthetic/small.ktr --sqlite "$T/small.db" || exit 1
python3 tests/export/docs.py examples >"$T/examples" || exit 1
python3 - "$T" <<'EOP'
import subprocess, sys
t = sys.argv[1]
qs = open(t + '/examples').read().split('\0')
print('%d example queries' % len(qs))
for n, q in enumerate(qs, 1):
    for db in ('fsync_pipeline', 'small'):
        r = subprocess.run(['sqlite3', '-bail', '-header', '-column', '%s/%s.db' % (t, db), q],
                           capture_output=True, text=True)
        print('-- query %d on %s: exit %d%s' % (n, db, r.returncode,
              (', ' + r.stderr.strip()) if r.stderr else ''))
        print(r.stdout, end='')
EOP
