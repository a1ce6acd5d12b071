# -o's error paths (docs/cli.md): an unknown extension or -o with an
# option it does not go with is a usage error (2); an output that cannot
# be written exits 3 with its path and reason; a graph whose window or
# pid matches nothing still draws, a picture that says so, with a note
# (0); a why with nothing to explain draws nothing (2).
t() {
	echo "\$ ktrail $*" | sed "s|$KT_TMP|TMP|g"
	"$KTRAIL" "$@" 2>&1 >/dev/null | sed "s|$KT_TMP|TMP|g"
	echo "exit ${PIPESTATUS[0]}"
}
F=corpus/scenarios/lock_convoy.ktr
P=$(sed -n 's/^pid=//p' corpus/scenarios/lock_convoy.ids | head -1)
: >"$KT_TMP/file"
t graph $F -o "$KT_TMP/g.jpg"
t graph $F -o "$KT_TMP/g.scene"
t graph $F -o "$KT_TMP/g.svg" --json
t graph $F -o /nonexistent/g.svg
t graph $F -o "$KT_TMP/file/g.png"
t graph $F --pid 99999 -o "$KT_TMP/none.dot"
grep -o 'label="no events for pid 99999 in \[[0-9.]*, [0-9.]*\]"' "$KT_TMP/none.dot"
t graph $F --from +10s -o "$KT_TMP/late.dot"
grep -o 'label="no events in \[[0-9.]*, [0-9.]*\]"' "$KT_TMP/late.dot"
t why $F --pid $P -o "$KT_TMP/w.dot"
t why $F --pid $P -o "$KT_TMP/w.svg" --json
t why $F --pid $P -o "$KT_TMP/w.svg" --exit
t why $F --pid $P -o /nonexistent/w.png
t why $F --pid 99999 -o "$KT_TMP/w.svg"
ls "$KT_TMP"
