#!/bin/bash
# live/why_fsync_pipeline_{disk,jbd2}: a three-process pipeline over unix
# sockets whose middle stage fsyncs a file before forwarding one request,
# recorded with the real recorder (whole host, so that the kernel threads
# doing the I/O are in the capture).  `ktrail why --slowest` on the front
# process must pick the read of that request, walk through the middle
# stage and name its disk I/O as the root cause.
#   disk: the file is on the machine's disk (/dev/vda); when that file
#         system has a journal, the chain must go through jbd2.
#   jbd2: the file is on a journaled ext4 image on a loop device (itself
#         a file on the disk): fsync -> jbd2 -> disk, always.
. "$(dirname "$0")/why_lib.bash"
why_need_bpf why_fsync_pipeline_disk why_fsync_pipeline_jbd2

# run_case NAME DIR NEED_JBD2
run_case() {
	local name=$1 dir=$2 jbd2=$3 cap=$WHY_TMP/$1.ktr front middle bad=
	why_record_host "$cap" "$KT_TOOL" pipeline_fsync "$dir" 10 5 16384
	front=$(why_field "$cap.out" front)
	middle=$(why_field "$cap.out" middle)
	if [ -z "$front" ] || [ -z "$middle" ]; then
		why_result "$name" "the workload printed no pids" "$cap.err"
		return
	fi
	"$KTRAIL" why "$cap" --pid "$front" --slowest >"$cap.why" 2>&1 ||
		bad="ktrail why exited $?"
	if [ -z "$bad" ] && ! grep -q "^why: read(.* by [^ ]*/$front (pid $front)" "$cap.why"; then
		bad="the slowest span is not the front's read"
	elif [ -z "$bad" ] && ! grep -q "^root cause: disk I/O on " "$cap.why"; then
		bad="the root cause is not the disk: $(grep '^root cause' "$cap.why")"
	elif [ -z "$bad" ] && ! grep -A3 "^root cause" "$cap.why" |
			grep "reached through" | grep -qE "/$middle( |$)"; then
		bad="the chain to the root does not go through the middle stage ($middle)"
	elif [ -z "$bad" ] && [ "$jbd2" = 1 ] &&
	     ! grep -A3 "^root cause" "$cap.why" | grep "reached through" | grep -q " jbd2/"; then
		bad="the chain to the root does not go through jbd2"
	fi
	why_result "$name" "$bad" "$cap.why"
}

# the machine's disk: expect jbd2 when its file system has a journal
dev=$(df --output=source "$WHY_TMP" | tail -1)
case $(df --output=fstype "$WHY_TMP" | tail -1) in
tmpfs|ramfs) echo "SKIP live/why_fsync_pipeline_disk: $WHY_TMP is not on a disk" ;;
*)
	need=0
	ls -d /proc/fs/jbd2/"$(basename "$dev")"-* >/dev/null 2>&1 && need=1
	run_case why_fsync_pipeline_disk "$WHY_TMP" $need
	;;
esac

# a journaled ext4 on a loop device
if ! command -v mkfs.ext4 >/dev/null || ! command -v losetup >/dev/null; then
	echo "SKIP live/why_fsync_pipeline_jbd2: mkfs.ext4 or losetup missing"
	exit 0
fi
truncate -s 128M "$WHY_TMP/ext4.img" && mkfs.ext4 -q -F "$WHY_TMP/ext4.img" &&
	mkdir -p "$WHY_TMP/mnt" || {
	echo "FAIL live/why_fsync_pipeline_jbd2: cannot make the ext4 image"
	exit 0
}
if ! mount -o loop "$WHY_TMP/ext4.img" "$WHY_TMP/mnt" 2>"$WHY_TMP/mount.err"; then
	echo "SKIP live/why_fsync_pipeline_jbd2: cannot loop-mount: $(head -1 "$WHY_TMP/mount.err")"
	exit 0
fi
WHY_CLEANUP+=("umount '$WHY_TMP/mnt'")
run_case why_fsync_pipeline_jbd2 "$WHY_TMP/mnt" 1
