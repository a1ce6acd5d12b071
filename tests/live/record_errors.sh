#!/bin/bash
# Runtime errors: an output file that cannot be created exits 2 naming it;
# a command that cannot be run exits 127 (as shells do) saying why, and the
# capture is still finalized.
. "$(dirname "$0")/lib/record.bash"
kt_init record_errors errors_output errors_cmd_missing
"$KTRAIL" record -q -o "$T/no/such/dir/x.ktr" -d 1 >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "$T/no/such/dir/x.ktr" "$T/err" && kt_pass errors_output ||
	kt_fail errors_output "exited $rc: $(cat "$T/err")"
"$KTRAIL" record -q -o "$T/m.ktr" -e proc -- "$T/no-such-command" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 127 ] && grep -q "cannot run '$T/no-such-command'" "$T/err" && "$KT_TOOL" dump "$T/m.ktr" >/dev/null &&
	kt_pass errors_cmd_missing || kt_fail errors_cmd_missing "exited $rc: $(cat "$T/err")"
