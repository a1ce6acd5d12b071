#!/bin/bash
# live/why_lock_convoy: three threads queue on a pthread mutex that one
# holder keeps for 50 ms of computing, each then holding it 1 ms.  For
# every waiter, `ktrail why --slowest` picks its futex wait and, through
# the waiters that got the lock before it, names the holder: its work as
# the root, or, when the shared machine preempted the holder more than it
# let it run, cpu contention reached through the holder.
. "$(dirname "$0")/why_lib.bash"
why_need_bpf why_lock_convoy
cap=$WHY_TMP/convoy.ktr
"$KTRAIL" record -q -o "$cap" -- "$KT_TOOL" lock_convoy 3 50 >"$cap.out" 2>"$cap.err"
pid=$(why_field "$cap.out" pid)
holder=$(why_field "$cap.out" holder)
waiters=$(sed -n 's/^waiter=//p' "$cap.out")
bad=
[ -z "$pid" ] || [ -z "$holder" ] || [ -z "$waiters" ] && bad="the workload printed no ids"
for w in $waiters; do
	[ -n "$bad" ] && break
	if ! "$KTRAIL" why "$cap" --pid "$pid" --tid "$w" --slowest >"$cap.why" 2>&1; then
		bad="ktrail why failed for waiter $w"
	elif ! grep -q "^why: futex(.*FUTEX_WAIT_PRIVATE" "$cap.why"; then
		bad="waiter $w: the slowest span is not its mutex wait: $(head -1 "$cap.why")"
	elif ! grep -qE "^root cause: lock holder's work: [^ ]*/$holder ran while holding the lock" "$cap.why" &&
	     ! { grep -q "^root cause: CPU contention" "$cap.why" &&
		 grep -A4 "^root cause" "$cap.why" | grep "reached through" | grep -qE "/$holder\$"; }; then
		bad="waiter $w: the root is not the holder ($holder): $(grep '^root cause' "$cap.why")"
	fi
done
why_result why_lock_convoy "$bad" "$cap.why"
