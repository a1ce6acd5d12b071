#!/bin/bash
# --flight under sustained load (issue 14, "Load"): for 6 s of
# kt-test-tool load recorded host-wide with --flight 30s --flight-size 4M
# (the size binds long before the window), the recorder's RSS, sampled
# every 100 ms, stays under the documented bound (SIZE + 2 x CPUs x ring
# + 64 MiB, docs/record.md "Flight recorder bounds"), the dump under SIZE
# plus its metadata and index, flight.kept_bytes under max_bytes with
# frames dropped for size; the dump verifies clean and reads whole alone.
# tests/bench/flight.sh is the 60 s version.
. "$(dirname "$0")/lib/record.bash"
. "$(dirname "$0")/lib/flight_bounds.bash"
kt_init flight_bounds flight_rss_bound flight_disk_bound flight_dump_alone
SIZE=$((4 << 20))
flight_run "$T" 6 30s $SIZE
if [ $FL_RC != 0 ]; then
	kt_fail flight_rss_bound "record exited $FL_RC: $(head -c 300 "$T/f.err")"
elif case $KTRAIL in */asan/*) true ;; *) false ;; esac; then
	# ASan's shadow memory and quarantine are not the recorder's
	kt_skip flight_rss_bound "the ASan build (peak RSS $FL_MAX_KB kB): the bound is the release build's"
elif [ "$FL_SAMPLES" -lt 20 ] || [ "$FL_MAX_KB" -gt "$FL_RSS_BOUND_KB" ]; then
	kt_fail flight_rss_bound "peak RSS $FL_MAX_KB kB over $FL_SAMPLES samples, bound $FL_RSS_BOUND_KB kB"
else
	kt_pass flight_rss_bound "peak RSS $FL_MAX_KB kB <= $FL_RSS_BOUND_KB kB ($FL_SAMPLES samples)"
fi
if [ "$FL_FILE" -gt 0 ] && [ "$FL_FILE" -le "$FL_DISK_BOUND" ] && [ "$FL_MAX" = $SIZE ] &&
	[ "$FL_KEPT" -le "$FL_MAX" ] && [ "$FL_SIZE_DROPS" -gt 0 ]; then
	kt_pass flight_disk_bound "dump $FL_FILE bytes <= $FL_DISK_BOUND; kept $FL_KEPT <= $FL_MAX; $FL_SIZE_DROPS frames dropped for size"
else
	kt_fail flight_disk_bound "dump $FL_FILE bytes (bound $FL_DISK_BOUND), kept $FL_KEPT of max $FL_MAX, $FL_SIZE_DROPS dropped for size"
fi
[ $FL_VERIFY = 0 ] && [ $FL_ALONE = yes ] && kt_pass flight_dump_alone "$(tail -n 1 "$T/verify" | cut -c1-160)" ||
	kt_fail flight_dump_alone "verify exited $FL_VERIFY ($(grep -m3 -e '^violation' -e '^verify' "$T/verify" | tr '\n' ' ' | cut -c1-400)); read alone: $FL_ALONE"
