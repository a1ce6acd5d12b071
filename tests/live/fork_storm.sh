#!/bin/bash
# Fork storms (issue 14, "Faults while recording"): a traced process forks
# 3000 short children (kt-test-tool forkstorm) of three kinds: one exits
# at once, one exits while its second thread is blocked in read() (the
# group's exit cuts the syscall), one forks a grandchild and exits before
# it.  The capture must be consistent: `verify` clean; stable thread ids
# (every child is one task of the table, forked once and exited once, and
# every event of one of its threads carries its pid); no orphan span (no
# syscall of a thread ends after that thread exited, none is left
# unfinished at stop).  Then host-wide recordings that start and stop in
# the middle of a storm verify clean too.
. "$(dirname "$0")/lib/record.bash"
kt_init fork_storm storm_verify storm_stable_tids storm_exit_in_syscall storm_host_cut

"$KTRAIL" record -q -o "$T/s.ktr" -- "$KT_TOOL" forkstorm 3000 >"$T/pids" 2>"$T/err"; rc=$?
"$KTRAIL" verify "$T/s.ktr" >"$T/verify" 2>&1; vrc=$?
[ $rc = 0 ] && [ $vrc = 0 ] && [ "$(wc -l <"$T/pids")" = 3000 ] &&
	kt_pass storm_verify "$(tail -n 1 "$T/verify" | cut -c1-200)" ||
	kt_fail storm_verify "record exited $rc, verify $vrc, $(wc -l <"$T/pids") children: $(grep -m3 -e '^violation' -e '^verify' "$T/verify" | tr '\n' ' ' | cut -c1-400) $(head -c 200 "$T/err")"

kt_dump "$T/s.ktr" >"$T/dump" 2>&1
"$KT_TOOL" tasks "$T/s.ktr" >"$T/tasks" 2>&1
python3 - "$T/pids" "$T/dump" "$T/tasks" >"$T/check" 2>&1 <<'PY'
import sys
pids = [int(l) for l in open(sys.argv[1])]
kids = set(pids)
forks, exits, tpid, bad_pid, sysend, unfinished = {}, {}, {}, [], {}, []
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) < 5 or not f[0].isdigit():
        continue
    ts, tid, pid, kind = int(f[0]), int(f[2]), int(f[3]), f[4]
    kv = dict(x.split("=", 1) for x in f[5:] if "=" in x)
    if kind == "proc_fork":
        c, cp = int(kv["child_tid"]), int(kv["child_pid"])
        if cp in kids:
            forks.setdefault(c, []).append(ts)
            tpid[c] = cp
    if tid in tpid and pid != tpid[tid] and kind != "proc_fork":
        bad_pid.append(line.strip())
    if kind == "proc_exit" and tid in tpid:
        exits.setdefault(tid, []).append(ts)
    if kind == "syscall" and tid in tpid:
        if int(kv.get("flags", 0)) & 1:
            unfinished.append(line.strip())
        sysend.setdefault(tid, []).append(ts)
tasks = {}
for line in open(sys.argv[3]):
    f = line.split()
    if len(f) >= 3 and f[0].isdigit():
        tasks.setdefault(int(f[0]), []).append((int(f[1]), int(f[2])))
threads = [t for t in tpid if t not in kids]
err = []
for p in pids:
    if len(forks.get(p, [])) != 1: err.append("child %d forked %d times" % (p, len(forks.get(p, []))))
    if len(exits.get(p, [])) != 1: err.append("child %d exited %d times" % (p, len(exits.get(p, []))))
    if [x[0] for x in tasks.get(p, [])] != [p]: err.append("child %d in the task table as %s" % (p, tasks.get(p)))
print("STABLE", "; ".join(err[:3] + bad_pid[:2]) or "ok", len(err) + len(bad_pid))
late = ["tid %d: syscall at %d after its exit at %d" % (t, max(sysend[t]), exits[t][0])
        for t in sysend if t in exits and max(sysend[t]) > exits[t][0]]
noexit = [t for t in threads if len(exits.get(t, [])) != 1]
print("SPANS", "; ".join(late[:2] + unfinished[:2] + ["thread %d exited %d times" % (t, len(exits.get(t, []))) for t in noexit[:2]]) or "ok",
      len(threads), len(late) + len(unfinished) + len(noexit))
PY
st=$(grep '^STABLE' "$T/check"); sp=$(grep '^SPANS' "$T/check")
[ "$(echo "$st" | cut -d' ' -f2)" = ok ] && kt_pass storm_stable_tids "3000 children, each one task, forked and exited once" ||
	kt_fail storm_stable_tids "${st:-$(head -3 "$T/check")}"
set -- $sp
[ "${2:-}" = ok ] && [ "${3:-0}" -ge 900 ] && kt_pass storm_exit_in_syscall "$3 threads blocked in read when their group exited, none with a span after its exit" ||
	kt_fail storm_exit_in_syscall "${sp:-$(head -3 "$T/check")}"

# host-wide, cut at both ends in the middle of a storm
bad=
for i in 1 2; do
	"$KT_TOOL" forkstorm 4000 >/dev/null 2>&1 & F=$!
	sleep 0.$((i * 2))
	"$KTRAIL" record -q -o "$T/h$i.ktr" -d 0.7 2>"$T/herr"; rc=$?
	wait $F
	"$KTRAIL" verify "$T/h$i.ktr" >"$T/hv" 2>&1; vrc=$?
	[ $rc = 0 ] && [ $vrc = 0 ] || { bad="trial $i: record exited $rc, verify $vrc: $(grep -m3 -e '^violation' -e '^verify' "$T/hv" | tr '\n' ' ' | cut -c1-400)"; break; }
done
[ -z "$bad" ] && kt_pass storm_host_cut || kt_fail storm_host_cut "$bad"
