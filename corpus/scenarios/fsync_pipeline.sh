#!/bin/bash
# fsync_pipeline.sh - records corpus/scenarios/fsync_pipeline.ktr: a
# three-process pipeline over unix sockets (kt-test-tool pipeline_fsync)
# whose middle stage fsyncs 4 MB on a journaled ext4 (an image on a loop
# device, itself a file on the disk) before forwarding request 3 of 6.
# Recorded on the whole host, because the chain runs through kernel
# threads (jbd2, writeback kworkers) and through cache flushes whose block
# records name no task, which a recorder scope (-p) would drop; then
# `kt-test-tool scenario_filter` keeps only the pipeline's processes, the
# kernel threads and the events that name no task, so that the file is
# small and holds nothing of the machine's other processes but tids.
# The capture holds the whole chain: front -> middle -> jbd2 -> disk.
# Also writes fsync_pipeline.ids with the pids the golden tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every pid
# and time, so the goldens (tests/cli/*fsync*, and the times named in
# tests/cli/why_at.sh and timeline_fsync_range.sh) must be regenerated.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
K=$top/ktrail
T=$top/build/kt-test-tool
out=$top/corpus/scenarios/fsync_pipeline
tmp=$(mktemp -d /tmp/kt-scenario.XXXXXX)
trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT

truncate -s 128M "$tmp/ext4.img"
mkfs.ext4 -q -F "$tmp/ext4.img"
mkdir "$tmp/mnt"
mount -o loop "$tmp/ext4.img" "$tmp/mnt"
loop=$(losetup -j "$tmp/ext4.img" | cut -d: -f1)
jbd2=$(ps -e -o pid=,comm= | awk -v n="jbd2/$(basename "$loop")-" 'index($2, n) == 1 { print $1 }')

"$T" pipeline_fsync "$tmp/mnt" 6 3 4096 "$tmp/go" >"$tmp/ids" &
wl=$!
until grep -q '^launcher=' "$tmp/ids"; do sleep 0.05; done
"$K" record -q -o "$tmp/host.ktr" &
rec=$!
sleep 1.5                       # attach
touch "$tmp/go"
wait $wl
sleep 0.2
kill -INT $rec
wait $rec
"$T" scenario_filter "$tmp/host.ktr" "$out.ktr" "$wl"
{ cat "$tmp/ids"; echo "jbd2=$jbd2"; } >"$out.ids"
ls -l "$out.ktr"
