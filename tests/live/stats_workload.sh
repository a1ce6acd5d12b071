#!/bin/bash
# Live cross-check of `ktrail stats`: record kt-test-tool stream_work, a
# workload whose truth is known exactly (tests/tool/stream_workload.c), and
# check what syscount, opensnoop, execsnoop, exitsnoop, killsnoop,
# tcpconnect and tcplife answer about it.  SKIP without BPF permission.
set -u
P=live/stats
T=$(mktemp -d /tmp/kt-live-stats.XXXXXX)
trap 'rm -rf "$T"' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "SKIP $P: needs root (CAP_BPF, CAP_PERFMON) to record"
	exit 0
fi
"$KTRAIL" record -q -o "$T/w.ktr" -- "$KT_TOOL" stream_work "$T" >"$T/rec.log" 2>&1
rc=$?
if [ $rc = 3 ]; then
	echo "SKIP $P: the system refused to record: $(head -1 "$T/rec.log")"
	exit 0
fi
if [ $rc != 0 ] || [ ! -s "$T/truth" ]; then
	echo "FAIL $P: recording the workload failed (exit $rc): $(head -1 "$T/rec.log")"
	exit 1
fi
. "$T/truth"
S() { "$KTRAIL" stats "$T/w.ktr" "$@"; }

# check NAME WANT GOT
check() {
	if [ "$2" = "$3" ]; then
		echo "PASS $P/$1"
	else
		echo "FAIL $P/$1: want '$2' got '$3'"
	fi
}

# syscount: exactly ngetppid getppid calls by the workload, none failed
got=$(S syscount --pid "$pid" --syscall getppid --json | grep '"table":"syscall"' |
      sed 's/.*"count":\([0-9]*\),"errors":\([0-9]*\).*/\1 \2/')
check syscount_getppid "$ngetppid 0" "$got"

# opensnoop: 5 files created, 2 missing with ENOENT, in order
got=$(S opensnoop --pid "$pid" | grep -E "/(stream-open|missing)-" |
      awk '{ n = split($NF, p, "/"); print p[n], ($4 >= 0 ? "fd" : "-1"), $5 }' | tr '\n' ' ')
check opensnoop "stream-open-0 fd 0 stream-open-1 fd 0 stream-open-2 fd 0 stream-open-3 fd 0 stream-open-4 fd 0 missing-0 -1 ENOENT missing-1 -1 ENOENT " "$got"
got=$(S opensnoop --pid "$pid" --failed | grep -c "/missing-")
check opensnoop_failed 2 "$got"

# execsnoop: /bin/true exec'd by a child of the workload, and the failed
# exec of a missing path
got=$(S execsnoop | awk -v p="$ctrue" '$3 == p { print $2, $4, $5, $6 }')
check execsnoop_true "true $pid 0 true" "$got"
got=$(S execsnoop | awk -v p="$cnope" '$3 == p { print $4, $5, $6 }')
check execsnoop_failed "$pid -2 /nonexistent/stream-nope" "$got"

# exitsnoop --json: the exit codes and the signal, by pid (the text column
# says them in bcc's words: tests/unit/stream_stats_snoop.c)
for c in "child3:exit 3" "child7:exit 7" "victim:signal SIGTERM" "ctrue:0" "cnope:exit 127" "pid:0"; do
	v=${c%%:*}
	got=$(S exitsnoop --pid "${!v}" --json | sed 's/.*"status":"\([^"]*\)".*/\1/')
	check "exitsnoop_$v" "${c#*:}" "$got"
done

# killsnoop: the workload sent SIGTERM to its victim, delivered
got=$(S killsnoop --pid "$pid" | awk 'NR > 1 { print $4, $5, $7 }')
check killsnoop "SIGTERM $victim delivered" "$got"

# tcpconnect: one accepted, one refused, both from the workload
got=$(S tcpconnect --pid "$pid" | awk 'NR > 1 { print $8, $NF }' | tr '\n' ' ')
check tcpconnect "$port_ok established $port_closed refused " "$got"

# tcplife: the accepted connection, both of its ends, owned by the workload
got=$(S tcplife --pid "$pid" | awk 'NR > 1 { print $2 }' | sort | uniq -c | awk '{ print $1, $2 }')
check tcplife "2 $pid" "$got"
got=$(S tcplife --pid "$pid" | awk -v p="$port_ok" 'NR > 1 && ($6 == p || $8 == p) { n++ } END { print n + 0 }')
check tcplife_port 2 "$got"
