#!/bin/bash
# Process lifecycle: a child that execs sh and exits 7, one that execs sleep
# and is killed by SIGKILL: forks, execs with filename and argv, exit codes
# (status << 8 | termsig) with the group flag, the kill as a signal, and
# every tid of the capture named.
. "$(dirname "$0")/lib/record.bash"
kt_init record_proc proc_fork proc_exec proc_exit_code proc_killed proc_names
"$KTRAIL" record -q -o "$T/p.ktr" -e proc,signal,syscall,sched -- "$KT_TOOL" children >"$T/out" 2>"$T/err"
rc=$?
a=$(awk '/^exit7/{print $2}' "$T/out"); b=$(awk '/^killed/{print $2}' "$T/out"); p=$(awk '/^parent/{print $2}' "$T/out")
kt_dump "$T/p.ktr" >"$T/dump" 2>"$T/dump.err"
if [ $rc -ne 0 ] || [ -z "$a" ] || [ ! -s "$T/dump" ]; then
	for c in fork exec exit_code killed names; do
		kt_fail proc_$c "record exited $rc: $(head -c 300 "$T/err" "$T/dump.err")"
	done
	exit 0
fi
f=$(awk -v p=$p '$4 == p && $5 == "proc_fork"' "$T/dump")
if echo "$f" | grep -q "child_tid=$a child_pid=$a flags=2" &&
   echo "$f" | grep -q "child_tid=$b child_pid=$b flags=2"; then
	kt_pass proc_fork
else
	kt_fail proc_fork "no fork of $a and $b by $p: $(echo "$f" | head -3)"
fi
ea=$(awk -v p=$a '$4 == p && $5 == "proc_exec"' "$T/dump")
eb=$(awk -v p=$b '$4 == p && $5 == "proc_exec"' "$T/dump")
if echo "$ea" | grep -q 'filename=/bin/sh argv=sh\\x00-c\\x00exit\\x207\\x00 comm=sh' &&
   echo "$eb" | grep -q 'filename=/bin/sleep argv=sleep\\x0060\\x00 comm=sleep'; then
	kt_pass proc_exec
else
	kt_fail proc_exec "exec events: '$ea' '$eb'"
fi
xa=$(awk -v p=$a '$3 == p && $5 == "proc_exit"' "$T/dump")
[ "$xa" != "" ] && echo "$xa" | grep -q "exit_code=1792 flags=1" && kt_pass proc_exit_code ||
	kt_fail proc_exit_code "exit of $a: '$xa' (want exit_code=1792 = 7 << 8, flags=1)"
xb=$(awk -v p=$b '$3 == p && $5 == "proc_exit"' "$T/dump")
sg=$(awk -v p=$p -v t=$b '$3 == p && $5 == "signal_generate" && $0 ~ "target_tid=" t " " && / signo=9 /' "$T/dump")
if echo "$xb" | grep -q "exit_code=9 flags=1" && [ -n "$sg" ]; then
	kt_pass proc_killed
else
	kt_fail proc_killed "exit of $b: '$xb', SIGKILL from $p: '$sg'"
fi
# every tid that is the subject of an event has a name in the task table
"$KT_TOOL" tasks "$T/p.ktr" >"$T/tasks"
missing=$(kt_unnamed "$T/dump" "$T/tasks")
[ -z "$missing" ] && kt_pass proc_names || kt_fail proc_names "tids without a name: $missing"
