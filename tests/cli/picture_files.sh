# The pictures as files, over the corpus: every SVG well-formed (xmllint
# --noout), every PNG decoded whole at its size: a why picture at the
# size of its scene (the dump's first line), a graph at the size of its
# SVG (graphviz's points at 96 dpi, to a pixel: it rounds the two
# differently; its text metrics come from the installed fonts, so the
# size itself is not in this golden).
S=corpus/scenarios
png_size() {    # FILE: "W H" of a PNG decoded whole and not blank
	"$KT_TOOL" png_info "$1" | sed -n 's/^png \([0-9]*\)x\([0-9]*\), drawn$/\1 \2/p'
}
ids() { sed -n "s/^$2=//p" $S/$1.ids | head -1; }
svg_px() {      # FILE: "W H" in pixels from the svg's width/height (pt)
	sed -n 's/^<svg width="\([0-9.]*\)pt" height="\([0-9.]*\)pt".*/\1 \2/p' "$1" |
		awk '{ printf "%d %d\n", $1 * 4 / 3 + 0.5, $2 * 4 / 3 + 0.5 }'
}
graph() {
	local name=$1 png svg
	shift
	"$KTRAIL" graph $S/$name.ktr "$@" -o "$KT_TMP/g.svg" &&
	"$KTRAIL" graph $S/$name.ktr "$@" -o "$KT_TMP/g.png" || { echo "graph $name: failed"; return; }
	xmllint --noout "$KT_TMP/g.svg" && echo "graph $name: svg well-formed"
	png=$(png_size "$KT_TMP/g.png")
	svg=$(svg_px "$KT_TMP/g.svg")
	if echo "$png $svg" | awk 'NF == 4 { d1 = $1 - $3; d2 = $2 - $4 }
	    NF != 4 || d1 * d1 > 1 || d2 * d2 > 1 { exit 1 }'; then
		echo "graph $name: png decoded, the svg's size"
	else
		echo "graph $name: png '$png', svg '$svg'"
	fi
}
why() {
	local name=$1 size
	shift
	"$KTRAIL" why $S/$name.ktr "$@" -o "$KT_TMP/w.svg" &&
	"$KTRAIL" why $S/$name.ktr "$@" -o "$KT_TMP/w.png" &&
	"$KTRAIL" why $S/$name.ktr "$@" -o "$KT_TMP/w.scene" || { echo "why $name: failed"; return; }
	xmllint --noout "$KT_TMP/w.svg" && echo "why $name: svg well-formed"
	size=$(sed -n '1s/^scene \([0-9]*\)\.0 x \([0-9]*\)\.0 .*/\1 \2/p' "$KT_TMP/w.scene")
	grep -q "^<svg [^>]*width=\"${size% *}px\" height=\"${size#* }px\"" "$KT_TMP/w.svg" &&
		echo "why $name: svg $size px"
	echo "why $name: png $(png_size "$KT_TMP/w.png") (scene $size)"
}
for s in fsync_pipeline lock_convoy cpu_contention exit_kill; do
	graph $s --window all
done
graph lock_convoy --pid 99999
why fsync_pipeline --pid "$(ids fsync_pipeline front)"
why lock_convoy --pid "$(ids lock_convoy pid)" --tid "$(sed -n 's/^waiter=//p' $S/lock_convoy.ids | tail -1)" --slowest
why cpu_contention --pid "$(ids cpu_contention pid)" --tid "$(ids cpu_contention latency)"
why exit_kill --pid "$(ids exit_kill parent)"
