#!/bin/bash
# Pids reused quickly (issue 14, "Faults while recording"): with the
# host's pid_max lowered for the length of one recording (to 2048, so
# the kernel hands out the ~1,700 free pids above 300 again and again;
# restored at exit), a traced process forks 4000 short children
# (kt-test-tool forkstorm): many children get the pid of an earlier,
# dead one.  The capture must keep them apart: `verify` clean; every
# fork of a pid a task of its own in the table (as many tasks with that
# tid as forks of it), each forked once and exited once; every event of
# a child's threads carries that child's pid.
. "$(dirname "$0")/lib/record.bash"
kt_init pid_reuse reuse_happened reuse_verify reuse_one_task_per_fork

PM=/proc/sys/kernel/pid_max
old=$(cat "$PM" 2>/dev/null)
kt_cleanup() { [ -n "${old:-}" ] && echo "$old" >"$PM" 2>/dev/null; }
if [ -z "$old" ] || [ "$old" -le 2048 ] || ! echo 2048 >"$PM" 2>/dev/null; then
	for c in reuse_happened reuse_verify reuse_one_task_per_fork; do
		kt_skip $c "cannot lower $PM (${old:-unreadable}) to 2048 for the test"
	done
	exit 0
fi
# (a sanitizer build's LeakSanitizer clones a tracer at exit, a fork the
# storm did not count: leak checking off for the storm alone)
"$KTRAIL" record -q -o "$T/r.ktr" -- env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	"$KT_TOOL" forkstorm 4000 >"$T/pids" 2>"$T/err"; rc=$?
echo "$old" >"$PM"
n=$(wc -l <"$T/pids")
reused=$(sort -n "$T/pids" | uniq -d | wc -l)
if [ $rc != 0 ] || [ "$n" != 4000 ]; then
	for c in reuse_happened reuse_verify reuse_one_task_per_fork; do
		kt_fail $c "record exited $rc with $n children: $(head -c 200 "$T/err")"
	done
	exit
fi
if [ "$reused" -lt 100 ]; then
	for c in reuse_happened reuse_verify reuse_one_task_per_fork; do
		kt_skip $c "only $reused pids were reused (other processes took the free pids?)"
	done
	exit 0
fi
kt_pass reuse_happened "$reused of 4000 children's pids were given to another child too"

"$KTRAIL" verify "$T/r.ktr" >"$T/verify" 2>&1 &&
	kt_pass reuse_verify "$(tail -n 1 "$T/verify" | cut -c1-200)" ||
	kt_fail reuse_verify "$(grep -m3 -e '^violation' -e '^verify' "$T/verify" | tr '\n' ' ' | cut -c1-400)"

kt_dump "$T/r.ktr" >"$T/dump" 2>&1
"$KT_TOOL" tasks "$T/r.ktr" >"$T/tasks" 2>&1
python3 - "$T/pids" "$T/dump" "$T/tasks" >"$T/check" 2>&1 <<'PY'
import sys
from collections import Counter
pids = [int(l) for l in open(sys.argv[1])]
want = Counter(pids)                   # forks of each child pid
lines = [l.split() for l in open(sys.argv[2])]
lines = [f for f in lines if len(f) >= 5 and f[0].isdigit()]
# the storm's process: the one that forked the children
par = Counter(int(f[3]) for f in lines if f[4] == "proc_fork" and
              dict(x.split("=", 1) for x in f[5:] if "=" in x).get("child_tid") ==
              dict(x.split("=", 1) for x in f[5:] if "=" in x).get("child_pid") and
              int(dict(x.split("=", 1) for x in f[5:] if "=" in x)["child_pid"]) in want)
main = par.most_common(1)[0][0] if par else -1
forks, exits, err = Counter(), Counter(), []
owner = {}                             # tid -> its process, as the last fork said
child = set()                          # tids that are now a child of the storm
for f in lines:
    tid, pid, kind = int(f[2]), int(f[3]), f[4]
    kv = dict(x.split("=", 1) for x in f[5:] if "=" in x)
    if kind == "proc_fork":
        c, cp = int(kv["child_tid"]), int(kv["child_pid"])
        owner[c] = cp
        if c == cp and pid == main:
            forks[cp] += 1
            child.add(c)
        elif c == cp:
            child.discard(c)
        continue
    if tid in owner and pid != owner[tid] and len(err) < 3:
        err.append("tid %d: event with pid %d, its process is %d: %s" %
                   (tid, pid, owner[tid], " ".join(f)[:120]))
    if kind == "proc_exit" and tid in child and tid == pid:
        exits[tid] += 1
        child.discard(tid)
tasks = Counter()
for line in open(sys.argv[3]):
    f = line.split()
    if len(f) >= 3 and f[0].isdigit() and int(f[0]) == int(f[1]):
        tasks[int(f[0])] += 1
for p, k in want.items():
    if forks[p] != k or exits[p] != k:
        err.append("pid %d: forked %d times, %d forks and %d exits recorded" % (p, k, forks[p], exits[p]))
    elif tasks[p] < k:
        err.append("pid %d: forked %d times, %d tasks in the table" % (p, k, tasks[p]))
    if len(err) >= 5:
        break
print("CHECK", "; ".join(err) or "ok", max(want.values()))
PY
set -- $(grep '^CHECK' "$T/check")
[ "${2:-}" = ok ] &&
	kt_pass reuse_one_task_per_fork "every fork a task of its own, forked and exited once (a pid given up to $3 times)" ||
	kt_fail reuse_one_task_per_fork "$(grep '^CHECK' "$T/check" | cut -c7-600)${2:+}$(grep -v '^CHECK' "$T/check" | head -3)"
