# replay usage and input errors: one line (plus usage for option errors),
# exit 2
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1 >/dev/null; echo "exit $?"; }
cd corpus/synthetic
k replay
k replay small.ktr extra
k replay --bogus small.ktr
k replay small.ktr -x
k replay small.ktr --from
k replay small.ktr --pid abc
k replay small.ktr --pid 0
k replay small.ktr --tid -5
k replay small.ktr --pid 99999999999
k replay small.ktr -e sched,disk
k replay small.ktr --from yesterday
k replay small.ktr --to 12:00
k replay small.ktr --from +2ms --to +1ms
k replay small.ktr --from 2026-13-45T00:00:00Z
k replay missing.ktr
k replay ../../tests/cli/replay_usage.sh
