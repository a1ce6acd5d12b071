#!/bin/bash
# load.sh - honest accounting at the highest event rate this host makes
# (issue 14, "Load"): kt-test-tool load (getppid spinners, pipe ping-pong,
# page faults) for SECS seconds (60), recorded host-wide; then, per CPU
# and family, the attempts the BPF programs counted, the events of the
# file that came from them, the losses it reports (ring full), and whether
# they add up (`ktrail verify --json`'s accounting rows).  Exit 1 when a
# row does not add up.  tests/live/load_accounting.sh is the short version.
#
# Environment: SECS=60 RING (e.g. 64M; default the recorder's) OUT KEEP=0
. "$(dirname "$0")/lib.sh"
bench_init load /tmp/kt-bench-load
SECS=${SECS:-60}
RING=${RING:-}

echo "load: recording the host for $SECS s under kt-test-tool load${RING:+ (-m $RING)}"
"$KTRAIL" record -q -o "$OUT/load.ktr" -d "$SECS" ${RING:+-m "$RING"} 2>"$OUT/rec.err" & R=$!
sleep 0.5
"$KT_TOOL" load "$(echo "$SECS - 1" | bc)" || die "the load failed"
wait $R || die "record failed: $(head -3 "$OUT/rec.err")"
ls -l "$OUT/load.ktr" | awk '{ printf "load: capture %.1f MB\n", $5 / 1e6 }'
"$KTRAIL" verify --json "$OUT/load.ktr" >"$OUT/verify.json" 2>"$OUT/verify.err"
echo "load: verify exit $? ($(tail -n 1 "$OUT/verify.json" | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("%d violations, %d explained" % (s["violations"], s["explained"]))'))"
tail -n 1 "$OUT/verify.json" | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
rows = s.get("accounting")
if rows is None:
    print("load: no accounting (the capture has no attempts.per_cpu_family)")
    sys.exit(1)
print("%4s %-8s %14s %14s %14s  %s" % ("cpu", "family", "attempts", "in file", "dropped", "adds up"))
bad = 0
for r in rows:
    ok = r["events"] + r["lost"] == r["attempts"]
    bad += not ok
    print("%4d %-8s %14d %14d %14d  %s" % (r["cpu"], r["family"], r["attempts"], r["events"], r["lost"], "yes" if ok else "NO"))
a = sum(r["attempts"] for r in rows); e = sum(r["events"] for r in rows); l = sum(r["lost"] for r in rows)
print("%4s %-8s %14d %14d %14d  %s" % ("all", "", a, e, l, "yes" if not bad else "NO (%d rows)" % bad))
print("load: %.0f attempts/s, %.0f events/s in the file, %.1f %% dropped" % (a / float(sys.argv[1]), e / float(sys.argv[1]), 100.0 * l / a if a else 0))
sys.exit(1 if bad else 0)' "$SECS"
