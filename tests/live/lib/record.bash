# Shared by tests/live/record_*.sh (sourced; not a test itself).
#
#   kt_init NAME      scratch dir $T (removed at exit), and a SKIP line for
#                     every case of the script when recording is impossible
#                     here (not root, no BTF, or ktrail record exits 3)
#   kt_pass CASE / kt_fail CASE REASON / kt_skip CASE REASON
#   kt_sysnr NAME     this architecture's syscall number
#   kt_dump FILE      the events of a capture, one per line (kt-test-tool dump):
#                     "ts cpu tid pid kind field=value ..."
#   kt_meta FILE KEY.PATH   one metadata value (python3 json)
set -u
: "${KT_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
: "${KTRAIL:=$KT_ROOT/ktrail}" "${KT_TOOL:=$KT_ROOT/build/kt-test-tool}"
PFX=${PFX:-}

kt_pass() { echo "PASS live/$1"; }
kt_fail() { echo "FAIL live/$1: $2"; KT_FAILED=1; }
kt_skip() { echo "SKIP live/$1: $2"; }

# kt_init NAME CASE... : every CASE is SKIPped with the reason when the
# recorder cannot run here.
kt_init() {
	local name=$1 reason= c
	shift
	KT_FAILED=0
	T=$(mktemp -d /tmp/kt-live-$name.XXXXXX)
	trap 'kt_cleanup; rm -rf "$T"' EXIT
	if [ "$(id -u)" != 0 ]; then
		reason="needs root (CAP_BPF, CAP_PERFMON)"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		reason="no kernel BTF (/sys/kernel/btf/vmlinux)"
	elif ! "$KTRAIL" record -q -o "$T/probe.ktr" -d 0.1 -e proc >/dev/null 2>"$T/probe.err"; then
		reason="ktrail record cannot run here: $(head -1 "$T/probe.err")"
	fi
	if [ -n "$reason" ]; then
		for c in "$@"; do kt_skip "$c" "$reason"; done
		exit 0
	fi
}

# Overridden by scripts that set up namespaces, cgroups, ...
kt_cleanup() { :; }

kt_sysnr() {
	awk -v n="\"$1\"," '$3 == n { gsub(/[^0-9]/, "", $1); print $1; exit }' \
		"$KT_ROOT/build/gen/syscalls.h"
}

kt_dump() { "$KT_TOOL" dump "$1"; }

# kt_meta FILE PATH: e.g. kt_meta x.ktr lost.total
kt_meta() {
	"$KT_TOOL" meta "$1" | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k) if isinstance(v, dict) else None
print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$2"
}

# kt_field LINE KEY: the value of KEY=... in a dump line
kt_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

# kt_unnamed DUMP TASKS: tids an event names (subject, next_tid, target_tid,
# child_tid, victim_tid) that the task table (kt-test-tool tasks) lacks
kt_unnamed() {
	awk 'NR == FNR { named[$1] = 1; next }
	{ t[$3] = 1; for (i = 6; i <= NF; i++) if ($i ~ /^(next|target|child|victim)_tid=/) { split($i, kv, "="); t[kv[2]] = 1 } }
	END { for (x in t) if (x != 0 && !(x in named)) print x }' "$2" "$1" | sort -n | head -5 | tr '\n' ' '
}
