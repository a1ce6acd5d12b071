#!/bin/bash
# Block requests: dd with O_DIRECT on the real disk (not tmpfs) writes 16
# blocks of 64 KiB; the capture holds write requests issued by dd on the
# file's disk, with their bytes, sector and a service time, each matched
# issue -> completion in the kernel; the metadata names that disk
# (host.disks "MAJOR:MINOR" -> name, from /proc/partitions).
. "$(dirname "$0")/lib/record.bash"
kt_init record_block block_dd_bytes block_dd_device block_disk_name block_latency block_flush_scoped
D=$KT_ROOT/build/live-block.$$
mkdir -p "$D"
kt_cleanup() { rm -rf "$D"; }
if [ "$(stat -f -c %T "$D")" = tmpfs ]; then
	for c in dd_bytes dd_device disk_name latency flush_scoped; do kt_skip block_$c "$D is on tmpfs"; done
	exit 0
fi
"$KTRAIL" record -q -o "$T/b.ktr" -e block,proc -- dd if=/dev/zero of="$D/dd.bin" bs=64k count=16 oflag=direct status=none 2>"$T/err"
rc=$?
kt_dump "$T/b.ktr" >"$T/dump" 2>&1
pid=$(awk '$5 == "proc_exec" && / filename=[^ ]*\/?dd / { print $4; exit }' "$T/dump")
[ -z "$pid" ] && pid=$(awk '$5 == "proc_exec" { print $4; exit }' "$T/dump")
# REQ_OP_WRITE = 1 in the low 8 bits of op
w=$(awk -v p="$pid" '$5 == "block_rq" && $4 == p { for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["op"] % 256 == 1) print }' "$T/dump")
bytes=$(echo "$w" | awk '{ for (i = 6; i <= NF; i++) if ($i ~ /^bytes=/) { sub("bytes=", "", $i); s += $i } } END { print s + 0 }')
n=$(echo "$w" | grep -c block_rq)
if [ $rc = 0 ] && [ "$bytes" -ge $((16 * 65536)) ] && [ "$n" -ge 16 ]; then
	kt_pass block_dd_bytes
else
	kt_fail block_dd_bytes "record exited $rc; $n write requests by dd (pid $pid) with $bytes bytes, want >= 16 and >= $((16 * 65536)): $(head -c 200 "$T/err")"
fi
# the file's disk, as the kernel's dev_t (major << 20 | minor)
dev=$(stat -c %d "$D/dd.bin")
maj=$(( (dev >> 8) & 0xfff )) min=$(( (dev & 0xff) | ((dev >> 12) & 0xfff00) ))
if [ -e /sys/dev/block/$maj:$min/partition ]; then
	IFS=: read maj min <"$(dirname "$(readlink -f /sys/dev/block/$maj:$min)")/dev"
fi
want=$(( (maj << 20) | min ))
other=$(echo "$w" | grep -v " dev=$want " | head -1)
[ -n "$w" ] && [ -z "$other" ] && kt_pass block_dd_device || kt_fail block_dd_device "requests not on dev $want ($maj:$min): '$other'"
name=$(kt_meta "$T/b.ktr" "host.disks.$maj:$min")
[ -n "$name" ] && [ "$name" != None ] && [ -e "/sys/block/$name" ] && kt_pass block_disk_name ||
	kt_fail block_disk_name "host.disks has no name for $maj:$min: '$name' ($(kt_meta "$T/b.ktr" host.disks))"
bad=$(echo "$w" | awk '{ for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["service_ns"] <= 0 || f["service_ns"] > 10000000000 || f["flags"] != 0 || f["error"] != 0) print }' | head -1)
[ -n "$w" ] && [ -z "$bad" ] && kt_pass block_latency || kt_fail block_latency "a request without a sane service time: '$bad'"

# A scoped capture of a buffered write + fsync on a disk with a volatile
# cache: the cache flush's own request (never issued: KT_BLOCK_FROM_ALLOC
# = 2) is recorded with its time from allocation, and without an issuer
# (it completes in interrupt context), so that dd's wait ends on the disk.
wc=$(cat "/sys/dev/block/$maj:$min/queue/write_cache" 2>/dev/null)
if [ "$wc" = "write back" ]; then
	"$KTRAIL" record -q -o "$T/f.ktr" -e block,proc -- dd if=/dev/zero of="$D/f.bin" bs=4k count=64 conv=fsync status=none 2>"$T/err"
	rc=$?
	kt_dump "$T/f.ktr" >"$T/fdump" 2>&1
	fl=$(awk -v d=$want '$5 == "block_rq" { for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["dev"] == d && int(f["flags"] / 2) % 2 == 1 && f["service_ns"] > 0 && $3 == 0) print }' "$T/fdump" | head -1)
	[ $rc = 0 ] && [ -n "$fl" ] && kt_pass block_flush_scoped ||
		kt_fail block_flush_scoped "record exited $rc; no flush request (flags & 2, service > 0, tid 0) on dev $want in $(grep -c block_rq "$T/fdump") requests"
else
	kt_skip block_flush_scoped "$maj:$min has no volatile write cache ('$wc')"
fi
