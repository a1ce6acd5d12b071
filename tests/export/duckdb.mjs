// tests/export/duckdb.mjs - the fleet path of docs/sql.md, for real:
// load NDJSON exports into DuckDB with the documented statement and run
// the documented queries.  Prints one JSON object per result row:
//   {"capture": NAME, "query": Q, "row": {...}}   (values as strings)
//
//   node tests/export/duckdb.mjs LOAD.sql DIR NAME... -- QNAME=QFILE...
// LOAD.sql holds the loading statement with the glob 'captures/*.ndjson';
// each NAME is loaded alone from DIR/NAME.ndjson and asked every query;
// then all of them together (capture "fleet"), asked for events per file.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(process.env.KT_DUCKDB_DIR + '/package.json');
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));

const args = process.argv.slice(2);
const load = readFileSync(args[0], 'utf8');
const dir = args[1];
const sep = args.indexOf('--');
const names = args.slice(2, sep);
const queries = args.slice(sep + 1).map((a) => {
	const i = a.indexOf('=');
	return [a.slice(0, i), readFileSync(a.slice(i + 1), 'utf8')];
});

function str(row) {
	const o = {};
	for (const [k, v] of Object.entries(row))
		o[k] = v === null ? null : String(v);
	return o;
}

async function open(glob) {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	if (!load.includes("'captures/*.ndjson'"))
		throw new Error('the loading statement has no captures/*.ndjson');
	await c.run(load.replace("'captures/*.ndjson'", `'${glob}'`));
	return c;
}

for (const name of names) {
	const c = await open(`${dir}/${name}.ndjson`);
	for (const [q, sql] of queries) {
		const r = await c.runAndReadAll(sql);
		for (const row of r.getRowObjectsJson())
			console.log(JSON.stringify({ capture: name, query: q, row: str(row) }));
	}
}
const c = await open(`${dir}/*.ndjson`);
const r = await c.runAndReadAll(
	'SELECT capture, count(*) AS events, count(DISTINCT kind) AS kinds, ' +
	'max(sector) AS max_sector FROM events GROUP BY capture ORDER BY capture');
for (const row of r.getRowObjectsJson()) {
	row.capture = basename(row.capture, '.ndjson');
	console.log(JSON.stringify({ capture: 'fleet', query: 'per file', row: str(row) }));
}
