#!/bin/bash
# Disk full: `record` into a small tmpfs until it fills stops with one
# clear line (the file, "No space left on device", what the capture
# keeps) and exits 3; the capture reads (every whole block written before
# the failure: finalized when the end fit, otherwise by a scan and then
# `ktrail recover -o` elsewhere, the disk being full); and
# no BPF program, link or map of that recorder outlives it (the ids its
# fds held, from /proc/PID/fdinfo, are gone from `bpftool prog/link/map
# show`; nothing new is pinned under /sys/fs/bpf).
. "$(dirname "$0")/lib/record.bash"
kt_init record_diskfull diskfull_exit diskfull_readable diskfull_bpf_gone diskfull_timeline_tmp
M=$T/mnt
mkdir -p "$M"
kt_cleanup() {
	[ -n "${R:-}" ] && kill -KILL $R 2>/dev/null
	[ -n "${L:-}" ] && kill $L 2>/dev/null
	mountpoint -q "$M" && umount "$M"
	:
}
if ! command -v bpftool >/dev/null; then
	for c in diskfull_exit diskfull_readable diskfull_bpf_gone diskfull_timeline_tmp; do kt_skip $c "no bpftool"; done
	exit 0
fi
if ! mount -t tmpfs -o size=2m tmpfs "$M" 2>"$T/mount.err"; then
	for c in diskfull_exit diskfull_readable diskfull_bpf_gone diskfull_timeline_tmp; do
		kt_skip $c "cannot mount a tmpfs: $(cat "$T/mount.err")"
	done
	exit 0
fi
touch "$T/stamp"
# a load that fills 2 MB in a few seconds: syscalls of a busy loop
( end=$((SECONDS + 60)); while [ $SECONDS -lt $end ]; do cat /proc/self/stat >/dev/null; done ) & L=$!
"$KTRAIL" record -q -o "$M/full.ktr" -e sched,proc,syscall -d 60 2>"$T/err" & R=$!
# the BPF objects this recorder holds, from its fds, once it has started
# (its first frame: attached)
for i in $(seq 100); do
	"$KTRAIL" info --json "$M/full.ktr" 2>/dev/null | grep -q '"frames":[1-9]' && break
	sleep 0.05
done
cat /proc/$R/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print "prog", $2 } $1 == "link_id:" { print "link", $2 } $1 == "map_id:" { print "map", $2 }' | sort -u >"$T/ids"
wait $R; rc=$?; R=
kill $L 2>/dev/null; wait $L 2>/dev/null; L=
line=$(grep -v 'events were LOST' "$T/err")
[ $rc = 3 ] && [ "$(echo "$line" | wc -l)" = 1 ] &&
	echo "$line" | grep -q "^ktrail record: $M/full.ktr: No space left on device: recording stopped; the capture keeps what was written before$" &&
	kt_pass diskfull_exit || kt_fail diskfull_exit "exit $rc: $(cat "$T/err")"
# readable as it is (no partial block: cut back to the last whole one),
# then finalized by recover outside the full disk, or already complete
"$KTRAIL" info "$M/full.ktr" >"$T/info" 2>"$T/info.err"; irc=$?
"$KTRAIL" recover "$M/full.ktr" -o "$T/fixed.ktr" >"$T/rec" 2>&1; rrc=$?
fixed=$T/fixed.ktr
grep -q 'already complete' "$T/rec" && fixed=$M/full.ktr
# (no verify: on a whole-host recording a frame written when full can
# hold a switch to a task whose fork was among the events the full disk
# lost: verify's unknown_task, a finding of the cut, not of the disk)
"$KTRAIL" replay "$fixed" >/dev/null 2>&1; vrc=$?
ev=$(sed -n 's/^events: *\([0-9]*\).*/\1/p' "$T/info")
[ $irc = 0 ] && ! grep -q partial "$T/info.err" && [ $rrc = 0 ] && [ $vrc = 0 ] &&
	[ "${ev:-0}" -gt 1000 ] &&
	kt_pass diskfull_readable "$ev events kept in $(stat -c %s "$M/full.ktr") bytes; $(head -1 "$T/rec")" ||
	kt_fail diskfull_readable "info exit $irc ($(head -c 200 "$T/info.err")), recover exit $rrc ($(head -c 200 "$T/rec")), replay exit $vrc, $ev events"
# timeline's text with its temporary file on the full disk: exit 3, one
# line naming the directory and the reason (the smallest buffer spills)
TMPDIR=$M "$KTRAIL" timeline "$fixed" --buffer-size 64K >/dev/null 2>"$T/tl.err"; trc=$?
[ $trc = 3 ] && [ "$(cat "$T/tl.err")" = "ktrail timeline: $M: No space left on device" ] &&
	kt_pass diskfull_timeline_tmp ||
	kt_fail diskfull_timeline_tmp "exit $trc: $(head -c 300 "$T/tl.err")"
# the recorder's BPF objects are freed (asynchronously: wait up to 3 s)
left=
for i in $(seq 30); do
	bpftool prog show | sed -n 's/^\([0-9]*\): .*/prog \1/p' >"$T/now"
	bpftool link show | sed -n 's/^\([0-9]*\): .*/link \1/p' >>"$T/now"
	bpftool map show | sed -n 's/^\([0-9]*\): .*/map \1/p' >>"$T/now"
	left=$(sort -u "$T/now" | comm -12 - "$T/ids" | tr '\n' ' ')
	[ -z "$left" ] && break
	sleep 0.1
done
pinned=$(find /sys/fs/bpf -newer "$T/stamp" 2>/dev/null | tr '\n' ' ')
[ -s "$T/ids" ] && [ -z "$left" ] && [ -z "$pinned" ] &&
	kt_pass diskfull_bpf_gone "$(grep -c prog "$T/ids") programs, $(grep -c link "$T/ids") links, $(grep -c map "$T/ids") maps freed" ||
	kt_fail diskfull_bpf_gone "ids held: $(wc -l < "$T/ids"); still there: $left; pinned: $pinned"
