# small.ktr cut at every 1/16 of its length: info reads the blocks before
# the cut and exits 0 with one warning naming the file, the byte offset,
# the reason and `ktrail recover` (exit 2 when the cut leaves no metadata);
# the strict reader (kt-test-tool read: no KT_READ_PARTIAL) exits 2 with
# one line naming the file, the byte offset and the reason
ROOT=$PWD
cd "$KT_TMP" || exit 1
len=$(stat -c %s "$ROOT/corpus/synthetic/small.ktr")
for i in $(seq 0 15); do
	n=$((len * i / 16))
	"$KT_TOOL" mangle "$ROOT/corpus/synthetic/small.ktr" cut$i.ktr truncate=$n
	echo "\$ ktrail info cut$i.ktr  # $n bytes"
	"$KTRAIL" info cut$i.ktr 2>&1 >/dev/null; echo "exit $?"
	echo "\$ kt-test-tool read cut$i.ktr"
	"$KT_TOOL" read cut$i.ktr 2>&1; echo "exit $?"
done
