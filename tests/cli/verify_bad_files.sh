# verify over every capture of the fuzz corpus (truncated, bit flips,
# future versions, empty...): exit 0, 1 or 2, never a crash; exit 2 with
# at most one error line.  Prints only exit codes and line counts.
for f in tests/fuzz/corpus/reader/*; do
	"$KTRAIL" verify "$f" >/dev/null 2>"$KT_TMP/err"
	rc=$?
	n=$(grep -vc "warning" "$KT_TMP/err")
	echo "$(basename "$f"): exit $rc, $n error line(s)"
done
