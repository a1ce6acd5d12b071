#!/bin/bash
# Signals: a parent sends SIGUSR1 to its child; the capture holds the
# generation (subject: the sender, with the target) and the delivery
# (subject: the target), in that order.  Who sent a signal is told by its
# si_code: 0 (SI_USER) or below from a task (kill, tkill, sigqueue), above
# 0 from the kernel (SI_KERNEL 128, a fault's SEGV_MAPERR 1, CLD_* of a
# SIGCHLD), whatever task was current: a fault's SIGSEGV has the faulting
# task as subject and target.
. "$(dirname "$0")/lib/record.bash"
kt_init record_signal signal_generate signal_deliver signal_user_code signal_kernel_code
"$KTRAIL" record -q -o "$T/s.ktr" -e signal,proc -- "$KT_TOOL" signal >"$T/out" 2>"$T/err"
rc=$?
s=$(awk '/^sender/{print $2}' "$T/out"); t=$(awk '/^target/{print $2}' "$T/out")
kt_dump "$T/s.ktr" >"$T/dump" 2>&1
g=$(awk -v s=$s -v t=$t '$5 == "signal_generate" && $3 == s && $4 == s && index($0, " target_tid=" t " target_pid=" t " signo=10 ") && / result=0 / && / context=0$/' "$T/dump")
d=$(awk -v t=$t '$5 == "signal_deliver" && $3 == t && $4 == t && / signo=10 /' "$T/dump")
[ $rc = 0 ] && [ -n "$s" ] && [ -n "$g" ] && kt_pass signal_generate ||
	kt_fail signal_generate "record exited $rc; no SIGUSR1 from $s to $t: $(grep signal_gen "$T/dump" | head -2)"
gts=$(echo "$g" | awk '{print $1; exit}'); dts=$(echo "$d" | awk '{print $1; exit}')
[ -n "$d" ] && [ -n "$gts" ] && [ "$dts" -gt "$gts" ] && kt_pass signal_deliver ||
	kt_fail signal_deliver "no delivery of SIGUSR1 to $t after its generation: '$d'"
[ -n "$g" ] && echo "$g" | grep -q " code=0 " && kt_pass signal_user_code ||
	kt_fail signal_user_code "SIGUSR1 from kill(2) without code 0 (SI_USER): '$g'"
"$KTRAIL" record -q -o "$T/f.ktr" -e signal,proc -- "$KT_TOOL" segv >"$T/out" 2>"$T/err"
rc=$?
c=$(awk '/^child/{print $2}' "$T/out")
kt_dump "$T/f.ktr" >"$T/dump" 2>&1
k=$(awk -v c="$c" '$5 == "signal_generate" && $3 == c && index($0, " target_tid=" c " target_pid=" c " signo=11 code=1 ")' "$T/dump")
[ $rc = 0 ] && [ -n "$c" ] && [ -n "$k" ] && kt_pass signal_kernel_code ||
	kt_fail signal_kernel_code "record exited $rc; no SIGSEGV of $c with code 1 (SEGV_MAPERR): $(grep signal_gen "$T/dump" | head -2)"
