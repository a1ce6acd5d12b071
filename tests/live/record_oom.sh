#!/bin/bash
# OOM: a memory hog in a memory-limited cgroup (v1 memory controller where
# it is mounted, else cgroup v2 memory.max) is chosen as the victim: the
# capture holds the victim, its memory cgroup and its death by SIGKILL,
# and the SIGKILL's generation says the kernel sent it (si_code SI_KERNEL,
# 128), although its subject is the task that ran the OOM killer (here the
# victim itself).
. "$(dirname "$0")/lib/record.bash"
kt_init record_oom oom_victim oom_killed oom_sigkill_kernel
CG=kt-oom-$$
if [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
	DIR=/sys/fs/cgroup/memory/$CG
	mkdir "$DIR" && echo $((32 << 20)) >"$DIR/memory.limit_in_bytes"
else
	V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	DIR=$V2/$CG
	if ! grep -qw memory "$V2/cgroup.subtree_control" 2>/dev/null; then
		kt_skip oom_victim "no cgroup v1 memory controller and none enabled in cgroup v2"
		kt_skip oom_killed "no memory cgroup"
		kt_skip oom_sigkill_kernel "no memory cgroup"
		exit 0
	fi
	mkdir "$DIR" && echo $((32 << 20)) >"$DIR/memory.max" && echo 0 >"$DIR/memory.swap.max" 2>/dev/null
fi
kt_cleanup() { rmdir "$DIR" 2>/dev/null; :; }
cat >"$T/hog.sh" <<EOS
echo \$\$ >"$DIR/cgroup.procs" || exit 99
exec "$KT_TOOL" hog 512
EOS
"$KTRAIL" record -q -o "$T/o.ktr" -e oom,proc,signal -- sh "$T/hog.sh" >"$T/out" 2>"$T/err"
rc=$?
pid=$(awk '/^pid/{print $2}' "$T/out")
kt_dump "$T/o.ktr" >"$T/dump" 2>&1
v=$(awk -v p="$pid" '$5 == "oom_victim" && index($0, " victim_tid=" p " victim_pid=" p " ")' "$T/dump")
if [ -n "$pid" ] && echo "$v" | grep -q "memcg=/$CG victim_comm=kt-test-tool"; then
	kt_pass oom_victim
else
	kt_fail oom_victim "record exited $rc, hog pid '$pid'; victim events: '$(grep oom_victim "$T/dump" | head -2)' $(head -c 200 "$T/err")"
fi
x=$(awk -v p="$pid" '$5 == "proc_exit" && $3 == p && / exit_code=9 /' "$T/dump")
[ $rc = 137 ] && [ -n "$x" ] && kt_pass oom_killed || kt_fail oom_killed "record exited $rc (want 137), exit of $pid: '$x'"
k=$(awk -v p="$pid" '$5 == "signal_generate" && index($0, " target_tid=" p " target_pid=" p " signo=9 code=128 ")' "$T/dump")
[ -n "$pid" ] && [ -n "$k" ] && kt_pass oom_sigkill_kernel ||
	kt_fail oom_sigkill_kernel "no SIGKILL of $pid with code 128 (SI_KERNEL): $(grep signal_generate "$T/dump" | head -2)"
