#!/bin/bash
# fsync_pipeline.sh - records corpus/scenarios/fsync_pipeline.ktr: a
# three-process pipeline over unix sockets (kt-test-tool pipeline_fsync)
# whose middle stage fsyncs 4 MB on a journaled ext4 (an image on a loop
# device, itself a file on the disk) before forwarding request 3 of 6.
# Recorded as a user would, `ktrail record -- CMD`: the recorder keeps the
# kernel threads the chain runs through (jbd2, writeback kworkers) in
# every scope, so the capture holds the whole chain: front -> middle ->
# jbd2 -> disk.  Also writes fsync_pipeline.ids with the pids the golden
# tests use.
#
# Run as root from anywhere, after `make test-bins`; it replaces the
# files.  The capture is a fixed file: re-recording changes every pid
# and time, so the goldens (tests/cli/*fsync*, and the times named in
# tests/cli/why_at.sh and timeline_fsync_range.sh) must be regenerated.
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios/fsync_pipeline
tmp=$(mktemp -d /tmp/kt-scenario.XXXXXX)
trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT

truncate -s 128M "$tmp/ext4.img"
mkfs.ext4 -q -F "$tmp/ext4.img"
mkdir "$tmp/mnt"
mount -o loop "$tmp/ext4.img" "$tmp/mnt"
loop=$(losetup -j "$tmp/ext4.img" | cut -d: -f1)
jbd2=$(ps -e -o pid=,comm= | awk -v n="jbd2/$(basename "$loop")-" 'index($2, n) == 1 { print $1 }')
sync
corpus_record "$out.ktr" "$tmp/ids" -- "$T" pipeline_fsync "$tmp/mnt" 6 3 4096
front=$(sed -n 's/^front=//p' "$tmp/ids")
launcher=$("$T" tasks "$out.ktr" | awk -v f="$front" '$1 == f { print $3; exit }')
{ echo "launcher=$launcher"; cat "$tmp/ids"; echo "jbd2=$jbd2"; } >"$out.ids"
ls -l "$out.ktr"
