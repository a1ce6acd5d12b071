# shellcheck shell=bash
# flight_bounds.bash - shared by tests/live/flight_bounds.sh and
# tests/bench/flight.sh (sourced): record the host with --flight under
# kt-test-tool load, the recorder's RSS sampled every 100 ms, and compare
# with the bounds of docs/record.md "Flight recorder bounds".
#
#   flight_run DIR SECS WINDOW SIZE [RECORD-OPTS...]  (SIZE in bytes, a
#       power of two)
#       records DIR/f.ktr; sets FL_RC (record's exit), FL_MAX_KB (peak
#       RSS, kB), FL_SAMPLES, FL_RSS_BOUND_KB, FL_FILE (dump bytes),
#       FL_DISK_BOUND (SIZE + metadata + index bytes), FL_KEPT, FL_MAX,
#       FL_SIZE_DROPS (flight.kept_bytes, max_bytes, dropped_for_size),
#       FL_VERIFY (verify's exit), FL_ALONE (yes when a copy alone in an
#       empty directory reads whole)
#   With FL_USR1_EVERY=N, a dump is asked for (SIGUSR1) every N seconds
#   too: FL_USR1_SENT is the count of requests sent, FL_DUMPS the count of
#   dumps, FL_FILE the largest of them, FL_UNSERVED the requests record
#   said it did not serve.
flight_run() {
	local dir=$1 secs=$2 win=$3 size=$4 r pid ncpus ring=$((8 << 20)) m meta
	shift 4
	"$KTRAIL" record -q -o "$dir/f.ktr" -d "$secs" --flight "$win" --flight-size "$size" "$@" 2>"$dir/f.err" & pid=$!
	sleep 0.3
	"$KT_TOOL" load "$(echo "$secs - 0.6" | bc)" >/dev/null &
	FL_MAX_KB=0 FL_SAMPLES=0 FL_USR1_SENT=0
	local start=$SECONDS next=${FL_USR1_EVERY:-0} k v rest
	while kill -0 $pid 2>/dev/null; do
		r=
		# builtins only: a sample costs no fork on a loaded host
		while read -r k v rest; do
			[ "$k" = VmRSS: ] && { r=$v; break; }
		done </proc/$pid/status 2>/dev/null
		if [ -n "$r" ]; then
			FL_SAMPLES=$((FL_SAMPLES + 1))
			[ "$r" -gt "$FL_MAX_KB" ] && FL_MAX_KB=$r
		fi
		if [ -n "${FL_USR1_EVERY:-}" ] && [ $((SECONDS - start)) -ge "$next" ] &&
			[ "$next" -gt 0 ]; then
			kill -USR1 $pid 2>/dev/null && FL_USR1_SENT=$((FL_USR1_SENT + 1))
			next=$((next + FL_USR1_EVERY))
		fi
		sleep 0.1
	done
	wait $pid; FL_RC=$?
	wait
	ncpus=$("$KT_TOOL" meta "$dir/f.ktr" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["host"]["cpus"])' 2>/dev/null)
	FL_RSS_BOUND_KB=$(( (size + 2 * ${ncpus:-1} * ring + (64 << 20)) / 1024 ))
	FL_FILE=$(stat -c %s "$dir"/f.ktr* 2>/dev/null | sort -n | tail -n 1)
	FL_FILE=${FL_FILE:-0}
	FL_DUMPS=$(ls "$dir"/f.ktr* 2>/dev/null | wc -l)
	FL_UNSERVED=$(sed -n 's/^ktrail record: SIGUSR1 not served (\([0-9]*\) request.*/\1/p' "$dir/f.err" |
		awk '{ n += $1 } END { print n + 0 }')
	meta=$("$KT_TOOL" meta "$dir/f.ktr" 2>/dev/null | wc -c)
	m=$("$KTRAIL" info --json "$dir/f.ktr" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin); f = d["meta"]["flight"]
print(d["frames"], f["kept_bytes"], f["max_bytes"], f["dropped_for_size"])' 2>/dev/null)
	set -- $m
	FL_DISK_BOUND=$((size + meta + 56 * ${1:-0} + 4096))
	FL_KEPT=${2:-?} FL_MAX=${3:-?} FL_SIZE_DROPS=${4:-?}
	"$KTRAIL" verify "$dir/f.ktr" >"$dir/verify" 2>&1; FL_VERIFY=$?
	mkdir -p "$dir/alone" && cp "$dir/f.ktr" "$dir/alone/x.ktr"
	FL_ALONE=no
	(cd "$dir/alone" && "$KTRAIL" info x.ktr >/dev/null 2>&1 &&
		"$KT_TOOL" read x.ktr >/dev/null 2>&1) && FL_ALONE=yes
}
