#!/bin/bash
# Names in answers: what replay, timeline and why print for an fd is what
# the workload opened.  kt-test-tool fdwork opens a file, a pipe and a TCP
# listener, then a recording of it starts (-p, the /proc snapshot names
# them), then it writes and fsyncs both files, opens a pipe2, a socket
# pair and a TCP connection, dup2s, and forks a child that writes to the
# inherited pipe; it prints every fd it made.  A second recording runs it
# under `record -- CMD`, where stdout was open before the command ran.
. "$(dirname "$0")/lib/record.bash"
kt_init names_fds fds_snapshot fds_new fds_pipes_sockets fds_fork fds_json \
	fds_why fds_timeline fds_cmd fds_verify
W=
kt_cleanup() { [ -n "$W" ] && kill $W 2>/dev/null; :; }
D=$T/w
mkdir -p "$D" "$T/c"
"$KT_TOOL" fdwork "$D" wait >"$T/out" 2>"$T/werr" & W=$!
for _ in $(seq 100); do grep -q '^listen' "$T/out" && break; sleep 0.05; done
P=$(awk '/^pid/ {print $2}' "$T/out")
"$KTRAIL" record -q -o "$T/f.ktr" -e sched,proc,syscall,tcp -p "$P" --follow 2>"$T/rerr" & R=$!
# the recording runs once its file is there (the programs are attached
# before it is created), and the snapshot a moment later
for _ in $(seq 100); do [ -s "$T/f.ktr" ] && break; sleep 0.05; done
sleep 0.5
touch "$D/go"
wait $W; wrc=$?; W=
sleep 0.3
kill -INT $R; wait $R; rrc=$?
v() { awk -v k="$1" -v i="${2:-2}" '$1 == k { print $i }' "$T/out"; }
if [ $wrc != 0 ] || [ $rrc != 0 ] || [ -z "$(v child)" ]; then
	for c in snapshot new pipes_sockets fork json why timeline cmd verify; do
		kt_fail fds_$c "workload exited $wrc, record $rrc: $(head -c 300 "$T/werr" "$T/rerr")"
	done
	exit 0
fi
"$KTRAIL" replay "$T/f.ktr" --pid "$P" -e syscall >"$T/replay" 2>&1
has() { grep -qF -- "$1" "$2"; }
# what the pipe's fds name: the same inode from both ends
ino() { sed -n "s/.*$1(\([0-9]*\)<pipe:\[\([0-9]*\)\]>.*/\2/p" "$T/replay" | head -1; }

# --- opened before the recording: the snapshot names them (the listener
# by its namespace's /proc/net/tcp)
pre=$(v pre); r0=$(v prepipe); w0=$(v prepipe 3); l=$(v listen)
pi=$(ino "write"); pr=$(ino "read")
if has "write($pre<$D/pre.dat>, 4096)" "$T/replay" &&
   has "fsync($pre<$D/pre.dat>)" "$T/replay" &&
   has "write($w0<pipe:[$pi]>, 1)" "$T/replay" && [ -n "$pi" ] && [ "$pi" = "$pr" ] &&
   has "read($r0<pipe:[$pi]>, 1)" "$T/replay" &&
   has "accept($l<TCP:[127.0.0.1:$(v listen 3)]>" "$T/replay"; then
	kt_pass fds_snapshot
else
	kt_fail fds_snapshot "pre $pre, pipe $r0/$w0 ($pi/$pr), listener $l: $(grep -E 'pre.dat|pipe|accept' "$T/replay" | head -4)"
fi

# --- opened while recording: the capture's syscalls name them
n=$(v new)
if has "openat(AT_FDCWD, \"new.dat\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = $n<$D/new.dat>" "$T/replay" &&
   has "write($n<$D/new.dat>, 65536)" "$T/replay" &&
   has "fsync($n<$D/new.dat>)" "$T/replay" &&
   has "dup2($n<$D/new.dat>, 50) = 50<$D/new.dat>" "$T/replay" &&
   has "write(50<$D/new.dat>, 512)" "$T/replay"; then
	kt_pass fds_new
else
	kt_fail fds_new "new.dat is fd $n: $(grep -E 'new.dat|\(50' "$T/replay" | head -4)"
fi

q0=$(v pipe2); q1=$(v pipe2 3); s0=$(v pair); s1=$(v pair 3)
c=$(v client); cp=$(v client 3); s=$(v server); port=$(v listen 3)
qi=$(sed -n "s/.*pipe2(\[$q0<pipe:\[\([0-9]*\)\]>, $q1<pipe:\[\([0-9]*\)\]>\], O_CLOEXEC) = 0.*/\1 \2/p" "$T/replay")
set -- $qi
if [ -n "${1:-}" ] && [ "$1" = "${2:-}" ] &&
   has "write($q1<pipe:[$1]>, 1)" "$T/replay" &&
   grep -q "socketpair(AF_UNIX, SOCK_STREAM, \[$s0<UNIX:\[[0-9]*\]>, $s1<UNIX>\]) = 0" "$T/replay" &&
   has "write($c<TCP:[127.0.0.1:$cp->127.0.0.1:$port]>, 1)" "$T/replay" &&
   has "read($s<TCP:[127.0.0.1:$port->127.0.0.1:$cp]>, 1)" "$T/replay"; then
	kt_pass fds_pipes_sockets
else
	kt_fail fds_pipes_sockets "pipe2 $q0/$q1 ($qi), pair $s0/$s1, tcp $c/$s $cp->$port: $(grep -E 'pipe2|socketpair|TCP' "$T/replay" | head -5)"
fi

# --- a child writes to the pipe it inherited at fork
ch=$(v child)
"$KTRAIL" replay "$T/f.ktr" --pid "$ch" -e syscall >"$T/child" 2>&1
has "write($w0<pipe:[$pi]>, 1)" "$T/child" && kt_pass fds_fork ||
	kt_fail fds_fork "child $ch: $(grep write "$T/child" | head -2)"

# --- JSON: the object of the fd argument and of the fd made
"$KTRAIL" replay "$T/f.ktr" --pid "$P" -e syscall --json >"$T/json" 2>&1
if grep '"syscall":"write"' "$T/json" | grep '"arg1":65536' | grep -qF "\"file\":\"$D/new.dat\"" &&
   grep '"syscall":"openat"' "$T/json" | grep -qF "\"ret_file\":\"$D/new.dat\"" &&
   grep '"syscall":"pipe2"' "$T/json" | grep -qF "\"fds\":[$q0,$q1]"; then
	kt_pass fds_json
else
	kt_fail fds_json "$(grep -E '"(write|openat|pipe2)"' "$T/json" | head -3 | cut -c1-300)"
fi

# --- why: the slowest fsync, by the path its fd names
"$KTRAIL" why "$T/f.ktr" --pid "$P" --syscall fsync >"$T/why" 2>&1
if grep -qE "^why: fsync\(($pre<$D/pre.dat>|$n<$D/new.dat>)\) by " "$T/why"; then
	kt_pass fds_why
else
	kt_fail fds_why "$(grep -E '^why|fsync' "$T/why" | head -3)"
fi

# --- timeline: the open with its path, the waits in fsync
"$KTRAIL" timeline "$T/f.ktr" --pid "$P" >"$T/tl" 2>&1
"$KTRAIL" timeline "$T/f.ktr" --pid "$P" --json >"$T/tl.json" 2>&1
if has "openat(\"$D/new.dat\") = $n<$D/new.dat>" "$T/tl" &&
   has "in fsync($n<$D/new.dat>)" "$T/tl" &&
   has "syscall   write($c<TCP:[127.0.0.1:$cp->127.0.0.1:$port]>) = 1" "$T/tl" &&
   grep '"name":"fsync"' "$T/tl.json" | grep -qF "\"file\":\"$D/new.dat\""; then
	kt_pass fds_timeline
else
	kt_fail fds_timeline "$(grep -E 'openat|fsync|TCP' "$T/tl" | head -4)"
fi

# --- record -- CMD: stdout was open before the command; the rest is the
# capture's
"$KTRAIL" record -q -o "$T/c.ktr" -e proc,syscall -- "$KT_TOOL" fdwork "$T/c" >"$T/cout" 2>"$T/cerr"
crc=$?
cp=$(awk '/^pid/ {print $2}' "$T/cout"); cn=$(awk '/^new/ {print $2}' "$T/cout")
"$KTRAIL" replay "$T/c.ktr" --pid "${cp:-0}" -e syscall >"$T/creplay" 2>&1
if [ $crc = 0 ] && grep -q "write(1<$T/cout>, [0-9]*)" "$T/creplay" &&
   has "fsync($cn<$T/c/new.dat>)" "$T/creplay" &&
   has "fsync(3<$T/c/pre.dat>)" "$T/creplay"; then
	kt_pass fds_cmd
else
	kt_fail fds_cmd "record $crc: $(grep -E 'write\(1|fsync' "$T/creplay" | head -3) $(head -c 200 "$T/cerr")"
fi

for f in f c; do
	"$KTRAIL" verify "$T/$f.ktr" >"$T/verify.$f" 2>&1 || { vf="$f: $(head -3 "$T/verify.$f")"; break; }
done
[ -z "${vf:-}" ] && kt_pass fds_verify || kt_fail fds_verify "$vf"
