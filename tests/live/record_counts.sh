#!/bin/bash
# A workload whose truth is known exactly: N getppid calls, M files opened
# by name, K bytes written; its capture must show exactly those, for its
# pid, with zero drops; and record must exit with the command's status.
. "$(dirname "$0")/lib/record.bash"
kt_init record_counts counts_getppid counts_openat counts_write_bytes counts_no_drops counts_exit_status
N=20000 M=37 K=100000
D=$KT_ROOT/build/live-counts.$$   # on the real disk, not /tmp
mkdir -p "$D"
kt_cleanup() { rm -rf "$D"; }
"$KTRAIL" record -q -o "$T/c.ktr" -- "$KT_TOOL" known $N "$D" $M "$D/out.bin" $K >"$T/out" 2>"$T/err"
rc=$?
pid=$(awk '/^pid/{print $2}' "$T/out")
kt_dump "$T/c.ktr" >"$T/dump" 2>"$T/dump.err"
if [ $rc -ne 0 ] || [ -z "$pid" ] || [ ! -s "$T/dump" ]; then
	for c in getppid openat write_bytes no_drops exit_status; do
		kt_fail counts_$c "record exited $rc: $(head -c 300 "$T/err" "$T/dump.err")"
	done
	exit 0
fi
nr_getppid=$(kt_sysnr getppid) nr_openat=$(kt_sysnr openat) nr_write=$(kt_sysnr write)
n=$(awk -v p=$pid -v nr=$nr_getppid '$4 == p && $5 == "syscall" && $6 == "nr=" nr' "$T/dump" | wc -l)
[ "$n" = $N ] && kt_pass counts_getppid || kt_fail counts_getppid "$n getppid calls recorded for pid $pid, expected $N"
m=$(awk -v p=$pid -v nr=$nr_openat -v d="str=$D/kt-open-" '$4 == p && $5 == "syscall" && $6 == "nr=" nr && index($0, d) && $8 ~ /^ret=[0-9]+$/' "$T/dump" | grep -o "str=[^ ]*" | sort -u | wc -l)
[ "$m" = $M ] && kt_pass counts_openat || kt_fail counts_openat "$m distinct files opened, expected $M"
# bytes written to out.bin: writes on the fd its openat returned
fd=$(awk -v p=$pid -v f="str=$D/out.bin" '$4 == p && $5 == "syscall" && index($0, f) { sub("ret=", "", $8); print $8 }' "$T/dump" | tail -1)
k=$(awk -v p=$pid -v nr=$nr_write -v fd="arg0=$fd" '$4 == p && $5 == "syscall" && $6 == "nr=" nr && $9 == fd { sub("ret=", "", $8); s += $8 } END { print s + 0 }' "$T/dump")
[ "$k" = $K ] && kt_pass counts_write_bytes || kt_fail counts_write_bytes "$k bytes written on fd $fd, expected $K"
# no drop of the recorder's (switch gaps are the kernel's: kt_drops)
drops=$(kt_drops "$T/c.ktr")
nlost=$(grep " lost " "$T/dump" | grep -vc " cause=2 ")
[ -z "$drops" ] && [ "$nlost" = 0 ] && kt_pass counts_no_drops || kt_fail counts_no_drops "lost: '$drops', $nlost KT_LOST events other than switch gaps"
"$KTRAIL" record -q -o "$T/e.ktr" -e proc -- sh -c 'exit 7'; a=$?
"$KTRAIL" record -q -o "$T/e2.ktr" -e proc -- sh -c 'kill -9 $$'; b=$?
[ $a = 7 ] && [ $b = 137 ] && kt_pass counts_exit_status || kt_fail counts_exit_status "exit 7 gave $a, SIGKILL gave $b (want 7, 137)"
