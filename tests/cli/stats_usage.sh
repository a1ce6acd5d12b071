# stats usage and input errors, exit 2
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1 >/dev/null; echo "exit $?"; }
cd corpus/synthetic
k stats
k stats small.ktr nosuchtool
k stats small.ktr syscount extra
k stats small.ktr execsnoop --top 5
k stats small.ktr biolatency --per-thread
k stats small.ktr runqlat --per-thread --per-process
k stats small.ktr syscount --syscall nosuchcall
k stats small.ktr syscount --top -1
k stats small.ktr syscount --top x
k stats small.ktr syscount --pid x
k stats small.ktr top --from soon
k stats small.ktr top --from +2ms --to +2ms
k stats small.ktr --bogus
k stats missing.ktr syscount
k stats missing.ktr
