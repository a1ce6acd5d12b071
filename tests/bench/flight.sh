#!/bin/bash
# flight.sh - --flight under sustained load (issue 14, "Load"): SECS (60)
# of kt-test-tool load recorded host-wide with --flight WINDOW (30s)
# --flight-size SIZE (16M), a dump asked for every 10 s (SIGUSR1) and one
# at the end; prints the recorder's peak RSS (sampled every 100 ms from
# /proc) against the documented bound (SIZE + 2 x CPUs x ring + 64 MiB,
# docs/record.md "Flight recorder bounds"), the largest dump against SIZE
# plus metadata and index, whether every request got its dump, and
# whether the last dump verifies clean and reads whole alone.  Exit 1
# when a bound is passed or a request got no dump.
# tests/live/flight_bounds.sh is the short version.
#
# Environment: SECS=60 WINDOW=30s SIZE=16777216 (bytes) OUT KEEP=0
. "$(dirname "$0")/lib.sh"
bench_init flight /tmp/kt-bench-flight
. "$ROOT/tests/live/lib/flight_bounds.bash"
SECS=${SECS:-60}
WINDOW=${WINDOW:-30s}
SIZE=${SIZE:-16777216}
echo "flight: $SECS s of kt-test-tool load, --flight $WINDOW --flight-size $SIZE, a dump every 10 s"
FL_USR1_EVERY=10 flight_run "$OUT" "$SECS" "$WINDOW" "$SIZE"
[ "$FL_RC" = 0 ] || die "record exited $FL_RC: $(head -3 "$OUT/f.err")"
ok=yes
[ "$FL_MAX_KB" -le "$FL_RSS_BOUND_KB" ] || ok=no
[ "$FL_FILE" -le "$FL_DISK_BOUND" ] || ok=no
printf "flight: peak RSS %.1f MiB over %d samples, bound %.1f MiB\n" "$(echo "$FL_MAX_KB / 1024" | bc -l)" "$FL_SAMPLES" "$(echo "$FL_RSS_BOUND_KB / 1024" | bc -l)"
# every request gets a dump (10 s apart: one each), and the end one
echo "flight: $FL_USR1_SENT requests (SIGUSR1) sent, $FL_DUMPS dumps (want $((FL_USR1_SENT + 1)): one per request and the end's), $FL_UNSERVED requests said not served"
[ "$FL_DUMPS" = $((FL_USR1_SENT + 1)) ] || ok=no
printf "flight: %d dumps, the largest %.2f MB, bound %.2f MB; the last kept %s bytes of max %s (%s frames dropped for size)\n" "$FL_DUMPS" "$(echo "$FL_FILE / 1000000" | bc -l)" "$(echo "$FL_DISK_BOUND / 1000000" | bc -l)" "$FL_KEPT" "$FL_MAX" "$FL_SIZE_DROPS"
echo "flight: last dump: verify exit $FL_VERIFY ($(tail -n 1 "$OUT/verify" | cut -c1-120)); read alone: $FL_ALONE"
echo "flight: within bounds: $ok"
[ $ok = yes ] && [ "$FL_VERIFY" = 0 ] && [ "$FL_ALONE" = yes ]
