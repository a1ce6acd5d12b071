# usage errors and bad input: exit 2, one line naming the option or file
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
$KTRAIL diff; echo "exit $?"
$KTRAIL diff $S/exit_kill.ktr; echo "exit $?"
$KTRAIL diff $S/exit_kill.ktr $S/exit_kill.ktr extra; echo "exit $?"
$KTRAIL diff $S/exit_kill.ktr $S/exit_kill.ktr --bogus; echo "exit $?"
for t in p99 p99:+2 bogus:+1 errors:+1ms syscalls:lots "p50:"; do
	$KTRAIL diff $S/exit_kill.ktr $S/exit_kill.ktr --threshold "$t"; echo "exit $?"
done
$KTRAIL diff $S/exit_kill.ktr no-such.ktr; echo "exit $?"
printf 'not a capture' > text.ktr
$KTRAIL diff text.ktr $S/exit_kill.ktr; echo "exit $?"
# a capture whose recorder never wrote its index (killed at the end):
# refused unless --allow-partial
cut=$("$KT_TOOL" blocks "$ROOT/corpus/synthetic/small.ktr" | awk '$2 == "index" { print $1; exit }')
"$KT_TOOL" mangle "$ROOT/corpus/synthetic/small.ktr" partial.ktr truncate="$cut"
$KTRAIL diff "$ROOT/corpus/synthetic/small.ktr" partial.ktr; echo "exit $?"
$KTRAIL diff "$ROOT/corpus/synthetic/small.ktr" partial.ktr --allow-partial | head -1; echo "exit ${PIPESTATUS[0]}"
