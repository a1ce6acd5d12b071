#!/bin/bash
# record -u USER -- CMD: the command runs as USER (its own output says
# so), and the capture shows it becoming USER (setgroups, setgid, setuid
# with USER's ids, before its exec); an unknown user exits 2, a recorder
# without CAP_SETUID exits 3, both before creating the capture.
. "$(dirname "$0")/lib/record.bash"
. "$(dirname "$0")/lib/user.bash"
kt_init record_user user_runs_as user_unknown user_not_permitted
U=$(kt_test_user)
if [ -z "$U" ]; then
	for c in user_runs_as user_unknown user_not_permitted; do
		kt_skip $c "cannot create the test user (useradd)"
	done
	exit 0
fi
uid=$(id -u "$U") gid=$(id -g "$U")
"$KTRAIL" record -q -u "$U" -o "$T/u.ktr" -- sh -c 'id -u; id -g' >"$T/out" 2>"$T/err"
rc=$?
got=$(tr '\n' ' ' <"$T/out")
# the command's pid: the one that execs sh; its id syscalls before that
python3 - "$T/u.ktr" "$uid" "$gid" "$KTRAIL" "$U" >"$T/res" 2>&1 <<'EOP'
import json, subprocess, sys
path, uid, gid, kt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ev = [json.loads(l) for l in subprocess.run([kt, "replay", "--json", path],
      capture_output=True, text=True).stdout.splitlines() if l.strip()]
meta = json.loads(subprocess.run([kt, "info", "--json", path], capture_output=True,
       text=True).stdout)["meta"]["record"]
execs = [e for e in ev if e["kind"] == "proc_exec"]
if not execs:
    print("no exec in the capture"); sys.exit()
pid, t_exec = execs[0]["pid"], execs[0]["ts"]
ids = {e["syscall"]: e for e in ev if e["kind"] == "syscall" and e["pid"] == pid
       and e.get("syscall") in ("setuid", "setgid", "setgroups") and e["ts"] < t_exec}
ok = (ids.get("setuid", {}).get("arg0") == uid and ids["setuid"]["ret"] == 0 and
      ids.get("setgid", {}).get("arg0") == gid and ids["setgid"]["ret"] == 0 and
      "setgroups" in ids and meta.get("user") == sys.argv[5] and meta.get("id_args"))
print("ok" if ok else "pid %d: %s; record.user %s" % (pid, {k: (v.get("arg0"), v["ret"]) for k, v in ids.items()}, meta.get("user")))
EOP
if [ $rc = 0 ] && [ "$got" = "$uid $gid " ] && [ "$(cat "$T/res")" = ok ]; then
	kt_pass user_runs_as "the command printed uid $uid gid $gid; setuid($uid) before its exec"
else
	kt_fail user_runs_as "exit $rc, the command printed '$got' (want '$uid $gid '); $(cat "$T/res"); $(head -2 "$T/err")"
fi

"$KTRAIL" record -q -u ktrail-no-such-user -o "$T/n.ktr" -- true 2>"$T/err"
rc=$?
[ $rc = 2 ] && grep -q "no such user" "$T/err" && [ ! -e "$T/n.ktr" ] &&
	kt_pass user_unknown "$(head -1 "$T/err")" ||
	kt_fail user_unknown "exit $rc: $(head -1 "$T/err")"

if ! command -v capsh >/dev/null; then
	kt_skip user_not_permitted "capsh not installed (libcap2-bin)"
	exit 0
fi
capsh --drop=cap_setuid -- -c "exec \"$KTRAIL\" record -q -u $U -o \"$T/p.ktr\" -- id -u" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_SETUID" "$T/err" && [ ! -e "$T/p.ktr" ] && [ ! -s "$T/out" ] &&
	kt_pass user_not_permitted "$(head -1 "$T/err")" ||
	kt_fail user_not_permitted "exit $rc: $(head -1 "$T/err"); the command printed '$(cat "$T/out")'"
