#!/bin/bash
# record.sh - the recorder against its peers on the standard workload
# (../shared/bench, beside the checkout; README there), in one run:
#
#   1. measure.sh alternating unrecorded and recorded runs of workload.sh
#      for ktrail record (all families), trace-cmd (zstd and
#      --compression none) and perf (plain and -z); medians.
#   2. the same for `ktrail record -e sched,proc,tcp,block`.
#   3. the getppid rate sweep: ktrail against the raw ring-buffer ceiling.
#
# Then one table: wall-time ratio, recorder CPU s, events, drops, capture
# bytes, bytes per syscall; and the sweep.  Needs root.
#
#   tests/bench/record.sh            (env: REPS=3 SECS=3 SHARED=../shared/bench
#                                     TOOLS=... PHASES="all cheap sweep")
#   tests/bench/record.sh --count FILE   "EVENTS DROPS NOTE" of a capture
#                                        (measure.sh's COUNT_CMD)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KTRAIL=${KTRAIL:-$ROOT/ktrail}

if [ "${1:-}" = --count ]; then
	"$KTRAIL" info --json "$2" | python3 -c '
import json, sys
j = json.load(sys.stdin)
k = j.get("kinds", {})
print(j["events"], j["lost"], "syscalls=%d" % k.get("syscall", 0))'
	exit
fi

SHARED=${SHARED:-$ROOT/../shared/bench}
[ -x "$SHARED/measure.sh" ] || { echo "record.sh: no $SHARED/measure.sh (set SHARED=)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "record.sh: needs root" >&2; exit 2; }
"$ROOT/tests/deps.sh" trace-cmd bc time zstd xz-utils || exit 2
make -C "$ROOT" --no-print-directory >/dev/null || exit 1

OUT=${BENCH_OUT:-/tmp/kt-bench-record}
REPS=${REPS:-3}
SECS=${SECS:-3}
PHASES=${PHASES:-all cheap sweep}
has() { case " $PHASES " in *" $1 "*) return 0;; esac; return 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
export REPS SECS COMPRESS=${COMPRESS:-0}
COUNT="bash $ROOT/tests/bench/record.sh --count {out}"

# 1: all families and the peers
has all && echo "== ktrail (all families) and peers, REPS=$REPS" >&2
has all && RESULTS=$OUT/all REC_CMD="$KTRAIL record -q --force -o {out}" COUNT_CMD="$COUNT" \
	TOOLS=${TOOLS:-"custom tracecmd tracecmd-nocomp perf perf-z"} SWEEP=0 \
	bash "$SHARED/measure.sh" >"$OUT/all.table"
# 2: the cheap families
has cheap && echo "== ktrail -e sched,proc,tcp,block" >&2
has cheap && RESULTS=$OUT/cheap REC_CMD="$KTRAIL record -q --force -e sched,proc,tcp,block -o {out}" \
	COUNT_CMD="$COUNT" TOOLS=custom SWEEP=0 \
	bash "$SHARED/measure.sh" >"$OUT/cheap.table"
# 3: the sweep (syscalls only, as the ceiling records only sys_enter)
if has sweep; then
	echo "== rate sweep" >&2
	RESULTS=$OUT/sweep REC_CMD="$KTRAIL record -q --force -e syscall -o {out}" \
		COUNT_CMD="$COUNT" TOOLS=" " SWEEP_TOOLS="custom ceiling-nowake" \
		bash "$SHARED/measure.sh" >"$OUT/sweep.table" 2>"$OUT/sweep.err"
fi

python3 - "$OUT" <<'EOF'
import os, statistics as st, sys
out = sys.argv[1]
def runs(d, t):
    p = f"{out}/{d}/{t}.runs"
    return [l.split() for l in open(p) if l.strip()] if os.path.exists(p) else []
def syscalls(d, t, r):
    # ktrail: the note says syscalls=N (one paired record each); the peers:
    # their sys_enter count from the per-event breakdown of the last run
    if t == "custom":
        return int(r[7].split("=")[1]) if r[7].startswith("syscalls=") else 0
    p = f"{out}/{d}/{t}.byevent"
    if not os.path.exists(p):
        return 0
    for l in open(p):
        n, name = l.split()[:2]
        if "sys_enter" in name:
            return int(n)
    return 0
rows = []
names = {"custom": "ktrail record"}
for d, label in (("all", ""), ("cheap", " -e sched,proc,tcp,block")):
    if not os.path.isdir(f"{out}/{d}"):
        continue
    for t in ("custom", "tracecmd", "tracecmd-nocomp", "perf", "perf-z"):
        rr = runs(d, t)
        if not rr:
            continue
        ratio = [float(r[2]) / float(r[1]) for r in rr]
        cpu = [float(r[3]) + float(r[4]) for r in rr]
        ev = [int(r[5]) for r in rr]
        dr = [int(r[6]) for r in rr]
        size = [int(r[8]) for r in rr]
        sc = syscalls(d, t, rr[-1])
        rows.append((names.get(t, t) + label, len(rr), st.median(ratio), min(ratio), max(ratio),
                     st.median(cpu), st.median(ev), max(dr), st.median(size),
                     size[-1] / sc if sc else float("nan")))
h = "%-40s %3s %22s %9s %12s %7s %12s %10s" % ("recorder", "n", "slowdown med [min-max]", "rec CPU s",
                                             "events", "drops", "bytes", "B/syscall")
print(h)
print("-" * len(h))
for r in rows:
    print("%-40s %3d %8.3f [%5.2f-%5.2f] %9.2f %12.0f %7d %12.0f %10.2f" % r)
tc = {r[0]: r for r in rows}
if "ktrail record" in tc and "tracecmd" in tc:
    # per syscall: the host is shared, so runs differ in how many
    # syscalls other processes made while they recorded
    print("\nktrail capture / trace-cmd (zstd) capture, bytes per syscall: %.2fx (goal <= 0.4x)" %
          (tc["ktrail record"][9] / tc["tracecmd"][9]))
if "ktrail record" in tc and "tracecmd-nocomp" in tc:
    print("ktrail slowdown %.3f vs trace-cmd --compression none %.3f (goal: no worse)" %
          (tc["ktrail record"][2], tc["tracecmd-nocomp"][2]))
if "ktrail record -e sched,proc,tcp,block" in tc:
    print("ktrail -e sched,proc,tcp,block slowdown %.3f (goal < 1.02)" %
          tc["ktrail record -e sched,proc,tcp,block"][2])
sw = f"{out}/sweep"
if os.path.isdir(sw):
    print("\nrate sweep (getppid, one generator per rate, 0 = flat out, 0x2 = two flat out):")
    base = {}
    if os.path.exists(f"{sw}/baseline.sweep"):
        for l in open(f"{sw}/baseline.sweep"):
            f = l.split()
            base[f[0]] = int(f[1]) / float(f[2])
    best = {}
    for t, name in (("custom", "ktrail -e syscall"), ("ceiling-nowake", "raw ceiling")):
        p = f"{sw}/{t}.sweep"
        if not os.path.exists(p):
            continue
        cells = []
        for l in open(p):
            f = l.split()
            if len(f) < 5:
                continue
            rate = int(f[1]) / float(f[2])
            cells.append("%s: %.2fM calls/s drops=%s" % (f[0], rate / 1e6, f[4]))
            if int(f[4]) == 0:
                best[t] = max(best.get(t, 0), rate)
        print("  %-18s %s" % (name, " ; ".join(cells)))
    print("  unrecorded: " + ", ".join("%s: %.2fM" % (k, v / 1e6) for k, v in base.items()))
    if best.get("ceiling-nowake"):
        print("  highest lossless syscall rate: ktrail %.2fM/s = %.0f%% of the ceiling's %.2fM/s (goal >= 70%%)" %
              (best.get("custom", 0) / 1e6, 100 * best.get("custom", 0) / best["ceiling-nowake"],
               best["ceiling-nowake"] / 1e6))
EOF
echo
echo "measure.sh's own tables: $OUT/*.table"
