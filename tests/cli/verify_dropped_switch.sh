# A real capture (corpus/scenarios/cpu_contention.ktr, consistent) with
# one context switch edited out, as a lost event would leave it: verify
# exits 1 and names the CPU of the missing switch and the two switches
# around it (the dropped one lies between them).
for n in 400 1000; do
	"$KT_TOOL" drop_event corpus/scenarios/cpu_contention.ktr \
		"$KT_TMP/drop.ktr" sched_switch $n >"$KT_TMP/dropped" || exit 9
	cat "$KT_TMP/dropped"
	"$KTRAIL" verify "$KT_TMP/drop.ktr" >"$KT_TMP/out"
	echo "exit $?"
	sed "s|$KT_TMP/||" "$KT_TMP/out"
	awk 'NR == FNR { sub(":", "", $7); t = $5; c = $7; next }
	     $1 == "violation" && $3 == "cpu" {
		since = $8
		ok = ($4 == c && since + 0 < t + 0 && t + 0 < $2 + 0)
		print (ok ? "names" : "MISSES"), "the cpu and the time"
	     }' "$KT_TMP/dropped" "$KT_TMP/out"
done
