# small.ktr cut at every 1/16 of its length: info and a full read each
# exit 2 with one line naming the file, the byte offset and the reason
# (or, cut exactly between blocks, read it by a scan with a warning)
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
