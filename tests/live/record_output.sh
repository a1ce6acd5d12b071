#!/bin/bash
# The capture file of `record` (docs/cli.md): created under the name the
# user gave from the start, O_EXCL|O_NOFOLLOW, mode 0600, never a
# temporary file renamed at the end (a recorder killed with SIGKILL leaves
# it there for `recover`); an existing -o is refused with one line (exit
# 2) unless --force, which removes it first (a symbolic link is removed,
# its target left alone); without -o, ./ktrail.ktr, an existing one
# renamed to ktrail.ktr.old first; a device or a FIFO (/dev/null) is
# refused even with --force, and left as it is.
. "$(dirname "$0")/lib/record.bash"
kt_init record_output output_exists output_symlink output_force \
	output_special output_default output_killed
readable() { "$KTRAIL" info "$1" >/dev/null 2>&1; }
cd "$T" || exit 1
# an existing file: refused, left as it was
echo "precious" > have.ktr
"$KTRAIL" record -q -o have.ktr -e proc -d 0.1 >out 2>err; rc=$?
[ $rc = 2 ] && [ "$(cat have.ktr)" = precious ] && [ "$(wc -l < err)" = 1 ] &&
	grep -q '^ktrail record: have.ktr: exists: .*--force' err &&
	kt_pass output_exists || kt_fail output_exists "exit $rc: $(cat err)"
# a symbolic link: refused; with --force the link is replaced by the
# capture and its target keeps its bytes and mode
echo "precious" > target
chmod 644 target
ln -s target link.ktr
"$KTRAIL" record -q -o link.ktr -e proc -d 0.1 >out 2>err; a=$?
"$KTRAIL" record -q -o link.ktr --force -e proc -d 0.1 >out 2>err2; b=$?
[ $a = 2 ] && [ $b = 0 ] && [ ! -L link.ktr ] && [ -f link.ktr ] &&
	[ "$(stat -c %a link.ktr)" = 600 ] && [ "$(cat target)" = precious ] &&
	[ "$(stat -c %a target)" = 644 ] && readable link.ktr &&
	kt_pass output_symlink ||
	kt_fail output_symlink "exit $a then $b; link: $(stat -c '%F %a' link.ktr); target: $(stat -c %a target) $(head -c 20 target); $(cat err err2)"
# --force on a regular file: replaced
"$KTRAIL" record -q -o have.ktr --force -e proc -d 0.1 >out 2>err; rc=$?
[ $rc = 0 ] && readable have.ktr && [ "$(stat -c %a have.ktr)" = 600 ] &&
	kt_pass output_force || kt_fail output_force "exit $rc: $(cat err)"
# a device (a private /dev/null) and a FIFO: refused, --force or not
mknod null c 1 3 && mkfifo fifo
"$KTRAIL" record -q -o null --force -e proc -d 0.1 >out 2>err; a=$?
"$KTRAIL" record -q -o fifo --force -e proc -d 0.1 >out 2>>err; b=$?
"$KTRAIL" record -q -o fifo -e proc -d 0.1 >out 2>>err; c=$?
[ $a = 2 ] && [ $b = 2 ] && [ $c = 2 ] && [ -c null ] && [ -p fifo ] &&
	[ "$(grep -c 'not a regular file' err)" = 3 ] &&
	kt_pass output_special "$(head -1 err)" ||
	kt_fail output_special "exit $a, $b, $c; $(stat -c %F null fifo | tr '\n' ' '); $(cat err)"
# without -o: ktrail.ktr, then the first one is ktrail.ktr.old
mkdir def && cd def || exit 1
"$KTRAIL" record -q -e proc -d 0.1 >out 2>err; a=$?
first=$(md5sum < ktrail.ktr 2>/dev/null)
"$KTRAIL" record -q -e proc -d 0.1 >out 2>>err; b=$?
[ $a = 0 ] && [ $b = 0 ] && readable ktrail.ktr && readable ktrail.ktr.old &&
	[ "$(md5sum < ktrail.ktr.old)" = "$first" ] && [ "$(md5sum < ktrail.ktr)" != "$first" ] &&
	[ "$(stat -c %a ktrail.ktr)" = 600 ] &&
	kt_pass output_default || kt_fail output_default "exit $a, $b: $(ls -la; cat err)"
cd "$T" || exit 1
# SIGKILL: the capture is under its name, nothing else in the directory
mkdir kill && cd kill || exit 1
"$KTRAIL" record -q -o mine.ktr -e sched,proc,syscall >out 2>err & R=$!
for i in $(seq 50); do [ -s mine.ktr ] && break; sleep 0.1; done
sleep 1.3
kill -KILL $R; wait $R 2>/dev/null
files=$(ls -A | grep -v '^out$\|^err$' | tr '\n' ' ')
"$KTRAIL" recover mine.ktr >rec.out 2>&1; rc=$?
[ "$files" = "mine.ktr " ] && [ $rc = 0 ] && readable mine.ktr &&
	[ "$(stat -c %a mine.ktr)" = 600 ] &&
	kt_pass output_killed || kt_fail output_killed "files: $files; recover exit $rc: $(cat rec.out)"
