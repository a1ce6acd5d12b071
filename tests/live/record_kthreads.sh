#!/bin/bash
# Kernel threads in a scoped recording: `record -- dd ... conv=fsync` of
# 8 MiB on the real disk.  The fsync's wait ends through kernel threads
# (a writeback kworker, jbd2, kblockd) that are outside the command's
# scope, yet the capture holds their scheduling: for every kernel thread
# that woke dd from task context, the switch that put it on its CPU
# before the wakeup (the last switch there puts it on) and the one that
# took it off after; the kernel threads are named, marked (children of
# kthreadd, 2), and the per-CPU switch sequence has no hole the capture
# does not report (kt-test-tool switchcheck).
. "$(dirname "$0")/lib/record.bash"
kt_init record_kthreads kthreads_wakers_switched kthreads_named kthreads_continuity
D=$KT_ROOT/build/live-kthreads.$$   # on the real disk, not tmpfs
mkdir -p "$D"
kt_cleanup() { rm -rf "$D"; }
if [ "$(stat -f -c %T "$D")" = tmpfs ]; then
	for c in wakers_switched named continuity; do kt_skip kthreads_$c "$D is on tmpfs"; done
	exit 0
fi
"$KTRAIL" record -q -o "$T/k.ktr" -e sched,proc,syscall -- \
	dd if=/dev/zero of="$D/f.bin" bs=1M count=8 conv=fsync status=none 2>"$T/err"
rc=$?
kt_dump "$T/k.ktr" >"$T/dump" 2>&1
"$KT_TOOL" tasks "$T/k.ktr" >"$T/tasks"
dd=$(awk '$5 == "proc_exec" { print $4; exit }' "$T/dump")
# kernel threads: kthreadd (2) and its children
awk '$1 == 2 || $3 == 2 { print $1 }' "$T/tasks" >"$T/kth"
res=$(awk -v dd="$dd" '
	FILENAME == ARGV[1] { kth[$1] = 1; next }
	{ for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
	$5 == "sched_switch" {
		on[$2] = f["next_tid"]
		if (($3 in want) && !($3 in out)) out[$3] = $1
		next
	}
	$5 == "sched_waking" && f["target_tid"] == dd && f["context"] == 0 && ($3 in kth) {
		n++
		if (on[$2] != $3) { print "waker " $3 " at " $1 " on cpu " $2 " not put on by a switch (last: " on[$2] ")"; bad = 1 }
		want[$3] = $1
	}
	END {
		for (k in want) if (!(k in out)) { print "waker " k " never switched out"; bad = 1 }
		if (!n) print "no kernel thread woke " dd " from task context"
		else if (!bad) print "ok " n
	}' "$T/kth" "$T/dump")
[ $rc = 0 ] && [ -n "$dd" ] && [ "${res%% *}" = ok ] && kt_pass kthreads_wakers_switched ||
	kt_fail kthreads_wakers_switched "record exited $rc, dd $dd: $res $(head -c 200 "$T/err")"
# every kernel thread with a switch has a name and the kthreadd mark
un=$(awk 'FILENAME == ARGV[1] { name[$1] = $4; pp[$1] = $3; next }
	$5 == "sched_switch" { sub("next_tid=", "", $7); t[$3] = 1; t[$7] = 1 }
	END { for (x in t) if (x != 0 && !(x in name)) print x }' "$T/tasks" "$T/dump" | head -3)
nk=$(awk 'FILENAME == ARGV[1] { k[$1] = 1; next } $5 == "sched_switch" && ($3 in k)' "$T/kth" "$T/dump" | wc -l)
[ -z "$un" ] && [ "$nk" -gt 0 ] && kt_pass kthreads_named ||
	kt_fail kthreads_named "$nk switches of kernel threads; tids without a name: '$un'"
sc=$("$KT_TOOL" switchcheck "$T/k.ktr" 2>&1); src=$?
[ $src = 0 ] && echo "$sc" | grep -q "scoped+kthreads" && kt_pass kthreads_continuity ||
	kt_fail kthreads_continuity "switchcheck exited $src: $(echo "$sc" | head -3 | tr '\n' ' ')"
