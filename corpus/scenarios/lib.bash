# lib.bash - what the scenario scripts of corpus/scenarios share (sourced).
#
#   corpus_record OUT.ktr IDS [RECORD-OPTION...] -- CMD ARGS...
#       `ktrail record -q --force -o OUT.ktr [RECORD-OPTION...] -- CMD
#       ARGS...` as a user records, CMD's stdout into IDS; again (3 tries in all) while the
#       capture lost events: other BPF programs running on the machine
#       (tests, other recorders) make the kernel skip the recorder's now
#       and then, and a fixed capture should be whole.  The last try is
#       kept either way, with a warning.  Then `ktrail verify`.
#   corpus_lost FILE    the number of events FILE says it lost
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
K=$top/ktrail
T=$top/build/kt-test-tool

corpus_lost() {
	"$K" info "$1" 2>/dev/null | awk '$1 == "lost:" { print $2; exit }'
}

corpus_record() {
	local out=$1 ids=$2 try lost
	shift 2
	for try in 1 2 3; do
		"$K" record -q --force -o "$out" "$@" >"$ids"
		lost=$(corpus_lost "$out")
		[ "$lost" = 0 ] && break
		echo "$(basename "$out"): $lost events lost (try $try of 3)" >&2
	done
	"$K" verify "$out" >/dev/null
}
