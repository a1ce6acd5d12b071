# the aggregating tools on the synthetic capture, with their options
cd corpus/synthetic
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1; echo "exit $?"; }
k stats small.ktr biolatency
k stats small.ktr biolatency --per-disk --queued --json
k stats small.ktr syscount --top 8
k stats small.ktr syscount --failed --top 3 --json
k stats small.ktr syscount --syscall openat --top 5
k stats small.ktr runqlat
k stats small.ktr runqlat --per-process --ms --pid 2390
k stats small.ktr runqlat --per-thread --comm postgres --json
k stats small.ktr offcputime --top 10
k stats small.ktr offcputime --per-process --top 5 --json
k stats small.ktr top --top 10
k stats small.ktr top --per-process --top 5 --from +1ms --to +2ms
k stats small.ktr faults --json
