#!/bin/bash
# The workload of the diff tests (tests/live/diff_*.sh, tests/bench/diff.sh):
#   diff_work.sh MODE DIR
# a pipeline of 30 lines written with short sleeps between them into a
# file, a copy of that file with dd, and one refused TCP connect.  MODE
# changes one thing on purpose:
#   same     nothing (two runs must not differ by a threshold)
#   fsync    dd syncs its copy (conv=fsync): one fsync more
#   connect  a second refused connect
#   slow     each sleep 25 ms instead of 5 ms
set -u
mode=$1 dir=$2
delay=0.005 sync= connects=1
case $mode in
same) ;;
fsync) sync=conv=fsync ;;
connect) connects=2 ;;
slow) delay=0.025 ;;
*) echo "diff_work.sh: '$mode': unknown mode" >&2; exit 2 ;;
esac
for i in $(seq 30); do
	echo "line $i"
	sleep $delay
done | cat >"$dir/lines"
dd if="$dir/lines" of="$dir/copy" bs=4k status=none $sync
# a refused connect: nothing listens on port 1 of the loopback
for i in $(seq $connects); do
	(exec 3<>/dev/tcp/127.0.0.1/1) 2>/dev/null
done
exit 0
