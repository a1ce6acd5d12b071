# An empty answer says why on stderr and exits 0 (issue 15): a window
# after the capture's end or before its first event, a process or
# thread not in the capture, a thread of another process, a family not
# recorded (replay -e, and a stats tool that needs it: syscount on a
# capture recorded -e sched,proc), an empty graph window; otherwise the
# plain note.  Only the notes and exit statuses: stdout is dropped.
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1 >/dev/null; echo "exit $?"; }
F=corpus/scenarios/fsync_pipeline.ktr
N=corpus/scenarios/sleep_nosys.ktr
k replay $F --from +5h
k replay $F --from +2s --to +3s
k replay $F --from 10 --to 11
k replay $F --pid 999999
k replay $F --tid 999999
k replay $F --pid 5521 --tid 5520
k replay $F --comm no-such-comm
k replay $N -e syscall
k replay $N -e syscall,tcp
k stats $N syscount
k stats $N opensnoop
k stats $N execsnoop
k stats $F syscount --pid 999999
k stats $F tcplife --from +1h
k timeline $F --from +2s
k timeline $F --pid 999999
k graph $F --from +2s
k export $F --json --from +2s
k export $N --json -e syscall
