#!/bin/bash
# scoped.sh - the cost of a scoped recording (`record -- CMD`) of the
# standard workload (../shared/bench/workload.sh), for one or more ktrail
# binaries in the same run: each repetition runs the workload unrecorded,
# then recorded by each binary in turn, so that the machine's drift hits
# them alike.  Prints per binary: median workload seconds unrecorded and
# recorded, the slowdown, recorder CPU seconds, events, sched_switch
# events, capture bytes, lost.  Needs root.
#
#   tests/bench/scoped.sh [KTRAIL...]   (default ./ktrail; env REPS=5
#                                        SHARED=../shared/bench FAMILIES=)
# FAMILIES, when set, is passed as -e (e.g. sched,proc,tcp,block).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
REPS=${REPS:-5}
[ -x "$SHARED/workload.sh" ] || { echo "scoped.sh: no $SHARED/workload.sh (set SHARED=)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "scoped.sh: needs root" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$ROOT/ktrail"
W=$(mktemp -d /tmp/kt-bench-scoped.XXXXXX)
C=/dev/shm/kt-bench-scoped.$$
mkdir -p "$C" "$W/work"
trap 'rm -rf "$W" "$C"' EXIT
gcc -O2 -o "$W/wl" "$SHARED/wl.c" || exit 1
export WL=$W/wl WORK=$W/work PORT=${PORT:-45719}
EOPT=
[ -n "${FAMILIES:-}" ] && EOPT="-e $FAMILIES"

total() { awk '/^total/{print $2}' "$1"; }
for r in $(seq "$REPS"); do
	"$SHARED/workload.sh" >"$W/base.$r" 2>&1
	echo "base $r $(total "$W/base.$r")" >>"$W/runs"
	i=0
	for k in "$@"; do
		i=$((i + 1))
		rm -f "$C/x.ktr"        # record refuses an existing -o
		/usr/bin/time -f "%U %S" -o "$W/cpu" "$k" record -q $EOPT \
			-o "$C/x.ktr" -- "$SHARED/workload.sh" >"$W/rec.$r" 2>&1
		info=$("$k" info --json "$C/x.ktr" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
print(j["events"], j["kinds"].get("sched_switch", 0), j["frame_bytes"], j["lost"])')
		echo "rec$i $r $(total "$W/rec.$r") $(awk '{print $1 + $2}' "$W/cpu" | tail -1) $info" >>"$W/runs"
		tail -1 "$W/runs" >&2
	done
done
python3 - "$W/runs" "$@" <<'EOF'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
base = [float(r[2]) for r in rows if r[0] == "base"]
mb = st.median(base)
print("%-40s %8s %8s %7s %6s %9s %9s %10s %5s" % ("recorder", "base s", "rec s", "ratio", "cpu s", "events", "switches", "bytes", "lost"))
for i, k in enumerate(sys.argv[2:], 1):
    rs = [r for r in rows if r[0] == "rec%d" % i]
    m = lambda j, f=float: st.median([f(r[j]) for r in rs])
    print("%-40s %8.3f %8.3f %6.3fx %6.2f %9d %9d %10d %5d" % (k[-40:], mb, m(2), m(2) / mb, m(3), m(4, int), m(5, int), m(6, int), m(7, int)))
EOF
