# the pictures as a viewer opens them: the SVG is well-formed XML
# (xmllint), the PNG decodes whole at the scene's size; the same input and
# options give the same bytes twice; an empty selection is a picture too
S=corpus/scenarios/lock_convoy.ktr
for f in a.svg b.svg a.png b.png; do
	$KTRAIL timeline $S -o $KT_TMP/$f || echo "ktrail failed for $f"
done
xmllint --noout $KT_TMP/a.svg && echo "svg: well-formed"
grep -o '<svg[^>]*width="[0-9]*px" height="[0-9]*px"' $KT_TMP/a.svg | grep -o 'width=.*'
"$KT_TOOL" png_info $KT_TMP/a.png
$KTRAIL timeline $S -o $KT_TMP/a.scene && head -1 $KT_TMP/a.scene
cmp -s $KT_TMP/a.svg $KT_TMP/b.svg && echo "svg: the same bytes twice"
cmp -s $KT_TMP/a.png $KT_TMP/b.png && echo "png: the same bytes twice"
$KTRAIL timeline $S --pid 99999 -o $KT_TMP/e.png
echo "exit $?"
"$KT_TOOL" png_info $KT_TMP/e.png
