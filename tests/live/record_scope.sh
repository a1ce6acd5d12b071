#!/bin/bash
# Scope, filtered in the kernel: -p PID, -- CMD and --cgroup captures hold
# no other process's events (a switch to, or a wakeup or signal of, a task
# in scope is kept: its subject is the other task, which is then named;
# the scheduling of kernel threads is in every scope, with their forks,
# names and exits, and the snapshot holds them);
# a host-wide capture never records ktrail itself (but for switches,
# wakeups and migrations of other tasks, which their timelines need) and
# names every thread; cgroup v1 paths are refused.  A process that joins
# the cgroup from outside while recording is recorded from its first
# switch out on, and the switch in that was filtered is reported as lost.
. "$(dirname "$0")/lib/record.bash"
kt_init record_scope scope_pid scope_pid_snapshot scope_cmd scope_marks scope_cgroup scope_cgroup_late scope_cgroup_v1 scope_self scope_host_names scope_host_snapshot
V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CG=kt-scope-$$
kids=
kt_cleanup() {
	for k in $kids; do kill $k 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$V2" ] && rmdir "$V2/$CG" 2>/dev/null
	:
}
# outsiders: "pid pid..." allowed; prints the first foreign event
# (a KT_PROC_COMM naming a task that another kept event refers to is kept,
# and so are block requests without an issuer)
foreign() { # DUMP PIDS CAPTURE
	"$KT_TOOL" tasks "$3" | awk '$3 == 2 || $1 == 2 { print $1 }' >"$T/kthreads"
	awk -v set=" $2 " '
	function in_set(p) { return index(set, " " p " ") > 0 }
	FILENAME == ARGV[1] { kth[$1] = 1; next }
	FILENAME == ARGV[2] && $5 != "proc_comm" { ref[$3] = 1; for (i = 6; i <= NF; i++) if ($i ~ /^(next|target)_tid=/) { split($i, kv, "="); ref[kv[2]] = 1 } }
	FILENAME == ARGV[2] { next }
	{ for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
	$5 == "clock_sync" || $5 == "lost" { next }
	($5 ~ /^sched_/ || $5 ~ /^proc_(fork|comm|exit)$/) && (($3 in kth) || (f["next_tid"] in kth) || (f["target_tid"] in kth)) { next }
	$5 == "block_rq" && $3 == 0 { next }    # a request without its (out of scope) issuer
	$5 == "proc_comm" && ($3 in ref) { next }
	in_set($4) { next }
	$5 == "sched_switch" && in_set(f["next_pid"]) { next }
	($5 == "sched_waking" || $5 == "sched_wakeup_new" || $5 == "sched_migrate" || $5 == "signal_generate") && in_set(f["target_pid"]) { next }
	{ print; exit }' "$T/kthreads" "$1" "$1"
}
count() { awk -v p=$2 '$4 == p' "$1" | wc -l; }

"$KT_TOOL" steady 30 >"$T/noise.out" & kids="$kids $!"
"$KT_TOOL" steady 30 >"$T/in.out" & P=$!; kids="$kids $P"
sleep 0.2
"$KTRAIL" record -q -o "$T/p.ktr" -p $P -d 1 2>"$T/err"; rc=$?
kt_dump "$T/p.ktr" >"$T/dump" 2>&1
f=$(foreign "$T/dump" "$P" "$T/p.ktr"); n=$(count "$T/dump" $P)
[ $rc = 0 ] && [ "$n" -gt 1000 ] && [ -z "$f" ] && kt_pass scope_pid ||
	kt_fail scope_pid "record exited $rc, $n events of $P, foreign: '$f' $(head -c 200 "$T/err")"
# the /proc snapshot holds the processes in scope and the kernel threads
# (kthreadd, 2, and its children), no others
"$KT_TOOL" tasks "$T/p.ktr" --snapshot >"$T/snap"
o=$(awk -v p=$P '$2 != p && $1 != 2 && $3 != 2' "$T/snap" | head -1)
nk=$(awk '$1 == 2 || $3 == 2' "$T/snap" | wc -l)
[ "$(awk -v p=$P '$2 == p' "$T/snap" | wc -l)" -ge 1 ] && [ "$nk" -ge 2 ] && [ -z "$o" ] && kt_pass scope_pid_snapshot ||
	kt_fail scope_pid_snapshot "snapshot of a -p $P capture: $(wc -l <"$T/snap") tasks, $nk kernel threads, first foreign: '$o'"

"$KTRAIL" record -q -o "$T/c.ktr" -- sh -c "\"$KT_TOOL\" getppid 1000 >/dev/null; \"$KT_TOOL\" getppid 10 >/dev/null" 2>"$T/err"; rc=$?
kt_dump "$T/c.ktr" >"$T/dump" 2>&1
root=$(awk '$5 == "proc_exec" { print $4; exit }' "$T/dump")
# the command and its descendants, transitively (forks come in time order)
set=" $(awk -v r=$root 'BEGIN { in_[r] = 1; print r } $5 == "proc_fork" && ($4 in in_) { sub("child_pid=", "", $7); if (!($7 in in_)) print $7; in_[$7] = 1 }' "$T/dump" | tr '\n' ' ')"
execs=$(awk '$5 == "proc_exec"' "$T/dump" | wc -l)
f=$(foreign "$T/dump" "$set" "$T/c.ktr")
[ $rc = 0 ] && [ "$execs" = 3 ] && [ -z "$f" ] && kt_pass scope_cmd ||
	kt_fail scope_cmd "record exited $rc, $execs execs (want 3: sh and two kt-test-tool), processes '$set', foreign: '$f'"
# the scope is marked: a fork that follows its child into the scope says
# so (KT_FORK_INSCOPE, 0x2), one that does not (-p without --follow) not
cin=$(awk '$5 == "proc_fork" && !/flags=[0-9]*[2367]( |$)/' "$T/dump" | head -1)
sh -c 'sleep 0.3; for i in 1 2 3; do /bin/true; done; sleep 0.3' & Q=$!; kids="$kids $Q"
"$KTRAIL" record -q -o "$T/q.ktr" -p $Q -d 0.5 2>"$T/err"
kt_dump "$T/q.ktr" >"$T/qdump" 2>&1
qf=$(awk -v p=$Q '$5 == "proc_fork" && $4 == p' "$T/qdump" | wc -l)
qin=$(awk -v p=$Q '$5 == "proc_fork" && $4 == p && /flags=[0-9]*[2367]( |$)/' "$T/qdump" | head -1)
[ -z "$cin" ] && [ "$qf" -ge 1 ] && [ -z "$qin" ] && kt_pass scope_marks ||
	kt_fail scope_marks "-- CMD fork not marked in scope: '$cin'; -p without --follow: $qf forks, marked in scope: '$qin'"

if [ -n "$V2" ] && mkdir "$V2/$CG" 2>/dev/null; then
	"$KT_TOOL" steady 30 >"$T/cg.out" & C=$!; kids="$kids $C"
	echo $C >"$V2/$CG/cgroup.procs"
	"$KTRAIL" record -q -o "$T/g.ktr" --cgroup "/$CG" -d 1 2>"$T/err"; rc=$?
	kt_dump "$T/g.ktr" >"$T/dump" 2>&1
	f=$(foreign "$T/dump" "$C" "$T/g.ktr"); n=$(count "$T/dump" $C)
	[ $rc = 0 ] && [ "$n" -gt 1000 ] && [ -z "$f" ] && kt_pass scope_cgroup ||
		kt_fail scope_cgroup "record exited $rc, $n events of $C, foreign: '$f' $(head -c 200 "$T/err")"
	# a process moved into the cgroup from outside while recording: its
	# switches in and out are recorded from its first switch out on, and
	# the one switch in that the filter dropped is reported (KT_LOST
	# cause filtered = 3, subject the process)
	"$KT_TOOL" steady 30 >"$T/late.out" & L=$!; kids="$kids $L"
	"$KTRAIL" record -q -o "$T/l.ktr" --cgroup "/$CG" -d 1.5 2>"$T/err" & R=$!
	sleep 0.5
	echo $L >"$V2/$CG/cgroup.procs"
	wait $R; rc=$?
	kt_dump "$T/l.ktr" >"$T/dump" 2>&1
	# switches from and to tasks out of scope (not the other process in
	# the cgroup, $C): only there because $L itself is in scope
	sin=$(awk -v p=$L -v c=$C '$5 == "sched_switch" && $4 != c && index($0, " next_pid=" p " ")' "$T/dump" | wc -l)
	sout=$(awk -v p=$L -v c=$C '$5 == "sched_switch" && $4 == p && !index($0, " next_pid=" c " ")' "$T/dump" | wc -l)
	fl=$(awk -v p=$L '$5 == "lost" && $4 == p && / cause=3 /' "$T/dump" | wc -l)
	[ $rc = 0 ] && [ "$sin" -gt 100 ] && [ "$sout" -gt 100 ] && [ "$fl" -ge 1 ] && kt_pass scope_cgroup_late ||
		kt_fail scope_cgroup_late "record exited $rc; $L joined late: $sin switches in, $sout out, $fl filtered losses reported"
else
	kt_skip scope_cgroup "no writable cgroup v2 hierarchy"
	kt_skip scope_cgroup_late "no writable cgroup v2 hierarchy"
fi
v1=$(awk '$3 == "cgroup" { print $2; exit }' /proc/self/mounts)
if [ -n "$v1" ]; then
	"$KTRAIL" record -q -o "$T/v1.ktr" --cgroup "$v1" -d 1 2>"$T/err"; rc=$?
	[ $rc = 2 ] && grep -q "cgroup v1" "$T/err" && kt_pass scope_cgroup_v1 ||
		kt_fail scope_cgroup_v1 "--cgroup $v1 exited $rc: $(cat "$T/err")"
else
	kt_skip scope_cgroup_v1 "no cgroup v1 hierarchy mounted"
fi

"$KTRAIL" record -q -o "$T/h.ktr" -d 1 & K=$!
wait $K; rc=$?
kt_dump "$T/h.ktr" >"$T/dump" 2>&1
s=$(awk -v k=$K '$4 == k && $5 !~ /^(sched_(switch|waking|wakeup_new|migrate)|proc_comm)$/' "$T/dump" | head -1)
n=$(count "$T/dump" $P)
[ $rc = 0 ] && [ "$n" -gt 1000 ] && [ -z "$s" ] && kt_pass scope_self ||
	kt_fail scope_self "record exited $rc, $n events of $P; ktrail ($K) recorded: '$s'"
"$KT_TOOL" tasks "$T/h.ktr" >"$T/tasks"
missing=$(kt_unnamed "$T/dump" "$T/tasks")
[ -s "$T/tasks" ] && [ -z "$missing" ] && kt_pass scope_host_names || kt_fail scope_host_names "tids without a name: $missing"
"$KT_TOOL" tasks "$T/h.ktr" --snapshot >"$T/snap"
[ "$(awk -v p=$P '$2 == p' "$T/snap" | wc -l)" -ge 1 ] && [ "$(awk -v p=1 '$2 == p' "$T/snap" | wc -l)" -ge 1 ] &&
	kt_pass scope_host_snapshot || kt_fail scope_host_snapshot "the host snapshot lacks $P or init: $(wc -l <"$T/snap") tasks"
