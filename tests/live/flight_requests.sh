#!/bin/bash
# SIGUSR1 requests and stop signals under load (issue 14, "Load"): with
# kt-test-tool load on every CPU the rings are seldom empty; a signal the
# recorder takes only while it sleeps waited for the load to end and
# SIGUSR1s merged (tests/bench/flight.sh got 4 dumps of 6).  Here, while
# the load runs: eight requests, in groups 0.3 s apart, each served within
# 3 s (6 s under ASan) by a dump that names it (a dump serves the requests of its tick and
# counts them in flight.trigger.requests and its message), then SIGTERM
# stops the recorder within 3 s.  Requests sent while the recorder loads
# its BPF programs (SIGUSR1 was blocked there, and three became one) are
# each served.  Without --flight a request is said not to be served.
. "$(dirname "$0")/lib/record.bash"
kt_init flight_requests request_served request_prompt stop_under_load \
	request_during_load request_without_flight
LOAD=
kt_cleanup() { [ -z "$LOAD" ] || kill -- -"$LOAD" 2>/dev/null; }

now() { date +%s.%N; }
# a request is served at the next tick (1 s) by a dump: 3 s, or 6 s for
# the sanitizer build, whose dumps (zstd, fsync) take a few times longer
PROMPT=3
case $KTRAIL in */asan/*) PROMPT=6 ;; esac

# nserved: the requests the dumps' messages say they served (1 per
# "(on request: SIGUSR1)", N per "N requests since the last dump")
nserved() {
	awk '/ \(on request: SIGUSR1\)$/ { n++ }
	/ \(on request: SIGUSR1, [0-9]+ requests since the last dump\)$/ { n += $(NF - 5) }
	END { print n + 0 }' "$T/err"
}
# served N [LIMIT]: wait (up to LIMIT s, PROMPT) until N requests are served
served() {
	local t=$(now)
	until [ "$(nserved)" -ge "$1" ] || [ "$(echo "$(now) - $t > ${2:-$PROMPT}" | bc)" = 1 ]; do
		sleep 0.05
	done
	[ "$(nserved)" -ge "$1" ]
}

"$KTRAIL" record -o "$T/f.ktr" -d 60 --flight 30s --flight-size 4M 2>"$T/err" & R=$!
# the first request, before the load, says the recorder is recording
sleep 0.3
kill -USR1 $R
sent=1 late=
served 1 15 || late=" 1"
setsid "$KT_TOOL" load 30 >/dev/null 2>&1 & LOAD=$!
sleep 1
# groups of requests 0.3 s apart (one dump or several may serve a group),
# each group served within PROMPT s of its last request
for group in 1 2 1 3; do
	for i in $(seq "$group"); do
		kill -USR1 $R && sent=$((sent + 1))
		sleep 0.3
	done
	served $sent || late="$late $sent"
done
kill -0 "$LOAD" 2>/dev/null && load_ran=yes || load_ran=no
kill -TERM $R; t=$(now)
wait $R; rc=$?
stop=$(echo "$(now) - $t" | bc)
kill -- -"$LOAD" 2>/dev/null; wait "$LOAD" 2>/dev/null; LOAD=

# every request served, in the messages and in flight.trigger.requests
msgs=$(nserved)
meta=0
for f in "$T"/f.ktr*; do
	r=$(kt_meta "$f" flight.trigger.requests 2>/dev/null)
	case $r in [0-9]*) meta=$((meta + r)) ;; esac
done
ndumps=$(ls "$T"/f.ktr* | wc -l)
if [ $rc = 0 ] && [ "$msgs" = $sent ] && [ "$meta" = $sent ] &&
	! grep -q 'not served' "$T/err"; then
	kt_pass request_served "$sent requests, $ndumps dumps: $(grep -o '(on request[^)]*)' "$T/err" | tr '\n' ' ')"
else
	kt_fail request_served "record exited $rc; $sent SIGUSR1 sent, $msgs served by the messages, $meta by flight.trigger.requests; $(grep -o -e '(on request[^)]*)' -e '(end[^)]*)' -e 'not served.*' "$T/err" | tr '\n' ' ')"
fi
[ -z "$late" ] && kt_pass request_prompt "every request's dump within $PROMPT s" ||
	kt_fail request_prompt "requests not all served within $PROMPT s after request(s)$late (load running: $load_ran)"
if [ "$(echo "$stop < 3" | bc)" = 1 ] && [ $load_ran = yes ] &&
	grep -q '(end of the recording: signal 15)$' "$T/err"; then
	kt_pass stop_under_load "stopped ${stop} s after SIGTERM"
else
	kt_fail stop_under_load "stopped ${stop} s after SIGTERM (want < 3 s; the load still ran: $load_ran); $(grep -o 'written to [^ ]* (end[^)]*)' "$T/err")"
fi

# three requests 20 ms apart as soon as the recorder has the thread that
# takes them (it starts before the BPF load, which takes 0.2 s or more)
"$KTRAIL" record -o "$T/l.ktr" -d 4 --flight 30s --flight-size 4M 2>"$T/err" & R=$!
threads=1
for i in $(seq 200); do
	threads=$(ls /proc/$R/task 2>/dev/null | wc -l)
	[ "$threads" -ge 2 ] && break
	sleep 0.01
done
early=$(grep -c 'flight recorder written' "$T/err")
for i in 1 2 3; do
	kill -USR1 $R
	sleep 0.02
done
wait $R; rc=$?
if [ $rc = 0 ] && [ "$(nserved)" = 3 ] && [ "$early" = 0 ] && [ "$threads" -ge 2 ] &&
	! grep -q 'not served' "$T/err"; then
	kt_pass request_during_load "$(grep -o '(on request[^)]*)' "$T/err" | tr '\n' ' ')"
else
	kt_fail request_during_load "record exited $rc; $threads threads seen; 3 SIGUSR1 sent, $(nserved) served; $(grep -e written -e 'not served' "$T/err" | tr '\n' ' ' | cut -c1-400)"
fi

"$KTRAIL" record -q -o "$T/n.ktr" -e proc -d 2 2>"$T/nerr" & R=$!
sleep 1
kill -USR1 $R
wait $R; rc=$?
[ $rc = 0 ] && grep -q '^ktrail record: SIGUSR1 not served (1 request): only a flight recorder (--flight) writes a capture on request$' "$T/nerr" &&
	kt_pass request_without_flight "$(grep 'not served' "$T/nerr")" ||
	kt_fail request_without_flight "record exited $rc; stderr: $(head -c 300 "$T/nerr")"
