#!/bin/bash
# Without CAP_BPF/CAP_PERFMON (and CAP_SYS_ADMIN) record exits 3 and names
# the missing capability, before creating anything.
. "$(dirname "$0")/lib/record.bash"
kt_init record_caps caps_no_bpf caps_no_perfmon
if ! command -v capsh >/dev/null; then
	kt_skip caps_no_bpf "capsh not installed (libcap2-bin)"
	kt_skip caps_no_perfmon "capsh not installed (libcap2-bin)"
	exit 0
fi
capsh --drop=cap_bpf,cap_sys_admin -- -c "exec \"$KTRAIL\" record -q -o \"$T/x.ktr\" -d 1" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_BPF" "$T/err" && [ ! -e "$T/x.ktr" ] && kt_pass caps_no_bpf ||
	kt_fail caps_no_bpf "exited $rc: $(cat "$T/err")"
capsh --drop=cap_perfmon,cap_sys_admin -- -c "exec \"$KTRAIL\" record -q -o \"$T/y.ktr\" -d 1" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "missing capability CAP_PERFMON" "$T/err" && [ ! -e "$T/y.ktr" ] && kt_pass caps_no_perfmon ||
	kt_fail caps_no_perfmon "exited $rc: $(cat "$T/err")"
