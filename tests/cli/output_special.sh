# Outputs that are not regular files (a FIFO here; /dev/null and
# /dev/stdout are the same case): written into as they are, never a
# temporary file renamed over them, which would replace /dev/null with
# a regular file.  Each output comes out of the FIFO as it would be
# written to a file, and the FIFO is still a FIFO; a symbolic link to a
# FIFO (as /dev/stdout is to a pipe) is followed.  A SQLite database
# needs a regular file: refused, exit 3, the FIFO left alone (and never
# opened: no reader is needed); so do `recover -o` and `merge -o`
# (exit 2).
. tests/cli/lib.bash
F=corpus/scenarios/fsync_pipeline.ktr
# through OUT ARGS...: ktrail ARGS writing OUT, a new FIFO read by cat;
# then the same to a regular file file-NAME
through() {
	local out=$1 name reg
	shift
	name=$(basename "$out")
	reg=$KT_TMP/file-$name
	rm -f "$out"
	mkfifo "$out"
	timeout 20 cat "$out" >"$KT_TMP/got" &
	echo "\$ ktrail $* (OUT: a FIFO)" | sed "s|$KT_TMP/||g"
	"$KTRAIL" "$@" 2>&1 | sed "s|$KT_TMP/||g"
	echo "exit ${PIPESTATUS[0]}"
	wait
	"$KTRAIL" "${@/$out/$reg}" >/dev/null 2>&1
	echo "$name: $(stat -c %F "$out"); $(cmp -s "$KT_TMP/got" "$reg" && echo "the same bytes as a file" || echo "NOT what a file gets") ($(wc -c <"$reg" | awk '{ print ($1 > 0) ? "not empty" : "empty" }'))"
}
through "$KT_TMP/x.ndjson" export $F --json -o "$KT_TMP/x.ndjson"
through "$KT_TMP/x.json" export $F --chrome "$KT_TMP/x.json"
through "$KT_TMP/t.svg" timeline $F -o "$KT_TMP/t.svg"
through "$KT_TMP/g.dot" graph $F -o "$KT_TMP/g.dot"
through "$KT_TMP/r.html" report $F -o "$KT_TMP/r.html"
# a link to a FIFO
rm -f "$KT_TMP/p" "$KT_TMP/link.ndjson"
mkfifo "$KT_TMP/p"
ln -s p "$KT_TMP/link.ndjson"
timeout 20 cat "$KT_TMP/p" >"$KT_TMP/got" &
$KTRAIL export $F --json -o "$KT_TMP/link.ndjson"
wait
echo "link.ndjson: $(stat -c %F "$KT_TMP/link.ndjson") to $(stat -c %F "$KT_TMP/p"), $(wc -l <"$KT_TMP/got") lines through it"
# SQLite: refused
rm -f "$KT_TMP/x.db"
mkfifo "$KT_TMP/x.db"
echo '$ ktrail export' "$F --sqlite x.db (a FIFO)"
$KTRAIL export $F --sqlite "$KT_TMP/x.db" 2>&1 | sed "s|$KT_TMP/||g"
echo "exit ${PIPESTATUS[0]}; x.db: $(stat -c %F "$KT_TMP/x.db")"
# recover (which reads back what it keeps) and merge: a capture is a
# regular file: refused, --force or not, the FIFO left alone
head -c 50000 corpus/scenarios/truth_exec.ktr >"$KT_TMP/cut.ktr"
rm -f "$KT_TMP/rec.ktr"
mkfifo "$KT_TMP/rec.ktr"
echo '$ ktrail recover cut.ktr -o rec.ktr (a FIFO)'
$KTRAIL recover "$KT_TMP/cut.ktr" -o "$KT_TMP/rec.ktr" 2>&1 | sed "s|$KT_TMP/||g"
echo "exit ${PIPESTATUS[0]}; rec.ktr: $(stat -c %F "$KT_TMP/rec.ktr")"
rm -f "$KT_TMP/m.ktr"
mkfifo "$KT_TMP/m.ktr"
echo '$ ktrail merge corpus/scenarios/net_fail.ktr corpus/scenarios/sleep_pipe.ktr -o m.ktr --force (a FIFO)'
$KTRAIL merge corpus/scenarios/net_fail.ktr corpus/scenarios/sleep_pipe.ktr -o "$KT_TMP/m.ktr" --force 2>&1 | sed "s|$KT_TMP/||g"
echo "exit ${PIPESTATUS[0]}; m.ktr: $(stat -c %F "$KT_TMP/m.ktr")"
