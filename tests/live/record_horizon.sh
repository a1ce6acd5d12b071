#!/bin/bash
# What a flush promises (docs/record.md "KT_CLOCK_SYNC"): every event
# older than a KT_CLOCK_SYNC is written by the flush that follows it, so
# a recorder killed after any frame loses no event older than the last
# clock_sync kept (`recovered.flushed_ns`, where verify's cut begins).
# The clock_sync was the tick's time, and the rings still held events
# from before it (those committed after the drain, those of a CPU whose
# ring the drain had already passed): live/record_kill found a fork that
# verify called a violation.  Here, a recording of a fork workload is cut
# after each of its frames as a SIGKILL would leave it; recovered, each
# cut holds every event of the whole capture older than its flushed_ns.
. "$(dirname "$0")/lib/record.bash"
kt_init record_horizon horizon_cuts horizon_every_event

"$KTRAIL" record -q -o "$T/c.ktr" -e sched,proc,syscall -- \
	"$KT_TOOL" markers 3500 fork "$T/truth" >/dev/null 2>"$T/rec.err"
rc=$?
kt_dump "$T/c.ktr" | sort >"$T/full" || rc=9
# cut after each frame: at the next block's offset
"$KT_TOOL" blocks "$T/c.ktr" | awk '
	prev == "frame" { print $1 } { prev = $2 }' >"$T/cuts"
ncut=0 bad= fewest=
while read -r at; do
	head -c "$at" "$T/c.ktr" >"$T/p.ktr"
	"$KTRAIL" recover "$T/p.ktr" >/dev/null 2>&1 || continue
	f=$(kt_meta "$T/p.ktr" recovered.flushed_ns)
	case $f in [0-9]*) ;; *) continue ;; esac
	ncut=$((ncut + 1))
	kt_dump "$T/p.ktr" | sort >"$T/part"
	# the whole capture's events older than the flush, missing from it
	awk -v f="$f" '$1 < f' "$T/full" | comm -23 - "$T/part" >"$T/missing"
	if [ -s "$T/missing" ]; then
		bad="$bad cut at byte $at (flushed_ns $f): $(wc -l <"$T/missing") missing, the first: $(head -1 "$T/missing" | cut -c1-120);"
	fi
done <"$T/cuts"
if [ $rc = 0 ] && [ "$ncut" -ge 3 ]; then
	kt_pass horizon_cuts "$ncut cuts after a frame, each recovered with its flushed_ns"
else
	kt_fail horizon_cuts "record exited $rc, $ncut cuts recovered (want 3 or more): $(head -c 300 "$T/rec.err")"
fi
[ "$ncut" -ge 3 ] && [ -z "$bad" ] &&
	kt_pass horizon_every_event "each holds every event older than its flushed_ns" ||
	kt_fail horizon_every_event "${bad:-no cuts}"
