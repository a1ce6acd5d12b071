#!/bin/bash
# live/why_cpu_contention: two CPU hogs and a latency-sensitive thread
# (200 us sleeps) pinned to one cpu.  The latency thread's slowest sleep
# is mostly spent runnable: `ktrail why` reports cpu contention on that
# cpu as the root, with a hog among what ran there.
. "$(dirname "$0")/why_lib.bash"
why_need_bpf why_cpu_contention
cap=$WHY_TMP/hogs.ktr
"$KTRAIL" record -q -o "$cap" -- "$KT_TOOL" cpu_hogs 400 >"$cap.out" 2>"$cap.err"
pid=$(why_field "$cap.out" pid)
lat=$(why_field "$cap.out" latency)
cpu=$(why_field "$cap.out" cpu)
hog1=$(why_field "$cap.out" hog1)
hog2=$(why_field "$cap.out" hog2)
bad=
if [ -z "$lat" ] || [ -z "$hog2" ]; then
	bad="the workload printed no ids"
elif ! "$KTRAIL" why "$cap" --pid "$pid" --tid "$lat" --slowest --syscall clock_nanosleep >"$cap.why" 2>&1; then
	bad="ktrail why failed"
elif ! grep -qE "^root cause: CPU contention on cpu $cpu: runnable .*\((5[0-9]|[6-9][0-9]|100)\.[0-9]%\)" "$cap.why"; then
	bad="the root is not a majority of cpu contention on cpu $cpu: $(grep '^root cause' "$cap.why")"
elif ! grep -A1 "^root cause" "$cap.why" | grep "was running" | grep -qE "/($hog1|$hog2) "; then
	bad="no hog ($hog1, $hog2) among what ran on cpu $cpu"
fi
why_result why_cpu_contention "$bad" "$cap.why"
