# summary of the ground-truth captures (corpus/scenarios/truth_*.ktr):
# the text of each, then each as JSON
for f in corpus/scenarios/truth_*.ktr; do
	$KTRAIL summary $f
	echo
done
for f in corpus/scenarios/truth_*.ktr; do
	$KTRAIL summary $f --json
done
