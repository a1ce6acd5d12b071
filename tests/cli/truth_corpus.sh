# the ground-truth scenarios of issue 10 over their fixed captures
# (corpus/scenarios/truth_*.ktr, recorded by corpus/scenarios/truth.sh):
# every check of tests/truth/check.py, every `why` answer judged against
# the truth its workload measured, exact on every machine
for n in fsync convoy exec tcp oom cpu msgs exit; do
	echo "== $n"
	python3 tests/truth/check.py $n --capture corpus/scenarios/truth_$n.ktr \
		--truth corpus/scenarios/truth_$n.truth --ktrail "$KTRAIL" 2>&1 |
		sed 's/^/  /'
done
