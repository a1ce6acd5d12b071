#!/bin/bash
# The /proc snapshot of the fds of a process alone in a network namespace
# without TCP, UDP or unix sockets (unshare -n), holding a netlink
# socket: its namespace's socket table is empty, and the recorder sorted
# it all the same, qsort(NULL, 0, ...), which UBSan stops in the ASan
# pass.  The recording (syscall records: the snapshot is theirs)
# succeeds and proc.fds lists the netlink socket as a bare "socket:[INO]"
# (no table tells what it is).
. "$(dirname "$0")/lib/record.bash"
kt_init fds_netns_empty fds_netns_empty
command -v unshare >/dev/null || { kt_skip fds_netns_empty "no unshare(1)"; exit 0; }
W=
kt_cleanup() { [ -z "$W" ] || kill "$W" 2>/dev/null; :; }
unshare -n python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
print(os.getpid(), s.fileno(), os.stat("/proc/self/fd/%d" % s.fileno()).st_ino, flush=True)
time.sleep(10)' >"$T/out" 2>"$T/werr" & W=$!
for _ in $(seq 100); do [ -s "$T/out" ] && break; sleep 0.05; done
read -r P FD INO <"$T/out"
if [ -z "${P:-}" ]; then
	kt_skip fds_netns_empty "unshare -n failed: $(head -c 200 "$T/werr")"
	exit 0
fi
"$KTRAIL" record -q -o "$T/f.ktr" -e syscall -p "$P" -d 0.3 2>"$T/err"; rc=$?
kill "$W" 2>/dev/null; wait "$W" 2>/dev/null; W=
got=$(kt_meta "$T/f.ktr" "proc.fds.pids.$P.fds" 2>/dev/null | python3 -c '
import json, sys
for fd, flags, target, *rest in json.loads(sys.stdin.read()):
    if fd == '"$FD"':
        print(target, len(rest))' 2>/dev/null)
[ $rc = 0 ] && [ "$got" = "socket:[$INO] 0" ] && kt_pass fds_netns_empty "fd $FD: $got" ||
	kt_fail fds_netns_empty "record exited $rc ($(grep -m1 -e 'runtime error' -e ERROR "$T/err" | cut -c1-200)); fd $FD in proc.fds: '$got'"
