# kt-test-tool switchcheck, the live tests' per-CPU switch continuity
# checker, on hand-made captures: continuous (exit 0), one switch missing
# (a hole: exit 1), missing but reported by a KT_LOST switch_gap (exit 0),
# and a scoped capture where switches between two tasks out of scope are
# absent by design (no hole) but one between tasks in scope is missing
cd "$KT_TMP" || exit 1
for m in ok hole gap scoped; do
	"$KT_TOOL" switch_capture $m.ktr $m || echo "switch_capture $m failed"
	echo "\$ switchcheck $m.ktr"; "$KT_TOOL" switchcheck $m.ktr; echo "exit $?"
done
