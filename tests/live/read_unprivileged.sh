#!/bin/bash
# Reading needs no privilege and never loads BPF: a user without any
# capability reads, analyzes, renders and exports a corpus capture (a
# copy in a directory of its own, which is also its HOME: `sql` keeps
# its cache there), and strace sees no bpf() call from any of these
# commands.
. "$(dirname "$0")/lib/record.bash"
. "$(dirname "$0")/lib/user.bash"
kt_init read_unprivileged read_commands read_no_bpf
U=$(kt_test_user)
if [ -z "$U" ]; then
	kt_skip read_commands "cannot create the test user (useradd)"
	kt_skip read_no_bpf "cannot create the test user (useradd)"
	exit 0
fi
chmod 755 "$T"
mkdir "$T/u"
cp "$KT_ROOT/corpus/scenarios/exit_kill.ktr" "$T/u/x.ktr"
chown -R "$U" "$T/u"
. "$KT_ROOT/corpus/scenarios/exit_kill.ids"
# LeakSanitizer needs ptrace (stopping the world), which strace holds
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
X=$T/u/x.ktr
cmds=(
	"info $X"
	"info --json $X"
	"replay $X"
	"replay --json --pid $parent $X"
	"stats $X execsnoop"
	"summary $X"
	"verify $X"
	"why $X --pid $parent --exit"
	"why $X --pid $parent --slowest -o $T/u/why.svg"
	"timeline $X -o $T/u/t.svg"
	"graph $X -o $T/u/g.dot"
	"report $X -o $T/u/r.html"
	"export $X --sqlite $T/u/x.db"
	"export $X --chrome $T/u/x.json"
	"sql $X SELECT_COUNT"
)
bad= bpf= n=0
for c in "${cmds[@]}"; do
	read -r -a words <<<"$c"
	[ "${words[2]:-}" = SELECT_COUNT ] && words[2]="SELECT count(*) FROM process"
	( cd "$T/u" && strace -f -qq -e trace=bpf -o "$T/strace" \
		setpriv --reuid="$U" --regid="$U" --init-groups --inh-caps=-all -- \
		env HOME="$T/u" "$KTRAIL" "${words[@]}" >"$T/out" 2>"$T/err" )
	rc=$?
	n=$((n + 1))
	[ $rc = 0 ] || bad="$bad; '${words[*]}' exit $rc: $(head -1 "$T/err")"
	grep -q 'bpf(' "$T/strace" && bpf="$bpf; ${words[0]}: $(grep -m1 'bpf(' "$T/strace")"
done
owner=$(stat -c %U "$T/u/r.html" 2>&1)
[ -z "$bad" ] && [ "$owner" = "$U" ] &&
	kt_pass read_commands "$n commands as $U without capabilities" ||
	kt_fail read_commands "${bad#; } (report owned by '$owner')"
[ -z "$bpf" ] && kt_pass read_no_bpf "no bpf() call in $n commands" ||
	kt_fail read_no_bpf "${bpf#; }"
