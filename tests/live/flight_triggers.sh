#!/bin/bash
# Flight dumps say what wrote them (issue 14, "Load"): flight.trigger in
# the metadata, the message that announces the dump, and `info` name the
# trigger: exit!=0 with the pid and code of the exit event the dump holds,
# the end of the command with its pid and code, signal=N with the target,
# a SIGUSR1 request, and an OOM kill in a memory cgroup limited to 32 MiB
# (made here, removed at exit) with the victim's pid.
. "$(dirname "$0")/lib/record.bash"
kt_init flight_triggers trigger_exit trigger_end trigger_signal trigger_request trigger_oom
CGDIR=
kt_cleanup() { [ -z "$CGDIR" ] || rmdir "$CGDIR" 2>/dev/null; }

# trig FILE: "kind pid code signal reason" of flight.trigger
trig() {
	"$KT_TOOL" meta "$1" 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin).get("flight", {}).get("trigger", {})
print(t.get("kind", "-"), t.get("pid", "-"), t.get("code", "-"), t.get("signal", "-"), t.get("reason", "-"))' 2>&1
}

"$KTRAIL" record -o "$T/e.ktr" -e proc,syscall --flight 2s --trigger 'exit!=0' -- \
	sh -c "sh -c 'exit 3'; sleep 1.5; exit 4" >"$T/eout" 2>"$T/eerr"; rc=$?
# the exit event of the dump: its pid
xp=$(kt_dump "$T/e.ktr" 2>&1 | awk '$5 == "proc_exit" && / exit_code=768 / { print $4; exit }')
t0=$(trig "$T/e.ktr")
msg=$(grep "written to $T/e.ktr (" "$T/eerr")
inf=$("$KTRAIL" info "$T/e.ktr" 2>&1 | grep '^flight:')
if [ $rc = 4 ] && [ -n "$xp" ] && [ "$t0" = "exit $xp 3 - -" ] &&
	echo "$msg" | grep -q "(trigger exit!=0: pid $xp exited with code 3)$" &&
	echo "$inf" | grep -q "written by trigger exit!=0: pid $xp exited with code 3"; then
	kt_pass trigger_exit "$inf"
else
	kt_fail trigger_exit "record exited $rc; exit event pid '$xp'; flight.trigger '$t0'; message '$msg'; info '$inf'"
fi

# the command's own exit 4 is a trigger too (FILE.1, written before the
# recording ends); the last dump, FILE.2: the end of the command
t1=$(trig "$T/e.ktr.1"); t2=$(trig "$T/e.ktr.2")
cp=$(kt_dump "$T/e.ktr.2" 2>&1 | awk '$5 == "proc_exit" && / exit_code=1024 / { print $4; exit }')
msg=$(grep "written to $T/e.ktr.2 (" "$T/eerr")
inf=$("$KTRAIL" info "$T/e.ktr.2" 2>&1 | grep '^flight:')
if [ -n "$cp" ] && [ "$t1" = "exit $cp 4 - -" ] && [ "$t2" = "end $cp 4 - command" ] &&
	echo "$msg" | grep -q "(end of the command: pid $cp exited with code 4)$" &&
	echo "$inf" | grep -q "written by end of the command: pid $cp exited with code 4"; then
	kt_pass trigger_end "$inf"
else
	kt_fail trigger_end "command pid '$cp'; flight.trigger '$t1' then '$t2'; message '$msg'; info '$inf'"
fi

"$KTRAIL" record -o "$T/s.ktr" -e signal,proc --flight 5s --trigger signal=12 -- \
	sh -c 'trap "" USR2; sleep 0.3; kill -USR2 $$; sleep 1.6' >/dev/null 2>"$T/serr"; rc=$?
tp=$(kt_dump "$T/s.ktr" 2>&1 | awk '$5 == "signal_generate" && / signo=12 / { for (i = 6; i <= NF; i++) if ($i ~ /^target_pid=/) { sub(/target_pid=/, "", $i); print $i; exit } }')
t2=$(trig "$T/s.ktr")
msg=$(grep "written to $T/s.ktr (" "$T/serr")
[ $rc = 0 ] && [ -n "$tp" ] && [ "$t2" = "signal $tp - 12 -" ] &&
	echo "$msg" | grep -q "(trigger signal=12: sent to pid $tp by pid $tp)$" &&
	kt_pass trigger_signal "$msg" ||
	kt_fail trigger_signal "record exited $rc; target '$tp'; flight.trigger '$t2'; message '$msg'"

"$KTRAIL" record -o "$T/u.ktr" -e syscall --flight 2s -d 2.5 >/dev/null 2>"$T/uerr" & R=$!
sleep 1.2
kill -USR1 $R
wait $R; rc=$?
t3=$(trig "$T/u.ktr"); t4=$(trig "$T/u.ktr.1")
[ $rc = 0 ] && [ "$t3" = "request $R - 10 -" ] && [ "$t4" = "end - - - duration" ] &&
	grep -q "written to $T/u.ktr (on request: SIGUSR1)$" "$T/uerr" &&
	grep -q "written to $T/u.ktr.1 (end of the recording: duration)$" "$T/uerr" &&
	kt_pass trigger_request "$t3; $t4" ||
	kt_fail trigger_request "record exited $rc; flight.trigger '$t3' then '$t4'; $(grep written "$T/uerr" | tr '\n' ' ')"

# OOM: a memory cgroup (v1 here, or v2 with the controller enabled)
if [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
	CGDIR=/sys/fs/cgroup/memory/kt-flight-oom-$$
	mkdir "$CGDIR" && echo $((32 << 20)) >"$CGDIR/memory.limit_in_bytes" || CGDIR=
	[ -z "$CGDIR" ] || echo 0 >"$CGDIR/memory.swappiness" 2>/dev/null
else
	V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -n "$V2" ] && grep -qw memory "$V2/cgroup.subtree_control" 2>/dev/null; then
		CGDIR=$V2/kt-flight-oom-$$
		mkdir "$CGDIR" && echo $((32 << 20)) >"$CGDIR/memory.max" || CGDIR=
		[ -z "$CGDIR" ] || echo 0 >"$CGDIR/memory.swap.max" 2>/dev/null
	fi
fi
if [ -z "$CGDIR" ]; then
	kt_skip trigger_oom "no memory cgroup to limit"
else
	"$KTRAIL" record -o "$T/o.ktr" -e proc,oom,signal --flight 5s --trigger oom -- \
		"$KT_TOOL" truth_oom "$T/otruth" "$CGDIR" 512 >/dev/null 2>"$T/oerr"; rc=$?
	vp=$(kt_dump "$T/o.ktr" 2>&1 | awk '$5 == "oom_victim" { for (i = 6; i <= NF; i++) if ($i ~ /^victim_pid=/) { sub(/victim_pid=/, "", $i); print $i; exit } }')
	t5=$(trig "$T/o.ktr")
	msg=$(grep "written to $T/o.ktr (" "$T/oerr")
	[ -n "$vp" ] && [ "$t5" = "oom $vp - - -" ] &&
		echo "$msg" | grep -q "(trigger oom: victim pid $vp)$" &&
		kt_pass trigger_oom "$msg" ||
		kt_fail trigger_oom "record exited $rc; victim '$vp'; flight.trigger '$t5'; message '$msg'; $(head -c 300 "$T/oerr")"
fi
