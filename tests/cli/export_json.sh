# ktrail export --json: NDJSON with one type per member and 64-bit values
# exact; every member and its type documented in docs/sql.md; the same
# bytes to stdout and to -o; the whole export of one corpus capture.
T=$KT_TMP
for c in corpus/scenarios/*.ktr corpus/synthetic/small.ktr; do
	"$KTRAIL" export "$c" --json >"$T/$(basename "$c" .ktr).ndjson" || echo "$c: exit $?"
done
python3 tests/export/docs.py ndjson "$T"/*.ndjson
"$KTRAIL" export corpus/synthetic/small.ktr --json -o "$T/o.ndjson"; echo "-o: exit $?"
cmp -s "$T/o.ndjson" "$T/small.ndjson" && echo "-o and stdout: same bytes, mode $(stat -c %a "$T/o.ndjson")"
echo "u64 above INT64_MAX, exact:"
grep -o '"sector":1844674407370955161[0-9]' "$T/fsync_pipeline.ndjson" | sort | uniq -c
grep -o '"arg0":18446744073709551516' "$T/small.ndjson" | sort | uniq -c
echo "selection: --pid MIDDLE -e syscall --from +0.3s"
"$KTRAIL" export corpus/scenarios/fsync_pipeline.ktr --json --pid "$(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids)" -e syscall --from +0.3s | head -3
echo "== exit_kill, whole"
cat "$T/exit_kill.ndjson"
