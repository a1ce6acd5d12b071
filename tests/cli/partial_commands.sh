# a capture cut in the middle of its last frame (`head -c`, a recorder
# killed mid-write): every reading command reads the frames before the cut
# and exits 0 with exactly one warning line naming the file, the offset
# and `ktrail recover`; info says "partial"; verify refuses it (exit 2)
# unless --allow-partial.  What the reading commands print is what they
# print on the same capture rebuilt by recover.
ROOT=$PWD
cd "$KT_TMP" || exit 1
export XDG_CACHE_HOME=$KT_TMP/cache
S=$ROOT/corpus/scenarios/truth_exec.ktr
off=$("$KT_TOOL" blocks "$S" | awk '$2 == "frame" { n++; if (n == 2) print $1 + 2000 }')
head -c "$off" "$S" > cut.ktr
"$KTRAIL" recover cut.ktr -o fixed.ktr >/dev/null || echo "recover failed"
pid=$(sed -n 's/^task role=main pid=\([0-9]*\).*/\1/p' "$ROOT/corpus/scenarios/truth_exec.truth")
t() {
	echo "\$ ktrail $*"
	"$KTRAIL" "$@" > out.txt 2> err.txt
	echo "exit $?, $(wc -l < out.txt) lines out"
	sed "s|$KT_TMP/||g" err.txt
}
t info cut.ktr
grep -E '^(format|partial|events)' out.txt
for cmd in "replay" "replay --json" "stats X syscount" "stats X execsnoop" \
	   "timeline X --pid $pid" "graph X" "why X --pid $pid --slowest" \
	   "summary" "export X --json" "sql X select_count(*)_from_events"; do
	set -- $cmd
	c=$1; shift
	[ "${1:-}" = X ] && shift
	args=("$@"); args=("${args[@]//_/ }")
	t "$c" cut.ktr "${args[@]}"
	mv out.txt cut.out
	"$KTRAIL" "$c" fixed.ktr "${args[@]}" > fixed.out 2>/dev/null
	sed -i 's/fixed\.ktr/cut.ktr/g' fixed.out
	cmp -s cut.out fixed.out && echo "same output as the recovered capture" ||
		diff cut.out fixed.out | head -5
done
t report cut.ktr -o report.html
t timeline cut.ktr --pid "$pid" -o tl.svg
t verify cut.ktr
t verify cut.ktr --allow-partial
t diff cut.ktr fixed.ktr
t diff fixed.ktr cut.ktr --allow-partial
