#!/bin/bash
# tests/mutate/verify.sh - plant each of a list of one-line bugs in the
# rules of analyze/verify*.c, one at a time, in a scratch copy of the
# tree, and check that the verify unit tests catch every one.  Not part of
# `make check` (it builds once per mutation); run it after changing the
# rules or their tests:  tests/mutate/verify.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/kt-mutate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$tmp")
# copy uncommitted edits too
(cd "$top" && git ls-files -z -m -o --exclude-standard | xargs -0 -r cp --parents -t "$tmp")

# FILE @@ FROM @@ TO @@ what it breaks (FROM, a literal string, must occur
# exactly once in FILE)
mutations=(
"verify_check.c @@ if (c->have_sw && c->cur_tid != ev->tid) { @@ if (0) { @@ continuity"
"verify_check.c @@ if (t->on_cpu && t->cpu != ev->cpu) { @@ if (0) { @@ two_cpus"
"verify_check.c @@ if (!tid || kt_tasks_find(tasks, tid)) @@ if (1) @@ unknown_task"
"verify_check.c @@ rc = kt_v_unknown_once(v, tid); @@ rc = 1; @@ unknown_task once per tid"
"verify_check.c @@ if (t->sys_end > start) { @@ if (0) { @@ syscall_overlap"
"verify_check.c @@ t->sys_end = 0; @@ (void)0; @@ exec resets a leader's syscall"
"verify_check.c @@ if ((b->op & 0xff) == REQ_OP_FLUSH || cont || @@ if ( @@ block: flush and partial"
"verify_check.c @@ if (!b->service_ns) { @@ if (!b->service_ns && 0) { @@ block: no issue"
"verify_check.c @@ (insert >= v->o.start_ns && issue >= v->o.start_ns)) @@ 1) @@ block: issue before start"
"verify_check.c @@ if (ev->ts >= c->last_ts) { @@ if (1) { @@ time_order"
"verify_check.c @@ if (!k || !ev->utid || k->utid == ev->utid) @@ if (1) @@ identity"
"verify_check.c @@ return !kt_v_in_scope(v, b, tasks) && !kt_v_in_scope(v, c, tasks); @@ return !kt_v_in_scope(v, b, tasks) && !kt_v_in_scope(v, c, tasks) && !b && b; @@ scope excuses"
"verify_check.c @@ (v->o.follow || (ev->fork.flags & KT_FORK_THREAD))) @@ 0) @@ followed forks"
"verify_check.c @@ return k && kt_v_recorder(v, k); @@ return k && !k; @@ recorder's threads"
"verify_check.c @@ if (tb && !tb->ran && (!v->o.scoped || !tb->in_scope)) @@ if (0) @@ hidden tasks"
"verify.c @@ (k->flags & KT_TASK_SNAPSHOT) || kthread(k)); @@ (k->flags & KT_TASK_SNAPSHOT) || (kthread(k) && 0)); @@ kernel threads in scope"
"verify.c @@ return t->nheld ? release(v, t, KT_VEXPL_NONE) : 0; @@ return t->nheld && 0 ? release(v, t, KT_VEXPL_NONE) : 0; @@ hidden until seen running"
"verify.c @@ to += KT_VERIFY_LOSS_LAG; @@ to += 0; @@ loss reporting lag"
"verify.c @@ if (cpu < v->nsched && (r = loss_in(&v->sched[cpu], from, to))) { @@ if (0) { @@ loss on the cpu"
"verify.c @@ if ((r = loss_in(&v->sched_any, from, to))) { @@ if (0) { @@ loss on an unknown cpu"
"verify.c @@ if (cpu < KT_VERIFY_MAX_CPUS && v->o.meta_lost_cpu[cpu]) { @@ if (0) { @@ metadata losses"
"verify.c @@ if (v->o.meta_lost_family[fam] || v->o.meta_lost_family[KT_FAM_MAX]) { @@ if (0) { @@ metadata family losses"
)

make -C "$tmp" -s -j2 test-bins >/dev/null 2>&1 || { echo "FAIL mutate: the copy does not build"; exit 1; }
tests=$(grep -ho 'KT_TEST(verify_[a-z_]*' "$top"/tests/unit/analyze_verify.c | sed 's/KT_TEST(//')
fail=0
for m in "${mutations[@]}"; do
	file=${m%% @@ *}; rest=${m#* @@ }
	what=${rest##* @@ }; rest=${rest% @@ *}
	f=$tmp/analyze/$file
	if ! python3 - "$f" "$rest" <<'PY'
import sys
path, spec = sys.argv[1], sys.argv[2]
frm, to = spec.split(' @@ ')
s = open(path).read()
if s.count(frm) != 1:
    sys.exit(1)
open(path, 'w').write(s.replace(frm, to))
PY
	then
		echo "FAIL mutate/$what: the text to change is not there exactly once"
		fail=1
		continue
	fi
	if ! make -C "$tmp" -s -j2 test-bins >"$tmp/build.log" 2>&1; then
		echo "FAIL mutate/$what: does not build"
		fail=1
	elif "$tmp"/build/test-unit $tests >"$tmp/out" 2>&1; then
		echo "FAIL mutate/$what: no verify test noticed"
		fail=1
	else
		echo "PASS mutate/$what: $(grep -c '^FAIL' "$tmp/out") test(s) failed"
	fi
	cp "$top/analyze/$file" "$f"
done
exit $fail
