#!/bin/bash
# Runtime errors: an output file that cannot be created exits 3 naming it;
# a command that cannot be run exits 127 (as shells do) saying why, and the
# capture is still finalized.  A reader that goes away is no reason to
# die: record ignores SIGPIPE (its stderr closed: exit 0, the capture
# finalized) but the command it runs gets the default back (seq | head:
# seq dies of SIGPIPE, and record exits with its status, 141).
. "$(dirname "$0")/lib/record.bash"
kt_init record_errors errors_output errors_cmd_missing errors_stderr_gone \
	errors_cmd_sigpipe
"$KTRAIL" record -q -o "$T/no/such/dir/x.ktr" -d 1 >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q "^ktrail record: $T/no/such/dir/x.ktr: No such file or directory$" "$T/err" &&
	kt_pass errors_output || kt_fail errors_output "exited $rc: $(cat "$T/err")"
"$KTRAIL" record -q -o "$T/m.ktr" -e proc -- "$T/no-such-command" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 127 ] && grep -q "cannot run '$T/no-such-command'" "$T/err" && "$KT_TOOL" dump "$T/m.ktr" >/dev/null &&
	kt_pass errors_cmd_missing || kt_fail errors_cmd_missing "exited $rc: $(cat "$T/err")"
# stderr: a FIFO whose reader is gone before the summary is written
mkfifo "$T/fifo"
exec 4<>"$T/fifo" 5>"$T/fifo" 4<&-
"$KTRAIL" record -o "$T/e.ktr" -e proc -d 0.3 >"$T/out" 2>&5; rc=$?
exec 5>&-
[ $rc = 0 ] && "$KT_TOOL" dump "$T/e.ktr" >/dev/null && "$KTRAIL" info "$T/e.ktr" >/dev/null 2>&1 &&
	kt_pass errors_stderr_gone || kt_fail errors_stderr_gone "exited $rc"
set -o pipefail
"$KTRAIL" record -q -o "$T/p.ktr" -e proc -- seq 10000000 2>"$T/err" | head -1 >"$T/out"
rc=${PIPESTATUS[0]}
set +o pipefail
[ $rc = 141 ] && [ "$(cat "$T/out")" = 1 ] && [ ! -s "$T/err" ] && "$KTRAIL" info "$T/p.ktr" >/dev/null 2>&1 &&
	kt_pass errors_cmd_sigpipe || kt_fail errors_cmd_sigpipe "exited $rc: $(cat "$T/err")"
