# Shared by tests/live/record_*.sh (sourced; not a test itself).
#
#   kt_init NAME CASE...  scratch dir $T (removed at exit); every CASE is
#                     declared: it must report exactly one result line, or
#                     the script's exit adds "FAIL live/CASE: no result".
#                     When the system refuses to record (not root, no
#                     BTF, or a probe `ktrail record` exits 3) every CASE
#                     is SKIPped; when the probe fails otherwise (a crash,
#                     a bug) every CASE FAILs: a broken recorder is not a
#                     missing permission.
#   kt_pass CASE [NOTE] / kt_fail CASE REASON / kt_skip CASE REASON
#   kt_sysnr NAME     this architecture's syscall number
#   kt_dump FILE      the events of a capture, one per line (kt-test-tool dump):
#                     "ts cpu tid pid kind field=value ..."
#   kt_meta FILE KEY.PATH   one metadata value (python3 json)
#   kt_drops FILE     the recorder's own losses ("cause=N ...", empty when
#                     none): every cause but switch gaps, which are the
#                     kernel's (it runs no BPF for some tasks, see
#                     docs/record.md "Loss"); and losses that no cause
#                     accounts for
set -u
: "${KT_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
: "${KTRAIL:=$KT_ROOT/ktrail}" "${KT_TOOL:=$KT_ROOT/build/kt-test-tool}"
PFX=${PFX:-}
KT_CASES=
KT_REPORTED=

kt_reported() { KT_REPORTED="$KT_REPORTED $1 "; }
kt_pass() { echo "PASS live/$1${2:+: $2}"; kt_reported "$1"; }
kt_fail() { echo "FAIL live/$1: $2"; KT_FAILED=1; kt_reported "$1"; }
kt_skip() { echo "SKIP live/$1: $2"; kt_reported "$1"; }

# kt_check_cases: a FAIL line for every declared case that reported nothing
# (run at exit: a script that died half-way must not pass by silence).
kt_check_cases() {
	local c
	for c in $KT_CASES; do
		case $KT_REPORTED in
		*" $c "*) ;;
		*) kt_fail "$c" "no result (the script ended before this case)" ;;
		esac
	done
}

# kt_init NAME CASE... : every CASE is SKIPped with the reason when the
# recorder cannot run here, FAILed when it runs but fails.
kt_init() {
	local name=$1 reason= c rc
	shift
	KT_FAILED=0
	KT_CASES="$*"
	T=$(mktemp -d /tmp/kt-live-$name.XXXXXX)
	trap 'rc=$?; kt_check_cases; kt_cleanup; rm -rf "$T"; [ $KT_FAILED = 0 ] || exit 1; exit $rc' EXIT
	if [ "$(id -u)" != 0 ]; then
		reason="needs root (CAP_BPF, CAP_PERFMON)"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		reason="no kernel BTF (/sys/kernel/btf/vmlinux)"
	else
		"$KTRAIL" record -q -o "$T/probe.ktr" -d 0.1 -e proc >/dev/null 2>"$T/probe.err"
		rc=$?
		if [ $rc = 3 ]; then
			reason="ktrail record cannot run here: $(head -1 "$T/probe.err")"
		elif [ $rc != 0 ]; then
			for c in "$@"; do
				kt_fail "$c" "the probe recording failed (exit $rc): $(head -1 "$T/probe.err")"
			done
			exit 1
		fi
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

kt_drops() {
	"$KT_TOOL" meta "$1" | python3 -c '
import json, sys
lost = json.load(sys.stdin).get("lost", {})
causes = lost.get("causes", {})
bad = ["%s=%d" % (k, v.get("total", 0)) for k, v in sorted(causes.items())
       if k != "switch_gap" and v.get("total", 0)]
if lost.get("total", 0) != sum(v.get("total", 0) for v in causes.values()):
    bad.append("unaccounted=%d" % lost.get("total", 0))
print(" ".join(bad))'
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
