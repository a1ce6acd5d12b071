#!/usr/bin/env python3
"""docs/sql.md against an export (tests/cli/sql_docs.sh, export_duckdb).

  docs.py columns DB        every table and view of DB and each of their
                            columns is documented (a "### `name`"
                            section whose table lists the column, or a
                            row of the lookup table list); prints what
                            is missing
  docs.py examples          the ```sql blocks of "## Examples", separated
                            by NUL bytes
  docs.py duckdb-load       the DuckDB loading statement
  docs.py duckdb-query NAME the DuckDB query NAME
  docs.py sqlite-query NAME the Examples' query NAME asks of SQLite
  docs.py ndjson FILE...    every member of the NDJSON files is in the
                            member table with the type of its values
"""
import re, sqlite3, sys, os

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'docs', 'sql.md')
text = open(DOC).read()

def section(title):
    m = re.search(r'^## ' + re.escape(title) + r'\n(.*?)(?=^## |\Z)', text, re.S | re.M)
    return m.group(1) if m else ''

def sql_blocks(s):
    return re.findall(r'```sql\n(.*?)```', s, re.S)

def marked(mark):
    m = re.search(r'<!-- ' + re.escape(mark) + r' -->\n```sql\n(.*?)```', text, re.S)
    if not m:
        sys.exit('docs/sql.md: no block marked ' + mark)
    return m.group(1)

def documented():
    doc = {}
    for m in re.finditer(r'^### `([a-z_0-9]+)`.*?\n(.*?)(?=^### |^## |\Z)', text, re.S | re.M):
        cols = set()
        for row in re.findall(r'^\| ([^|]+) \|', m.group(2), re.M):
            for c in row.split(','):
                cols.add(c.strip().strip('`'))
        doc[m.group(1)] = cols
    # the lookup tables and the small views listed in one table each
    for row in re.findall(r'^\| `([a-z_0-9]+)` \| ([^|]+) \|', text, re.M):
        doc.setdefault(row[0], set()).update(c.strip() for c in row[1].split(','))
    return doc

def columns(db):
    con = sqlite3.connect(db)
    doc = documented()
    bad = []
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"):
        cols = [r[1] for r in con.execute('SELECT * FROM pragma_table_info(?)', (name,))]
        if name not in doc:
            bad.append('%s: not documented' % name)
            continue
        have = doc[name]
        if '(all of `syscalls`)' in have:
            have = have | doc['syscalls']
        if 'as `sched_slice`' in have:
            have = have | doc['sched_slice']
        for c in cols:
            if c not in have:
                bad.append('%s.%s: not documented' % (name, c))
    print('\n'.join(bad) if bad else 'every table, view and column is documented')
    return 1 if bad else 0

RANGES = {'UINTEGER': (0, 2**32 - 1), 'UBIGINT': (0, 2**64 - 1),
          'INTEGER': (-2**31, 2**31 - 1), 'BIGINT': (-2**63, 2**63 - 1)}

def ndjson(files):
    import json
    types = dict(re.findall(r'^\| ([a-z_0-9]+) \| ([A-Z\[\]]+) \|', section('NDJSON for the engines a fleet runs'), re.M))
    bad, lines, seen = [], 0, set()
    for f in files:
        for l in open(f):
            lines += 1
            for k, v in json.loads(l).items():
                seen.add(k)
                t = types.get(k)
                ok = t is not None and (
                    (t in RANGES and type(v) is int and RANGES[t][0] <= v <= RANGES[t][1]) or
                    (t == 'VARCHAR' and type(v) is str) or
                    (t == 'VARCHAR[]' and type(v) is list and all(type(x) is str for x in v)))
                if not ok and len(bad) < 10:
                    bad.append('%s:%d: %s=%r is not %s' % (f, lines, k, v, t))
    print('\n'.join(bad) if bad else '%d lines, %d members seen, each of its documented type' % (lines, len(seen)))
    return 1 if bad else 0

if __name__ == '__main__':
    what = sys.argv[1]
    if what == 'columns':
        sys.exit(columns(sys.argv[2]))
    elif what == 'examples':
        sys.stdout.write('\0'.join(sql_blocks(section('Examples'))))
    elif what == 'duckdb-load':
        sys.stdout.write(marked('duckdb-load'))
    elif what == 'ndjson':
        sys.exit(ndjson(sys.argv[2:]))
    elif what in ('duckdb-query', 'sqlite-query'):
        sys.stdout.write(marked(what + ' ' + sys.argv[2]))
    else:
        sys.exit('usage: docs.py columns DB | examples | duckdb-load | duckdb-query NAME | sqlite-query NAME')
