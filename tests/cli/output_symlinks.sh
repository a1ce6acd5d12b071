# Every command that writes a file (pictures, reports, exports, recover
# -o) writes a temporary file beside the target and renames it over the
# target: a symbolic link at the target is replaced by the file, its
# target keeps its bytes, and no temporary file is left behind.
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
pid=$(sed -n 's/^pid=//p' "$S/cpu_contention.ids" | head -1)
off=$("$KT_TOOL" blocks "$ROOT/corpus/synthetic/small.ktr" | awk '$2 == "frame" { n++; if (n == 4) print $1 + 5000 }')
"$KT_TOOL" mangle "$ROOT/corpus/synthetic/small.ktr" cut.ktr truncate="$off"
n=0
t() {
	local out=$1
	shift
	n=$((n + 1))
	mkdir -p "victim$n"
	echo "precious $n" > "victim$n/target"
	ln -s "victim$n/target" "$out"
	"$KTRAIL" "$@" >/dev/null 2>err; rc=$?
	local args="$*"
	echo "ktrail ${args//$ROOT\//} -> $(
	    [ -L "$out" ] && echo "still a link" || echo "$(stat -c %F "$out")"), exit $rc, target $(
	    [ "$(cat "victim$n/target")" = "precious $n" ] && echo "untouched" || echo "OVERWRITTEN")"
	[ $rc = 0 ] || cat err
}
t tl.svg timeline "$S/cpu_contention.ktr" --pid "$pid" -o tl.svg
t tl.scene timeline "$S/cpu_contention.ktr" --pid "$pid" -o tl.scene
t g.dot graph "$S/cpu_contention.ktr" -o g.dot
t g.png graph "$S/cpu_contention.ktr" -o g.png
t w.scene why "$S/cpu_contention.ktr" --pid "$pid" --slowest -o w.scene
t r.html report "$S/cpu_contention.ktr" -o r.html
t r.svg report "$S/cpu_contention.ktr" -o r.svg
t e.db export "$S/cpu_contention.ktr" --sqlite e.db
t e.json export "$S/cpu_contention.ktr" --json -o e.json
t e.chrome export "$S/cpu_contention.ktr" --chrome e.chrome
t e.pcapng export "$ROOT/corpus/synthetic/small.ktr" --pcap e.pcapng
t fixed.ktr recover cut.ktr -o fixed.ktr
echo "left over: $(ls -A | grep '^\.' | tr '\n' ' ')"
