#!/bin/bash
# sleep.sh - records corpus/scenarios/sleep_all.ktr and sleep_nosys.ktr:
# `sleep 0.3` recorded twice as a user would, once with every family and
# once with -e sched,proc (no syscall records).  The pair shows what a
# capture without the families that tell causes apart can and cannot say
# (issue 15): why on the second must name the missing family and lower
# its confidence; listing commands asked for syscalls must say that the
# family was not recorded.  Writes sleep.ids (the sleep's pid in each).
#
# Run as root from anywhere; it replaces the files (the goldens that use
# them, tests/cli/*sleep*, must then be regenerated).
set -eu
. "$(dirname "$0")/lib.bash"
out=$top/corpus/scenarios
corpus_record "$out/sleep_all.ktr" /dev/null -- sleep 0.3
corpus_record "$out/sleep_nosys.ktr" /dev/null -e sched,proc -- sleep 0.3
pid_of() {
	"$K" replay "$1" -e proc | awk '$5 == "proc_exec:" && /argv=sleep/ { print $2; exit }'
}
{
	echo "all=$(pid_of "$out/sleep_all.ktr")"
	echo "nosys=$(pid_of "$out/sleep_nosys.ktr")"
} >"$out/sleep.ids"
ls -l "$out/sleep_all.ktr" "$out/sleep_nosys.ktr"
