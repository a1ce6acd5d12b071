#!/bin/bash
# The acceptance case: `ktrail record -o x.ktr -- make -C DIR` gives a file
# that `ktrail info` summarizes, with the command's events and no drops,
# and record exits with make's status.
. "$(dirname "$0")/lib/record.bash"
kt_init record_make make_capture make_info make_failing
mkdir -p "$T/mk"
cat >"$T/mk/Makefile" <<'EOM'
all: hello out.txt
hello: hello.c
	cc -O0 -o $@ $<
out.txt: hello
	./hello > $@ && sync out.txt
hello.c:
	printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > $@
fail:
	exit 4
EOM
"$KTRAIL" record -q -o "$T/x.ktr" -- make -s -C "$T/mk" >"$T/out" 2>"$T/err"; rc=$?
kt_dump "$T/x.ktr" >"$T/dump" 2>&1
execs=$(awk '$5 == "proc_exec"' "$T/dump" | grep -c -E 'filename=[^ ]*/(make|cc|hello|sh) ')
[ $rc = 0 ] && [ -s "$T/mk/out.txt" ] && [ "$execs" -ge 3 ] && kt_pass make_capture ||
	kt_fail make_capture "record exited $rc, $execs execs of make/cc/sh/hello: $(head -c 200 "$T/err")"
"$KTRAIL" info "$T/x.ktr" >"$T/info" 2>&1; irc=$?
"$KTRAIL" info --json "$T/x.ktr" >"$T/info.json" 2>"$T/info.err"; jrc=$?
ok=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
k = j.get("kinds", {})
gaps = j["meta"]["lost"]["causes"]["switch_gap"]["total"]
print("yes" if j.get("lost") == gaps and all(k.get(x, 0) > 0 for x in ("syscall", "proc_exec", "proc_fork", "sched_switch")) else "no: %s lost=%s" % (k, j.get("lost")))' "$T/info.json" 2>&1 | tail -1)
# only switch gaps (the kernel's, see kt_drops) may be lost, and info
# says so: "lost: 0", or a count with its cause lines
lines=$(sed -n '/^lost:/,/^size/p' "$T/info" | grep "^  cause ")
{ grep -q "^lost: *0$" "$T/info" || { [ -n "$lines" ] && ! echo "$lines" | grep -vq "cause switch_gap"; }; } && info_ok=yes || info_ok=no
[ $irc = 0 ] && [ $jrc = 0 ] && [ "$ok" = yes ] && [ $info_ok = yes ] && kt_pass make_info ||
	kt_fail make_info "info exited $irc/$jrc: $ok $(head -c 300 "$T/info")"
"$KTRAIL" record -q -o "$T/y.ktr" -e proc -- make -s -C "$T/mk" fail >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && kt_pass make_failing || kt_fail make_failing "record of a failing make exited $rc (make exits 2)"
