# --buffer-size (issue 14, "Scale"): past the buffer, timeline's items are
# sorted into runs in a temporary file and merged as they print, as
# sort(1) does: the text, --json and --min outputs are the same byte for
# byte with the smallest buffer (dozens of runs) as with the default
# (none); the temporary file's directory that cannot take it exits 3
# naming it; a buffer the items fit in never needs it
. tests/cli/lib.bash
for f in fsync_pipeline net_fail truth_exec; do
	F=corpus/scenarios/$f.ktr
	for mode in "" --json "--min 1ms"; do
		$KTRAIL timeline $F $mode >"$TMP/a" 2>"$TMP/ae"
		$KTRAIL timeline $F $mode --buffer-size 64K >"$TMP/b" 2>"$TMP/be"
		echo "$f ${mode:-text}: $(wc -l <"$TMP/a") lines," \
			"$(cmp -s "$TMP/a" "$TMP/b" && cmp -s "$TMP/ae" "$TMP/be" &&
			   echo same || echo DIFFERENT) with --buffer-size 64K"
	done
done
F=corpus/scenarios/truth_exec.ktr
echo '$ TMPDIR=/nonexistent/dir ktrail timeline' "$F --buffer-size 64K"
TMPDIR=/nonexistent/dir $KTRAIL timeline $F --buffer-size 64K >/dev/null
echo "exit $?"
echo '$ TMPDIR=/nonexistent/dir ktrail timeline' "$F --json | wc -l"
TMPDIR=/nonexistent/dir $KTRAIL timeline $F --json | wc -l
k timeline $F --buffer-size 1K
k timeline $F --buffer-size 2G
k timeline $F --buffer-size lots
k timeline $F --buffer-size 1M -o x.svg
