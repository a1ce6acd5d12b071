#!/bin/bash
# Signals: a parent sends SIGUSR1 to its child; the capture holds the
# generation (subject: the sender, with the target) and the delivery
# (subject: the target), in that order.
. "$(dirname "$0")/lib/record.bash"
kt_init record_signal signal_generate signal_deliver
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
