# a capture cut in the middle of a frame (a recorder killed mid-write):
set -o pipefail
# info reads its intact frames and says it is partial (exit 0, one
# warning), recover keeps the whole frames, then info and a full
# read work; recovering in place works too
ROOT=$PWD
cd "$KT_TMP" || exit 1
cp "$ROOT/corpus/synthetic/small.ktr" .
off=$("$KT_TOOL" blocks small.ktr | awk '$2 == "frame" { n++; if (n == 4) print $1 + 5000 }')
"$KT_TOOL" mangle small.ktr killed.ktr truncate="$off"
echo "\$ ktrail info killed.ktr"; "$KTRAIL" info killed.ktr 2>&1; echo "exit $?"
echo "\$ ktrail recover killed.ktr -o fixed.ktr"; "$KTRAIL" recover killed.ktr -o fixed.ktr 2>&1; echo "exit $?"
echo "\$ ktrail info fixed.ktr"; "$KTRAIL" info fixed.ktr 2>&1 | sed -n '1,2p;/^events/p;/^size/p'; echo "exit $?"
"$KT_TOOL" read fixed.ktr
stat -c 'mode %a' fixed.ktr
echo "\$ ktrail recover killed.ktr"; "$KTRAIL" recover killed.ktr 2>&1; echo "exit $?"
cmp fixed.ktr killed.ktr && echo "in place: same bytes"
# a capture whose recorder died between frames: readable by a scan, with
# a warning; recover finds nothing to discard
off=$("$KT_TOOL" blocks small.ktr | awk '$2 == "frame" { n++; if (n == 3) print $1 }')
"$KT_TOOL" mangle small.ktr between.ktr truncate="$off"
echo "\$ ktrail info between.ktr"; "$KTRAIL" info between.ktr 2>&1 | sed -n '/warning/p;/^file/p;/^events/p'; echo "exit $?"
echo "\$ ktrail recover between.ktr"; "$KTRAIL" recover between.ktr 2>&1; echo "exit $?"
