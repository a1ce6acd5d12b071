# why: a latency thread's slowest sleep on a cpu with two hogs: contention
$KTRAIL why corpus/scenarios/cpu_contention.ktr --pid $(sed -n 's/^pid=//p' corpus/scenarios/cpu_contention.ids | head -1) --tid $(sed -n 's/^latency=//p' corpus/scenarios/cpu_contention.ids | head -1) --slowest --syscall clock_nanosleep
