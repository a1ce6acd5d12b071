#!/bin/bash
# ktrail diff on real recordings of one small workload (lib/diff_work.sh):
# two pairs of recordings of the same scenario cross no default
# threshold (exit 0); the workload with an added fsync, a second refused
# connect, or sleeps made longer exits 1 naming what crossed.  Then check
# on the same recordings: rules that hold pass, the refused connect fails.
. "$(dirname "$0")/lib/record.bash"
kt_init diff_live diff_same_pair_1 diff_same_pair_2 diff_added_fsync diff_extra_connect diff_longer_sleep \
	check_live_pass check_live_fail
WORK=$(dirname "$0")/lib/diff_work.sh

# rec NAME MODE: record the workload into $T/NAME.ktr
rec() {
	mkdir -p "$T/w-$1"
	"$KTRAIL" record -q -o "$T/$1.ktr" -- bash "$WORK" "$2" "$T/w-$1" \
		>"$T/$1.rec.out" 2>"$T/$1.rec.err" ||
		echo "record $1: exit $?: $(head -2 "$T/$1.rec.err")" >>"$T/errors"
}

for n in a1 a2 b1 b2; do rec $n same; done
rec fsync fsync
rec connect connect
rec slow slow
if [ -s "$T/errors" ]; then
	for c in $KT_CASES; do kt_fail $c "$(head -1 "$T/errors")"; done
	exit 1
fi

# same PAIR BASE CAND: diff exits 0
same() {
	"$KTRAIL" diff "$T/$2.ktr" "$T/$3.ktr" >"$T/$1.out" 2>"$T/$1.err"; rc=$?
	[ $rc = 0 ] && grep -q "^no change crossed a threshold" "$T/$1.out" &&
		kt_pass $1 || kt_fail $1 "exited $rc: $(grep -A3 crossed "$T/$1.out" | head -4 | tr '\n' '|') $(head -1 "$T/$1.err")"
}
same diff_same_pair_1 a1 a2
same diff_same_pair_2 b1 b2

# regress CASE CAND PATTERN: diff a1 CAND exits 1 with PATTERN among the
# crossed changes, and says so on stderr
regress() {
	"$KTRAIL" diff "$T/a1.ktr" "$T/$2.ktr" >"$T/$1.out" 2>"$T/$1.err"; rc=$?
	crossed=$(sed -n '/crossed a threshold:$/,/^$/p' "$T/$1.out")
	[ $rc = 1 ] && printf '%s\n' "$crossed" | grep -qE "$3" &&
		grep -q "change.* crossed a threshold$" "$T/$1.err" &&
		kt_pass $1 || kt_fail $1 "exited $rc, crossed: $(printf '%s' "$crossed" | tr '\n' '|')"
}
regress diff_added_fsync fsync "syscall  new +dd: fsync +0 -> 1 .*> new:\+1"
regress diff_extra_connect connect "errno +errors +bash: connect ECONNREFUSED +1 -> 2"
regress diff_longer_sleep slow "syscall +p50 +sleep: clock_nanosleep .*> p50:"

cat >"$T/pass.json" <<'RULES'
{ "rules": [ { "rule": "no-oom" }, { "rule": "no-retransmits" },
             { "rule": "exit-codes", "comm": "dd" },
             { "rule": "max-syscall", "ms": 1000, "comm": "dd" } ] }
RULES
cat >"$T/fail.json" <<'RULES'
{ "rules": [ { "rule": "no-refused-connects" } ] }
RULES
"$KTRAIL" check "$T/a1.ktr" --rules "$T/pass.json" >"$T/cp.out" 2>"$T/cp.err"; rc=$?
[ $rc = 0 ] && [ "$(grep -c '^PASS ' "$T/cp.out")" = 4 ] &&
	kt_pass check_live_pass || kt_fail check_live_pass "exited $rc: $(cat "$T/cp.out" "$T/cp.err" | tr '\n' '|')"
"$KTRAIL" check "$T/connect.ktr" --rules "$T/fail.json" >"$T/cf.out" 2>"$T/cf.err"; rc=$?
[ $rc = 1 ] && grep -q "^FAIL  rules\[0\] no-refused-connects: 2 violations" "$T/cf.out" &&
	[ "$(grep -c '/bash  *connect to 127.0.0.1:1 refused$' "$T/cf.out")" = 2 ] &&
	kt_pass check_live_fail || kt_fail check_live_fail "exited $rc: $(cat "$T/cf.out" | tr '\n' '|')"
