# why -o, the culprit at first sight (issue 11 "Done when"), read from the
# scene dump of the fsync pipeline and lock convoy pictures: the first
# text is the text answer's first line (the root-cause sentence), the
# first lane is the culprit's (role lane:culprit, named for the root),
# highlighted (a red outline right after it, its label bold red), and no
# other lane is.
check() {
	local name=$1 line text lane next label
	shift
	"$KTRAIL" why "$@" >"$KT_TMP/text" || { echo "$name: why failed"; return; }
	"$KTRAIL" why "$@" -o "$KT_TMP/w.scene" || { echo "$name: why -o failed"; return; }
	line=$(head -1 "$KT_TMP/text")
	text=$(grep -m1 '^text ' "$KT_TMP/w.scene")
	if [ "${text#text root * \"}" = "$line\"" ]; then
		echo "$name: first text is the root-cause sentence: $line"
	else
		echo "$name: FAIL first text: $text; the answer: $line"
	fi
	lane=$(grep -n -m1 -E '^rect lane(:culprit)? ' "$KT_TMP/w.scene")
	next=$(sed -n "$((${lane%%:*} + 1))p" "$KT_TMP/w.scene")
	label=$(sed -n "$((${lane%%:*} + 2))p" "$KT_TMP/w.scene")
	case ${lane#*:} in
	"rect lane:culprit "*) echo "$name: the first lane is the culprit's: ${lane##* #fff1b8 }" ;;
	*) echo "$name: FAIL the first lane: ${lane#*:}" ;;
	esac
	case $next in
	"rect highlight "*" #dc143c outline") echo "$name: outlined in red" ;;
	*) echo "$name: FAIL not outlined: $next" ;;
	esac
	case $label in
	"text lane-label "*" #dc143c bold "*"(root cause)\"") echo "$name: its label bold red: ${label#* bold }" ;;
	*) echo "$name: FAIL label: $label" ;;
	esac
	echo "$name: culprit lanes: $(grep -c '^rect lane:culprit ' "$KT_TMP/w.scene")"
}
F=corpus/scenarios/fsync_pipeline
check fsync_pipeline $F.ktr --pid "$(sed -n 's/^front=//p' $F.ids | head -1)"
F=corpus/scenarios/lock_convoy
check lock_convoy $F.ktr --pid "$(sed -n 's/^pid=//p' $F.ids | head -1)" \
	--tid "$(sed -n 's/^waiter=//p' $F.ids | tail -1)" --slowest
