#!/bin/bash
# Capabilities.  Without CAP_BPF/CAP_PERFMON (and CAP_SYS_ADMIN) record
# exits 3 and names the missing capability, before creating anything.
# A non-root user running a copy of ktrail given cap_bpf,cap_perfmon=ep
# records: the capture is readable and verifies clean, and its metadata
# says what the missing CAP_SYS_PTRACE left out (record.missing); --pcap
# asks for CAP_NET_RAW and -u for CAP_SETUID, each by name (exit 3);
# given CAP_SYS_PTRACE too, nothing is missing.
. "$(dirname "$0")/lib/record.bash"
. "$(dirname "$0")/lib/user.bash"
CASES="caps_no_bpf caps_no_perfmon caps_user_cmd caps_user_host caps_user_pcap caps_user_setuid caps_user_ptrace"
kt_init record_caps $CASES
skip_all() { for c in $CASES; do kt_skip "$c" "$1"; done; exit 0; }
command -v capsh >/dev/null && command -v setcap >/dev/null ||
	skip_all "capsh or setcap not installed (libcap2-bin)"
capsh --drop=cap_bpf,cap_sys_admin -- -c "exec \"$KTRAIL\" record -q -o \"$T/x.ktr\" -d 1" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_BPF" "$T/err" && [ ! -e "$T/x.ktr" ] && kt_pass caps_no_bpf ||
	kt_fail caps_no_bpf "exited $rc: $(cat "$T/err")"
capsh --drop=cap_perfmon,cap_sys_admin -- -c "exec \"$KTRAIL\" record -q -o \"$T/y.ktr\" -d 1" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_PERFMON" "$T/err" && [ ! -e "$T/y.ktr" ] && kt_pass caps_no_perfmon ||
	kt_fail caps_no_perfmon "exited $rc: $(cat "$T/err")"

CASES="caps_user_cmd caps_user_host caps_user_pcap caps_user_setuid caps_user_ptrace"
U=$(kt_test_user)
[ -n "$U" ] || skip_all "cannot create the test user (useradd)"
# the copy and the user's directory: $T is private to root
chmod 755 "$T"
mkdir "$T/bin" "$T/home"
chown "$U" "$T/home"
cp "$KTRAIL" "$T/bin/ktrail"
setcap cap_bpf,cap_perfmon=ep "$T/bin/ktrail" 2>"$T/err" ||
	skip_all "setcap refused on $T ($(head -1 "$T/err")): no file capabilities on this filesystem"
# LeakSanitizer stops the world with ptrace, which a process started
# with file capabilities (not dumpable) cannot do: leaks are the plain
# root runs' business
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
K=$T/bin/ktrail
H=$T/home
# missing: the value of record.missing, as one line
missing() { kt_meta "$1" record.missing; }

kt_as_user "$U" "$K" record -q -o "$H/c.ktr" -- sh -c 'echo hi' >"$T/out" 2>"$T/err"
rc=$?
"$KTRAIL" verify "$H/c.ktr" >"$T/verify" 2>&1
vrc=$?
m=$(missing "$H/c.ktr")
if [ $rc = 0 ] && [ "$(cat "$T/out")" = hi ] && [ $vrc = 0 ] &&
	[ "$(stat -c %U "$H/c.ktr")" = "$U" ] && [[ $m == *'"CAP_SYS_PTRACE: '* ]]; then
	kt_pass caps_user_cmd "missing: $m"
else
	kt_fail caps_user_cmd "exit $rc, verify $vrc ($(tail -1 "$T/verify")), owner $(stat -c %U "$H/c.ktr" 2>&1), missing '$m'; $(head -2 "$T/err")"
fi

# the whole host for a second: other users' processes are in the task
# table with their command lines, without their exe
kt_as_user "$U" "$K" record -q -o "$H/h.ktr" -d 1 -e sched,proc,syscall 2>"$T/err"
rc=$?
"$KTRAIL" verify "$H/h.ktr" >"$T/verify" 2>&1
vrc=$?
m=$(missing "$H/h.ktr")
n=$(echo "$m" | sed -n 's/.*(\([0-9]*\) process.*/\1/p')
rm -f "$H/h.db"
"$KTRAIL" export "$H/h.ktr" --sqlite "$H/h.db" >/dev/null 2>&1
noexe=$(sqlite3 "$H/h.db" "select count(*) from process where (exe is null or exe = '') and cmdline <> ''" 2>&1)
if [ $rc = 0 ] && [ $vrc = 0 ] && [ "${n:-0}" -ge 1 ] && [ "${noexe:-0}" -ge 1 ] 2>/dev/null; then
	kt_pass caps_user_host "$n processes without exe; $noexe with a command line and no exe"
else
	kt_fail caps_user_host "exit $rc, verify $vrc ($(tail -1 "$T/verify")), missing '$m', processes with a cmdline and no exe: '$noexe'; $(head -2 "$T/err")"
fi

kt_as_user "$U" "$K" record -q -o "$H/p.ktr" -e proc --pcap lo -- true 2>"$T/err"
rc=$?
setcap cap_bpf,cap_perfmon,cap_net_raw=ep "$K"
kt_as_user "$U" "$K" record -q -o "$H/p2.ktr" -e proc --pcap lo --pcap-filter "udp port 45712" -- \
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b"x", ("127.0.0.1", 45712)) for i in range(3)]' 2>"$T/err2"
rc2=$?
pk=$("$KTRAIL" info --json "$H/p2.ktr" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["kinds"].get("net_packet", 0))' 2>&1)
if [ $rc = 3 ] && grep -q "missing capability CAP_NET_RAW" "$T/err" && [ ! -e "$H/p.ktr" ] &&
	[ $rc2 = 0 ] && [ "${pk:-0}" -ge 3 ] 2>/dev/null; then
	kt_pass caps_user_pcap "$(head -1 "$T/err"); with cap_net_raw: $pk packets"
else
	kt_fail caps_user_pcap "exit $rc ($(head -1 "$T/err")), with cap_net_raw exit $rc2, packets '$pk' ($(head -1 "$T/err2"))"
fi

kt_as_user "$U" "$K" record -q -o "$H/u.ktr" -u root -- id -u >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_SETUID and CAP_SETGID" "$T/err" && [ ! -e "$H/u.ktr" ] && [ ! -s "$T/out" ] &&
	kt_pass caps_user_setuid "$(head -1 "$T/err")" ||
	kt_fail caps_user_setuid "exit $rc: $(head -1 "$T/err"); output '$(cat "$T/out")'"

setcap cap_bpf,cap_perfmon,cap_sys_ptrace=ep "$K"
kt_as_user "$U" "$K" record -q -o "$H/t.ktr" -- true 2>"$T/err"
rc=$?
m=$(missing "$H/t.ktr")
[ $rc = 0 ] && [ "$m" = None ] && kt_pass caps_user_ptrace "nothing missing with cap_sys_ptrace" ||
	kt_fail caps_user_ptrace "exit $rc, missing '$m': $(head -1 "$T/err")"
