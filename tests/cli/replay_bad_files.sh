# replay and stats over every capture of the fuzz corpus (truncated, bit
# flips, future versions, empty...): exit 0 or 2, at most one error line,
# never a crash.  Prints only exit codes and line counts, so the goldens do
# not depend on the reader's wording.
for f in tests/fuzz/corpus/reader/*; do
	for cmd in "replay" "replay --json" "replay --from +1ms" "stats X syscount" "stats X runqlat" "stats X tcpconnect"; do
		set -- $cmd
		if [ "$1" = stats ]; then set -- stats "$f" "$3"; else set -- "$@" "$f"; fi
		"$KTRAIL" "$@" >/dev/null 2>"$KT_TMP/err"
		rc=$?
		n=$(grep -Evc "warning|note" "$KT_TMP/err")
		echo "$(basename "$f") $cmd: exit $rc, $n error line(s)"
	done
done
