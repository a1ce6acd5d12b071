# why on a CPU-bound thread (issue 10 §6): a hog pinned to a cpu with
# another hog and a latency thread.  --slowest: its CPU stretch (it makes
# no syscall that costs more than the time it waited for the cpu); --at a
# time inside it: the same stretch; both cpu contention, naming who held
# the cpu.  (Times are those of corpus/scenarios/cpu_contention.ktr.)
F=corpus/scenarios/cpu_contention.ktr
P=$(sed -n 's/^pid=//p' corpus/scenarios/cpu_contention.ids | head -1)
H=$(sed -n 's/^hog1=//p' corpus/scenarios/cpu_contention.ids | head -1)
$KTRAIL why $F --pid $P --tid $H --slowest
echo "---"
$KTRAIL why $F --pid $P --tid $H --at +0.2s --json | sed -n '/"span"/,/^ },/p'
